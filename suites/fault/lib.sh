# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the fault suites (POSIX sh; sourced by suites/fault/*.test and replay).
# faultrun (suites/fault/faultrun.c) runs and judges; these name the places.
#
#   fault_stack FILE          the frames of a kept stack (faultrun's DIR/stacks/N.fired or
#                             N.signal), one "function file:line" a line: the program's own
#                             frames through one addr2line call, other objects' frames by
#                             their nearest dynamic symbol
#   fault_place FILE [DEPTH]  where a violation happened, for grouping: DEPTH (3) function
#                             names joined by " < " (allocation and libc plumbing left out),
#                             of the crash site for a signal's stack, else of the first
#                             frames in ref/cfg, ref/boot or ref/cli
#   fault_places DEPTH FILE...  the same for many stacks at once, "FILE<tab>PLACE" lines
#   fault_count FILE FN       a function's call count in faultshim's state file
#
# Needs B, the build directory.

FAULT_SHIM=$(cd "$B" && pwd)/faultshim.so
FAULT_RUN=$(cd "$B" && pwd)/faultrun
: "${FAULT_TIMEOUT:=30}"

fault_count() {
    awk -v f="$2" '$1 == "count" && $2 == f { print $3 + 0 }' "$1"
}

fault_stack() {
    [ -f "$1" ] || return 0
    fprog=$(awk '$1 == "at" && $2 ~ /(^|\/)pvboot$/ { print $2; exit }' "$1")
    {
        if [ -n "$fprog" ]; then
            # shellcheck disable=SC2046 # offsets are single words
            addr2line -e "$fprog" -a -f -i -p \
                $(awk -v p="$fprog" '$1 == "at" && $2 == p { print $3 }' "$1") 2>/dev/null
        fi
        echo "@@frames"
        cat "$1"
    } | awk -v p="$fprog" '
        $0 == "@@frames" { frames = 1; next }
        # addr2line -a: "0xADDR: function at file:line", then " (inlined by) ..." lines.
        !frames {
            if ($0 ~ /^0x/) { cur = $1; sub(/:$/, "", cur); n[cur] = 0; sub(/^0x[0-9a-f]*: /, "") }
            else if (cur != "") sub(/^ *\(inlined by\) /, "")
            else next
            sub(/ at /, " ")
            if (!sub(/ [^ ]*\/ref\//, " ref/") && !sub(/ [^ ]*\/tools\//, " tools/"))
                sub(/ [^ ]*\/suites\//, " suites/")
            line[cur, n[cur]++] = $0
            next
        }
        $1 != "at" { next }
        $2 == p {
            h = substr($3, 3)
            while (length(h) < 16) h = "0" h
            key = "0x" h
            if (key in n) { for (i = 0; i < n[key]; i++) print line[key, i] }
            else print "?? " $3
            next
        }
        { o = $2; sub(/.*\//, "", o); print $4, o "+" $3 }'
}

# Allocation, disk and libc plumbing, the same at every site: left out of a place (and
# every frame in libc).
FAULT_PLUMBING='^(pvb_alloc|pvb_zalloc|pvb_calloc|pvb_realloc|pvb_strndup|raw_pread|pvb_disk_pread|disk_pread|pvb_mkstemp|write_all|fd_sink|\?\?|-|__libc_start_main|__libc_start_call_main|_start|main|raise|abort|__libc_message|malloc_printerr|_int_free|free|__libc_free|gsignal|pthread_kill|__pthread_kill_implementation|__restore_rt)( |$)'

fault_place() {  # FILE [DEPTH]
    fault_places "${2:-3}" "$1" | cut -f2
}

# fault_places DEPTH FILE...: "FILE<tab>PLACE" for each kept stack, with one addr2line for
# all of them (a sweep names hundreds of places).
fault_places() {
    fdepth=$1
    shift
    [ $# -gt 0 ] || return 0
    fprog=$(awk '$1 == "at" && $2 ~ /(^|\/)pvboot$/ { print $2; exit }' "$@")
    {
        if [ -n "$fprog" ]; then
            awk -v p="$fprog" '$1 == "at" && $2 == p { print $3 }' "$@" | sort -u |
                xargs addr2line -e "$fprog" -a -f -i -p 2>/dev/null
        fi
        echo "@@frames"
        awk '{ print FILENAME "\t" $0 }' "$@"
        echo "@@end"
    } | awk -F '\t' -v p="$fprog" -v depth="$fdepth" -v plumbing="$FAULT_PLUMBING" '
        function place(f,    i, n, out, pick) {
            # After a fault that did not kill, the place is where the failure was given up
            # on: the first frames in the config, boot and command layers, above the
            # filesystem and disk code that merely passed the error up. A crash is placed
            # where it crashed.
            pick = 0
            if (f !~ /\.signal$/)
                for (i = 0; i < nf; i++) if (fr[i] ~ / ref\/(cfg|boot|cli)\//) { pick = 1; break }
            out = ""; n = 0
            for (i = 0; i < nf && n < depth; i++) {
                if (pick && fr[i] !~ / ref\/(cfg|boot|cli)\//) continue
                if (fr[i] ~ plumbing || fr[i] ~ / libc\.so/) continue
                split(fr[i], w, " ")
                out = out (n++ ? " < " : "") w[1]
            }
            print f "\t" (out == "" ? "?" : out)
        }
        $0 == "@@frames" { frames = 1; next }
        !frames {
            if ($0 ~ /^0x/) { cur = $0; sub(/:.*/, "", cur); sub(/^0x[0-9a-f]*: /, "") }
            else if (cur != "") sub(/^ *\(inlined by\) /, "")
            else next
            sub(/ at /, " ")
            if (!sub(/ [^ ]*\/ref\//, " ref/") && !sub(/ [^ ]*\/tools\//, " tools/"))
                sub(/ [^ ]*\/suites\//, " suites/")
            sym[cur, nsym[cur]++] = $0
            next
        }
        $1 != file { if (file != "") place(file); file = $1; nf = 0 }
        $0 == "@@end" { next }
        {
            split($2, a, " ")
            if (a[1] != "at") next
            if (a[2] == p) {
                h = substr(a[3], 3)
                while (length(h) < 16) h = "0" h
                key = "0x" h
                if (key in nsym) { for (i = 0; i < nsym[key]; i++) fr[nf++] = sym[key, i] }
                else fr[nf++] = "?? " a[3]
            } else {
                o = a[2]; sub(/.*\//, "", o)
                fr[nf++] = a[4] " " o "+" a[3]
            }
        }'
}

# libfiu's random failures (suites/fault/fiu.test, replay --fiu): I/O, open and allocation
# failure points of its POSIX preload library, at rates that give a run one or two faults.
# close and unlink are left out: a failed unlink leaves a file that no program could remove.
FAULT_FIU_ENABLE="
enable_random name=posix/io/rw/*,probability=0.01
enable_random name=posix/io/oc/open,probability=0.05
enable_random name=libc/mm/*,probability=0.002"

# fault_fiu_preload: the LD_PRELOAD that fiu-run -x sets (its dry run shows it), or nothing.
fault_fiu_preload() {
    fiu-run -n -x -f '' true 2>/dev/null | sed -n 's/^LD_PRELOAD="\(.*\)" *\\*$/\1/p' | tr -s ' '
}
