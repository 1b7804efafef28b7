/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for ref/disk/backing.c: chains of real files, the same-directory policy, loops, depth. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "disk/disk.h"
#include "disk/format.h"
#include "imgfmt.h"
#include "testlib.h"
#include "util/bytes.h"

#define CS 4096u
#define NCL 16u
#define VSIZE ((uint64_t)CS * NCL)

static char dir[64], dir2[64];

static void put(const char *d, const char *name, const uint8_t *buf, size_t len)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", d, name);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void qcow2_file(const char *d, const char *name, const char *backing, const char *fmt,
                       const uint8_t *virt, uint64_t vsize, const char *kinds)
{
    struct if_image im;
    struct if_opts o;

    memset(&o, 0, sizeof(o));
    o.version = 3;
    o.cluster_bits = 12;
    o.backing = backing;
    o.backing_fmt = fmt;
    if_qcow2(&im, &o, virt, vsize, kinds);
    put(d, name, im.buf, im.len);
    if_free(&im);
}

/* Open dir/name with the given policy; the first error, or 0 with *d set. */
static int open_in(struct test_ctx *t, const char *d, const char *name, int allow,
                   const char *bdir, struct pvb_disk **out)
{
    struct pvb_disk_opts o;
    char path[256];

    memset(&o, 0, sizeof(o));
    o.allow_backing = allow;
    o.backing_dir = bdir;
    snprintf(path, sizeof(path), "%s/%s", d, name);
    return pvb_disk_open_path(&t->c, path, &o, out);
}

static void assert_reads(struct pvb_disk *d, const uint8_t *want, uint64_t n)
{
    uint8_t *got = malloc(n);

    assert_non_null(got);
    assert_true(d->size == n);
    assert_int_equal(pvb_disk_pread(d, got, n, 0), 0);
    assert_memory_equal(got, want, n);
    free(got);
}

static int setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/pvb-backing.XXXXXX");
    strcpy(dir2, "/tmp/pvb-backing2.XXXXXX");
    assert_non_null(mkdtemp(dir));
    assert_non_null(mkdtemp(dir2));
    return 0;
}

static int teardown(void **state)
{
    char cmd[200];

    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", dir, dir2);
    return system(cmd) == 0 ? 0 : -1;
}

/* top.qcow2 -> mid.qcow -> base.raw: each unallocated cluster reads from the
 * next image down, zero clusters stop there, the raw base is smaller. */
static void test_three_deep(void **state)
{
    uint8_t a[VSIZE], b[VSIZE], c[VSIZE], want[VSIZE];
    const char *top = "DUZUDUUUDZUUDUUU", *mid = "UDDUUUDDUUUUUUDU";
    struct if_image im;
    struct if_opts o;
    struct test_ctx t;
    struct pvb_disk *d;
    unsigned i;

    (void)state;
    if_pattern(a, sizeof(a), 1);
    if_pattern(b, sizeof(b), 2);
    if_pattern(c, sizeof(c), 3);
    put(dir, "base.raw", a, VSIZE - 3 * CS);
    memset(&o, 0, sizeof(o));
    o.cluster_bits = 12;
    o.l2_bits = 9;
    o.backing = "base.raw";
    if_qcow(&im, &o, b, VSIZE, mid);
    put(dir, "mid.qcow", im.buf, im.len);
    if_free(&im);
    qcow2_file(dir, "top.qcow2", "mid.qcow", "qcow", c, VSIZE, top);
    for (i = 0; i < NCL; i++) {
        const uint8_t *src = top[i] == 'D' ? c : mid[i] == 'D' ? b : a;

        if (top[i] == 'Z' || (top[i] == 'U' && mid[i] == 'U' && i >= NCL - 3))
            memset(want + i * CS, 0, CS);
        else
            memcpy(want + i * CS, src + i * CS, CS);
    }
    test_ctx_init(&t);
    assert_int_equal(open_in(&t, dir, "top.qcow2", 0, NULL, &d), PVB_EUNSUPPORTED);
    assert_msg_has(&t.c, "names a backing file 'mid.qcow'");
    assert_int_equal(open_in(&t, dir, "top.qcow2", 1, NULL, &d), 0);
    assert_reads(d, want, VSIZE);
    assert_string_equal(pvb_disk_backing(d)->ops->name, "qcow");
    assert_string_equal(pvb_disk_backing(pvb_disk_backing(d))->ops->name, "raw");
    assert_null(pvb_disk_backing(pvb_disk_backing(pvb_disk_backing(d))));
    pvb_disk_close(d);
    /* The same chain found through a backing directory. */
    qcow2_file(dir2, "top.qcow2", "mid.qcow", "qcow", c, VSIZE, top);
    assert_int_equal(open_in(&t, dir2, "top.qcow2", 1, NULL, &d), PVB_ENOTFOUND);
    assert_msg_has(&t.c, "backing file 'mid.qcow'");
    assert_int_equal(open_in(&t, dir2, "top.qcow2", 1, dir, &d), 0);
    assert_reads(d, want, VSIZE);
    pvb_disk_close(d);
    assert_int_equal(t.c.mem_used, 0);
}

/* Names that leave the directory, or are not plain files there, are refused. */
static void test_policy(void **state)
{
    static const struct { const char *name; int err; const char *msg; } bad[] = {
        { "/etc/passwd", PVB_EUNSUPPORTED, "is not in" },
        { "../base.raw", PVB_EUNSUPPORTED, "is not in" },
        { "sub/base.raw", PVB_EUNSUPPORTED, "is not in" },
        { "link.raw", PVB_EUNSUPPORTED, "symbolic link" },
        { "fifo", PVB_EUNSUPPORTED, "not a regular file" },
        { "sub", PVB_EUNSUPPORTED, "not a regular file" },
        { "missing.raw", PVB_ENOTFOUND, "No such file" },
        { "nodir/x.raw", PVB_ENOTFOUND, "directory" },
        { ".", PVB_ECORRUPT, "not a file name" },
    };
    uint8_t v[VSIZE], raw[CS];
    char path[300], name[300];
    struct test_ctx t;
    struct pvb_disk *d;
    size_t i;

    (void)state;
    if_pattern(v, sizeof(v), 4);
    memset(raw, 0x5a, sizeof(raw));
    put(dir, "plain.raw", raw, sizeof(raw));
    snprintf(path, sizeof(path), "%s/sub", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    put(path, "base.raw", raw, sizeof(raw));
    snprintf(path, sizeof(path), "%s/link.raw", dir);
    assert_int_equal(symlink("plain.raw", path), 0);
    snprintf(path, sizeof(path), "%s/fifo", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    test_ctx_init(&t);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int rc;

        qcow2_file(dir, "p.qcow2", bad[i].name, NULL, v, VSIZE, "UD");
        rc = open_in(&t, dir, "p.qcow2", 1, NULL, &d);
        if (rc != bad[i].err || !strstr(t.c.msg, bad[i].msg))
            fail_msg("%s: got %s \"%s\"", bad[i].name, pvb_errname(rc), t.c.msg);
    }
    /* An absolute name inside the directory is fine; "raw" forces the format. */
    snprintf(name, sizeof(name), "%s/plain.raw", dir);
    qcow2_file(dir, "p.qcow2", name, "raw", v, VSIZE, "UD");
    assert_int_equal(open_in(&t, dir, "p.qcow2", 1, NULL, &d), 0);
    assert_string_equal(pvb_disk_backing(d)->ops->name, "raw");
    pvb_disk_close(d);
    /* An unknown backing format is an error, not a guess. */
    qcow2_file(dir, "p.qcow2", "plain.raw", "vmdk", v, VSIZE, "UD");
    assert_int_equal(open_in(&t, dir, "p.qcow2", 1, NULL, &d), PVB_EINVAL);
    assert_msg_has(&t.c, "unknown image format 'vmdk'");
    /* A memory image has no directory unless one is given. */
    {
        struct if_image im;
        struct if_opts o;
        struct pvb_disk_opts po;
        struct pvb_disk *file;

        memset(&o, 0, sizeof(o));
        o.version = 3;
        o.cluster_bits = 12;
        o.backing = "plain.raw";
        if_qcow2(&im, &o, v, VSIZE, "UD");
        memset(&po, 0, sizeof(po));
        po.allow_backing = 1;
        assert_int_equal(pvb_disk_open_mem(&t.c, im.buf, im.len, &file), 0);
        assert_int_equal(pvb_format_open(&t.c, file, NULL, &po, &d), PVB_EINVAL);
        assert_msg_has(&t.c, "no directory");
        po.backing_dir = dir;
        assert_int_equal(pvb_format_open(&t.c, file, NULL, &po, &d), 0);
        pvb_disk_close(d);
        if_free(&im);
    }
    assert_int_equal(t.c.mem_used, 0);
}

static void test_loops_and_depth(void **state)
{
    uint8_t v[VSIZE];
    struct test_ctx t;
    struct pvb_disk *d;
    char name[32], next[32];
    unsigned i;

    (void)state;
    if_pattern(v, sizeof(v), 5);
    test_ctx_init(&t);
    qcow2_file(dir, "self.qcow2", "self.qcow2", NULL, v, VSIZE, "UD");
    assert_int_equal(open_in(&t, dir, "self.qcow2", 1, NULL, &d), PVB_ELOOP);
    assert_msg_has(&t.c, "backing chain loop: 'self.qcow2'");
    qcow2_file(dir, "a.qcow2", "b.qcow2", "qcow2", v, VSIZE, "UD");
    qcow2_file(dir, "b.qcow2", "a.qcow2", "qcow2", v, VSIZE, "DU");
    assert_int_equal(open_in(&t, dir, "a.qcow2", 1, NULL, &d), PVB_ELOOP);
    assert_msg_has(&t.c, "'a.qcow2' is already open");
    /* 17 links below the top: one too many. */
    for (i = 0; i <= 17; i++) {
        snprintf(name, sizeof(name), "d%u.qcow2", i);
        snprintf(next, sizeof(next), "d%u.qcow2", i + 1);
        qcow2_file(dir, name, i < 17 ? next : NULL, NULL, v, VSIZE, "UD");
    }
    assert_int_equal(open_in(&t, dir, "d0.qcow2", 1, NULL, &d), PVB_ELIMIT);
    assert_msg_has(&t.c, "deeper than 16 images");
    assert_int_equal(open_in(&t, dir, "d1.qcow2", 1, NULL, &d), 0);
    pvb_disk_close(d);
    t.c.lim.max_depth = 3;
    assert_int_equal(open_in(&t, dir, "d13.qcow2", 1, NULL, &d), PVB_ELIMIT);
    assert_int_equal(open_in(&t, dir, "d14.qcow2", 1, NULL, &d), 0);
    pvb_disk_close(d);
    assert_int_equal(t.c.mem_used, 0);
}

/* A differencing vhd: unallocated blocks and clear bitmap bits read the parent. */
static void vhd_pair(const char *child_kinds, const char *parent_name, uint8_t *want)
{
    static const uint8_t puuid[16] = { 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22,
                                       0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22 };
    uint8_t p[VSIZE], c[VSIZE];
    struct if_image im;
    struct if_opts o;
    uint64_t s;

    if_pattern(p, sizeof(p), 6);
    if_pattern(c, sizeof(c), 7);
    memset(&o, 0, sizeof(o));
    o.vhd_type = 3;
    o.cluster_bits = 13;
    o.uuid_byte = 0x22;
    if_vhd(&im, &o, p, VSIZE, "DDDDDDUD");
    put(dir, "parent.vhd", im.buf, im.len);
    if_free(&im);
    o.vhd_type = 4;
    o.uuid_byte = 0x33;
    o.backing = parent_name;
    o.parent_uuid = puuid;
    if_vhd(&im, &o, c, VSIZE, child_kinds);
    put(dir, "child.vhd", im.buf, im.len);
    /* Where the child's expectation is zero, the parent shows (it reads
     * zeros itself only in its unallocated block 6). */
    for (s = 0; s < VSIZE / 512; s++) {
        const uint8_t *src = memcmp(im.expect + s * 512, c + s * 512, 512) == 0 ? c : p;

        memcpy(want + s * 512, src + s * 512, 512);
        if (src == p && s * 512 / 8192 == 6)
            memset(want + s * 512, 0, 512);
    }
    if_free(&im);
}

static void test_vhd_parent(void **state)
{
    uint8_t want[VSIZE];
    struct test_ctx t;
    struct pvb_disk *d;
    char path[200];
    int fd;

    (void)state;
    test_ctx_init(&t);
    vhd_pair("DUPEUPDD", "parent.vhd", want);
    assert_int_equal(open_in(&t, dir, "child.vhd", 0, NULL, &d), PVB_EUNSUPPORTED);
    assert_msg_has(&t.c, "backing file 'parent.vhd'");
    assert_int_equal(open_in(&t, dir, "child.vhd", 1, NULL, &d), 0);
    assert_reads(d, want, VSIZE);
    assert_string_equal(pvb_disk_backing(d)->ops->name, "vhd");
    pvb_disk_close(d);
    /* A child that names itself; a parent that is not the disk the child was made from. */
    vhd_pair("DUPEUPDD", "child.vhd", want);
    assert_int_equal(open_in(&t, dir, "child.vhd", 1, NULL, &d), PVB_ELOOP);
    vhd_pair("DUPEUPDD", "other.vhd", want);
    {
        struct if_image im;
        struct if_opts o;

        memset(&o, 0, sizeof(o));
        o.vhd_type = 3;
        o.cluster_bits = 13;
        o.uuid_byte = 0x44;
        if_vhd(&im, &o, want, VSIZE, "D");
        put(dir, "other.vhd", im.buf, im.len);
        if_free(&im);
    }
    assert_int_equal(open_in(&t, dir, "child.vhd", 1, NULL, &d), PVB_ECORRUPT);
    assert_msg_has(&t.c, "parent 'other.vhd' is not the disk");
    /* Without its locator, the parent is found by the name in the header. */
    vhd_pair("DUPEUPDD", "parent.vhd", want);
    snprintf(path, sizeof(path), "%s/child.vhd", dir);
    fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    {
        uint8_t zero[24] = { 0 }, h[1024];

        assert_int_equal(pwrite(fd, zero, 24, 512 + 576), 24);
        assert_int_equal(pread(open(path, O_RDONLY), h, 1024, 512), 1024);
        if_vhd_fix_checksum(h, 1024, 36);
        assert_int_equal(pwrite(fd, h, 1024, 512), 1024);
    }
    close(fd);
    assert_int_equal(open_in(&t, dir, "child.vhd", 1, NULL, &d), 0);
    assert_reads(d, want, VSIZE);
    pvb_disk_close(d);
    assert_int_equal(t.c.mem_used, 0);
}

/* Append a parent locator's data to the image and point header slot at it. */
static void add_locator(struct if_image *im, int slot, uint32_t code, const uint8_t *data,
                        size_t n)
{
    uint8_t *e;

    im->buf = realloc(im->buf, im->len + n);
    assert_non_null(im->buf);
    memcpy(im->buf + im->len, data, n);
    e = im->buf + 512 + 576 + 24 * slot;
    memset(e, 0, 24);
    pvb_put_be32(e, code);
    pvb_put_be32(e + 8, (uint32_t)n);
    pvb_put_be64(e + 16, im->len);
    im->len += n;
    if_vhd_fix_checksum(im->buf + 512, 1024, 36);
}

/* n UTF-16 units (little- or big-endian) into out; returns bytes. */
static size_t utf16(const uint16_t *u, size_t n, int be, uint8_t *out)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (be)
            pvb_put_be16(out + 2 * i, u[i]);
        else
            pvb_put_le16(out + 2 * i, u[i]);
    }
    return 2 * n;
}

/* Locators other than MacX, and UTF-16 names beyond ASCII. */
static void test_vhd_locators(void **state)
{
    /* "p\u00e4r\U0001d11ee.vhd" in UTF-16 (a surrogate pair for U+1D11E) and UTF-8. */
    static const uint16_t name16[] = { 'p', 0xe4, 'r', 0xd834, 0xdd1e, 'e', '.', 'v', 'h', 'd' };
    static const char name8[] = "p\xc3\xa4r\xf0\x9d\x84\x9e" "e.vhd";
    static const uint16_t w2ku[] = { 'C', ':', '\\', 'v', 'm', '\\' };
    static const uint16_t bad[] = { '.', '\\', 0xdc00, 'x' };
    uint8_t p[VSIZE], c[VSIZE], loc[128], uuid[16];
    struct if_image pim, cim;
    struct if_opts o;
    struct test_ctx t;
    struct pvb_disk *d;
    size_t n;

    (void)state;
    if_pattern(p, sizeof(p), 8);
    if_pattern(c, sizeof(c), 9);
    memset(&o, 0, sizeof(o));
    o.vhd_type = 3;
    o.cluster_bits = 13;
    o.uuid_byte = 0x55;
    if_vhd(&pim, &o, p, VSIZE, "DDDDDDDD");
    put(dir, name8, pim.buf, pim.len);
    if_free(&pim);
    memset(uuid, 0x55, sizeof(uuid));
    o.vhd_type = 4;
    o.uuid_byte = 0x66;
    o.backing = "unused.vhd";
    o.parent_uuid = uuid;
    if_vhd(&cim, &o, c, VSIZE, "UUUUUUUU");
    /* MacX that is not a file URL, a W2ru with a lone surrogate: both skipped. */
    add_locator(&cim, 0, 0x4d616358u, (const uint8_t *)"http://x/unused.vhd", 19);
    add_locator(&cim, 1, 0x57327275u, loc, utf16(bad, 4, 0, loc));
    /* W2ku: a Windows absolute path; only its last component is looked up. */
    n = utf16(w2ku, 6, 0, loc);
    n += utf16(name16, 10, 0, loc + n);
    add_locator(&cim, 2, 0x57326b75u, loc, n);
    put(dir, "c.vhd", cim.buf, cim.len);
    test_ctx_init(&t);
    assert_int_equal(open_in(&t, dir, "c.vhd", 1, NULL, &d), 0);
    assert_reads(d, p, VSIZE);
    pvb_disk_close(d);
    /* No usable locator: the UTF-16 big-endian parent name in the header. */
    memset(cim.buf + 512 + 576 + 48, 0, 24);
    memset(cim.buf + 512 + 64, 0, 512);
    utf16(name16, 10, 1, cim.buf + 512 + 64);
    if_vhd_fix_checksum(cim.buf + 512, 1024, 36);
    put(dir, "c.vhd", cim.buf, cim.len);
    assert_int_equal(open_in(&t, dir, "c.vhd", 1, NULL, &d), 0);
    assert_reads(d, p, VSIZE);
    pvb_disk_close(d);
    if_free(&cim);
    assert_int_equal(t.c.mem_used, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_three_deep),
        cmocka_unit_test(test_policy),
        cmocka_unit_test(test_loops_and_depth),
        cmocka_unit_test(test_vhd_parent),
        cmocka_unit_test(test_vhd_locators),
    };
    return cmocka_run_group_tests_name("backing", tests, setup, teardown);
}
