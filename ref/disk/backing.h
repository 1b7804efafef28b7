/* SPDX-License-Identifier: GPL-2.0-only */
/* Backing files and vhd parents: the policy that decides whether a guest-named file may be opened. */
#ifndef PVB_DISK_BACKING_H
#define PVB_DISK_BACKING_H

#include <stddef.h>

#include "disk/format.h"

/* Longest chain followed below the image the user named. */
#define PVB_BACKING_MAX_DEPTH 16

/*
 * A backing file name comes from the guest-writable image header, so
 * following it lets a guest read any dom0 file into its own view of the
 * disk (the qcow2 "backing file" attack). The policy:
 *   - by default nothing is opened: PVB_EUNSUPPORTED naming the file;
 *   - with opts->allow_backing, the file must be a regular file (no
 *     symlink, device or FIFO) directly inside chain->dir, the top image's
 *     directory or opts->backing_dir; relative names are resolved there;
 *   - at most PVB_BACKING_MAX_DEPTH (and lim.max_depth) links; a file that
 *     is already in the chain is PVB_ELOOP.
 * name is len bytes as stored (not NUL-terminated); fmt is the format the
 * header names ("qcow2", "raw", "vpc", ...) or NULL to detect it; what
 * names the caller ("qcow2") in messages.
 */
int pvb_backing_open(struct pvb_ctx *c, const struct pvb_chain *chain, const char *what,
                     const char *name, size_t len, const char *fmt, struct pvb_disk **out);

/* A printable copy of len bytes of name for messages (at most cap-1 bytes,
 * other bytes shown as '?'). */
void pvb_backing_show(const char *name, size_t len, char *out, size_t cap);

#endif
