/* SPDX-License-Identifier: GPL-2.0-only */
/* pvbench's model: cases, participants, samples and figures, and what each of its files provides. */
#ifndef PVB_BENCH_BENCH_H
#define PVB_BENCH_BENCH_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "conform/conform.h"
#include "conform/proc.h"

struct pvb_disk;

/*
 * pvbench measures three things on one machine in one run:
 *  - whole processes (whole.c): every implementation (pvconform's impl files)
 *    on every case, N alternating runs after a judged warm-up, next to a
 *    copy-floor process that copies the same bytes out of the same image;
 *  - libpvboot in-process (inproc.c, cfgbench.c): the time per layer, the
 *    extraction throughput next to a pread and a memcpy floor, and config
 *    parse+evaluate throughput next to a bare pass over the same bytes;
 *  - instructions per case (instr.c), which compare across machines.
 * Every sample of a figure is taken alternately with its floor and its
 * reference, so a ratio is computed pair by pair (both saw the same load).
 */

#define BN_CHUNK ((size_t)1 << 20)  /* pvboot and pygrub copy 1 MiB at a time */
#define BN_KIB 1024.0
#define BN_MIB (1024.0 * 1024.0)

/* Size classes of the targets: payloads under 1 MiB, realistic (8 MiB kernel, 24+ MiB initrd). */
enum bn_size { BN_SIZE_UNKNOWN = 0, BN_SIZE_SMALL, BN_SIZE_MEDIUM, BN_SIZE_REALISTIC, BN_NSIZE };
#define BN_SMALL_BYTES ((uint64_t)1 << 20)
#define BN_REAL_KERNEL ((uint64_t)8 << 20)
#define BN_REAL_RAMDISK ((uint64_t)24 << 20)

const char *bn_size_name(enum bn_size s);
enum bn_size bn_size_of(uint64_t ksize, uint64_t rsize);

#define BN_MAX_SAMPLES 1000  /* rounds and repetitions */

/* Median, minimum and maximum of the samples that were taken (n of them). */
struct bn_stat {
    double med, min, max;
    unsigned n;
};

/* Samples are kept by round; a round without one holds a negative value. */
void bn_stat_of(const double *v, size_t n, struct bn_stat *out);
/* The median of n values (no missing ones); 0 when n is 0. Sorts v. */
double bn_median(double *v, size_t n);
/* The median of the samples taken, or -1 when none was. */
double bn_med(const double *v, size_t n);

/* Byte ranges of the image file, in the order they were read, adjacent ones merged. */
struct bn_range {
    uint64_t off, len;
};
struct bn_ranges {
    struct bn_range *v;
    size_t n, cap;
};

/* One case, and what libpvboot decides on it (the sizes the floors copy). */
struct bn_case {
    struct cf_case k;       /* k.expect NULL: a bare image, nothing to judge against */
    int info_rc;            /* pvb_boot_decide's result */
    char *info_msg;         /* its message when it failed */
    char disk_format[16];   /* as libpvboot detected it */
    char fs[32];            /* the deciding volume's filesystem ("ext4", "xfs v5") */
    char cfg_format[16];
    uint64_t vol_offset;    /* byte offset of the deciding volume in the virtual disk */
    uint64_t ksize, rsize;  /* kernel and ramdisk bytes as the bootloader loads them */
    size_t cfg_bytes;
    enum bn_size size;
    struct bn_ranges reads;  /* what extraction reads from the image file: the floors read it too */
};

/* How a participant fared on a case in the whole-process runs. */
enum bn_state {
    BN_NOT_RUN = 0,  /* --no-whole, or the case has no floor */
    BN_MISSING,      /* the implementation is not installed */
    BN_NA,           /* it does not read the image's format */
    BN_FAILED,       /* its judged warm-up run did not pass: not timed */
    BN_TIMED
};

/* One participant (an implementation, or the copy floor) on one case. */
struct bn_run {
    enum bn_state state;
    enum cf_class cls;      /* of the judged warm-up run */
    enum cf_verdict verdict;
    char *detail;           /* why it failed */
    unsigned nbad;          /* timed runs that ended otherwise than the judged one */
    double *wall, *user, *sys, *rss_kb;  /* seconds and KiB, by round */
    double *ratio;          /* wall / the reference's wall in the same round */
    double *floor_ratio;    /* wall / the copy floor's wall in the same round */
    double instr;           /* user-space instructions of one run, < 0 unknown */
};

/* In-process figures of one case: seconds per call, by repetition. */
enum bn_fig {
    BN_PROBE,     /* open the image: format detection, headers, tables */
    BN_SCAN,      /* read the partition table */
    BN_MOUNT,     /* mount every volume pygrub's order tries up to the deciding one */
    BN_CONFIG,    /* read the config from the volume and evaluate it */
    BN_EXTRACT,   /* stream kernel and initrds out (to a sink that drops them) */
    BN_TOTAL,     /* open + decide + extract + close, as pvboot does it */
    BN_PREAD,     /* floor: pread of the same bytes from the image file */
    BN_MEMCPY,    /* floor: memcpy of the same bytes */
    BN_CFGSCAN,   /* floor: a bare pass over the config's bytes */
    BN_NFIG
};

const char *bn_fig_name(enum bn_fig f);

struct bn_inproc {
    int done;
    char *err;              /* why the case has no figures */
    double *t[BN_NFIG];
    size_t mem_peak;        /* accounted bytes at the peak of one whole boot */
};

/* Parse+evaluate of a generated large config, next to a bare pass over it. */
struct bn_cfgfig {
    const char *format;     /* "grub2", ... */
    size_t bytes;
    unsigned entries;
    int rc;                 /* pvb_cfg_eval's result */
    double *t, *floor;      /* seconds per pass, by repetition */
};
#define BN_NCFG 4

struct bn_opts {
    unsigned runs, warmup, reps;
    double min_batch;       /* seconds an in-process batch lasts at least */
    size_t config_bytes;    /* size of the generated configs */
    int whole, inproc, configs;
    const char *instr;      /* NULL, "auto", "perf" or "callgrind" */
    const char *ref, *peer, *p4;  /* names the targets compare */
    const char *self;       /* this program, for the copy-floor process */
    const char *json, *report;
    int quiet;
    unsigned contain;       /* CF_CONTAIN_* asked for (tools/conform/contain.h) */
};

/* Everything one run knows; owned by main. */
struct bn_bench {
    struct pvb_ctx *c;
    const struct bn_opts *o;
    struct bn_case *cases;
    size_t ncases;
    struct cf_impl *impls;
    size_t nimpls;
    int ref;                /* index of o->ref among impls, or -1 */
    struct bn_run *runs;    /* ncases * (nimpls + 1); participant nimpls is the copy floor */
    struct bn_inproc *inproc;  /* ncases */
    struct bn_cfgfig cfg[BN_NCFG];
    unsigned ncfg;
    const char *instr_tool; /* "perf", "callgrind", or NULL */
    char system[128], cpu[128], date[32], compiler[64];
    unsigned ncpu, bits;
    char load_start[64], load_end[64];
    double elapsed;
    volatile sig_atomic_t *stop;  /* set by SIGINT/SIGTERM: finish the run in progress, then stop */
    struct cf_contain *contain;   /* what every program runs in, probed by main */
};

#define BN_RUN(b, icase, p) (&(b)->runs[(icase) * ((b)->nimpls + 1) + (p)])
#define BN_FLOOR(b) ((b)->nimpls)

/* trace.c: an image opened so that the byte ranges read from its file can be recorded. */
int bn_trace_open(struct pvb_ctx *c, const char *path, struct pvb_disk **out, struct pvb_disk **tracer);
/* Record the reads from now on into r (appended); NULL stops. */
void bn_trace_record(struct pvb_disk *tracer, struct bn_ranges *r);

/* cases.c: what libpvboot decides on each case (sizes, formats, offsets). */
int bn_cases_info(struct bn_bench *b);
/* A case for an image given by name (no .expect: nothing to judge). */
int bn_case_bare(struct pvb_ctx *c, const char *path, struct cf_case *k);

/* job.c: the files and argv of one whole-process run. */
#define BN_MAX_ARGS 96
struct bn_job {
    char *root, *outfile, *outdir, *floorfile, *rangesfile;
    char *own[3];            /* argv strings of the current run */
    char *argv[BN_MAX_ARGS];
    struct cf_limits lim;
    double slow;             /* > 1: under perf or valgrind: timeouts this much longer, no RLIMIT_AS */
    int given;               /* its files belong to an implementation's user (run-as-user) */
};
int bn_job_init(struct pvb_ctx *c, struct bn_job *j);
void bn_job_free(struct pvb_ctx *c, struct bn_job *j);
/* Run participant p on case icase (after an optional prefix: perf, valgrind)
 * with empty output files; *pr is the caller's to cf_proc_free. */
int bn_job_run(const struct bn_bench *b, struct bn_job *j, size_t icase, size_t p,
               char *const *prefix, struct cf_proc *pr);

/* whole.c: the whole-process runs. */
int bn_whole_run(struct bn_bench *b);
/* Each participant's ratios to the reference and to the floor, round by round. */
void bn_whole_ratios(struct bn_bench *b, size_t icase);
/* floors.c: the copy-floor process (pvbench --copy-floor), and the in-process floors. */
int bn_copy_floor_main(int argc, char **argv);
/* The bytes of every range together. */
uint64_t bn_ranges_bytes(const struct bn_ranges *r);
/* pread every range of r into buf (BN_CHUNK bytes) in order. */
int bn_floor_pread(int fd, uint8_t *buf, const struct bn_ranges *r);
void bn_floor_memcpy(uint8_t *dst, const uint8_t *src, uint64_t len);
/* An extraction sink that drops the bytes (pvb_sink_fn). */
int bn_sink_drop(void *arg, const void *buf, size_t len);
size_t bn_floor_scan(const char *buf, size_t len);
/* batch.c: the clock and timed batches. */
/* A context for in-process figures: one call of a figure is one run, but a batch makes
 * thousands in the same context, so the per-run budgets and deadline are lifted (the
 * charging itself is still done, and timed). */
void bn_ctx_init(struct pvb_ctx *c);
double bn_now(void);
struct bn_batch {
    int (*fn)(void *arg);   /* one call of the work measured; non-zero stops */
    void *arg;
    unsigned count;         /* calls per batch */
};
/* Find the count that makes one batch last at least min seconds. */
int bn_batch_calibrate(struct bn_batch *bt, double min);
/* Time one batch: seconds per call in *t. */
int bn_batch_time(struct bn_batch *bt, double *t);
/* inproc.c: the per-layer split and extraction throughput. */
int bn_inproc_run(struct bn_bench *b);
/* cfgbench.c: generated configs, and their parse+evaluate throughput. */
char *bn_gencfg(struct pvb_ctx *c, const char *format, size_t target, size_t *len, unsigned *entries);
int bn_cfg_run(struct bn_bench *b);
/* instr.c: instructions per case. */
int bn_instr_run(struct bn_bench *b);
/* The count a tool ("perf" or "callgrind") printed on stderr, or -1. */
double bn_instr_parse(const char *tool, const char *err);
/* emulated.c: 1 when path would run under a binfmt_misc emulator (why says which), else 0. */
int bn_emulated(const char *path, char *why, size_t n);

/* machine.c: the machine, compiler and load a run describes. */
void bn_machine(struct bn_bench *b);
void bn_loadavg(char *buf, size_t n);

/* summary.c: figures over many cases (medians of the cases' medians). */
struct bn_sum {
    struct bn_stat wall, user, sys;   /* seconds */
    struct bn_stat ratio;             /* to the reference, pair by pair */
    struct bn_stat floor_ratio;       /* to the copy floor, pair by pair */
    struct bn_stat instr;
    double rss_max;                   /* KiB, the largest of every timed run; -1 none */
};
/* Participant p over the cases of one size class (BN_SIZE_UNKNOWN: all) that
 * it booted (pass) and timed. */
void bn_summary(const struct bn_bench *b, enum bn_size size, size_t p, struct bn_sum *s);
/* In-process: per case the median over repetitions of t[num] / t[den]
 * (den BN_NFIG: of t[num]); over the cases of a class. */
void bn_inproc_ratio(const struct bn_bench *b, enum bn_size size, enum bn_fig num, enum bn_fig den,
                     struct bn_stat *s);
/* The cases' own configs of one format: medians over the cases. */
struct bn_cfgsum {
    unsigned n;
    double bytes, seconds, mbs;   /* -1 when n is 0 */
    double floor_mbs;             /* of the bare pass over the same bytes */
    double ratio;                 /* read+evaluate time / bare pass time, pair by pair */
};
void bn_cfg_typical(const struct bn_bench *b, const char *format, struct bn_cfgsum *s);
extern const char *const bn_cfg_formats[BN_NCFG];

/* targets.c: the speed targets (doc/bench.md, Targets), measured. */
enum bn_target { BN_T_FLOOR, BN_T_PEER, BN_T_EXTRACT, BN_T_GRUB2, BN_T_RSS, BN_T_P4, BN_NTARGET };
struct bn_target_result {
    const char *name;       /* what is measured */
    const char *goal;       /* as doc/bench.md states it */
    int measured;           /* 0: not measured (why says why) */
    int met;
    double value;
    char text[512];          /* the figure with its unit, and what it is a median of */
};
void bn_targets(const struct bn_bench *b, struct bn_target_result out[BN_NTARGET]);

/* fmt.c: figures as short text ("-" for a missing one); each returns buf. */
const char *bn_fmt_ms(char *buf, size_t n, double seconds);   /* milliseconds */
const char *bn_fmt_us(char *buf, size_t n, double seconds);   /* microseconds */
const char *bn_fmt_bytes(char *buf, size_t n, double bytes);  /* 412K, 68.0M */
const char *bn_fmt_x(char *buf, size_t n, double ratio);      /* x1.21 */
const char *bn_fmt_mbs(char *buf, size_t n, double bytes, double seconds);  /* MB/s (10^6) */

/* Output: table.c (terminal), json.c, report.c (Markdown + SVG). */
void bn_table_write(const struct bn_bench *b);
int bn_json_write(const struct bn_bench *b, const char *path);
int bn_report_write(const struct bn_bench *b, const char *path);

/* The name of participant p (an impl, or "copy-floor"). */
const char *bn_name(const struct bn_bench *b, size_t p);

#endif
