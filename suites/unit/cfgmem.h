/* A config engine environment over files held in memory, for the cfg unit suites. */
#ifndef PVB_TEST_CFGMEM_H
#define PVB_TEST_CFGMEM_H

#include "cfg/cfg.h"

#define CFGMEM_MAX 32

/* Files of one volume ("hd0,msdos1"), the volume's UUID and label. A path
 * ending in '/' is a directory; directories are also implied by file paths. */
struct cfgmem {
    const char *path[CFGMEM_MAX];
    const char *data[CFGMEM_MAX];
    unsigned n;
    const char *uuid, *label;
    int fail_read;            /* read_file returns this code when non-zero */
};

void cfgmem_init(struct cfgmem *m);
void cfgmem_add(struct cfgmem *m, const char *path, const char *data);
/* The env struct whose callbacks read m. */
void cfgmem_env(struct cfgmem *m, struct pvb_cfg_env *env);

/* Evaluate text as fmt at path with m's files; the menu in *out (may be NULL on error). */
int cfgmem_eval(struct pvb_ctx *c, struct cfgmem *m, const struct pvb_cfg_engine *fmt, const char *path,
                const char *text, struct pvb_menu **out);

#endif
