#!/usr/bin/env bash
# Build fixtures/metamorphic/: one report content in several layouts, for
# tests/metamorphic.rs (issue 12: the same content gives the same findings
# whatever the template's layout).
#
#   project-LAYOUT-libreoffice.pdf   the project report of project.md,
#       project-form.md and project-indicators.tsv, its indicator table laid
#       out as scripts/metamorphic/layouts.py says (levels, mixed,
#       points-in-name, page-break)
#   budget-department-libreoffice.pdf  a 部门整体 form whose budget table
#       has 分值（10分） and 得分计算方法 columns (budget-department.md), with
#       budget-department-{pipes,lines}.txt, its text as a web page gives it
#       (scripts/metamorphic/budget_layouts.py)
#   budget-project-libreoffice.pdf  a project form whose budget table's
#       total row was left at zero (budget-project.md), with
#       budget-project-{lines,flat}.txt
#   department-ORDER-libreoffice.pdf a 部门整体 report in prose,
#       department-ORDER.md: base; paragraphs (the sections of its indicator
#       analysis, and the paragraphs of its spending, in another order);
#       sentences (those, and the sentences inside each paragraph too)
#
# Rendered by scripts/kinds/render.py (python3-docx) and LibreOffice with
# Noto Serif CJK SC. Needs libreoffice-writer-nogui, python3-docx,
# fonts-noto-cjk.
# usage: bash scripts/make_metamorphic.sh      (re-runnable; overwrites)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$ROOT/fixtures/metamorphic"
export SOURCE_DATE_EPOCH=1709254800 TZ=UTC LC_ALL=C.UTF-8
# Debian's python3, which has python3-docx (not another python3 on PATH).
export PATH="/usr/bin:$PATH"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
# shellcheck source=scripts/producers.sh
source "$ROOT/scripts/producers.sh"

render() { # SRC.md NAME
    python3 "$ROOT/scripts/kinds/render.py" "$1" "$TMP/$2.docx"
    soffice_pdf "$TMP/$2.docx" "$TMP"
    cp "$TMP/$2.pdf" "$SRC/$2-libreoffice.pdf"
}

for layout in levels mixed points-in-name page-break; do
    python3 "$ROOT/scripts/metamorphic/layouts.py" "$layout" "$TMP/project-$layout.src.md"
    render "$TMP/project-$layout.src.md" "project-$layout"
done
for order in ${DEPARTMENT_ORDERS:-base paragraphs sentences}; do
    render "$SRC/department-$order.md" "department-$order"
done
# A 部门整体 form's budget table with a 分值（10分） column and a
# 得分计算方法 column, and its text as web pages give it.
render "$SRC/budget-department.md" "budget-department"
# A project form whose total row was left at zero.
render "$SRC/budget-project.md" "budget-project"
python3 "$ROOT/scripts/metamorphic/budget_layouts.py" "$SRC"
ls -l "$SRC"/*.pdf
