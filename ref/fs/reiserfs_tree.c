/* SPDX-License-Identifier: GPL-2.0-only */
/* The ReiserFS S+tree: keys, node checks, searching by key and stepping through items in order. */
#include <string.h>

#include "fs/reiserfs.h"
#include "util/budget.h"
#include "util/bytes.h"
#include "util/mem.h"

/* struct block_head */
#define BH_LEVEL 0
#define BH_NR    2
#define BH_FREE  4
/* struct item_head: key, entry count / free space, length, location, version */
#define IH_COUNT    16
#define IH_LEN      18
#define IH_LOC      20
#define IH_VERSION  22

/* 3.5 keys: uniqueness (the high 32 bits) names the type (uniqueness2type). */
#define V1_SD       0u
#define V1_DIRENTRY 500u
#define V1_ANY      555u
#define V1_INDIRECT 0xfffffffeu
#define V1_DIRECT   0xffffffffu

static int v1_type(uint32_t u, unsigned *type)
{
    switch (u) {
    case V1_SD: *type = RS_T_SD; return 0;
    case V1_DIRENTRY: *type = RS_T_DIR; return 0;
    case V1_INDIRECT: *type = RS_T_IND; return 0;
    case V1_DIRECT: *type = RS_T_DIRECT; return 0;
    case V1_ANY: *type = RS_T_ANY; return 0;
    default: *type = RS_T_ANY; return -1;
    }
}

/* Decode a key of a known format (an item's ih_version): -1 when its type is not one. */
static int key_decode(const uint8_t *p, unsigned v36, struct rs_key *k)
{
    uint64_t ot = pvb_le64(p + 8);

    k->dir = pvb_le32(p);
    k->obj = pvb_le32(p + 4);
    if (!v36) {
        k->off = (uint32_t)ot;
        return v1_type((uint32_t)(ot >> 32), &k->type);
    }
    k->off = ot & (((uint64_t)1 << 60) - 1);
    k->type = (unsigned)(ot >> 60);
    return k->type <= RS_T_DIR ? 0 : -1;
}

/* Internal nodes' keys carry no version: the kernel's le_key_version() calls a key 3.6
 * when its top four bits name a direct, indirect or directory item, else 3.5. */
static void key_decode_any(const uint8_t *p, struct rs_key *k)
{
    unsigned t = (unsigned)(pvb_le64(p + 8) >> 60);

    (void)key_decode(p, t == RS_T_IND || t == RS_T_DIRECT || t == RS_T_DIR, k);
}

int pvb_rs_key_cmp(const struct rs_key *a, const struct rs_key *b)
{
    if (a->dir != b->dir)
        return a->dir < b->dir ? -1 : 1;
    if (a->obj != b->obj)
        return a->obj < b->obj ? -1 : 1;
    if (a->off != b->off)
        return a->off < b->off ? -1 : 1;
    if (a->type != b->type)
        return a->type < b->type ? -1 : 1;
    return 0;
}

void pvb_rs_path_init(struct pvb_reiser *fs, struct rs_path *p)
{
    memset(p, 0, sizeof(*p));
    p->fs = fs;
}

void pvb_rs_path_free(struct rs_path *p)
{
    unsigned l;

    for (l = 1; l <= RS_MAX_HEIGHT; l++)
        pvb_free(p->fs->ctx, p->lv[l].buf);
}

static int bad(struct pvb_reiser *fs, uint32_t blk, const char *what, unsigned a, unsigned b)
{
    return pvb_fail(fs->ctx, PVB_ECORRUPT, "reiserfs: node %u: %s (%u, %u)", (unsigned)blk, what,
                    a, b);
}

/* A leaf (is_leaf() in the kernel's stree.c): items packed from the block's end in
 * header order, inside the block, after the headers, and the free space adding up. */
static int check_leaf(struct pvb_reiser *fs, uint32_t blk, const uint8_t *b, unsigned nr)
{
    unsigned i, prev = fs->bs, used = RS_BLKH + RS_IH * nr;
    struct rs_key k, pk;

    if (nr < 1 || nr > (fs->bs - RS_BLKH) / (RS_IH + 1))
        return bad(fs, blk, "leaf item count out of range", nr, (fs->bs - RS_BLKH) / (RS_IH + 1));
    for (i = 0; i < nr; i++) {
        const uint8_t *ih = b + RS_BLKH + RS_IH * i;
        unsigned len = pvb_le16(ih + IH_LEN), loc = pvb_le16(ih + IH_LOC);
        unsigned ver = pvb_le16(ih + IH_VERSION);

        if (loc < used || loc >= fs->bs || len < 1 || len > prev - loc || prev - loc != len)
            return pvb_fail(fs->ctx, PVB_ECORRUPT, "reiserfs: node %u: item %u (%u bytes at %u) "
                            "is outside the block or not packed after item %u", (unsigned)blk, i,
                            len, loc, i ? i - 1 : 0);
        if (ver > 1 || key_decode(ih, ver, &k) != 0 || k.type == RS_T_ANY)
            return pvb_fail(fs->ctx, PVB_ECORRUPT, "reiserfs: node %u: item %u has key format "
                            "%u and no known type", (unsigned)blk, i, ver);
        if (i > 0 && pvb_rs_key_cmp(&pk, &k) >= 0)
            return bad(fs, blk, "item keys out of order at items", i - 1, i);
        pk = k;
        prev = loc;
    }
    if (pvb_le16(b + BH_FREE) != prev - used)
        return bad(fs, blk, "leaf free space does not add up", pvb_le16(b + BH_FREE), prev - used);
    return 0;
}

/* An internal node (is_internal()): nr keys in order, nr + 1 children in the block. */
static int check_internal(struct pvb_reiser *fs, uint32_t blk, const uint8_t *b, unsigned nr)
{
    unsigned i, max = (fs->bs - RS_BLKH - RS_DC) / (RS_KEY + RS_DC);
    struct rs_key k, pk;

    if (nr > max)
        return bad(fs, blk, "internal node key count out of range", nr, max);
    if (pvb_le16(b + BH_FREE) != fs->bs - RS_BLKH - RS_KEY * nr - RS_DC * (nr + 1))
        return bad(fs, blk, "internal node free space does not add up", pvb_le16(b + BH_FREE),
                   fs->bs - RS_BLKH - RS_KEY * nr - RS_DC * (nr + 1));
    for (i = 0; i < nr; i++) {
        key_decode_any(b + RS_BLKH + RS_KEY * i, &k);
        if (i > 0 && pvb_rs_key_cmp(&pk, &k) >= 0)
            return bad(fs, blk, "internal keys out of order at keys", i - 1, i);
        pk = k;
    }
    return 0;
}

static void node_key(const struct rs_level *n, unsigned i, struct rs_key *k)
{
    if (pvb_le16(n->buf + BH_LEVEL) == 1)
        (void)key_decode(n->buf + RS_BLKH + RS_IH * i, pvb_le16(n->buf + RS_BLKH + RS_IH * i +
                                                                IH_VERSION), k);
    else
        key_decode_any(n->buf + RS_BLKH + RS_KEY * i, k);
}

/*
 * Load block blk as the node of the given level, below the nodes above it
 * in the path, holding only keys in [lo, hi). A block seen higher on the path
 * is a cycle; the level must be the one the parent's level implies (as the
 * kernel's search_by_key demands), so a descent ends after the tree's height.
 */
static int load(struct rs_path *p, unsigned level, uint32_t blk, const struct rs_level *parent)
{
    struct pvb_reiser *fs = p->fs;
    struct rs_level *n = &p->lv[level];
    struct rs_key first, last;
    unsigned l, nr, got;
    int rc;

    for (l = level + 1; l <= fs->height; l++)
        if (p->lv[l].blk == blk)
            return pvb_fail(fs->ctx, PVB_ELOOP, "reiserfs: node %u at level %u is its own "
                            "ancestor", (unsigned)blk, level);
    if (blk <= RS_SB_OFFSET >> fs->blog || blk >= fs->nblocks)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "reiserfs: node %u at level %u is outside the "
                        "filesystem (%u blocks)", (unsigned)blk, level, (unsigned)fs->nblocks);
    if ((rc = pvb_charge(fs->ctx, PVB_BUDGET_SCAN, 1)) != 0)
        return rc;
    if (n->blk != blk) {
        n->blk = 0;
        if (!n->buf && !(n->buf = pvb_alloc(fs->ctx, fs->bs, "reiserfs node")))
            return fs->ctx->err;
        if ((rc = pvb_disk_pread(fs->vol, n->buf, fs->bs, (uint64_t)blk << fs->blog)) != 0)
            return rc;
        got = pvb_le16(n->buf + BH_LEVEL);
        nr = pvb_le16(n->buf + BH_NR);
        if (got != level)
            return pvb_fail(fs->ctx, PVB_ECORRUPT, "reiserfs: node %u has level %u, expected %u "
                            "(1..%u)", (unsigned)blk, got, level, RS_MAX_HEIGHT);
        rc = level == 1 ? check_leaf(fs, blk, n->buf, nr) : check_internal(fs, blk, n->buf, nr);
        if (rc)
            return rc;
        n->nr = nr;
        n->blk = blk;
    }
    n->has_lo = parent ? parent->pos > 0 || parent->has_lo : 0;
    n->has_hi = parent ? parent->pos < parent->nr || parent->has_hi : 0;
    if (parent && parent->pos > 0)
        node_key(parent, parent->pos - 1, &n->lo);
    else if (parent)
        n->lo = parent->lo;
    if (parent && parent->pos < parent->nr)
        node_key(parent, parent->pos, &n->hi);
    else if (parent)
        n->hi = parent->hi;
    n->pos = 0;
    if (n->nr == 0)
        return 0;
    node_key(n, 0, &first);
    node_key(n, n->nr - 1, &last);
    if ((n->has_lo && pvb_rs_key_cmp(&first, &n->lo) < 0) ||
        (n->has_hi && pvb_rs_key_cmp(&last, &n->hi) >= 0))
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "reiserfs: node %u holds keys outside the range "
                        "its parent gives it", (unsigned)blk);
    return 0;
}

/* Number of the node's keys <= k (its keys were checked to be in order). */
static unsigned upper_bound(const struct rs_level *n, const struct rs_key *k)
{
    unsigned lo = 0, hi = n->nr;
    struct rs_key m;

    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;

        node_key(n, mid, &m);
        if (pvb_rs_key_cmp(&m, k) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static uint32_t child(const struct rs_level *n, unsigned i)
{
    return pvb_le32(n->buf + RS_BLKH + RS_KEY * n->nr + RS_DC * i);
}

/* Descend from level (whose node and pos are set) to the leaf, choosing by k, or the
 * leftmost child when k is NULL. */
static int descend(struct rs_path *p, unsigned level, const struct rs_key *k)
{
    int rc;

    for (; level > 1; level--) {
        struct rs_level *n = &p->lv[level];

        if ((rc = load(p, level - 1, child(n, n->pos), n)) != 0)
            return rc;
        if (k)
            p->lv[level - 1].pos = upper_bound(&p->lv[level - 1], k);
    }
    return 0;
}

int pvb_rs_search(struct rs_path *p, const struct rs_key *k)
{
    struct pvb_reiser *fs = p->fs;
    int rc;

    if ((rc = load(p, fs->height, fs->root, NULL)) != 0)
        return rc;
    p->lv[fs->height].pos = upper_bound(&p->lv[fs->height], k);
    return descend(p, fs->height, k);
}

int pvb_rs_next(struct rs_path *p)
{
    unsigned l;
    int rc;

    if (p->lv[1].pos + 1 < p->lv[1].nr) {
        p->lv[1].pos++;
        return pvb_charge(p->fs->ctx, PVB_BUDGET_SCAN, 1);
    }
    for (l = 2; l <= p->fs->height && p->lv[l].pos >= p->lv[l].nr; l++)
        ;
    if (l > p->fs->height) {
        p->lv[1].pos = p->lv[1].nr;
        return PVB_ENOTFOUND;
    }
    p->lv[l].pos++;
    if ((rc = descend(p, l, NULL)) != 0)
        return rc;
    return 0;
}

void pvb_rs_item(const struct rs_path *p, unsigned i, struct rs_item *it)
{
    const uint8_t *ih = p->lv[1].buf + RS_BLKH + RS_IH * i;

    it->version = pvb_le16(ih + IH_VERSION);
    (void)key_decode(ih, it->version, &it->key);
    it->count = pvb_le16(ih + IH_COUNT);
    it->len = pvb_le16(ih + IH_LEN);
    it->body = p->lv[1].buf + pvb_le16(ih + IH_LOC);
}
