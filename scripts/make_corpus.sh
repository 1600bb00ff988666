#!/usr/bin/env bash
# Rebuild corpus/*.pdf and fixtures/batch/* from corpus/guangzhou-archives-2023-selfeval.txt.
#
# Needs (Debian 12): python3 python3-pip libreoffice-writer-nogui chromium
#   texlive-xetex texlive-lang-chinese fonts-noto-cjk fonts-wqy-zenhei
#   qpdf poppler-utils
# and python-docx (installed with pip if missing).
#
# usage: bash scripts/make_corpus.sh [libreoffice|chromium|xelatex|fixtures]...
#        (no argument: everything)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SEED_SHARED=/work/shared/seed/guangzhou-archives-2023-selfeval.txt
SEED=corpus/guangzhou-archives-2023-selfeval.txt
BUILD=""  # set below, after TMP
STEM=guangzhou-archives-2023

export SOURCE_DATE_EPOCH=1709254800   # 2024-03-01 01:00:00 UTC
export TZ=UTC
export LC_ALL=C.UTF-8

mkdir -p corpus fixtures/batch
if [[ ! -f "$SEED" ]]; then
    cp "$SEED_SHARED" "$SEED"
fi

if ! python3 -c 'import docx' 2>/dev/null; then
    pip install --quiet python-docx || pip install --quiet --break-system-packages python-docx
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
# intermediates (docx, html, tex, blocks.txt with the rebuilt paragraphs);
# set CORPUS_BUILD_DIR to keep them for inspection
BUILD="${CORPUS_BUILD_DIR:-$TMP/build}"
mkdir -p "$BUILD"
BUILD="$(cd "$BUILD" && pwd)"

steps=("$@")
[[ ${#steps[@]} -eq 0 ]] && steps=(libreoffice chromium xelatex fixtures)
want() { local s; for s in "${steps[@]}"; do [[ $s == "$1" ]] && return 0; done; return 1; }

python3 scripts/corpus/render.py "$SEED" "$BUILD"

# The PDFs are kept as the producers wrote them (their own xref layout,
# dates and /ID), except the Noto/Chromium one: its ~190 Type 3 fonts with one
# object per glyph make it ~830 KB, so qpdf packs its objects into object
# streams (PDF 1.5 xref streams, as many real-world PDFs have); fonts, content
# streams and text are untouched.
keep_pdf() { cp "$1" "$2"; }
. scripts/producers.sh

if want libreoffice; then
    echo "== LibreOffice"
    cp "$BUILD/$STEM.docx" "$TMP/$STEM-libreoffice.docx"
    soffice_pdf "$TMP/$STEM-libreoffice.docx" "$TMP"
    keep_pdf "$TMP/$STEM-libreoffice.pdf" "corpus/$STEM-libreoffice.pdf"
    cp "$BUILD/$STEM.docx" "corpus/$STEM-libreoffice.docx"
fi

if want chromium; then
    echo "== Chromium"
    chromium_pdf "$BUILD/$STEM-wqy.html" "$TMP/wqy.pdf"
    keep_pdf "$TMP/wqy.pdf" "corpus/$STEM-chromium-wqy.pdf"
    chromium_pdf "$BUILD/$STEM-noto.html" "$TMP/noto.pdf"
    pack_pdf "$TMP/noto.pdf" "corpus/$STEM-chromium-noto.pdf"
fi

if want xelatex; then
    echo "== XeLaTeX"
    cp "$BUILD/$STEM.tex" "$TMP/$STEM-xelatex.tex"
    xelatex_pdf "$TMP/$STEM-xelatex.tex"
    keep_pdf "$TMP/$STEM-xelatex.pdf" "corpus/$STEM-xelatex.pdf"
fi

if want fixtures; then
    echo "== fixtures/batch"
    cp "corpus/$STEM-libreoffice.pdf" fixtures/batch/good.pdf
    : > fixtures/batch/empty.pdf
    cat > fixtures/batch/page.pdf <<'EOF'
<!DOCTYPE html>
<html>
<head><title>404 Not Found</title></head>
<body>
<center><h1>404 Not Found</h1></center>
<hr><center>nginx</center>
</body>
</html>
EOF
fi

# check: every rebuilt paragraph is in each PDF's text, and where the key
# sentences land (recorded in corpus/README.md)
python3 scripts/corpus/locate.py --blocks "$BUILD/blocks.txt" corpus/*.pdf

for f in corpus/*.pdf; do
    printf '%-48s %8d bytes %3s pages\n' "$f" "$(stat -c %s "$f")" \
        "$(pdfinfo "$f" | awk '/^Pages:/{print $2}')"
done
