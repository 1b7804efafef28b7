#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Extract a 60 MiB file from FAT32, ISO 9660 (Rock Ridge), ReiserFS 3.6, btrfs (plain, and
# zstd-compressed) and ext4 on LVM2 logical volumes (linear, and striped over two PVs) with
# pvboot --cat, next to reading the same 60 MiB file with cat; both from the page cache,
# best of 5 each, the two alternated so that load on the machine weighs on both alike.
# Images are made rootless: mkfs.fat + mtools, xorriso -as mkisofs, mkreiserfs + the
# tree's pvreiseredit (as suites/reiserfs/oracle.test fills one), mkfs.btrfs --rootdir,
# mke2fs -d put into LVs by the tree's pvlvmbuild. Only the compressed btrfs needs root
# (a loop mount with compress-force=zstd: mkfs.btrfs 6.2 cannot compress); without root
# that row is left out. The extraction is compared byte for byte with the source before
# it is timed.
# usage: sh tools/bench/fsread.sh BUILD [WORKDIR]   (e.g. build; make builds pvboot, make checkprogs the rest)
set -eu
B=${1:?usage: fsread.sh BUILD [WORKDIR]}
t=${2:-${TMPDIR:-/tmp}/fsread}
PATH=$PATH:/usr/sbin:/sbin
export LC_ALL=C
for c in mkfs.fat mmd mcopy xorriso mkreiserfs mkfs.btrfs mke2fs sfdisk awk cmp date; do
    command -v "$c" >/dev/null 2>&1 || { echo "fsread: no $c" >&2; exit 77; }
done
for p in pvboot pvreiseredit pvpayload pvlvmbuild; do
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
# btrfs, single device, default DUP metadata, the file in regular extents.
truncate -s 256M "$t/btrfs.img"
mkfs.btrfs -q -f --rootdir "$t/tree" "$t/btrfs.img" >/dev/null
fss="fat32 iso9660 reiserfs btrfs"
# btrfs with every extent zstd-compressed: the kernel writes them (root only). The payload
# is random, which btrfs would store uncompressed even with compress-force, so this row
# reads 60 MiB of its base64 text instead (zstd makes it about 3/4 of its size).
if [ "$(id -u)" -eq 0 ] && command -v losetup >/dev/null 2>&1; then
    truncate -s 256M "$t/btrfs-zstd.img"
    mkfs.btrfs -q -f "$t/btrfs-zstd.img" >/dev/null
    mkdir "$t/mnt"
    if mount -o loop,compress-force=zstd "$t/btrfs-zstd.img" "$t/mnt" 2>/dev/null; then
        mkdir -p "$t/text/boot"
        base64 -w 76 "$t/tree/$F" | head -c 62914560 > "$t/text/$F"
        mkdir "$t/mnt/boot" && cp "$t/text/$F" "$t/mnt/$F" && sync
        umount "$t/mnt"
        fss="$fss btrfs-zstd"
    else
        echo "fsread: no loop mount here: no zstd btrfs row" >&2
    fi
else
    echo "fsread: not root: no zstd btrfs row" >&2
fi
# ext4 on LVM2: one PV on a partition, the LV linear; two PVs, the LV striped (64 KiB).
mke2fs -q -F -t ext4 -d "$t/tree" "$t/ext4.img" 96M
truncate -s 240M "$t/lvm-linear.img"
printf 'label: dos\nstart=2048, size=230M, type=8e\n' | sfdisk -q "$t/lvm-linear.img" >/dev/null
"$B/pvlvmbuild" "$t/lvm-linear.img" --vg bench --pv 1048576:241172480 \
    --lv boot:linear:"$t/ext4.img" >/dev/null
truncate -s 240M "$t/lvm-striped.img"
printf 'label: dos\nstart=2048, size=110M, type=8e\nstart=227328, size=110M, type=8e\n' |
    sfdisk -q "$t/lvm-striped.img" >/dev/null
"$B/pvlvmbuild" "$t/lvm-striped.img" --vg bench --pv 1048576:115343360 --pv 116391936:115343360 \
    --lv boot:striped:"$t/ext4.img" >/dev/null
fss="$fss lvm-linear lvm-striped"

ms() {  # command...: its wall time in ms (to 0.1), output to /dev/null
    s=$(date +%s%N)
    "$@" > /dev/null
    e=$(date +%s%N)
    echo $(( (e - s) / 100000 ))
}
min() { [ "$1" -lt "$2" ] && echo "$1" || echo "$2"; }
show() { awk -v t="$1" 'BEGIN { printf "%.1f", t / 10 }'; }

printf '%-11s %10s %14s %14s %7s %12s\n' fs image 'pvboot --cat' 'cat (60 MiB)' ratio 'pvboot MiB/s'
for fs in $fss; do
    img=$t/$fs.img
    part= src=$t/tree/$F
    case $fs in
    lvm-*) part=--partition=lvm/bench-boot ;;
    btrfs-zstd) src=$t/text/$F ;;
    esac
    # shellcheck disable=SC2086
    "$B/pvboot" --cat=/$F $part "$img" | cmp - "$src"
    cat "$img" "$src" > /dev/null
    p=99999999 c=99999999
    for i in 1 2 3 4 5; do
        c=$(min "$(ms cat "$src")" $c)
        # shellcheck disable=SC2086
        p=$(min "$(ms "$B/pvboot" --cat=/$F $part "$img")" $p)
    done
    printf '%-11s %9sM %11s ms %11s ms %7s %12s\n' "$fs" "$(( $(stat -c %s "$img") >> 20 ))" \
        "$(show $p)" "$(show $c)" "$(awk -v p=$p -v c=$c 'BEGIN { printf "%.2f", p / c }')" \
        "$(awk -v p=$p 'BEGIN { printf "%.0f", 60 * 10000 / p }')"
done
# What decompression alone costs: the zstd command on the same text (one frame, level 3).
if [ -f "$t/text/$F" ] && command -v zstd >/dev/null 2>&1; then
    zstd -q -3 -f "$t/text/$F" -o "$t/text.zst"
    z=99999999
    for i in 1 2 3 4 5; do z=$(min "$(ms zstd -q -dc "$t/text.zst")" $z); done
    printf 'btrfs-zstd: zstd -dc of the same 60 MiB (one frame) takes %s ms: the floor of a compressed read\n' "$(show $z)"
fi
