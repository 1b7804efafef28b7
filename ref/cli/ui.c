/* SPDX-License-Identifier: GPL-2.0-only */
/* The curses menu, after pygrub's: a box of titles, a countdown, and an argument editor. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/ui.h"

#define KEY_ESC 27
#define MAX_ARGS 4096

static void draw_box(int top, int rows, int width)
{
    int i;

    mvaddch(top, 0, ACS_ULCORNER);
    mvhline(top, 1, ACS_HLINE, width - 2);
    mvaddch(top, width - 1, ACS_URCORNER);
    for (i = 1; i <= rows; i++) {
        mvaddch(top + i, 0, ACS_VLINE);
        mvaddch(top + i, width - 1, ACS_VLINE);
    }
    mvaddch(top + rows + 1, 0, ACS_LLCORNER);
    mvhline(top + rows + 1, 1, ACS_HLINE, width - 2);
    mvaddch(top + rows + 1, width - 1, ACS_LRCORNER);
}

static void draw(const struct pvb_ui_item *items, int n, int sel, int left)
{
    int rows = LINES - 8, width = COLS < 80 ? COLS : 80, first, i;

    if (rows < 1)
        rows = 1;
    first = sel >= rows ? sel - rows + 1 : 0;
    erase();
    mvprintw(0, 2, "pvboot: select the entry to boot");
    draw_box(1, rows, width);
    for (i = 0; i < rows && first + i < n; i++) {
        if (first + i == sel)
            attron(A_REVERSE);
        mvprintw(2 + i, 2, "%-*.*s", width - 4, width - 4, items[first + i].title);
        if (first + i == sel)
            attroff(A_REVERSE);
    }
    mvprintw(rows + 3, 2, "Use the up and down keys to select which entry is highlighted.");
    mvprintw(rows + 4, 2, "Press enter to boot the selected OS, 'e' to edit its kernel arguments.");
    if (left >= 0)
        mvprintw(rows + 6, 2, "Will boot selected entry in %2d seconds", left);
    refresh();
}

/* Edit s in place on the bottom line; 1 when accepted. */
static int edit_line(char *s, size_t cap)
{
    size_t len = strlen(s), pos = len;
    int ch, y = LINES - 1, width = COLS - 1;

    timeout(-1);
    curs_set(1);
    for (;;) {
        size_t off = pos >= (size_t)width - 8 ? pos - (size_t)width + 8 : 0;

        move(y - 1, 0);
        clrtoeol();
        mvprintw(y - 1, 0, "Edit the kernel arguments; Enter boots, Esc cancels:");
        move(y, 0);
        clrtoeol();
        mvprintw(y, 0, "> %.*s", width - 2, s + off);
        move(y, (int)(pos - off) + 2);
        refresh();
        ch = getch();
        if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
            curs_set(0);
            return 1;
        }
        if (ch == KEY_ESC) {
            curs_set(0);
            return 0;
        }
        if (ch == KEY_LEFT && pos > 0)
            pos--;
        else if (ch == KEY_RIGHT && pos < len)
            pos++;
        else if (ch == KEY_HOME || ch == 1)
            pos = 0;
        else if (ch == KEY_END || ch == 5)
            pos = len;
        else if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && pos > 0) {
            memmove(s + pos - 1, s + pos, len - pos + 1);
            pos--;
            len--;
        } else if (ch == KEY_DC && pos < len) {
            memmove(s + pos, s + pos + 1, len - pos);
            len--;
        } else if (ch >= 32 && ch < 127 && len + 1 < cap) {
            memmove(s + pos + 1, s + pos, len - pos + 1);
            s[pos++] = (char)ch;
            len++;
        }
    }
}

/* 1 when the edit was accepted (then the entry boots), 0 back to the menu. */
static int edit_args(struct pvb_ui_item *it)
{
    char buf[MAX_ARGS];
    char *copy;

    snprintf(buf, sizeof(buf), "%s", it->args ? it->args : "");
    if (!edit_line(buf, sizeof(buf)))
        return 0;
    copy = malloc(strlen(buf) + 1);
    if (!copy)
        return 0;
    strcpy(copy, buf);
    free(it->args);
    it->args = copy;
    return 1;
}

int pvb_ui_menu(struct pvb_ui_item *items, int n, int def, int timeout_s)
{
    SCREEN *scr;
    int sel = def, left = timeout_s, done = 0, ch;

    if (n <= 0)
        return -1;
    if (sel < 0 || sel >= n)
        sel = 0;
    if (timeout_s == 0)
        return sel;
    /* newterm, unlike initscr, returns NULL instead of exiting without a terminal. */
    scr = newterm(NULL, stdout, stdin);
    if (!scr)
        return -1;
    set_term(scr);
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    curs_set(0);
    while (!done) {
        draw(items, n, sel, left);
        timeout(left >= 0 ? 1000 : -1);
        ch = getch();
        if (ch == ERR) {               /* a second passed without a key */
            if (left > 0 && --left == 0)
                done = 1;
            continue;
        }
        left = -1;                      /* any key stops the countdown */
        if (ch == KEY_UP && sel > 0)
            sel--;
        else if (ch == KEY_DOWN && sel + 1 < n)
            sel++;
        else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER)
            done = 1;
        else if (ch == 'e')
            done = edit_args(&items[sel]);
    }
    endwin();
    delscreen(scr);
    return sel;
}
