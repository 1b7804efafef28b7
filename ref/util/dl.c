/* SPDX-License-Identifier: GPL-2.0-only */
/* Opening an optional host library and resolving its functions into the caller's table. */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "util/dl.h"

/* POSIX (dlsym) makes a data pointer hold a function's address; the table's slots are
 * function pointers of the same size, filled byte for byte. */
typedef char pvb_dl_fnptr_size_check[sizeof(void (*)(void)) == sizeof(void *) ? 1 : -1];

/* RTLD_NODELETE (glibc, musl, the BSDs): closing the last reference keeps the library
 * mapped, so a program that opens and closes many images (pvbench, the unit suites)
 * loads it once. */
#ifdef RTLD_NODELETE
#define DL_FLAGS (RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE)
#else
#define DL_FLAGS (RTLD_NOW | RTLD_LOCAL)
#endif

static void names(const struct pvb_dl_lib *lib, char *out, size_t cap)
{
    size_t i, n = 0;

    out[0] = '\0';
    for (i = 0; lib->sonames[i] && n < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? " or " : "", lib->sonames[i]);
}

int pvb_dl_open(struct pvb_ctx *c, const struct pvb_dl_lib *lib, void *table, void **handle)
{
    const char *one[2] = { NULL, NULL };
    const char *const *so = lib->sonames;
    const char *why = "";
    char want[160];
    void *h = NULL;
    size_t i;

    if (c->dl_name) {
        one[0] = c->dl_name;
        so = one;
    }
    for (i = 0; so[i] && !h; i++) {
        h = dlopen(so[i], DL_FLAGS);
        if (!h)
            why = dlerror();
    }
    if (!h) {
        names(lib, want, sizeof(want));
        return pvb_fail(c, PVB_ENOLIB, "%s needs %s (%s), which cannot be loaded: %s",
                        lib->what, want, lib->package, why ? why : "not found");
    }
    for (i = 0; i < lib->nsyms; i++) {
        void *p = dlsym(h, lib->syms[i].name);

        if (!p) {
            names(lib, want, sizeof(want));
            dlclose(h);
            return pvb_fail(c, PVB_ENOLIB, "%s needs %s (%s), but the one loaded has no %s()",
                            lib->what, want, lib->package, lib->syms[i].name);
        }
        memcpy((char *)table + lib->syms[i].off, &p, sizeof(p));
    }
    *handle = h;
    return 0;
}

void pvb_dl_close(void *handle)
{
    if (handle)
        dlclose(handle);
}
