#!/usr/bin/env python3
"""The 科目 tables of a 部门决算 from the data below, as render.py sources:
fixtures/budget/final-consistent.md (every 类 the sum of its 款, every 款
the sum of its 项, every row's 合计 the sum of its columns, the 总表's two
sides equal) and
fixtures/budget/final-planted.md (the same with the errors of PLANTED). LibreOffice
renders both (scripts/make_budget.sh); tests/budget.rs reads the PDFs.

usage: make_tables.py OUTDIR
"""
import sys
from decimal import Decimal as D
from pathlib import Path

# (code, name, 基本支出, 项目支出) for every 项; 类 and 款 are summed.
FUNCTION = [
    ("2013101", "行政运行", "812.46", ""),
    ("2013102", "一般行政管理事务", "40.00", "236.10"),
    ("2013150", "事业运行", "301.25", ""),
    ("2013199", "其他党委办公厅（室）及相关机构事务支出", "", "88.40"),
    ("2080501", "行政单位离退休", "156.32", ""),
    ("2080505", "机关事业单位基本养老保险缴费支出", "98.77", ""),
    ("2101101", "行政单位医疗", "64.18", ""),
    ("2210201", "住房公积金", "120.55", ""),
    ("2210203", "购房补贴", "33.60", ""),
]
ECONOMIC = [
    ("30101", "基本工资", "402.16"),
    ("30102", "津贴补贴", "388.05"),
    ("30108", "机关事业单位基本养老保险缴费", "98.77"),
    ("30113", "住房公积金", "120.55"),
    ("30201", "办公费", "42.30"),
    ("30211", "差旅费", "36.80"),
    ("30217", "公务接待费", "8.60"),
    ("30231", "公务用车运行维护费", "24.40"),
    ("30299", "其他商品和服务支出", "96.43"),
    ("30302", "退休费", "156.32"),
    ("30307", "医疗费补助", "12.30"),
]
NAMES = {
    "201": "一般公共服务支出", "20131": "党委办公厅（室）及相关机构事务",
    "208": "社会保障和就业支出", "20805": "行政事业单位养老支出",
    "210": "卫生健康支出", "21011": "行政事业单位医疗",
    "221": "住房保障支出", "22102": "住房改革支出",
    "301": "工资福利支出", "302": "商品和服务支出", "303": "对个人和家庭的补助",
}
# (table, code, column, new value).
PLANTED = [
    ("支出决算表", "2013150", 0, "310.25"),      # a 项's 合计: its 款 fails
    ("财政拨款支出决算表", "20805", 0, "245.09"),  # a 款's 合计: its 类, itself and its row fail
    ("财政拨款支出决算表", "2013102", 1, "50.00"),  # a 项's 基本支出: its row and its 款's column fail
    ("基本支出决算表", "302", 0, "218.53"),        # a 类 changed
]
# Tables whose empty cells print 0.00 (as Shanghai's do); elsewhere blank.
ZEROS = {"财政拨款支出决算表"}


def amount(s):
    return D(s) if s else D(0)


def function_rows(override=None):
    """The 功能分类 rows, 类 and 款 summed from the 项; `override` maps a 项's
    code to other (基本支出, 项目支出) figures, the table's sums kept."""
    rows = {}
    for code, name, basic, project in FUNCTION:
        basic, project = (override or {}).get(code, (basic, project))
        vals = (amount(basic), amount(project))
        for k in (code[:3], code[:5], code):
            r = rows.setdefault(k, [NAMES.get(k, name), D(0), D(0)])
            r[1] += vals[0]
            r[2] += vals[1]
    return [(k, v[0], [v[1] + v[2], v[1], v[2]]) for k, v in sorted(rows.items())]


def economic_rows():
    rows = {}
    for code, name, v in ECONOMIC:
        for k in (code[:3], code):
            r = rows.setdefault(k, [NAMES.get(k, name), D(0)])
            r[1] += D(v)
    return [(k, v[0], [v[1]]) for k, v in sorted(rows.items())]


def cell(v, zeros=False):
    return ("0.00" if zeros else "") if v == 0 else f"{v:,.2f}"


def table(title, header, rows, planted):
    out = [f"## {title}", "单位：万元", "| " + " | ".join(header) + " |"]
    z = title in ZEROS
    total = [sum(r[2][i] for r in rows if len(r[0]) == 3) for i in range(len(rows[0][2]))]
    out.append("| 合计 | | " + " | ".join(cell(v, z) for v in total) + " |")
    for code, name, vals in rows:
        vals = list(vals)
        for t, c, col, new in planted:
            if t == title and c == code:
                vals[col] = D(new)
        out.append(f"| {code} | {name} | " + " | ".join(cell(v, z) for v in vals) + " |")
    return out


# The narrative of the 财政拨款 table; the planted version misstates one
# 项 (digits transposed: 812.46 → 821.46) and leaves a reason empty.
NARRATIVE = [
    "2023年度收入支出总计{grand}万元。",
    "## 三、财政拨款支出决算情况说明",
    "（一）一般公共服务（类）支出1,478.21万元。",
    "1.党委办公厅（室）及相关机构事务（款）行政运行（项）支出{run}万元，主要用于机关日常运转。",
    "2.党委办公厅（室）及相关机构事务（款）事业运行（项）支出301.25万元。",
    "（二）住房保障支出（类）住房改革支出（款）住房公积金（项）支出120.55万元，与上年相比增加12.00万元，主要原因是{reason}。",
    "## 四、“三公”经费财政拨款支出决算情况说明",
    "因公出国（境）费0万元，公务用车购置及运行费24.40万元，公务接待费{hosting}万元。",
]

# The one row of the “三公” table: 合计, 因公出国（境）费, 公务用车购置及运行费
# (小计, 购置费, 运行费), 公务接待费; its 用车 and 接待 are the 基本支出
# table's 30231 and 30217. The planted narrative states 接待 as 6.80.
THREE_PUBLIC = ["33.00", "0.00", "24.40", "0.00", "24.40", "8.60"]


def three_public_table():
    return [
        "## “三公”经费支出决算表",
        "单位：万元",
        "| 合计 | 因公出国（境）费 | 公务用车购置及运行费 | 购置费 | 运行费 | 公务接待费 |",
        "| " + " | ".join(THREE_PUBLIC) + " |",
    ]


def document(planted):
    lines = ["# 某市档案局2023年度部门决算", "以下为部门决算公开表（金额单位：万元）。"]
    run = "821.46" if planted else "812.46"  # the narrative's planted error
    reason = "" if planted else "缴存基数调整"
    hosting = "6.80" if planted else "8.60"
    grand = "1,591.63" if planted else "1,951.63"  # the 总表's 1,951.63, transposed
    lines += [l.format(run=run, reason=reason, hosting=hosting, grand=grand) for l in NARRATIVE]
    head3 = ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]
    lines += table("支出决算表", head3, function_rows(), planted)
    lines.append("---page---")
    lines += table("财政拨款支出决算表", head3, function_rows(), planted)
    lines.append("---page---")
    lines += table("基本支出决算表", ["科目编码", "科目名称", "金额"], economic_rows(), planted)
    lines.append("---page---")
    lines += balance_table(planted)
    lines.append("---page---")
    lines += three_public_table()
    return "\n".join(lines) + "\n"


def balance_table(planted):
    """The 收入支出决算总表: income by source, spending by 类; the planted
    version's 支出总计 has two digits transposed and its 住房保障支出 类 is
    145.15 for 154.15."""
    classes = [(code, name, vals[0]) for code, name, vals in function_rows() if len(code) == 3]
    total = sum(v for _, _, v in classes)
    spending = D("1915.63") if planted else total
    if planted:
        # the 住房保障支出 类 of the 总表 mistyped: its 类 no longer make
        # the 本年支出合计
        classes = [(c, n, D("145.15") if c == "221" else v) for c, n, v in classes]
    out = ["## 收入支出决算总表", "单位：万元", "| 收入 | < | 支出 | < |", "| 项目 | 决算数 | 项目 | 决算数 |"]
    income = [("一、一般公共预算财政拨款收入", total), ("二、政府性基金预算财政拨款收入", D(0))]
    for i in range(max(len(classes), len(income))):
        left = income[i] if i < len(income) else ("", None)
        right = classes[i] if i < len(classes) else None
        lcell = "" if left[1] is None else cell(left[1], True)
        rname = f"{'一二三四五六七八九'[i]}、{right[1]}" if right else ""
        rcell = cell(right[2], True) if right else ""
        out.append(f"| {left[0]} | {lcell} | {rname} | {rcell} |")
    out.append(f"| 本年收入合计 | {cell(total, True)} | 本年支出合计 | {cell(total, True)} |")
    out.append(f"| 收入总计 | {cell(total, True)} | 支出总计 | {cell(spending, True)} |")
    return out


# A 部门预算 of the same body: 收入预算总表 and 支出预算总表 by 科目 (each
# 科目's income funds its spending), the 财政拨款 and 一般公共预算 支出 tables
# (equal: the 政府性基金 table is empty), and the “三公” table with
# 机关运行经费. The planted version keeps every table's own sums and
# changes one 项 in a table that must agree with another (TBL006), the
# narrative's 机关运行经费 (TBL005) and its 财政拨款 支出 total (TBL007).
BUDGET_PLANTED = {
    "支出预算总表": {"2210203": ("36.30", "")},          # 购房补贴 33.60 → 36.30
    "一般公共预算支出预算表": {"2013102": ("31.00", "236.10")},  # 基本支出 40.00 → 31.00
}
THREE_PUBLIC_BUDGET = ["33.00", "0.00", "8.60", "24.40", "0.00", "24.40", "176.02"]


def budget_table(title, header, planted, columns, split=False, yuan=False):
    """A 科目 table of the 预算; `split` spreads the 科目编码 over 类 | 款 | 项
    columns (「221 | 02 | 03 | 购房补贴」), as many departments print it;
    `yuan` states it in 元 (Shanghai's tables are in 元, their narrative in
    万元)."""
    rows = function_rows(planted.get(title))
    if yuan:
        rows = [(c, n, [v * 10000 for v in vals]) for c, n, vals in rows]
    if split:
        header = ["类", "款", "项"] + header[1:]
    out = [f"## {title}", "单位：元" if yuan else "单位：万元", "| " + " | ".join(header) + " |"]
    total = [sum(r[2][i] for r in rows if len(r[0]) == 3) for i in range(3)]
    pick = lambda vals: [vals[i] if i >= 0 else vals[0] for i in columns]
    blank = "| | | " if split else "| "
    out.append(f"| 合计 {blank}| " + " | ".join(cell(v) for v in pick(total)) + " |")
    for code, name, vals in rows:
        codes = " | ".join([code[:3], code[3:5], code[5:7]]) if split else code
        out.append(f"| {codes} | {name} | " + " | ".join(cell(v) for v in pick(vals)) + " |")
    return out


def budget_document(planted, split=False, yuan=False):
    operating = "167.02" if planted else "176.02"
    fiscal = "1,915.36" if planted else "1,951.63"  # the 财政拨款 table's 合计, misstated
    lines = [
        "# 某市档案局2026年部门预算",
        "## 一、“三公”经费和机关运行经费预算情况说明",
        "2026年“三公”经费预算数为33.00万元，其中：因公出国（境）费0万元，公务用车购置及运行费24.40万元，公务接待费8.60万元。",
        f"2026年机关运行经费预算为{operating}万元，主要用于办公费、差旅费等日常公用支出。",
        "## 二、财政拨款支出预算情况说明",
        f"2026年财政拨款支出预算{fiscal}万元，全部为一般公共预算拨款。",
    ]
    head = ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]
    lines += budget_table("收入预算总表", ["科目编码", "科目名称", "合计", "财政拨款"], planted, [0, -1], split, yuan)
    lines.append("---page---")
    lines += budget_table("支出预算总表", head, planted, [0, 1, 2], split, yuan)
    lines.append("---page---")
    lines += budget_table("财政拨款支出预算表", head, planted, [0, 1, 2], split, yuan)
    lines.append("---page---")
    lines += budget_table("一般公共预算支出预算表", head, planted, [0, 1, 2], split, yuan)
    lines.append("---page---")
    lines += [
        "## 政府性基金预算支出表",
        "单位：万元",
        "| 科目编码 | 科目名称 | 合计 |",
        "| 合计 | | |",
        "注：本部门2026年无政府性基金预算财政拨款安排的预算，故本表为空表。",
        "## “三公”经费和机关运行经费预算表",
        "单位：万元",
        "| 合计 | 因公出国（境）费 | 公务接待费 | 公务用车购置及运行费 | 购置费 | 运行费 | 机关运行经费 |",
        "| " + " | ".join(THREE_PUBLIC_BUDGET) + " |",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    out = Path(sys.argv[1])
    (out / "final-consistent.md").write_text(document([]))
    (out / "final-planted.md").write_text(document(PLANTED))
    (out / "budget-consistent.md").write_text(budget_document({}))
    (out / "budget-planted.md").write_text(budget_document(BUDGET_PLANTED))
    # The same planted 预算 with its 科目编码 split over 类 | 款 | 项: the same
    # findings (tests/budget.rs).
    (out / "budget-planted-split.md").write_text(budget_document(BUDGET_PLANTED, split=True))
    # And with its 科目 tables in 元 (the narrative and the “三公” table in 万元).
    (out / "budget-planted-yuan.md").write_text(budget_document(BUDGET_PLANTED, yuan=True))
