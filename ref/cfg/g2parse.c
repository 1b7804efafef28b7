/* SPDX-License-Identifier: GPL-2.0-only */
/* GRUB 2 script parser: grub-core/script/parser.y as recursive descent, one unit at a time. */
#include <stdio.h>
#include <string.h>

#include "cfg/g2.h"

/*
 * The grammar (parser.y, GRUB 2.06):
 *   unit      := "\n"* (statement delimiter "\n"*)*
 *   statement := command | "function" NAME delims0 "{" commands1 delims1 "}"
 *   command   := word argument* block? | if | for | while | until
 *   block     := "{" commands1 delims0 "}"
 *   commands1 := "\n"* command (delims1 command)*
 *   if        := "if" commands1 delims1 "then" commands1 delims1
 *                ("else" commands1 delims1 | "elif" <if without "if">)? "fi"
 *   for       := "for" NAME "in" argument* delims1 "do" commands1 delims1 "done"
 *   while     := "while"|"until" commands1 delims1 "do" commands1 delims1 "done"
 * Reserved words are arguments anywhere but in command position. Bison
 * shifts on conflicts, which recursive descent does by being greedy.
 */

#define SYNTAX(p, ...) syntax(p, __VA_ARGS__)

static int syntax(struct g2_parser *p, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static int syntax(struct g2_parser *p, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(p->err, sizeof(p->err), fmt, ap);
    va_end(ap);
    p->err_line = p->lx.tok_line;
    return PVB_ESYNTAX;
}

static const char *tok_name(const struct g2_lex *lx)
{
    switch (lx->tok) {
    case T_EOF: return "end of input";
    case T_NEWLINE: return "newline";
    case T_SEMI: return "';'";
    case T_LBR: return "'{'";
    case T_RBR: return "'}'";
    case T_BAD: return lx->bad ? lx->bad : "bad token";
    default: return "word";
    }
}

static int next(struct g2_parser *p)
{
    return pvb_g2_lex_next(&p->lx);
}

static int is_reserved(enum g2_tok t)
{
    return t >= T_CASE;
}

static int is_arg(enum g2_tok t)
{
    return t == T_WORD || t == T_NAME || is_reserved(t);
}

static int starts_command(enum g2_tok t)
{
    return t == T_WORD || t == T_NAME || t == T_IF || t == T_FOR || t == T_WHILE ||
           t == T_UNTIL;
}

static void *node(struct g2_parser *p, size_t n)
{
    void *v = pvb_arena_alloc(p->lx.ar, n);

    if (v)
        memset(v, 0, n);
    return v;
}

static struct g2_word *word_here(struct g2_parser *p)
{
    struct g2_word *w = node(p, sizeof(*w));

    if (w)
        w->parts = p->lx.parts;
    return w;
}

static int commands1(struct g2_parser *p, struct g2_cmd **out, int *delims);

static int enter(struct g2_parser *p)
{
    if (++p->depth > p->max_depth)
        return pvb_fail(p->lx.c, PVB_ELIMIT,
                        "config: line %u: constructs nested deeper than the depth limit of %u",
                        p->lx.line, p->max_depth);
    return 0;
}

/* "{" commands1 delims0 "}" as the last argument; the current token is "{". */
static int block(struct g2_parser *p, struct g2_word **out)
{
    struct g2_part *part;
    struct g2_cmd *body;
    size_t from = p->lx.pos;  /* just after the "{" */
    int rc, delims;

    p->lx.refs++;
    if ((rc = enter(p)) != 0 || (rc = next(p)) != 0 || (rc = commands1(p, &body, &delims)) != 0)
        return rc;
    if (p->lx.tok != T_RBR)
        return SYNTAX(p, "expected '}' to close the block, found %s", tok_name(&p->lx));
    p->depth--;
    p->lx.refs--;
    part = node(p, sizeof(*part));
    *out = node(p, sizeof(**out));
    if (!part || !*out)
        return p->lx.c->err;
    /* parser.y keeps the text between the braces (grub_script_lexer_record_*): execute.c
     * passes the block to the command as the word "{" + text + "}". */
    part->type = G2_BLOCK;
    part->s = p->lx.buf + from;
    part->len = p->lx.pos - 1 - from;   /* the "}" token is one byte, just before pos */
    part->block = body;
    (*out)->parts = part;
    return next(p);
}

/* argument*: words and reserved words, appended at *tail; returns the new tail. */
static int arguments(struct g2_parser *p, struct g2_word ***tail)
{
    int rc;

    while (is_arg(p->lx.tok)) {
        if (!(**tail = word_here(p)))
            return p->lx.c->err;
        *tail = &(**tail)->next;
        if ((rc = next(p)) != 0)
            return rc;
    }
    return 0;
}

/* word argument* block? */
static int simple(struct g2_parser *p, struct g2_cmd **out)
{
    struct g2_cmd *c = node(p, sizeof(*c));
    struct g2_word **tail;
    int rc;

    if (!c)
        return p->lx.c->err;
    c->type = G2_SIMPLE;
    c->line = p->lx.tok_line;
    tail = &c->words;
    if ((rc = arguments(p, &tail)) != 0)
        return rc;
    if (p->lx.tok == T_LBR && (rc = block(p, tail)) != 0)
        return rc;
    *out = c;
    return 0;
}

/* Consume delimiters: ";" or "\n" then "\n"*. Returns whether any was there. */
static int delims(struct g2_parser *p, int *seen)
{
    int rc;

    *seen = 0;
    if (p->lx.tok != T_SEMI && p->lx.tok != T_NEWLINE)
        return 0;
    *seen = 1;
    do {
        if ((rc = next(p)) != 0)
            return rc;
    } while (p->lx.tok == T_NEWLINE);
    return 0;
}

static int newlines(struct g2_parser *p)
{
    int rc;

    while (p->lx.tok == T_NEWLINE)
        if ((rc = next(p)) != 0)
            return rc;
    return 0;
}

static int command(struct g2_parser *p, struct g2_cmd **out);

/* The condition and branches after "if" or "elif". */
static int ifclause(struct g2_parser *p, struct g2_cmd **out)
{
    struct g2_cmd *c = node(p, sizeof(*c));
    int rc, d;

    if (!c)
        return p->lx.c->err;
    c->type = G2_IF;
    c->line = p->lx.tok_line;
    if ((rc = commands1(p, &c->cond, &d)) != 0)
        return rc;
    if (!d || p->lx.tok != T_THEN)
        return SYNTAX(p, "expected 'then', found %s", tok_name(&p->lx));
    if ((rc = next(p)) != 0 || (rc = commands1(p, &c->body, &d)) != 0)
        return rc;
    if (!d)
        return SYNTAX(p, "expected a delimiter before %s", tok_name(&p->lx));
    if (p->lx.tok == T_ELSE) {
        if ((rc = next(p)) != 0 || (rc = commands1(p, &c->els, &d)) != 0)
            return rc;
        if (!d)
            return SYNTAX(p, "expected a delimiter before %s", tok_name(&p->lx));
    } else if (p->lx.tok == T_ELIF) {
        if ((rc = enter(p)) != 0 || (rc = next(p)) != 0 || (rc = ifclause(p, &c->els)) != 0)
            return rc;
        p->depth--;
        *out = c;
        return 0;   /* the inner clause consumed "fi" */
    }
    if (p->lx.tok != T_FI)
        return SYNTAX(p, "expected 'fi', found %s", tok_name(&p->lx));
    *out = c;
    return next(p);
}

/* "do" commands1 delims1 "done" */
static int do_done(struct g2_parser *p, struct g2_cmd **body)
{
    int rc, d;

    if (p->lx.tok != T_DO)
        return SYNTAX(p, "expected 'do', found %s", tok_name(&p->lx));
    if ((rc = next(p)) != 0 || (rc = commands1(p, body, &d)) != 0)
        return rc;
    if (!d || p->lx.tok != T_DONE)
        return SYNTAX(p, "expected 'done', found %s", tok_name(&p->lx));
    return next(p);
}

static int forcmd(struct g2_parser *p, struct g2_cmd **out)
{
    struct g2_cmd *c = node(p, sizeof(*c));
    struct g2_word **tail;
    int rc, d;

    if (!c)
        return p->lx.c->err;
    c->type = G2_FOR;
    c->line = p->lx.tok_line;
    if ((rc = next(p)) != 0)
        return rc;
    if (p->lx.tok != T_NAME)
        return SYNTAX(p, "'for' needs a variable name, found %s", tok_name(&p->lx));
    c->var = p->lx.name;
    p->lx.refs++;
    if ((rc = next(p)) != 0)
        return rc;
    if (p->lx.tok != T_IN)
        return SYNTAX(p, "expected 'in', found %s", tok_name(&p->lx));
    if ((rc = next(p)) != 0)
        return rc;
    tail = &c->words;
    if ((rc = arguments(p, &tail)) != 0 || (rc = delims(p, &d)) != 0)
        return rc;
    if (!d)
        return SYNTAX(p, "expected a delimiter before %s", tok_name(&p->lx));
    if ((rc = do_done(p, &c->body)) != 0)
        return rc;
    p->lx.refs--;
    *out = c;
    return 0;
}

static int command(struct g2_parser *p, struct g2_cmd **out)
{
    struct g2_cmd *c;
    int rc, d;

    if ((rc = enter(p)) != 0)
        return rc;
    switch (p->lx.tok) {
    case T_WORD:
    case T_NAME:
        rc = simple(p, out);
        break;
    case T_IF:
        p->lx.refs++;
        if ((rc = next(p)) == 0 && (rc = ifclause(p, out)) == 0)
            p->lx.refs--;
        break;
    case T_FOR:
        rc = forcmd(p, out);
        break;
    case T_WHILE:
    case T_UNTIL:
        c = node(p, sizeof(*c));
        if (!c)
            return p->lx.c->err;
        c->type = p->lx.tok == T_WHILE ? G2_WHILE : G2_UNTIL;
        c->line = p->lx.tok_line;
        p->lx.refs++;
        if ((rc = next(p)) != 0 || (rc = commands1(p, &c->cond, &d)) != 0)
            return rc;
        if (!d)
            return SYNTAX(p, "expected a delimiter before %s", tok_name(&p->lx));
        if ((rc = do_done(p, &c->body)) != 0)
            return rc;
        p->lx.refs--;
        *out = c;
        break;
    default:
        return SYNTAX(p, "expected a command, found %s", tok_name(&p->lx));
    }
    p->depth--;
    return rc;
}

/* "\n"* command (delims1 command)*; *seen tells whether delimiters followed the last one. */
static int commands1(struct g2_parser *p, struct g2_cmd **out, int *seen)
{
    struct g2_cmd **tail = out;
    int rc;

    *out = NULL;
    if ((rc = newlines(p)) != 0)
        return rc;
    for (;;) {
        if ((rc = command(p, tail)) != 0)
            return rc;
        tail = &(*tail)->next;
        if ((rc = delims(p, seen)) != 0)
            return rc;
        if (!*seen || !starts_command(p->lx.tok))
            return 0;
    }
}

static int function(struct g2_parser *p)
{
    const char *name;
    struct g2_cmd *body;
    unsigned line = p->lx.tok_line;
    int rc, d;

    if ((rc = next(p)) != 0)
        return rc;
    if (p->lx.tok != T_NAME)
        return SYNTAX(p, "'function' needs a name, found %s", tok_name(&p->lx));
    name = p->lx.name;
    p->lx.refs++;
    if ((rc = next(p)) != 0 || (rc = delims(p, &d)) != 0)
        return rc;
    if (p->lx.tok != T_LBR)
        return SYNTAX(p, "expected '{' after function %s, found %s", name, tok_name(&p->lx));
    if ((rc = enter(p)) != 0 || (rc = next(p)) != 0 || (rc = commands1(p, &body, &d)) != 0)
        return rc;
    p->depth--;
    if (!d || p->lx.tok != T_RBR)
        return SYNTAX(p, "function %s: expected ';' or newline and '}', found %s", name,
                      tok_name(&p->lx));
    p->lx.refs--;
    /* parser.y defines the function as soon as it is parsed. */
    if (p->on_function && (rc = p->on_function(p->arg, name, body, line)) != 0)
        return rc;
    return next(p);
}

int pvb_g2_parse_unit(struct g2_parser *p, struct g2_cmd **out)
{
    struct g2_cmd **tail = out;
    int rc, d;

    *out = NULL;
    p->depth = 0;
    p->lx.refs = 0;
    p->lx.unit_end = 0;
    if (p->lx.pos >= p->lx.len)
        return 0;
    if ((rc = next(p)) != 0 || (rc = newlines(p)) != 0)
        goto fail;
    while (p->lx.tok != T_EOF) {
        if (p->lx.tok == T_FUNCTION) {
            rc = function(p);
        } else {
            rc = command(p, tail);
            if (!rc)
                tail = &(*tail)->next;
        }
        if (rc)
            goto fail;
        if ((rc = delims(p, &d)) != 0)
            goto fail;
        if (!d) {
            rc = SYNTAX(p, "expected ';' or newline, found %s", tok_name(&p->lx));
            goto fail;
        }
    }
    return 1;
fail:
    if (rc == PVB_ESYNTAX && p->lx.fatal)
        return rc;   /* GRUB stops reading altogether */
    if (rc == PVB_ESYNTAX)
        pvb_g2_lex_skip_line(&p->lx);
    *out = NULL;
    return rc;
}

int pvb_cfg_grub2_check(struct pvb_ctx *c, const char *buf, size_t len, unsigned *line,
                        char *msg, size_t msgcap)
{
    struct g2_parser p;
    struct arena ar;
    struct g2_cmd *cmds;
    int rc, found = 0;

    memset(&p, 0, sizeof(p));
    pvb_arena_init(&ar, c);
    /* The verdict is about grammar, not limits: bison's stack (YYMAXDEPTH 10000)
     * holds a few states per level. */
    p.max_depth = 2000;
    rc = pvb_g2_lex_init(&p.lx, c, &ar, buf, len, (size_t)-2, (size_t)1 << 30);
    /* grub-script-check stops at the first unit that does not parse. */
    while (!rc && !p.lx.fatal && (rc = pvb_g2_parse_unit(&p, &cmds)) == 1) {
        rc = 0;
        if (cmds)
            found = 1;
    }
    if (rc == PVB_ESYNTAX) {
        *line = p.err_line;
        snprintf(msg, msgcap, "%s", p.err);
    }
    pvb_g2_lex_free(&p.lx);
    pvb_arena_free(&ar);
    if (rc)
        return rc;
    return found ? 0 : 1;
}
