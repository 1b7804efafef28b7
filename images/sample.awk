# SPDX-License-Identifier: GPL-2.0-only
# sample.awk: the corpus's check sample, the cases `make check` builds and runs (the whole
# corpus is `make corpus`, which `make report` and `make check CHECK_CORPUS=all` use).
#
# usage: awk -f images/sample.awk PINS LIST > SAMPLE
# LIST is every case name of the corpus (GROUP/NAME, one a line, as images/mkcorpus
# lists them), PINS names cases the sample always holds (the suites that name cases).
# Prints the sample's names in LIST's order.
#
# What a sample must keep is what a case says that no other case says:
#   - every hand-written image case (each is its own layout and expectation), every hostile
#     case (a hostile image is where a regression costs most) and cfg-hostile;
#   - every third config case of each cfg- group, in C order (the config cases' rules are
#     checked one by one without an image, by suites/configs; the image adds only ext2);
#   - of the variants (NAME--TABLE--FS--FORMAT, each a base case's expectation on
#     another table, filesystem and format): a greedy cover, in LIST's order, of every
#     base case, every (table, fs), (table, format) and (fs, format) pair of the matrix,
#     so every filesystem variant still meets every table and every format;
#   - the pinned cases.

FNR == NR {
    if ($0 !~ /^[ \t]*(#|$)/) pin[$1] = 1
    next
}

{
    name = $0
    names[++n] = name
    grp = name
    sub(/\/.*/, "", grp)
    if (name in pin) { keep[n] = 1; next }
    if (index(name, "--") == 0) {
        if (grp !~ /^cfg-/ || grp == "cfg-hostile") keep[n] = 1
        else if (ncfg[grp]++ % 3 == 0) keep[n] = 1
        next
    }
    # A variant: BASE--TABLE--FS--FORMAT.
    split(name, w, "--")
    nv++
    vidx[nv] = n
    need[nv, 1] = "base " w[1]
    need[nv, 2] = "tf " w[2] " " w[3]
    need[nv, 3] = "tm " w[2] " " w[4]
    need[nv, 4] = "fm " w[3] " " w[4]
    for (k = 1; k <= 4; k++) wanted[need[nv, k]] = 1
}

END {
    # Greedy: take the variant that covers the most needs not yet covered (the first such
    # in LIST's order), until every need is covered. A pinned variant covers its needs first.
    for (v = 1; v <= nv; v++)
        if (keep[vidx[v]])
            for (k = 1; k <= 4; k++) delete wanted[need[v, k]]
    for (;;) {
        best = 0
        bestn = 0
        for (v = 1; v <= nv; v++) {
            if (keep[vidx[v]]) continue
            c = 0
            for (k = 1; k <= 4; k++) if (need[v, k] in wanted) c++
            if (c > bestn) { bestn = c; best = v }
        }
        if (bestn == 0) break
        keep[vidx[best]] = 1
        for (k = 1; k <= 4; k++) delete wanted[need[best, k]]
    }
    for (i = 1; i <= n; i++)
        if (keep[i]) print names[i]
}
