/* SPDX-License-Identifier: GPL-2.0-only */
/* A host fault never changes the boot: every allocation, then every image read, failing in turn over whole boots. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/boot.h"
#include "bootdisk.h"
#include "disk/format.h"
#include "imgfmt.h"
#include "testlib.h"
#include "util/sha256.h"

/*
 * Each scenario is a guest of one layout the corpus has, built in memory
 * (bootdisk.h: ext4 with the configs, XFS v5 beside it). A run decides,
 * extracts, then boots the second entry through pvb_boot_choose and extracts
 * again, as `pvboot` and its interactive menu do. Injected faults must end
 * the run with the fault's own code (PVB_ENOMEM, PVB_EIO), no memory held;
 * a run that succeeds must boot exactly what the unfaulted run booted.
 */
struct scenario {
    const char *name;
    enum bootdisk_layout layout;
    const char *kernel;          /* the unfaulted run's kernel path (a check of the scenario) */
    int qcow2;                   /* stored as a compressed qcow2 */
    struct bootdisk_file files[4];
};

#define F(p, d) { p, sizeof(p) - 1, d, sizeof(d) - 1 }

static const struct scenario scenarios[] = {
    { "grub2 + grubenv + source", BD_MSDOS2, "/boot/vmlinuz-x", 0, {
        F("/boot/grub/grub.cfg",
          "set timeout=5\nif [ -s $prefix/grubenv ]; then load_env; fi\n"
          "if [ \"${next_entry}\" ]; then set default=\"${next_entry}\"; else set default=\"${saved_entry}\"; fi\n"
          "search --no-floppy --fs-uuid --set=xroot 5eed0000-0000-4000-8000-000000000042\n"
          "menuentry 'Guest A' --id a { linux /boot/vmlinuz-1 root=/dev/xvda1 ro; initrd /boot/initrd-1.img; }\n"
          "source $prefix/more.cfg\n"),
        F("/boot/grub/more.cfg",
          "menuentry 'Guest B' --id b { linux ($xroot)/boot/vmlinuz-x console=hvc0 $extra; "
          "initrd /boot/initrd-1.img /boot/initrd-2.img; }\n"),
        F("/boot/grub/grubenv", "# GRUB Environment Block\nsaved_entry=b\nextra=quiet\n"),
    } },
    { "BLS + grubenv kernelopts", BD_MSDOS1, "/boot/vmlinuz-2", 0, {
        F("/boot/grub2/grub.cfg",
          "load_env -f (hd0,msdos1)/boot/grub2/grubenv\nset default=\"${saved_entry}\"\nblscfg\n"),
        F("/boot/grub2/grubenv", "# GRUB Environment Block\nsaved_entry=b\n"
                                 "kernelopts=root=/dev/xvda1 console=hvc0\n"),
        F("/boot/loader/entries/a.conf", "title A\nversion 1\nlinux /boot/vmlinuz-1\n"
                                         "initrd /boot/initrd-1.img\noptions $kernelopts a\n"),
        F("/boot/loader/entries/b.conf", "title B\nversion 2\nlinux /boot/vmlinuz-2\n"
                                         "initrd /boot/initrd-2.img\noptions $kernelopts b\n"),
    } },
    { "grub legacy, default saved", BD_LOGICAL, "/boot/vmlinuz-2", 0, {
        F("/boot/grub/menu.lst", "default saved\ntimeout 5\n"
                                 "title one\nroot (hd0,4)\nkernel /boot/vmlinuz-1 ro\ninitrd /boot/initrd-1.img\n"
                                 "title two\nroot (hd0,4)\nkernel /boot/vmlinuz-2 ro x\ninitrd /boot/initrd-2.img\n"),
        F("/boot/grub/default", "1\n"),
    } },
    { "extlinux", BD_GPT, "/boot/vmlinuz-1", 0, {
        F("/boot/extlinux/extlinux.conf", "DEFAULT one\nLABEL two\n  KERNEL /boot/vmlinuz-2\n  APPEND ro\n"
                                          "LABEL one\n  LINUX /boot/vmlinuz-1\n  INITRD /boot/initrd-1.img\n"
                                          "  APPEND root=/dev/xvda1\n"),
    } },
    { "lilo", BD_NONE, "/boot/vmlinuz-2", 0, {
        F("/etc/lilo.conf", "default=two\nimage=/boot/vmlinuz-1\n  label=one\n  append=\"a\"\n"
                            "image=/boot/vmlinuz-2\n  label=two\n  initrd=/boot/initrd-2.img\n"),
    } },
    { "grub2 on compressed qcow2", BD_MSDOS2, "/boot/vmlinuz-x", 1, {
        F("/boot/grub/grub.cfg",
          "if [ -s $prefix/grubenv ]; then load_env; fi\nset default=\"${saved_entry}\"\n"
          "menuentry 'Guest A' --id a { linux /boot/vmlinuz-1 ro; initrd /boot/initrd-1.img; }\n"
          "menuentry 'Guest B' --id b { linux (hd0,msdos2)/boot/vmlinuz-x ro; initrd (hd0,msdos2)/boot/initrd-x.img; }\n"),
        F("/boot/grub/grubenv", "# GRUB Environment Block\nsaved_entry=b\n"),
    } },
};

#define NSCEN (sizeof(scenarios) / sizeof(scenarios[0]))
#define CLUSTER_BITS 12

/* What one boot gave: the chosen entry's files as hashes, its arguments. */
struct booted {
    int entry;
    char kernel[65], ramdisk[65];
    char args[512];
};

struct result {
    int rc;
    char msg[PVB_MSG_MAX];
    size_t leaked;               /* bytes the context still held at the end */
    struct booted first, second;
};

static int sha_sink(void *arg, const void *buf, size_t len)
{
    pvb_sha256_update(arg, buf, len);
    return 0;
}

static int extract(struct pvb_boot *b, struct booted *out)
{
    struct pvb_sha256 k, r;
    uint8_t dk[32], dr[32];
    uint64_t ks, rs;
    int rc;

    pvb_sha256_init(&k);
    pvb_sha256_init(&r);
    rc = pvb_boot_extract(b, sha_sink, &k, sha_sink, &r, &ks, &rs);
    if (rc)
        return rc;
    pvb_sha256_final(&k, dk);
    pvb_sha256_final(&r, dr);
    pvb_sha256_hex(dk, out->kernel);
    pvb_sha256_hex(dr, out->ramdisk);
    out->entry = b->entry;
    snprintf(out->args, sizeof(out->args), "%s", b->args);
    return 0;
}

/* The disk of a scenario: the built image itself, or a compressed qcow2 of it. */
struct image {
    uint8_t *buf;
    size_t len;
    struct if_image q;
    int qcow2;
};

static void image_build(const struct scenario *s, struct image *im)
{
    struct bootdisk d;
    unsigned n = 0;
    char *kinds;

    while (n < 4 && s->files[n].path)
        n++;
    bootdisk_build(s->layout, 0, s->files, n, &d);
    assert_int_equal(d.placed, n);
    memset(im, 0, sizeof(*im));
    im->qcow2 = s->qcow2;
    if (!s->qcow2) {
        im->buf = d.img;
        im->len = d.size;
        return;
    }
    {
        struct if_opts o;
        size_t clusters = (d.size + (1u << CLUSTER_BITS) - 1) >> CLUSTER_BITS;
        memset(&o, 0, sizeof(o));
        o.version = 3;
        o.cluster_bits = CLUSTER_BITS;
        kinds = malloc(clusters + 1);
        assert_non_null(kinds);
        memset(kinds, 'C', clusters);
        kinds[clusters] = '\0';
        if_qcow2(&im->q, &o, d.img, d.size, kinds);
        free(kinds);
        free(d.img);
        im->buf = im->q.buf;
        im->len = im->q.len;
    }
}

static void image_free(struct image *im)
{
    if (im->qcow2)
        if_free(&im->q);
    else
        free(im->buf);
}

/*
 * One whole boot with the fail_alloc-th allocation failing (0: none) and the
 * fail_read-th read of the image file failing (0: none); *nalloc and *nreads
 * say how many there were.
 */
static void boot_run(const struct image *im, unsigned long fail_alloc, unsigned fail_read,
                     const char *dl_name, struct result *r, unsigned long *nalloc, unsigned *nreads)
{
    struct pvb_boot_opts o;
    struct pvb_boot *b = NULL;
    struct pvb_disk *mem = NULL, *d = NULL;
    struct pvb_ctx c;

    memset(r, 0, sizeof(*r));
    *nreads = 0;
    pvb_ctx_init(&c);
    c.dl_name = dl_name;
    c.fail_alloc = fail_alloc ? fail_alloc : (unsigned long)-1;   /* -1: count only */
    pvb_boot_opts_init(&o);
    r->rc = pvb_disk_open_mem(&c, im->buf, im->len, &mem);
    if (!r->rc) {
        if (fail_read)
            pvb_disk_mem_fail_at(mem, fail_read);
        r->rc = pvb_format_open(&c, mem, NULL, NULL, &d);   /* d owns mem (or is it) */
        if (r->rc) {
            *nreads = pvb_disk_mem_reads(mem);
            pvb_disk_close(mem);
        }
    }
    if (!r->rc)
        r->rc = pvb_boot_decide(&c, d, &o, &b);
    if (!r->rc)
        r->rc = extract(b, &r->first);
    if (!r->rc)
        r->rc = pvb_boot_choose(b, b->entry == 0 ? 1 : 0, &o);
    if (!r->rc)
        r->rc = extract(b, &r->second);
    snprintf(r->msg, sizeof(r->msg), "%s", c.msg);
    pvb_boot_free(b);
    if (d) {
        *nreads = pvb_disk_mem_reads(mem);
        pvb_disk_close(d);
    }
    *nalloc = c.nalloc;
    r->leaked = c.mem_used;
}

static void boot(const struct image *im, unsigned long fail_alloc, unsigned fail_read,
                 struct result *r, unsigned long *nalloc, unsigned *nreads)
{
    boot_run(im, fail_alloc, fail_read, NULL, r, nalloc, nreads);
}

/* A whole boot whose optional libraries come from dl_name (NULL: their own names). */
static void boot_nolib(const struct image *im, const char *dl_name, struct result *r,
                       unsigned long *nalloc, unsigned *nreads)
{
    boot_run(im, 0, 0, dl_name, r, nalloc, nreads);
}

static void same(const struct scenario *s, const char *fault, unsigned long n,
                 const struct result *want, const struct result *got);

/* A faulted run ended cleanly: with the fault's own code and a message, holding nothing;
 * or it succeeded with the unfaulted run's result. */
static void judge(const struct scenario *s, const char *fault, unsigned long n, int code,
                  const struct result *want, const struct result *got)
{
    if (got->leaked)
        fail_msg("%s: %s %lu failed: %zu bytes still held after %s (%s)", s->name, fault, n,
                 got->leaked, pvb_errname(got->rc), got->msg);
    if (got->rc == 0) {
        same(s, fault, n, want, got);
        return;
    }
    if (got->rc != code)
        fail_msg("%s: %s %lu failed, yet the boot ended with %s: %s", s->name, fault, n,
                 pvb_errname(got->rc), got->msg);
    if (!got->msg[0])
        fail_msg("%s: %s %lu failed: %s without a message", s->name, fault, n, pvb_errname(got->rc));
}

static void same(const struct scenario *s, const char *fault, unsigned long n,
                 const struct result *want, const struct result *got)
{
    if (memcmp(&want->first, &got->first, sizeof(got->first)) != 0 ||
        memcmp(&want->second, &got->second, sizeof(got->second)) != 0)
        fail_msg("%s: %s %lu failed, yet the boot succeeded with another result "
                 "(entry %d args '%s'; unfaulted: entry %d args '%s')", s->name, fault, n,
                 got->first.entry, got->first.args, want->first.entry, want->first.args);
}

/* Fail each allocation in turn, then each read, over scenario k. */
static void sweep(unsigned k)
{
    const struct scenario *s = &scenarios[k];
    struct result want, got;
    unsigned long nalloc, n, dummy_a;
    unsigned nreads, i, dummy_r;
    struct image im;

    image_build(s, &im);
    boot(&im, 0, 0, &want, &nalloc, &nreads);
    if (want.rc || want.leaked)
        fail_msg("%s: the unfaulted boot failed: %s (%s), %zu bytes held", s->name,
                 pvb_errname(want.rc), want.msg, want.leaked);
    assert_true(nalloc > 10 && nreads > 10);
    print_message("# %s: %lu allocations, %u reads, entry %d then %d\n", s->name, nalloc, nreads,
                  want.first.entry, want.second.entry);
    for (n = 1; n <= nalloc; n++) {
        boot(&im, n, 0, &got, &dummy_a, &dummy_r);
        judge(s, "allocation", n, PVB_ENOMEM, &want, &got);
    }
    for (i = 1; i <= nreads; i++) {
        boot(&im, 0, i, &got, &dummy_a, &dummy_r);
        judge(s, "read", i, PVB_EIO, &want, &got);
    }
    image_free(&im);
}

static void test_grub2(void **state) { (void)state; sweep(0); }
static void test_bls(void **state) { (void)state; sweep(1); }
static void test_grub1(void **state) { (void)state; sweep(2); }
static void test_extlinux(void **state) { (void)state; sweep(3); }
static void test_lilo(void **state) { (void)state; sweep(4); }
static void test_qcow2(void **state) { (void)state; sweep(5); }

/*
 * A host without zlib is a host fault too: the compressed qcow2 guest, with the clusters
 * from the k-th on compressed and zlib missing (the context's dl_name test seam), either
 * boots exactly what it boots with zlib (no compressed cluster was read) or ends with
 * PVB_ENOLIB naming the library; never another volume, entry or fallback.
 */
static void test_missing_zlib(void **state)
{
    const struct scenario *s = &scenarios[5];
    struct result want, got;
    struct bootdisk d;
    unsigned n = 0, k, nclusters, ended = 0, booted = 0, dummy_r;
    unsigned long dummy_a;
    char *kinds;

    (void)state;
    while (n < 4 && s->files[n].path)
        n++;
    bootdisk_build(s->layout, 0, s->files, n, &d);
    nclusters = (unsigned)((d.size + (1u << CLUSTER_BITS) - 1) >> CLUSTER_BITS);
    kinds = malloc(nclusters + 1);
    assert_non_null(kinds);
    for (k = 0; k <= nclusters; k += nclusters / 40 + 1) {
        struct if_opts o;
        struct image im;

        memset(kinds, 'D', nclusters);
        memset(kinds + k, 'C', nclusters - k);
        kinds[nclusters] = '\0';
        memset(&o, 0, sizeof(o));
        o.version = 3;
        o.cluster_bits = CLUSTER_BITS;
        memset(&im, 0, sizeof(im));
        im.qcow2 = 1;
        if_qcow2(&im.q, &o, d.img, d.size, kinds);
        im.buf = im.q.buf;
        im.len = im.q.len;
        boot_nolib(&im, NULL, &want, &dummy_a, &dummy_r);
        assert_int_equal(want.rc, 0);
        boot_nolib(&im, "libpvboot-test-missing.so.0", &got, &dummy_a, &dummy_r);
        if (got.rc == 0) {
            same(s, "zlib missing, compressed from cluster", k, &want, &got);
            booted++;
        } else {
            judge(s, "zlib missing, compressed from cluster", k, PVB_ENOLIB, &want, &got);
            if (!strstr(got.msg, "needs libz.so.1 (Debian: zlib1g)"))
                fail_msg("zlib missing: %s", got.msg);
            ended++;
        }
        image_free(&im);
    }
    print_message("# zlib missing: %u runs ended with PVB_ENOLIB, %u read no compressed cluster\n",
                  ended, booted);
    assert_true(ended > 0 && booted > 0);
    free(kinds);
    free(d.img);
}

/* The scenarios boot what their bootloaders would: the sweeps compare against the right thing. */
static void test_scenarios_boot_their_default(void **state)
{
    unsigned k;

    (void)state;
    for (k = 0; k < NSCEN; k++) {
        struct pvb_boot_opts o;
        struct pvb_boot *b;
        struct pvb_disk *mem, *d;
        struct pvb_ctx c;
        struct image im;

        image_build(&scenarios[k], &im);
        pvb_ctx_init(&c);
        pvb_boot_opts_init(&o);
        assert_int_equal(pvb_disk_open_mem(&c, im.buf, im.len, &mem), 0);
        assert_int_equal(pvb_format_open(&c, mem, NULL, NULL, &d), 0);
        if (pvb_boot_decide(&c, d, &o, &b) != 0)
            fail_msg("%s: %s", scenarios[k].name, c.msg);
        if (strcmp(b->kernel.path, scenarios[k].kernel) != 0)
            fail_msg("%s: boots %s, not %s", scenarios[k].name, b->kernel.path, scenarios[k].kernel);
        pvb_boot_free(b);
        pvb_disk_close(d);
        image_free(&im);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scenarios_boot_their_default),
        cmocka_unit_test(test_grub2),
        cmocka_unit_test(test_bls),
        cmocka_unit_test(test_grub1),
        cmocka_unit_test(test_extlinux),
        cmocka_unit_test(test_lilo),
        cmocka_unit_test(test_qcow2),
        cmocka_unit_test(test_missing_zlib),
    };

    return cmocka_run_group_tests_name("boot faults", tests, NULL, NULL);
}
