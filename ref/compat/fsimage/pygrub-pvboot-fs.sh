#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The host's stock pygrub with pvboot's libfsimage plugins: make copies this to
# build/pygrub-pvboot-fs, beside build/fsimage (pvboot's xfs, ext2fs and reiserfs plugins plus
# links to the host's others), the plugin directory it hands to libxenfsimage.
# This is pvconform's xen-4.17+pvboot-fs (tools/conform/impls). PVB_PYGRUB names
# another pygrub of Xen 4.12..4.21 (4.22 dropped XEN_FSIMAGE_FSDIR).
here=$(dirname "$0")
XEN_FSIMAGE_FSDIR=$(cd "$here/fsimage" && pwd) || exit 1
export XEN_FSIMAGE_FSDIR
exec "${PVB_PYGRUB:-/usr/lib/xen-4.17/bin/pygrub}" "$@"
