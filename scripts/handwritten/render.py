#!/usr/bin/env python3
"""Render one hand-written report (fixtures/handwritten/src/NAME.md) into the
input of its producer: a .docx (LibreOffice), an .html (Chromium) or a .tex
(XeLaTeX).

The source is a small markdown dialect, written by hand:

    ---
    producer: libreoffice | chromium-wqy | chromium-noto | xelatex
    header: running header text (optional)
    footer: page | dash | of      (第 N 页 / - N - / 第 N 页 共 M 页; optional)
    ---
    # Title                        centred title
    ## 一、…  ### （一）…  #### 1.…  headings
    text lines                     a paragraph (lines joined without separator;
                                   a blank line ends it)
    > text                         right-aligned line (signature, date)
    = text                         centred line (table caption, unit note)
    | a | b | c |                  table rows; rows above a |---| line are
    |---|---|---|                  header rows, repeated on every page the
    | x | ^ | < |                  table spans; ^ merges a cell with the one
                                   above it, < with the one to its left
    \\newpage                      page break

Deterministic: fixed document dates, fixed zip member dates.

usage: render.py SRC.md OUT_DIR   → OUT_DIR/NAME.{docx,html,tex}
"""
import datetime
import html
import re
import sys
import zipfile
from pathlib import Path


# ------------------------------------------------------------------ parse

def parse(text: str):
    meta = {}
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        end = lines.index("---", 1)
        for l in lines[1:end]:
            k, _, v = l.partition(":")
            meta[k.strip()] = v.strip()
        lines = lines[end + 1:]
    blocks = []
    para = []
    table = None

    def flush_para():
        nonlocal para
        if para:
            blocks.append(("p", "".join(para)))
            para = []

    def flush_table():
        nonlocal table
        if table is not None:
            blocks.append(("table", table))
            table = None

    for raw in lines:
        l = raw.strip()
        if l.startswith("|"):
            flush_para()
            cells = [c.strip() for c in l.strip("|").split("|")]
            if table is None:
                table = {"head": [], "body": [], "sep": False}
            if all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                table["sep"] = True
                table["head"], table["body"] = table["body"], []
                continue
            table["body"].append(cells)
            continue
        flush_table()
        if not l:
            flush_para()
            continue
        m = re.match(r"^(#{1,4})\s+(.*)$", l)
        if m:
            flush_para()
            blocks.append(({1: "title", 2: "h1", 3: "h2", 4: "h3"}[len(m.group(1))], m.group(2)))
        elif l == "\\newpage":
            flush_para()
            blocks.append(("newpage", None))
        elif l.startswith("> "):
            flush_para()
            blocks.append(("right", l[2:]))
        elif l.startswith("= "):
            flush_para()
            blocks.append(("center", l[2:]))
        else:
            para.append(l)
    flush_para()
    flush_table()
    for kind, t in blocks:
        if kind == "table":
            n = {len(r) for r in t["head"] + t["body"]}
            assert len(n) == 1, f"ragged table: {t['head'][:1] or t['body'][:1]}"
    return meta, blocks


def spans(rows):
    """For each cell: (rowspan, colspan) for the cell that starts a merge,
    None for a cell covered by a merge."""
    nr, nc = len(rows), len(rows[0])
    out = [[(1, 1) for _ in range(nc)] for _ in range(nr)]
    for r in range(nr):
        for c in range(nc):
            v = rows[r][c]
            if v == "<":
                out[r][c] = None
                cc = c - 1
                while out[r][cc] is None:
                    cc -= 1
                rs, cs = out[r][cc]
                out[r][cc] = (rs, cs + 1)
            elif v == "^":
                out[r][c] = None
                rr = r - 1
                while out[rr][c] is None:
                    rr -= 1
                rs, cs = out[rr][c]
                out[rr][c] = (rs + 1, cs)
    return out


def col_weights(rows):
    """Column widths in proportion to the widest unmerged cell of each
    column (CJK characters count 1, ASCII 0.62; long text wraps, so it
    counts at most 8)."""
    sp = spans(rows)
    nc = len(rows[0])
    w = [2.5] * nc
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if sp[r][c] is None or sp[r][c][1] > 1:
                continue
            width = sum(1.0 if ord(ch) > 0x2000 else 0.62 for ch in v)
            w[c] = max(w[c], min(width, 8.0) + 1.6)
    return w


# ------------------------------------------------------------------ docx

def write_docx(meta, blocks, path: Path, font: str):
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    def force_font(el):
        rpr = el.get_or_add_rPr()
        rf = rpr.find(qn("w:rFonts"))
        if rf is None:
            rf = OxmlElement("w:rFonts")
            rpr.insert(0, rf)
        for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            rf.attrib.pop(qn("w:" + a), None)
        for a in ("ascii", "hAnsi", "eastAsia", "cs"):
            rf.set(qn("w:" + a), font)

    doc = Document()
    cp = doc.core_properties
    cp.title = meta.get("header", "")
    cp.author = meta.get("author", "")
    cp.last_modified_by = cp.author
    cp.created = cp.modified = datetime.datetime(2024, 3, 15, 9, 0, 0)
    cp.revision = 1
    normal = doc.styles["Normal"]
    normal.font.name = font
    normal.font.size = Pt(float(meta.get("size", "12")))
    force_font(normal.element)
    pf = normal.paragraph_format
    pf.first_line_indent = Pt(2 * float(meta.get("size", "12")))
    pf.line_spacing = 1.5
    pf.space_before = pf.space_after = Pt(0)
    heads = {"title": ("Title", 18), "h1": ("Heading 1", 15), "h2": ("Heading 2", 13), "h3": ("Heading 3", 12)}
    for sname, size in heads.values():
        st = doc.styles[sname]
        st.font.name = font
        st.font.size = Pt(size)
        st.font.bold = True
        st.font.italic = False
        st.font.color.rgb = RGBColor(0, 0, 0)
        force_font(st.element)
        hpf = st.paragraph_format
        hpf.first_line_indent = Pt(0)
        hpf.space_before = Pt(8)
        hpf.space_after = Pt(4)
        hpf.line_spacing = 1.25
        hpf.keep_with_next = True
    tppr = doc.styles["Title"].element.find(qn("w:pPr"))
    if tppr is not None:
        for el in tppr.findall(qn("w:pBdr")):
            tppr.remove(el)
    doc.styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for sname in ("Header", "Footer"):
        st = doc.styles[sname]
        st.font.name = font
        st.font.size = Pt(9)
        force_font(st.element)
        st.paragraph_format.first_line_indent = Pt(0)
        st.paragraph_format.line_spacing = 1.0

    sec = doc.sections[0]
    landscape = meta.get("orient") == "landscape"
    if landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
    else:
        sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.top_margin = sec.bottom_margin = Cm(2.2 if landscape else 2.54)
    sec.left_margin = sec.right_margin = Cm(2.5 if landscape else 2.8)
    text_width = (29.7 - 5.0) if landscape else (21.0 - 5.6)

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

    if meta.get("header"):
        hp = sec.header.paragraphs[0]
        hp.style = doc.styles["Header"]
        hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        hp.add_run(meta["header"])
    footer = meta.get("footer", "")
    if footer:
        fp = sec.footer.paragraphs[0]
        fp.style = doc.styles["Footer"]
        fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if footer == "page":
            fp.add_run("第 ")
            add_field(fp, "PAGE")
            fp.add_run(" 页")
        elif footer == "dash":
            fp.add_run("- ")
            add_field(fp, "PAGE")
            fp.add_run(" -")
        elif footer == "of":
            fp.add_run("第 ")
            add_field(fp, "PAGE")
            fp.add_run(" 页 共 ")
            add_field(fp, "NUMPAGES")
            fp.add_run(" 页")

    pending_break = False
    for kind, payload in blocks:
        if kind == "newpage":
            pending_break = True
            continue
        if kind in heads:
            p = doc.add_paragraph(payload, style=heads[kind][0])
        elif kind == "p":
            p = doc.add_paragraph(payload)
        elif kind in ("right", "center"):
            p = doc.add_paragraph(payload)
            p.paragraph_format.first_line_indent = Pt(0)
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if kind == "right" else WD_ALIGN_PARAGRAPH.CENTER
            if kind == "center":
                p.paragraph_format.keep_with_next = True
        elif kind == "table":
            if pending_break:
                doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
                pending_break = False
            rows = payload["head"] + payload["body"]
            nh = len(payload["head"])
            sp = spans(rows)
            nc = len(rows[0])
            weights = col_weights(rows)
            widths = [Cm(text_width * w / sum(weights)) for w in weights]
            table = doc.add_table(rows=len(rows), cols=nc)
            table.style = doc.styles["Table Grid"]
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            table.autofit = False
            for ci, w in enumerate(widths):
                table.columns[ci].width = w
            for ri in range(len(rows)):
                if ri < nh:
                    trpr = table.rows[ri]._tr.get_or_add_trPr()
                    th = OxmlElement("w:tblHeader")
                    trpr.append(th)
                for ci in range(nc):
                    table.cell(ri, ci).width = widths[ci]
            for ri, row in enumerate(rows):
                for ci, val in enumerate(row):
                    if sp[ri][ci] is None:
                        continue
                    rs, cs = sp[ri][ci]
                    cell = table.cell(ri, ci)
                    if rs > 1 or cs > 1:
                        cell = cell.merge(table.cell(ri + rs - 1, ci + cs - 1))
                    par = cell.paragraphs[0]
                    par.paragraph_format.first_line_indent = Pt(0)
                    par.paragraph_format.line_spacing = 1.15
                    par.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    run = par.add_run(val)
                    run.font.size = Pt(float(meta.get("table_size", "10.5")))
                    if ri < nh:
                        run.bold = True
            continue
        else:
            raise ValueError(kind)
        if pending_break:
            p.paragraph_format.page_break_before = True
            pending_break = False
    doc.save(str(path))
    with zipfile.ZipFile(path) as zin:
        members = [(i.filename, zin.read(i.filename)) for i in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in members:
            zi = zipfile.ZipInfo(name, date_time=(2024, 3, 15, 9, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(zi, data)


# ------------------------------------------------------------------ html

CSS = """
@page {
  size: A4 %(orient)s;
  margin: 20mm 22mm 20mm 22mm;
  %(top)s
  %(bottom)s
}
html { font-family: %(family)s; font-size: %(size)spt; line-height: 1.65; color: #000; }
body { margin: 0; }
h1 { font-size: 19pt; text-align: center; margin: 0 0 16pt 0; }
h2 { font-size: 15pt; margin: 12pt 0 5pt 0; break-after: avoid; }
h3 { font-size: 13pt; margin: 10pt 0 4pt 0; break-after: avoid; }
h4 { font-size: 12pt; margin: 8pt 0 3pt 0; break-after: avoid; }
p { text-indent: 2em; margin: 0; text-align: justify; }
p.right { text-align: right; text-indent: 0; }
p.center { text-align: center; text-indent: 0; font-weight: bold; break-after: avoid; }
table { border-collapse: collapse; margin: 6pt auto 10pt auto; width: 100%%; font-size: %(tsize)spt; line-height: 1.35; }
th, td { border: 0.8pt solid #000; padding: 2pt 4pt; text-align: center; vertical-align: middle; }
th { font-weight: bold; }
tr { break-inside: avoid; }
.newpage { break-after: page; }
"""


def write_html(meta, blocks, path: Path, family: str):
    e = html.escape
    top = ""
    if meta.get("header"):
        top = '@top-center { content: "%s"; font-family: %s; font-size: 9pt; }' % (meta["header"], family)
    footer = meta.get("footer", "")
    bottom = {
        "page": '@bottom-center { content: "第 " counter(page) " 页"; font-family: %s; font-size: 10pt; }',
        "dash": '@bottom-center { content: "- " counter(page) " -"; font-family: %s; font-size: 10pt; }',
        "of": '@bottom-center { content: "第 " counter(page) " 页 共 " counter(pages) " 页"; font-family: %s; font-size: 10pt; }',
    }.get(footer, "%s")
    bottom = bottom % family if footer else ""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{e(meta.get('header', ''))}</title>",
        "<style>" + CSS % {"top": top, "bottom": bottom, "family": family, "size": meta.get("size", "12"), "tsize": meta.get("table_size", "10"), "orient": meta.get("orient", "portrait")} + "</style>",
        "</head><body>",
    ]
    tag = {"title": "h1", "h1": "h2", "h2": "h3", "h3": "h4"}
    for kind, payload in blocks:
        if kind in tag:
            parts.append(f"<{tag[kind]}>{e(payload)}</{tag[kind]}>")
        elif kind == "p":
            parts.append(f"<p>{e(payload)}</p>")
        elif kind in ("right", "center"):
            parts.append(f'<p class="{kind}">{e(payload)}</p>')
        elif kind == "newpage":
            parts.append('<div class="newpage"></div>')
        elif kind == "table":
            rows = payload["head"] + payload["body"]
            nh = len(payload["head"])
            sp = spans(rows)
            parts.append("<table>")
            for ri, row in enumerate(rows):
                if ri == 0 and nh:
                    parts.append("<thead>")
                if ri == nh:
                    parts.append("<tbody>")
                cells = []
                for ci, val in enumerate(row):
                    if sp[ri][ci] is None:
                        continue
                    rs, cs = sp[ri][ci]
                    t = "th" if ri < nh else "td"
                    attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
                    cells.append(f"<{t}{attrs}>{e(val)}</{t}>")
                parts.append("<tr>" + "".join(cells) + "</tr>")
                if ri == nh - 1:
                    parts.append("</thead>")
            parts.append("</tbody></table>")
    parts.append("</body></html>")
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


# ------------------------------------------------------------------ tex

def tex_escape(s: str) -> str:
    rep = {"\\": r"\textbackslash{}", "%": r"\%", "&": r"\&", "$": r"\$", "#": r"\#",
           "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
    return "".join(rep.get(c, c) for c in s)


def write_tex(meta, blocks, path: Path):
    x = tex_escape
    footer = meta.get("footer", "")
    foot = {"page": r"第 \thepage{} 页", "dash": r"- \thepage{} -",
            "of": r"第 \thepage{} 页 共 \pageref{LastPage} 页"}.get(footer, "")
    out = [
        r"\documentclass[UTF8,a4paper,zihao=-4,fontset=none]{ctexart}",
        r"\setCJKmainfont{Noto Serif CJK SC}",
        r"\setCJKsansfont{Noto Sans CJK SC}",
        # ≤ ≥ — from the CJK font (Latin Modern has none)
        r"\xeCJKDeclareCharClass{CJK}{`≤,`≥,`—}",
        r"\usepackage[top=25mm,bottom=25mm,left=25mm,right=25mm,headheight=14pt"
        + (",landscape" if meta.get("orient") == "landscape" else "") + "]{geometry}",
        r"\usepackage{fancyhdr,array,longtable,multirow,lastpage}",
        r"\pagestyle{fancy}",
        r"\fancyhf{}",
        r"\fancyhead[C]{\small " + x(meta.get("header", "")) + "}",
        r"\fancyfoot[C]{" + foot + "}",
        r"\renewcommand{\headrulewidth}{" + ("0.4pt" if meta.get("header") else "0pt") + "}",
        r"\ctexset{section={format=\large\bfseries\raggedright},"
        r"subsection={format=\normalsize\bfseries\raggedright},"
        r"subsubsection={format=\normalsize\bfseries\raggedright}}",
        r"\linespread{1.35}",
        r"\setlength{\parindent}{2em}",
        r"\renewcommand{\arraystretch}{1.25}",
        r"\begin{document}",
        r"\thispagestyle{fancy}",
    ]
    sec = {"h1": r"\section*", "h2": r"\subsection*", "h3": r"\subsubsection*"}
    for kind, payload in blocks:
        if kind == "title":
            out += [r"\begin{center}{\Large\bfseries " + x(payload) + r"}\end{center}", r"\vspace{1ex}"]
        elif kind in sec:
            out.append(sec[kind] + "{" + x(payload) + "}")
        elif kind == "p":
            out += [x(payload), ""]
        elif kind == "right":
            out += [r"\begin{flushright}" + x(payload) + r"\end{flushright}", ""]
        elif kind == "center":
            out += [r"\begin{center}\nopagebreak{\bfseries " + x(payload) + r"}\end{center}\nopagebreak", ""]
        elif kind == "newpage":
            out.append(r"\newpage")
        elif kind == "table":
            rows = payload["head"] + payload["body"]
            nh = len(payload["head"])
            sp = spans(rows)
            nc = len(rows[0])
            w = col_weights(rows)
            total = sum(w)
            avail = 0.98
            cols = "|" + "|".join(
                r">{\centering\arraybackslash}p{%.3f\linewidth}" % (avail * wi / total - 0.012) for wi in w
            ) + "|"
            out.append(r"{\small")
            out.append(r"\begin{longtable}{" + cols + "}")

            def row_tex(ri):
                cells = []
                cline = []
                for ci in range(nc):
                    s = sp[ri][ci]
                    if s is None:
                        # covered: by a row merge from above (empty cell) or a
                        # column merge from the left (nothing)
                        if rows[ri][ci] == "^":
                            cells.append("")
                        continue
                    rs, cs = s
                    v = x(rows[ri][ci])
                    if ri < nh:
                        v = r"\textbf{" + v + "}"
                    if rs > 1:
                        v = r"\multirow{%d}{=}{\centering %s}" % (rs, v)
                    if cs > 1:
                        width = sum(avail * w[c] / total for c in range(ci, ci + cs)) - 0.012
                        v = r"\multicolumn{%d}{|>{\centering\arraybackslash}p{%.3f\linewidth}|}{%s}" % (cs, width, v)
                    cells.append(v)
                # rules under this row: skip columns whose cell continues below
                for ci in range(nc):
                    below = ri + 1 < len(rows) and rows[ri + 1][ci] == "^"
                    cline.append(not below)
                if all(cline):
                    rule = r"\hline"
                else:
                    segs, start = [], None
                    for ci, on in enumerate(cline + [False]):
                        if on and start is None:
                            start = ci
                        if not on and start is not None:
                            segs.append(r"\cline{%d-%d}" % (start + 1, ci))
                            start = None
                    rule = "".join(segs)
                return " & ".join(cells) + r" \\ " + rule

            out.append(r"\hline")
            for ri in range(nh):
                out.append(row_tex(ri))
            if nh:
                out.append(r"\endhead")
            for ri in range(nh, len(rows)):
                out.append(row_tex(ri))
            out.append(r"\end{longtable}}")
            out.append("")
    out.append(r"\end{document}")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src = Path(sys.argv[1])
    outdir = Path(sys.argv[2])
    outdir.mkdir(parents=True, exist_ok=True)
    meta, blocks = parse(src.read_text(encoding="utf-8"))
    name = src.stem
    prod = meta["producer"]
    if prod == "libreoffice":
        write_docx(meta, blocks, outdir / f"{name}.docx", meta.get("font", "WenQuanYi Zen Hei"))
    elif prod == "chromium-wqy":
        write_html(meta, blocks, outdir / f"{name}.html", '"WenQuanYi Zen Hei"')
    elif prod == "chromium-noto":
        write_html(meta, blocks, outdir / f"{name}.html", '"Noto Sans CJK SC"')
    elif prod == "xelatex":
        write_tex(meta, blocks, outdir / f"{name}.tex")
    else:
        sys.exit(f"unknown producer {prod}")
    print(prod)


if __name__ == "__main__":
    main()
