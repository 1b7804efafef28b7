/* The machine-readable results file (--json). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "boot.h"
#include "info.h"
#include "json.h"
#include "text.h"
#include "util/mem.h"

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
    fprintf(f, "{\n  \"pvconform\": 1,\n  \"date\": ");
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
    fprintf(f, "], \"timeout\": %g, \"mem_mb\": %lu, \"fsize_mb\": %lu, \"available\": %s, \"skip_reason\": ",
            im->timeout, im->mem_mb, im->fsize_mb, im->missing ? "false" : "true");
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
    fprintf(f, "}%s\n", last ? "" : ",");
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
    int bad;

    if (!f)
        return pvb_fail(c, PVB_EIO, "%s: %s", path, strerror(errno));
    write_header(f, run);
    fprintf(f, "  \"implementations\": [\n");
    for (i = 0; i < run->nimpls; i++)
        write_impl(f, run, i);
    fprintf(f, "  ],\n");
    write_boots(f, run);
    fprintf(f, "  \"results\": [\n");
    for (i = 0; i < run->nresults; i++)
        write_result(f, run, &run->results[i], cf_class_name, i + 1 == run->nresults);
    fprintf(f, "  ]\n}\n");
    bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return pvb_fail(c, PVB_EIO, "%s: write failed", path);
    return 0;
}
