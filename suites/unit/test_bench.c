/* SPDX-License-Identifier: GPL-2.0-only */
/* pvbench's parts: statistics, classes, formatting, config generators, floors, read tracing, targets. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench.h"
#include "cfg/cfg.h"
#include "conform/expect.h"
#include "extbuild.h"
#include "testlib.h"
#include "util/mem.h"

#define MIB ((uint64_t)1 << 20)

static void test_stats(void **state)
{
    double odd[] = { 3, -1, 1, 2 }, even[] = { 4, 1, 3, 2 }, none[] = { -1, -1 };
    struct bn_stat s;

    (void)state;
    bn_stat_of(odd, 4, &s);
    assert_int_equal(s.n, 3);   /* the missing round is left out */
    assert_true(s.med == 2 && s.min == 1 && s.max == 3);
    bn_stat_of(even, 4, &s);
    assert_true(s.n == 4 && s.med == 2.5 && s.min == 1 && s.max == 4);
    bn_stat_of(none, 2, &s);
    assert_int_equal(s.n, 0);
    assert_true(bn_med(none, 2) == -1);
    assert_true(bn_med(odd, 4) == 2);
    assert_true(odd[0] == 3 && odd[1] == -1);   /* the samples themselves stay in round order */
}

/* The size classes: under 1 MiB of payload; 8 MiB kernel with a 24+ MiB initrd. */
static void test_sizes(void **state)
{
    (void)state;
    assert_int_equal(bn_size_of(512 * 1024, 400 * 1024), BN_SIZE_SMALL);
    assert_int_equal(bn_size_of(MIB, 0), BN_SIZE_MEDIUM);
    assert_int_equal(bn_size_of(8 * MIB, 24 * MIB), BN_SIZE_REALISTIC);
    assert_int_equal(bn_size_of(8 * MIB, 24 * MIB - 1), BN_SIZE_MEDIUM);
    assert_int_equal(bn_size_of(8 * MIB - 1, 60 * MIB), BN_SIZE_MEDIUM);
    assert_string_equal(bn_size_name(BN_SIZE_REALISTIC), "realistic");
}

static void test_fmt(void **state)
{
    char b[32];

    (void)state;
    assert_string_equal(bn_fmt_ms(b, sizeof(b), 0.00213), "2.13");
    assert_string_equal(bn_fmt_ms(b, sizeof(b), 0.0456), "45.6");
    assert_string_equal(bn_fmt_ms(b, sizeof(b), 0.1204), "120");
    assert_string_equal(bn_fmt_ms(b, sizeof(b), -1), "-");
    assert_string_equal(bn_fmt_us(b, sizeof(b), 0.000062), "62.0");
    assert_string_equal(bn_fmt_bytes(b, sizeof(b), 1536), "2K");
    assert_string_equal(bn_fmt_bytes(b, sizeof(b), 68.0 * 1024 * 1024), "68.0M");
    assert_string_equal(bn_fmt_bytes(b, sizeof(b), 100), "100B");
    assert_string_equal(bn_fmt_x(b, sizeof(b), 1.214), "x1.21");
    assert_string_equal(bn_fmt_x(b, sizeof(b), 57.14), "x57.1");
    assert_string_equal(bn_fmt_x(b, sizeof(b), 157.4), "x157");
    assert_string_equal(bn_fmt_mbs(b, sizeof(b), 2e6, 0.01), "200");
    assert_string_equal(bn_fmt_mbs(b, sizeof(b), 2e6, 0), "-");
}

/* Each generated config, evaluated by its engine, has every entry generated
 * and boots entry 1, whose kernel the bootloader's rules name. */
static void check_gen(const char *format, const char *path, const char *kernel)
{
    struct test_ctx t;
    struct pvb_cfg_opts o;
    struct pvb_menu *m = NULL;
    unsigned entries;
    size_t len;
    char *buf;

    test_ctx_init(&t);
    buf = bn_gencfg(&t.c, format, 64 * 1024, &len, &entries);
    assert_non_null(buf);
    assert_true(len <= 64 * 1024 && len > 60 * 1024);   /* filled up to the target */
    assert_int_equal(strlen(buf), len);
    pvb_cfg_opts_init(&o);
    o.engine = pvb_cfg_engine_find(format);
    o.path = path;
    if (pvb_cfg_eval(&t.c, &o, NULL, buf, len, &m) != 0)
        fail_msg("%s: %s", format, pvb_ctx_msg(&t.c));
    assert_int_equal(m->count, entries);
    assert_int_equal(m->chosen, 1);
    assert_string_equal(m->entries[1].kernel.path, kernel);
    pvb_menu_free(m);
    pvb_free(&t.c, buf);
    /* A target smaller than one entry still gives two entries (the default exists). */
    buf = bn_gencfg(&t.c, format, 10, &len, &entries);
    assert_int_equal(entries, 2);
    pvb_free(&t.c, buf);
    assert_int_equal(t.c.mem_used, 0);
}

static void test_gencfg(void **state)
{
    struct test_ctx t;
    unsigned n;
    size_t len;

    (void)state;
    check_gen("grub2", "/boot/grub2/grub.cfg", "/vmlinuz-3.10.0-1.el7.x86_64");
    check_gen("grub1", "/boot/grub/menu.lst", "/vmlinuz-2.6.32-1.el6.x86_64");
    check_gen("extlinux", "/boot/extlinux/extlinux.conf", "/boot/vmlinuz-5.15.1");
    check_gen("lilo", "/etc/lilo.conf", "/boot/vmlinuz-5.15.1");
    test_ctx_init(&t);
    assert_null(bn_gencfg(&t.c, "syslinux", 100, &len, &n));
    assert_int_equal(t.c.err, PVB_EINVAL);
}

static void test_instr_parse(void **state)
{
    (void)state;
    assert_true(bn_instr_parse("perf", "1234567,,instructions:u,1000,100.00,,\n") == 1234567);
    assert_true(bn_instr_parse("perf", "pvboot: warning\n 42,,instructions:u,1,100.00,,\n") == 42);
    assert_true(bn_instr_parse("perf", "<not supported>,,instructions:u,0,100.00,,\n") == -1);
    assert_true(bn_instr_parse("perf", "nothing\n") == -1);
    assert_true(bn_instr_parse("callgrind", "==7== Events    : Ir\n==7== Collected : 100\n"
                                            "==8== Collected : 23\n==8== I   refs: 23\n") == 123);
    assert_true(bn_instr_parse("callgrind", "==7== error\n") == -1);
}

static void test_floor_scan(void **state)
{
    (void)state;
    assert_int_equal(bn_floor_scan("a\nb\n\nc", 7), 3);
    assert_int_equal(bn_floor_scan("", 0), 0);
}

/* A temporary file of 256 bytes, byte i = i. */
static char *pattern_file(char *path)
{
    uint8_t b[256];
    int fd, i;

    for (i = 0; i < 256; i++)
        b[i] = (uint8_t)i;
    strcpy(path, "/tmp/pvb-test-bench.XXXXXX");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, b, sizeof(b)), sizeof(b));
    close(fd);
    return path;
}

/* The floors read exactly the ranges they are given; the copy-floor process
 * writes them, in order, into its output file. */
static void test_floors(void **state)
{
    struct bn_range v[2] = { { 10, 5 }, { 100, 3 } };
    struct bn_ranges r = { v, 2, 2 };
    char img[64], ranges[80], out[80], *argv[5];
    uint8_t buf[BN_CHUNK > 4096 ? 4096 : BN_CHUNK], got[16];
    FILE *f;
    int fd;

    (void)state;
    pattern_file(img);
    fd = open(img, O_RDONLY);
    assert_int_equal(bn_floor_pread(fd, buf, &r), 0);
    assert_true(buf[0] == 100 && buf[2] == 102);   /* the last range read is in the buffer */
    v[1].off = 254;                                 /* runs past the end of the file */
    assert_int_equal(bn_floor_pread(fd, buf, &r), -1);
    close(fd);
    assert_true(bn_ranges_bytes(&r) == 8);
    snprintf(ranges, sizeof(ranges), "%s.ranges", img);
    snprintf(out, sizeof(out), "%s.out", img);
    f = fopen(ranges, "w");
    fprintf(f, "10 5\n100 3\n");
    fclose(f);
    argv[0] = "--copy-floor";
    argv[1] = img;
    argv[2] = ranges;
    argv[3] = out;
    argv[4] = NULL;
    assert_int_equal(bn_copy_floor_main(4, argv), 0);
    fd = open(out, O_RDONLY);
    assert_int_equal(read(fd, got, sizeof(got)), 8);
    close(fd);
    assert_memory_equal(got, "\x0a\x0b\x0c\x0d\x0e\x64\x65\x66", 8);
    assert_int_equal(bn_copy_floor_main(4, argv), 1);   /* never overwrites a file */
    assert_int_equal(bn_copy_floor_main(3, argv), 2);
    unlink(out);
    unlink(ranges);
    unlink(img);
}

/* An ext4 image with a GRUB 2 /boot: libpvboot's decision, and the reads
 * that extraction makes from the image file, which the floors repeat. */
static void write_image(char *path, uint64_t *kernel_at, uint64_t *initrd_at)
{
    static const char cfg[] = "set default=0\nmenuentry 'A' {\n linux /boot/vmlinuz root=/dev/xvda1\n"
                              " initrd /boot/initrd\n}\n";
    uint8_t *k = malloc(5 * 4096 + 7), *i = malloc(4096 * 2);
    uint32_t boot, grub;
    struct eb e;
    int fd;

    memset(k, 'k', 5 * 4096 + 7);
    memset(i, 'i', 4096 * 2);
    eb_new(&e, 2, 256, 256, 32, EB_IN_FILETYPE | EB_IN_EXTENTS, 0);
    boot = eb_mkdir(&e, 2, "boot", EB_EXTENTS);
    grub = eb_mkdir(&e, boot, "grub", EB_EXTENTS);
    eb_file(&e, grub, "grub.cfg", cfg, sizeof(cfg) - 1, EB_EXTENTS);
    *kernel_at = (uint64_t)e.next_block * 4096;
    eb_file(&e, boot, "vmlinuz", k, 5 * 4096 + 7, EB_EXTENTS);
    *initrd_at = (uint64_t)e.next_block * 4096;
    eb_file(&e, boot, "initrd", i, 4096 * 2, EB_EXTENTS);
    eb_finish(&e);
    strcpy(path, "/tmp/pvb-test-bench-img.XXXXXX");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, e.img, e.size), (ssize_t)e.size);
    close(fd);
    eb_free(&e);
    free(k);
    free(i);
}

/* A bench of one bare image. */
static void one_case(struct test_ctx *t, struct bn_bench *b, struct bn_opts *o, struct bn_case *bc,
                     const char *img)
{
    test_ctx_init(t);
    memset(b, 0, sizeof(*b));
    memset(o, 0, sizeof(*o));
    memset(bc, 0, sizeof(*bc));
    b->c = &t->c;
    b->o = o;
    b->cases = bc;
    b->ncases = 1;
    assert_int_equal(bn_case_bare(&t->c, img, &bc->k), 0);
}

static void test_case_info(void **state)
{
    struct test_ctx t;
    struct bn_bench b;
    struct bn_opts o;
    struct bn_case bc;
    uint64_t kat, iat;
    char img[64];
    size_t i;

    (void)state;
    write_image(img, &kat, &iat);
    one_case(&t, &b, &o, &bc, img);
    assert_string_equal(bc.k.format, "raw");
    assert_ptr_not_equal(strstr(bc.k.name, "images/pvb-test-bench-img."), NULL);
    assert_int_equal(bn_cases_info(&b), 0);
    if (bc.info_rc)
        fail_msg("%s", bc.info_msg);
    assert_string_equal(bc.disk_format, "raw");
    assert_string_equal(bc.fs, "ext4");
    assert_string_equal(bc.cfg_format, "grub2");
    assert_true(bc.ksize == 5 * 4096 + 7 && bc.rsize == 2 * 4096);
    assert_int_equal(bc.size, BN_SIZE_SMALL);
    assert_true(bc.vol_offset == 0);
    /* The kernel's bytes, then the initrd's, where eb_file put them, each in
     * one read; around them the path walks' reads of directories and inodes. */
    for (i = 0; i < bc.reads.n && bc.reads.v[i].off != kat; i++)
        ;
    assert_true(i < bc.reads.n && bc.reads.v[i].len == bc.ksize);
    for (; i < bc.reads.n && bc.reads.v[i].off != iat; i++)
        ;
    assert_true(i < bc.reads.n && bc.reads.v[i].len == bc.rsize);
    assert_true(bn_ranges_bytes(&bc.reads) >= bc.ksize + bc.rsize);
    assert_true(bn_ranges_bytes(&bc.reads) < bc.ksize + bc.rsize + 8 * 4096);
    pvb_free(&t.c, bc.reads.v);
    cf_case_free(&t.c, &bc.k);
    assert_int_equal(t.c.mem_used, 0);
    unlink(img);
}

/* Not an image libpvboot decides on: the case keeps the reason, no ranges. */
static void test_case_info_fails(void **state)
{
    struct test_ctx t;
    struct bn_bench b;
    struct bn_opts o;
    struct bn_case bc;
    char img[64];

    (void)state;
    pattern_file(img);
    one_case(&t, &b, &o, &bc, img);
    assert_int_equal(bn_cases_info(&b), 0);
    assert_int_not_equal(bc.info_rc, 0);
    assert_non_null(bc.info_msg);
    assert_int_equal(bc.reads.n, 0);
    pvb_free(&t.c, bc.info_msg);
    cf_case_free(&t.c, &bc.k);
    assert_int_equal(t.c.mem_used, 0);
    unlink(img);
}

/* Two small cases and one realistic, pvboot, a peer and the floor, three
 * rounds each: the targets are medians over cases of per-case medians of
 * ratios taken round by round. */
struct synth {
    struct test_ctx t;
    struct bn_bench b;
    struct bn_opts o;
    struct bn_case cases[3];
    struct cf_impl impls[2];
    struct bn_run runs[9];
    double samples[9][6 * 3];
};

static void synth_run(struct synth *s, size_t icase, size_t p, const double wall[3], double rss)
{
    struct bn_run *r = BN_RUN(&s->b, icase, p);
    unsigned k;

    r->state = BN_TIMED;
    r->cls = CF_PASS;
    r->wall = s->samples[icase * 3 + p];
    r->user = r->wall + 3;
    r->sys = r->wall + 6;
    r->rss_kb = r->wall + 9;
    r->ratio = r->wall + 12;
    r->floor_ratio = r->wall + 15;
    r->instr = -1;
    for (k = 0; k < 18; k++)
        r->wall[k] = -1;
    for (k = 0; k < 3; k++) {
        r->wall[k] = wall[k];
        r->rss_kb[k] = rss;
    }
}

static void synth_init(struct synth *s)
{
    static const double floor[3] = { 1, 1, 1 }, pv[3] = { 2, 1, 4 }, peer[3] = { 40, 50, 60 };
    static const double rfloor[3] = { 30, 30, 30 }, rpv[3] = { 33, 36, 30 };
    size_t i, p;

    memset(s, 0, sizeof(*s));
    test_ctx_init(&s->t);
    s->o.runs = 3;
    s->o.reps = 3;
    s->o.ref = "pvboot";
    s->o.peer = "xen-4.17";
    s->o.p4 = "pvboot-p4";
    s->impls[0].name = "pvboot";
    s->impls[1].name = "xen-4.17";
    s->b.c = &s->t.c;
    s->b.o = &s->o;
    s->b.cases = s->cases;
    s->b.ncases = 3;
    s->b.impls = s->impls;
    s->b.nimpls = 2;
    s->b.ref = 0;
    s->b.runs = s->runs;
    s->cases[0].size = s->cases[1].size = BN_SIZE_SMALL;
    s->cases[2].size = BN_SIZE_REALISTIC;
    for (i = 0; i < 2; i++) {
        synth_run(s, i, 0, pv, 2048);
        synth_run(s, i, 1, peer, 20000);
        synth_run(s, i, 2, floor, 1500);
    }
    synth_run(s, 2, 0, rpv, 4000);
    synth_run(s, 2, 2, rfloor, 3000);
    BN_RUN(&s->b, 2, 1)->state = BN_FAILED;
    for (i = 0; i < 3; i++)
        bn_whole_ratios(&s->b, i);
    (void)p;
}

static void test_targets(void **state)
{
    struct bn_target_result t[BN_NTARGET];
    struct synth *s = malloc(sizeof(*s));
    struct bn_sum sum;

    (void)state;
    synth_init(s);
    /* Peer / pvboot by round: 20, 50, 15 -> 20 in each small case. */
    bn_summary(&s->b, BN_SIZE_SMALL, 1, &sum);
    assert_true(sum.ratio.n == 2 && sum.ratio.med == 20);
    assert_true(sum.wall.n == 2 && sum.wall.med == 50);
    bn_targets(&s->b, t);
    assert_true(t[BN_T_PEER].measured && t[BN_T_PEER].value == 20 && !t[BN_T_PEER].met);
    /* pvboot / floor on the realistic case: 1.1, 1.2, 1.0 -> 1.1. */
    assert_true(t[BN_T_FLOOR].measured && t[BN_T_FLOOR].value > 1.0999 && t[BN_T_FLOOR].value < 1.1001);
    assert_true(t[BN_T_FLOOR].met);
    /* 4000 KiB peak less the 1 MiB buffer. */
    assert_true(t[BN_T_RSS].measured && t[BN_T_RSS].value > 2.906 && t[BN_T_RSS].value < 2.907);
    assert_true(t[BN_T_RSS].met);
    assert_false(t[BN_T_P4].measured);
    assert_false(t[BN_T_GRUB2].measured);
    assert_false(t[BN_T_EXTRACT].measured);
    assert_ptr_not_equal(strstr(t[BN_T_P4].text, "pvboot-p4"), NULL);
    assert_int_equal(s->t.c.mem_used, 0);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stats),
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_fmt),
        cmocka_unit_test(test_gencfg),
        cmocka_unit_test(test_instr_parse),
        cmocka_unit_test(test_floor_scan),
        cmocka_unit_test(test_floors),
        cmocka_unit_test(test_case_info),
        cmocka_unit_test(test_case_info_fails),
        cmocka_unit_test(test_targets),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
