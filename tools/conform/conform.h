/* SPDX-License-Identifier: GPL-2.0-only */
/* pvconform's model: cases, implementations, results, and the classes a result falls in. */
#ifndef PVB_CONFORM_CONFORM_H
#define PVB_CONFORM_CONFORM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/ctx.h"

/*
 * What one run of one implementation on one case came to. The first two are
 * good outcomes; CF_UNSAFE is every bad outcome of a case that must fail
 * (its cause says which); CF_SKIPPED means the run could not be made;
 * CF_RUNNER_ERROR means the runner failed to make or judge it (its own
 * files, memory, processes): no outcome of the implementation at all.
 */
enum cf_class {
    CF_PASS = 0,       /* booted the expected kernel, ramdisk and args */
    CF_CLEAN_FAIL,     /* hostile case: refused with a clean non-zero exit */
    CF_WRONG_KERNEL,
    CF_WRONG_RAMDISK,
    CF_WRONG_ARGS,
    CF_NO_BOOT,        /* clean non-zero exit on a bootable case */
    CF_BAD_OUTPUT,     /* exit 0 but an output libxl could not use */
    CF_CRASH,          /* killed by a signal */
    CF_TIMEOUT,        /* past the wall-clock or CPU limit */
    CF_OVER_MEMORY,    /* past the address-space or file-size limit */
    CF_UNSAFE,         /* hostile case: anything but a clean failure */
    CF_BOOTED,         /* only as the cause of CF_UNSAFE: exit 0 where an error is expected */
    /* A real boot (tools/conform/boot.h) that came up is CF_PASS, named "booted". */
    CF_BOOT_WRONG_ARGS,  /* real boot: the guest reported another command line */
    CF_NOT_BOOTED,       /* real boot: nothing to boot, or no command line from the guest */
    CF_SKIPPED,
    CF_RUNNER_ERROR,     /* the runner could not complete or judge the run */
    CF_NCLASS
};

/* How a result counts, after the implementation's known divergences. */
enum cf_verdict {
    CF_OK = 0,   /* pass or clean-fail */
    CF_FAIL,     /* an unexpected failure */
    CF_KNOWN,    /* a failure the impl file lists, with its reason */
    CF_FIXED,    /* listed as a divergence but now passes: the list is stale */
    CF_SKIP,
    CF_ERROR,    /* a runner error: says nothing of the impl, fails the run */
    CF_NVERDICT
};

/* Every class that is a failure of the impl: what "*" in a divergence means. */
#define CF_FAILURE_CLASSES (((1u << CF_NCLASS) - 1) & ~(1u << CF_PASS) & ~(1u << CF_CLEAN_FAIL) & \
                            ~(1u << CF_SKIPPED) & ~(1u << CF_BOOTED) & ~(1u << CF_RUNNER_ERROR))
/* The failures of a real boot, a result of its own beside the case's. */
#define CF_BOOT_CLASSES ((1u << CF_BOOT_WRONG_ARGS) | (1u << CF_NOT_BOOTED))

const char *cf_class_name(enum cf_class k);
const char *cf_verdict_name(enum cf_verdict v);
/* "no-boot" -> CF_NO_BOOT; -1 when unknown. */
int cf_class_parse(const char *s, size_t n);

/* One corpus image and what the real bootloader boots from it (its .expect). */
struct cf_case {
    char *name;        /* "el7/bios-next-entry" */
    char *group;       /* "el7" */
    char *expect;      /* path of the .expect file */
    char *image;       /* path of the image, next to the .expect */
    char *format;      /* raw, qcow, qcow2, qcow2c, vhd */
    char *entry_arg;   /* pygrub --entry value, or NULL */
    char *error;       /* hostile case: the class of error expected, or NULL */
    char *title;       /* informative: the entry the bootloader picks */
    char *kernel;      /* informative: its path in the guest */
    char *args;        /* exact expected args ("" when none) */
    char *why;
    char kernel_sha[65];
    char ramdisk_sha[65];  /* "" when the entry has no ramdisk */
    char *raw;         /* a raw copy for impls that read only raw, or NULL */
    char *raw_error;   /* why there is no raw copy, or NULL */
    int raw_fault;     /* ... and it is the runner's fault (not the image's, not a missing qemu-img) */
    char *guest_append;   /* a boot case: what the harness passes with --args=, or NULL */
    char *guest_cmdline;  /* ... and the command line the booted guest must report */
};

/* A case glob whose failure of the listed classes is expected, and why. */
struct cf_diverge {
    char *glob;
    unsigned classes;  /* bit per enum cf_class; all failure bits for "*" */
    char *reason;
};

/* A pygrub-compatible program and how to run it (a tools/conform/impls file). */
struct cf_impl {
    char *name;
    char *file;        /* the impl file, or NULL for --impl NAME=COMMAND */
    char *command;     /* as written */
    char **argv;       /* command words, NULL-terminated; argv[0] resolved */
    char **env;        /* NAME=VALUE added to the environment, NULL-terminated */
    char *formats;     /* " raw qcow2 " (spaces around every name) */
    char *version_cmd; /* shell command printing the version, or NULL */
    char *version;     /* its first line once run, or "unknown" */
    double timeout;    /* seconds */
    unsigned long mem_mb;    /* RLIMIT_AS; 0 = unlimited */
    unsigned long fsize_mb;  /* RLIMIT_FSIZE; 0 = unlimited */
    struct cf_diverge *div;
    size_t ndiv;
    char *missing;     /* why the impl cannot run here, or NULL when it can */
    char *run_as;      /* run-as-user: NAME or UID as given, or NULL: the runner's user */
    char *user;        /* ... resolved: "NAME (UID)" (cf_impl_resolve_user) */
    uid_t uid;
    gid_t gid;
    unsigned long nproc;  /* processes one run may have at once (RLIMIT_NPROC, run as a user of its own) */
};

/* One implementation run on one case; for a real boot, the run of qemu after it. */
struct cf_result {
    size_t icase, iimpl;
    enum cf_class cls;
    enum cf_class cause;   /* for CF_UNSAFE: what happened; else cls */
    enum cf_verdict verdict;
    const struct cf_diverge *div;  /* the divergence that matched, or NULL */
    int exit_code;         /* -1 when killed or not run */
    int sig;               /* the signal that killed it, 0 when none */
    double seconds;        /* wall time of the implementation (of qemu for a real boot) */
    long maxrss_kb;        /* its peak resident set, -1 when unknown */
    long cpu_ms;           /* its user + system time, -1 when unknown */
    char *detail;          /* one line: what differed or what happened */
    char *stderr_tail;     /* last non-empty line of its stderr, or NULL */
    int left;              /* it left processes running when it exited (all killed): 1, 0,
                            * or -1 unknown (no cgroup or PID namespace to tell) */
    int done;
};

struct cf_contain;

/* Everything one pvconform run knows; owned by main. */
struct cf_run {
    struct pvb_ctx *c;
    const char *corpus;
    struct cf_case *cases;
    size_t ncases;
    struct cf_impl *impls;
    size_t nimpls;
    struct cf_result *results;  /* nimpls * ncases, impl-major */
    size_t nresults;
    /* Real boots (pvconform --boot): the cases with a guest_cmdline, and the
     * results of booting what each impl extracted from them. */
    size_t *boot_cases;         /* indices into cases */
    size_t nboot;
    struct cf_result *boots;    /* nimpls * nboot, impl-major; icase indexes cases */
    size_t nboots;
    const struct cf_impl *qemu; /* the qemu that boots them (its missing: why not) */
    double elapsed;
    double runner_cpu;     /* CPU seconds of pvconform and its reapers, not of the programs */
    long date;             /* time(NULL) at the start */
    const struct cf_contain *contain;  /* what the programs ran in (tools/conform/contain.h), or NULL */
    unsigned jobs;         /* programs run at once */
};

/* Duplicate a string through the context's accounted allocator; NULL on failure. */
char *cf_strdup(struct pvb_ctx *c, const char *s);
/* Same, printf-style. */
char *cf_printf(struct pvb_ctx *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif
