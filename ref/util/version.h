/* SPDX-License-Identifier: GPL-2.0-only */
/* The release this libpvboot was built as, for every tool's --version and reports. */
#ifndef PVB_UTIL_VERSION_H
#define PVB_UTIL_VERSION_H

/*
 * "1.0.0" (the first line of VERSION) from a tarball, "1.0.0 (v1.0.0-12-gabc1234-dirty)"
 * from a git checkout: ci/version computes it when the library is built. Constant,
 * never NULL. A tool prints "NAME pvb_version()" for --version.
 */
const char *pvb_version(void);

#endif
