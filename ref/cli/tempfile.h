/* SPDX-License-Identifier: GPL-2.0-only */
/* Output files named as pygrub names them: Python's tempfile.mkstemp and os.path.abspath. */
#ifndef PVB_CLI_TEMPFILE_H
#define PVB_CLI_TEMPFILE_H

#include <stddef.h>

/* Python's os.path.abspath: relative paths joined to the cwd, then
 * posixpath.normpath ("//" collapsed, "." and ".." resolved lexically, a
 * leading "//" kept). 0, or -1 when it does not fit in cap bytes. */
int pvb_abspath(const char *path, char *out, size_t cap);

/* Create dir/prefix + 8 characters of [a-z0-9_] exclusively with mode 0600
 * (tempfile.mkstemp), the absolute path in out. Returns the open fd, or -1
 * with errno set. */
int pvb_mkstemp(const char *dir, const char *prefix, char *out, size_t cap);

#endif
