/* Default limits: generous for any real guest, small enough for a 32-bit dom0. */
#include "util/limit.h"

void pvb_limits_default(struct pvb_limits *lim)
{
    lim->max_alloc = (size_t)32 << 20;     /* a 2 MiB qcow2 L2 table or 1 MiB config fits */
    lim->max_mem = (size_t)128 << 20;      /* well under pygrub's 256 MiB RLIMIT_AS */
    lim->max_depth = 64;
    lim->max_parts = 4096;                 /* GPT default is 128 entries */
    lim->max_entries = 1000000;            /* XFS/ext dirs with 50,000+ names still read */
    lim->max_symlinks = 8;                 /* GRUB fshelp */
    lim->max_path = 4096;                  /* PATH_MAX */
    lim->max_file_size = (uint64_t)1 << 30;
    lim->max_config = (size_t)1 << 20;     /* pygrub reads at most 1 MiB */
    lim->max_steps = 10000000;
}
