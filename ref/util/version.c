/* SPDX-License-Identifier: GPL-2.0-only */
/* The release string, from the header ci/version generates at build time ($(BUILD)/gen). */
#include "util/version.h"

#include "pvb_version.h"

const char *pvb_version(void)
{
    return PVB_VERSION_STRING;
}
