#!/usr/bin/env python3
"""A 部门预算 published as two files, as many provinces publish it: the
narrative (情况说明, a Word file) and the tables (公开表, an Excel workbook,
one sheet per table), for fixtures/budget-pair/ and tests/budget.rs.

The tables are the consistent 预算 of make_tables.py (the same 科目 data;
2025's 行政运行 is 780.16 where 2026's is 812.46) plus its 收支预算总表;
the narrative states their totals, a 项, the “三公” amounts and the
机关运行经费. Two years of one body are written:
  2025: the narrative agrees with the tables (no finding);
  2026: the narrative misstates five figures (FIGURES below), each only
        visible against the other file: the narrative alone has no table,
        the tables alone no narrative; and it states two changes against
        2025, one right (the 一般公共服务 类, +32.30) and one wrong (the
        一般公共预算 支出 total, +23.30 for +32.30), which only the 2025
        table file shows (TBL008).
The table files state no year (as the real ones do): their file names do.

usage: make_pair.py OUTDIR   writes OUTDIR/<name>.md (render.py source of
the narrative) and OUTDIR/<name>.xlsx (LibreOffice Calc prints it).
"""
import sys
from decimal import Decimal as D
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from make_tables import THREE_PUBLIC_BUDGET, function_rows

BODY = "某市地方志办公室"

# Each year's 科目 data: make_tables.py's, 行政运行 changed in 2025.
OVERRIDE = {2025: {"2013101": ("780.16", "")}, 2026: {}}

# The 2026 narrative's planted figures, by name (the consistent narrative
# states the tables' own).
PLANTED = {
    "grand": "1,591.63",      # 收支预算总计 1,951.63: two digits transposed
    "fiscal": "1,915.36",     # 财政拨款支出预算: the 支出 table's 合计 1,951.63
    "run": "821.46",          # 行政运行（项） 812.46
    "hosting": "6.80",        # 公务接待费 8.60
    "operating": "167.02",    # 机关运行经费 176.02
}

NARRATIVE = [
    "# {body}{year}年部门预算情况说明",
    "## 一、收支预算总表情况说明",
    "{year}年收入、支出预算总计{grand}万元，全部为一般公共预算拨款。",
    "## 二、财政拨款支出预算表情况说明",
    "{year}年财政拨款支出预算{fiscal}万元，全部为一般公共预算拨款。",
    "其中，一般公共服务支出（类）党委办公厅（室）及相关机构事务（款）行政运行（项）支出{run}万元，主要用于机关日常运转。",
    "## 三、“三公”经费和机关运行经费预算情况说明",
    "{year}年“三公”经费预算数为33.00万元，其中：因公出国（境）费0万元，公务用车购置及运行费24.40万元，公务接待费{hosting}万元。",
    "{year}年机关运行经费预算为{operating}万元，主要用于办公费、差旅费等日常公用支出。",
    "附件：{body}{year}年部门预算公开表（另附）",
]

# The 2026 narrative's changes against 2025 (TBL008): the 类 right, the
# 一般公共预算 支出 total's change two digits transposed (32.30 → 23.30).
CHANGES = [
    "## 四、一般公共预算支出预算表情况说明",
    "{year}年一般公共预算财政拨款支出预算{total}万元，与上年相比增加{total_delta}万元，主要是人员经费增加。",
    "其中，一般公共服务支出（类）预算{general}万元，比上年增加32.30万元。",
]

thin = Side(style="thin")
BOX = Border(left=thin, right=thin, top=thin, bottom=thin)


def money(v):
    return f"{v:,.2f}"


def narrative(year, planted):
    rows = {code: vals for code, _, vals in function_rows(OVERRIDE[year])}
    total = sum(vals[0] for code, vals in rows.items() if len(code) == 3)
    figures = {
        "grand": money(total),
        "fiscal": money(total),
        "run": money(rows["2013101"][0]),
        "hosting": "8.60",
        "operating": "176.02",
    }
    lines = NARRATIVE
    if planted:
        figures.update(PLANTED)
        lines = NARRATIVE[:-1] + CHANGES + NARRATIVE[-1:]
        figures["total"] = money(total)
        figures["total_delta"] = "23.30"
        figures["general"] = money(rows["201"][0])
    return "\n".join(l.format(body=BODY, year=year, **figures) for l in lines) + "\n"


def number(v):
    """A cell's value: blank for zero, as the Excel templates leave it."""
    return None if v == 0 else float(v)


def sheet(wb, title, header, rows, widths):
    """One table on one sheet: the title over the columns, 部门 and 单位,
    the header and the rows, ruled, amounts as numbers with two decimals."""
    ws = wb.create_sheet(title[:31])
    n = len(header)
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    ws["A1"].font = Font(name="Noto Sans CJK SC", size=14, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([f"部门：{BODY}"] + [None] * (n - 2) + ["单位：万元"])
    ws.append(header)
    for r in rows:
        ws.append(r)
    for row in ws.iter_rows(min_row=3, max_row=ws.max_row, max_col=n):
        for c in row:
            c.border = BOX
            c.font = Font(name="Noto Sans CJK SC", size=10)
            if isinstance(c.value, float):
                c.number_format = "#,##0.00"
    for i, w in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = w
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return ws


def subject_rows(year, columns):
    rows = function_rows(OVERRIDE[year])
    total = [sum(r[2][i] for r in rows if len(r[0]) == 3) for i in range(3)]
    out = [["合计", None] + [number(total[i]) for i in columns]]
    for code, name, vals in rows:
        out.append([code, name] + [number(vals[i]) for i in columns])
    return out


def workbook(year):
    wb = Workbook()
    wb.remove(wb.active)
    rows = function_rows(OVERRIDE[year])
    classes = [(name, vals[0]) for code, name, vals in rows if len(code) == 3]
    total = sum(v for _, v in classes)
    income = [("一、一般公共预算拨款收入", total), ("二、政府性基金预算拨款收入", D(0)),
              ("三、其他资金", D(0))]
    body = []
    for i in range(max(len(classes), len(income))):
        left = income[i] if i < len(income) else ("", None)
        right = classes[i] if i < len(classes) else None
        body.append([
            left[0], None if left[1] is None else number(left[1]),
            f"{'一二三四五六七八九'[i]}、{right[0]}" if right else None,
            number(right[1]) if right else None,
        ])
    body.append(["本年收入合计", number(total), "本年支出合计", number(total)])
    body.append(["收入总计", number(total), "支出总计", number(total)])
    sheet(wb, "收支预算总表", ["收入项目", "预算数", "支出项目", "预算数"], body, [30, 14, 30, 14])
    head = ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]
    widths = [12, 40, 14, 14, 14]
    sheet(wb, "收入预算总表", ["科目编码", "科目名称", "合计", "财政拨款"], subject_rows(year, [0, 0]), widths)
    sheet(wb, "支出预算总表", head, subject_rows(year, [0, 1, 2]), widths)
    sheet(wb, "财政拨款支出预算表", head, subject_rows(year, [0, 1, 2]), widths)
    sheet(wb, "一般公共预算支出预算表", head, subject_rows(year, [0, 1, 2]), widths)
    ws = sheet(wb, "政府性基金预算支出表", ["科目编码", "科目名称", "合计"], [["合计", None, None]], [12, 40, 14])
    ws.append(["注：本部门无政府性基金预算财政拨款安排的预算，故本表为空表。"])
    three = ["合计", "因公出国（境）费", "公务接待费", "公务用车购置及运行费", "购置费", "运行费", "机关运行经费"]
    sheet(wb, "“三公”经费和机关运行经费预算表", three,
          [[float(D(v)) for v in THREE_PUBLIC_BUDGET]],
          [10, 16, 12, 20, 10, 10, 14])
    return wb


if __name__ == "__main__":
    out = Path(sys.argv[1])
    for year, planted in ((2025, False), (2026, True)):
        name = "consistent" if not planted else "planted"
        (out / f"budget-{year}-narrative-{name}.md").write_text(narrative(year, planted))
        workbook(year).save(out / f"budget-{year}-tables-{name}.xlsx")
