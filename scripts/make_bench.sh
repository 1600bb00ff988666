#!/usr/bin/env bash
# Rebuild benches/data/*.pdf: long reports for `cargo bench --bench
# throughput -- benches/data`, one per producer. Each is the seed report
# (corpus/guangzhou-archives-2023-selfeval.txt) nine times over, rendered the
# way scripts/make_corpus.sh renders the seed: about 90 pages each (9 copies
# for LibreOffice, whose pages hold less, 12 for the others), the length of
# a real bureau's combined report, from the same fonts and layout.
#
# Needs what scripts/make_corpus.sh needs (LibreOffice, Chromium, XeLaTeX,
# Noto CJK and WenQuanYi fonts, qpdf, poppler-utils, python-docx).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export SOURCE_DATE_EPOCH=1709254800
export TZ=UTC
export LC_ALL=C.UTF-8
STEM=guangzhou-archives-2023
OUT="${OUT:-benches/data}"
mkdir -p "$OUT"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
. scripts/producers.sh
for copies in 9 12; do
    for _ in $(seq "$copies"); do
        cat corpus/$STEM-selfeval.txt
        printf '\n\n'
    done > "$TMP/long$copies.txt"
    python3 scripts/corpus/render.py "$TMP/long$copies.txt" "$TMP/build$copies" >/dev/null
done

echo "== LibreOffice"
cp "$TMP/build9/$STEM.docx" "$TMP/long-libreoffice.docx"
soffice_pdf "$TMP/long-libreoffice.docx" "$TMP"
cp "$TMP/long-libreoffice.pdf" "$OUT/long-libreoffice.pdf"

echo "== Chromium"
chromium_pdf "$TMP/build12/$STEM-wqy.html" "$OUT/long-chromium-wqy.pdf"
chromium_pdf "$TMP/build12/$STEM-noto.html" "$TMP/noto.pdf"
pack_pdf "$TMP/noto.pdf" "$OUT/long-chromium-noto.pdf"

echo "== XeLaTeX"
cp "$TMP/build12/$STEM.tex" "$TMP/long-xelatex.tex"
xelatex_pdf "$TMP/long-xelatex.tex"
cp "$TMP/long-xelatex.pdf" "$OUT/long-xelatex.pdf"

for f in "$OUT"/*.pdf; do
    printf '%-36s %9d bytes %4s pages\n' "$f" "$(stat -c %s "$f")" \
        "$(pdfinfo "$f" | awk '/^Pages:/{print $2}')"
done
