/* GRUB 2 script lexer: tokens and word parts as grub-core/script/yylex.l makes them. */
#include <string.h>

#include "cfg/g2.h"

#define YYLMAX 8192   /* flex's token buffer in GRUB's lexer (grub-emu: "token too large") */

int pvb_g2_lex_init(struct g2_lex *lx, struct pvb_ctx *c, struct arena *ar, const char *buf,
                size_t len, size_t max_line, size_t max_var)
{
    size_t i, n = 0, linelen = 0;
    unsigned line = 1;
    char *d;

    memset(lx, 0, sizeof(*lx));
    lx->c = c;
    lx->ar = ar;
    lx->max_var = max_var;
    lx->line = 1;
    pvb_sb_init(&lx->text, c, max_var, "word");
    if (len > (size_t)-3)
        return pvb_fail(c, PVB_ELIMIT, "config: too large");
    d = pvb_arena_alloc(ar, len + 2);
    if (!d)
        return c->err;
    if (!memchr(buf, '\r', len) && !memchr(buf, '\0', len)) {
        /* The common case, a line at a time. */
        const char *p = buf, *end = buf + len, *nl;
        for (; p < end; p = nl + 1, line++) {
            nl = memchr(p, '\n', (size_t)(end - p));
            if (!nl)
                nl = end;
            if ((size_t)(nl - p) > max_line)
                return pvb_fail(c, PVB_ELIMIT, "config: line %u longer than the line limit of %zu bytes",
                                line, max_line);
        }
        memcpy(d, buf, len);
        n = len;
        i = len;
    }
    /* grub_file_getline drops every CR; the lexer sees each line with its newline. */
    for (i = n ? len : 0; i < len; i++) {
        if (buf[i] == '\r')
            continue;
        if (buf[i] == '\0') {
            /* GRUB's lexer sees the line as a C string: a NUL ends it. */
            while (i + 1 < len && buf[i + 1] != '\n')
                i++;
            continue;
        }
        d[n++] = buf[i];
        if (buf[i] == '\n') {
            line++;
            linelen = 0;
        } else if (++linelen > max_line) {
            return pvb_fail(c, PVB_ELIMIT, "config: line %u longer than the line limit of %zu bytes",
                            line, max_line);
        }
    }
    if (n == 0 || d[n - 1] != '\n')
        d[n++] = '\n';
    d[n] = '\0';
    lx->buf = d;
    lx->len = n;
    return 0;
}

static int is_name_start(int ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
}

static int is_name_char(int ch)
{
    return is_name_start(ch) || (ch >= '0' && ch <= '9');
}

static int is_digit(int ch)
{
    return ch >= '0' && ch <= '9';
}

/* CHAR in yylex.l: anything but {}|&$;<> blank newline quotes backslash (and NUL). */
static const unsigned char not_word[256] = {
    [0] = 1, ['{'] = 1, ['}'] = 1, ['|'] = 1, ['&'] = 1, ['$'] = 1, [';'] = 1, ['<'] = 1,
    ['>'] = 1, [' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\''] = 1, ['"'] = 1, ['\\'] = 1,
};

static int is_word_char(int ch)
{
    return !not_word[ch & 0xff];
}

/* Length of a variable reference at s ("$x", "${x}", "$1", "$?", ...), 0 if none. */
static size_t var_len(const char *s, const char **name, size_t *nlen)
{
    const char *p = s + 1;
    int brace = *p == '{';
    size_t n = 0;

    if (brace)
        p++;
    if (is_name_start((unsigned char)*p)) {
        while (is_name_char((unsigned char)p[n]))
            n++;
    } else if (is_digit((unsigned char)*p)) {
        while (is_digit((unsigned char)p[n]))
            n++;
    } else if (*p && strchr("?#*@", *p)) {
        n = 1;
    } else {
        return 0;
    }
    if (brace && p[n] != '}')
        return 0;
    *name = p;
    *nlen = n;
    return (size_t)(p + n - s) + (brace ? 1 : 0);
}

void pvb_g2_lex_free(struct g2_lex *lx)
{
    pvb_sb_free(&lx->text);
}

struct wb {
    struct g2_lex *lx;
    struct pvb_sb *text;
    struct g2_part *head, **tail;
    int err;
};

static int emit(struct wb *w, enum g2_part_type t, const char *s, size_t n)
{
    struct g2_part *p;

    if (w->err)
        return w->err;
    if (t == G2_TEXT && n == 0)
        return 0;
    p = pvb_arena_alloc(w->lx->ar, sizeof(*p));
    if (!p || !(p->s = pvb_arena_strndup(w->lx->ar, s ? s : "", n)))
        return w->err = w->lx->c->err;
    p->type = t;
    p->block = NULL;
    p->next = NULL;
    *w->tail = p;
    w->tail = &p->next;
    return 0;
}

/* ARG(type): the text gathered so far becomes a part. */
static int flush(struct wb *w, enum g2_part_type t)
{
    int rc;

    if (w->text->err)
        return w->err = w->text->err;
    rc = emit(w, t, w->text->p, w->text->n);
    w->text->n = 0;
    return rc;
}

static int copy(struct wb *w, const char *s, size_t n)
{
    int rc = pvb_sb_add(w->text, s, n);

    return rc ? (w->err = rc) : 0;
}

/* A "..." string at s (the opening quote); returns the length or 0 if unterminated. */
static size_t dq_string(struct wb *w, const char *s)
{
    const char *p = s + 1, *name;
    size_t vl, nl;

    flush(w, G2_TEXT);
    for (;;) {
        if (*p == '\0')
            return 0;
        if (*p == '"')
            break;
        if (*p == '\\' && (p[1] == '$' || p[1] == '\\' || p[1] == '"')) {
            copy(w, p + 1, 1);
            p += 2;
        } else if (*p == '\\' && p[1] == '\n') {
            p += 2;
        } else if (*p == '$' && (vl = var_len(p, &name, &nl)) != 0) {
            flush(w, G2_DQ);
            emit(w, G2_DQVAR, name, nl);
            p += vl;
        } else if (*p == '$') {
            return (size_t)-1;  /* "$" with no name: yylex.l VAR state rejects it */
        } else {
            copy(w, p, 1);
            p++;
        }
    }
    flush(w, G2_DQ);
    return (size_t)(p + 1 - s);
}

static size_t i18n_string(struct wb *w, const char *s)
{
    const char *p = s + 2;

    /* $"..." is gettext'ed, not expanded: a literal string here (no catalogs). */
    flush(w, G2_TEXT);
    for (;;) {
        if (*p == '\0')
            return 0;
        if (*p == '"')
            break;
        if (*p == '\\' && (p[1] == '\\' || p[1] == '"')) {
            copy(w, p + 1, 1);
            p += 2;
        } else if (*p == '\\' && p[1] == '\n') {
            p += 2;
        } else {
            copy(w, p, 1);
            p++;
        }
    }
    flush(w, G2_DQ);
    return (size_t)(p + 1 - s);
}

/* Scan the WORD at lx->pos into parts; sets lx->tok to T_WORD or T_BAD. */
static int scan_word(struct g2_lex *lx, const char **end)
{
    const char *p = lx->buf + lx->pos, *name, *q;
    struct wb w;
    size_t vl, nl;

    w.lx = lx;
    w.text = &lx->text;
    w.text->n = 0;
    w.head = NULL;
    w.tail = &w.head;
    w.err = 0;
    /* Most words are plain text: one part straight from the buffer. */
    for (q = p; is_word_char((unsigned char)*q); q++)
        ;
    if (q > p && (*q == ' ' || *q == '\t' || *q == '\n' || *q == ';' || *q == '{' || *q == '}')) {
        emit(&w, G2_TEXT, p, (size_t)(q - p));
        if (w.err)
            return w.err;
        lx->parts = w.head;
        *end = q;
        return 0;
    }
    for (;;) {
        if (is_word_char((unsigned char)*p)) {
            for (q = p; is_word_char((unsigned char)*q); q++)
                ;
            copy(&w, p, (size_t)(q - p));
            p = q;
        } else if (*p == '\\') {
            if (p[1] == '\n' && p[2] == '\0') {
                /* POS_MULTILINE: the line continues past the end of input. */
                lx->bad = "unterminated backslash-newline";
                break;
            }
            if (p[1] != '\n')
                copy(&w, p + 1, 1);
            p += 2;
        } else if (*p == '\'') {
            q = strchr(p + 1, '\'');
            if (!q) {
                lx->bad = "unterminated '";
                break;
            }
            flush(&w, G2_TEXT);
            copy(&w, p + 1, (size_t)(q - p - 1));
            flush(&w, G2_SQ);
            p = q + 1;
        } else if (*p == '"') {
            vl = dq_string(&w, p);
            if (vl == 0 || vl == (size_t)-1) {
                lx->bad = vl ? "$ without a variable name" : "unterminated \"";
                break;
            }
            p += vl;
        } else if (*p == '$' && p[1] == '"') {
            vl = i18n_string(&w, p);
            if (vl == 0) {
                lx->bad = "unterminated $\"";
                break;
            }
            p += vl;
        } else if (*p == '$' && (vl = var_len(p, &name, &nl)) != 0) {
            flush(&w, G2_TEXT);
            emit(&w, G2_VAR, name, nl);
            p += vl;
        } else {
            break;
        }
    }
    flush(&w, G2_TEXT);
    if (w.err)
        return w.err;
    lx->parts = w.head;
    *end = p;
    return 0;
}

static const struct { const char *s; size_t n; enum g2_tok t; } reserved[] = {
    { "case", 4, T_CASE }, { "do", 2, T_DO }, { "done", 4, T_DONE }, { "elif", 4, T_ELIF },
    { "else", 4, T_ELSE }, { "esac", 4, T_ESAC }, { "fi", 2, T_FI }, { "for", 3, T_FOR },
    { "if", 2, T_IF }, { "in", 2, T_IN }, { "select", 6, T_SELECT }, { "then", 4, T_THEN },
    { "until", 5, T_UNTIL }, { "while", 5, T_WHILE }, { "function", 8, T_FUNCTION },
};

static void advance(struct g2_lex *lx, const char *to)
{
    const char *p;

    /* Tokens are short: a plain loop beats a memchr call per token. */
    for (p = lx->buf + lx->pos; p < to; p++)
        lx->line += *p == '\n';
    lx->pos = (size_t)(to - lx->buf);
}

/* The token a word's raw text p[0..n) makes: reserved word, [[ ]], NAME or WORD. */
static void classify(struct g2_lex *lx, const char *p, size_t n)
{
    size_t i;

    lx->tok = T_WORD;
    if (n == 2 && (memcmp(p, "[[", 2) == 0 || memcmp(p, "]]", 2) == 0)) {
        lx->tok = T_BAD;
        lx->bad = "[[ ]] are not supported";
    }
    for (i = 0; n <= 8 && i < sizeof(reserved) / sizeof(reserved[0]); i++)
        if (reserved[i].n == n && memcmp(reserved[i].s, p, n) == 0)
            lx->tok = reserved[i].t;
    if (lx->tok == T_WORD && is_name_start((unsigned char)*p)) {
        for (i = 1; i < n && is_name_char((unsigned char)p[i]); i++)
            ;
        if (i == n) {
            lx->tok = T_NAME;
            lx->name = lx->parts ? lx->parts->s : "";
        }
    }
}

/* A word token at p (or a bad one). */
static int word_token(struct g2_lex *lx, const char *p)
{
    const char *end;
    size_t n;
    int rc;

    if ((rc = scan_word(lx, &end)) != 0)
        return rc;
    if (lx->bad || end == p) {
        /* Nothing matched (a stray '$'), or an unterminated quote at end of input. */
        lx->tok = T_BAD;
        if (!lx->bad)
            lx->bad = "unexpected character";
        if (strncmp(lx->bad, "unterminated", 12) == 0)
            advance(lx, lx->buf + lx->len);   /* GRUB asked for more lines and hit the end */
        else
            advance(lx, end == p ? p + 1 : end);
        lx->tok_line = lx->line;
        return 0;
    }
    n = (size_t)(end - p);
    if (n >= YYLMAX) {
        /* yylex.l is built with flex %array: "token too large, exceeds YYLMAX", fatal. */
        lx->tok = T_BAD;
        lx->fatal = 1;
        lx->bad = "token too large, exceeds YYLMAX (8192): GRUB aborts";
        advance(lx, end);
        return 0;
    }
    classify(lx, p, n);
    advance(lx, end);
    lx->tok_line = lx->line;
    if (end[-1] == '\n')    /* a word ending in backslash-newline ends on the line before */
        lx->tok_line--;
    return 0;
}

int pvb_g2_lex_next(struct g2_lex *lx)
{
    const char *p;
    size_t n;

    lx->parts = NULL;
    lx->name = NULL;
    lx->bad = NULL;
    if (lx->unit_end && lx->refs == 0) {
        /* grub_script_lexer_yywrap: at top level, the end of a line is the end of input. */
        lx->tok = T_EOF;
        lx->tok_line = lx->line - 1;
        return 0;
    }
    lx->unit_end = 0;
    p = lx->buf + lx->pos;
    while (*p == ' ' || *p == '\t')
        p++;
    if ((size_t)(p - (lx->buf + lx->pos)) >= YYLMAX) {
        lx->tok = T_BAD;
        lx->fatal = 1;
        lx->bad = "a run of blanks exceeds YYLMAX (8192): GRUB aborts";
        return 0;
    }
    if (*p == '#')              /* a comment only at the start of a token */
        while (*p != '\n' && *p)
            p++;
    advance(lx, p);
    lx->tok_line = lx->line;
    if (*p == '\0') {
        lx->tok = T_EOF;
        return 0;
    }
    if (*p == '\n') {
        advance(lx, p + 1);
        lx->tok = T_NEWLINE;
        lx->unit_end = 1;
        return 0;
    }
    if (*p == '|' || *p == '&' || *p == '<' || *p == '>' || (p[0] == ';' && p[1] == ';')) {
        n = (p[0] == p[1] && strchr("|&;", *p)) ? 2 : 1;
        advance(lx, p + n);
        lx->tok = T_BAD;
        lx->bad = "| & < > ;; are not supported";
        return 0;
    }
    if (*p == ';' || *p == '{' || *p == '}') {
        lx->tok = *p == ';' ? T_SEMI : *p == '{' ? T_LBR : T_RBR;
        advance(lx, p + 1);
        return 0;
    }
    return word_token(lx, p);
}

void pvb_g2_lex_skip_line(struct g2_lex *lx)
{
    const char *p = lx->buf + lx->pos;

    /* After an error GRUB reads on from the line after the one the error was in. */
    if (lx->tok != T_NEWLINE && lx->tok != T_EOF) {
        while (*p && *p != '\n')
            p++;
        if (*p == '\n')
            p++;
        advance(lx, p);
    }
    lx->refs = 0;
    lx->unit_end = 0;
}
