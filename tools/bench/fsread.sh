#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Extract a 60 MiB file from FAT32, ISO 9660 (Rock Ridge) and ReiserFS 3.6 images with
# pvboot --cat, next to reading the same 60 MiB file with cat; both from the page cache,
# best of 5 each, the two alternated so that load on the machine weighs on both alike.
# Images are made rootless: mkfs.fat + mtools, xorriso -as mkisofs, mkreiserfs + the
# tree's pvreiseredit (as suites/reiserfs/oracle.test fills one). The extraction is
# compared byte for byte with the source before it is timed.
# usage: sh tools/bench/fsread.sh BUILD [WORKDIR]   (e.g. build; make builds pvboot, make checkprogs the rest)
set -eu
B=${1:?usage: fsread.sh BUILD [WORKDIR]}
t=${2:-${TMPDIR:-/tmp}/fsread}
PATH=$PATH:/usr/sbin:/sbin
export LC_ALL=C
for c in mkfs.fat mmd mcopy xorriso mkreiserfs awk cmp date; do
    command -v "$c" >/dev/null 2>&1 || { echo "fsread: no $c" >&2; exit 77; }
done
for p in pvboot pvreiseredit pvpayload; do
    [ -x "$B/$p" ] || { echo "fsread: no $B/$p" >&2; exit 1; }
done
F=boot/initrd.img
rm -rf "$t"
mkdir -p "$t/tree/boot"
"$B/pvpayload" 60M initrd "$t/tree/$F"

# FAT32, 4 KiB clusters, more than 65525 of them (mtools reads fewer as FAT16).
mkfs.fat -C -F 32 -s 8 -i 5eed1234 "$t/fat32.img" 327680 >/dev/null
mmd -i "$t/fat32.img" ::/boot
mcopy -i "$t/fat32.img" "$t/tree/$F" ::/boot/
# ISO 9660 with Rock Ridge names.
xorriso -as mkisofs -quiet -R -o "$t/iso9660.img" "$t/tree" 2>/dev/null
# ReiserFS 3.6 (r5 hash, 4 KiB blocks, standard journal), filled without root.
truncate -s 256M "$t/reiserfs.img"
mkreiserfs -q -f "$t/reiserfs.img" >/dev/null 2>&1
"$B/pvreiseredit" "$t/reiserfs.img" "$t/tree" >/dev/null

ms() {  # command...: its wall time in ms (to 0.1), output to /dev/null
    s=$(date +%s%N)
    "$@" > /dev/null
    e=$(date +%s%N)
    echo $(( (e - s) / 100000 ))
}
min() { [ "$1" -lt "$2" ] && echo "$1" || echo "$2"; }
show() { awk -v t="$1" 'BEGIN { printf "%.1f", t / 10 }'; }

printf '%-9s %10s %14s %14s %7s %12s\n' fs image 'pvboot --cat' 'cat (60 MiB)' ratio 'pvboot MiB/s'
for fs in fat32 iso9660 reiserfs; do
    img=$t/$fs.img
    "$B/pvboot" --cat=/$F "$img" | cmp - "$t/tree/$F"
    cat "$img" "$t/tree/$F" > /dev/null
    p=99999999 c=99999999
    for i in 1 2 3 4 5; do
        c=$(min "$(ms cat "$t/tree/$F")" $c)
        p=$(min "$(ms "$B/pvboot" --cat=/$F "$img")" $p)
    done
    printf '%-9s %9sM %11s ms %11s ms %7s %12s\n' "$fs" "$(( $(stat -c %s "$img") >> 20 ))" \
        "$(show $p)" "$(show $c)" "$(awk -v p=$p -v c=$c 'BEGIN { printf "%.2f", p / c }')" \
        "$(awk -v p=$p 'BEGIN { printf "%.0f", 60 * 10000 / p }')"
done
