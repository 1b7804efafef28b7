/* SPDX-License-Identifier: GPL-2.0-only */
/* pvboot error codes: one enum for every layer, returned as negative ints. */
#ifndef PVB_UTIL_ERR_H
#define PVB_UTIL_ERR_H

/*
 * Every libpvboot function that can fail returns 0 or one of these (negative).
 * "Not mine" is distinct from "corrupt": a probe moves on to the next driver only
 * on PVB_ENOTMINE, never on a real error (GRUB grub_fs_probe, e2fsprogs openfs.c).
 */
enum pvb_err {
    PVB_OK           = 0,
    PVB_ENOTMINE     = -1,  /* bad magic: this driver does not own the data */
    PVB_ECORRUPT     = -2,  /* owned, but a structure is inconsistent */
    PVB_EUNSUPPORTED = -3,  /* valid, but uses a feature we do not read */
    PVB_EIO          = -4,  /* the host failed a read */
    PVB_ERANGE       = -5,  /* a read or offset outside the image or structure */
    PVB_ELIMIT       = -6,  /* a pvb_limits cap was reached */
    PVB_ENOMEM       = -7,  /* the host allocator failed */
    PVB_ENOTFOUND    = -8,  /* file, entry or key does not exist */
    PVB_ELOOP        = -9,  /* a cycle in on-disk links, or too many symlink hops */
    PVB_EINVAL       = -10, /* the caller passed a bad argument */
    PVB_ENOTDIR      = -11, /* a path component is not a directory */
    PVB_EISDIR       = -12, /* a file operation on a directory */
    PVB_ESYNTAX      = -13, /* a config file does not parse */
    PVB_ECHECKSUM    = -14, /* a checksum mismatch in strict mode */
    PVB_ENOBOOT      = -15, /* nothing bootable was found */
    PVB_ENOLIB       = -16  /* a library the host must provide cannot be loaded */
};

#define PVB_ERR_COUNT 17

/*
 * What the host did or lacks, or one of pvboot's own limits (PVB_EIO,
 * PVB_ENOMEM, PVB_ELIMIT, PVB_ENOLIB): 1. Such an error ends the run, naming
 * the file and the cause; it is never read as "the file is not there" or
 * "the entry is bad", so a fault can never change which kernel boots. A
 * library missing on the host (libzstd for a zstd-compressed cluster) is
 * such a fault: the guest's image is valid, and reading it as unreadable
 * would boot another volume or entry on this host than on the next one.
 * Every other code is a fact about the guest's data (a missing file, a
 * corrupt structure), which the callers meet as the guest's bootloader would.
 */
int pvb_err_fatal(int err);

/* A short constant description of an error code; never NULL. */
const char *pvb_strerror(int err);

/* The code's symbolic name ("PVB_ECORRUPT"), for tests and JSON output. */
const char *pvb_errname(int err);

#endif
