#!/bin/sh
# Benchmark, not a test (make check does not run it): sequential read of a qcow2 image,
# plain and zlib-compressed, through libpvboot (`pvdump raw` to /dev/null) and through
# `qemu-img convert` to qemu's null-co target, on the same images in one run. Goal:
# pvdump <= 1.2x qemu-img. Best of 3 warm-cache runs, wall seconds.
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
best() {  # COMMAND...: the best wall time of 3 runs
    b=
    for i in 1 2 3; do
        t0=$(now)
        "$@" > /dev/null
        b=$(awk -v t0="$t0" -v t1="$(now)" -v b="$b" \
            'BEGIN { t = t1 - t0; print (b == "" || t < b) ? t : b }')
    done
    echo "$b"
}

printf '%-18s %10s %10s %8s %10s\n' image pvdump qemu-img ratio "file MiB"
for img in plain.qcow2 zlib.qcow2; do
    cat "$img" > /dev/null  # warm the page cache
    p=$(best "$B/pvdump" raw "$img")
    q=$(best qemu-img convert -n -f qcow2 "$img" --target-image-opts "driver=null-co,size=$size")
    awk -v i="$img" -v p="$p" -v q="$q" -v m=$(($(stat -c %s "$img") >> 20)) \
        'BEGIN { printf "%-18s %10.3f %10.3f %8.2f %10d\n", i, p, q, p / q, m }'
done
