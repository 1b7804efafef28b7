/* SPDX-License-Identifier: GPL-2.0-only */
/* A test-only ReiserFS 3.5/3.6 writer: fills an mkreiserfs'd (or in-memory) image with a tree. */
#ifndef PVB_TEST_REISERBUILD_H
#define PVB_TEST_REISERBUILD_H

#include <stddef.h>
#include <stdint.h>

/*
 * No tool here fills a ReiserFS without root (mkreiserfs makes it empty, Linux
 * dropped the driver in 6.13), so this writes one: objects are added to a
 * model, and rb_commit() lays out every item again (stat data, directory,
 * direct and indirect items), packs them into leaves, builds internal levels
 * above them, allocates blocks in the bitmaps and updates the superblock and
 * the objectid map. Offsets follow the kernel's fs/reiserfs/reiserfs.h but are
 * written independently of ref/fs/reiserfs*.c (only the name hashes are
 * shared); reiserfsck --check and GRUB judge the result (suites/reiserfs).
 */
struct rb_opts {
    int notail;              /* no direct items for file tails (mount -o notail) */
    unsigned leaf_max;       /* most bytes a leaf's items may use; 0: the block */
    unsigned fanout;         /* most children of an internal node; 0: as fit */
    unsigned dir_item_max;   /* most bytes of one directory item; 0: as fit a leaf */
    unsigned spread;         /* leave a free block after every `spread` data blocks */
    int holes;               /* all-zero blocks of files become holes (pointer 0) */
    uint32_t time;           /* every timestamp written */
};

struct rb;

/* Make an empty filesystem in img (size bytes): superblock at 64 KiB, bitmaps,
 * no journal blocks (journal size 0), hash 1..3, 3.5 or 3.6 format; then open it. */
struct rb *rb_format(uint8_t *img, size_t size, unsigned bs, int v35, unsigned hash,
                     const struct rb_opts *o);
/* Open an mkreiserfs'd image held in img: its tree must be the empty root. */
struct rb *rb_open(uint8_t *img, size_t size, const struct rb_opts *o);
/* The last error's text. */
const char *rb_error(const struct rb *b);

/* Add objects below existing directories ("a/b" needs "a"); 0 or -1. */
int rb_mkdir(struct rb *b, const char *path, uint32_t perm);
int rb_file(struct rb *b, const char *path, uint32_t perm, const void *data, size_t len);
int rb_symlink(struct rb *b, const char *path, const char *target);

/* Write the tree, bitmaps and superblock into the image; 0 or -1. */
int rb_commit(struct rb *b);
void rb_free(struct rb *b);

/* After a commit: the root block, tree height (levels) and block size. */
uint32_t rb_root(const struct rb *b);
unsigned rb_levels(const struct rb *b);

#endif
