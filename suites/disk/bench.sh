#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Benchmark, not a test (make check does not run it): sequential read of a qcow2 image,
# plain and zlib-compressed, through libpvboot (`pvdump raw` to /dev/null) and through
# `qemu-img convert` to qemu's null-co target, on the same images in one run. Goal:
# pvdump <= 1.2x qemu-img. Best of 3 warm-cache runs: wall seconds, and CPU seconds
# (qemu-img decompresses on several threads; pvdump on one).
#
# usage: nice sh suites/disk/bench.sh [BUILD] [SIZE_MIB]   (defaults: build, 1024)
# The payload is half incompressible bytes and half base64 text (deflate keeps about
# 3/4 of it), so the compressed image has both stored and compressed clusters, and
# inflating does real work. Needs 2.5x SIZE of free space in $TMPDIR.
set -eu
B=${1:-build}
mib=${2:-1024}
case $B in /*) ;; *) B=$(pwd)/$B ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pvb-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp"

half=$((mib / 2))
"$B/pvpayload" "${half}M" bench > payload.raw
"$B/pvpayload" "$(((mib - half) * 3 / 4 + 1))M" text | base64 -w 0 | head -c $(((mib - half) << 20)) >> payload.raw
qemu-img convert -f raw -O qcow2 payload.raw plain.qcow2
qemu-img convert -f raw -O qcow2 -c payload.raw zlib.qcow2
rm payload.raw
size=$((mib << 20))

now() { date +%s.%N; }

# Wall and CPU seconds of one run: the CPU time is user + system of the
# command's processes and threads, from a shell's cutime/cstime (fields 16
# and 17 of /proc/PID/stat, in clock ticks) after it has waited for it.
run() {
    t0=$(now)
    cpu=$(sh -c '"$@" > /dev/null; read -r s < /proc/$$/stat; echo "$s"' sh "$@" |
        awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); print ($14 + $15) / hz }')
    awk -v t0="$t0" -v t1="$(now)" -v cpu="$cpu" 'BEGIN { print t1 - t0, cpu }'
}

best() {  # COMMAND...: "wall cpu" of the fastest of 3 runs
    b=
    for i in 1 2 3; do
        r=$(run "$@")
        b=$(echo "$r $b" | awk '{ print (NF == 2 || $1 < $3) ? $1 " " $2 : $3 " " $4 }')
    done
    echo "$b"
}

printf '%-12s %9s %9s %7s %9s %9s %7s %6s\n' image pv-wall qemu-wall ratio pv-cpu qemu-cpu ratio MiB
for img in plain.qcow2 zlib.qcow2; do
    cat "$img" > /dev/null  # warm the page cache
    p=$(best "$B/pvdump" raw "$img")
    q=$(best qemu-img convert -n -f qcow2 "$img" --target-image-opts "driver=null-co,size=$size")
    echo "$p $q" | awk -v i="$img" -v m=$(($(stat -c %s "$img") >> 20)) \
        '{ printf "%-12s %9.3f %9.3f %7.2f %9.2f %9.2f %7.2f %6d\n", i, $1, $3, $1 / $3, $2, $4, $2 / ($4 ? $4 : 1), m }'
done
