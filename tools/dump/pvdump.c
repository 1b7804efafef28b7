/* pvdump: print what libpvboot reads from an image, layer by layer, for tests and debugging.
 *
 * usage: pvdump [--format=FMT] parts IMAGE
 *   parts   the partition table and its volumes, one line each
 * Warnings go to stderr prefixed with "warning: "; errors end with exit 1.
 */
#include <stdio.h>
#include <string.h>

#include "disk/disk.h"
#include "part/part.h"

static void print_warning(void *arg, const char *msg)
{
    (void)arg;
    fprintf(stderr, "warning: %s\n", msg);
}

static int usage(void)
{
    fprintf(stderr, "usage: pvdump [--format=FMT] parts IMAGE\n");
    return 2;
}

static int dump_parts(struct pvb_disk *d)
{
    struct pvb_part_table t;
    unsigned i;
    int rc;

    rc = pvb_part_scan(d, &t);
    if (rc)
        return rc;
    printf("scheme %s sector-size %u backup %d\n", pvb_part_scheme_name(t.scheme),
           t.sector_size, (t.flags & PVB_PART_GPT_BACKUP) != 0);
    for (i = 0; i < t.count; i++) {
        const struct pvb_volume *v = &t.vols[i];
        char name[16], guid[37];

        pvb_volume_name(&t, v, name);
        printf("volume %s index %u start %llu sectors %llu bootable %d logical %d",
               name[0] ? name : "disk", v->index,
               (unsigned long long)(v->offset / t.sector_size),
               (unsigned long long)(v->size / t.sector_size), v->bootable, v->logical);
        if (t.scheme == PVB_PART_GPT) {
            pvb_guid_str(v->type_guid, guid);
            printf(" type %s name \"%s\"", guid, v->name);
        } else {
            printf(" type 0x%02x", v->mbr_type);
        }
        printf("\n");
    }
    pvb_part_free(d->ctx, &t);
    return 0;
}

int main(int argc, char **argv)
{
    struct pvb_disk_opts opts;
    struct pvb_disk *d;
    struct pvb_ctx c;
    const char *cmd, *image;
    int i = 1, rc;

    memset(&opts, 0, sizeof(opts));
    if (i < argc && strncmp(argv[i], "--format=", 9) == 0)
        opts.format = argv[i++] + 9;
    if (argc - i != 2)
        return usage();
    cmd = argv[i];
    image = argv[i + 1];
    pvb_ctx_init(&c);
    c.warn = print_warning;
    rc = pvb_disk_open_path(&c, image, &opts, &d);
    if (rc == 0) {
        if (strcmp(cmd, "parts") == 0)
            rc = dump_parts(d);
        else
            rc = usage();
        pvb_disk_close(d);
    }
    if (rc < 0)
        fprintf(stderr, "pvdump: %s\n", pvb_ctx_msg(&c));
    return rc == 0 ? 0 : rc > 0 ? rc : 1;
}
