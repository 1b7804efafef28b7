/* SPDX-License-Identifier: GPL-2.0-only */
/* Test-only ReiserFS writer: objects to items, items to leaves, leaves to a tree, and the bitmaps. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reiserbuild.h"
#include "fs/reiserfs.h"
#include "util/bytes.h"

#define SB_OFF   65536u
#define BLKH     24u
#define IH       24u
#define KEYSZ    16u
#define DC       8u
#define DEH      16u
#define SDV1     32u
#define SDV2     44u
#define MAXH     5u
#define NO_DIRECT 0xffffffffu   /* NO_BYTES_IN_DIRECT_ITEM */

enum { T_SD = 0, T_IND = 1, T_DIRECT = 2, T_DIR = 3 };

struct ent {
    char *name;
    size_t nlen;
    unsigned child;          /* object index */
    uint32_t off;            /* hash + generation, set at commit */
    unsigned seq;            /* order of creation: breaks hash ties */
};

struct obj {
    uint32_t dir, id;
    uint32_t mode, uid, gid, nlink;
    uint8_t *data;
    size_t len;
    struct ent *ents;
    unsigned nents, cap;
    unsigned parent;
};

struct item {
    uint32_t dir, id;
    uint64_t off;
    unsigned type, ver;
    uint16_t count;
    uint8_t *body;
    unsigned len;
};

struct rb {
    uint8_t *img;
    size_t size;
    struct rb_opts o;
    unsigned bs;
    uint32_t nblocks, sbblk, nbmaps;
    unsigned v35, hash, sbsize;
    struct obj *objs;
    unsigned nobj, capobj;
    uint32_t next_oid;
    struct item *items;
    unsigned nitems, capitems;
    uint32_t cursor, since_gap;
    uint32_t root_blk;
    unsigned levels;
    char err[256];
};

static int fail(struct rb *b, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(b->err, sizeof(b->err), fmt, ap);
    va_end(ap);
    return -1;
}

const char *rb_error(const struct rb *b)
{
    return b->err;
}

uint32_t rb_root(const struct rb *b)
{
    return b->root_blk;
}

unsigned rb_levels(const struct rb *b)
{
    return b->levels;
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);

    if (!q) {
        fprintf(stderr, "reiserbuild: out of memory\n");
        abort();
    }
    return q;
}

static uint8_t *blk(struct rb *b, uint32_t n)
{
    return b->img + (size_t)n * b->bs;
}

/* ---- bitmaps: block j*bs*8 holds bitmap j (the first sits after the superblock) ---- */

static uint8_t *bit_byte(struct rb *b, uint32_t n, unsigned *bit)
{
    uint32_t per = b->bs * 8, j = n / per, where = j == 0 ? b->sbblk + 1 : j * per;

    *bit = (n % per) % 8;
    return blk(b, where) + (n % per) / 8;
}

static int used(struct rb *b, uint32_t n)
{
    unsigned bit;
    const uint8_t *p = bit_byte(b, n, &bit);   /* first: it sets bit */

    return (*p >> bit) & 1;
}

static void mark(struct rb *b, uint32_t n, int on)
{
    unsigned bit;
    uint8_t *p = bit_byte(b, n, &bit);

    *p = (uint8_t)(on ? *p | 1u << bit : *p & ~(1u << bit));
}

static int alloc(struct rb *b, uint32_t *out, int data)
{
    if (data && b->o.spread && ++b->since_gap > b->o.spread) {
        b->since_gap = 1;
        b->cursor++;
    }
    for (; b->cursor < b->nblocks; b->cursor++)
        if (!used(b, b->cursor)) {
            mark(b, b->cursor, 1);
            memset(blk(b, b->cursor), 0, b->bs);
            *out = b->cursor++;
            return 0;
        }
    return fail(b, "no free block left (%u blocks)", (unsigned)b->nblocks);
}

/* ---- the model ---------------------------------------------------------------- */

static unsigned new_obj(struct rb *b, unsigned parent, uint32_t mode)
{
    struct obj *o;

    if (b->nobj == b->capobj) {
        b->capobj = b->capobj ? 2 * b->capobj : 64;
        b->objs = xrealloc(b->objs, b->capobj * sizeof(*b->objs));
    }
    o = &b->objs[b->nobj];
    memset(o, 0, sizeof(*o));
    o->parent = parent;
    o->dir = b->nobj ? b->objs[parent].id : 1;
    o->id = b->nobj ? b->next_oid++ : 2;
    o->mode = mode;
    o->nlink = (mode & 0170000) == 0040000 ? 2 : 1;
    return b->nobj++;
}

/* The directory holding path's last name, and that name; -1 when a parent is missing. */
static int walk(struct rb *b, const char *path, const char **name)
{
    unsigned cur = 0, i;
    const char *p = path, *s;

    for (;;) {
        while (*p == '/')
            p++;
        s = strchr(p, '/');
        if (!s || s[strspn(s, "/")] == '\0') {
            *name = p;
            return (int)cur;
        }
        for (i = 0; i < b->objs[cur].nents; i++) {
            struct ent *e = &b->objs[cur].ents[i];

            if (e->nlen == (size_t)(s - p) && memcmp(e->name, p, e->nlen) == 0)
                break;
        }
        if (i == b->objs[cur].nents || (b->objs[b->objs[cur].ents[i].child].mode & 0170000) != 0040000)
            return fail(b, "%s: no directory '%.*s'", path, (int)(s - p), p);
        cur = b->objs[cur].ents[i].child;
        p = s;
    }
}

static int add(struct rb *b, const char *path, uint32_t mode, const void *data, size_t len)
{
    const char *name = NULL;
    int d = walk(b, path, &name);
    size_t nlen;
    unsigned i, c;
    struct obj *dir;

    if (d < 0)
        return -1;
    nlen = strcspn(name, "/");
    if (nlen == 0 || nlen > 255 || (nlen == 1 && name[0] == '.') ||
        (nlen == 2 && name[0] == '.' && name[1] == '.'))
        return fail(b, "%s: bad name", path);
    for (i = 0; i < b->objs[d].nents; i++)
        if (b->objs[d].ents[i].nlen == nlen && memcmp(b->objs[d].ents[i].name, name, nlen) == 0)
            return fail(b, "%s: exists", path);
    c = new_obj(b, (unsigned)d, mode);
    if (len) {
        b->objs[c].data = xrealloc(NULL, len);
        memcpy(b->objs[c].data, data, len);
    }
    b->objs[c].len = len;
    dir = &b->objs[d];
    if ((mode & 0170000) == 0040000)
        dir->nlink++;
    if (dir->nents == dir->cap) {
        dir->cap = dir->cap ? 2 * dir->cap : 8;
        dir->ents = xrealloc(dir->ents, dir->cap * sizeof(*dir->ents));
    }
    dir->ents[dir->nents].name = xrealloc(NULL, nlen + 1);
    memcpy(dir->ents[dir->nents].name, name, nlen);
    dir->ents[dir->nents].name[nlen] = '\0';
    dir->ents[dir->nents].nlen = nlen;
    dir->ents[dir->nents].child = c;
    dir->ents[dir->nents].seq = dir->nents;
    dir->nents++;
    return 0;
}

int rb_mkdir(struct rb *b, const char *path, uint32_t perm)
{
    return add(b, path, 0040000 | (perm & 07777), NULL, 0);
}

int rb_file(struct rb *b, const char *path, uint32_t perm, const void *data, size_t len)
{
    return add(b, path, 0100000 | (perm & 07777), data, len);
}

int rb_symlink(struct rb *b, const char *path, const char *target)
{
    return add(b, path, 0120777, target, strlen(target));
}

/* ---- opening ------------------------------------------------------------------- */

static struct rb *rb_new(uint8_t *img, size_t size, const struct rb_opts *o)
{
    struct rb *b = xrealloc(NULL, sizeof(*b));

    memset(b, 0, sizeof(*b));
    b->img = img;
    b->size = size;
    if (o)
        b->o = *o;
    return b;
}

/* Read the superblock and take the root's attributes from mkreiserfs's root leaf. */
static int parse(struct rb *b)
{
    uint8_t *sb = b->img + SB_OFF;
    uint32_t root;

    if (b->size < SB_OFF + 4096)
        return fail(b, "image too small");
    /* ReIsEr3Fs: a journal of another size or place ("relocated"); s_version says 3.5 or 3.6. */
    if (memcmp(sb + 52, "ReIsErFs", 9) == 0 ||
        (memcmp(sb + 52, "ReIsEr3Fs", 10) == 0 && pvb_le16(sb + 72) == 0))
        b->v35 = 1;
    else if (memcmp(sb + 52, "ReIsEr2Fs", 10) != 0 && memcmp(sb + 52, "ReIsEr3Fs", 10) != 0)
        return fail(b, "no ReIsErFs, ReIsEr2Fs or ReIsEr3Fs magic");
    b->bs = pvb_le16(sb + 44);
    b->nblocks = pvb_le32(sb);
    if (b->bs < 512 || (b->bs & (b->bs - 1)) || (uint64_t)b->nblocks * b->bs > b->size)
        return fail(b, "bad block size %u or count %u", b->bs, (unsigned)b->nblocks);
    b->sbblk = SB_OFF / b->bs;
    b->nbmaps = (b->nblocks + b->bs * 8 - 1) / (b->bs * 8);
    b->hash = pvb_le32(sb + 64);
    b->sbsize = b->v35 ? 76 : 204;
    if (pvb_le16(sb + 48) != 2 || pvb_le32(sb + b->sbsize) != 1)
        return fail(b, "objectid map is not the fresh one");
    b->next_oid = pvb_le32(sb + b->sbsize + 4);
    root = pvb_le32(sb + 8);
    new_obj(b, 0, 0040755);
    b->objs[0].nlink = 3;
    if (root) {
        uint8_t *l = blk(b, root);
        unsigned loc = pvb_le16(l + BLKH + 20);

        if (pvb_le16(l) != 1 || pvb_le16(sb + 68) != 2 || pvb_le32(l + BLKH) != 1 ||
            pvb_le32(l + BLKH + 4) != 2 || pvb_le64(l + BLKH + 8) != 0)
            return fail(b, "the tree is not mkreiserfs's empty root leaf");
        b->objs[0].mode = pvb_le16(l + loc);
        b->objs[0].nlink = b->v35 ? pvb_le16(l + loc + 2) : pvb_le32(l + loc + 4);
        mark(b, root, 0);
    }
    b->cursor = root ? root : b->sbblk + 2;
    return 0;
}

struct rb *rb_open(uint8_t *img, size_t size, const struct rb_opts *o)
{
    struct rb *b = rb_new(img, size, o);

    if (parse(b) != 0) {
        fprintf(stderr, "reiserbuild: %s\n", b->err);
        rb_free(b);
        return NULL;
    }
    return b;
}

struct rb *rb_format(uint8_t *img, size_t size, unsigned bs, int v35, unsigned hash,
                     const struct rb_opts *o)
{
    uint8_t *sb = img + SB_OFF;
    uint32_t n = (uint32_t)(size / bs), per = bs * 8, j, i, nb = (n + per - 1) / per;
    unsigned sbsize = v35 ? 76 : 204;

    memset(img, 0, size);
    pvb_put_le32(sb, n);
    pvb_put_le32(sb + 12, SB_OFF / bs + 2);       /* journal: first block, size 0 */
    pvb_put_le16(sb + 44, (uint16_t)bs);
    pvb_put_le16(sb + 46, (uint16_t)((bs - sbsize) / 4 & ~1u));
    pvb_put_le16(sb + 48, 2);
    pvb_put_le16(sb + 50, 1);                     /* REISERFS_VALID_FS */
    memcpy(sb + 52, v35 ? "ReIsErFs" : "ReIsEr2Fs", v35 ? 8 : 9);
    pvb_put_le32(sb + 64, hash);
    pvb_put_le16(sb + 68, 2);
    pvb_put_le16(sb + 70, (uint16_t)nb);
    pvb_put_le16(sb + 72, v35 ? 0 : 2);
    pvb_put_le32(sb + sbsize, 1);
    pvb_put_le32(sb + sbsize + 4, 3);
    /* Used: everything up to the first bitmap, every bitmap, the bits past the end. */
    for (j = 0; j < nb; j++) {
        uint32_t where = j == 0 ? SB_OFF / bs + 1 : j * per;

        for (i = 0; i < per; i++) {
            uint32_t blkno = j * per + i;

            if (blkno >= n || blkno <= SB_OFF / bs + 1 || blkno == where)
                img[(size_t)where * bs + i / 8] |= (uint8_t)(1u << (i % 8));
        }
    }
    return rb_open(img, size, o);
}

void rb_free(struct rb *b)
{
    unsigned i, j;

    if (!b)
        return;
    for (i = 0; i < b->nobj; i++) {
        for (j = 0; j < b->objs[i].nents; j++)
            free(b->objs[i].ents[j].name);
        free(b->objs[i].ents);
        free(b->objs[i].data);
    }
    for (i = 0; i < b->nitems; i++)
        free(b->items[i].body);
    free(b->objs);
    free(b->items);
    free(b);
}

/* ---- items -------------------------------------------------------------------------- */

static struct item *new_item(struct rb *b, const struct obj *o, uint64_t off, unsigned type,
                             unsigned len)
{
    struct item *it;

    if (b->nitems == b->capitems) {
        b->capitems = b->capitems ? 2 * b->capitems : 256;
        b->items = xrealloc(b->items, b->capitems * sizeof(*b->items));
    }
    it = &b->items[b->nitems++];
    memset(it, 0, sizeof(*it));
    it->dir = o->dir;
    it->id = o->id;
    it->off = off;
    it->type = type;
    /* 3.6 objects have 3.6 keys, but directories and symlinks keep 3.5 keys for their
     * bodies (reiserfs_new_inode); their stat data is v2 all the same. */
    it->ver = b->v35 || (type != T_SD && (o->mode & 0170000) != 0100000) ? 0 : 1;
    it->len = len;
    it->body = xrealloc(NULL, len);
    memset(it->body, 0, len);
    return it;
}

static void put_key(uint8_t *p, const struct item *it)
{
    static const uint32_t uniq[] = { 0, 0xfffffffeu, 0xffffffffu, 500 };

    pvb_put_le32(p, it->dir);
    pvb_put_le32(p + 4, it->id);
    if (it->ver == 0) {
        pvb_put_le32(p + 8, (uint32_t)it->off);
        pvb_put_le32(p + 12, uniq[it->type]);
    } else {
        pvb_put_le64(p + 8, (uint64_t)it->type << 60 | it->off);
    }
}

static unsigned item_room(const struct rb *b)
{
    return (b->o.leaf_max && b->o.leaf_max < b->bs - BLKH ? b->o.leaf_max : b->bs - BLKH) - IH;
}

static unsigned name_room(const struct rb *b, size_t nlen)
{
    return b->v35 ? (unsigned)nlen : (unsigned)((nlen + 7) & ~(size_t)7);
}

static int cmp_ent(const void *x, const void *y)
{
    const struct ent *a = x, *c = y;

    if (a->off != c->off)
        return a->off < c->off ? -1 : 1;
    return a->seq < c->seq ? -1 : a->seq > c->seq;
}

/* A directory: ".", "..", then the names by hash and generation, cut into items. */
static int dir_items(struct rb *b, struct obj *o, uint64_t *size)
{
    unsigned max = b->o.dir_item_max && b->o.dir_item_max < item_room(b) ? b->o.dir_item_max
                                                                            : item_room(b);
    unsigned i, n = o->nents + 2, first = 0;
    struct ent *all = xrealloc(NULL, n * sizeof(*all));
    const struct obj *par = &b->objs[o->parent];

    all[0].name = ".";
    all[0].nlen = 1;
    all[0].off = 1;
    all[0].child = (unsigned)(o - b->objs);
    all[1].name = "..";
    all[1].nlen = 2;
    all[1].off = 2;
    all[1].child = o->parent;
    for (i = 0; i < o->nents; i++) {
        all[i + 2] = o->ents[i];
        all[i + 2].off = pvb_reiserfs_name_offset(b->hash, (const uint8_t *)o->ents[i].name,
                                                   o->ents[i].nlen);
    }
    qsort(all + 2, o->nents, sizeof(*all), cmp_ent);
    for (i = 3; i < n; i++)        /* generations for equal hashes */
        if ((all[i].off & 0x7fffff80u) == (all[i - 1].off & 0x7fffff80u)) {
            if ((all[i - 1].off & 127) == 127) {
                free(all);
                return fail(b, "more than 128 names with one hash");
            }
            all[i].off = all[i - 1].off + 1;
        }
    *size = 0;
    while (first < n) {
        unsigned len = 0, cnt = 0, loc;
        struct item *it;

        while (first + cnt < n && len + DEH + name_room(b, all[first + cnt].nlen) <= max) {
            len += DEH + name_room(b, all[first + cnt].nlen);
            cnt++;
        }
        if (cnt == 0) {
            free(all);
            return fail(b, "a directory entry does not fit an item of %u bytes", max);
        }
        it = new_item(b, o, all[first].off, T_DIR, len);
        it->count = (uint16_t)cnt;
        loc = len;
        for (i = 0; i < cnt; i++) {
            const struct ent *e = &all[first + i];
            const struct obj *c = e == &all[1] ? par : &b->objs[e->child];
            uint8_t *h = it->body + DEH * i;

            loc -= name_room(b, e->nlen);
            pvb_put_le32(h, e->off);
            /* The root's ".." names its fake parent [0 1], as mkreiserfs writes it. */
            pvb_put_le32(h + 4, e == &all[1] && o == b->objs ? 0 : c->dir);
            pvb_put_le32(h + 8, e == &all[1] && o == b->objs ? 1 : c->id);
            pvb_put_le16(h + 12, (uint16_t)loc);
            pvb_put_le16(h + 14, 4);       /* DEH_Visible */
            memcpy(it->body + loc, e->name, e->nlen);
        }
        *size += len;
        first += cnt;
    }
    free(all);
    return 0;
}

static int zero_block(const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

/* A file or symlink body: whole blocks as indirect items, the tail as a direct item when
 * it fits one and tails are on (symlinks always are direct); returns 512-byte blocks used. */
static int body_items(struct rb *b, struct obj *o, uint64_t *sectors, uint32_t *first_direct)
{
    size_t nfull, tail, nunf, i, per = item_room(b) / 4;
    unsigned maxdirect = b->bs - BLKH - 2 * IH - SDV2 - 4;
    int sym = (o->mode & 0170000) == 0120000;
    uint64_t used_blocks = 0;

    *first_direct = sym ? 1 : NO_DIRECT;
    *sectors = 0;
    if (o->len == 0)
        return 0;
    if (maxdirect > item_room(b))
        maxdirect = item_room(b);
    nfull = o->len / b->bs;
    tail = o->len % b->bs;
    if (sym) {
        struct item *it;

        if (o->len > maxdirect)
            return fail(b, "symlink target of %zu bytes is too long", o->len);
        it = new_item(b, o, 1, T_DIRECT, (unsigned)o->len);
        memcpy(it->body, o->data, o->len);
        *sectors = (o->len + 511) / 512;
        return 0;
    }
    if (tail && (b->o.notail || tail > maxdirect)) {
        nfull++;
        tail = 0;
    }
    for (nunf = 0; nunf < nfull; nunf += per) {
        size_t cnt = nfull - nunf < per ? nfull - nunf : per;
        struct item *it = new_item(b, o, (uint64_t)nunf * b->bs + 1, T_IND, (unsigned)(cnt * 4));

        for (i = 0; i < cnt; i++) {
            size_t at = (nunf + i) * b->bs, n = o->len - at < b->bs ? o->len - at : b->bs;
            uint32_t where = 0;

            if (!(b->o.holes && zero_block(o->data + at, n))) {
                if (alloc(b, &where, 1) != 0)
                    return -1;
                memcpy(blk(b, where), o->data + at, n);
                used_blocks++;
            }
            pvb_put_le32(it->body + 4 * i, where);
        }
    }
    *sectors = used_blocks * (b->bs / 512);
    if (tail) {
        struct item *it = new_item(b, o, (uint64_t)nfull * b->bs + 1, T_DIRECT, (unsigned)tail);

        memcpy(it->body, o->data + nfull * b->bs, tail);
        it->count = 0xffff;
        *first_direct = (uint32_t)(nfull * b->bs + 1);
        *sectors += b->bs / 512;     /* reiserfsck counts a tail as a whole block */
    }
    return 0;
}

static void sd_item(struct rb *b, const struct obj *o, uint64_t size, uint64_t sectors,
                    uint32_t first_direct)
{
    struct item *it = new_item(b, o, 0, T_SD, b->v35 ? SDV1 : SDV2);
    uint8_t *p = it->body;
    uint32_t t = b->o.time;

    pvb_put_le16(p, (uint16_t)o->mode);
    if (b->v35) {
        pvb_put_le16(p + 2, (uint16_t)o->nlink);
        pvb_put_le16(p + 4, (uint16_t)o->uid);
        pvb_put_le16(p + 6, (uint16_t)o->gid);
        pvb_put_le32(p + 8, (uint32_t)size);
        pvb_put_le32(p + 12, t);
        pvb_put_le32(p + 16, t);
        pvb_put_le32(p + 20, t);
        pvb_put_le32(p + 24, (uint32_t)sectors);
        pvb_put_le32(p + 28, first_direct);
    } else {
        pvb_put_le32(p + 4, o->nlink);
        pvb_put_le64(p + 8, size);
        pvb_put_le32(p + 16, o->uid);
        pvb_put_le32(p + 20, o->gid);
        pvb_put_le32(p + 24, t);
        pvb_put_le32(p + 28, t);
        pvb_put_le32(p + 32, t);
        pvb_put_le32(p + 36, (uint32_t)sectors);
    }
}

static int cmp_item(const void *x, const void *y)
{
    const struct item *a = x, *c = y;

    if (a->dir != c->dir)
        return a->dir < c->dir ? -1 : 1;
    if (a->id != c->id)
        return a->id < c->id ? -1 : 1;
    if (a->off != c->off)
        return a->off < c->off ? -1 : 1;
    return a->type < c->type ? -1 : a->type > c->type;
}

/* ---- the tree ------------------------------------------------------------------------- */

struct node {
    uint32_t blk;
    uint8_t key[KEYSZ];      /* the first key below it */
    unsigned size;           /* bytes used past the block head (dc_size) */
};

static int write_leaves(struct rb *b, struct node **out, unsigned *nout)
{
    unsigned room = item_room(b) + IH, i = 0, n = 0, cap = 0;
    struct node *nodes = NULL;

    while (i < b->nitems) {
        unsigned cnt = 0, usedb = 0, loc = b->bs, k;
        uint8_t *l;
        uint32_t where;

        while (i + cnt < b->nitems && usedb + IH + b->items[i + cnt].len <= room) {
            usedb += IH + b->items[i + cnt].len;
            cnt++;
        }
        if (alloc(b, &where, 0) != 0) {
            free(nodes);
            return -1;
        }
        l = blk(b, where);
        pvb_put_le16(l, 1);
        pvb_put_le16(l + 2, (uint16_t)cnt);
        pvb_put_le16(l + 4, (uint16_t)(b->bs - BLKH - usedb));
        for (k = 0; k < cnt; k++) {
            const struct item *it = &b->items[i + k];
            uint8_t *ih = l + BLKH + IH * k;

            loc -= it->len;
            put_key(ih, it);
            pvb_put_le16(ih + 16, it->count);
            pvb_put_le16(ih + 18, (uint16_t)it->len);
            pvb_put_le16(ih + 20, (uint16_t)loc);
            pvb_put_le16(ih + 22, (uint16_t)it->ver);
            memcpy(l + loc, it->body, it->len);
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            nodes = xrealloc(nodes, cap * sizeof(*nodes));
        }
        nodes[n].blk = where;
        memcpy(nodes[n].key, l + BLKH, KEYSZ);
        nodes[n].size = usedb;
        n++;
        i += cnt;
    }
    *out = nodes;
    *nout = n;
    return 0;
}

/* One level of internal nodes over the nodes below; replaces *nodes. */
static int write_level(struct rb *b, unsigned level, struct node **nodes, unsigned *n)
{
    unsigned max = (b->bs - BLKH - DC) / (KEYSZ + DC) + 1, i = 0, m = 0;
    struct node *up = xrealloc(NULL, *n * sizeof(*up));

    if (b->o.fanout >= 2 && b->o.fanout < max)
        max = b->o.fanout;
    while (i < *n) {
        unsigned cnt = *n - i < max ? *n - i : max, k;
        uint8_t *p;
        uint32_t where;

        /* Do not leave a lone child for the last node. */
        if (*n - i > max && *n - i - max < 2)
            cnt = max - 1;
        if (alloc(b, &where, 0) != 0) {
            free(up);
            return -1;
        }
        p = blk(b, where);
        pvb_put_le16(p, (uint16_t)level);
        pvb_put_le16(p + 2, (uint16_t)(cnt - 1));
        pvb_put_le16(p + 4, (uint16_t)(b->bs - BLKH - (cnt - 1) * KEYSZ - cnt * DC));
        for (k = 0; k < cnt; k++) {
            uint8_t *dc = p + BLKH + (cnt - 1) * KEYSZ + DC * k;

            if (k > 0)
                memcpy(p + BLKH + (k - 1) * KEYSZ, (*nodes)[i + k].key, KEYSZ);
            pvb_put_le32(dc, (*nodes)[i + k].blk);
            pvb_put_le16(dc + 4, (uint16_t)(*nodes)[i + k].size);
        }
        up[m].blk = where;
        memcpy(up[m].key, (*nodes)[i].key, KEYSZ);
        up[m].size = (cnt - 1) * KEYSZ + cnt * DC;
        m++;
        i += cnt;
    }
    free(*nodes);
    *nodes = up;
    *n = m;
    return 0;
}

static uint32_t count_free(struct rb *b)
{
    uint32_t n, f = 0;

    for (n = 0; n < b->nblocks; n++)
        f += !used(b, n);
    return f;
}

/* mkreiserfs draws jp_journal_magic at random and writes it to the superblock and the
 * journal header (the block after the journal); one fixed value in both keeps two builds of
 * one tree identical, and the two copies equal, as the kernel's journal_init demands. */
static void pin_journal_magic(struct rb *b)
{
    uint8_t *sb = b->img + SB_OFF;
    uint64_t hdr = (uint64_t)pvb_le32(sb + 12) + pvb_le32(sb + 20);

    if (pvb_le32(sb + 20) == 0 || hdr >= b->nblocks)
        return;
    pvb_put_le32(sb + 28, 0x5eed4e15u);
    pvb_put_le32(blk(b, (uint32_t)hdr) + 28, 0x5eed4e15u);
}

int rb_commit(struct rb *b)
{
    struct node *nodes = NULL;
    unsigned i, n, level = 1;
    uint8_t *sb = b->img + SB_OFF;

    for (i = 0; i < b->nitems; i++)
        free(b->items[i].body);
    b->nitems = 0;
    for (i = 0; i < b->nobj; i++) {
        struct obj *o = &b->objs[i];
        uint64_t size = o->len, sectors = 0;
        uint32_t fd = NO_DIRECT;
        int rc;

        if ((o->mode & 0170000) == 0040000) {
            rc = dir_items(b, o, &size);
            sectors = (size + 511) / 512;
        } else {
            rc = body_items(b, o, &sectors, &fd);
        }
        if (rc)
            return -1;
        sd_item(b, o, size, sectors, fd);
    }
    qsort(b->items, b->nitems, sizeof(*b->items), cmp_item);
    if (write_leaves(b, &nodes, &n) != 0)
        return -1;
    while (n > 1) {
        if (++level > MAXH) {
            free(nodes);
            return fail(b, "the tree would be higher than %u levels", MAXH);
        }
        if (write_level(b, level, &nodes, &n) != 0)
            return -1;
    }
    b->root_blk = nodes[0].blk;
    b->levels = level;
    free(nodes);
    pvb_put_le32(sb + 8, b->root_blk);
    pvb_put_le16(sb + 68, (uint16_t)(level + 1));
    pvb_put_le32(sb + 4, count_free(b));
    pvb_put_le32(sb + b->sbsize + 4, b->next_oid);
    pvb_put_le32(sb + 120, b->o.time);          /* s_lastcheck: mkreiserfs writes the clock */
    pin_journal_magic(b);
    return 0;
}
