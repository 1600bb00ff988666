#!/usr/bin/env bash
# Rebuild the PDFs of fixtures/phrasing/: phrasing fixtures rendered by
# LibreOffice on narrow pages, so that lines wrap inside numbers and between
# a number and its unit. tests/phrasing.rs audits them.
#
# Needs: libreoffice-writer, python3-docx, fonts-noto-cjk
#
# usage: bash scripts/make_phrasing_pdfs.sh      (re-runnable; overwrites)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export SOURCE_DATE_EPOCH=1709254800
export TZ=UTC
export LC_ALL=C.UTF-8

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# name of the PDF, source fixture, page width in cm
while read -r name source width; do
    python3 scripts/fixtures/phrasing_docx.py "fixtures/phrasing/$source.txt" "$TMP/$name.docx" "$width"
    soffice --headless --convert-to pdf --outdir "$TMP" "$TMP/$name.docx" >/dev/null
    cp "$TMP/$name.pdf" "fixtures/phrasing/$name.pdf"
done <<'LIST'
numbers-wrapped-10cm numbers 10.7
numbers-wrapped-11cm numbers 11.3
lists-wrapped-11cm lists 11.3
LIST
