#!/bin/sh
# resolve.sh EVAL.tsv DATA_DIR [tune|holdout|holdout2|holdout3|holdout4|holdout5|all]
#
# Prints the labelled evaluation set as "text<TAB>types" lines, after a
# "#text<TAB>types" header. Rows whose source is "written" carry their text in
# EVAL.tsv; every other row names a public corpus file and a 1-based physical
# line number, and its text is read from DATA_DIR (normally ../shared/data).
# Only POSIX sh and awk are used (no python on CI machines).
#
# Exit status: 0 ok, 1 a referenced file or line is missing or malformed,
# 2 usage error.

usage() {
    echo "usage: resolve.sh EVAL.tsv DATA_DIR [tune|holdout|holdout2|holdout3|holdout4|holdout5|all]" >&2
    exit 2
}

[ $# -ge 2 ] && [ $# -le 3 ] || usage
eval_file=$1
data_dir=$2
split=${3:-all}
case $split in
    tune|holdout|holdout2|holdout3|holdout4|holdout5|all) ;;
    *) usage ;;
esac
if [ ! -r "$eval_file" ]; then
    echo "resolve.sh: cannot read $eval_file" >&2
    exit 1
fi
if [ ! -d "$data_dir" ]; then
    echo "resolve.sh: data directory $data_dir not found" >&2
    exit 1
fi

exec awk -F '\t' -v data_dir="$data_dir" -v want="$split" -v evalname="$eval_file" '
function die(msg) {
    print "resolve.sh: " msg > "/dev/stderr"
    failed = 1
    exit 1
}

# Field k (1-based) of one RFC 4180 CSV record held in s: surrounding quotes
# removed, doubled quotes inside a quoted field turned into one.
function csvfield(s, k,    i, n, c, f, inq, out) {
    f = 1; out = ""; inq = 0; n = length(s); i = 1
    while (i <= n) {
        c = substr(s, i, 1)
        if (inq) {
            if (c == "\"") {
                if (substr(s, i + 1, 1) == "\"") {
                    if (f == k) out = out "\""
                    i += 2
                    continue
                }
                inq = 0
            } else if (f == k) {
                out = out c
            }
            i++
            continue
        }
        if (c == "\"") {
            inq = 1
        } else if (c == ",") {
            f++
            if (f > k) break
        } else if (f == k) {
            out = out c
        }
        i++
    }
    if (f < k) return "\001missing"
    return out
}

function stripbom(s) {
    if (substr(s, 1, 3) == "\357\273\277") return substr(s, 4)
    return s
}

function corpusfile(c) {
    if (c == "online_shopping_10_cats") return "online_shopping_10_cats/online_shopping_10_cats.csv"
    if (c == "goods_zh") return "jd_goods_zh_reviews/goods_zh.txt"
    if (c == "waimai") return "waimai_10k/waimai_10k.csv"
    if (c == "jddc") return "jddc2019_chat_sample/chat_0.1per.txt"
    if (c == "csds") return "csds_jd_summaries/user_gold_refs.txt"
    return ""
}

# The text of physical line ln (already read) of corpus c, as labelled.
function extract(c, ln, where,    t, p, nf, parts) {
    sub(/\r$/, "", ln)
    if (c == "online_shopping_10_cats") {
        t = csvfield(ln, 3)
        if (t == "\001missing") die(where ": no review field (3rd CSV field)")
        t = stripbom(t)
    } else if (c == "waimai") {
        t = csvfield(ln, 2)
        if (t == "\001missing") die(where ": no review field (2nd CSV field)")
        t = stripbom(t)
    } else if (c == "goods_zh") {
        p = index(ln, ",,")
        if (p == 0) die(where ": no \",,\" separator")
        t = substr(ln, 1, p - 1)
    } else if (c == "jddc") {
        nf = split(ln, parts, "\t")
        if (nf != 7) die(where ": expected 7 tab-separated fields, found " nf)
        if (parts[3] != "0") die(where ": not a customer turn (sender " parts[3] ")")
        t = parts[7]
    } else {
        t = ln
    }
    gsub(/\t/, " ", t)
    return t
}

NR == 1 {
    if ($1 != "id") die(evalname ":1: expected a header line starting with \"id\"")
    next
}
$0 == "" { next }
{
    sub(/\r$/, "")
    if (NF < 4) die(evalname ":" NR ": expected 5 tab-separated fields, found " NF)
    if ($2 != "tune" && $2 != "holdout" && $2 != "holdout2" && $2 != "holdout3" && $2 != "holdout4" && $2 != "holdout5") die(evalname ":" NR ": bad split \"" $2 "\"")
    n++
    row_split[n] = $2; row_src[n] = $3; row_types[n] = $4; row_text[n] = $5
    row_where[n] = evalname ":" NR
    if ($3 == "written") next
    c = $3; sub(/:.*/, "", c)
    l = $3; sub(/^[^:]*:/, "", l)
    if (corpusfile(c) == "" || l !~ /^[1-9][0-9]*$/ || index($3, ":") == 0)
        die(evalname ":" NR ": bad source \"" $3 "\" (want CORPUS:LINE or written)")
    need[c, l] = 1
    if (!(c in maxline) || l + 0 > maxline[c]) maxline[c] = l + 0
}
END {
    if (failed) exit 1
    for (c in maxline) {
        f = data_dir "/" corpusfile(c)
        k = 0
        while (k < maxline[c]) {
            r = (getline ln < f)
            if (r < 0) die("cannot read " f)
            if (r == 0) break
            k++
            if ((c, k) in need) got[c, k] = ln
        }
        close(f)
    }
    for (i = 1; i <= n; i++) {
        if (row_src[i] == "written") {
            t = row_text[i]
            gsub(/\t/, " ", t)
        } else {
            c = row_src[i]; sub(/:.*/, "", c)
            l = row_src[i]; sub(/^[^:]*:/, "", l)
            if (!((c, l) in got))
                die(row_where[i] ": line " l " does not exist in " data_dir "/" corpusfile(c))
            t = extract(c, got[c, l], data_dir "/" corpusfile(c) ":" l)
        }
        if (t == "") die(row_where[i] ": empty text")
        out[i] = t
    }
    # Print only once every row has resolved, so a failure leaves no partial set.
    print "#text\ttypes"
    for (i = 1; i <= n; i++)
        if (want == "all" || want == row_split[i]) print out[i] "\t" row_types[i]
}
' "$eval_file"
