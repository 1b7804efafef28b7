/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for GRUB 2 on btrfs subvolumes: the config search (ref/boot/decide.c), SUSE's
 * btrfs_relative_path, btrfs_subvol(id) and btrfs-mount-subvol (ref/cfg/g2run.c, g2cmd.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boot/boot.h"
#include "util/mem.h"
#include "testlib.h"

/*
 * The images hold subvolumes, which mkfs.btrfs 6.2 cannot make (no --subvol): they
 * are written by the kernel through a loop mount, as suites/btrfs/oracle.test does,
 * so these tests need root and btrfs in the kernel and are skipped otherwise.
 * Every expectation below comes from the rules of GRUB and SUSE's patches as
 * doc/btrfs-boot.md states them, not from what pvboot printed.
 *
 *  ubuntu: subvolume @ holding /boot/grub/grub.cfg and kernels named from the top.
 *  suse:   @, @/.snapshots, @/.snapshots/1/snapshot (the default subvolume) and
 *          /2/snapshot, @/boot/grub2/i386-pc; the config in snapshot 1 sets
 *          btrfs_relative_path, mounts i386-pc, and reads saved_entry from grubenv;
 *          @/boot holds a decoy kernel of the same name.
 *  fedora: subvolumes root (with /boot) and home.
 */
static char dir[] = "/tmp/pvb-btrfs-boot.XXXXXX";
static int ready;            /* the images were built */
static char why[256];        /* why not */
static char snap2_id[32];    /* the subvolume id of @/.snapshots/2/snapshot */

static int sh(const char *fmt, const char *arg)
{
    char cmd[4096];

    snprintf(cmd, sizeof(cmd), fmt, arg, arg, arg, arg, arg, arg, arg, arg);
    return system(cmd);
}

static const char suse_cfg[] =
    "set btrfs_relative_path=\"y\"\n"
    "export btrfs_relative_path\n"
    "btrfs-mount-subvol ($root) /boot/grub2/i386-pc @/boot/grub2/i386-pc\n"
    "load_env\n"
    "set default=\"${saved_entry}\"\n"
    "if [ -f /boot/grub2/i386-pc/command.lst ]; then set mods=mods-found; fi\n"
    "menuentry 'SLES 15-SP5' --id sles-old { linux /boot/vmlinuz-old }\n"
    "menuentry 'SLES 15-SP5 (5.14)' --id sles { linux /boot/vmlinuz-5.14 root=/dev/xvda2 ${mods}\n"
    "    initrd /boot/initrd-5.14 }\n"
    "menuentry 'snapshot 2' { btrfs_subvol=\"/@/.snapshots/2/snapshot\"; linux /boot/vmlinuz-5.14 }\n"
    "menuentry 'snapshot 2 by id' { set btrfs_subvolid=SNAP2ID; linux /boot/vmlinuz-5.14 }\n"
    "menuentry 'top level' { set btrfs_relative_path=n; linux /@/boot/vmlinuz-5.14 }\n";

static int build(void)
{
    char path[512];
    FILE *f;
    char env[1024];
    size_t n;

    if (geteuid() != 0) {
        snprintf(why, sizeof(why), "subvolumes need a loop mount as root");
        return 0;
    }
    if (sh("command -v mkfs.btrfs >/dev/null && command -v btrfs >/dev/null", "") != 0) {
        snprintf(why, sizeof(why), "no btrfs-progs");
        return 0;
    }
    if (!mkdtemp(dir))
        return -1;
    /* ubuntu */
    if (sh("cd %s && mkdir m && truncate -s 128M ubuntu.img && mkfs.btrfs -q -f ubuntu.img >/dev/null 2>&1 && "
           "mount -o loop ubuntu.img m 2>/dev/null", dir) != 0) {
        snprintf(why, sizeof(why), "mount -o loop of a btrfs image failed");
        return 0;
    }
    if (sh("cd %s && btrfs -q subvolume create m/@ >/dev/null && mkdir -p m/@/boot/grub && "
           "printf 'ubuntu kernel\\n' > m/@/boot/vmlinuz-6.8 && printf 'ubuntu initrd\\n' > m/@/boot/initrd.img-6.8 && "
           "printf \"menuentry 'Ubuntu' {\\n  linux /@/boot/vmlinuz-6.8 root=/dev/xvda1 rootflags=subvol=@\\n"
           "  initrd /@/boot/initrd.img-6.8\\n}\\n\" > m/@/boot/grub/grub.cfg; rc=$?; umount m; exit $rc", dir) != 0)
        return -1;
    /* fedora */
    if (sh("cd %s && truncate -s 128M fedora.img && mkfs.btrfs -q -f fedora.img >/dev/null 2>&1 && "
           "mount -o loop fedora.img m && btrfs -q subvolume create m/root >/dev/null && "
           "btrfs -q subvolume create m/home >/dev/null && mkdir -p m/root/boot/grub2 && "
           "printf 'fedora kernel\\n' > m/root/boot/vmlinuz-6.5 && "
           "printf \"menuentry 'Fedora' {\\n  linux /root/boot/vmlinuz-6.5 root=/dev/xvda1 rootflags=subvol=root\\n}\\n\" "
           "> m/root/boot/grub2/grub.cfg; rc=$?; umount m; exit $rc", dir) != 0)
        return -1;
    /* suse */
    if (sh("cd %s && truncate -s 128M suse.img && mkfs.btrfs -q -f suse.img >/dev/null 2>&1 && "
           "mount -o loop suse.img m && btrfs -q subvolume create m/@ >/dev/null && "
           "btrfs -q subvolume create m/@/.snapshots >/dev/null && mkdir -p m/@/.snapshots/1 m/@/.snapshots/2 "
           "m/@/boot/grub2 && btrfs -q subvolume create m/@/boot/grub2/i386-pc >/dev/null && "
           "echo cmds > m/@/boot/grub2/i386-pc/command.lst && printf 'decoy\\n' > m/@/boot/vmlinuz-5.14 && "
           "btrfs -q subvolume create m/@/.snapshots/1/snapshot >/dev/null && "
           "btrfs -q subvolume create m/@/.snapshots/2/snapshot >/dev/null && "
           "mkdir -p m/@/.snapshots/1/snapshot/boot/grub2/i386-pc m/@/.snapshots/2/snapshot/boot && "
           "printf 'snapshot 1 kernel\\n' > m/@/.snapshots/1/snapshot/boot/vmlinuz-5.14 && "
           "printf 'snapshot 1 initrd\\n' > m/@/.snapshots/1/snapshot/boot/initrd-5.14 && "
           "printf 'old kernel\\n' > m/@/.snapshots/1/snapshot/boot/vmlinuz-old && "
           "printf 'snapshot 2 kernel\\n' > m/@/.snapshots/2/snapshot/boot/vmlinuz-5.14 && "
           "btrfs inspect-internal rootid m/@/.snapshots/2/snapshot > snap2 && "
           "btrfs -q subvolume set-default $(btrfs inspect-internal rootid m/@/.snapshots/1/snapshot) m",
           dir) != 0) {
        sh("umount %s/m", dir);
        return -1;
    }
    snprintf(path, sizeof(path), "%s/snap2", dir);
    f = fopen(path, "r");
    if (!f || !fgets(snap2_id, sizeof(snap2_id), f))
        return -1;
    fclose(f);
    snap2_id[strcspn(snap2_id, "\n")] = '\0';
    snprintf(path, sizeof(path), "%s/m/@/.snapshots/1/snapshot/boot/grub2/grub.cfg", dir);
    f = fopen(path, "w");
    if (!f)
        return -1;
    {
        const char *at = strstr(suse_cfg, "SNAP2ID");
        fprintf(f, "%.*s%s%s", (int)(at - suse_cfg), suse_cfg, snap2_id, at + 7);
    }
    fclose(f);
    /* grubenv: GRUB's 1024-byte block (lib/envblk.c), saved_entry naming the second entry. */
    n = (size_t)snprintf(env, sizeof(env), "# GRUB Environment Block\nsaved_entry=sles\n");
    memset(env + n, '#', sizeof(env) - n);
    snprintf(path, sizeof(path), "%s/m/@/.snapshots/1/snapshot/boot/grub2/grubenv", dir);
    f = fopen(path, "w");
    if (!f || fwrite(env, 1, sizeof(env), f) != sizeof(env))
        return -1;
    fclose(f);
    if (sh("umount %s/m", dir) != 0)
        return -1;
    ready = 1;
    return 0;
}

static int group_setup(void **state)
{
    (void)state;
    if (build() != 0) {
        snprintf(why, sizeof(why), "building the images failed");
        ready = 0;
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    if (strchr(dir, 'X') == NULL)
        sh("umount %s/m 2>/dev/null; rm -rf %s", dir);
    return 0;
}

struct run {
    struct test_ctx t;
    struct pvb_disk *d;
    struct pvb_boot *b;
};

static int decide(struct run *r, const char *img, enum pvb_cfg_semantics sem)
{
    char path[512];
    struct pvb_boot_opts o;

    if (!ready)
        skip();
    test_ctx_init(&r->t);
    snprintf(path, sizeof(path), "%s/%s", dir, img);
    assert_int_equal(pvb_disk_open_path(&r->t.c, path, NULL, &r->d), 0);
    pvb_boot_opts_init(&o);
    o.semantics = sem;
    r->b = NULL;
    return pvb_boot_decide(&r->t.c, r->d, &o, &r->b);
}

static void run_free(struct run *r)
{
    pvb_boot_free(r->b);
    pvb_disk_close(r->d);
}

struct buf {
    char s[256];
    size_t n;
};

static int sink(void *arg, const void *p, size_t n)
{
    struct buf *b = arg;

    if (b->n + n >= sizeof(b->s))
        return -1;
    memcpy(b->s + b->n, p, n);
    b->n += n;
    b->s[b->n] = '\0';
    return 0;
}

/* The chosen kernel's and initrds' bytes. */
static void extract(struct run *r, struct buf *k, struct buf *i)
{
    uint64_t ks, is;

    memset(k, 0, sizeof(*k));
    memset(i, 0, sizeof(*i));
    assert_int_equal(pvb_boot_extract(r->b, sink, k, sink, i, &ks, &is), 0);
}

static const char *config(struct run *r)
{
    return r->b->vols[r->b->vol].config;
}

/* Ubuntu: upstream GRUB's prefix and kernel paths are from the top level (/@/...). */
static void test_ubuntu(void **state)
{
    struct run r;
    struct buf k, i;

    (void)state;
    assert_int_equal(decide(&r, "ubuntu.img", PVB_CFG_SEM_AUTO), 0);
    assert_string_equal(config(&r), "/@/boot/grub/grub.cfg");
    assert_string_equal(r.b->kernel.path, "/@/boot/vmlinuz-6.8");
    assert_int_equal(r.b->menu->semantics, PVB_CFG_SEM_UPSTREAM);
    extract(&r, &k, &i);
    assert_string_equal(k.s, "ubuntu kernel\n");
    assert_string_equal(i.s, "ubuntu initrd\n");
    run_free(&r);
    /* Upstream's own rules find it the same. */
    assert_int_equal(decide(&r, "ubuntu.img", PVB_CFG_SEM_UPSTREAM), 0);
    assert_string_equal(r.b->kernel.path, "/@/boot/vmlinuz-6.8");
    run_free(&r);
}

/* Fedora: /boot inside subvolume root, paths from the top (/root/boot/...). */
static void test_fedora(void **state)
{
    struct run r;
    struct buf k, i;

    (void)state;
    assert_int_equal(decide(&r, "fedora.img", PVB_CFG_SEM_AUTO), 0);
    assert_string_equal(config(&r), "/root/boot/grub2/grub.cfg");
    assert_string_equal(r.b->kernel.path, "/root/boot/vmlinuz-6.5");
    assert_string_equal(r.b->args, "root=/dev/xvda1 rootflags=subvol=root");
    extract(&r, &k, &i);
    assert_string_equal(k.s, "fedora kernel\n");
    run_free(&r);
}

/*
 * SUSE: the config of the default subvolume runs relative to it; grubenv's
 * saved_entry picks the second entry; btrfs-mount-subvol makes command.lst visible
 * under /boot/grub2/i386-pc; the kernel is the snapshot's, not @'s decoy.
 */
static void test_suse(void **state)
{
    struct run r;
    struct buf k, i;

    (void)state;
    assert_int_equal(decide(&r, "suse.img", PVB_CFG_SEM_AUTO), 0);
    assert_string_equal(config(&r), "/@/.snapshots/1/snapshot/boot/grub2/grub.cfg");
    assert_int_equal(r.b->entry, 1);
    assert_int_equal(r.b->menu->semantics, PVB_CFG_SEM_SUSE);
    assert_string_equal(r.b->kernel.path, "/@/.snapshots/1/snapshot/boot/vmlinuz-5.14");
    assert_string_equal(r.b->args, "root=/dev/xvda2 mods-found");
    assert_int_equal(r.b->ninitrds, 1);
    assert_string_equal(r.b->initrds[0].path, "/@/.snapshots/1/snapshot/boot/initrd-5.14");
    extract(&r, &k, &i);
    assert_string_equal(k.s, "snapshot 1 kernel\n");
    assert_string_equal(i.s, "snapshot 1 initrd\n");
    /* btrfs_subvol names a snapshot from the top level; btrfs_subvolid by its id. */
    assert_int_equal(pvb_boot_choose(r.b, 2, NULL), 0);
    assert_string_equal(r.b->kernel.path, "/@/.snapshots/2/snapshot/boot/vmlinuz-5.14");
    extract(&r, &k, &i);
    assert_string_equal(k.s, "snapshot 2 kernel\n");
    assert_int_equal(pvb_boot_choose(r.b, 3, NULL), 0);
    assert_string_equal(r.b->kernel.path, "/@/.snapshots/2/snapshot/boot/vmlinuz-5.14");
    /* btrfs_relative_path=n: paths from the top level again (grub_btrfs_mount's test). */
    assert_int_equal(pvb_boot_choose(r.b, 4, NULL), 0);
    assert_string_equal(r.b->kernel.path, "/@/boot/vmlinuz-5.14");
    extract(&r, &k, &i);
    assert_string_equal(k.s, "decoy\n");
    run_free(&r);
    /* --semantics=suse: the same. */
    assert_int_equal(decide(&r, "suse.img", PVB_CFG_SEM_SUSE), 0);
    assert_string_equal(r.b->kernel.path, "/@/.snapshots/1/snapshot/boot/vmlinuz-5.14");
    run_free(&r);
}

/* Upstream GRUB reads from the top level only: no config there or in /@ or /root. */
static void test_suse_upstream_finds_nothing(void **state)
{
    struct run r;

    (void)state;
    assert_int_equal(decide(&r, "suse.img", PVB_CFG_SEM_UPSTREAM), PVB_ENOBOOT);
    assert_msg_has(&r.t.c, "no bootloader config");
    run_free(&r);
}

/*
 * The same config evaluated by upstream GRUB's rules: btrfs_relative_path is a
 * variable like any other, btrfs-mount-subvol an unknown command, paths stay.
 */
static void test_suse_config_upstream(void **state)
{
    struct run r;
    struct pvb_cfg_opts co;
    struct pvb_cfg_env env;
    struct pvb_menu *m = NULL;
    char *buf;
    size_t len;

    (void)state;
    if (!ready)
        skip();
    test_ctx_init(&r.t);
    {
        char path[512];
        snprintf(path, sizeof(path), "%s/suse.img", dir);
        assert_int_equal(pvb_disk_open_path(&r.t.c, path, NULL, &r.d), 0);
    }
    assert_int_equal(pvb_boot_open(&r.t.c, r.d, -1, &r.b), 0);
    r.b->vol = 0;
    pvb_boot_env(r.b, &env);
    assert_int_equal(env.read_file(env.arg, &r.t.c, "", "/@/.snapshots/1/snapshot/boot/grub2/grub.cfg",
                                   65536, &buf, &len), 0);
    pvb_cfg_opts_init(&co);
    co.semantics = PVB_CFG_SEM_UPSTREAM;
    co.path = "/@/.snapshots/1/snapshot/boot/grub2/grub.cfg";
    co.device = "hd0";
    co.flags = PVB_CFG_LOAD_ALL;
    assert_int_equal(pvb_cfg_eval(&r.t.c, &co, &env, buf, len, &m), 0);
    assert_true(test_warned(&r.t, "unknown command 'btrfs-mount-subvol'"));
    /* $prefix is the config's directory from the top: its grubenv is read as it is. */
    assert_int_equal(m->chosen, 1);
    assert_string_equal(m->entries[1].kernel.path, "/boot/vmlinuz-5.14");
    assert_string_equal(m->entries[1].args, "root=/dev/xvda2");
    assert_int_equal(m->semantics, PVB_CFG_SEM_UPSTREAM);
    pvb_menu_free(m);
    pvb_free(&r.t.c, buf);
    run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ubuntu),
        cmocka_unit_test(test_fedora),
        cmocka_unit_test(test_suse),
        cmocka_unit_test(test_suse_upstream_finds_nothing),
        cmocka_unit_test(test_suse_config_upstream),
    };
    int rc = cmocka_run_group_tests(tests, group_setup, group_teardown);

    if (!ready)
        fprintf(stderr, "# btrfs boot tests skipped: %s\n", why);
    return rc;
}
