/* SPDX-License-Identifier: GPL-2.0-only */
/* ncurses through dlopen(): the few functions the menu draws with, called through a table. */
#include <locale.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/term.h"
#include "util/dl.h"

/*
 * Most of what <curses.h> offers are macros over these functions and
 * variables (getch() is wgetch(stdscr), ACS_HLINE is acs_map['q']), so the
 * table holds the functions and the addresses of the variables themselves.
 * Types are ncurses' ABI 6: WINDOW and SCREEN are opaque, chtype is 32 bits,
 * bool one byte.
 */
typedef unsigned int pvb_chtype;

struct curses_api {
    void *(*newterm)(const char *, FILE *, FILE *);
    void *(*set_term)(void *);
    void (*delscreen)(void *);
    int (*endwin)(void);
    int (*cbreak)(void);
    int (*noecho)(void);
    int (*keypad)(void *, unsigned char);
    int (*curs_set)(int);
    void (*wtimeout)(void *, int);
    int (*werase)(void *);
    int (*wrefresh)(void *);
    int (*wgetch)(void *);
    int (*wmove)(void *, int, int);
    int (*waddnstr)(void *, const char *, int);
    int (*waddch)(void *, pvb_chtype);
    int (*wattron)(void *, int);
    int (*wattroff)(void *, int);
    int (*whline)(void *, pvb_chtype, int);
    int (*wvline)(void *, pvb_chtype, int);
    void **stdscr;            /* WINDOW *stdscr */
    int *lines, *cols;        /* LINES, COLS */
    pvb_chtype *acs_map;      /* acs_map[128] */
};

#define SYM(name, field) { name, offsetof(struct curses_api, field) }
static const struct pvb_dl_sym curses_syms[] = {
    SYM("newterm", newterm), SYM("set_term", set_term), SYM("delscreen", delscreen),
    SYM("endwin", endwin), SYM("cbreak", cbreak), SYM("noecho", noecho), SYM("keypad", keypad),
    SYM("curs_set", curs_set), SYM("wtimeout", wtimeout), SYM("werase", werase),
    SYM("wrefresh", wrefresh), SYM("wgetch", wgetch), SYM("wmove", wmove),
    SYM("waddnstr", waddnstr), SYM("waddch", waddch), SYM("wattron", wattron),
    SYM("wattroff", wattroff), SYM("whline", whline), SYM("wvline", wvline),
    SYM("stdscr", stdscr), SYM("LINES", lines), SYM("COLS", cols), SYM("acs_map", acs_map),
};

/* The wide-character build first (Debian installs it with most terminal programs), then
 * the narrow one; the menu uses neither's wide functions. */
static const char *const curses_sonames[] = { "libncursesw.so.6", "libncurses.so.6", NULL };
static const struct pvb_dl_lib curses_lib = {
    "the interactive menu", curses_sonames, "Debian: libncursesw6 or libncurses6", curses_syms,
    sizeof(curses_syms) / sizeof(curses_syms[0])
};
PVB_DL_NOTE(ncurses, "[{\"feature\":\"menu\",\"description\":\"the interactive boot menu "
            "(-i, pygrub's default); without it the default entry boots\",\"priority\":"
            "\"recommended\",\"soname\":[\"libncursesw.so.6\",\"libncurses.so.6\"]}]");

#define A_REVERSE_BIT (1 << 18)   /* NCURSES_BITS(1, 10) */

struct pvb_term {
    struct curses_api k;
    void *lib;
    void *screen;
    int cursor, cy, cx;
    char locale[64];          /* LC_CTYPE before the menu, given back after it */
};

#define WIN(t) (*(t)->k.stdscr)

int pvb_term_open(struct pvb_ctx *c, struct pvb_term **out)
{
    struct pvb_term *t = calloc(1, sizeof(*t));
    int rc;

    if (!t)
        return pvb_fail(c, PVB_ENOMEM, "menu: out of memory");
    if ((rc = pvb_dl_open(c, &curses_lib, &t->k, &t->lib)) != 0) {
        free(t);
        return rc;
    }
    /* The user's character set for the menu alone, as curses programs (and pygrub's
     * Python) take it: line drawing in UTF-8 on a UTF-8 terminal. */
    snprintf(t->locale, sizeof(t->locale), "%s", setlocale(LC_CTYPE, NULL) ? setlocale(LC_CTYPE, NULL) : "C");
    setlocale(LC_CTYPE, "");
    /* newterm, unlike initscr, returns NULL instead of exiting without a terminal. */
    t->screen = t->k.newterm(NULL, stdout, stdin);
    if (!t->screen) {
        setlocale(LC_CTYPE, t->locale);
        pvb_dl_close(t->lib);
        free(t);
        return pvb_fail(c, PVB_ENOTFOUND, "menu: no terminal");
    }
    t->k.set_term(t->screen);
    t->k.cbreak();
    t->k.noecho();
    t->k.keypad(WIN(t), 1);
    t->k.curs_set(0);
    *out = t;
    return 0;
}

void pvb_term_close(struct pvb_term *t)
{
    if (!t)
        return;
    t->k.curs_set(1);
    t->k.endwin();
    t->k.delscreen(t->screen);
    setlocale(LC_CTYPE, t->locale);
    pvb_dl_close(t->lib);
    free(t);
}

int pvb_term_rows(const struct pvb_term *t)
{
    return *t->k.lines;
}

int pvb_term_cols(const struct pvb_term *t)
{
    return *t->k.cols;
}

void pvb_term_erase(struct pvb_term *t)
{
    t->k.werase(WIN(t));
}

void pvb_term_text(struct pvb_term *t, int y, int x, int rev, const char *s)
{
    int room = *t->k.cols - x;
    size_t n = strlen(s);

    if (y < 0 || y >= *t->k.lines || x < 0 || room <= 0)
        return;
    if (n > (size_t)room)
        n = (size_t)room;
    if (rev)
        t->k.wattron(WIN(t), A_REVERSE_BIT);
    if (t->k.wmove(WIN(t), y, x) == 0)
        t->k.waddnstr(WIN(t), s, (int)n);
    if (rev)
        t->k.wattroff(WIN(t), A_REVERSE_BIT);
}

void pvb_term_acs(struct pvb_term *t, int y, int x, char acs)
{
    if (t->k.wmove(WIN(t), y, x) == 0)
        t->k.waddch(WIN(t), t->k.acs_map[(unsigned char)acs & 0x7f]);
}

void pvb_term_box(struct pvb_term *t, int y, int x, int h, int w)
{
    const pvb_chtype *acs = t->k.acs_map;

    if (h < 2 || w < 2)
        return;
    pvb_term_acs(t, y, x, 'l');
    pvb_term_acs(t, y, x + w - 1, 'k');
    pvb_term_acs(t, y + h - 1, x, 'm');
    pvb_term_acs(t, y + h - 1, x + w - 1, 'j');
    if (t->k.wmove(WIN(t), y, x + 1) == 0)
        t->k.whline(WIN(t), acs['q'], w - 2);
    if (t->k.wmove(WIN(t), y + h - 1, x + 1) == 0)
        t->k.whline(WIN(t), acs['q'], w - 2);
    if (t->k.wmove(WIN(t), y + 1, x) == 0)
        t->k.wvline(WIN(t), acs['x'], h - 2);
    if (t->k.wmove(WIN(t), y + 1, x + w - 1) == 0)
        t->k.wvline(WIN(t), acs['x'], h - 2);
}

void pvb_term_cursor(struct pvb_term *t, int on, int y, int x)
{
    t->cursor = on;
    t->cy = y;
    t->cx = x;
}

int pvb_term_key(struct pvb_term *t, int ms)
{
    t->k.curs_set(t->cursor);
    if (t->cursor)
        t->k.wmove(WIN(t), t->cy, t->cx);
    t->k.wrefresh(WIN(t));
    t->k.wtimeout(WIN(t), ms < 0 ? -1 : ms);
    return t->k.wgetch(WIN(t));
}
