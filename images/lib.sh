# Case files: reading, checking, merging and the small helpers the corpus scripts share (POSIX sh).
#
# A case file is `key: value` lines (images/README.md). Sourced by images/mkcorpus,
# images/mkimage and suites/corpus/*.test; defines functions only.

# Every key a case file may hold. "expect-initrd", "var", "env", "part", "fs",
# "payload", "link" and "corrupt" repeat; the others appear once.
CASE_KEYS="base why layout tree var disk format table part fs boot grubenv env payload link
select corrupt expect-config expect-format expect-semantics expect-oracle expect-title
expect-entry expect-kernel expect-initrd expect-args expect-error"
CASE_REPEAT="var env part fs payload link corrupt expect-initrd"
# Classes of failure a hostile or unbootable case may expect (images/README.md).
ERROR_CLASSES="corrupt range loop limit syntax no-entry unbootable unsupported"
# The fixed clock of every generated image: 2020-01-01 00:00:00 UTC.
CORPUS_EPOCH=1577836800

die() {
    echo "${0##*/}: $*" >&2
    exit 1
}

# case_check FILE...: every line a comment, blank, or a known key followed by
# ": "; repeatable keys only once when not in CASE_REPEAT. Prints FILE:LINE: why.
case_check() {
    awk -v keys="$CASE_KEYS" -v rep="$CASE_REPEAT" '
        BEGIN { n = split(keys, k, /[ \n]+/); for (i = 1; i <= n; i++) known[k[i]] = 1
                n = split(rep, r, /[ \n]+/); for (i = 1; i <= n; i++) many[r[i]] = 1 }
        FNR == 1 { delete seen }
        /^[ \t]*(#|$)/ { next }
        {
            if (!match($0, /^[a-z-]+:( |$)/)) { print FILENAME ":" FNR ": not a \"key: value\" line"; bad = 1; next }
            key = substr($0, 1, index($0, ":") - 1)
            if (!(key in known)) { print FILENAME ":" FNR ": unknown key \"" key "\""; bad = 1; next }
            if ((key in seen) && !(key in many)) { print FILENAME ":" FNR ": \"" key "\" given twice"; bad = 1 }
            seen[key] = 1
        }
        END { exit bad }' "$@"
}

# case_get FILE KEY: the value of the first KEY line (empty when none).
case_get() {
    awk -v k="$2" 'index($0, k ": ") == 1 { print substr($0, length(k) + 3); exit }
        $0 == k ":" { exit }' "$1"
}

# case_all FILE KEY: every value of KEY, in order, one a line.
case_all() {
    awk -v k="$2" 'index($0, k ": ") == 1 { print substr($0, length(k) + 3) }' "$1"
}

# case_merge BASE OVER: the lines of BASE whose key OVER does not set, then OVER's
# lines. "var: NAME=..." and "env: NAME=..." are keyed by NAME, so one can be
# changed alone; any other key given in OVER replaces all of BASE's lines of it.
case_merge() {
    awk '
        function key(s,   k) {
            if (s ~ /^[ \t]*(#|$)/) return ""
            k = substr(s, 1, index(s, ":") - 1)
            if (k == "var" || k == "env") { s = substr(s, length(k) + 3); k = k ":" substr(s, 1, index(s, "=")) }
            return k
        }
        FNR == NR { base[++nb] = $0; next }
        { over[++no] = $0; if ((k = key($0)) != "" && k != "base") set[k] = 1 }
        END {
            for (i = 1; i <= nb; i++) if ((k = key(base[i])) != "" && !(k in set)) print base[i]
            for (i = 1; i <= no; i++) if ((k = key(over[i])) != "" && k != "base") print over[i]
        }' "$1" "$2"
}

# case_flatten FILE CASEDIR: FILE with its `base:` chain (names relative to
# CASEDIR, at most 8 deep) merged in, comments dropped.
case_flatten() {
    _f=$1 _dir=$2 _depth=0 _tmp=$(mktemp "${TMPDIR:-/tmp}/pvb-case.XXXXXX")
    grep -v '^[ \t]*\(#\|$\)' "$_f" > "$_tmp"
    while _b=$(case_get "$_tmp" base) && [ -n "$_b" ]; do
        _depth=$((_depth + 1))
        [ $_depth -le 8 ] || { rm -f "$_tmp"; die "$_f: base chain deeper than 8"; }
        [ -f "$_dir/$_b.case" ] || { rm -f "$_tmp"; die "$_f: base $_b: no $_dir/$_b.case"; }
        case_check "$_dir/$_b.case" >&2 || { rm -f "$_tmp"; exit 1; }
        grep -v '^[ \t]*\(#\|$\)' "$_dir/$_b.case" > "$_tmp.base"
        # The merge keeps the base's own `base:` line, so the loop climbs on.
        case_merge "$_tmp.base" "$_tmp" > "$_tmp.m"
        mv "$_tmp.m" "$_tmp"
        rm -f "$_tmp.base"
    done
    cat "$_tmp"
    rm -f "$_tmp"
}

# size_bytes 64M | 2048s | 1G | 4096: bytes (K, M, G powers of 1024; s = 512-byte sectors).
size_bytes() {
    case $1 in
    *[!0-9KMGs]* | "" ) die "bad size '$1'" ;;
    *K) echo $((${1%K} * 1024)) ;;
    *M) echo $((${1%M} * 1048576)) ;;
    *G) echo $((${1%G} * 1073741824)) ;;
    *s) echo $((${1%s} * 512)) ;;
    *) echo "$1" ;;
    esac
}

# uuid_of STRING: a fixed UUID made from SHA-256(STRING), version 4 layout.
uuid_of() {
    printf '%s' "$1" | sha256sum | sed 's/^\(........\)\(....\).\(...\).\(...\)\(............\).*/\1-\2-4\3-8\4-\5/'
}

# kv WORDS KEY: the value of KEY=value among the space-separated WORDS.
kv() {
    printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1
}

# grub_partname TABLE N: GRUB's name for partition N ("msdos5", "gpt2", "" for none).
grub_partname() {
    case $1 in
    msdos) echo "msdos$2" ;;
    gpt) echo "gpt$2" ;;
    *) echo "" ;;
    esac
}
