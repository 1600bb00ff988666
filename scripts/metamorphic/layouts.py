#!/usr/bin/env python3
"""Write one layout of the metamorphic project report as a source for
scripts/kinds/render.py (its dialect: `| a | b |` rows, `^` merged with the
cell above, `<` with the cell to the left, `|!` a header row repeated on
each page, `---page---` a page break).

The content is the same in every layout — fixtures/metamorphic/project.md
(the prose, with `%form` where the self-evaluation form goes),
project-form.md (the form's head: project, units, the budget execution
table, the annual goal) and project-indicators.tsv (the indicator tree,
with the 一级指标's own points and score) — only the indicator table is
laid out differently:

  levels          the form's own 一级/二级/三级指标 columns, 一级 and 二级
                  cells merged down their rows, under a 绩效指标 cell merged
                  down the whole table (the 2020 template)
  mixed           one 绩效指标 column for every level: a 一级指标 row with its
                  分值 and 得分, then its 二级指标 rows (分值 and 得分, the sums
                  of their rows), each followed by its 三级指标 rows
  points-in-name  a table of its own whose merged 一级指标 cells carry their
                  points (「产出指标（50分）」); the 二级指标 written on each row
  page-break      a table of its own with 一级/二级/三级 columns, 一级 and
                  二级 cells merged, starting under the form's head on the
                  first page, so that LibreOffice cuts it by a page break
                  inside the merged 一级/二级 cells and repeats its header
                  row on the next page

usage: layouts.py LAYOUT OUT.src.md
"""
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "fixtures" / "metamorphic"

# The form's columns (cm, A4 landscape): wide enough for each name on one
# line, so that the layouts differ in the table's structure only.
WIDTHS = "%widths 1.8 2.6 3.4 4.4 2.4 2.4 1.4 1.4 4.9"
HEADER_VALUES = ["年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]


def tree():
    """The indicator rows as (level, name, target, actual, points, score,
    deviation); a 二级指标's points and score are its rows' sums."""
    rows = []
    for line in (SRC / "project-indicators.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        level, name, target, actual, points, score, dev = (line.split("\t") + [""] * 7)[:7]
        rows.append([int(level), name, target, actual, points, score, dev])
    for i, r in enumerate(rows):
        if r[0] == 2:
            kids = []
            for k in rows[i + 1:]:
                if k[0] < 3:
                    break
                kids.append(k)
            r[4] = str(sum(Decimal(k[4]) for k in kids))
            r[5] = str(sum(Decimal(k[5]) for k in kids))
    return rows


def total(rows):
    """The 总分 row's figures: 100 points, and the score the report states
    (the 预算执行率's 9.54 and the 一级指标's stated scores)."""
    points = Decimal(10) + sum(Decimal(r[4]) for r in rows if r[0] == 1)
    score = Decimal("9.54") + sum(Decimal(r[5]) for r in rows if r[0] == 1)
    return str(points), str(score)


def row(cells):
    return "| " + " | ".join(cells) + " |"


def leaves(rows):
    """The 三级指标 rows with their 一级 and 二级指标 (name, points)."""
    l1 = l2 = None
    for r in rows:
        if r[0] == 1:
            l1 = r
        elif r[0] == 2:
            l2 = r
        else:
            yield l1, l2, r


def level_rows(rows, first_col, level1_name, merge_level2):
    """Rows of a table with 一级/二级/三级 columns. `first_col` is the
    绩效指标 column of the form (None for a table of its own)."""
    out = []
    prev1 = prev2 = None
    for l1, l2, r in leaves(rows):
        c1 = "^" if l1 is prev1 else level1_name(l1)
        c2 = "^" if (l2 is prev2 and merge_level2) else l2[1]
        cells = ([first_col] if first_col is not None else []) + [c1, c2] + [r[1], r[2], r[3], r[4], r[5], r[6]]
        out.append(row(cells))
        prev1, prev2 = l1, l2
    return out


def form_head():
    return (SRC / "project-form.md").read_text(encoding="utf-8").splitlines()


def levels_form(rows):
    """The 2020 form: 绩效指标 merged down the indicator rows."""
    pts, sc = total(rows)
    out = [WIDTHS]
    out += form_head()
    out.append("|! 绩效指标 | 一级指标 | 二级指标 | 三级指标 | " + " | ".join(HEADER_VALUES) + " |")
    body = level_rows(rows, "^", lambda l1: l1[1], merge_level2=True)
    out += body
    out.append(row(["总分", "<", "<", "<", "<", "<", pts, sc, "自评等级：优"]))
    return out


def head_only():
    return [WIDTHS] + form_head()


def mixed_table(rows):
    pts, sc = total(rows)
    out = ["表2 绩效指标完成情况", "%widths 6.2 3.2 3.2 1.8 1.8 8.5"]
    out.append("|! 绩效指标 | " + " | ".join(HEADER_VALUES) + " |")
    for r in rows:
        target, actual = (r[2], r[3]) if r[0] == 3 else ("", "")
        out.append(row([r[1], target, actual, r[4], r[5], r[6]]))
    out.append(row(["总分", "<", "<", pts, sc, "自评等级：优"]))
    return out


def level_table(rows, level1_name, merge_level2, widths):
    """A table of its own with 一级/二级/三级指标 columns."""
    pts, sc = total(rows)
    out = ["表2 绩效指标完成情况", "%widths " + widths]
    out.append("|! 一级指标 | 二级指标 | 三级指标 | " + " | ".join(HEADER_VALUES) + " |")
    out += level_rows(rows, None, level1_name, merge_level2)
    out.append(row(["总分", "<", "<", "<", "<", pts, sc, "自评等级：优"]))
    return out


def form_lines(layout, rows):
    """The lines that replace `%form`, and whether the form starts on a
    page of its own."""
    if layout == "levels":
        return ["---page---"] + levels_form(rows)
    if layout == "page-break":
        # A 偏差原因 column narrow enough to wrap its text onto a second
        # line: the page break falls inside the 社会效益指标 cell.
        widths = "3.6 3.8 4.8 3.0 3.0 1.6 1.6 3.3"
        return head_only() + level_table(rows, lambda l1: l1[1], True, widths)
    if layout == "mixed":
        return head_only() + ["---page---"] + mixed_table(rows)
    if layout == "points-in-name":
        return (
            head_only()
            + ["---page---"]
            + level_table(
                rows,
                lambda l1: f"{l1[1]}（{l1[4]}分）",
                False,
                "3.2 3.4 4.4 2.6 2.6 1.6 1.6 5.3",
            )
        )
    raise SystemExit(f"unknown layout {layout}")


def main():
    layout, out = sys.argv[1], Path(sys.argv[2])
    rows = tree()
    lines = []
    for line in (SRC / "project.md").read_text(encoding="utf-8").splitlines():
        if line == "%form":
            lines += form_lines(layout, rows)
            # The prose after the form starts on a page of its own.
            lines.append("---page---")
        else:
            lines.append(line)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
