#!/usr/bin/env bash
# Rebuild tests/oracle/: what poppler's pdftotext reads from every PDF in
# corpus/ and fixtures/, for tests/pdftext.rs, which compares the Han
# characters of jixiao's own text layer (src/pdftext/) with them. CI has
# only the Rust toolchain, so the outputs are committed.
#
# For each PDF (path relative to the repository, `/` written as `__`):
#   tests/oracle/<name>.pdftotext.txt   `pdftotext -enc UTF-8 <pdf> -`
# and tests/oracle/MANIFEST, one line per PDF:
#   <ok|failed>  <path>
# `failed` means pdftotext could not read it (not a PDF, encrypted with a
# user password, truncated beyond repair); no text file is written then.
# The test fails on a PDF the manifest does not list: rerun this script
# when a PDF is added to corpus/ or fixtures/.
#
# Needs poppler-utils (Debian 12: 22.12) with poppler-data (for the
# predefined Chinese CMaps such as UniGB-UCS2-H).
#
# usage: bash scripts/make_oracle.sh     (re-runnable; overwrites)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export LC_ALL=C.UTF-8

command -v pdftotext >/dev/null || { echo "make_oracle: pdftotext is not installed (apt-get install poppler-utils poppler-data)" >&2; exit 1; }

OUT=tests/oracle
mkdir -p "$OUT"
rm -f "$OUT"/*.pdftotext.txt
manifest="$OUT/MANIFEST.tmp"
: > "$manifest"

while IFS= read -r -d '' pdf; do
    rel="${pdf#./}"
    name="${rel//\//__}"
    name="${name%.pdf}"
    if pdftotext -q -layout -enc UTF-8 "$rel" "$OUT/$name.pdftotext.txt" 2>/dev/null; then
        printf 'ok  %s\n' "$rel" >> "$manifest"
    else
        rm -f "$OUT/$name.pdftotext.txt"
        printf 'failed  %s\n' "$rel" >> "$manifest"
    fi
done < <(find ./corpus ./fixtures -type f -iname '*.pdf' -print0 | LC_ALL=C sort -z)

mv "$manifest" "$OUT/MANIFEST"
echo "make_oracle: $(grep -c '^ok ' "$OUT/MANIFEST") read, $(grep -c '^failed ' "$OUT/MANIFEST") unreadable by pdftotext ($(pdftotext -v 2>&1 | head -1))"
