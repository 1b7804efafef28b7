/* SPDX-License-Identifier: GPL-2.0-only */
/* The menu after pygrub's (tools/pygrub/src/pygrub, class Grub): its screens, texts and keys. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/term.h"
#include "cli/ui.h"

#define KEY_ESC 27
#define CTRL(c) ((c) & 0x1f)
#define MAX_LINE 4096

/* pygrub's geometry: an entry window of 8 lines in a box at row 2, the help text at row
 * 12, the countdown at row 20, the line editor at row 5 column 2. */
#define ENTRY_LINES 8
#define BOX_Y 2
#define BOX_X 1
#define BOX_W 74
#define TEXT_Y 12
#define TEXT_X 5
#define TIMER_Y 20
#define EDIT_X 2
#define EDIT_W 70

/* ---- lines ------------------------------------------------------------------------ */

void pvb_ui_lines_free(struct pvb_ui_lines *l)
{
    unsigned i;

    for (i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* Insert a copy of the n bytes of s at index at. */
static int lines_insert(struct pvb_ui_lines *l, unsigned at, const char *s, size_t n)
{
    char **nv = realloc(l->v, (l->n + 1) * sizeof(*nv));
    char *d = malloc(n + 1);

    if (nv)
        l->v = nv;
    if (!nv || !d) {
        free(d);
        return PVB_ENOMEM;
    }
    memcpy(d, s, n);
    d[n] = '\0';
    memmove(l->v + at + 1, l->v + at, (l->n - at) * sizeof(*nv));
    l->v[at] = d;
    l->n++;
    return 0;
}

static void lines_delete(struct pvb_ui_lines *l, unsigned at)
{
    free(l->v[at]);
    memmove(l->v + at, l->v + at + 1, (l->n - at - 1) * sizeof(*l->v));
    l->n--;
}

static int lines_copy(struct pvb_ui_lines *dst, const struct pvb_ui_lines *src)
{
    unsigned i;
    int rc = 0;

    dst->v = NULL;
    dst->n = 0;
    for (i = 0; i < src->n && !rc; i++)
        rc = lines_insert(dst, i, src->v[i], strlen(src->v[i]));
    if (rc)
        pvb_ui_lines_free(dst);
    return rc;
}

int pvb_ui_lines_split(const char *text, struct pvb_ui_lines *out)
{
    const char *p = text;
    int rc = 0;

    out->v = NULL;
    out->n = 0;
    while (*p && !rc) {
        size_t n = strcspn(p, "\n");
        rc = lines_insert(out, out->n, p, n);
        p += n + (p[n] == '\n');
    }
    if (rc)
        pvb_ui_lines_free(out);
    return rc;
}

char *pvb_ui_lines_join(const struct pvb_ui_lines *l)
{
    size_t len = 1, at = 0;
    unsigned i;
    char *s;

    for (i = 0; i < l->n; i++)
        len += strlen(l->v[i]) + 1;
    if (!(s = malloc(len)))
        return NULL;
    for (i = 0; i < l->n; i++) {
        size_t n = strlen(l->v[i]);
        memcpy(s + at, l->v[i], n);
        at += n;
        s[at++] = '\n';
    }
    s[at] = '\0';
    return s;
}

/* ---- the line editor (pygrub's GrubLineEditor) -------------------------------------- */

/*
 * Edit s (cap bytes) on row y after "> ": a window of EDIT_W columns that moves on by 55
 * when the cursor passes column 70, with a left arrow when it has. Enter accepts (1),
 * Esc cancels (0). Keys: printable characters insert; Left/^B, Right/^F, Home/^A,
 * End/^E move; Backspace/^H deletes before the cursor, Delete/^D at it, ^K to the end.
 */
static int edit_line(struct pvb_term *t, int y, char *s, size_t cap)
{
    size_t len = strlen(s), pos = len;
    char view[EDIT_W + 1];

    for (;;) {
        size_t off = 0, p = pos;
        int ch;

        while (p > 70) {
            p -= 55;
            off += 55;
        }
        snprintf(view, sizeof(view), "%-*.*s", EDIT_W, EDIT_W, s + (off < len ? off : len));
        pvb_term_text(t, y, EDIT_X, 0, "> ");
        pvb_term_text(t, y, EDIT_X + 2, 0, view);
        if (off)
            pvb_term_acs(t, y, EDIT_X + 2, PVB_ACS_LARROW);
        pvb_term_cursor(t, 1, y, EDIT_X + 2 + (int)p);
        ch = pvb_term_key(t, -1);
        if (ch == '\n' || ch == '\r' || ch == PVB_KEY_ENTER || ch == CTRL('g')) {
            pvb_term_cursor(t, 0, 0, 0);
            return 1;
        }
        if (ch == KEY_ESC) {
            pvb_term_cursor(t, 0, 0, 0);
            return 0;
        }
        if ((ch == PVB_KEY_LEFT || ch == CTRL('b')) && pos > 0)
            pos--;
        else if ((ch == PVB_KEY_RIGHT || ch == CTRL('f')) && pos < len)
            pos++;
        else if (ch == PVB_KEY_HOME || ch == CTRL('a'))
            pos = 0;
        else if (ch == PVB_KEY_END || ch == CTRL('e'))
            pos = len;
        else if ((ch == PVB_KEY_BACKSPACE || ch == 127 || ch == CTRL('h')) && pos > 0) {
            memmove(s + pos - 1, s + pos, len - pos + 1);
            pos--;
            len--;
        } else if ((ch == PVB_KEY_DC || ch == CTRL('d')) && pos < len) {
            memmove(s + pos, s + pos + 1, len - pos);
            len--;
        } else if (ch == CTRL('k')) {
            s[pos] = '\0';
            len = pos;
        } else if (ch >= 32 && ch < 127 && len + 1 < cap) {
            memmove(s + pos + 1, s + pos, len - pos + 1);
            s[pos++] = (char)ch;
            len++;
        }
    }
}

/* pygrub's edit_line screen: the line alone, with the editing rules above it. 0 and
 * *out (malloc()ed) the edited line; 0 and NULL when cancelled or emptied (pygrub keeps
 * the line then); PVB_ENOMEM. */
static int edit_screen(struct pvb_term *t, const char *line, char **out)
{
    size_t cap = strlen(line) + MAX_LINE;
    char *buf = malloc(cap);

    *out = NULL;
    if (!buf)
        return PVB_ENOMEM;
    pvb_term_erase(t);
    pvb_term_text(t, 1, 2, 0, "[ Minimal BASH-like line editing is supported.  ");
    pvb_term_text(t, 2, 2, 0, "  ESC at any time cancels.  ENTER at any time accepts your changes. ]");
    memcpy(buf, line, strlen(line) + 1);
    if (!edit_line(t, 5, buf, cap) || !buf[0]) {
        free(buf);
        return 0;
    }
    *out = buf;
    return 0;
}

/* ---- screens ------------------------------------------------------------------------ */

struct menu {
    struct pvb_term *t;
    const struct pvb_ui_item *items;
    int n;
    struct pvb_ui_choice *ch;
    int done;
};

/* The title, the box and the help text of a screen. */
static void frame(struct pvb_term *t, const char *const *help)
{
    int i;

    pvb_term_erase(t);
    pvb_term_text(t, 1, 4, 0, "pvboot");
    pvb_term_box(t, BOX_Y, BOX_X, ENTRY_LINES + 2, BOX_W);
    for (i = 0; help[i]; i++)
        pvb_term_text(t, TEXT_Y + i, TEXT_X, 0, help[i]);
    pvb_term_acs(t, TEXT_Y, TEXT_X + 8, PVB_ACS_UARROW);
    pvb_term_acs(t, TEXT_Y, TEXT_X + 14, PVB_ACS_DARROW);
}

/* One row of the box: s cut to 70 columns, a '>' marking a longer line (pygrub). */
static void row(struct pvb_term *t, int y, const char *s, int rev)
{
    char buf[72];
    size_t n = strlen(s);

    if (n > 70)
        snprintf(buf, sizeof(buf), "%.69s>", s);
    else
        snprintf(buf, sizeof(buf), "%-70s", s);
    pvb_term_text(t, BOX_Y + 1 + y, BOX_X + 2, rev, buf);
}

/* pygrub's command_line_mode: commands one per line until "boot" boots them as a new
 * entry (1); Esc, an empty line, "quit" or "return" go back (0). */
static int command_line(struct menu *m)
{
    struct pvb_ui_lines typed = { NULL, 0 };
    char buf[MAX_LINE];
    int y = 5, rc;

    pvb_term_erase(m->t);
    pvb_term_text(m->t, 1, 2, 0, "[ Minimal BASH-like line editing is supported.  ESC at any time ");
    pvb_term_text(m->t, 2, 2, 0, "  exits.  Typing 'boot' will boot with your entered commands. ] ");
    for (;;) {
        buf[0] = '\0';
        if (!edit_line(m->t, y, buf, sizeof(buf)) || !buf[0] || !strcmp(buf, "quit") ||
            !strcmp(buf, "return")) {
            pvb_ui_lines_free(&typed);
            return 0;
        }
        if (!strcmp(buf, "boot"))
            break;
        if ((rc = lines_insert(&typed, typed.n, buf, strlen(buf))) != 0) {
            pvb_ui_lines_free(&typed);
            return rc;
        }
        y++;
    }
    pvb_ui_lines_free(&m->ch->lines);
    m->ch->lines = typed;
    m->ch->entry = m->n;
    m->ch->edited = 1;
    m->done = 1;
    return 1;
}

/* pygrub's edit_entry: the entry's commands in the box; 'b' boots them as edited. */
static int edit_entry(struct menu *m, int sel)
{
    static const char *const help[] = {
        "Use the U and D keys to select which entry is highlighted.",
        "Press 'b' to boot, 'e' to edit the selected command in the",
        "boot sequence, 'c' for a command-line, 'o' to open a new line",
        "after ('O' for before) the selected line, 'd' to remove the",
        "selected line, or escape to go back to the main menu.",
        NULL
    };
    struct pvb_ui_lines l;
    int cur = 0, top = 0, rc = 0, i;

    if ((rc = lines_copy(&l, &m->items[sel].lines)) != 0)
        return rc;
    while (!rc) {
        int c;
        char *e;

        frame(m->t, help);
        if (cur < top)
            top = cur;
        if (cur >= top + ENTRY_LINES)
            top = cur - ENTRY_LINES + 1;
        for (i = 0; i < ENTRY_LINES && top + i < (int)l.n; i++)
            row(m->t, i, l.v[top + i], top + i == cur);
        c = pvb_term_key(m->t, -1);
        if (c == 'q' || c == KEY_ESC)
            break;
        if (c == PVB_KEY_UP)
            cur--;
        else if (c == PVB_KEY_DOWN)
            cur++;
        else if (c == 'b') {
            pvb_ui_lines_free(&m->ch->lines);
            m->ch->lines = l;
            m->ch->entry = sel;
            m->ch->edited = 1;
            m->done = 1;
            return 0;
        } else if (c == 'e' && l.n > 0) {
            if ((rc = edit_screen(m->t, l.v[cur], &e)) == 0 && e) {
                free(l.v[cur]);
                l.v[cur] = e;
            }
        } else if (c == 'd' && l.n > 0) {
            lines_delete(&l, (unsigned)cur);
        } else if (c == 'o') {
            rc = lines_insert(&l, l.n ? (unsigned)cur + 1 : 0, "", 0);
            cur += l.n > 1;
        } else if (c == 'O') {
            rc = lines_insert(&l, (unsigned)cur, "", 0);
        } else if (c == 'c') {
            rc = command_line(m);
            if (m->done)
                break;
            rc = rc > 0 ? 0 : rc;
        }
        if (cur >= (int)l.n)
            cur = (int)l.n - 1;
        if (cur < 0)
            cur = 0;
    }
    pvb_ui_lines_free(&l);
    return rc < 0 ? rc : 0;
}

/* pygrub's 'a': the entry's first kernel or linux line in the line editor; Enter boots it. */
static int edit_args(struct menu *m, int sel)
{
    const struct pvb_ui_lines *src = &m->items[sel].lines;
    struct pvb_ui_lines l;
    char *e;
    unsigned i;
    int rc;

    for (i = 0; i < src->n; i++)
        if (!strncmp(src->v[i], "kernel", 6) || !strncmp(src->v[i], "linux", 5))
            break;
    if (i == src->n)
        return 0;
    if ((rc = edit_screen(m->t, src->v[i], &e)) != 0 || !e)
        return rc;
    if ((rc = lines_copy(&l, src)) != 0) {
        free(e);
        return rc;
    }
    free(l.v[i]);
    l.v[i] = e;
    pvb_ui_lines_free(&m->ch->lines);
    m->ch->lines = l;
    m->ch->entry = sel;
    m->ch->edited = 1;
    m->done = 1;
    return 0;
}

/* pygrub's run_main: the entries, the countdown, the keys. */
static int main_menu(struct menu *m, int *sel, int *left)
{
    static const char *const help[] = {
        "Use the U and D keys to select which entry is highlighted.",
        "Press enter to boot the selected OS, 'e' to edit the",
        "commands before booting, 'a' to modify the kernel arguments ",
        "before booting, or 'c' for a command line.",
        NULL
    };
    int top = 0, i, c;
    char timer[64];

    for (;;) {
        frame(m->t, help);
        if (*left >= 0) {
            snprintf(timer, sizeof(timer), "Will boot selected entry in %2d seconds", *left);
            pvb_term_text(m->t, TIMER_Y, 5, 0, timer);
        }
        if (*sel < top)
            top = *sel;
        if (*sel >= top + ENTRY_LINES)
            top = *sel - ENTRY_LINES + 1;
        for (i = 0; i < ENTRY_LINES && top + i < m->n; i++)
            row(m->t, i, m->items[top + i].title, top + i == *sel);
        c = pvb_term_key(m->t, *left >= 0 ? 1000 : -1);
        if (c == PVB_KEY_NONE) {          /* a second passed without a key */
            if (*left > 0 && --*left == 0) {
                m->ch->entry = *sel;
                m->done = 1;
                return 0;
            }
            continue;
        }
        *left = -1;                       /* any key stops the countdown */
        if (c == '\n' || c == '\r' || c == PVB_KEY_ENTER) {
            m->ch->entry = *sel;
            m->done = 1;
            return 0;
        }
        if (c == 'e')
            return edit_entry(m, *sel);
        if (c == 'a')
            return edit_args(m, *sel);
        if (c == 'c') {
            int rc = command_line(m);
            return rc > 0 ? 0 : rc;
        }
        if (c == PVB_KEY_UP && *sel > 0)
            (*sel)--;
        else if (c == PVB_KEY_DOWN && *sel + 1 < m->n)
            (*sel)++;
    }
}

int pvb_ui_menu(struct pvb_ctx *c, const struct pvb_ui_item *items, int n, int def, int timeout,
                struct pvb_ui_choice *ch)
{
    struct menu m;
    int sel = def, left = timeout, rc;

    memset(ch, 0, sizeof(*ch));
    ch->entry = -1;
    if (n <= 0)
        return 0;
    if (sel < 0 || sel >= n)
        sel = 0;
    if (timeout == 0) {
        ch->entry = sel;
        return 0;
    }
    memset(&m, 0, sizeof(m));
    rc = pvb_term_open(c, &m.t);
    if (rc == PVB_ENOTFOUND) {
        pvb_ctx_clear(c);
        return 0;
    }
    if (rc)
        return rc;
    m.items = items;
    m.n = n;
    m.ch = ch;
    while (!m.done && !rc)
        rc = main_menu(&m, &sel, &left);
    pvb_term_close(m.t);
    if (rc) {
        pvb_ui_lines_free(&ch->lines);
        ch->entry = -1;
        return pvb_fail(c, rc, "menu: out of memory");
    }
    return 0;
}
