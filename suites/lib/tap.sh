# SPDX-License-Identifier: GPL-2.0-only
# TAP helpers for script suites (POSIX sh). Source it; call tap_done at the end.
#   tap_ok NAME             one passing test
#   tap_fail NAME [DETAIL]  one failing test, with detail lines as comments
#   tap_is NAME GOT WANT    pass when the strings are equal, else show both
#   tap_skip NAME WHY       a skipped test
#   tap_need CMD...         exit 77 (suite skipped) unless every command exists
tap_n=0
tap_failed=0

tap_ok() {
    tap_n=$((tap_n + 1))
    printf "ok %d - %s\n" "$tap_n" "$1"
}

tap_fail() {
    tap_n=$((tap_n + 1))
    tap_failed=$((tap_failed + 1))
    printf "not ok %d - %s\n" "$tap_n" "$1"
    shift
    [ $# -gt 0 ] && printf '%s\n' "$@" | sed 's/^/# /'
    return 0
}

tap_is() {
    if [ "$2" = "$3" ]; then
        tap_ok "$1"
    else
        tap_fail "$1" "got:" "$2" "want:" "$3"
    fi
}

tap_skip() {
    tap_n=$((tap_n + 1))
    echo "ok $tap_n # SKIP $1: $2"
}

tap_need() {
    for c in "$@"; do
        if ! command -v "$c" >/dev/null 2>&1; then
            echo "needs $c (ci/install-deps installs it)" >&2
            exit 77
        fi
    done
}

tap_done() {
    echo "1..$tap_n"
    [ "$tap_failed" -eq 0 ]
}
