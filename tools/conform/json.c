/* SPDX-License-Identifier: GPL-2.0-only */
/* The machine-readable results file (--json). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "boot.h"
#include "contain.h"
#include "info.h"
#include "json.h"
#include "run.h"
#include "text.h"
#include "util/mem.h"
#include "util/version.h"

static void write_header(FILE *f, const struct cf_run *run)
{
    char sys[256], cpu[256], date[64];
    const char **groups = NULL;
    size_t ngroups = 0, i, hostile = 0;

    cf_info_system(sys, sizeof(sys));
    cf_info_cpu(cpu, sizeof(cpu));
    cf_info_date(run->date, 1, date, sizeof(date));
    for (i = 0; i < run->ncases; i++)
        hostile += run->cases[i].error != NULL;
    if (cf_groups(run, &groups, &ngroups) != 0)
        ngroups = 0;
    pvb_free(run->c, groups);
    fprintf(f, "{\n  \"pvconform\": 1,\n  \"pvconform_version\": ");
    cf_json_str(f, pvb_version());
    fprintf(f, ",\n  \"date\": ");
    cf_json_str(f, date);
    fprintf(f, ",\n  \"machine\": {\"system\": ");
    cf_json_str(f, sys);
    fprintf(f, ", \"cpu\": ");
    cf_json_str(f, cpu);
    fprintf(f, ", \"cpus\": %u},\n  \"corpus\": {\"dir\": ", cf_info_ncpu());
    cf_json_str(f, run->corpus);
    fprintf(f, ", \"cases\": %zu, \"groups\": %zu, \"hostile\": %zu},\n", run->ncases, ngroups, hostile);
    fprintf(f, "  \"elapsed_seconds\": %.3f,\n  \"runner_cpu_seconds\": %.3f,\n", run->elapsed,
            run->runner_cpu);
}

static size_t count_class(const struct cf_result *v, size_t n, enum cf_class k)
{
    size_t i, m = 0;

    for (i = 0; i < n; i++)
        m += v[i].cls == k;
    return m;
}

/* What the programs ran in: every one in a session of its own; a cgroup and
 * a PID namespace each when they are true; why not, when asked for and not. */
static void write_containment(FILE *f, const struct cf_run *run)
{
    const struct cf_contain *b = run->contain;
    char line[CF_CONTAIN_WHY + 256];

    fprintf(f, "  \"containment\": {\"session\": true, \"cgroup\": ");
    cf_json_str_or_null(f, b && (b->have & CF_CONTAIN_CGROUP) ? b->box : NULL);
    fprintf(f, ", \"cgroup_kill\": ");
    cf_json_str_or_null(f, !b || !(b->have & CF_CONTAIN_CGROUP) ? NULL
                           : b->kill_file ? "cgroup.kill" : "cgroup.procs");
    fprintf(f, ", \"pid_namespace\": %s, \"runner_is_root\": %s,\n    \"asked\": \"%s\", \"not_in_effect\": ",
            b && (b->have & CF_CONTAIN_PIDNS) ? "true" : "false", b && b->root ? "true" : "false",
            !b || !b->want ? "session"
            : (b->want & CF_CONTAIN_AUTO) ? "auto: a cgroup, else a PID namespace"
            : (b->want & CF_CONTAIN_ALL) == CF_CONTAIN_ALL ? "cgroup,pidns"
            : (b->want & CF_CONTAIN_CGROUP) ? "cgroup" : "pidns");
    cf_json_str_or_null(f, b && b->why[0] ? b->why : NULL);
    if (b)
        cf_contain_describe(b, line, sizeof(line));
    else
        snprintf(line, sizeof(line), "own session");
    fprintf(f, ", \"summary\": ");
    cf_json_str(f, line);
    fprintf(f, "},\n  \"runner_errors\": %zu,\n",
            count_class(run->results, run->nresults, CF_RUNNER_ERROR) +
            count_class(run->boots, run->nboots, CF_RUNNER_ERROR));
}

static void write_impl(FILE *f, const struct cf_run *run, size_t i)
{
    const struct cf_impl *im = &run->impls[i];
    const char *p = im->formats;
    struct cf_tally t;
    int k, first = 1;

    cf_tally(run, i, NULL, &t);
    fprintf(f, "    {\"name\": ");
    cf_json_str(f, im->name);
    fprintf(f, ", \"file\": ");
    cf_json_str_or_null(f, im->file);
    fprintf(f, ", \"command\": ");
    cf_json_str(f, im->command);
    fprintf(f, ", \"version\": ");
    cf_json_str_or_null(f, im->version);
    fprintf(f, ",\n     \"formats\": [");
    while (*p) {
        size_t n;
        p += strspn(p, " ");
        if (!(n = strcspn(p, " ")))
            break;
        fprintf(f, "%s\"%.*s\"", first ? "" : ", ", (int)n, p);
        first = 0;
        p += n;
    }
    fprintf(f, "], \"timeout\": %g, \"mem_mb\": %lu, \"fsize_mb\": %lu, \"run_as_user\": ",
            im->timeout, im->mem_mb, im->fsize_mb);
    cf_json_str_or_null(f, im->user);
    /* RLIMIT_NPROC as set (0: not set: root, or the runner's own uid). */
    fprintf(f, ", \"nproc\": %lu, \"rlimit_nproc\": %lu,\n     \"available\": %s, \"skip_reason\": ",
            im->nproc, cf_run_nproc(im, run->jobs), im->missing ? "false" : "true");
    cf_json_str_or_null(f, im->missing);
    fprintf(f, ",\n     \"counts\": {\"passed\": %u, \"failed\": %u", cf_passed(&t), cf_failed(&t));
    for (k = 0; k < CF_NVERDICT; k++)
        fprintf(f, ", \"%s\": %u", cf_verdict_name((enum cf_verdict)k), t.verdict[k]);
    for (k = 0; k < CF_NCLASS; k++)
        if (t.cls[k])
            fprintf(f, ", \"%s\": %u", cf_class_name((enum cf_class)k), t.cls[k]);
    cf_tally_boots(run, i, NULL, &t);
    fprintf(f, "},\n     \"boot_counts\": {\"booted\": %u, \"failed\": %u", cf_passed(&t), cf_failed(&t));
    for (k = 0; k < CF_NVERDICT; k++)
        fprintf(f, ", \"%s\": %u", cf_verdict_name((enum cf_verdict)k), t.verdict[k]);
    fprintf(f, "}}%s\n", i + 1 < run->nimpls ? "," : "");
}

static void write_result(FILE *f, const struct cf_run *run, const struct cf_result *r,
                         const char *(*name)(enum cf_class), int last)
{
    fprintf(f, "    {\"impl\": ");
    cf_json_str(f, run->impls[r->iimpl].name);
    fprintf(f, ", \"case\": ");
    cf_json_str(f, run->cases[r->icase].name);
    fprintf(f, ", \"group\": ");
    cf_json_str(f, run->cases[r->icase].group);
    fprintf(f, ", \"class\": \"%s\", \"cause\": \"%s\", \"verdict\": \"%s\",\n     ",
            name(r->cls), r->cause == r->cls ? name(r->cls) : cf_class_name(r->cause),
            cf_verdict_name(r->verdict));
    if (r->exit_code >= 0)
        fprintf(f, "\"exit\": %d, ", r->exit_code);
    else
        fprintf(f, "\"exit\": null, ");
    fprintf(f, "\"signal\": %d, \"seconds\": %.3f, \"cpu_ms\": %ld, \"maxrss_kb\": %ld, \"detail\": ",
            r->sig, r->seconds, r->cpu_ms, r->maxrss_kb);
    cf_json_str_or_null(f, r->detail);
    fprintf(f, ",\n     \"stderr\": ");
    cf_json_str_or_null(f, r->stderr_tail);
    fprintf(f, ", \"divergence\": ");
    cf_json_str_or_null(f, r->div ? r->div->reason : NULL);
    fprintf(f, ", \"left_running\": %s}%s\n", r->left < 0 ? "null" : r->left ? "true" : "false",
            last ? "" : ",");
}

/* The real boots: qemu, then one result per impl and boot case (class
 * booted, booted-wrong-args or did-not-boot; seconds are qemu's). */
static void write_boots(FILE *f, const struct cf_run *run)
{
    size_t i;

    fprintf(f, "  \"qemu\": ");
    if (run->qemu) {
        fprintf(f, "{\"command\": ");
        cf_json_str(f, run->qemu->command);
        fprintf(f, ", \"version\": ");
        cf_json_str_or_null(f, run->qemu->version);
        fprintf(f, ", \"timeout\": %g, \"mem_mb\": %s, \"available\": %s, \"skip_reason\": ",
                run->qemu->timeout, CF_BOOT_MEM, run->qemu->missing ? "false" : "true");
        cf_json_str_or_null(f, run->qemu->missing);
        fprintf(f, "},\n");
    } else {
        fprintf(f, "null,\n");
    }
    fprintf(f, "  \"boots\": [\n");
    for (i = 0; i < run->nboots; i++)
        write_result(f, run, &run->boots[i], cf_boot_class_name, i + 1 == run->nboots);
    fprintf(f, "  ],\n");
}

int cf_json_write(struct pvb_ctx *c, const struct cf_run *run, const char *path)
{
    FILE *f = fopen(path, "w");
    size_t i;

    if (!f)
        return pvb_fail(c, PVB_EIO, "%s: %s", path, strerror(errno));
    write_header(f, run);
    write_containment(f, run);
    fprintf(f, "  \"implementations\": [\n");
    for (i = 0; i < run->nimpls; i++)
        write_impl(f, run, i);
    fprintf(f, "  ],\n");
    write_boots(f, run);
    fprintf(f, "  \"results\": [\n");
    for (i = 0; i < run->nresults; i++)
        write_result(f, run, &run->results[i], cf_class_name, i + 1 == run->nresults);
    fprintf(f, "  ]\n}\n");
    return cf_close_checked(c, f, path);
}
