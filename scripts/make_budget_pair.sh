#!/usr/bin/env bash
# Build fixtures/budget-pair/: a 部门预算 published as two files — the
# narrative from Word (python3-docx, LibreOffice Writer) and the tables
# from Excel (openpyxl, LibreOffice Calc, one sheet per table) — in a
# consistent year (2025) and a year whose narrative misstates five figures
# that only the other file shows (2026). scripts/budget/make_pair.py holds
# the text and the planted errors; tests/budget.rs reads the PDFs.
#
# Needs libreoffice-writer-nogui, libreoffice-calc-nogui, python3-docx,
# python3-openpyxl, fonts-noto-cjk.
# usage: bash scripts/make_budget_pair.sh      (re-runnable; overwrites)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/fixtures/budget-pair"
export SOURCE_DATE_EPOCH=1709254800 TZ=UTC LC_ALL=C.UTF-8
export PATH="/usr/bin:$PATH"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
# shellcheck source=scripts/producers.sh
source "$ROOT/scripts/producers.sh"

mkdir -p "$OUT"
(cd "$ROOT/scripts/budget" && python3 make_pair.py "$TMP")
for year in 2025 2026; do
    v=$([[ $year == 2025 ]] && echo consistent || echo planted)
    python3 "$ROOT/scripts/kinds/render.py" "$TMP/budget-$year-narrative-$v.md" "$TMP/budget-$year-narrative-$v.docx"
    soffice_pdf "$TMP/budget-$year-narrative-$v.docx" "$TMP"
    cp "$TMP/budget-$year-narrative-$v.pdf" "$OUT/budget-$year-narrative-$v-libreoffice.pdf"
    soffice -env:UserInstallation="file://$TMP/lo-profile" --headless --norestore \
        --convert-to pdf:calc_pdf_Export --outdir "$TMP" "$TMP/budget-$year-tables-$v.xlsx" >/dev/null
    cp "$TMP/budget-$year-tables-$v.pdf" "$OUT/budget-$year-tables-$v-libreoffice-calc.pdf"
done
ls -l "$OUT"/*.pdf
