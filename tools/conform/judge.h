/* SPDX-License-Identifier: GPL-2.0-only */
/* Judging one run: parse the simple0 record, hash what was extracted, classify. */
#ifndef PVB_CONFORM_JUDGE_H
#define PVB_CONFORM_JUDGE_H

#include "conform.h"
#include "proc.h"

/* What a run extracted, to boot it: the files' real paths (inside the output
 * directory) and the args, accounted strings; ramdisk and args NULL when absent. */
struct cf_extracted {
    char *kernel, *ramdisk, *args;
};

/* Where the run wrote and under which limits it ran. */
struct cf_outcome {
    const struct cf_proc *p;   /* finished */
    const char *outfile;       /* --output */
    const char *outdir;        /* --output-directory */
    const struct cf_limits *lim;
    struct cf_extracted *x;    /* NULL, or filled when the record names usable files */
};

/* libxl reads each simple0 item into a PATH_MAX*2 buffer and drops longer ones
 * (tools/libs/light/libxl_bootloader.c parse_bootloader_result). */
#define CF_ITEM_MAX 8191

/* The three items libxl takes from a simple0 record, pointing into its buffer. */
struct cf_record {
    const char *v[3];   /* kernel, ramdisk, args; NULL when absent */
    size_t n[3];
};

/* Split a simple0 record as libxl does (NUL-separated items, empty ones
 * skipped) but refuse what libxl would drop or warn about: *why NULL when
 * usable, else why not (an accounted string). Paths under outdir are shown
 * as OUTDIR. Returns 0, or PVB_ENOMEM when the reason could not be made
 * (then nothing is usable). */
int cf_judge_record(struct pvb_ctx *c, const char *buf, size_t len, const char *outdir,
                    struct cf_record *rec, char **why);

/*
 * Classify the run of impl on case k into r (cls, cause, detail, exit code,
 * signal, time, memory, stderr tail); the verdict is left to cf_judge_verdict.
 * What the runner could not find out (memory, I/O, the run failed before
 * the program ran) makes r a CF_RUNNER_ERROR (its detail, when it could be
 * made, says why), never a pass or a class that blames the program.
 * Returns 0.
 */
int cf_judge(struct pvb_ctx *c, const struct cf_case *k, const struct cf_outcome *o,
             struct cf_result *r);

void cf_extracted_free(struct pvb_ctx *c, struct cf_extracted *x);

/* Set r->verdict (and r->div) from the impl's known divergences. */
void cf_judge_verdict(const struct cf_impl *im, const struct cf_case *k, struct cf_result *r);

/* A value fit for one line of TAP, JSON or Markdown: at most 240 bytes,
 * control bytes as '?'; an accounted string (NULL when out of memory). */
char *cf_show(struct pvb_ctx *c, const char *s, size_t n);

/* The last non-empty line of what a program wrote (its tail), as cf_show
 * makes it; NULL when there is none. */
char *cf_last_line(struct pvb_ctx *c, const struct cf_capture *k);

/* SHA-256 of a file as 64 hex digits, and its size. Errors: PVB_EINVAL not
 * a regular file, PVB_ENOTFOUND no file a program could read there (absent,
 * a symlink loop, no permission), else PVB_EIO or PVB_ENOMEM: the reader's. */
int cf_hash_file(struct pvb_ctx *c, const char *path, char hex[65], unsigned long long *size);

#endif
