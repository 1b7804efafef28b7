/* SPDX-License-Identifier: GPL-2.0-only */
/* Small ISO 9660 images built in memory, for unit tests and fuzz seeds (no binary fixtures). */
#ifndef PVB_TEST_ISOBUILD_H
#define PVB_TEST_ISOBUILD_H

#include <stddef.h>
#include <stdint.h>

/*
 * 2048-byte blocks handed out in order from block 24 (16 is the primary
 * descriptor, 17-23 are for more descriptors). Records follow ECMA-119 9.1 with
 * both-endian numbers; SUSP entries (SP, ER, CE, ST) and Rock Ridge entries (NM, PX,
 * SL, CL, RE) follow SUSP 1.12 and RRIP 1.12, as xorriso writes them.
 */
struct isob {
    uint8_t *img;
    size_t size;
    uint32_t blocks, next;
};

/* A directory being filled: its blocks and where the next record goes. */
struct isob_dir {
    uint32_t block, nblocks;
    size_t pos;               /* byte offset from the directory's start */
};

void isob_new(struct isob *b, uint32_t blocks);
void isob_free(struct isob *b);
/* n blocks, zeroed; returns the first. */
uint32_t isob_alloc(struct isob *b, uint32_t n);
/* A file's data in fresh blocks; returns its first block. */
uint32_t isob_data(struct isob *b, const void *data, size_t len);

/* A directory of nblocks blocks with its "." and ".." records (parent NULL: the root,
 * its own parent). dot_su/dot_sulen: SUSP entries for "." (the root's SP and ER). */
void isob_dir_new(struct isob *b, struct isob_dir *d, uint32_t nblocks, const struct isob_dir *parent,
                const uint8_t *dot_su, size_t dot_sulen);
/* Append a record; a record that does not fit its block starts the next one (as
 * ECMA-119 6.8.1.1 asks). Returns its byte offset in the image. */
size_t isob_rec(struct isob *b, struct isob_dir *d, const void *name, size_t namelen, uint32_t extent,
              uint32_t size, uint8_t flags, const uint8_t *su, size_t sulen);
/* A record pointing at directory c (flags: directory). */
size_t isob_subdir(struct isob *b, struct isob_dir *d, const char *name, const struct isob_dir *c,
                 const uint8_t *su, size_t sulen);

/* Volume descriptors: type 1 (primary) or 2 (supplementary, escape "%/E" when
 * joliet), the root record pointing at root, volume space = the image. */
void isob_desc(struct isob *b, uint32_t blk, uint8_t type, int joliet, const struct isob_dir *root,
             const char *volid);
void isob_term(struct isob *b, uint32_t blk);

/* SUSP/RRIP entries written at p; each returns its length. */
size_t isob_su_sp(uint8_t *p, uint8_t skip);
size_t isob_su_er(uint8_t *p);
size_t isob_su_ce(uint8_t *p, uint32_t blk, uint32_t off, uint32_t len);
size_t isob_su_nm(uint8_t *p, uint8_t flags, const char *name);
size_t isob_su_px(uint8_t *p, uint32_t mode);
/* An SL entry from components "flags:text" separated by '|', e.g. "8:|0:boot|0:vmlinuz". */
size_t isob_su_sl(uint8_t *p, uint8_t flags, const char *comps);
size_t isob_su_cl(uint8_t *p, uint32_t blk);
size_t isob_su_re(uint8_t *p);

/* Joliet: an ASCII name as UCS-2 big-endian into out; returns its bytes. */
size_t isob_ucs2(uint8_t *out, const char *name);

/*
 * A whole volume: /boot/grub/grub.cfg, /boot/vmlinuz (kernel_len bytes of a
 * pattern), /README. (a trailing dot) and, with Rock Ridge, /boot/vmlinuz-link a
 * symlink to "vmlinuz" and /Mixed a mixed-case name; with joliet a Joliet SVD and
 * tree whose names are the Rock Ridge ones. Plain names are upper case with ";1".
 */
void isob_sample(struct isob *b, int rr, int joliet, size_t kernel_len);
/* The byte at offset i of the sample kernel. */
uint8_t isob_kernel_byte(size_t i);

#endif
