#!/usr/bin/env python3
"""Render a kinds fixture source (fixtures/kinds/*.src.md) to a .docx that
LibreOffice turns into the PDF committed next to it.

The source is plain lines:

  # title                  centred bold title
  ## heading               a heading paragraph
  text                     a body paragraph
  | a | b | c |            a table row; consecutive rows form one table
  ^                        (a cell) merged with the cell above it
  <                        (a cell) merged with the cell to its left
  ---page---               a page break
  %widths 3 2 2.5 …        column widths in cm of the next table
  %landscape               the page is A4 landscape (first line only)

Cells merged in Word terms (vMerge / gridSpan) are what a unit's template
has: a 一级指标 cell spanning its rows, a 项目资金 cell spanning the
budget sub-rows. Repeated header rows (`repeat` on the first row of a table:
`|! a | b |`) are marked as such, so LibreOffice repeats them on each page.

usage: render.py SRC.md OUT.docx && soffice --headless --convert-to pdf OUT.docx
(fixtures/kinds/project-table-libreoffice.pdf is project-table.src.md so
rendered with LibreOffice 7 and Noto Serif CJK SC.)
"""
import datetime
import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

FONT = "Noto Serif CJK SC"


def force_font(el):
    rpr = el.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn("w:" + a), None)
    for a in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(qn("w:" + a), FONT)


def parse(src: str):
    blocks = []
    for line in src.splitlines():
        line = line.rstrip()
        if not line:
            continue
        if line.startswith("|"):
            repeat = line.startswith("|!")
            body = line[2:] if repeat else line[1:]
            cells = [c.strip() for c in body.rstrip("|").split("|")]
            if not blocks or blocks[-1][0] != "table":
                widths = None
                if blocks and blocks[-1][0] == "widths":
                    widths = blocks.pop()[1]
                blocks.append(("table", {"rows": [], "repeat": 0, "widths": widths}))
            t = blocks[-1][1]
            t["rows"].append(cells)
            if repeat:
                t["repeat"] = len(t["rows"])
        elif line.startswith("%widths "):
            pending_widths = [float(w) for w in line.split()[1:]]
            blocks.append(("widths", pending_widths))
        elif line == "%landscape":
            blocks.append(("landscape", None))
        elif line == "---page---":
            blocks.append(("page", None))
        elif line.startswith("## "):
            blocks.append(("h", line[3:]))
        elif line.startswith("# "):
            blocks.append(("title", line[2:]))
        else:
            blocks.append(("p", line))
    return blocks


def set_repeat(row):
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


page_width = 16.0


def write_table(doc, t):
    rows = t["rows"]
    ncols = max(len(r) for r in rows)
    rows = [r + ["<"] * (ncols - len(r)) for r in rows]
    table = doc.add_table(rows=len(rows), cols=ncols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = t.get("widths") or [page_width / ncols] * ncols
    table.autofit = False
    for ci, w in enumerate(widths):
        table.columns[ci].width = Cm(w)
    for ri, row in enumerate(rows):
        if ri < t["repeat"]:
            set_repeat(table.rows[ri])
        for ci, val in enumerate(row):
            if val in ("^", "<"):
                continue
            cell = table.cell(ri, ci)
            # extent of the merge: right over '<', down over '^'
            c2 = ci
            while c2 + 1 < ncols and row[c2 + 1] == "<":
                c2 += 1
            r2 = ri
            while r2 + 1 < len(rows) and all(
                rows[r2 + 1][k] == "^" for k in range(ci, c2 + 1)
            ):
                r2 += 1
            if (r2, c2) != (ri, ci):
                cell = cell.merge(table.cell(r2, c2))
            p = cell.paragraphs[0]
            p.paragraph_format.first_line_indent = Pt(0)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(val)
            run.font.size = Pt(9)
        for ci, c in enumerate(table.rows[ri].cells):
            c.width = Cm(widths[ci])


def main():
    src, out = Path(sys.argv[1]), Path(sys.argv[2])
    doc = Document()
    cp = doc.core_properties
    cp.author = "jixiao fixtures"
    cp.created = cp.modified = datetime.datetime(2024, 3, 1, 9, 0, 0)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    force_font(normal.element)
    normal.paragraph_format.first_line_indent = Pt(22)
    normal.paragraph_format.space_after = Pt(0)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.5)
    for kind, payload in parse(src.read_text(encoding="utf-8")):
        if kind == "title":
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.first_line_indent = Pt(0)
            r = p.add_run(payload)
            r.bold = True
            r.font.size = Pt(16)
        elif kind == "h":
            p = doc.add_paragraph()
            p.paragraph_format.first_line_indent = Pt(0)
            p.add_run(payload).bold = True
        elif kind == "p":
            doc.add_paragraph(payload)
        elif kind == "landscape":
            global page_width
            sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
            page_width = 24.7
        elif kind == "widths":
            pass
        elif kind == "page":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        else:
            write_table(doc, payload)
    doc.save(str(out))


if __name__ == "__main__":
    main()
