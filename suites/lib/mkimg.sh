# SPDX-License-Identifier: GPL-2.0-only
# Small disk images for the command's suites, rootless (POSIX sh; source it).
#
#   mkfsimg OUT FS TREE         a filesystem image of TREE: ext2, ext3 (128-byte inodes),
#                               ext4, xfs4 (v4, ftype=0), xfs5 (v5)
#   mkdisk OUT TABLE FSIMG...   a disk holding the filesystem images as partitions:
#                               TABLE none (one image, no table), msdos, logical
#                               (partition 1 primary, the others logicals 5, 6, ...),
#                               gpt (a BIOS boot partition first, then the images)
# Deterministic (fixed UUIDs, E2FSPROGS_FAKE_TIME); needs mke2fs, mkfs.xfs, sfdisk, sgdisk.

PATH=$PATH:/usr/sbin:/sbin
export E2FSPROGS_FAKE_TIME=1577836800
# mkfs.xfs >= 5.19 refuses filesystems under 300 MB outside fstests; these are its
# documented test variables (small /boot filesystems are what older mkfs made).
export TEST_DIR=/tmp TEST_DEV=pvboot-tests QA_CHECK_FS=xfs

mkfsimg() {
    _out=$1 _fs=$2 _tree=$3
    rm -f "$_out"
    case $_fs in
    ext2) truncate -s 32M "$_out"; mke2fs -q -F -t ext2 -U 11111111-2222-3333-4444-000000000002 -E hash_seed=11111111-2222-3333-4444-000000000002 -d "$_tree" "$_out" >/dev/null ;;
    ext3) truncate -s 32M "$_out"; mke2fs -q -F -t ext3 -I 128 -U 11111111-2222-3333-4444-000000000003 -E hash_seed=11111111-2222-3333-4444-000000000003 -d "$_tree" "$_out" >/dev/null ;;
    ext4) truncate -s 48M "$_out"; mke2fs -q -F -t ext4 -U 11111111-2222-3333-4444-000000000004 -E hash_seed=11111111-2222-3333-4444-000000000004 -d "$_tree" "$_out" >/dev/null ;;
    xfs4|xfs5)
        _proto=$(mktemp "${TMPDIR:-/tmp}/pvb-proto.XXXXXX")
        _mkproto "$_tree" > "$_proto"
        truncate -s 320M "$_out"
        if [ "$_fs" = xfs4 ]; then _o="-m crc=0 -n ftype=0"; else _o="-m crc=1"; fi
        # shellcheck disable=SC2086
        mkfs.xfs -q -f $_o -m uuid=11111111-2222-3333-4444-00000000000${_fs#xfs} -p "$_proto" "$_out" >/dev/null
        rm -f "$_proto" ;;
    *) echo "mkfsimg: unknown fs $_fs" >&2; return 1 ;;
    esac
}

# A protofile (xfsprogs mkfs.xfs -p) for TREE: files, directories and symlinks.
_mkproto() {
    echo "/dev/null"
    echo "0 0"
    echo "d--755 0 0"
    _proto_dir "$1" "$1" "  "
    echo "\$"
}

_proto_dir() {
    for _e in "$2"/* ; do
        [ -e "$_e" ] || [ -L "$_e" ] || continue
        _n=${_e##*/}
        if [ -L "$_e" ]; then
            echo "$3$_n l--777 0 0 $(readlink "$_e")"
        elif [ -d "$_e" ]; then
            echo "$3$_n d--755 0 0"
            _proto_dir "$1" "$_e" "$3  "
            echo "$3\$"
        else
            echo "$3$_n ---644 0 0 $_e"
        fi
    done
}

mkdisk() {
    _out=$1 _table=$2
    shift 2
    rm -f "$_out"
    if [ "$_table" = none ]; then
        cp "$1" "$_out"
        return
    fi
    _total=2048
    for _f in "$@"; do
        _total=$((_total + $(stat -c %s "$_f") / 512 + 4096))
    done
    truncate -s $(((_total + 4096) * 512)) "$_out"
    _start=2048 _n=1
    case $_table in
    msdos|logical)
        {
            echo "label: dos"
            echo "label-id: 0x5eed0001"
            for _f in "$@"; do
                _size=$(($(stat -c %s "$_f") / 512))
                if [ "$_table" = logical ] && [ $_n -eq 2 ]; then
                    echo "$_out""2 : start=$_start, type=5"
                    _start=$((_start + 2048))
                fi
                if [ "$_table" = logical ] && [ $_n -ge 2 ]; then
                    echo "$_out$((_n + 3)) : start=$_start, size=$_size, type=83"
                    _start=$((_start + _size + 2048))
                else
                    echo "$_out$_n : start=$_start, size=$_size, type=83$([ $_n -eq 1 ] && echo ', bootable')"
                    _start=$((_start + _size))
                fi
                _n=$((_n + 1))
            done
        } | sfdisk -q "$_out" >/dev/null 2>&1 || return 1
        # Copy each image to where sfdisk put its partition.
        sfdisk --json "$_out" | awk '/"start"/ { gsub(/[",]/, "", $2); s = $2 } /"type"/ { gsub(/[",]/, "", $2); if ($2 != "5") print s }' > "$_out.starts"
        ;;
    gpt)
        _args="-n 1:2048:+1M -t 1:ef02 -c 1:bios"
        _start=4096 _n=2
        for _f in "$@"; do
            _size=$(($(stat -c %s "$_f") / 512))
            _args="$_args -n $_n:$_start:+$_size -t $_n:8300 -c $_n:part$_n"
            _start=$((_start + _size + 2048))
            _n=$((_n + 1))
        done
        # shellcheck disable=SC2086
        sgdisk -U 5eed0000-0000-4000-8000-000000000001 $_args "$_out" >/dev/null 2>&1 || return 1
        sgdisk -p "$_out" | awk 'f && $1 > 1 { print $2 } /^Number/ { f = 1 }' > "$_out.starts"
        ;;
    esac
    set -- "$@"
    for _s in $(cat "$_out.starts"); do
        dd if="$1" of="$_out" bs=512 seek="$_s" conv=notrunc,sparse 2>/dev/null || return 1
        shift
    done
    rm -f "$_out.starts"
}
