#!/usr/bin/env bash
# Build fixtures/tables/: small reports whose tables are ruled in the ways
# the text layer must tell apart (src/pdftext/layout/cells.rs), rendered by
# Chromium (WenQuanYi Zen Hei) and XeLaTeX (Noto Serif CJK SC) from the
# sources in scripts/tables/:
#   column-rules-only   lines between columns, none between rows: rows stay rows
#   three-line          三线表, no vertical lines: not cells
#   framed-note         a paragraph in a bordered box: lines stay lines
#   grid-wrapped        full grid, numbers wrapped in a narrow column: joined
# tests/tables.rs reads them. Needs chromium, fonts-wqy-zenhei,
# texlive-xetex, texlive-lang-chinese, fonts-noto-cjk.
# usage: bash scripts/make_tables.sh    (then bash scripts/make_oracle.sh)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$ROOT/scripts/tables"
OUT="$ROOT/fixtures/tables"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
# shellcheck source=scripts/producers.sh
source "$ROOT/scripts/producers.sh"
mkdir -p "$OUT"
for html in "$SRC"/*.html; do
    name="$(basename "$html" .html)"
    chromium_pdf "$html" "$OUT/$name-chromium.pdf"
done
cp "$SRC/column-rules-only.tex" "$TMP/"
xelatex_pdf "$TMP/column-rules-only.tex"
cp "$TMP/column-rules-only.pdf" "$OUT/column-rules-only-xelatex.pdf"
ls -l "$OUT"
