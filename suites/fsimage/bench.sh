#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Benchmark, not a test (make check does not run it): Debian's pygrub extracting an 8 MiB
# kernel and a SIZE MiB initrd from ext4, XFS v4 and XFS v5 images, with Debian's own
# plugins (libext2fs, GRUB legacy's xfs) and with pvboot's (build/fsimage). Goal: pvboot's
# plugins no slower than Debian's. Best of 5 warm-cache runs of the whole pygrub: wall
# seconds and CPU seconds (user + system). XFS v5: Debian's plugin cannot read it.
#
# usage: nice sh suites/fsimage/bench.sh [BUILD] [SIZE_MIB]   (defaults: build, 256)
# Needs about 3x SIZE of free space in $TMPDIR. The images are 4 GiB sparse files, so that
# mkfs.xfs -p puts each payload in one extent (it corrupts files that need more).
set -eu
B=${1:-build}
mib=${2:-256}
case $B in /*) ;; *) B=$(pwd)/$B ;; esac
PYGRUB=/usr/lib/xen-4.17/bin/pygrub
unset XEN_FSIMAGE_FSDIR
PATH=$PATH:/usr/sbin:/sbin
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pvb-fsbench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp"

mkdir -p tree/boot/grub out
"$B/pvpayload" 8M kernel > tree/boot/vmlinuz
"$B/pvpayload" "${mib}M" initrd > tree/boot/initrd.img
printf '%s\n' "menuentry 'Bench' {" '	linux /boot/vmlinuz root=/dev/xvda1 ro' \
    '	initrd /boot/initrd.img' '}' > tree/boot/grub/grub.cfg
{ echo /dev/null; echo 0 0; echo 'd--755 0 0'; echo 'boot d--755 0 0'
  echo "vmlinuz ---644 0 0 $tmp/tree/boot/vmlinuz"; echo "initrd.img ---644 0 0 $tmp/tree/boot/initrd.img"
  echo 'grub d--755 0 0'; echo "grub.cfg ---644 0 0 $tmp/tree/boot/grub/grub.cfg"
  echo '$'; echo '$'; echo '$'; } > proto
truncate -s 4G ext4.img xfs4.img xfs5.img
mke2fs -q -F -t ext4 -d tree ext4.img
mkfs.xfs -q -f -m crc=0 -n ftype=0 -p proto xfs4.img >/dev/null 2>&1
mkfs.xfs -q -f -m crc=1 -p proto xfs5.img
for i in xfs4 xfs5; do xfs_repair -n $i.img >/dev/null 2>&1 || { echo "$i: xfs_repair -n fails" >&2; exit 1; }; done

now() { date +%s.%N; }

# Wall and CPU seconds of one run (CPU: cutime + cstime of a shell that waited for it).
run() {
    rm -f out/*
    t0=$(now)
    cpu=$(sh -c '"$@" > /dev/null 2>&1; read -r s < /proc/$$/stat; echo "$s"' sh "$@" |
        awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); print ($14 + $15) / hz }')
    cmp -s out/boot_ramdisk.* tree/boot/initrd.img || { echo "wrong ramdisk: $*" >&2; exit 1; }
    awk -v t0="$t0" -v t1="$(now)" -v cpu="$cpu" 'BEGIN { print t1 - t0, cpu }'
}

best() {  # COMMAND...: "wall cpu" of the fastest of 5 runs
    b=
    for i in 1 2 3 4 5; do
        r=$(run "$@")
        b=$(echo "$r $b" | awk '{ print (NF == 2 || $1 < $3) ? $1 " " $2 : $3 " " $4 }')
    done
    echo "$b"
}

boot="-q --output-format=simple --output-directory=$tmp/out"
printf '%-6s %10s %10s %7s %9s %9s %7s\n' image deb-wall pvb-wall ratio deb-cpu pvb-cpu ratio
for img in ext4 xfs4 xfs5; do
    cat $img.img > /dev/null
    p=$(best env XEN_FSIMAGE_FSDIR="$B/fsimage" "$PYGRUB" $boot $img.img)
    if [ $img = xfs5 ]; then d="- -"; else d=$(best "$PYGRUB" $boot $img.img); fi
    echo "$d $p" | awk -v i=$img '$1 == "-" { printf "%-6s %10s %10.3f %7s %9s %9.2f %7s\n", i, "-", $3, "-", "-", $4, "-"; next }
        { printf "%-6s %10.3f %10.3f %7.2f %9.2f %9.2f %7.2f\n", i, $1, $3, $3 / $1, $2, $4, $4 / ($2 ? $2 : 1) }'
done
