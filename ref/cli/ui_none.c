/* SPDX-License-Identifier: GPL-2.0-only */
/* The menu of a pvboot built without curses (make NCURSES=0): none; the default boots. */
#include <stdio.h>
#include <unistd.h>

#include "cli/ui.h"

int pvb_ui_menu(struct pvb_ui_item *items, int n, int def, int timeout_s)
{
    (void)items;
    (void)def;
    /* The curses build shows no menu for these either; a terminal is told why it sees none. */
    if (n <= 0 || timeout_s == 0 || !isatty(STDIN_FILENO))
        return -1;
    fputs("pvboot: this pvboot was built without the menu (NCURSES=0): "
          "booting the default entry (-q does so without this line)\n", stderr);
    return -1;
}
