/* SPDX-License-Identifier: GPL-2.0-only */
/* The interactive menu's terminal: ncurses, loaded with dlopen() only when the menu opens. */
#ifndef PVB_CLI_TERM_H
#define PVB_CLI_TERM_H

#include "util/ctx.h"

/* Keys as ncurses returns them (its ABI 6 values), so that nothing here needs
 * <curses.h> to build. */
#define PVB_KEY_NONE      (-1)    /* ERR: the wait ended without a key */
#define PVB_KEY_DOWN      0402
#define PVB_KEY_UP        0403
#define PVB_KEY_LEFT      0404
#define PVB_KEY_RIGHT     0405
#define PVB_KEY_HOME      0406
#define PVB_KEY_BACKSPACE 0407
#define PVB_KEY_DC        0512
#define PVB_KEY_ENTER     0527
#define PVB_KEY_END       0550

/* Line-drawing characters: the VT100 letters ncurses' acs_map is indexed by. */
#define PVB_ACS_UARROW  '-'
#define PVB_ACS_DARROW  '.'
#define PVB_ACS_LARROW  ','

struct pvb_term;

/*
 * Load ncurses and take the terminal (newterm() on stdout and stdin, cbreak,
 * no echo, keypad). 0; PVB_ENOLIB with c's message naming the library when
 * ncurses cannot be loaded (c->dl_name is the test seam); PVB_ENOTFOUND when
 * there is no terminal ncurses can use.
 */
int pvb_term_open(struct pvb_ctx *c, struct pvb_term **out);
/* Give the terminal back (endwin) and close the library. */
void pvb_term_close(struct pvb_term *t);

int pvb_term_rows(const struct pvb_term *t);
int pvb_term_cols(const struct pvb_term *t);
void pvb_term_erase(struct pvb_term *t);
/* Text at row y, column x, cut at the screen's edge; in reverse video when rev. */
void pvb_term_text(struct pvb_term *t, int y, int x, int rev, const char *s);
/* One line-drawing character (PVB_ACS_*, or a VT100 letter) at y, x. */
void pvb_term_acs(struct pvb_term *t, int y, int x, char acs);
/* A box with its top left corner at y, x, h rows and w columns, borders included. */
void pvb_term_box(struct pvb_term *t, int y, int x, int h, int w);
/* Show the cursor at y, x (on), or hide it. */
void pvb_term_cursor(struct pvb_term *t, int on, int y, int x);
/* Show what was drawn and wait for a key: at most ms milliseconds (< 0: for
 * ever). PVB_KEY_NONE when none came. */
int pvb_term_key(struct pvb_term *t, int ms);

#endif
