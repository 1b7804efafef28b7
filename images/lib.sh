# SPDX-License-Identifier: GPL-2.0-only
# Case files: reading and checking them, and the small helpers the corpus scripts share (POSIX sh).
#
# A case file is `key: value` lines (images/README.md); images/expand.awk merges
# base: chains. Sourced by images/mkcorpus, images/mkimage, images/checkimage and
# suites/corpus/*.test; defines functions only.

# Every key a case file may hold. "expect-initrd", "var", "env", "part", "part-tree", "fs",
# "payload", "file", "uki", "link" and "corrupt" repeat; the others appear once.
CASE_KEYS="base why layout tree var disk format table part part-tree lvm fs boot grubenv env payload file
uki link select corrupt guest-append expect-config expect-format expect-semantics expect-oracle expect-title
expect-entry expect-kernel expect-initrd expect-args expect-error"
CASE_REPEAT="var env part part-tree lvm fs payload file uki link corrupt expect-initrd"
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
# case_all FILE KEY: every value of KEY, in order, one a line.
# Both are shell builtins only: mkimage reads its case some fifty times, and a
# process per read cost more than the filesystems themselves.
case_get() {
    while IFS= read -r _l || [ -n "$_l" ]; do
        case $_l in
        "$2: "*) printf '%s\n' "${_l#"$2: "}"; return 0 ;;
        "$2:") return 0 ;;
        esac
    done < "$1"
}
case_all() {
    while IFS= read -r _l || [ -n "$_l" ]; do
        case $_l in "$2: "*) printf '%s\n' "${_l#"$2: "}" ;; esac
    done < "$1"
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

# fat_volid UUID: the FAT volume ID (8 hex digits, upper case) a case's UUID stands for.
fat_volid() {
    printf '%s\n' "$1" | tr -d - | cut -c1-8 | tr a-f A-F
}

# uuid_of STRING: a fixed UUID made from SHA-256(STRING), version 4 layout.
uuid_of() {
    printf '%s' "$1" | sha256sum | sed 's/^\(........\)\(....\).\(...\).\(...\)\(............\).*/\1-\2-4\3-8\4-\5/'
}

# kv WORDS KEY: the value of KEY=value among the space-separated WORDS (no
# process: mkimage calls it for every partition field).
kv() {
    for _w in $1; do
        case $_w in "$2"=*) echo "${_w#*=}"; return 0 ;; esac
    done
}

# grub_partname TABLE N: GRUB's name for partition N ("msdos5", "gpt2", "" for none).
grub_partname() {
    case $1 in
    msdos) echo "msdos$2" ;;
    gpt) echo "gpt$2" ;;
    *) echo "" ;;
    esac
}

# ramdisk_cat READER TMP PATH...: the ramdisk a bootloader builds from the initrds
# PATH... read by `READER PATH` (TMP is scratch): each file but the last is followed
# by zeros up to a 4-byte boundary, as GRUB 2 (grub-core/loader/linux.c
# grub_initrd_load) and syslinux (com32/lib/syslinux/load_linux.c map_initramfs)
# lay them out in memory. GRUB legacy and LILO load a single initrd.
ramdisk_cat() {
    _rd=$1 _tmp=$2
    shift 2
    while [ $# -gt 0 ]; do
        "$_rd" "$1" > "$_tmp" || return 1
        cat "$_tmp"
        shift
        [ $# -eq 0 ] || head -c $(((4 - $(wc -c < "$_tmp") % 4) % 4)) /dev/zero
    done
    rm -f "$_tmp"
}
