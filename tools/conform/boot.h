/* SPDX-License-Identifier: GPL-2.0-only */
/* Real boots: the qemu command that boots what an implementation extracted, and what the guest's console says. */
#ifndef PVB_CONFORM_BOOT_H
#define PVB_CONFORM_BOOT_H

#include <stddef.h>

#include "conform.h"
#include "judge.h"
#include "proc.h"

/* The line images/realboot/init prints: this, the bytes of /proc/cmdline, "]". */
#define CF_BOOT_MARKER "pvboot-realboot: cmdline=["
/* What Linux prints when it cannot go on (kernel/panic.c panic()): no
 * initramfs, no init, random bytes for a ramdisk. It then waits forever. */
#define CF_BOOT_PANIC "Kernel panic - not syncing: "
#define CF_BOOT_QEMU "qemu-system-x86_64"
/* A TCG boot of the corpus's kernel takes about 4 s on a busy 2-core machine. */
#define CF_BOOT_TIMEOUT 120.0
/* Guest RAM in MiB, as -m takes it: the cloud kernel and a 1 MiB initramfs fit. */
#define CF_BOOT_MEM "256"
/* Console bytes kept; a guest that writes more is killed (a boot writes ~30 KiB). */
#define CF_BOOT_CONSOLE (4u << 20)

enum cf_console_state {
    CF_CONSOLE_NOTHING,   /* neither the marker nor a panic yet */
    CF_CONSOLE_PARTIAL,   /* the marker, but its line has not ended */
    CF_CONSOLE_CMDLINE,   /* the marker line, ending in "]" */
    CF_CONSOLE_GARBLED,   /* the marker line, not ending in "]" */
    CF_CONSOLE_PANIC      /* a kernel panic before any marker */
};

/* What the console output says so far. */
struct cf_console {
    enum cf_console_state state;
    const char *text;   /* inside the buffer: the command line, the marker line, or the panic message */
    size_t len;
};

/* Read the guest's console output (len bytes, any bytes): the first marker
 * line wins over a panic, and a line ends at '\n' with any '\r' before it
 * dropped (the serial line discipline writes "\r\n"). */
void cf_boot_console(const char *buf, size_t len, struct cf_console *out);

/* 1 when the console has said all the judge needs: qemu may be stopped. */
int cf_boot_console_done(const struct cf_console *con);

/*
 * qemu's argv into v (cap entries, NULL-terminated): the qemu command words,
 * then a machine with nothing but a serial port on stdout that stops instead
 * of rebooting, the extracted kernel, ramdisk (when there is one) and args
 * exactly as extracted (none when absent). Returns the number of words, or 0
 * when they do not fit.
 */
size_t cf_boot_argv(char **v, size_t cap, char *const qemu[], const struct cf_extracted *x);

/* Classify a finished qemu run on boot case k into r: CF_PASS ("booted": the
 * expected command line), CF_BOOT_WRONG_ARGS, CF_NOT_BOOTED, CF_SKIPPED
 * when qemu itself could not run, or CF_RUNNER_ERROR when the runner failed
 * to start it or to judge it. Returns 0. */
int cf_boot_judge(struct pvb_ctx *c, const struct cf_case *k, const struct cf_proc *q,
                  double timeout, struct cf_result *r);

/* The implementation gave nothing to boot (its run on the case is ext):
 * CF_NOT_BOOTED with what it did, or CF_SKIPPED or CF_RUNNER_ERROR as ext
 * was. The stderr tail moves from ext to r. Returns 0. */
int cf_boot_nothing(struct pvb_ctx *c, struct cf_result *ext, struct cf_result *r);

/* r->verdict and r->div from the impl's divergences with boot classes. */
void cf_boot_verdict(const struct cf_impl *im, const struct cf_case *k, struct cf_result *r);

/* The class of a real boot as the JSON and REPORT.md name them: "booted" for CF_PASS. */
const char *cf_boot_class_name(enum cf_class k);

#endif
