# SPDX-License-Identifier: GPL-2.0-only
# expand.awk: flatten the hand-written cases (base: chains) and expand the variant matrix, in one process.
#
# usage: awk -v out=CASES -v tables="T..." -v formats="F..." -f images/expand.awk \
#            images/cases/G/N.case... images/variants/table/T.case... images/variants/fs/F.case...
# The hand-written cases come first, in C order of GROUP/NAME. Writes CASES/NAME.case
# only when its text changes (so make rebuilds only changed cases) and prints every
# case name, one a line. Errors go to stderr with exit status 1.
#
# Merging (images/README.md): every key a case gives replaces all of its base's lines
# of that key, except var: and env:, which are keyed by their NAME; comments and blank
# lines are dropped; a base chain is at most 8 deep.
#
# The matrix: base case i (the non-hostile cases without file: or lvm: lines or ISO 9660, in order) and
# filesystem j (the fragments in images/variants/fs, in order) get table (i+j) mod 5 and format
# (i+2j) mod 5. So every base meets every filesystem, table and format; (i+j, i+2j)
# runs over all of Z5 x Z5, so every (table, format) pair occurs; and each
# filesystem meets every table and format once five bases have passed.
# FAT stores no symlinks: a FAT variant skips the bases whose tree has one (a LINKS file
# in its layout, or a link: line), and a case whose own filesystem is FAT is not
# multiplied (FAT looks names up without case, the others do not).

function fail(msg) {
    print "mkcorpus: " msg > "/dev/stderr"
    failed = 1
    exit 1
}

# key(s): the merge key of a case line ("var:NAME=" for var/env).
function key(s,   k) {
    k = substr(s, 1, index(s, ":") - 1)
    if (k == "var" || k == "env") {
        s = substr(s, length(k) + 3)
        k = k ":" substr(s, 1, index(s, "="))
    }
    return k
}

# merge(base, over): base's lines whose key over does not set, then over's lines
# (over's own base: line dropped, base's kept so a chain climbs on). Texts are
# lines joined by "\n".
function merge(base, over,   nb, no, b, o, set, i, r) {
    nb = split(base, b, "\n")
    no = split(over, o, "\n")
    for (i = 1; i <= no; i++)
        if (key(o[i]) != "base") set[key(o[i])] = 1
    r = ""
    for (i = 1; i <= nb; i++)
        if (!(key(b[i]) in set)) r = r b[i] "\n"
    for (i = 1; i <= no; i++)
        if (key(o[i]) != "base") r = r o[i] "\n"
    return substr(r, 1, length(r) - 1)
}

# baseof(text): the value of text's base: line, or "".
function baseof(t,   n, l, i) {
    n = split(t, l, "\n")
    for (i = 1; i <= n; i++)
        if (index(l[i], "base: ") == 1) return substr(l[i], 7)
    return ""
}

function flatten(name,   t, b, depth) {
    t = text[name]
    for (depth = 0; (b = baseof(t)) != ""; depth++) {
        if (depth == 8) fail(name ": base chain deeper than 8")
        if (!(b in text)) fail(name ": base " b ": no images/cases/" b ".case")
        t = merge(text[b], t)
    }
    return t
}

# emit(name, text): write CASES/name.case unless it already holds text; list name.
function emit(name, t,   path, old, l, n) {
    path = out "/" name ".case"
    old = ""
    n = 0
    while ((getline l < path) > 0) { old = old (n++ ? "\n" : "") l }
    close(path)
    if (n == 0 || old != t) {
        printf "%s\n", t > path
        close(path)
    }
    print name
}

function isfat(t) {
    return t ~ /(^|\n)fs: [^ \n]+ fat(12|16|32)( |\n|$)/
}

# haslinks(text): the case's tree holds a symlink: a link: line, or a LINKS file with a
# line that is not a comment in its layout's template.
function haslinks(t,   n, l, i, lay, path, line, r) {
    if (t ~ /(^|\n)link: /) return 1
    n = split(t, l, "\n")
    for (i = 1; i <= n; i++)
        if (index(l[i], "layout: ") == 1) lay = substr(l[i], 9)
    if (lay == "") return 0
    path = "images/trees/" lay "/LINKS"
    r = 0
    while ((getline line < path) > 0)
        if (line !~ /^[ \t]*(#|$)/) r = 1
    close(path)
    return r
}

# Read every file: its meaningful lines, by case name or fragment name.
FNR == 1 {
    f = FILENAME
    if (f ~ /^images\/variants\/table\//) { kind = "table"; nm = substr(f, 23) }
    else if (f ~ /^images\/variants\/fs\//) { kind = "fs"; nm = substr(f, 20) }
    else { kind = "case"; nm = substr(f, 14) }
    sub(/\.case$/, "", nm)
    if (kind == "case") order[++ncase] = nm
    else if (kind == "fs") fsorder[++nfs] = nm
    else tabtext[nm] = ""
}
/^[ \t]*(#|$)/ { next }
{
    # (Not `x[k] = (k in x) ? ...`: mawk creates x[k] before it tests k in x.)
    line = seen[kind, nm]++ ? "\n" $0 : $0
    if (kind == "case") text[nm] = text[nm] line
    else if (kind == "fs") fstext[nm] = fstext[nm] line
    else tabtext[nm] = tabtext[nm] line
}

END {
    if (failed) exit 1
    nt = split(tables, tab, " ")
    nf = split(formats, fmt, " ")
    if (nt != 5 || nf != 5) fail("the matrix needs 5 tables and 5 formats")
    for (t = 1; t <= nt; t++)
        if (!(tab[t] in tabtext)) fail("no images/variants/table/" tab[t] ".case")
    i = 0
    for (c = 1; c <= ncase; c++) {
        name = order[c]
        flat = flatten(name)
        emit(name, flat)
        # Hostile cases, cases with real files (file:, megabytes each), FAT cases, ISO 9660
        # cases (the volume is the whole disk, as xorriso writes it) and cases whose /boot is
        # an LVM2 logical volume (lvm:, their own table and PVs) and btrfs cases (fs: ... btrfs:
        # hand-written layouts, images/cases/btrfs) are not multiplied.
        if (name ~ /^hostile\// || flat ~ /(^|\n)file: / || isfat(flat) || flat ~ /(^|\n)fs: [^\n]* iso9660( |\n|$)/ ||
            flat ~ /(^|\n)lvm: / || flat ~ /(^|\n)fs: [^\n]* btrfs( |\n|$)/) continue
        links = haslinks(flat)
        for (j = 0; j < nfs; j++) {
            if (links && isfat(fstext[fsorder[j + 1]])) continue
            tb = tab[(i + j) % 5 + 1]
            fm = fmt[(i + 2 * j) % 5 + 1]
            over = tabtext[tb] "\n" fstext[fsorder[j + 1]] "\nformat: " fm
            emit(name "--" tb "--" fsorder[j + 1] "--" fm, merge(flat, over))
        }
        i++
    }
}
