/* SPDX-License-Identifier: GPL-2.0-only */
/* Implementation files (tools/conform/impls/NAME): a pygrub-compatible program and its limits. */
#ifndef PVB_CONFORM_IMPL_H
#define PVB_CONFORM_IMPL_H

#include "conform.h"

/* Defaults for what an impl file leaves out. */
#define CF_IMPL_TIMEOUT 60.0
#define CF_IMPL_MEM_MB 1024ul
#define CF_IMPL_FSIZE_MB 1024ul
/* Processes one run may have at once: pygrub and pvboot start none; a shell wrapper a few. */
#define CF_IMPL_NPROC 64ul

/*
 * Parse an impl file:
 *   name: xen-4.17                      required; [A-Za-z0-9._+-]
 *   command: /usr/lib/xen-4.17/bin/pygrub [WORDS...]   required; split on blanks
 *   env: NAME=VALUE                     repeatable, added to the environment
 *   formats: raw [qcow qcow2 qcow2c vhd]  read natively; others are converted to raw
 *   timeout: SECONDS   mem: MIB   fsize: MIB   (0 = no limit for mem and fsize)
 *   run-as-user: NAME|UID                run it as this user (pvconform and pvbench must
 *                                        be root), with its primary group as its only one;
 *                                        --run-as-user replaces it for every impl
 *   nproc: N                             processes one run may have at once (default 64):
 *                                        RLIMIT_NPROC, N times the jobs running at once, set
 *                                        only under run-as-user of a user other than root and
 *                                        the runner's (the kernel counts every process of the
 *                                        real uid, and none of root's); 0 = none
 *   version: SHELL COMMAND               its first output line is the version; "$1" is
 *                                        the command's program as located (with an --impl
 *                                        override, that program)
 *   diverge: GLOB CLASS[,CLASS...]|* REASON   repeatable: known divergences (cf_impl_diverge);
 *            a CLASS is a failure class of a case run (no-boot, wrong-args, ...) or of a
 *            real boot (did-not-boot, booted-wrong-args: tools/conform/boot.h)
 */
int cf_impl_parse(struct pvb_ctx *c, const char *path, const char *text, size_t len,
                  struct cf_impl *im);
int cf_impl_load(struct pvb_ctx *c, const char *path, struct cf_impl *im);

/* An impl from --impl NAME=COMMAND, with the defaults. */
int cf_impl_adhoc(struct pvb_ctx *c, const char *spec, struct cf_impl *im);

/* Replace the command (and argv) of im. */
int cf_impl_set_command(struct pvb_ctx *c, struct cf_impl *im, const char *command);

/* Find argv[0] (PATH search, relative paths made absolute); set im->missing
 * to the reason when it cannot be run. */
int cf_impl_locate(struct pvb_ctx *c, struct cf_impl *im);

/* Resolve the impl's user: spec (replacing its run-as-user), or its own
 * run-as-user when spec is NULL; nothing when it has neither. Fails for a
 * user that does not exist, and for another user when not root. */
int cf_impl_set_user(struct pvb_ctx *c, struct cf_impl *im, const char *spec);

/* 1 when the impl reads images of this format without conversion. */
int cf_impl_reads(const struct cf_impl *im, const char *format);

/* The first known divergence whose glob matches the case name and that lists
 * one of the classes (a bit per enum cf_class), or NULL. Several may match
 * one case (a filesystem the impl cannot read, a config rule it gets
 * wrong): a failure is known when any of them names its class. */
const struct cf_diverge *cf_impl_diverge(const struct cf_impl *im, const char *case_name,
                                         unsigned classes);

void cf_impl_free(struct pvb_ctx *c, struct cf_impl *im);

#endif
