/* The blscfg command (Fedora/RHEL GRUB): menu entries from Boot Loader Specification files. */
#include <stdio.h>
#include <string.h>

#include "cfg/g2.h"

#define BLS_MAX_ENTRY ((size_t)1 << 20)

struct names {
    struct g2 *g;
    char **v;
    unsigned n, cap;
    int rc;
};

static int collect(void *arg, const char *name, int is_dir)
{
    struct names *l = arg;
    size_t n = strlen(name);

    /* read_entry: no dot files; a name longer than ".conf" ending in it. */
    if (is_dir || name[0] == '.' || n <= 5 || strcmp(name + n - 5, ".conf") != 0)
        return 0;
    if (l->n >= l->g->lim.max_entries)
        return l->rc = pvb_fail(l->g->c, PVB_ELIMIT, "blscfg: more than %u entries (entry limit)",
                                l->g->lim.max_entries);
    if (l->n == l->cap) {
        unsigned cap = l->cap ? 2 * l->cap : 16;
        char **nv = pvb_realloc(l->g->c, l->v, cap * sizeof(*nv), "BLS names");
        if (!nv)
            return l->rc = l->g->c->err;
        l->v = nv;
        l->cap = cap;
    }
    if (!(l->v[l->n] = pvb_strndup(l->g->c, name, n)))
        return l->rc = l->g->c->err;
    l->n++;
    return 0;
}

static const char *get_var(void *arg, const char *name)
{
    struct g2 *g = arg;

    return pvb_g2_get(g, g->cur, name);
}

/* The options after expand_val; newer blscfg falls back to $default_kernelopts when
 * there are none, or nothing is left of them. NULL: no options. */
static int bls_options(struct g2 *g, const struct bls_entry *e, int rhel8, char **opts)
{
    const char *v = pvb_cfg_bls_get(e, "options", NULL);

    *opts = NULL;
    if (v && !(*opts = pvb_cfg_bls_expand(g->c, v, get_var, g, g->lim.max_var)) &&
        g->c->err != PVB_ENOTFOUND)
        return g->c->err;
    if (!*opts && !rhel8 && (v = pvb_g2_get(g, g->cur, "default_kernelopts")) != NULL &&
        !(*opts = pvb_cfg_bls_expand(g->c, v, get_var, g, g->lim.max_var)) &&
        g->c->err != PVB_ENOTFOUND)
        return g->c->err;
    pvb_ctx_clear(g->c);
    return 0;
}

/* The script blscfg writes for one entry (create_entry): kernel and initrds on ($root). */
static int bls_script(struct g2 *g, const struct bls_entry *e, const char *lin, int rhel8,
                      struct pvb_sb *src)
{
    const char *ei = rhel8 ? NULL : pvb_g2_get(g, g->cur, "early_initrd"), *v;
    char *opts;
    int last, rc;

    if ((rc = bls_options(g, e, rhel8, &opts)) != 0)
        return rc;
    pvb_sb_adds(src, "load_video\nset gfxpayload=keep\ninsmod gzio\nlinux ($root)");
    pvb_sb_adds(src, lin);
    if (opts) {
        pvb_sb_addc(src, ' ');
        pvb_sb_adds(src, opts);
    }
    pvb_sb_addc(src, '\n');
    pvb_free(g->c, opts);
    if (!pvb_cfg_bls_get(e, "initrd", NULL) && !ei)
        return src->err;
    pvb_sb_adds(src, "initrd");
    if (ei) {
        /* early_initrd files live in the directory of the first initrd (or the kernel). */
        const char *first = pvb_cfg_bls_get(e, "initrd", NULL), *s;
        const char *base = first ? first : lin, *slash = strrchr(base, '/');
        size_t pl = slash ? (size_t)(slash - base + 1) : 0;
        for (s = ei; *s;) {
            size_t n = strcspn(s, " ");
            pvb_sb_adds(src, " ($root)");
            pvb_sb_add(src, base, pl);
            pvb_sb_add(src, s, n);
            s += n;
            if (*s)
                s++;
        }
    }
    for (last = -1; (v = pvb_cfg_bls_get(e, "initrd", &last)) != NULL;) {
        pvb_sb_adds(src, " ($root)");
        pvb_sb_adds(src, v);
    }
    pvb_sb_addc(src, '\n');
    return src->err;
}

/* title (default: the linux path) and the grub_arg words: the entry's $1, $2... */
static int bls_args(struct g2 *g, const struct bls_entry *e, const char *lin, struct g2_item *it)
{
    const char *title = pvb_cfg_bls_get(e, "title", NULL), *v;
    unsigned i, n;
    int last;


    if (!title)
        title = lin;
    for (last = -1, n = 1; pvb_cfg_bls_get(e, "grub_arg", &last);)
        n++;
    if (!(it->args = pvb_calloc(g->c, n, sizeof(char *), "BLS entry")))
        return g->c->err;
    it->argc = n;   /* only now: pvb_g2_item_free walks args[0..argc) */
    if (!(it->args[0] = pvb_strndup(g->c, title, strlen(title))))
        return g->c->err;
    for (last = -1, i = 1; (v = pvb_cfg_bls_get(e, "grub_arg", &last)) != NULL; i++)
        if (!(it->args[i] = pvb_strndup(g->c, v, strlen(v))))
            return g->c->err;
    return 0;
}

/* One BLS entry as the menu item blscfg adds (grub_normal_add_menu_entry). */
static int make_item(struct g2 *g, struct bls_entry *e, const char *dir, int rhel8)
{
    const char *lin = pvb_cfg_bls_get(e, "linux", NULL), *v;
    struct g2_item it;
    struct pvb_sb src, cls;
    char file[600];
    int last, rc;

    if (!lin) {
        pvb_g2_warn(g, "blscfg: %s has no linux key: skipped", e->id);
        return 0;
    }
    memset(&it, 0, sizeof(it));
    pvb_sb_init(&src, g->c, g->lim.max_config, "BLS entry");
    pvb_sb_init(&cls, g->c, g->lim.max_var, "BLS classes");
    snprintf(file, sizeof(file), "%s/%s.conf", dir, e->id);
    it.line = 1;
    if ((rc = bls_script(g, e, lin, rhel8, &src)) != 0)
        goto out;
    rc = PVB_ENOMEM;
    if (!(it.file = pvb_g2_keep_name(g, file)))
        goto fail;
    pvb_ctx_clear(g->c);
    if (!(it.body = pvb_g2_parse_string(g, src.p))) {
        rc = g->c->err;   /* 0 when the options only failed to parse */
        if (!rc)
            pvb_g2_warn(g, "blscfg: %s: its options do not parse as a GRUB script: skipped", e->id);
        goto out;
    }
    for (last = -1; (v = pvb_cfg_bls_get(e, "grub_class", &last)) != NULL;) {
        if (cls.n)
            pvb_sb_addc(&cls, ' ');
        pvb_sb_adds(&cls, v);
    }
    v = pvb_cfg_bls_get(e, "grub_users", NULL);
    if ((rc = bls_args(g, e, lin, &it)) != 0)
        goto out;
    if (!(it.title = pvb_strndup(g->c, it.args[0], strlen(it.args[0]))) ||
        !(it.id = pvb_strndup(g->c, e->id, strlen(e->id))) || !(it.classes = pvb_sb_take(&cls)) ||
        (v && !(it.users = pvb_strndup(g->c, v, strlen(v)))))
        goto fail;
    if ((rc = pvb_g2_add_item(g, &it)) != 0)
        goto out;
    pvb_sb_free(&src);
    return 0;
fail:
    rc = g->c->err ? g->c->err : PVB_ENOMEM;
out:
    pvb_sb_free(&src);
    pvb_sb_free(&cls);
    pvb_g2_item_free(g, &it);
    return rc;
}

static int list(struct g2 *g, const char *dev, const char *dir, struct names *l)
{
    int rc;

    if (!g->env->list_dir)
        return PVB_ENOTFOUND;
    rc = g->env->list_dir(g->env->arg, g->c, dev, dir, collect, l);
    if (l->rc)
        return l->rc;
    if (pvb_err_fatal(rc))
        return rc;
    pvb_ctx_clear(g->c);
    return rc ? PVB_ENOTFOUND : 0;
}

static int read_entries(struct g2 *g, const char *dev, const char *dir, struct names *l,
                        struct bls_entry **v, unsigned *nv)
{
    unsigned i;
    int rc = 0;

    for (i = 0; i < l->n && !rc; i++) {
        char path[1200], *buf;
        struct pvb_cfg_stat st;
        size_t len;
        snprintf(path, sizeof(path), "%s/%s", dir, l->v[i]);
        if ((rc = pvb_g2_step(g)) != 0)
            break;
        /* read_entry skips an entry it cannot open (the guest's doing), and files over
         * 1 MiB; an I/O error or a limit of ours ends the run instead. */
        rc = g->env->stat ? g->env->stat(g->env->arg, g->c, dev, path, &st) : PVB_ENOTFOUND;
        if (!rc && st.size > BLS_MAX_ENTRY)
            rc = pvb_fail(g->c, PVB_ENOTFOUND, "larger than 1 MiB");
        if (!rc)
            rc = pvb_cfg_read(g->c, g->env, dev, path, BLS_MAX_ENTRY, &buf, &len);
        if (pvb_err_fatal(rc)) {
            pvb_ctx_prefix(g->c, "blscfg: %s: ", path);
            break;
        }
        if (rc) {
            pvb_g2_warn(g, "blscfg: cannot read %s: %s", path, pvb_ctx_msg(g->c));
            pvb_ctx_clear(g->c);
            rc = 0;
            continue;
        }
        v[*nv] = pvb_zalloc(g->c, sizeof(**v), "BLS entry");
        l->v[i][strlen(l->v[i]) - 5] = '\0';
        rc = v[*nv] ? pvb_cfg_bls_parse(g->c, l->v[i], buf, len, v[*nv]) : g->c->err;
        if (v[*nv])
            (*nv)++;
        pvb_free(g->c, buf);
    }
    return rc;
}

int pvb_g2_blscfg(struct g2 *g)
{
    struct names l;
    struct bls_entry **v = NULL;
    const char *devname, *dir;
    char *dev = NULL, *path = NULL;
    unsigned i, nv = 0, kept;
    int rc, rhel8 = g->env_seen && !g->env_v206;

    memset(&l, 0, sizeof(l));
    l.g = g;
    /* RHEL 8 (GRUB 2.02) on BIOS reads the entries from $boot; later ones from $root. */
    devname = rhel8 && pvb_g2_get(g, g->cur, "boot") ? pvb_g2_get(g, g->cur, "boot")
                                                 : pvb_g2_get(g, g->cur, "root");
    if (!devname) {
        pvb_g2_warn(g, "blscfg: $root is not set");
        return 0;
    }
    {
        char spec[300];
        snprintf(spec, sizeof(spec), "(%s)/", devname);
        if ((rc = pvb_g2_resolve(g, spec, &dev, &path)) != 0)
            return rc;
    }
    dir = pvb_g2_get(g, g->cur, "blsdir");
    rc = list(g, dev, dir ? dir : "/loader/entries", &l);
    if (rc == PVB_ENOTFOUND || (!rc && l.n == 0 && !dir)) {
        dir = "/boot/loader/entries";
        rc = list(g, dev, dir, &l);
    } else if (!dir) {
        dir = "/loader/entries";
    }
    if (rc == PVB_ENOTFOUND) {
        pvb_g2_warn(g, "blscfg: no BLS entries on %s", devname);
        rc = 0;
    }
    if (!rc && l.n && !(v = pvb_calloc(g->c, l.n, sizeof(*v), "BLS entries")))
        rc = g->c->err;
    if (!rc)
        rc = read_entries(g, dev, dir, &l, v, &nv);
    if (!rc) {
        kept = pvb_cfg_bls_sort(v, nv, rhel8);
        for (i = kept; i < nv; i++)
            pvb_g2_warn(g, "blscfg: %s has the same version as another entry: dropped", v[i]->id);
        for (i = 0; i < kept && !rc; i++)
            rc = make_item(g, v[i], dir, rhel8);
    }
    for (i = 0; i < nv; i++) {
        pvb_cfg_bls_entry_free(g->c, v[i]);
        pvb_free(g->c, v[i]);
    }
    for (i = 0; i < l.n; i++)
        pvb_free(g->c, l.v[i]);
    pvb_free(g->c, l.v);
    pvb_free(g->c, v);
    pvb_free(g->c, dev);
    pvb_free(g->c, path);
    g->status = 0;
    return rc;
}
