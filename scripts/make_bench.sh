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
OUT=benches/data
mkdir -p "$OUT"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
for copies in 9 12; do
    for _ in $(seq "$copies"); do
        cat corpus/$STEM-selfeval.txt
        printf '\n\n'
    done > "$TMP/long$copies.txt"
    python3 scripts/corpus/render.py "$TMP/long$copies.txt" "$TMP/build$copies" >/dev/null
done

echo "== LibreOffice"
cp "$TMP/build9/$STEM.docx" "$TMP/long-libreoffice.docx"
soffice -env:UserInstallation="file://$TMP/lo-profile" --headless --norestore \
    --convert-to pdf:writer_pdf_Export --outdir "$TMP" "$TMP/long-libreoffice.docx" >/dev/null
cp "$TMP/long-libreoffice.pdf" "$OUT/long-libreoffice.pdf"

chromium_pdf() { # html out
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$(mktemp -d -p "$TMP")" --no-pdf-header-footer \
        --print-to-pdf="$2" "file://$1" >/dev/null 2>&1
}
echo "== Chromium"
chromium_pdf "$TMP/build12/$STEM-wqy.html" "$OUT/long-chromium-wqy.pdf"
chromium_pdf "$TMP/build12/$STEM-noto.html" "$TMP/noto.pdf"
qpdf --deterministic-id --object-streams=generate --recompress-flate --compression-level=9 \
    "$TMP/noto.pdf" "$OUT/long-chromium-noto.pdf"

echo "== XeLaTeX"
cp "$TMP/build12/$STEM.tex" "$TMP/long-xelatex.tex"
(cd "$TMP" && for _ in 1 2; do
    xelatex -interaction=nonstopmode -halt-on-error long-xelatex.tex >/dev/null \
        || { tail -40 long-xelatex.log; exit 1; }
done)
cp "$TMP/long-xelatex.pdf" "$OUT/long-xelatex.pdf"

for f in "$OUT"/*.pdf; do
    printf '%-36s %9d bytes %4s pages\n' "$f" "$(stat -c %s "$f")" \
        "$(pdfinfo "$f" | awk '/^Pages:/{print $2}')"
done
