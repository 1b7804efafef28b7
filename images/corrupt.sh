# SPDX-License-Identifier: GPL-2.0-only
# Hostile cases: corruptions of good images at named structures, and how an independent tool confirms each (sourced).
#
# A case line `corrupt: OP ARGS...` runs corrupt_OP at its phase (corrupt_phase OP):
#   tree  on the staged boot tree (DIR) before mkfs
#   fs    on the boot filesystem image (FS) after mkfs and its clean check
#   raw   on the raw disk (RAW) after the filesystems are copied in
#   file  on the final image file (IMG) after qemu-img convert
# confirm_OP ARGS... (run by images/checkimage with $raw, $img, $c, $off, $gdev, $bfs
# set) succeeds when a tool pvboot did not write sees the damage.

corrupt_phase() {
    case $1 in
    symlink-loop|config-entries|config-recursion) echo tree ;;
    size|ext-extent-loop|zero-fs|xfs-bmbt-cycle|dir-loop|fat-chain-loop|fat-cluster-past-end) echo fs ;;
    reiserfs-tree-cycle|reiserfs-level|reiserfs-journal-dev) echo fs ;;
    btrfs-chunk-empty|btrfs-level|btrfs-compressed-4g) echo fs ;;
    gpt-start|mbr-logical-loop|lvm-meta-braces|lvm-seg-past-pv|lvm-meta-wrap) echo raw ;;
    truncate|qcow2-l1-past-eof) echo file ;;
    *) die "unknown corruption '$1'" ;;
    esac
}

# symlink-loop PATH: PATH becomes a symlink to itself (GRUB fshelp gives up after 8 hops).
corrupt_symlink_loop() {
    rm -f "$1$2"
    ln -s "$(basename "$2")" "$1$2"
}
confirm_symlink_loop() {
    case $bfs in
    ext*) [ "$(debugfs -R "stat \"$1\"" "$raw?offset=$off" 2>/dev/null | sed -n 's/^Fast link dest: "\(.*\)"$/\1/p')" = "$(basename "$1")" ] ;;
    *) ! timeout 10 grub-fstest "$raw" cat "$gdev$1" > /dev/null 2>&1 ;;
    esac
}

# config-entries PATH N: a grub.cfg of N menuentries, past any sane menu limit.
corrupt_config_entries() {
    awk -v n="$3" 'BEGIN { print "set default=0"
        for (i = 0; i < n; i++) printf "menuentry \"e%d\" {\n\tlinux /vmlinuz-%d ro\n}\n", i, i }' > "$1$2"
}
confirm_config_entries() {
    [ "$(ext_cat "$1" | grep -c '^menuentry')" -eq "$2" ]
}

# config-recursion PATH: a grub.cfg that sources itself without end.
corrupt_config_recursion() {
    printf 'menuentry "never" {\n\tlinux /vmlinuz ro\n}\nsource %s\n' "$2" > "$1$2"
}
confirm_config_recursion() {
    ext_cat "$1" | grep -qx "source $1"
}

# size PATH BYTES: the inode (on FAT, the directory entry) of PATH claims BYTES (a
# sparse file: the blocks stay).
corrupt_size() {
    case $bfs in
    ext*) debugfs -w -R "sif \"$2\" size $3" "$1" > /dev/null 2>&1 ;;
    xfs) xfs_db -x -c "path $2" -c "write core.size $3" "$1" > /dev/null 2>&1 ;;
    fat*) at=$(fat_entry "$1" "$2") && [ -n "$at" ] && "$B/pvpoke" "$1" $((at + 28)) le32 "$3" ;;
    esac
}
confirm_size() {
    case $bfs in
    ext*) debugfs -R "stat \"$1\"" "$raw?offset=$off" 2>/dev/null | grep -q "Size: $2\$" ;;
    *) timeout 30 grub-fstest "$raw" ls -- -l "$gdev$(dirname "$1")/" 2>/dev/null | grep -q "^$2 .* $(basename "$1")\$" ;;
    esac
}

# ext-extent-loop PATH: the inode's extent tree gets depth 1 and an index to the file's
# first block, which becomes an index node pointing at itself (ext4 extents.h layout:
# header magic 0xf30a, entries, max, depth; index ei_block, ei_leaf_lo, ei_leaf_hi).
corrupt_ext_extent_loop() {
    bs=$(debugfs -R stats "$1" 2>/dev/null | awk '/^Block size:/ { print $3 }')
    b=$(debugfs -R "bmap \"$2\" 0" "$1" 2>/dev/null)
    [ -n "$bs" ] && [ -n "$b" ] || die "ext-extent-loop: cannot map $2"
    "$B/pvpoke" "$1" $((b * bs)) le16 0xf30a $((b * bs + 2)) le16 1 $((b * bs + 4)) le16 $(((bs - 12) / 12)) \
        $((b * bs + 6)) le16 1 $((b * bs + 8)) le32 0 $((b * bs + 12)) le32 0 $((b * bs + 16)) le32 "$b" \
        $((b * bs + 20)) le32 0
    debugfs -w -f - "$1" > /dev/null 2>&1 <<EOF
sif "$2" block[0] 0x0001f30a
sif "$2" block[1] 0x00010004
sif "$2" block[2] 0
sif "$2" block[3] 0
sif "$2" block[4] $b
sif "$2" block[5] 0
EOF
}
confirm_ext_extent_loop() {
    debugfs -R "stat \"$1\"" "$raw?offset=$off" 2>/dev/null | grep -q 'Level Entries\|EXTENTS' &&
        ! timeout 10 grub-fstest "$raw" cat "$gdev$1" > /dev/null 2>&1
}

# zero-fs OFFSET LEN PATH: LEN zero bytes at OFFSET of the filesystem (a superblock).
corrupt_zero_fs() {
    "$B/pvpoke" "$1" "$2" zero "$3"
}
confirm_zero_fs() {
    ! timeout 10 grub-fstest "$raw" cat "$gdev$3" > /dev/null 2>&1
}

# gpt-start N LBA: GPT entry N starts at LBA (past the end), CRCs made valid again.
corrupt_gpt_start() {
    "$B/pvpoke" "$1" $((1024 + ($2 - 1) * 128 + 32)) le64 "$3" gptcrc 512
}
confirm_gpt_start() {
    sfdisk --json "$raw" 2>/dev/null | grep -q "\"start\": $2,\\?\$" ||
        sgdisk -v "$raw" 2>&1 | grep -qi 'problem\|beyond\|past'
}

# mbr-logical-loop: the first EBR's link to the next EBR points back at itself.
corrupt_mbr_logical_loop() {
    ext=$(sfdisk --json "$1" | awk '/"start"/ { s = $2 } /"type": "5"/ { gsub(/,/, "", s); print s; exit }')
    [ -n "$ext" ] || die "mbr-logical-loop: no extended partition"
    at=$((ext * 512 + 446 + 16))
    "$B/pvpoke" "$1" $((at + 4)) u8 5 $((at + 8)) le32 0 $((at + 12)) le32 2048
}
confirm_mbr_logical_loop() {
    [ "$(sfdisk --json "$raw" 2>/dev/null | grep -c '"node"')" -gt 10 ]
}

# truncate BYTES: the image file ends early.
corrupt_truncate() {
    truncate -s "$2" "$1"
}
confirm_truncate() {
    [ "$(stat -c %s "$img")" -eq "$1" ] && { [ "$fmt" != qcow2 ] || ! qemu-img check -q "$img" > /dev/null 2>&1; } &&
        [ "$1" -lt "$(size_bytes "$(case_get "$c" disk)")" ]
}

# qcow2-l1-past-eof: the qcow2 header's L1 table offset (bytes 40-47) points past the file.
corrupt_qcow2_l1_past_eof() {
    "$B/pvpoke" "$1" 40 be64 $((($(stat -c %s "$1") / 65536 + 16) * 65536))
}
confirm_qcow2_l1_past_eof() {
    ! qemu-img check -q "$img" > /dev/null 2>&1
}

# xfs_ino FS PATH: the inode number of PATH, from its parent's listing (xfs_db ls).
xfs_ino() {
    xfs_db -r -c "ls $(dirname "$2")" "$1" 2>/dev/null |
        awk -v n="$(basename "$2")" '$(NF - 1) == n && $NF == "(good)" { print $2; exit }'
}
# xfs_fs RAW OFFSET: copy the filesystem at OFFSET of RAW to $work/xfs (xfs_db
# takes no offset) and print that path.
xfs_fs() {
    dd if="$1" of="$work/xfs" bs=1M iflag=skip_bytes skip="$2" conv=sparse status=none
    echo "$work/xfs"
}

# xfs-bmbt-cycle PATH: the file's data fork becomes a B+tree (di_format
# XFS_DINODE_FMT_BTREE) whose root in the inode (xfs_bmdr_block: level 2, one key,
# one pointer) points at the file's first block, and that block becomes a BMBT node
# (xfs_btree_block: magic BMAP, or BMA3 with bno, uuid, owner and CRC on v5) at
# level 1 whose one pointer is itself. xfs_db writes the fields by name and fixes
# the CRCs (write -d); nextents is raised past what fits in the inode, so that
# only the cycle is wrong.
corrupt_xfs_bmbt_cycle() {
    ino=$(xfs_ino "$1" "$2")
    b=$(xfs_db -r -c "inode $ino" -c bmap "$1" 2>/dev/null | sed -n 's/^data offset 0 startblock \([0-9]*\) .*/\1/p')
    [ -n "$ino" ] && [ -n "$b" ] || die "xfs-bmbt-cycle: cannot map $2"
    u=$(xfs_db -r -c "inode $ino" -c print "$1" 2>/dev/null | sed -n 's/^\(u3*\)\.bmx.*/\1/p')
    img=$1
    set -- -c "inode $ino" -c "write -d core.format 3" -c "write -d core.nextents 100" \
        -c "write -d $u.bmbt.level 2" -c "write -d $u.bmbt.numrecs 1" \
        -c "write -d $u.bmbt.keys[1].startoff 0" -c "write -d $u.bmbt.ptrs[1] $b" \
        -c "fsblock $b" -c "type bmapbtd"
    if [ "$u" = u3 ]; then
        daddr=$(xfs_db -r -c "fsblock $b" -c daddr "$img" | sed -n 's/^current daddr is //p')
        uuid=$(xfs_db -r -c "sb 0" -c "print uuid" "$img" | sed 's/^uuid = //')
        set -- "$@" -c "write -d magic 0x424d4133" -c "write -d bno $daddr" -c "write -d uuid $uuid" \
            -c "write -d owner $ino" -c "write -d lsn 0"
    else
        set -- "$@" -c "write -d magic 0x424d4150"
    fi
    xfs_db -x "$@" -c "write -d level 1" -c "write -d numrecs 1" -c "write -d -- leftsib -1" \
        -c "write -d -- rightsib -1" -c "write -d keys[1].startoff 0" -c "write -d ptrs[1] $b" \
        "$img" > /dev/null 2>&1
}
confirm_xfs_bmbt_cycle() {
    f=$(xfs_fs "$raw" "$off")
    ino=$(xfs_ino "$f" "$1")
    [ -n "$ino" ] || return 1
    xfs_db -r -c "inode $ino" -c print "$f" > "$work/ino" 2>/dev/null
    b=$(sed -n 's/^u3*\.bmbt\.ptrs\[1\] = //p' "$work/ino")
    grep -q '^core.format = 3 (btree)' "$work/ino" && grep -q '^u3*\.bmbt\.level = 2$' "$work/ino" &&
        [ -n "$b" ] || return 1
    xfs_db -r -c "fsblock $b" -c "type bmapbtd" -c "print level ptrs[1]" "$f" > "$work/node" 2>/dev/null
    grep -qx 'level = 1' "$work/node" && grep -qx "ptrs\[1\] = $b" "$work/node"
}

# dir-loop PATH: the directory entry PATH is pointed at its own parent, so the
# parent contains itself (/loader/entries is /loader) and the directory it named
# is gone. ext: debugfs unlink + link; XFS: the parent must be a shortform
# directory, whose entry's inode number (xfs_dir2_sf_entry) xfs_db rewrites.
corrupt_dir_loop() {
    par=$(dirname "$2") nm=$(basename "$2")
    case $bfs in
    ext*)
        printf 'unlink "%s"\nlink "%s" "%s"\n' "$2" "$par" "$2" |
            debugfs -w -f - "$1" > "$work/dirloop.log" 2>&1
        ! grep -q '^\(unlink\|link\): ' "$work/dirloop.log"
        ;;
    xfs)
        if [ "$par" = / ]; then
            pino=$(xfs_db -r -c "sb 0" -c "print rootino" "$1" | sed 's/^rootino = //')
        else
            pino=$(xfs_ino "$1" "$par")
        fi
        [ -n "$pino" ] || die "dir-loop: no $par"
        fld=$(xfs_db -r -c "inode $pino" -c print "$1" 2>/dev/null |
            sed -n "s/^\(u3*\.sfdir[23]\.list\[[0-9]*\]\)\.name = \"$nm\"\$/\1/p")
        [ -n "$fld" ] || die "dir-loop: $par is not a shortform directory holding $nm"
        xfs_db -x -c "inode $pino" -c "write -d $fld.inumber.i4 $pino" "$1" > /dev/null 2>&1
        ;;
    esac
}
confirm_dir_loop() {
    par=$(dirname "$1")
    case $bfs in
    ext*)
        a=$(debugfs -R "stat \"$1\"" "$raw?offset=$off" 2>/dev/null | sed -n 's/^Inode: \([0-9]*\) .*Type: directory.*/\1/p')
        b=$(debugfs -R "stat \"$par\"" "$raw?offset=$off" 2>/dev/null | sed -n 's/^Inode: \([0-9]*\) .*/\1/p')
        ;;
    *)
        f=$(xfs_fs "$raw" "$off")
        a=$(xfs_ino "$f" "$1")
        b=$(xfs_db -r -c "ls $par" "$f" 2>/dev/null | awk '$(NF - 1) == "." { print $2; exit }')
        ;;
    esac
    [ -n "$a" ] && [ "$a" = "$b" ]
}

# ---- FAT (Microsoft's FAT spec: the BPB, the FATs, 32-byte directory entries) -------
# fat_geom FS: fat_bps, fat_rsvd, fat_nfats, fat_sz (sectors per FAT) and fat_bits of a
# FAT16 or FAT32 boot sector (FAT32 when BPB_FATSz16 is 0, as GRUB decides).
fat_geom() {
    fat_bps=$(od -An -tu2 -j11 -N2 "$1" | tr -d ' ')
    fat_rsvd=$(od -An -tu2 -j14 -N2 "$1" | tr -d ' ')
    fat_nfats=$(od -An -tu1 -j16 -N1 "$1" | tr -d ' ')
    fat_sz=$(od -An -tu2 -j22 -N2 "$1" | tr -d ' ') fat_bits=16
    if [ "$fat_sz" = 0 ]; then
        fat_sz=$(od -An -tu4 -j36 -N4 "$1" | tr -d ' ') fat_bits=32
    elif [ "$(dd if="$1" bs=1 skip=54 count=5 2>/dev/null)" = FAT12 ]; then
        die "FAT12: its 12-bit FAT entries are not written here"
    fi
}
# fat_clusters FS PATH: PATH's clusters in chain order (mshowfat: "<2-5> <9>").
fat_clusters() {
    mshowfat -i "$1" "::$2" | sed 's/^[^<]*//' | tr ' ' '\n' | tr -d '<>' |
        awk -F- 'NF { e = NF > 1 ? $2 : $1; for (c = $1; c <= e; c++) print c }'
}
# fat_set FS C V: FAT entry C becomes V in every FAT.
fat_set() {
    _k=0
    while [ $_k -lt "$fat_nfats" ]; do
        "$B/pvpoke" "$1" $(((fat_rsvd + _k * fat_sz) * fat_bps + $2 * fat_bits / 8)) "le$fat_bits" "$3"
        _k=$((_k + 1))
    done
}
# fat_entry FS PATH: the byte offset of PATH's short directory entry: its 8.3 name
# (mshortname) at a 32-byte boundary.
fat_entry() {
    _s=$(mshortname -i "$1" "::$2") && _s=${_s##*/} || return 1
    case $_s in *.*) _n=$(printf '%-8s%-3s' "${_s%%.*}" "${_s#*.}") ;; *) _n=$(printf '%-11s' "$_s") ;; esac
    LC_ALL=C grep -obUaF "$_n" "$1" | awk -F: '$1 % 32 == 0 { print $1; exit }'
}
# fat_fs RAW OFFSET: the filesystem at OFFSET of RAW copied to $work/fat (fsck.fat takes
# no offset); prints that path.
fat_fs() {
    dd if="$1" of="$work/fat" bs=1M iflag=skip_bytes skip="$2" conv=sparse status=none
    echo "$work/fat"
}

# fat-chain-loop PATH: the file's third cluster links back to its first (fsck.fat:
# "Circular cluster chain"; GRUB 2.06 reads the loop as data, to the file's size).
corrupt_fat_chain_loop() {
    fat_geom "$1"
    _c=$(fat_clusters "$1" "$2" | head -n 3 | tr '\n' ' ')
    # shellcheck disable=SC2086
    set -- "$1" "$2" $_c
    [ $# -eq 5 ] || die "fat-chain-loop: $2 has fewer than 3 clusters"
    fat_set "$1" "$5" "$3"
}
confirm_fat_chain_loop() {
    fsck.fat -n "$(fat_fs "$raw" "$off")" 2>&1 | grep -iA1 "^$1\$" | grep -q 'Circular cluster chain'
}

# fat-cluster-past-end PATH: the file's first cluster links to one past the volume's
# last, below the end-of-chain marks (0xFFF0 on FAT16, 0x0FFFFFF0 on FAT32).
corrupt_fat_cluster_past_end() {
    fat_geom "$1"
    _c=$(fat_clusters "$1" "$2" | head -n 1)
    [ -n "$_c" ] || die "fat-cluster-past-end: $2 has no cluster"
    if [ "$fat_bits" = 16 ]; then fat_set "$1" "$_c" 0xFFF0; else fat_set "$1" "$_c" 0x0FFFFFF0; fi
}
confirm_fat_cluster_past_end() {
    fsck.fat -n "$(fat_fs "$raw" "$off")" > "$work/fsck" 2>&1
    grep -q '^Cluster [0-9]* out of range' "$work/fsck" &&
        grep -iA1 "^$1\$" "$work/fsck" | grep -q 'cluster chain length is'
}

# ---- ReiserFS: fields of the superblock at 64 KiB and of the tree's root node ---------
# reiser_u16/u32 FILE OFFSET: a little-endian field.
reiser_u16() { od -An -tu2 -j "$2" -N2 "$1" | tr -d ' '; }
reiser_u32() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
# reiser_fs RAW OFFSET: the filesystem at OFFSET of RAW copied to $work/rfs (the reiserfs
# tools take no offset); prints that path.
reiser_fs() {
    dd if="$1" of="$work/rfs" bs=1M iflag=skip_bytes skip="$2" conv=sparse status=none
    echo "$work/rfs"
}

# reiserfs-tree-cycle PATH: the root internal node's first child (struct disk_child after
# the block head and its nr keys) points at the root itself, so the search for the root
# directory [1 2] comes back to where it started. GRUB 2 stops it ("level loop").
corrupt_reiserfs_tree_cycle() {
    bs=$(reiser_u16 "$1" $((65536 + 44))) root=$(reiser_u32 "$1" $((65536 + 8)))
    [ "$(reiser_u16 "$1" $((root * bs)))" -ge 2 ] || die "reiserfs-tree-cycle: the tree is one leaf"
    "$B/pvpoke" "$1" $((root * bs + 24 + 16 * $(reiser_u16 "$1" $((root * bs + 2))))) le32 "$root"
}
confirm_reiserfs_tree_cycle() {
    f=$(reiser_fs "$raw" "$off")
    bs=$(reiser_u16 "$f" $((65536 + 44))) root=$(reiser_u32 "$f" $((65536 + 8)))
    [ "$(reiser_u32 "$f" $((root * bs + 24 + 16 * $(reiser_u16 "$f" $((root * bs + 2))))))" = "$root" ] &&
        ! timeout 10 grub-fstest "$raw" cat "$gdev$1" > /dev/null 2>&1
}

# reiserfs-level: the root node's block head claims level 40 (MAX_HEIGHT is 5).
corrupt_reiserfs_level() {
    bs=$(reiser_u16 "$1" $((65536 + 44))) root=$(reiser_u32 "$1" $((65536 + 8)))
    "$B/pvpoke" "$1" $((root * bs)) le16 40
}
confirm_reiserfs_level() {
    f=$(reiser_fs "$raw" "$off")
    bs=$(reiser_u16 "$f" $((65536 + 44))) root=$(reiser_u32 "$f" $((65536 + 8)))
    [ "$(reiser_u16 "$f" $((root * bs)))" = 40 ] &&
        ! reiserfsck --check --yes "$f" 2>&1 | grep -q 'No corruptions found'
}

# reiserfs-journal-dev DEV: the "journal relocated" magic ReIsEr3Fs with the journal on
# device DEV (jp_journal_dev): the transactions the filesystem may lack are elsewhere.
corrupt_reiserfs_journal_dev() {
    printf 'ReIsEr3Fs' | dd of="$1" bs=1 seek=$((65536 + 52)) conv=notrunc status=none
    "$B/pvpoke" "$1" $((65536 + 16)) le32 "$2"
}
confirm_reiserfs_journal_dev() {
    f=$(reiser_fs "$raw" "$off")
    [ "$(dd if="$f" bs=1 skip=$((65536 + 52)) count=9 status=none)" = ReIsEr3Fs ] &&
        [ "$(reiser_u32 "$f" $((65536 + 16)))" = "$1" ]
}

# ---- btrfs: tree blocks found with btrfs inspect-internal (btrfs-progs), poked, and
# their crc32c made valid again (pvpoke btrfscsum), so only the named damage is there.
# Metadata is DUP on a single device: every copy of a block gets the same change.
btrfs_super() { btrfs inspect-internal dump-super "$1" 2>/dev/null | awk -v k="$2" '$1 == k { print $2; exit }'; }
# btrfs_phys FS LOGICAL: the byte of FS holding LOGICAL, one line per copy (the chunk tree's stripes).
btrfs_phys() {
    btrfs inspect-internal dump-tree -t chunk "$1" 2>/dev/null | awk -v l="$2" '
        /CHUNK_ITEM/ { s = $6; sub(/\)/, "", s); s += 0 }
        $1 == "length" { len = $2 + 0 }
        $1 == "stripe" && $3 == "devid" { if (l >= s && l < s + len) printf "%.0f\n", $6 + (l - s) }'
}
# btrfs_poke FS LOGICAL REL TYPE VALUE...: pvpoke's TYPE VALUE at byte REL of every copy
# of the tree block at LOGICAL, then its checksum (the copies are found first: btrfs-progs
# opens no filesystem whose trees fail their checksums).
btrfs_poke() {
    bf=$1 bl=$2
    shift 2
    ns=$(btrfs_super "$bf" nodesize) copies=$(btrfs_phys "$bf" "$bl") rest=$*
    [ -n "$ns" ] && [ -n "$copies" ] || die "btrfs: the block at $bl maps nowhere"
    for b in $copies; do
        # shellcheck disable=SC2086 # REL TYPE VALUE triples, split on purpose
        set -- $rest
        ops=
        while [ $# -ge 3 ]; do ops="$ops $((b + $1)) $2 $3"; shift 3; done
        # shellcheck disable=SC2086
        "$B/pvpoke" "$bf" $ops btrfscsum "$b" "$ns" || return 1
    done
}
# btrfs_fsroot FS: the logical address of the top-level subvolume's (FS_TREE) root block.
btrfs_fsroot() {
    btrfs inspect-internal dump-tree -t 5 "$1" 2>/dev/null | awk '$1 == "leaf" || $1 == "node" { print $2; exit }'
}

# btrfs-chunk-empty: the chunk tree's root leaf lists no items (nritems, header byte 96,
# is 0): the chunks beyond the superblock's SYSTEM array (METADATA and DATA) map nowhere,
# so no tree but the chunk tree can be read (GRUB: "couldn't find the chunk descriptor").
corrupt_btrfs_chunk_empty() {
    [ "$(btrfs_super "$1" chunk_root_level)" = 0 ] || die "btrfs-chunk-empty: the chunk tree is not one leaf"
    btrfs_poke "$1" "$(btrfs_super "$1" chunk_root)" 96 le32 0
}
confirm_btrfs_chunk_empty() {
    f=$work/btrfs.fs
    dd if="$raw" of="$f" bs=1M iflag=skip_bytes skip="$off" conv=sparse status=none
    ! btrfs check "$f" > /dev/null 2>&1 &&
        ! timeout 10 grub-fstest "$raw" cat "$gdev$1" > /dev/null 2>&1
}

# btrfs-level LEVEL: the FS_TREE's root block claims LEVEL (header byte 100; the kernel's
# tree-checker allows below BTRFS_MAX_LEVEL 8).
corrupt_btrfs_level() {
    r=$(btrfs_fsroot "$1")
    [ -n "$r" ] || die "btrfs-level: no FS_TREE root"
    btrfs_poke "$1" "$r" 100 u8 "$2"
}
confirm_btrfs_level() {
    f=$work/btrfs.fs
    dd if="$raw" of="$f" bs=1M iflag=skip_bytes skip="$off" conv=sparse status=none
    btrfs check "$f" 2>&1 | grep -q "bad level, $1 > " &&
        ! timeout 10 grub-fstest "$raw" cat "$gdev$2" > /dev/null 2>&1
}

# btrfs-compressed-4g PATH: PATH's first extent item (a regular extent, mkfs wrote it
# uncompressed) says zlib (byte 16 of btrfs_file_extent_item) and ram_bytes 4 GiB (byte 8):
# no kernel writes a compressed extent over 128 KiB, and the bytes are not zlib.
corrupt_btrfs_compressed_4g() {
    set -- "$1" "$2" "$(btrfs inspect-internal dump-tree -t 5 "$1" 2>/dev/null | awk -v n="$(basename "$2")" '
        $1 == "leaf" { leaf = $2 }
        $1 == "item" && $5 == "INODE_REF" { o = $4; sub(/\(/, "", o); getline; if ($NF == n && $(NF - 1) == "name:") obj = o }
        $1 == "item" && $5 == "EXTENT_DATA" && $6 == "0)" { o = $4; sub(/\(/, "", o); if (o == obj) { print leaf, $8; exit } }')"
    [ -n "$3" ] || die "btrfs-compressed-4g: no extent item for $2"
    at=$((101 + ${3#* }))   # the item's body: after the 101-byte header, at its itemoff
    btrfs_poke "$1" "${3% *}" $((at + 8)) le64 $((4 << 30)) $((at + 16)) u8 1
}
confirm_btrfs_compressed_4g() {
    f=$work/btrfs.fs
    dd if="$raw" of="$f" bs=1M iflag=skip_bytes skip="$off" conv=sparse status=none
    btrfs inspect-internal dump-tree -t 5 "$f" 2>/dev/null | grep -A1 ' ram 4294967296$' | grep -q 'compression 1 (zlib)' &&
        ! timeout 10 grub-fstest "$raw" cat "$gdev$1" > /dev/null 2>&1
}

# ---- LVM2: the committed metadata text of the PV at byte PV of the disk (its one
# metadata area at byte 4096 of the PV, as pvcreate puts it), edited, its size and
# both checksums made valid again (pvpoke lvmcrc), so only the named damage is there.
lvm_u64() { od -An -tu8 -j "$2" -N8 "$1" | tr -d ' '; }
# lvm_edit RAW PV SED: the text through sed SED, written back in place of the old.
lvm_edit() {
    mda=$(($2 + 4096)) loff=$(lvm_u64 "$1" $(($2 + 4096 + 40))) lsize=$(lvm_u64 "$1" $(($2 + 4096 + 48)))
    [ -n "$lsize" ] && [ "$lsize" -gt 0 ] || die "lvm: no metadata text on the PV at $2"
    dd if="$1" bs=1 skip=$((mda + loff)) count="$lsize" status=none | sed "$3" > "$work/lvm.txt"
    n=$(stat -c %s "$work/lvm.txt")
    [ $((loff + n)) -le $((1 << 20)) ] || die "lvm: the edited text does not fit the area"
    dd if="$work/lvm.txt" of="$1" bs=1 seek=$((mda + loff)) conv=notrunc status=none
    "$B/pvpoke" "$1" $((mda + 48)) le64 "$n" lvmcrc "$mda"
}
lvm_text() {
    mda=$(($2 + 4096))
    dd if="$1" bs=1 skip=$((mda + $(lvm_u64 "$1" $((mda + 40))))) count="$(lvm_u64 "$1" $((mda + 48)))" status=none
}

# lvm-meta-braces PV: the '{' opening the VG's logical_volumes section is gone, so the
# section's '}' closes the VG early and the braces do not balance.
corrupt_lvm_meta_braces() {
    lvm_edit "$1" "$2" 's/^\([[:space:]]*logical_volumes\) {$/\1/'
}
confirm_lvm_meta_braces() {
    lvm_text "$raw" "$1" | grep -q '^[[:space:]]*logical_volumes$' &&
        ! timeout 10 grub-fstest "$raw" cat "$gdev$2" > /dev/null 2>&1
}

# lvm-seg-past-pv PV LV EXTENT: LV's first stripe starts at EXTENT of its PV, past the PV's pe_count.
corrupt_lvm_seg_past_pv() {
    lvm_edit "$1" "$2" "/^$3 {\$/,/^\\]/{s/^\\(\"pv[0-9]*\", \\)[0-9]*/\\1$4/}"
}
confirm_lvm_seg_past_pv() {
    lvm_text "$raw" "$1" | grep -q "\"pv[0-9]*\", $3\$" &&
        ! timeout 10 grub-fstest "$raw" cat "$gdev$4" > /dev/null 2>&1
}

# lvm-meta-wrap PV: the committed text (raw_locn[0]) starts 512 bytes before the end of
# its area and says it is as long as the whole area: its circular buffer would wrap
# back to byte 512 and run over its own start.
corrupt_lvm_meta_wrap() {
    mda=$(($2 + 4096))
    as=$(lvm_u64 "$1" $((mda + 32)))
    "$B/pvpoke" "$1" $((mda + 40)) le64 $((as - 512)) $((mda + 48)) le64 "$as" lvmcrc "$mda"
}
confirm_lvm_meta_wrap() {
    mda=$(($1 + 4096))
    [ "$(lvm_u64 "$raw" $((mda + 48)))" = "$(lvm_u64 "$raw" $((mda + 32)))" ] &&
        ! timeout 10 grub-fstest "$raw" cat "$gdev$2" > /dev/null 2>&1
}
