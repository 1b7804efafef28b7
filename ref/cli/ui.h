/* SPDX-License-Identifier: GPL-2.0-only */
/* The interactive boot menu (-i, pygrub's default): pick an entry, edit its arguments. */
#ifndef PVB_CLI_UI_H
#define PVB_CLI_UI_H

struct pvb_ui_item {
    const char *title;
    char *args;          /* the kernel arguments; 'e' may replace them (malloc'd) */
};

/*
 * Show the entries on the terminal with def highlighted and a countdown of
 * timeout seconds (negative: wait for a key; 0: boot def at once). Up/Down
 * move, Enter boots, 'e' edits the highlighted entry's arguments (Enter
 * accepts, Esc cancels). Returns the chosen index, or -1 when no terminal
 * can be used (the caller boots the default). An edited args string
 * replaces items[i].args; the old one is freed.
 */
int pvb_ui_menu(struct pvb_ui_item *items, int n, int def, int timeout);

#endif
