/* SPDX-License-Identifier: GPL-2.0-only */
/* Names and descriptions of pvboot error codes. */
#include "util/err.h"

static const char *const descr[PVB_ERR_COUNT] = {
    "success",
    "not this format",
    "corrupt structure",
    "unsupported feature",
    "I/O error",
    "out of range",
    "limit exceeded",
    "out of memory",
    "not found",
    "too many levels of links or a loop",
    "invalid argument",
    "not a directory",
    "is a directory",
    "syntax error",
    "checksum mismatch",
    "nothing bootable",
    "a host library is missing"
};

static const char *const names[PVB_ERR_COUNT] = {
    "PVB_OK", "PVB_ENOTMINE", "PVB_ECORRUPT", "PVB_EUNSUPPORTED", "PVB_EIO",
    "PVB_ERANGE", "PVB_ELIMIT", "PVB_ENOMEM", "PVB_ENOTFOUND", "PVB_ELOOP",
    "PVB_EINVAL", "PVB_ENOTDIR", "PVB_EISDIR", "PVB_ESYNTAX", "PVB_ECHECKSUM",
    "PVB_ENOBOOT", "PVB_ENOLIB"
};

const char *pvb_strerror(int err)
{
    if (err > 0 || err <= -PVB_ERR_COUNT)
        return "unknown error";
    return descr[-err];
}

const char *pvb_errname(int err)
{
    if (err > 0 || err <= -PVB_ERR_COUNT)
        return "PVB_E?";
    return names[-err];
}

int pvb_err_fatal(int err)
{
    return err == PVB_EIO || err == PVB_ENOMEM || err == PVB_ELIMIT || err == PVB_ENOLIB;
}
