/* SPDX-License-Identifier: GPL-2.0-only */
/* GRUB 2 script internals: the parse tree, lexer, parser and evaluator interfaces. */
#ifndef PVB_CFG_G2_H
#define PVB_CFG_G2_H

#include "cfg/cfgint.h"

/* Parts of a word, as grub-core/script/yylex.l splits them (GRUB_SCRIPT_ARG_TYPE_*). */
enum g2_part_type {
    G2_TEXT,    /* unquoted text, escapes removed; dropped when empty */
    G2_SQ,      /* '...': literal, makes an argument even when empty */
    G2_DQ,      /* "..." text between expansions: makes an argument even when empty */
    G2_VAR,     /* $x unquoted: split on blanks, vanishes when empty */
    G2_DQVAR,   /* "$x": one argument piece */
    G2_BLOCK    /* { commands }: the last argument of a command (menuentry body) */
};

struct g2_cmd;

struct g2_part {
    enum g2_part_type type;
    const char *s;            /* text or variable name, NUL-terminated (arena); G2_BLOCK: its
                               * source text between the braces, len bytes, not terminated */
    size_t len;               /* G2_BLOCK */
    struct g2_cmd *block;     /* G2_BLOCK */
    struct g2_part *next;
};

struct g2_word {
    struct g2_part *parts;
    struct g2_word *next;
};

enum g2_cmd_type { G2_SIMPLE, G2_IF, G2_FOR, G2_WHILE, G2_UNTIL };

struct g2_cmd {
    enum g2_cmd_type type;
    unsigned line;
    struct g2_cmd *next;      /* the following command of the same list */
    struct g2_word *words;    /* SIMPLE: the words; FOR: the list */
    struct g2_cmd *cond;      /* IF/WHILE/UNTIL: condition commands */
    struct g2_cmd *body;      /* IF: then; FOR/WHILE/UNTIL: body */
    struct g2_cmd *els;       /* IF: else (an elif is an IF here) */
    const char *var;          /* FOR */
};

enum g2_tok {
    T_EOF = 0, T_NEWLINE, T_SEMI, T_LBR, T_RBR, T_BAD, /* T_BAD: | & < > || && ;; [[ ]] or a stray $ */
    T_WORD, T_NAME,
    /* reserved words (yylex.l); valid as arguments, never as a command name */
    T_CASE, T_DO, T_DONE, T_ELIF, T_ELSE, T_ESAC, T_FI, T_FOR, T_IF, T_IN, T_SELECT, T_THEN,
    T_UNTIL, T_WHILE, T_FUNCTION
};

struct g2_lex {
    struct pvb_ctx *c;
    struct arena *ar;
    const char *buf;          /* CRs removed, NUL-terminated, ends in '\n' */
    size_t len, pos;
    unsigned line;            /* line of buf[pos], 1-based */
    int refs;                 /* open constructs: a newline at 0 ends the unit */
    int unit_end;             /* a top-level newline was returned */
    size_t max_var;
    struct pvb_sb text;         /* reused by every word, so a word costs no allocation */
    /* the current token */
    enum g2_tok tok;
    unsigned tok_line;        /* line where the token ends */
    struct g2_part *parts;    /* T_WORD/T_NAME (and reserved words used as arguments) */
    const char *name;         /* T_NAME text */
    const char *bad;          /* why a token is bad */
    int fatal;                /* GRUB itself aborts on this input (YYLMAX) */
};

/* Prepare buf (len bytes) for lexing: CRs dropped, a final newline added,
 * lines longer than max_line refused (PVB_ELIMIT). The copy lives in ar. */
int pvb_g2_lex_init(struct g2_lex *lx, struct pvb_ctx *c, struct arena *ar, const char *buf,
                size_t len, size_t max_line, size_t max_var);
/* Release what the lexer holds outside the arena. */
void pvb_g2_lex_free(struct g2_lex *lx);
/* The next token into lx->tok; <0 only on PVB_ENOMEM/PVB_ELIMIT. */
int pvb_g2_lex_next(struct g2_lex *lx);
/* Drop the rest of the current line, as GRUB does after a syntax error. */
void pvb_g2_lex_skip_line(struct g2_lex *lx);

typedef int (*g2_func_fn)(void *arg, const char *name, struct g2_cmd *body, unsigned line);

struct g2_parser {
    struct g2_lex lx;
    unsigned depth, max_depth;
    g2_func_fn on_function;   /* GRUB defines functions while parsing */
    void *arg;
    unsigned err_line;        /* a syntax error: where */
    char err[160];
};

/*
 * Parse the next unit (a line, extended while a construct is open), as
 * grub_script_parse does for read_config_file. Returns 1 with *out (NULL for
 * an empty unit), 0 at the end of the buffer, PVB_ESYNTAX with err/err_line
 * set (the rest of that line is dropped; parsing may go on), or another
 * negative code.
 */
int pvb_g2_parse_unit(struct g2_parser *p, struct g2_cmd **out);



/* ---- evaluator (g2eval.c, g2cmd.c, g2run.c, g2menu.c) --------------------- */

/* What a command leaves in $?: GRUB's grub_err_t values (include/grub/err.h). */
enum g2_status {
    G2_ST_OK = 0,
    G2_ST_FALSE = 1,            /* GRUB_ERR_TEST_FAILURE */
    G2_ST_FILE_NOT_FOUND = 5,
    G2_ST_UNKNOWN_COMMAND = 16,
    G2_ST_INVALID_COMMAND = 17,
    G2_ST_BAD_ARGUMENT = 18,
    G2_ST_MENU = 27
};

struct g2_var {
    char *name;
    char *val;
    int exported;
};

/* One variable context (grub_env_context): a menu of its own. */
struct g2_item;
struct g2_ctx {
    struct g2_var *vars;      /* open-addressed by name hash; name NULL = free */
    unsigned nvars, cap;      /* cap: a power of two */
    struct g2_item *items;    /* the menu built in this context */
    unsigned nitems, icap;
};

struct g2_item {
    char *title, *id, *classes, *users, *hotkey;
    char **args;              /* $1.. for the body: title and extra positional arguments */
    unsigned argc;
    int submenu;
    int from_bls;             /* made by blscfg */
    struct g2_cmd *body;
    const char *file;
    unsigned line;
    struct g2_ctx *sub;       /* a submenu's context once its body ran */
};

struct g2_func {
    const char *name;
    struct g2_cmd *body;
};

/* Positional parameters of a function call or entry body. */
struct g2_scope {
    char **argv;
    unsigned argc;
};

/* What an entry body loaded. */
struct g2_load {
    char *kdev, *kpath, *args;
    char *root;               /* the body's last `set root=` */
    struct pvb_cfg_file *initrd;
    unsigned ninitrd;
    char *unbootable;
    int booted;               /* `boot` ran: the rest of the body does not */
};

struct g2_file {              /* a parsed file; kept while bodies may still run */
    char *name;
    struct g2_file *next;
};

/* A btrfs-mount-subvol mount (SUSE's GRUB keeps one table for every device). */
struct g2_mount {
    struct g2_mount *next;
    char *dir;                /* the mount point, as given: "/boot/grub2/i386-pc" */
    char *subvol;             /* the subvolume's path from the top level, without a leading '/' */
};

#define G2_MAX_MOUNTS 256u    /* btrfs-mount-subvol mounts one evaluation keeps */

struct g2 {
    struct pvb_ctx *c;
    const struct pvb_cfg_env *env;
    const struct pvb_cfg_opts *o;
    struct pvb_cfg_lim lim;
    struct pvb_mb *mb;
    struct arena ar;          /* every parse tree */
    struct g2_file *files;
    struct g2_func *funcs;    /* open-addressed by name hash; name NULL = free */
    unsigned nfuncs, fcap;    /* fcap: 0 or a power of two */
    struct g2_ctx *cur;       /* variables and menu being built */
    struct g2_scope *scope;   /* NULL at top level */
    struct g2_load *load;     /* non-NULL while an entry body runs */
    const char *file;         /* for messages */
    unsigned line;
    const char *btext;        /* the running command's block: its source text (blen bytes) */
    size_t blen;
    const char *device;       /* the config's device name */
    unsigned calls, includes;
    int status;               /* $? */
    unsigned loops;           /* loops active in this function (break's cap) */
    unsigned breaks;          /* loops left to leave (break/continue) */
    int cont;                 /* the innermost of them continues */
    int returning;            /* return from a function */
    int configfile_done;      /* configfile showed a menu: the outer script stops */
    struct g2_ctx *final;     /* the context whose menu is shown */
    int used_blscfg;
    int used_btrfs;           /* btrfs_relative_path was turned on, a path changed by SUSE's
                               * btrfs rules, or a subvolume mounted */
    struct g2_mount *mounts;  /* in the arena, newest first */
    unsigned nmounts;
    int env_seen, env_v206;   /* a grubenv was loaded; with the 2.06 second header line */
    int syntax_errors;
    int fault;                /* a fatal code met inside `test`, which only returns a truth */
};

/* ---- g2var.c: state that calls nothing back --------------------------------
 * Variables (grub-core/kern/env.c), warnings, steps, file names. */
unsigned pvb_g2_hash(const char *s);   /* FNV-1a, for the variable and function tables */
struct g2_ctx *pvb_g2_ctx_new(struct g2 *g);
/* A new context holding the exported variables of parent (grub_env_context_open). */
struct g2_ctx *pvb_g2_ctx_open(struct g2 *g, const struct g2_ctx *parent);
struct g2_ctx *pvb_g2_ctx_clone(struct g2 *g, const struct g2_ctx *from);
void pvb_g2_ctx_free(struct g2 *g, struct g2_ctx *x);
const char *pvb_g2_get(struct g2 *g, struct g2_ctx *x, const char *name);
int pvb_g2_set(struct g2 *g, struct g2_ctx *x, const char *name, const char *val);
int pvb_g2_unset(struct g2 *g, struct g2_ctx *x, const char *name);
int pvb_g2_export(struct g2 *g, struct g2_ctx *x, const char *name);
void pvb_g2_item_free(struct g2 *g, struct g2_item *it);
/* One evaluation step, charged to the run's step budget. */
int pvb_g2_step(struct g2 *g);
void pvb_g2_warn(struct g2 *g, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* A copy of name that lives as long as the menu (for item->file). */
const char *pvb_g2_keep_name(struct g2 *g, const char *name);

/* ---- g2run.c: the runtime the builtins and blscfg share ------------------- */
/* "(dev)path" or "path" on $root -> device name ("" = the config's) and path; on failure
 * both are NULL. */
int pvb_g2_resolve(struct g2 *g, const char *spec, char **dev, char **path);
/* Whether SUSE's btrfs rules apply (every semantics but upstream). */
int pvb_g2_btrfs_rules(const struct g2 *g);
/* Read a file the script names ("(dev)/path" or a path on $root). */
int pvb_g2_read(struct g2 *g, const char *spec, size_t max, char **buf, size_t *len);
/* Parse a string (a --source body, a BLS entry) into commands in g's arena. */
struct g2_cmd *pvb_g2_parse_string(struct g2 *g, const char *src);
/* Append a menu item to the current context's menu. */
int pvb_g2_add_item(struct g2 *g, struct g2_item *it);

/* ---- g2arg.c: grub_arg_parse --------------------------------------------- */
/* One row of a command's option table (struct grub_arg_option). */
struct g2_opt {
    const char *name;         /* long name without "--"; NULL ends the table */
    char letter;              /* short option, 0 for none */
    unsigned char flags;      /* G2_OPT_* */
};
#define G2_OPT_VALUE 1        /* takes a value (ARG_TYPE_STRING, _PATHNAME, ...) */
#define G2_OPT_OPTIONAL 2     /* GRUB_ARG_OPTION_OPTIONAL: the value may be missing */
#define G2_OPT_REPEAT 4       /* GRUB_ARG_OPTION_REPEATABLE: every value is kept */
#define G2_OPT_MAX 32         /* rows in a table at most */

/* As struct grub_arg_list: per row of the table, given or not and the last value. */
struct g2_parsed {
    char **pos;               /* the words that are no options, in order */
    unsigned npos;
    unsigned char set[G2_OPT_MAX];
    const char *arg[G2_OPT_MAX];                      /* NULL: given without a value */
    struct { unsigned opt; const char *val; } *rep;   /* repeatable options' values, in order */
    unsigned nrep;
};

/* grub_arg_parse over argv[1..argc) with the table o; accept_dash: GRUB_COMMAND_ACCEPT_DASH
 * (a word like an unknown option is an argument). 0: parsed; 1: the command does not run
 * (GRUB's error, warned and in g->status; or --help/--usage, status 0); or a fatal code.
 * The caller frees out with pvb_g2_parsed_free whatever the result. */
int pvb_g2_arg_parse(struct g2 *g, const char *cmd, const struct g2_opt *o, int accept_dash,
                     char **argv, unsigned argc, struct g2_parsed *out);
void pvb_g2_parsed_free(struct g2 *g, struct g2_parsed *p);

/* ---- g2eval.c: the evaluator ---------------------------------------------- */
/* Execution. Returns 0 or a fatal PVB_E* code; command status goes to g->status. */
int pvb_g2_exec(struct g2 *g, struct g2_cmd *list);
/* Run a buffer as read_config_file does: unit by unit, a syntax error skips a line. */
int pvb_g2_run_buffer(struct g2 *g, const char *file, const char *buf, size_t len);
/* pvb_g2_run_buffer with $config_file and $config_directory set for the file (exported), and
 * back to their old values (or unset) afterwards, as read_config_file does. */
int pvb_g2_run_file(struct g2 *g, const char *spec, const char *buf, size_t len);
/* Run a command list as a function or entry body with positional arguments. */
int pvb_g2_call(struct g2 *g, struct g2_cmd *body, char **argv, unsigned argc);

/* ---- g2cmd.c: the builtins (they and the evaluator call each other) -------- */
/* *found = 0 when name is not a builtin. */
int pvb_g2_builtin(struct g2 *g, char **argv, unsigned argc, struct g2_cmd *block, int *found);
int pvb_g2_soft_noop(const char *name);

/* ---- g2bls.c: the blscfg builtin ------------------------------------------- */
int pvb_g2_blscfg(struct g2 *g);

#endif
