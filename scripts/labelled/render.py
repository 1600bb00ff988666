"""Producer inputs for one generated report: a .docx for LibreOffice, an
HTML file for Chromium, a .tex file for XeLaTeX.

A document is a list of blocks: ("title" | "h1" | "h2" | "p", text) and
("table", {caption, header, rows, widths, merge, long}). In a table row,
None in one of the first `merge` columns means "merged with the cell
above" (rowspan / vMerge / an empty cell under a \\cline); `long` tables
may break across pages and repeat their header row on each page. The page
layout follows scripts/corpus/render.py: A4, the title as running header,
the producer's usual page-number footer.
"""
import datetime
import html
import zipfile
from pathlib import Path


# ---------------------------------------------------------------- docx

def write_docx(blocks, path: Path, title: str, author: str, font="WenQuanYi Zen Hei"):
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    def force_font(el):
        rpr = el.get_or_add_rPr()
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = OxmlElement("w:rFonts")
            rpr.insert(0, rfonts)
        for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            rfonts.attrib.pop(qn("w:" + a), None)
        for a in ("ascii", "hAnsi", "eastAsia", "cs"):
            rfonts.set(qn("w:" + a), font)

    doc = Document()
    cp = doc.core_properties
    cp.title, cp.author, cp.last_modified_by = title, author, author
    cp.created = cp.modified = datetime.datetime(2024, 3, 1, 9, 0, 0)
    cp.revision = 1
    normal = doc.styles["Normal"]
    normal.font.name = font
    normal.font.size = Pt(12)
    force_font(normal.element)
    npf = normal.paragraph_format
    npf.first_line_indent = Pt(24)
    npf.line_spacing = 1.5
    npf.space_before = npf.space_after = Pt(0)
    heads = {"title": ("Title", 16), "h1": ("Heading 1", 14), "h2": ("Heading 2", 12)}
    for sname, size in heads.values():
        stl = doc.styles[sname]
        stl.font.name, stl.font.size, stl.font.bold, stl.font.italic = font, Pt(size), True, False
        stl.font.color.rgb = RGBColor(0, 0, 0)
        force_font(stl.element)
        pf = stl.paragraph_format
        pf.first_line_indent = Pt(0)
        pf.space_before, pf.space_after, pf.line_spacing = Pt(10), Pt(6), 1.25
        pf.keep_with_next = True
    tppr = doc.styles["Title"].element.find(qn("w:pPr"))
    if tppr is not None:
        for el in tppr.findall(qn("w:pBdr")):
            tppr.remove(el)
    doc.styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for sname in ("Header", "Footer"):
        stl = doc.styles[sname]
        stl.font.name, stl.font.size = font, Pt(9)
        force_font(stl.element)
        stl.paragraph_format.first_line_indent = Pt(0)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.top_margin = sec.bottom_margin = Cm(2.54)
    sec.left_margin = sec.right_margin = Cm(2.8)
    hp = sec.header.paragraphs[0]
    hp.style = doc.styles["Header"]
    hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    hp.add_run(title)

    def add_field(par, instr):
        for typ in ("begin", None, "separate"):
            r = par.add_run()
            if typ is None:
                it = OxmlElement("w:instrText")
                it.set(qn("xml:space"), "preserve")
                it.text = f" {instr} "
                r._r.append(it)
            else:
                fc = OxmlElement("w:fldChar")
                fc.set(qn("w:fldCharType"), typ)
                r._r.append(fc)
        par.add_run("1")
        r = par.add_run()
        fc = OxmlElement("w:fldChar")
        fc.set(qn("w:fldCharType"), "end")
        r._r.append(fc)

    fp = sec.footer.paragraphs[0]
    fp.style = doc.styles["Footer"]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fp.add_run("第 ")
    add_field(fp, "PAGE \\* Arabic")
    fp.add_run(" 页 共 ")
    add_field(fp, "NUMPAGES \\* Arabic")
    fp.add_run(" 页")

    for kind, payload in blocks:
        if kind in heads:
            doc.add_paragraph(payload, style=heads[kind][0])
        elif kind == "p":
            doc.add_paragraph(payload)
        elif kind == "table":
            t = payload
            cap = doc.add_paragraph()
            cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
            cap.paragraph_format.first_line_indent = Pt(0)
            cap.paragraph_format.keep_with_next = True
            cap.add_run(t["caption"]).bold = True
            rows = [t["header"]] + t["rows"]
            ncol = len(t["header"])
            table = doc.add_table(rows=len(rows), cols=ncol)
            table.style = doc.styles["Table Grid"]
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            table.autofit = False
            scale = 15.0 / sum(t["widths"])
            widths = [Cm(w * scale) for w in t["widths"]]
            for ci, w in enumerate(widths):
                table.columns[ci].width = w
            # the header row repeats on every page the table runs over
            trpr = table.rows[0]._tr.get_or_add_trPr()
            hdr = OxmlElement("w:tblHeader")
            hdr.set(qn("w:val"), "true")
            trpr.append(hdr)
            for ri, row in enumerate(rows):
                for ci, val in enumerate(row):
                    cell = table.cell(ri, ci)
                    cell.width = widths[ci]
                    p = cell.paragraphs[0]
                    p.paragraph_format.first_line_indent = Pt(0)
                    p.paragraph_format.line_spacing = 1.1
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER if ri == 0 or ci >= t.get("merge", 1) else WD_ALIGN_PARAGRAPH.LEFT
                    if val:
                        run = p.add_run(val)
                        run.font.size = Pt(10.5 if ncol <= 4 else 9)
                        run.bold = ri == 0
            # vertical merges: a None cell joins the cell above it
            for ci in range(t.get("merge", 0)):
                ri = 1
                while ri < len(rows):
                    end = ri
                    while end + 1 < len(rows) and rows[end + 1][ci] is None:
                        end += 1
                    if end > ri:
                        table.cell(ri, ci).merge(table.cell(end, ci))
                    ri = end + 1
            doc.add_paragraph().paragraph_format.line_spacing = 0.8
    doc.save(str(path))
    with zipfile.ZipFile(path) as zin:
        members = [(i.filename, zin.read(i.filename)) for i in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in members:
            zi = zipfile.ZipInfo(name, date_time=(2024, 3, 1, 9, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(zi, data)


# ---------------------------------------------------------------- html

CSS = """
@page {
  size: A4; margin: 22mm 20mm 22mm 20mm;
  @top-center { content: "%(header)s"; font-family: %(family)s; font-size: 9pt; color: #333; }
  @bottom-center { content: "- " counter(page) " -"; font-family: %(family)s; font-size: 10.5pt; }
}
html { font-family: %(family)s; font-size: 12pt; line-height: 1.6; color: #000; }
body { margin: 0; }
h1.title { font-size: 17pt; text-align: center; margin: 0 0 14pt 0; }
h2 { font-size: 14pt; margin: 12pt 0 6pt 0; break-after: avoid; }
h3 { font-size: 12.5pt; margin: 10pt 0 4pt 0; break-after: avoid; }
p { text-indent: 2em; margin: 0; text-align: justify; }
table { border-collapse: collapse; margin: 6pt auto 10pt auto; font-size: 10.5pt; line-height: 1.35; }
table.long { font-size: 9.5pt; }
tr { break-inside: avoid; }
caption { font-weight: bold; padding-bottom: 4pt; }
th, td { border: 1px solid #000; padding: 2pt 5pt; text-align: center; }
td.l { text-align: left; }
"""


def write_html(blocks, path: Path, title: str, family: str):
    e = html.escape
    out = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">', f"<title>{e(title)}</title>",
           "<style>" + CSS % {"header": title, "family": family} + "</style>", "</head><body>"]
    tag = {"h1": "h2", "h2": "h3"}
    for kind, payload in blocks:
        if kind == "title":
            out.append(f'<h1 class="title">{e(payload)}</h1>')
        elif kind in tag:
            out.append(f"<{tag[kind]}>{e(payload)}</{tag[kind]}>")
        elif kind == "p":
            out.append(f"<p>{e(payload)}</p>")
        elif kind == "table":
            t = payload
            merge = t.get("merge", 0)
            rows = t["rows"]
            out.append('<table class="long">' if t.get("long") else "<table>")
            out.append(f"<caption>{e(t['caption'])}</caption>")
            total = sum(t["widths"])
            out.append("<colgroup>" + "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in t["widths"]) + "</colgroup>")
            out.append("<thead><tr>" + "".join(f"<th>{e(c)}</th>" for c in t["header"]) + "</tr></thead><tbody>")
            for ri, row in enumerate(rows):
                cells = []
                for ci, c in enumerate(row):
                    if c is None:
                        continue
                    span = 1
                    if ci < merge:
                        while ri + span < len(rows) and rows[ri + span][ci] is None:
                            span += 1
                    attrs = (f' rowspan="{span}"' if span > 1 else "") + (' class="l"' if ci == 0 or ci == len(row) - 1 and len(row) > 6 else "")
                    cells.append(f"<td{attrs}>{e(c)}</td>")
                out.append("<tr>" + "".join(cells) + "</tr>")
            out.append("</tbody></table>")
    out.append("</body></html>")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


# ---------------------------------------------------------------- latex

def tex_escape(s: str) -> str:
    rep = {"\\": r"\textbackslash{}", "%": r"\%", "&": r"\&", "$": r"\$", "#": r"\#", "_": r"\_",
           "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
           # Latin Modern has no ≥ ≤: take them from the CJK font
           "≥": r"{\symfont ≥}", "≤": r"{\symfont ≤}"}
    return "".join(rep.get(c, c) for c in s)


def write_tex(blocks, path: Path, title: str):
    x = tex_escape
    out = [
        # fontset=none and Noto Serif CJK SC, as scripts/corpus/render.py
        # explains: xdvipdfmx then writes a ToUnicode CMap
        r"\documentclass[UTF8,a4paper,zihao=-4,fontset=none]{ctexart}",
        r"\setCJKmainfont{Noto Serif CJK SC}",
        r"\newfontfamily\symfont{Noto Serif CJK SC}",
        r"\usepackage[top=25mm,bottom=25mm,left=22mm,right=22mm,headheight=14pt]{geometry}",
        r"\usepackage{fancyhdr}", r"\usepackage{array}", r"\usepackage{longtable}",
        r"\pagestyle{fancy}", r"\fancyhf{}",
        r"\fancyhead[C]{\small " + x(title) + "}", r"\fancyfoot[C]{\thepage}",
        r"\renewcommand{\headrulewidth}{0.4pt}",
        r"\ctexset{section={format=\large\bfseries\raggedright},subsection={format=\normalsize\bfseries\raggedright}}",
        r"\linespread{1.3}", r"\setlength{\parindent}{2em}",
        r"\begin{document}", r"\thispagestyle{fancy}",
    ]
    sec = {"h1": r"\section*", "h2": r"\subsection*"}
    for kind, payload in blocks:
        if kind == "title":
            out += [r"\begin{center}{\Large\bfseries " + x(payload) + r"}\end{center}", r"\vspace{1ex}"]
        elif kind in sec:
            out.append(sec[kind] + "{" + x(payload) + "}")
        elif kind == "p":
            out += [x(payload), ""]
        elif kind == "table":
            t = payload
            ncol = len(t["header"])
            scale = 15.6 / sum(t["widths"])
            spec = "|" + "|".join(r">{\raggedright\arraybackslash}p{%.2fcm}" % (w * scale - 0.25) for w in t["widths"]) + "|"
            merge = t.get("merge", 0)
            size = r"\small" if ncol <= 4 else r"\footnotesize"
            head = " & ".join(r"\textbf{" + x(c) + "}" for c in t["header"]) + r" \\ \hline"
            out.append("{" + size)
            out.append(r"\begin{longtable}{" + spec + "}")
            out.append(r"\caption*{\bfseries " + x(t["caption"]) + r"}\\")
            out += [r"\hline", head, r"\endfirsthead", r"\hline", head, r"\endhead"]
            rows = t["rows"]
            for ri, row in enumerate(rows):
                out.append(" & ".join(x(c) if c else "" for c in row) + r" \\")
                nxt = rows[ri + 1] if ri + 1 < len(rows) else None
                # under a merged cell continuing below, rule only the other columns
                k = 0
                while nxt is not None and k < merge and nxt[k] is None:
                    k += 1
                out.append(r"\hline" if k == 0 else r"\cline{%d-%d}" % (k + 1, ncol))
            out.append(r"\end{longtable}}")
            out.append("")
    out.append(r"\end{document}")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
