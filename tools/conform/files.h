/* SPDX-License-Identifier: GPL-2.0-only */
/* Directory helpers for the runner: create a path, remove a tree the program under test wrote. */
#ifndef PVB_CONFORM_FILES_H
#define PVB_CONFORM_FILES_H

#include <stddef.h>
#include <sys/types.h>

#include "util/ctx.h"

/* mkdir -p, mode 0755 (the cache) or 0700. */
int cf_mkdir_p(struct pvb_ctx *c, const char *path, unsigned mode);

/* rm -rf of a directory the program under test may have filled with
 * anything: symlinks are removed, never followed; directories it made
 * unreadable are opened up first; nesting is bounded. */
int cf_remove_tree(struct pvb_ctx *c, const char *path);

/* Empty the directory path (it stays), removing what the program under test
 * left in it the way cf_remove_tree does. */
int cf_clear_dir(struct pvb_ctx *c, const char *path);

/* An empty file (created 0600, O_EXCL). */
int cf_create_empty(struct pvb_ctx *c, const char *path);

/* Give n paths to uid and gid (lchown: a symlink put in a path's place gets
 * nothing, and the run that needed the path fails as the runner's). */
int cf_give(struct pvb_ctx *c, const char *const *paths, size_t n, uid_t uid, gid_t gid);

#endif
