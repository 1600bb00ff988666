#!/usr/bin/env bash
# Build fixtures/budget/: the 科目 tables of a 部门决算, consistent and with
# planted errors (scripts/budget/make_tables.py holds the data and the
# errors), rendered by LibreOffice as a department's Word file would be,
# for tests/budget.rs.
#
#   final-consistent-libreoffice.pdf   every 类/款 the sum of its 款/项
#   final-planted-libreoffice.pdf      one error in each of the three tables
#   budget-consistent-libreoffice.pdf  a 部门预算: tables that agree with each other
#   budget-planted-libreoffice.pdf     two tables that do not, a narrative slip
#   budget-planted-split-libreoffice.pdf  the same, its 科目编码 over 类 | 款 | 项
#   budget-planted-yuan-libreoffice.pdf   the same, its 科目 tables in 元
#
# Needs libreoffice-writer-nogui, python3-docx, fonts-noto-cjk.
# usage: bash scripts/make_budget.sh      (re-runnable; overwrites)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$ROOT/fixtures/budget"
export SOURCE_DATE_EPOCH=1709254800 TZ=UTC LC_ALL=C.UTF-8
export PATH="/usr/bin:$PATH"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
# shellcheck source=scripts/producers.sh
source "$ROOT/scripts/producers.sh"

python3 "$ROOT/scripts/budget/make_tables.py" "$SRC"
for doc in final budget; do
    for v in consistent planted planted-split planted-yuan; do
        [[ -f "$SRC/$doc-$v.md" ]] || continue
        python3 "$ROOT/scripts/kinds/render.py" "$SRC/$doc-$v.md" "$TMP/$doc-$v.docx"
        soffice_pdf "$TMP/$doc-$v.docx" "$TMP"
        cp "$TMP/$doc-$v.pdf" "$SRC/$doc-$v-libreoffice.pdf"
    done
done
ls -l "$SRC"/*.pdf
