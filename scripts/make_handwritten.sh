#!/usr/bin/env bash
# Rebuild fixtures/handwritten/NAME.pdf from the hand-written sources
# fixtures/handwritten/src/NAME.md, each through the producer its front
# matter names (LibreOffice from a python-docx .docx, Chromium from HTML,
# XeLaTeX), then check every label's quote against the PDF's pages
# (scripts/handwritten/pages.py; --write-pages to record the pages found).
#
# Needs (Debian 12): python3 python-docx libreoffice-writer-nogui chromium
#   texlive-xetex texlive-lang-chinese texlive-latex-extra fonts-noto-cjk
#   fonts-wqy-zenhei qpdf poppler-utils
#
# usage: bash scripts/make_handwritten.sh [--write-pages] [NAME...]
#        (no NAME: every source)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

export SOURCE_DATE_EPOCH=1710493200   # 2024-03-15 09:00:00 UTC
export TZ=UTC
export LC_ALL=C.UTF-8

write_pages=()
if [[ ${1:-} == --write-pages ]]; then write_pages=(--write); shift; fi

DIR=fixtures/handwritten
names=("$@")
if [[ ${#names[@]} -eq 0 ]]; then
    for f in "$DIR"/src/*.md; do names+=("$(basename "$f" .md)"); done
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

chromium_pdf() { # html out
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$(mktemp -d -p "$TMP")" --no-pdf-header-footer \
        --print-to-pdf="$2" "file://$1" >/dev/null 2>&1
}

for name in "${names[@]}"; do
    src="$DIR/src/$name.md"
    prod="$(python3 scripts/handwritten/render.py "$src" "$TMP")"
    echo "== $name ($prod)"
    case "$prod" in
    libreoffice)
        soffice -env:UserInstallation="file://$TMP/lo-profile" --headless --norestore \
            --convert-to pdf:writer_pdf_Export --outdir "$TMP" "$TMP/$name.docx" >/dev/null
        cp "$TMP/$name.pdf" "$DIR/$name.pdf"
        ;;
    chromium-wqy)
        chromium_pdf "$TMP/$name.html" "$TMP/$name.pdf"
        cp "$TMP/$name.pdf" "$DIR/$name.pdf"
        ;;
    chromium-noto)
        # Noto through Skia is one Type 3 font object per glyph: packed into
        # object streams, as corpus/ does (text and fonts untouched)
        chromium_pdf "$TMP/$name.html" "$TMP/$name.pdf"
        qpdf --deterministic-id --object-streams=generate --recompress-flate \
            --compression-level=9 "$TMP/$name.pdf" "$DIR/$name.pdf"
        ;;
    xelatex)
        (cd "$TMP" && for _ in 1 2; do
            xelatex -interaction=nonstopmode -halt-on-error "$name.tex" >/dev/null \
                || { tail -40 "$name.log"; exit 1; }
        done)
        if grep -q "Missing character" "$TMP/$name.log"; then
            grep "Missing character" "$TMP/$name.log" >&2
            exit 1
        fi
        cp "$TMP/$name.pdf" "$DIR/$name.pdf"
        ;;
    esac
    printf '%-40s %8d bytes %3s pages\n' "$DIR/$name.pdf" "$(stat -c %s "$DIR/$name.pdf")" \
        "$(pdfinfo "$DIR/$name.pdf" | awk '/^Pages:/{print $2}')"
    if [[ -f "$DIR/$name.labels.json" ]]; then
        python3 scripts/handwritten/pages.py "${write_pages[@]}" "$DIR/$name.labels.json"
    fi
done
