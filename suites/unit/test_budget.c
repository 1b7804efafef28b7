/* SPDX-License-Identifier: GPL-2.0-only */
/* The run's budgets and deadline against each pathological shape a hostile guest can build. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boot/boot.h"
#include "cfgmem.h"
#include "disk/format.h"
#include "extbuild.h"
#include "imgbuild.h"
#include "imgfmt.h"
#include "testlib.h"
#include "util/budget.h"
#include "util/bytes.h"
#include "util/mem.h"

/*
 * Each shape once cost minutes to hours of dom0 CPU. Each test builds it in
 * memory with a budget far tighter than the default (so the test is quick),
 * and asserts the run ends with PVB_ELIMIT naming that budget. The CPU time
 * each took is printed, not asserted (a benchmark figure, not a test).
 */

static clock_t t0;

static void start(void)
{
    t0 = clock();
}

static void report(const char *shape, const struct pvb_ctx *c)
{
    print_message("# %s: %.1f ms CPU; steps %llu, read %llu, inflated %llu, scanned %llu, "
                  "config %llu: %s\n", shape, (double)(clock() - t0) * 1000.0 / CLOCKS_PER_SEC,
                  (unsigned long long)c->used[PVB_BUDGET_STEPS],
                  (unsigned long long)c->used[PVB_BUDGET_READ],
                  (unsigned long long)c->used[PVB_BUDGET_INFLATE],
                  (unsigned long long)c->used[PVB_BUDGET_SCAN],
                  (unsigned long long)c->used[PVB_BUDGET_CONFIG], c->msg);
}

/* ---- the budget itself ------------------------------------------------------------ */

static void test_charge(void **state)
{
    struct pvb_ctx c;

    (void)state;
    pvb_ctx_init(&c);
    c.lim.max_read = 100;
    assert_int_equal(pvb_charge(&c, PVB_BUDGET_READ, 60), 0);
    assert_int_equal(pvb_charge(&c, PVB_BUDGET_READ, 40), 0);
    assert_int_equal(pvb_charge(&c, PVB_BUDGET_READ, 1), PVB_ELIMIT);
    assert_msg_has(&c, "read budget");
    assert_int_equal(pvb_charge(&c, PVB_BUDGET_READ, UINT64_MAX), PVB_ELIMIT);
    assert_int_equal(c.used[PVB_BUDGET_READ], 100);
    assert_int_equal(pvb_charge(&c, PVB_BUDGET_SCAN, 1000), 0);   /* budgets are separate */
    pvb_budget_start(&c);
    assert_int_equal(pvb_charge(&c, PVB_BUDGET_READ, 100), 0);   /* a new run */
    assert_string_equal(pvb_budget_name(PVB_BUDGET_INFLATE), "inflate");
    assert_int_equal(pvb_budget_max(&c, PVB_BUDGET_CONFIG), c.lim.max_config_read);
}

/* The deadline: a loop that charges only steps, with steps to spare, ends on time. */
static void test_deadline(void **state)
{
    struct cfgmem m;
    struct pvb_menu *menu = NULL;
    struct pvb_ctx c;

    (void)state;
    pvb_ctx_init(&c);
    c.lim.max_steps = UINT64_MAX;
    c.lim.max_seconds = 1;
    cfgmem_init(&m);
    start();
    assert_int_equal(cfgmem_eval(&c, &m, &pvb_engine_grub2, "/boot/grub/grub.cfg",
                                 "while true; do true; done\n", &menu), PVB_ELIMIT);
    report("endless loop, 1 s deadline", &c);
    assert_msg_has(&c, "deadline");
    assert_null(menu);
    assert_int_equal(c.mem_used, 0);
}

/* ---- config engines ------------------------------------------------------------------ */

/* 30,000 functions, then an unknown command in a loop: each command is one probe of
 * the function table now, and the loop ends with the step budget. */
static void test_many_functions(void **state)
{
    size_t cap = 30000 * 32 + 64, n = 0;
    char *cfg = malloc(cap);
    struct cfgmem m;
    struct pvb_menu *menu = NULL;
    struct pvb_ctx c;
    unsigned i;

    (void)state;
    assert_non_null(cfg);
    for (i = 0; i < 30000; i++)
        n += (size_t)snprintf(cfg + n, cap - n, "function f%u { true; }\n", i);
    snprintf(cfg + n, cap - n, "while true; do nosuchcommand; done\n");
    pvb_ctx_init(&c);
    c.lim.max_steps = 200000;
    cfgmem_init(&m);
    start();
    assert_int_equal(cfgmem_eval(&c, &m, &pvb_engine_grub2, "/boot/grub/grub.cfg", cfg, &menu),
                     PVB_ELIMIT);
    report("30,000 functions, unknown command in a loop", &c);
    assert_msg_has(&c, "step budget");
    free(cfg);
}

/* script over m's files with a 4 MiB config read budget: it must end with that budget. */
static void config_loop(const char *shape, struct cfgmem *m, const char *script)
{
    struct pvb_menu *menu = NULL;
    struct pvb_ctx c;

    pvb_ctx_init(&c);
    c.lim.max_config_read = (size_t)4 << 20;
    start();
    assert_int_equal(cfgmem_eval(&c, m, &pvb_engine_grub2, "/boot/grub/grub.cfg", script, &menu),
                     PVB_ELIMIT);
    report(shape, &c);
    assert_msg_has(&c, "config read budget");
    assert_null(menu);
    assert_int_equal(c.mem_used, 0);
}

/* blscfg in a loop over big entries, and load_env of a big block in a loop: every byte
 * of config read is charged, so each loop ends with the config read budget. */
static void test_config_reading_loops(void **state)
{
    static char entry[8][65536];
    static char env[65536];
    char path[8][64];
    struct cfgmem m;
    unsigned i;

    (void)state;
    cfgmem_init(&m);
    for (i = 0; i < 8; i++) {
        snprintf(path[i], sizeof(path[i]), "/boot/loader/entries/e%u.conf", i);
        memset(entry[i], '#', sizeof(entry[i]) - 1);
        memcpy(entry[i], "title t\nlinux /k\n", 17);
        cfgmem_add(&m, path[i], entry[i]);
    }
    config_loop("blscfg in a loop over 8 entries of 64 KiB", &m, "while true; do blscfg; done\n");
    cfgmem_init(&m);
    memset(env, '#', sizeof(env) - 1);
    memcpy(env, "# GRUB Environment Block\nsaved_entry=x\n", 39);
    cfgmem_add(&m, "/boot/grub/grubenv", env);
    config_loop("load_env of a 64 KiB block in a loop", &m, "while true; do load_env; done\n");
}

/* ---- filesystems ----------------------------------------------------------------------- */

#define BIG_ENTRIES 2000u

/*
 * An ext filesystem whose /big directory holds BIG_ENTRIES names and then "zz" (a
 * directory: /boot), symlinks /s0 .. /s7 each "big/zz/../" repeated to the path limit
 * and then the next one, and /boot/grub/grub.cfg holding cfg.
 */
static void big_dir_fs(struct eb *e, const char *cfg)
{
    size_t bs = 4096, len = 0, pos, need;
    uint8_t *blocks = calloc(1, 16 * bs), *in;
    char name[32], target[4096];
    uint32_t boot, grub, file, big;
    unsigned i, k;

    assert_non_null(blocks);
    eb_new(e, 2, 256, 512, 64, EB_IN_FILETYPE | EB_IN_EXTENTS, 0);
    boot = eb_mkdir(e, 2, "boot", EB_EXTENTS);
    grub = eb_mkdir(e, boot, "grub", EB_EXTENTS);
    eb_file(e, grub, "grub.cfg", cfg, strlen(cfg), EB_EXTENTS);
    file = eb_file(e, boot, "vmlinuz", "kernel", 6, EB_EXTENTS);
    /* Directory blocks: each entry's rec_len reaches the next; a block's last, its end. */
    for (i = 0, pos = 0; i <= BIG_ENTRIES; i++) {
        size_t nl;
        if (i < BIG_ENTRIES)
            nl = (size_t)snprintf(name, sizeof(name), "name-%05u", i);
        else
            nl = (size_t)snprintf(name, sizeof(name), "zz");
        need = (8 + nl + 3) & ~(size_t)3;
        if (pos % bs + need > bs) {
            pvb_put_le16(blocks + len + 4, (uint16_t)(pos - len + bs - pos % bs));
            pos += bs - pos % bs;
        }
        len = pos;
        pvb_put_le32(blocks + pos, i < BIG_ENTRIES ? file : boot);
        pvb_put_le16(blocks + pos + 4, (uint16_t)need);
        blocks[pos + 6] = (uint8_t)nl;
        blocks[pos + 7] = i < BIG_ENTRIES ? 1 : 2;
        memcpy(blocks + pos + 8, name, nl);
        pos += need;
    }
    pvb_put_le16(blocks + len + 4, (uint16_t)(bs - len % bs));
    pos += bs - pos % bs;
    /* A regular file made a directory: lookups go by the inode's mode. */
    big = eb_file(e, 2, "big", blocks, pos, EB_EXTENTS);
    in = eb_inode(e, big);
    pvb_put_le16(in, 040755);
    for (k = 0; k < 8; k++) {
        size_t n = 0;
        n += (size_t)snprintf(target + n, sizeof(target) - n, "big");
        while (n + 6 + 16 < 4000)
            n += (size_t)snprintf(target + n, sizeof(target) - n, "/zz/..");
        snprintf(target + n, sizeof(target) - n, "/../%s", k < 7 ? "" : "boot/vmlinuz");
        if (k < 7) {
            char next[8];
            snprintf(next, sizeof(next), "s%u", k + 1);
            strcat(target, next);
        }
        snprintf(name, sizeof(name), "s%u", k);
        eb_symlink(e, 2, name, target, EB_EXTENTS);
    }
    eb_finish(e);
    free(blocks);
}

struct vol {
    struct pvb_ctx c;
    struct eb e;
    uint8_t *img;
    size_t size;
    struct pvb_disk *d;
};

/* The big-directory filesystem alone on a disk (no table), or as nparts GPT partitions
 * that all point at the same sectors. */
static void vol_open(struct vol *v, const char *cfg, unsigned nparts)
{
    struct ib_gpt_part *parts;
    unsigned i;

    pvb_ctx_init(&v->c);
    big_dir_fs(&v->e, cfg);
    if (!nparts) {
        v->img = v->e.img;
        v->size = v->e.size;
        v->e.img = NULL;
    } else {
        v->size = 2048 * 512 + v->e.size + 64 * 512;
        v->img = ib_new(v->size);
        parts = calloc(nparts, sizeof(*parts));
        assert_non_null(parts);
        for (i = 0; i < nparts; i++) {
            parts[i].first = 2048;
            parts[i].last = 2048 + v->e.size / 512 - 1;
            parts[i].type = 1;
            parts[i].name = "p";
        }
        ib_gpt(v->img, v->size, 512, parts, nparts, nparts < 128 ? 128 : nparts, 128);
        memcpy(v->img + 2048 * 512, v->e.img, v->e.size);
        free(parts);
    }
    eb_free(&v->e);
    assert_int_equal(pvb_disk_open_mem(&v->c, v->img, v->size, &v->d), 0);
}

static void vol_close(struct vol *v)
{
    pvb_disk_close(v->d);
    free(v->img);
    assert_int_equal(v->c.mem_used, 0);
}

static int decide(struct vol *v)
{
    struct pvb_boot_opts o;
    struct pvb_boot *b = NULL;
    int rc;

    pvb_boot_opts_init(&o);
    rc = pvb_boot_decide(&v->c, v->d, &o, &b);
    pvb_boot_free(b);
    return rc;
}

/* A kernel path through eight symlinks of "zz/.." repeated, zz the last name of a big
 * directory: every lookup is charged, so it ends with the scan budget. */
static void test_symlinks_through_a_big_directory(void **state)
{
    struct pvb_stat st;
    struct pvb_fs *fs;
    struct vol v;

    (void)state;
    vol_open(&v, "menuentry a { linux /boot/vmlinuz; }\n", 0);
    assert_int_equal(pvb_fs_mount(v.d, &fs), 0);
    assert_int_equal(pvb_fs_stat(fs, "/big/zz/../zz/../../boot/vmlinuz", &st), 0);   /* a real path */
    v.c.lim.max_scan = 50000;
    pvb_budget_start(&v.c);
    start();
    assert_int_equal(pvb_fs_stat(fs, "/s0", &st), PVB_ELIMIT);
    report("8 symlinks of zz/.. through a 2,000-name directory", &v.c);
    assert_msg_has(&v.c, "scan budget");
    pvb_fs_umount(fs);
    vol_close(&v);
}

/* A whole decision on the big-directory filesystem (nparts GPT partitions of it, or alone),
 * its config cfg, budget b at max: it must end with PVB_ELIMIT naming that budget. */
static void decide_shape(const char *shape, const char *cfg, unsigned nparts, enum pvb_budget b,
                         uint64_t max, struct vol *v)
{
    static const char *const names[] = { "step budget", "read budget", "inflate budget",
                                         "scan budget", "config read budget" };

    vol_open(v, cfg, nparts);
    if (b == PVB_BUDGET_STEPS)
        v->c.lim.max_steps = max;
    else
        v->c.lim.max_scan = max;
    start();
    assert_int_equal(decide(v), PVB_ELIMIT);
    report(shape, &v->c);
    assert_msg_has(&v->c, names[b]);
}

/* [ -f ] of a missing name in a big directory, in a loop: the scan budget. */
static void test_test_f_in_a_big_directory(void **state)
{
    struct vol v;

    (void)state;
    decide_shape("[ -f ] in a 2,000-name directory in a loop", "while true; do [ -f /big/nothere ]; done\n",
                 0, PVB_BUDGET_SCAN, 100000, &v);
    vol_close(&v);
}

/* 128 GPT entries all pointing at one volume whose config loops: one step budget for the
 * whole run, and a limit ends the boot (it does not move on to the next volume). */
static void test_many_volumes_one_budget(void **state)
{
    struct vol v;

    (void)state;
    decide_shape("128 volumes whose config loops", "while true; do true; done\n", 128,
                 PVB_BUDGET_STEPS, 100000, &v);
    assert_msg_has(&v.c, "gpt1)");
    assert_true(v.c.used[PVB_BUDGET_STEPS] <= 100000);
    vol_close(&v);
}

/* search --file over 128 volumes in a loop: each volume looked at is charged. */
static void test_search_over_many_volumes(void **state)
{
    struct vol v;

    (void)state;
    decide_shape("search --file over 128 volumes in a loop",
                 "while true; do search --file --set=x /nope; done\n", 128, PVB_BUDGET_SCAN, 100000, &v);
    vol_close(&v);
}

/* ---- compressed images -------------------------------------------------------------- */

#define ZCLUSTERS 64u

static struct pvb_disk *zdisk(struct pvb_ctx *c, struct if_image *im, uint8_t *virt)
{
    struct if_opts o;
    struct pvb_disk *file, *d;
    char kinds[ZCLUSTERS + 1];

    memset(&o, 0, sizeof(o));
    o.version = 3;
    o.cluster_bits = 12;
    memset(kinds, 'C', ZCLUSTERS);
    kinds[ZCLUSTERS] = '\0';
    if_pattern(virt, (size_t)ZCLUSTERS << 12, 7);
    if_qcow2(im, &o, virt, (uint64_t)ZCLUSTERS << 12, kinds);
    assert_int_equal(pvb_disk_open_mem(c, im->buf, im->len, &file), 0);
    assert_int_equal(pvb_format_open(c, file, NULL, NULL, &d), 0);
    return d;
}

/* Reads alternating between two compressed clusters inflate each once (the cache keeps
 * the last few); cycling through 64 clusters inflates every time, until the inflate
 * budget ends it. */
static void test_compressed_clusters(void **state)
{
    static uint8_t virt[ZCLUSTERS << 12];
    struct if_image im;
    struct pvb_disk *d;
    struct pvb_ctx c;
    uint8_t buf[512];
    unsigned i;
    int rc = 0;

    (void)state;
    pvb_ctx_init(&c);
    d = zdisk(&c, &im, virt);
    for (i = 0; i < 1000; i++) {
        uint64_t off = (uint64_t)(i % 2) * 4096 + (i * 512u) % 4096;
        assert_int_equal(pvb_disk_pread(d, buf, sizeof(buf), off), 0);
        assert_memory_equal(buf, virt + off, sizeof(buf));
    }
    assert_int_equal(c.used[PVB_BUDGET_INFLATE], 2 * 4096);
    c.lim.max_inflate = 32 * 4096;
    pvb_budget_start(&c);
    start();
    for (i = 0; rc == 0 && i < 100000; i++)
        rc = pvb_disk_pread(d, buf, sizeof(buf), (uint64_t)(i % ZCLUSTERS) * 4096);
    report("reads cycling through 64 compressed clusters", &c);
    assert_int_equal(rc, PVB_ELIMIT);
    assert_msg_has(&c, "inflate budget");
    pvb_disk_close(d);
    if_free(&im);
    assert_int_equal(c.mem_used, 0);
    /* With the default budget, small reads out of order stop once they inflate far more
     * than they read: long before the absolute cap. */
    pvb_ctx_init(&c);
    d = zdisk(&c, &im, virt);
    start();
    for (i = 0, rc = 0; rc == 0 && i < 10000000; i++)
        rc = pvb_disk_pread(d, buf, 16, (uint64_t)(i % ZCLUSTERS) * 4096);
    report("16-byte reads cycling through 64 compressed clusters, default budget", &c);
    assert_int_equal(rc, PVB_ELIMIT);
    assert_msg_has(&c, "out of order");
    assert_true(c.used[PVB_BUDGET_INFLATE] < ((uint64_t)80 << 20));
    pvb_disk_close(d);
    if_free(&im);
    assert_int_equal(c.mem_used, 0);
}

/* Reading the image itself is charged too: the read budget caps what any shape reads. */
static void test_read_budget(void **state)
{
    static uint8_t virt[ZCLUSTERS << 12];
    struct pvb_disk *d;
    struct pvb_ctx c;
    uint8_t buf[4096];
    unsigned i;
    int rc = 0;

    (void)state;
    pvb_ctx_init(&c);
    c.lim.max_read = 1 << 20;
    assert_int_equal(pvb_disk_open_mem(&c, virt, sizeof(virt), &d), 0);
    for (i = 0; rc == 0 && i < 1000; i++)
        rc = pvb_disk_pread(d, buf, sizeof(buf), 0);
    assert_int_equal(rc, PVB_ELIMIT);
    assert_int_equal(i, 257);   /* 256 reads of 4 KiB fit in 1 MiB */
    assert_msg_has(&c, "read budget");
    pvb_disk_close(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_charge),
        cmocka_unit_test(test_many_functions),
        cmocka_unit_test(test_config_reading_loops),
        cmocka_unit_test(test_symlinks_through_a_big_directory),
        cmocka_unit_test(test_test_f_in_a_big_directory),
        cmocka_unit_test(test_many_volumes_one_budget),
        cmocka_unit_test(test_search_over_many_volumes),
        cmocka_unit_test(test_compressed_clusters),
        cmocka_unit_test(test_read_budget),
        cmocka_unit_test(test_deadline),
    };

    return cmocka_run_group_tests_name("budgets", tests, NULL, NULL);
}
