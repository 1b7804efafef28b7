#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Config engine throughput (a benchmark, not a test): parse + evaluate a generated grub.cfg of
# more than 1 MiB with 5000 EL7-style entries, and a typical EL7 grub.cfg (four entries and the
# generated header), with build/pvcfg --bench. Goals: >= 100 MB/s and < 100 us per EL7 config.
# The figures are process CPU time, best of five batches (the machine may be shared).
# usage: tools/cfg/bench.sh [BUILD]
set -eu
B=${1:-build}
out=$B/bench
mkdir -p "$out"
el7=suites/configs/el7/saved-title-0/tree/grub2/grub.cfg
[ -f "$el7" ] || { echo "no $el7" >&2; exit 1; }
awk 'BEGIN {
    print "set default=\"${saved_entry}\"\nif [ x\"${feature_menuentry_id}\" = xy ]; then menuentry_id_option=\"--id\"; fi"
    for (i = 0; i < 2400; i++) {
        printf "menuentry '\''CentOS Linux (3.10.0-%d.el7.x86_64) 7 (Core)'\'' --class centos --class gnu-linux --unrestricted $menuentry_id_option '\''gnulinux-3.10.0-%d.el7.x86_64-advanced-d2b5f7a4'\'' {\n", i, i
        print "\tload_video\n\tset gfxpayload=keep\n\tinsmod gzio\n\tset root='\''hd0,msdos1'\''"
        printf "\tlinux16 /vmlinuz-3.10.0-%d.el7.x86_64 root=/dev/mapper/centos-root ro crashkernel=auto rd.lvm.lv=centos/root rhgb quiet\n", i
        printf "\tinitrd16 /initramfs-3.10.0-%d.el7.x86_64.img\n}\n", i
    }
}' > "$out/large.cfg"
"$B/pvcfg" --bench=10 --file=grub2 "$out/large.cfg"
"$B/pvcfg" --bench=4000 --file=grub2 "$el7"
