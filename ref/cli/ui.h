/* SPDX-License-Identifier: GPL-2.0-only */
/* The interactive boot menu (-i, pygrub's default) with pygrub's keys: choose, edit, command line. */
#ifndef PVB_CLI_UI_H
#define PVB_CLI_UI_H

#include "util/ctx.h"

/* Lines of an entry's commands, each malloc()ed. */
struct pvb_ui_lines {
    char **v;
    unsigned n;
};

/* "a\nb\n" <-> { "a", "b" }; 0 or PVB_ENOMEM. */
int pvb_ui_lines_split(const char *text, struct pvb_ui_lines *out);
char *pvb_ui_lines_join(const struct pvb_ui_lines *l);   /* malloc()ed, or NULL */
void pvb_ui_lines_free(struct pvb_ui_lines *l);

struct pvb_ui_item {
    const char *title;
    struct pvb_ui_lines lines;   /* the entry's commands (pvb_cfg_entry_text) */
};

struct pvb_ui_choice {
    int entry;                   /* the entry to boot; -1: no menu could be shown */
    int edited;                  /* boot the entry's lines as edited ('e' then 'b', or 'a') */
    struct pvb_ui_lines lines;   /* those lines; or, entry == n, the lines typed at the command
                                  * line ('c' then "boot"): pygrub's new entry "entered" */
};

/*
 * Show the entries with def highlighted and a countdown of timeout seconds
 * (negative: none; 0: boot def at once, showing nothing), as pygrub does and
 * with its keys: Up/Down move, Enter boots; 'e' edits the entry's commands
 * (Up/Down, 'e' edit a line, 'o'/'O' open a line after/before, 'd' delete
 * it, 'b' boot, 'c' command line, Esc back); 'a' edits the kernel line and
 * boots it; 'c' takes commands until "boot" (Esc, "quit" or "return" go
 * back). Any key stops the countdown.
 *
 * 0 with *ch filled (ch->entry -1 when there is no terminal: the caller boots
 * the default, as with -q); PVB_ENOLIB when ncurses cannot be loaded, with
 * c's message naming it (the caller warns and boots the default);
 * PVB_ENOMEM. items are not changed. Free ch->lines with pvb_ui_lines_free.
 */
int pvb_ui_menu(struct pvb_ctx *c, const struct pvb_ui_item *items, int n, int def, int timeout,
                struct pvb_ui_choice *ch);

#endif
