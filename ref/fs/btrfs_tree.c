/* SPDX-License-Identifier: GPL-2.0-only */
/* btrfs B-trees: node header and item checks, search by key, stepping through items in order. */
#include <stdio.h>
#include <string.h>

#include "fs/btrfs.h"
#include "util/budget.h"
#include "util/bytes.h"
#include "util/crc.h"
#include "util/mem.h"

/* struct btrfs_header */
#define H_CSUM    0x00
#define H_FSID    0x20
#define H_BYTENR  0x30
#define H_NRITEMS 0x60
#define H_LEVEL   0x64
/* struct btrfs_item after its key; struct btrfs_key_ptr after its key */
#define I_OFFSET  17
#define I_SIZE    21
#define KP_PTR    17

static void key_decode(const uint8_t *p, struct bt_key *k)
{
    k->obj = pvb_le64(p);
    k->type = p[8];
    k->off = pvb_le64(p + 9);
}

int pvb_bt_key_cmp(const struct bt_key *a, const struct bt_key *b)
{
    if (a->obj != b->obj)
        return a->obj < b->obj ? -1 : 1;
    if (a->type != b->type)
        return a->type < b->type ? -1 : 1;
    if (a->off != b->off)
        return a->off < b->off ? -1 : 1;
    return 0;
}

/* The key of entry i of a node (an item of a leaf, a key pointer of an internal node). */
static void node_key(const uint8_t *b, unsigned i, struct bt_key *k)
{
    key_decode(b + BT_HDR + (b[H_LEVEL] ? BT_KEYPTR : BT_ITEM) * i, k);
}

static int bad(struct pvb_btrfs *fs, uint64_t bytenr, const char *what, unsigned long long a,
               unsigned long long b)
{
    return pvb_fail(fs->ctx, PVB_ECORRUPT, "btrfs: node %llu: %s (%llu, %llu)",
                    (unsigned long long)bytenr, what, a, b);
}

/*
 * A node as the kernel's tree-checker wants it (check_leaf, check_node):
 * checksum (a mismatch is a warning, an error with PVB_CTX_STRICT: GRUB does
 * not check), fsid, its own address, the level its parent implies, an item
 * count the node can hold, keys strictly rising, and leaf item data packed
 * back to front inside the node.
 */
static int node_check(struct pvb_btrfs *fs, const uint8_t *b, uint64_t bytenr, unsigned level,
                      uint32_t got)
{
    uint32_t ns = fs->nodesize, data = ns - BT_HDR, want;
    unsigned nr = pvb_le32(b + H_NRITEMS), i;
    struct bt_key k, pk;

    want = pvb_le32(b + H_CSUM);
    if (want != got) {
        if (fs->ctx->flags & PVB_CTX_STRICT)
            return pvb_fail(fs->ctx, PVB_ECHECKSUM, "btrfs: node %llu: crc32c 0x%08x, computed "
                            "0x%08x", (unsigned long long)bytenr, (unsigned)want, (unsigned)got);
        pvb_warn(fs->ctx, "btrfs: node %llu: crc32c 0x%08x, computed 0x%08x",
                 (unsigned long long)bytenr, (unsigned)want, (unsigned)got);
    }
    if (memcmp(b + H_FSID, fs->meta_fsid, 16) != 0)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "btrfs: node %llu: fsid is not the filesystem's",
                        (unsigned long long)bytenr);
    if (pvb_le64(b + H_BYTENR) != bytenr)
        return bad(fs, bytenr, "header names another address", pvb_le64(b + H_BYTENR), bytenr);
    if (b[H_LEVEL] != level)
        return bad(fs, bytenr, "level is not the one its parent implies", b[H_LEVEL], level);
    if (nr > data / (level ? BT_KEYPTR : BT_ITEM) || (level && nr == 0))
        return bad(fs, bytenr, "item count out of range", nr, data / (level ? BT_KEYPTR : BT_ITEM));
    for (i = 0; i < nr; i++) {
        node_key(b, i, &k);
        if (i > 0 && pvb_bt_key_cmp(&pk, &k) >= 0)
            return bad(fs, bytenr, "keys out of order at items", i - 1, i);
        pk = k;
        if (level == 0) {
            const uint8_t *it = b + BT_HDR + BT_ITEM * i;
            uint32_t off = pvb_le32(it + I_OFFSET), sz = pvb_le32(it + I_SIZE);
            uint32_t end = i ? pvb_le32(it - BT_ITEM + I_OFFSET) : data;

            if (off > data || sz > data - off || off + sz != end || off < BT_ITEM * nr)
                return pvb_fail(fs->ctx, PVB_ECORRUPT, "btrfs: node %llu: item %u (%u bytes at "
                                "%u) is outside the leaf or not packed after item %u",
                                (unsigned long long)bytenr, i, (unsigned)sz, (unsigned)off,
                                i ? i - 1 : 0);
        }
    }
    return 0;
}

int pvb_bt_node_check(struct pvb_btrfs *fs, const uint8_t *b, uint64_t bytenr, unsigned level)
{
    return node_check(fs, b, bytenr, level, pvb_crc32c(b + BT_CSUM_SIZE, fs->nodesize - BT_CSUM_SIZE));
}

void pvb_bt_path_init(struct pvb_btrfs *fs, struct bt_path *p, const struct bt_root *root)
{
    memset(p, 0, sizeof(*p));
    p->fs = fs;
    p->root = *root;
}

void pvb_bt_path_free(struct bt_path *p)
{
    unsigned l;

    for (l = 0; l <= BT_MAX_LEVEL; l++)
        pvb_free(p->fs->ctx, p->lv[l].buf);
}

/*
 * The node at bytenr from the first copy whose checksum and checks pass (the
 * kernel reads the other DUP copy of a bad one); when none does, the first
 * copy as it is, and its checks decide (a bad checksum alone is a warning
 * unless PVB_CTX_STRICT: GRUB does not check them). Each copy's checksum is
 * computed once.
 */
static int read_copies(struct pvb_btrfs *fs, uint8_t *buf, uint64_t bytenr, unsigned level)
{
    uint32_t ns = fs->nodesize, got, got0 = 0;
    unsigned copy;
    uint64_t phys;
    int rc;

    for (copy = 0;; copy++) {
        rc = pvb_bt_map(fs, bytenr, ns, copy, &phys);
        if (rc == PVB_ENOTFOUND && copy > 0)
            break;      /* every copy tried (map says ENOTFOUND only past the last) */
        if (rc || (rc = pvb_disk_pread(fs->vol, buf, ns, phys)) != 0)
            return rc;
        got = pvb_crc32c(buf + BT_CSUM_SIZE, ns - BT_CSUM_SIZE);
        if (copy == 0)
            got0 = got;
        if (got == pvb_le32(buf + H_CSUM) && (rc = node_check(fs, buf, bytenr, level, got)) == 0)
            return 0;
        if (pvb_err_fatal(rc))
            return rc;
    }
    if (copy > 1) {
        pvb_warn(fs->ctx, "btrfs: node %llu: no copy of %u passes its checks", (unsigned long long)
                 bytenr, copy);
        if ((rc = pvb_bt_map(fs, bytenr, ns, 0, &phys)) != 0 ||
            (rc = pvb_disk_pread(fs->vol, buf, ns, phys)) != 0)
            return rc;
    }
    return node_check(fs, buf, bytenr, level, got0);
}

/* read_copies() through the cache: a node taken (warnings given) or refused as the
 * guest's fault is kept, and given again without reading or warning; a fault is not. */
static int read_node(struct pvb_btrfs *fs, uint8_t *buf, uint64_t bytenr, unsigned level)
{
    uint32_t ns = fs->nodesize;
    unsigned slot = 0, i;
    uint8_t *at;
    int rc;

    fs->ncache_clock++;
    for (i = 0; fs->ncache && i < BT_NCACHE; i++) {
        if (fs->ncache_at[i] == bytenr + 1 && fs->ncache_level[i] == level) {
            fs->ncache_used[i] = fs->ncache_clock;
            if (fs->ncache_rc[i])
                return pvb_fail(fs->ctx, fs->ncache_rc[i], "%s", (const char *)(fs->ncache +
                                (size_t)i * ns));
            memcpy(buf, fs->ncache + (size_t)i * ns, ns);
            return 0;
        }
        if (fs->ncache_used[i] < fs->ncache_used[slot])
            slot = i;   /* the least recently used: where a node read now goes */
    }
    if (!fs->ncache && !(fs->ncache = pvb_alloc(fs->ctx, (size_t)BT_NCACHE * ns, "btrfs node cache")))
        return fs->ctx->err;
    rc = read_copies(fs, buf, bytenr, level);
    if (pvb_err_fatal(rc) || (rc && ns < PVB_MSG_MAX))
        return rc;
    at = fs->ncache + (size_t)slot * ns;
    if (rc)
        snprintf((char *)at, PVB_MSG_MAX, "%s", pvb_ctx_msg(fs->ctx));
    else
        memcpy(at, buf, ns);
    fs->ncache_at[slot] = bytenr + 1;
    fs->ncache_used[slot] = fs->ncache_clock;
    fs->ncache_level[slot] = (uint8_t)level;
    fs->ncache_rc[slot] = rc;
    return rc;
}

/*
 * Load the node at bytenr as the path's node at level, under the nodes above
 * it. A node seen higher on the path is a cycle; the first key of a child
 * must be the key its parent points with (the kernel's "first key" check),
 * so a search lands where the key belongs.
 */
static int load(struct bt_path *p, unsigned level, uint64_t bytenr, const struct bt_key *first)
{
    struct pvb_btrfs *fs = p->fs;
    struct bt_level *n = &p->lv[level];
    struct bt_key k;
    unsigned l;
    int rc = 0;

    for (l = level + 1; l <= p->root.level; l++)
        if (p->lv[l].loaded && p->lv[l].bytenr == bytenr)
            return pvb_fail(fs->ctx, PVB_ELOOP, "btrfs: node %llu at level %u is its own "
                            "ancestor", (unsigned long long)bytenr, level);
    if ((rc = pvb_charge(fs->ctx, PVB_BUDGET_SCAN, 1)) != 0)
        return rc;
    if (!n->loaded || n->bytenr != bytenr) {
        n->loaded = 0;
        if (!n->buf && !(n->buf = pvb_alloc(fs->ctx, fs->nodesize, "btrfs node")))
            return fs->ctx->err;
        if ((rc = read_node(fs, n->buf, bytenr, level)) != 0)
            return rc;
        n->nr = pvb_le32(n->buf + H_NRITEMS);
        n->bytenr = bytenr;
        n->loaded = 1;
    }
    n->pos = 0;
    if (first && n->nr > 0) {
        node_key(n->buf, 0, &k);
        if (pvb_bt_key_cmp(&k, first) != 0)
            return pvb_fail(fs->ctx, PVB_ECORRUPT, "btrfs: node %llu: first key (%llu %u %llu) "
                            "is not its parent's (%llu %u %llu)", (unsigned long long)bytenr,
                            (unsigned long long)k.obj, k.type, (unsigned long long)k.off,
                            (unsigned long long)first->obj, first->type,
                            (unsigned long long)first->off);
    } else if (first) {
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "btrfs: node %llu: an empty leaf below the root",
                        (unsigned long long)bytenr);
    }
    return 0;
}

/* Number of the node's keys <= k (they were checked to rise). */
static unsigned upper_bound(const struct bt_level *n, const struct bt_key *k)
{
    unsigned lo = 0, hi = n->nr;
    struct bt_key m;

    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;

        node_key(n->buf, mid, &m);
        if (pvb_bt_key_cmp(&m, k) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Load the child at the node's pos as level - 1. */
static int down(struct bt_path *p, unsigned level)
{
    struct bt_level *n = &p->lv[level];
    const uint8_t *kp = n->buf + BT_HDR + BT_KEYPTR * n->pos;
    struct bt_key first;

    key_decode(kp, &first);
    return load(p, level - 1, pvb_le64(kp + KP_PTR), &first);
}

int pvb_bt_search(struct bt_path *p, const struct bt_key *k)
{
    unsigned level = p->root.level;
    int rc;

    if (level > BT_MAX_LEVEL)
        return pvb_fail(p->fs->ctx, PVB_ECORRUPT, "btrfs: tree %llu: root level %u, at most %u",
                        (unsigned long long)p->root.id, level, BT_MAX_LEVEL);
    if ((rc = load(p, level, p->root.bytenr, NULL)) != 0)
        return rc;
    for (;;) {
        struct bt_level *n = &p->lv[level];
        unsigned ub = upper_bound(n, k);

        if (level == 0) {
            n->pos = ub;
            break;
        }
        n->pos = ub ? ub - 1 : 0;
        if ((rc = down(p, level)) != 0)
            return rc;
        level--;
    }
    p->has_last = 0;
    return 0;
}

static void item_at(const struct bt_path *p, struct bt_item *it)
{
    const uint8_t *b = p->lv[0].buf, *ih = b + BT_HDR + BT_ITEM * p->lv[0].pos;

    key_decode(ih, &it->key);
    it->len = pvb_le32(ih + I_SIZE);
    it->body = b + BT_HDR + pvb_le32(ih + I_OFFSET);
}

static void set_last(struct bt_path *p, const struct bt_item *it)
{
    p->last = it->key;
    p->has_last = 1;
}

int pvb_bt_search_le(struct bt_path *p, const struct bt_key *k, struct bt_item *it)
{
    int rc = pvb_bt_search(p, k);

    if (rc)
        return rc;
    if (p->lv[0].pos == 0)
        return PVB_ENOTFOUND;
    p->lv[0].pos--;
    item_at(p, it);
    set_last(p, it);
    return 0;
}

int pvb_bt_search_ge(struct bt_path *p, const struct bt_key *k, struct bt_item *it)
{
    int rc = pvb_bt_search(p, k);

    if (rc)
        return rc;
    if (p->lv[0].pos > 0) {
        p->lv[0].pos--;
        item_at(p, it);
        if (pvb_bt_key_cmp(&it->key, k) == 0) {
            set_last(p, it);
            return 0;
        }
    } else if (p->lv[0].nr > 0) {
        item_at(p, it);
        set_last(p, it);
        return 0;
    }
    /* pos is the last item < k (or the leaf is empty): the next one is >= k. */
    if (p->lv[0].nr == 0)
        return PVB_ENOTFOUND;
    p->has_last = 0;
    return pvb_bt_next(p, it);
}

int pvb_bt_next(struct bt_path *p, struct bt_item *it)
{
    unsigned l;
    int rc;

    if ((rc = pvb_charge(p->fs->ctx, PVB_BUDGET_SCAN, 1)) != 0)
        return rc;
    if (p->lv[0].pos + 1 < p->lv[0].nr) {
        p->lv[0].pos++;
    } else {
        for (l = 1; l <= p->root.level && p->lv[l].pos + 1 >= p->lv[l].nr; l++)
            ;
        if (l > p->root.level) {
            p->lv[0].pos = p->lv[0].nr;
            return PVB_ENOTFOUND;
        }
        p->lv[l].pos++;
        for (; l > 0; l--)
            if ((rc = down(p, l)) != 0)
                return rc;
        if (p->lv[0].nr == 0)
            return PVB_ENOTFOUND;
    }
    item_at(p, it);
    /* Keys rise across nodes too: a tree whose leaves repeat cannot make a walk go round. */
    if (p->has_last && pvb_bt_key_cmp(&p->last, &it->key) >= 0)
        return pvb_fail(p->fs->ctx, PVB_ECORRUPT, "btrfs: tree %llu: key (%llu %u %llu) after "
                        "(%llu %u %llu): out of order across nodes",
                        (unsigned long long)p->root.id, (unsigned long long)it->key.obj,
                        it->key.type, (unsigned long long)it->key.off,
                        (unsigned long long)p->last.obj, p->last.type,
                        (unsigned long long)p->last.off);
    set_last(p, it);
    return 0;
}
