/* SPDX-License-Identifier: GPL-2.0-only */
/* The scheduler: convert images an impl cannot read, then run every impl on every case, --jobs at a time. */
#ifndef PVB_CONFORM_RUN_H
#define PVB_CONFORM_RUN_H

#include <signal.h>
#include <stdint.h>

#include "conform.h"
#include "contain.h"

struct cf_sched_opts {
    unsigned jobs;
    int cases;             /* run every impl on every case (run->results) */
    int boot;              /* then boot what each impl extracted from the boot cases (run->boots) */
    const char *tmpdir;    /* parent of the run's temporary directory */
    const char *cache;     /* where converted raw images are kept (absolute) */
    int keep;              /* leave the temporary directories behind */
    size_t capture;        /* bytes of stdout/stderr kept per run */
    uint64_t flood;        /* output bytes past which a run is killed */
    sigset_t waitmask;     /* signal mask while waiting: the stop signals open */
    struct cf_contain *contain;  /* what every program runs in (cf_contain_probe), or NULL */
    /* Called once per result, in result order, as soon as it and all before it are final. */
    void (*emit)(void *arg, const struct cf_run *run, size_t i);
    /* The same for the real boots (run->boots[i]). */
    void (*emit_boot)(void *arg, const struct cf_run *run, size_t i);
    void *emit_arg;
};

/*
 * Fill run->results (allocated here, nimpls * ncases, impl-major; none
 * without o->cases), then with o->boot run->boots (nimpls * nboot): each impl
 * runs again on each boot case with --args=GUEST-APPEND, and run->qemu boots
 * what it extracted in the same directory (tools/conform/boot.h). Each run
 * gets an empty directory holding the --output file and the
 * --output-directory (one per job slot, emptied after each run; with keep,
 * one per run, left behind). A run the runner cannot make or judge (its
 * directory, its files, its memory, its processes) is a result of class
 * CF_RUNNER_ERROR and the others go on. Returns 0, a PVB_E* error that
 * stopped the whole run, or PVB_EIO with *interrupted set when a stop signal
 * arrived (every running program is then killed first).
 */
int cf_run_all(struct cf_run *run, const struct cf_sched_opts *o, int *interrupted);

/* RLIMIT_NPROC for impl im's runs, jobs at once: nproc per run times jobs
 * when it runs as a user of its own (not root, not the runner's), else 0:
 * the kernel counts every process of the real uid, and none of root's. */
unsigned long cf_run_nproc(const struct cf_impl *im, unsigned jobs);

/* The image as qemu-img names its format, or NULL to let it probe. */
const char *cf_qemu_format(const char *format);

#endif
