/* SPDX-License-Identifier: GPL-2.0-only */
/* LVM2: labels, PV headers and metadata areas on disk, logical volumes from the metadata. */
#include <stdio.h>
#include <string.h>

#include "vol/lvm.h"
#include "vol/vol.h"
#include "util/budget.h"
#include "util/bytes.h"
#include "util/crc.h"
#include "util/mem.h"
#include "util/safemath.h"

/*
 * On-disk layout (lvm2 lib/label/label.h, lib/format_text/layout.h), all
 * little-endian. The label is in one of the PV's first four 512-byte sectors:
 *   0 id "LABELONE", 8 sector_xl (the sector it is in), 16 crc_xl (over bytes
 *   20..511), 20 offset_xl (of the PV header in the sector), 24 type "LVM2 001".
 * The PV header: 0 uuid (32 characters, no dashes), 32 device_size_xl, 40 a list
 * of {offset, size} data areas ended by a zero offset, then a list of metadata
 * areas ended the same way; offsets are bytes from the PV's start.
 * A metadata area starts with a 512-byte header: 0 checksum_xl (over bytes
 * 4..511), 4 magic, 20 version (1), 24 start (the area's own offset), 32 size,
 * 40 raw_locn[] {offset, size, checksum, flags} of 24 bytes ended by a zero
 * offset; the first is the committed metadata, `offset` bytes into the area, a
 * circular buffer over the area after its header (it wraps back to byte 512).
 */
#define SECTOR          512u
#define LABEL_SCAN      4u
#define LABEL_ID        "LABELONE"
#define LABEL_TYPE      "LVM2 001"
#define ID_LEN          32u
#define ID_STRLEN       38u      /* with the dashes the metadata writes: 6-4-4-4-4-4-6 */
#define MDA_HEADER_SIZE 512u
#define MDA_MAGIC       "\040\114\126\115\062\040\170\133\065\101\045\162\060\116\052\076"
#define RAW_LOCN_IGNORED 0x1u
#define NAME_LEN        127u     /* lvm2 NAME_LEN 128 with its NUL */

/* A PV found on one area of the disk. */
struct pv {
    char uuid[ID_LEN];
    uint64_t base, size;            /* the area: bytes on the disk */
    const char *where;              /* the area's name */
    char *text;                     /* its committed metadata, or NULL */
    size_t len;
};

struct scan {
    struct pvb_ctx *c;
    struct pvb_disk *d;
    struct pv *pvs;
    unsigned npvs, cap;
    struct pvb_vol_set *out;
};

/* A guest's fault: warn with its message and go on; a host's: return it. */
static int soft(struct pvb_ctx *c, int rc)
{
    if (rc == 0 || pvb_err_fatal(rc))
        return rc;
    pvb_warn(c, "%s", pvb_ctx_msg(c));
    pvb_ctx_clear(c);
    return 0;
}

/* ---- on disk --------------------------------------------------------------- */

static uint32_t lvm_crc(uint32_t reg, const void *buf, size_t n)
{
    return pvb_crc32_update(reg, buf, n);
}

/* The metadata of one area, into pv->text (NULL when the area holds none). */
static int read_mda(struct scan *s, struct pv *pv, uint64_t off, uint64_t size)
{
    struct pvb_ctx *c = s->c;
    unsigned char h[MDA_HEADER_SIZE];
    uint64_t loff, lsize, first;
    uint32_t sum;
    size_t n;
    char *text;
    int rc;

    if (size < MDA_HEADER_SIZE || !pvb_span_ok(off, size, pv->size))
        return pvb_fail(c, PVB_ECORRUPT, "lvm: (%s): metadata area of %llu bytes at %llu is outside the PV",
                        pv->where, (unsigned long long)size, (unsigned long long)off);
    rc = pvb_disk_pread(s->d, h, sizeof(h), pv->base + off);
    if (rc)
        return rc;
    if (memcmp(h + 4, MDA_MAGIC, 16) != 0 || pvb_le32(h + 20) != 1)
        return pvb_fail(c, PVB_ECORRUPT, "lvm: (%s): no LVM2 metadata area header at %llu",
                        pv->where, (unsigned long long)off);
    if (lvm_crc(PVB_LVM_INITIAL_CRC, h + 4, sizeof(h) - 4) != pvb_le32(h))
        return pvb_fail(c, PVB_ECORRUPT, "lvm: (%s): metadata area header checksum is wrong", pv->where);
    if (pvb_le64(h + 24) != off || pvb_le64(h + 32) != size)
        return pvb_fail(c, PVB_ECORRUPT, "lvm: (%s): metadata area header says %llu bytes at %llu, the PV header %llu at %llu",
                        pv->where, (unsigned long long)pvb_le64(h + 32), (unsigned long long)pvb_le64(h + 24),
                        (unsigned long long)size, (unsigned long long)off);
    loff = pvb_le64(h + 40);
    lsize = pvb_le64(h + 48);
    if (loff == 0 || lsize == 0 || (pvb_le32(h + 60) & RAW_LOCN_IGNORED))
        return 0;   /* an empty or ignored area: another copy has the metadata */
    if (loff < MDA_HEADER_SIZE || loff >= size)
        return pvb_fail(c, PVB_ECORRUPT, "lvm: (%s): metadata at %llu is outside its area of %llu bytes",
                        pv->where, (unsigned long long)loff, (unsigned long long)size);
    /* The text wraps to the area's byte 512 and may not run into its own start. */
    if (lsize > size - MDA_HEADER_SIZE)
        return pvb_fail(c, PVB_ECORRUPT, "lvm: (%s): metadata of %llu bytes at %llu wraps past its area of %llu bytes",
                        pv->where, (unsigned long long)lsize, (unsigned long long)loff,
                        (unsigned long long)size);
    if (lsize > c->lim.max_config)
        return pvb_fail(c, PVB_ELIMIT, "lvm: (%s): metadata of %llu bytes is over the %zu-byte limit",
                        pv->where, (unsigned long long)lsize, c->lim.max_config);
    n = (size_t)lsize;
    text = pvb_alloc(c, n + 1, "lvm metadata text");
    if (!text)
        return c->err;
    first = size - loff < lsize ? size - loff : lsize;
    rc = pvb_disk_pread(s->d, text, (size_t)first, pv->base + off + loff);
    if (!rc && first < lsize)
        rc = pvb_disk_pread(s->d, text + first, (size_t)(lsize - first), pv->base + off + MDA_HEADER_SIZE);
    if (rc) {
        pvb_free(c, text);
        return rc;
    }
    text[n] = '\0';
    sum = lvm_crc(PVB_LVM_INITIAL_CRC, text, n);
    if (sum != pvb_le32(h + 56)) {
        pvb_free(c, text);
        return pvb_fail(c, PVB_ECORRUPT, "lvm: (%s): metadata checksum is 0x%08x, its header says 0x%08x",
                        pv->where, (unsigned)sum, (unsigned)pvb_le32(h + 56));
    }
    pv->text = text;
    pv->len = n;
    return 0;
}

/* The label and PV header of one area, if it is a PV: appended to s->pvs. */
static int probe(struct scan *s, const struct pvb_vol_area *a)
{
    struct pvb_ctx *c = s->c;
    unsigned char head[LABEL_SCAN * SECTOR], *sec = head;
    const unsigned char *p;
    struct pv *pv;
    unsigned i, k, off, n;
    int rc;

    /* The sectors the label may be in, in one read (every volume of every disk is looked at). */
    n = a->size < sizeof(head) ? (unsigned)(a->size / SECTOR) : LABEL_SCAN;
    if (n == 0)
        return 0;
    rc = pvb_disk_pread(s->d, head, n * SECTOR, a->offset);
    if (rc)
        return rc;
    for (i = 0; i < n; i++, sec += SECTOR)
        if (memcmp(sec, LABEL_ID, 8) == 0 && memcmp(sec + 24, LABEL_TYPE, 8) == 0)
            break;
    if (i == n)
        return 0;
    if (lvm_crc(PVB_LVM_INITIAL_CRC, sec + 20, SECTOR - 20) != pvb_le32(sec + 16))
        return pvb_fail(c, PVB_ECORRUPT, "lvm: (%s): label checksum is wrong", a->name);
    off = pvb_le32(sec + 20);
    if (pvb_le64(sec + 8) != i || off < 32 || off > SECTOR - 40 - 32)
        return pvb_fail(c, PVB_ECORRUPT, "lvm: (%s): bad label in sector %u", a->name, i);
    if (s->npvs >= c->lim.max_vol_items)
        return pvb_fail(c, PVB_ELIMIT, "lvm: more than %u PVs", c->lim.max_vol_items);
    pv = pvb_grow(c, s->pvs, &s->cap, s->npvs + 1, sizeof(*s->pvs), "lvm PVs");
    if (!pv)
        return c->err;
    s->pvs = pv;
    pv = &s->pvs[s->npvs];
    memset(pv, 0, sizeof(*pv));
    memcpy(pv->uuid, sec + off, ID_LEN);
    pv->base = a->offset;
    pv->size = a->size;
    pv->where = a->name;
    s->npvs++;
    /* The data areas, then the metadata areas, each list ended by a zero offset;
     * the first metadata area whose metadata reads is used, as lvm2 does. */
    p = sec + off + 40;
    for (k = 0; k < 2; k++) {
        for (;;) {
            uint64_t aoff, asize;

            if (p + 16 > sec + SECTOR)
                return pvb_fail(c, PVB_ECORRUPT, "lvm: (%s): PV header area lists run past the label sector",
                                a->name);
            aoff = pvb_le64(p);
            asize = pvb_le64(p + 8);
            p += 16;
            if (aoff == 0)
                break;
            if (k == 1 && !pv->text) {
                rc = soft(c, read_mda(s, pv, aoff, asize));
                if (rc)
                    return rc;
            }
        }
    }
    if (!pv->text)
        pvb_warn(c, "lvm: (%s): PV %.32s has no readable metadata", a->name, pv->uuid);
    return 0;
}

/* ---- from the metadata ----------------------------------------------------- */

struct vg {
    const struct pvb_lvm_tree *t;
    char name[NAME_LEN + 1];
    char id[ID_STRLEN + 1];
    uint64_t extent;                /* bytes */
    const struct pvb_lvm_node *pvs; /* physical_volumes */
};

/* lvm2's ids use [A-Za-z0-9] (lib/uuid/uuid.c _c). */
static int is_id_char(char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static int node_is(const struct pvb_lvm_node *n, const char *s)
{
    return n && n->len == strlen(s) && memcmp(n->str, s, n->len) == 0;
}

static int get_uint(const struct pvb_lvm_tree *t, const struct pvb_lvm_node *sec, const char *key,
                    uint64_t *v)
{
    const struct pvb_lvm_node *n = pvb_lvm_get(t, sec, key, PVB_LVM_INT);

    if (!n || n->num < 0)
        return -1;
    *v = (uint64_t)n->num;
    return 0;
}

/* An id as the metadata writes it, 38 characters, and without its dashes. */
static int get_id(const struct pvb_lvm_tree *t, const struct pvb_lvm_node *sec, char id[ID_STRLEN + 1],
                  char raw[ID_LEN])
{
    const struct pvb_lvm_node *n = pvb_lvm_get(t, sec, "id", PVB_LVM_STR);
    size_t i, k = 0;

    if (!n || n->len != ID_STRLEN)
        return -1;
    for (i = 0; i < n->len; i++) {
        if (n->str[i] == '-')
            continue;
        if (k == ID_LEN || !is_id_char(n->str[i]))
            return -1;
        raw[k++] = n->str[i];
    }
    memcpy(id, n->str, ID_STRLEN);
    id[ID_STRLEN] = '\0';
    return k == ID_LEN ? 0 : -1;
}

static int has_flag(const struct pvb_lvm_tree *t, const struct pvb_lvm_node *sec, const char *flag)
{
    const struct pvb_lvm_node *a = pvb_lvm_get(t, sec, "status", PVB_LVM_ARRAY), *n;

    for (n = a ? pvb_lvm_at(t, a->child) : NULL; n; n = pvb_lvm_at(t, n->next))
        if (n->type == PVB_LVM_STR && node_is(n, flag))
            return 1;
    return 0;
}

/* lvm2's VG and LV names (lib/misc/lvm-string.c validate_name): [A-Za-z0-9+_.-],
 * not starting with '-', at most 127 bytes. */
static int good_name(const char *s, size_t n)
{
    size_t i;

    if (n == 0 || n > NAME_LEN || s[0] == '-')
        return 0;
    for (i = 0; i < n; i++)
        if (!is_id_char(s[i]) && !strchr("+_.-", s[i]))
            return 0;
    return 1;
}

/* Append s with every '-' doubled, as GRUB names (lvm/VG-LV) (grub-core/disk/lvm.c). */
static size_t put_escaped(char *out, size_t at, size_t cap, const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (at < cap)
            out[at] = s[i];
        at++;
        if (s[i] == '-') {
            if (at < cap)
                out[at] = '-';
            at++;
        }
    }
    return at;
}

/* The PV of this disk that the metadata's PV name (a "pv0" of physical_volumes) is. */
static int find_pv(struct scan *s, const struct vg *vg, const char *lv, const struct pvb_lvm_node *name,
                   uint64_t *pe_start, const struct pv **out)
{
    struct pvb_ctx *c = s->c;
    const struct pvb_lvm_node *p;
    char id[ID_STRLEN + 1], raw[ID_LEN];
    unsigned i, found = 0;
    uint64_t looked = s->npvs;
    int rc;

    /* Every stripe looks its PV up by name: charged, as a VG of many PVs whose LVs have
     * many stripes each is quadratic work. */
    for (p = pvb_lvm_at(vg->t, vg->pvs->child); p; p = pvb_lvm_at(vg->t, p->next)) {
        looked++;
        if (p->type == PVB_LVM_SECTION && p->keylen == name->len && memcmp(p->key, name->str, name->len) == 0)
            break;
    }
    rc = pvb_charge(c, PVB_BUDGET_SCAN, looked);
    if (rc)
        return rc;
    if (!p)
        return pvb_fail(c, PVB_ECORRUPT, "lvm: LV %s/%s: a stripe is on \"%.*s\", which is not a PV of the VG",
                        vg->name, lv, (int)(name->len > 64 ? 64 : name->len), name->str);
    if (get_id(vg->t, p, id, raw) || get_uint(vg->t, p, "pe_start", pe_start))
        return pvb_fail(c, PVB_ECORRUPT, "lvm: VG %s: PV %.*s has no valid id or pe_start", vg->name,
                        (int)p->keylen, p->key);
    for (i = 0; i < s->npvs; i++)
        if (memcmp(s->pvs[i].uuid, raw, ID_LEN) == 0) {
            if (found)
                return pvb_fail(c, PVB_ECORRUPT, "lvm: LV %s/%s: PV %.*s (%s) is on both (%s) and (%s)",
                                vg->name, lv, (int)p->keylen, p->key, id, (*out)->where, s->pvs[i].where);
            *out = &s->pvs[i];
            found = 1;
        }
    if (!found)
        return pvb_fail(c, PVB_ENOTFOUND, "lvm: LV %s/%s: PV %.*s (%s) is not on this disk; LV skipped",
                        vg->name, lv, (int)p->keylen, p->key, id);
    return 0;
}

/* One segment of an LV into seg, its stripes' starts appended to lv->areas. */
static int build_seg(struct scan *s, const struct vg *vg, const char *lvn, const struct pvb_lvm_node *sn,
                     unsigned idx, uint64_t *extents, struct pvb_lv *lv, unsigned *nareas, unsigned *cap)
{
    struct pvb_ctx *c = s->c;
    const struct pvb_lvm_tree *t = vg->t;
    const struct pvb_lvm_node *type = pvb_lvm_get(t, sn, "type", PVB_LVM_STR), *arr, *it;
    struct pvb_disk_seg *seg = &lv->segs[idx];
    uint64_t start, count, stripes, ssize = 0, per, bytes;
    unsigned k;
    int rc;

    if (!type)
        return pvb_fail(c, PVB_ECORRUPT, "lvm: LV %s/%s: segment %u has no type", vg->name, lvn, idx + 1);
    /* linear is "striped" with one stripe; mirror, raid*, thin, thin-pool, cache,
     * snapshot, vdo, ... are not read (GRUB reads some; a PV guest's /boot is not on them). */
    if (!node_is(type, "striped"))
        return pvb_fail(c, PVB_EUNSUPPORTED, "lvm: LV %s/%s: segment type \"%.*s\" is not read; LV skipped",
                        vg->name, lvn, (int)(type->len > 32 ? 32 : type->len), type->str);
    if (get_uint(t, sn, "start_extent", &start) || get_uint(t, sn, "extent_count", &count) ||
        get_uint(t, sn, "stripe_count", &stripes))
        return pvb_fail(c, PVB_ECORRUPT, "lvm: LV %s/%s: segment %u lacks start_extent, extent_count or stripe_count",
                        vg->name, lvn, idx + 1);
    if (start != *extents || count == 0)
        return pvb_fail(c, PVB_ECORRUPT, "lvm: LV %s/%s: segment %u covers extents %llu+%llu, expected to start at %llu",
                        vg->name, lvn, idx + 1, (unsigned long long)start, (unsigned long long)count,
                        (unsigned long long)*extents);
    if (stripes == 0 || stripes > c->lim.max_vol_items || count % stripes != 0)
        return pvb_fail(c, PVB_ECORRUPT, "lvm: LV %s/%s: segment %u: %llu extents in %llu stripes",
                        vg->name, lvn, idx + 1, (unsigned long long)count, (unsigned long long)stripes);
    if (stripes > 1 && (get_uint(t, sn, "stripe_size", &ssize) || ssize == 0 || ssize > vg->extent / SECTOR ||
                        (vg->extent / SECTOR) % ssize != 0))
        return pvb_fail(c, PVB_ECORRUPT, "lvm: LV %s/%s: segment %u: bad stripe_size", vg->name, lvn, idx + 1);
    if (pvb_mul_u64(count, vg->extent, &bytes) || pvb_add_u64(*extents, count, extents) ||
        pvb_add_u64(lv->size, bytes, &lv->size))
        return pvb_fail(c, PVB_ECORRUPT, "lvm: LV %s/%s: its size overflows", vg->name, lvn);
    per = bytes / stripes;
    arr = pvb_lvm_get(t, sn, "stripes", PVB_LVM_ARRAY);
    it = arr ? pvb_lvm_at(t, arr->child) : NULL;
    if (*nareas + stripes > c->lim.max_vol_items)
        return pvb_fail(c, PVB_ELIMIT, "lvm: LV %s/%s: more than %u stripes", vg->name, lvn,
                        c->lim.max_vol_items);
    for (k = 0; k < stripes; k++) {
        const struct pvb_lvm_node *num = it ? pvb_lvm_at(t, it->next) : NULL;
        const struct pv *pv = NULL;
        uint64_t pe_start = 0, at, end;
        uint64_t *a;

        if (!it || it->type != PVB_LVM_STR || !num || num->type != PVB_LVM_INT || num->num < 0)
            return pvb_fail(c, PVB_ECORRUPT, "lvm: LV %s/%s: segment %u: stripes do not list %llu PV, extent pairs",
                            vg->name, lvn, idx + 1, (unsigned long long)stripes);
        rc = find_pv(s, vg, lvn, it, &pe_start, &pv);
        if (rc)
            return rc;
        if (pvb_mul_u64(pe_start, SECTOR, &at) || pvb_mul_u64((uint64_t)num->num, vg->extent, &end) ||
            pvb_add_u64(at, end, &at) || pvb_add_u64(at, per, &end) || end > pv->size)
            return pvb_fail(c, PVB_ECORRUPT, "lvm: LV %s/%s: segment %u: stripe %u runs past the end of its PV (%s, %llu bytes)",
                            vg->name, lvn, idx + 1, k, pv->where, (unsigned long long)pv->size);
        a = pvb_grow(c, lv->areas, cap, *nareas + 1, sizeof(*a), "lvm stripes");
        if (!a)
            return c->err;
        lv->areas = a;
        a[(*nareas)++] = pv->base + at;
        it = pvb_lvm_at(t, num->next);
    }
    if (it)
        return pvb_fail(c, PVB_ECORRUPT, "lvm: LV %s/%s: segment %u: more stripes listed than stripe_count",
                        vg->name, lvn, idx + 1);
    seg->start = lv->size - bytes;
    seg->len = bytes;
    seg->nstripes = (unsigned)stripes;
    seg->stripe_size = ssize * SECTOR;
    return 0;
}

static int build_lv(struct scan *s, const struct vg *vg, const struct pvb_lvm_node *ln)
{
    struct pvb_ctx *c = s->c;
    const struct pvb_lvm_tree *t = vg->t;
    const struct pvb_lvm_node *sn;
    struct pvb_lv lv;
    char lvn[NAME_LEN + 1], id[ID_STRLEN + 1], raw[ID_LEN];
    uint64_t nseg, extents = 0;
    unsigned i = 0, nareas = 0, cap = 0, at;
    size_t len;
    int rc;

    if (!good_name(ln->key, ln->keylen))
        return pvb_fail(c, PVB_ECORRUPT, "lvm: VG %s: an LV name is not valid", vg->name);
    memcpy(lvn, ln->key, ln->keylen);
    lvn[ln->keylen] = '\0';
    if (!has_flag(t, ln, "VISIBLE"))
        return 0;   /* internal to another LV (a thin pool's data, a mirror's image) */
    if (get_id(t, ln, id, raw) || get_uint(t, ln, "segment_count", &nseg) || nseg == 0)
        return pvb_fail(c, PVB_ECORRUPT, "lvm: LV %s/%s: no valid id or segment_count", vg->name, lvn);
    if (nseg > c->lim.max_vol_items)
        return pvb_fail(c, PVB_ELIMIT, "lvm: LV %s/%s: %llu segments, more than %u", vg->name, lvn,
                        (unsigned long long)nseg, c->lim.max_vol_items);
    memset(&lv, 0, sizeof(lv));
    lv.scheme = "lvm";
    memcpy(lv.name, "lvm/", 4);
    len = put_escaped(lv.name, 4, sizeof(lv.name), vg->name, strlen(vg->name));
    if (len < sizeof(lv.name))
        lv.name[len] = '-';
    len = put_escaped(lv.name, len + 1, sizeof(lv.name), lvn, strlen(lvn));
    if (len >= sizeof(lv.name)) {
        pvb_warn(c, "lvm: LV %s/%s: its GRUB name is longer than %u bytes; skipped", vg->name, lvn,
                 PVB_VOL_NAME_MAX - 1);
        return 0;
    }
    lv.name[len] = '\0';
    snprintf(lv.id_name, sizeof(lv.id_name), "lvmid/%s/%s", vg->id, id);
    lv.segs = pvb_calloc(c, (size_t)nseg, sizeof(*lv.segs), "lvm segments");
    if (!lv.segs)
        return c->err;
    lv.nsegs = (unsigned)nseg;
    rc = 0;
    for (sn = pvb_lvm_at(t, ln->child); sn && !rc; sn = pvb_lvm_at(t, sn->next)) {
        if (sn->type != PVB_LVM_SECTION)
            continue;
        if (i == lv.nsegs) {
            rc = pvb_fail(c, PVB_ECORRUPT, "lvm: LV %s/%s: more segments than segment_count %u",
                          vg->name, lvn, lv.nsegs);
            break;
        }
        rc = build_seg(s, vg, lvn, sn, i++, &extents, &lv, &nareas, &cap);
    }
    if (!rc && i != lv.nsegs)
        rc = pvb_fail(c, PVB_ECORRUPT, "lvm: LV %s/%s: %u segments, segment_count says %u", vg->name, lvn,
                      i, lv.nsegs);
    if (rc) {
        pvb_free(c, lv.segs);
        pvb_free(c, lv.areas);
        return rc;
    }
    for (i = 0, at = 0; i < lv.nsegs; i++) {
        lv.segs[i].area = lv.areas + at;
        at += lv.segs[i].nstripes;
    }
    return pvb_vol_add(c, s->out, &lv);
}

/* The VG whose metadata PV pv carries, unless one with its id was built already
 * (a VG's metadata is on each of its PVs; the first copy found is read, as GRUB does). */
static int build_vg(struct scan *s, const struct pv *pv, char (**done)[ID_STRLEN + 1], unsigned *ndone,
                    unsigned *cap)
{
    struct pvb_ctx *c = s->c;
    struct pvb_lvm_tree t;
    const struct pvb_lvm_node *root, *sec, *lvs, *ln;
    struct vg vg;
    char raw[ID_LEN];
    char (*d)[ID_STRLEN + 1];
    uint64_t ext;
    unsigned i;
    int rc;

    rc = pvb_lvm_parse(c, pv->text, pv->len, &t);
    if (rc)
        goto out;
    memset(&vg, 0, sizeof(vg));
    vg.t = &t;
    root = pvb_lvm_at(&t, 1);
    for (sec = pvb_lvm_at(&t, root->child); sec && sec->type != PVB_LVM_SECTION; sec = pvb_lvm_at(&t, sec->next))
        ;
    if (!sec || !good_name(sec->key, sec->keylen)) {
        rc = pvb_fail(c, PVB_ECORRUPT, "lvm: (%s): the metadata has no volume group", pv->where);
        goto out;
    }
    memcpy(vg.name, sec->key, sec->keylen);
    vg.name[sec->keylen] = '\0';
    vg.pvs = pvb_lvm_get(&t, sec, "physical_volumes", PVB_LVM_SECTION);
    if (get_id(&t, sec, vg.id, raw) || get_uint(&t, sec, "extent_size", &ext) || ext == 0 ||
        ext > UINT64_MAX / SECTOR / 2 || !vg.pvs) {
        rc = pvb_fail(c, PVB_ECORRUPT, "lvm: VG %s: no valid id, extent_size or physical_volumes", vg.name);
        goto out;
    }
    vg.extent = ext * SECTOR;
    for (i = 0; i < *ndone; i++)
        if (strcmp((*done)[i], vg.id) == 0)
            goto out;
    d = pvb_grow(c, *done, cap, *ndone + 1, sizeof(*d), "lvm VGs");
    if (!d) {
        rc = c->err;
        goto out;
    }
    *done = d;
    memcpy(d[(*ndone)++], vg.id, sizeof(*d));
    lvs = pvb_lvm_get(&t, sec, "logical_volumes", PVB_LVM_SECTION);
    for (ln = lvs ? pvb_lvm_at(&t, lvs->child) : NULL; ln && !rc; ln = pvb_lvm_at(&t, ln->next))
        if (ln->type == PVB_LVM_SECTION)
            rc = soft(c, build_lv(s, &vg, ln));
out:
    pvb_lvm_tree_free(c, &t);
    return rc;
}

static int lvm_scan(struct pvb_disk *d, const struct pvb_vol_area *areas, unsigned n,
                    struct pvb_vol_set *out)
{
    struct pvb_ctx *c = d->ctx;
    struct scan s;
    char (*done)[ID_STRLEN + 1] = NULL;
    unsigned i, ndone = 0, cap = 0;
    int rc = 0;

    memset(&s, 0, sizeof(s));
    s.c = c;
    s.d = d;
    s.out = out;
    for (i = 0; i < n && !rc; i++)
        rc = soft(c, probe(&s, &areas[i]));
    for (i = 0; i < s.npvs && !rc; i++)
        if (s.pvs[i].text)
            rc = soft(c, build_vg(&s, &s.pvs[i], &done, &ndone, &cap));
    for (i = 0; i < s.npvs; i++)
        pvb_free(c, s.pvs[i].text);
    pvb_free(c, s.pvs);
    pvb_free(c, done);
    return rc;
}

const struct pvb_vol_scheme pvb_vol_lvm = { .name = "lvm", .scan = lvm_scan };
