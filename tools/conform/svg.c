/* SPDX-License-Identifier: GPL-2.0-only */
/* The pass-rate chart of REPORT.md, as a self-contained SVG: one bar per implementation and group. */
#include <string.h>

#include "report.h"
#include "text.h"

#define BAR_W 460    /* 100% */
#define CHAR_W 8     /* a bold 12px sans-serif character, generously */
#define BAR_H 14
#define GAP 10       /* between groups */
#define TOP 58       /* title and legend */

/* Distinct in greyscale too, so the chart survives a black-and-white print;
 * every bar also carries its numbers as text. */
static const char *const fills[] = { "#1b4f72", "#b9770e", "#7d3c98", "#148f77", "#922b21", "#566573" };
#define NFILLS (sizeof(fills) / sizeof(fills[0]))

/* The left column fits the longest group name. */
static int label_width(const char **groups, size_t ngroups)
{
    size_t g, n = 8;

    for (g = 0; g < ngroups; g++)
        if (strlen(groups[g]) > n)
            n = strlen(groups[g]);
    return 20 + CHAR_W * (int)(n > 60 ? 60 : n);
}

static void legend(FILE *f, const struct cf_run *run, int label)
{
    size_t i;
    int x = label;

    for (i = 0; i < run->nimpls; i++) {
        fprintf(f, "<rect x=\"%d\" y=\"34\" width=\"12\" height=\"12\" fill=\"%s\"/>", x, fills[i % NFILLS]);
        fprintf(f, "<text x=\"%d\" y=\"44\">", x + 16);
        cf_xml(f, run->impls[i].name);
        fprintf(f, "</text>\n");
        x += 24 + 8 * (int)strlen(run->impls[i].name);
    }
}

static void bar(FILE *f, const struct cf_run *run, size_t impl, const char *group, int x, int y)
{
    struct cf_tally t;
    unsigned ran, pass;
    int w;

    cf_tally(run, impl, group, &t);
    ran = t.total - t.verdict[CF_SKIP] - t.verdict[CF_ERROR];  /* a runner error judged nothing */
    pass = cf_passed(&t);
    if (ran == 0) {
        fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"v\">not run</text>\n", x + 4, y + BAR_H - 3);
        return;
    }
    w = (int)((double)BAR_W * pass / ran + 0.5);
    fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#eeeeee\"/>", x, y,
            BAR_W, BAR_H);
    fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>", x, y, w, BAR_H,
            fills[impl % NFILLS]);
    fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"v\">%u/%u (%.0f%%)</text>\n", x + w + 4,
            y + BAR_H - 3, pass, ran, 100.0 * pass / ran);
}

void cf_svg_write(FILE *f, const struct cf_run *run, const char **groups, size_t ngroups)
{
    int gh = (int)run->nimpls * (BAR_H + 2) + GAP, label = label_width(groups, ngroups);
    int w = label + BAR_W + 130, h = TOP + (int)ngroups * gh + 30, y = TOP;
    size_t g, i;

    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
               "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n", w, h, w, h);
    fprintf(f, "<style>.v{fill:#333}.g{font-weight:bold}</style>\n");
    fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", w, h);
    fprintf(f, "<text x=\"10\" y=\"20\" font-size=\"15\" class=\"g\">Pass rate by case group</text>\n");
    legend(f, run, label);
    for (g = 0; g < ngroups; g++) {
        fprintf(f, "<text x=\"10\" y=\"%d\" class=\"g\">", y + BAR_H - 3);
        cf_xml(f, groups[g]);
        fprintf(f, "</text>\n");
        for (i = 0; i < run->nimpls; i++)
            bar(f, run, i, groups[g], label, y + (int)i * (BAR_H + 2));
        y += gh;
    }
    /* The 0%, 50% and 100% marks. */
    for (i = 0; i <= 2; i++) {
        int x = label + (int)i * BAR_W / 2;
        fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\" stroke-dasharray=\"2,3\"/>"
                   "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" class=\"v\">%d%%</text>\n",
                x, TOP - 4, x, y, x, y + 14, (int)i * 50);
    }
    fprintf(f, "</svg>\n");
}
