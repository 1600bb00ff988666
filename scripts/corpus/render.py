#!/usr/bin/env python3
"""Render the seed self-evaluation report into producer inputs.

Reads corpus/guangzhou-archives-2023-selfeval.txt (text extracted from a PDF:
markdown '#' headings, blocks separated by blank lines, some sentences broken
mid-word across blocks), rebuilds proper paragraphs, inserts the two tables,
and writes:

  build/corpus/guangzhou-archives-2023.docx      (python-docx, for LibreOffice)
  build/corpus/guangzhou-archives-2023-wqy.html  (for Chromium, WenQuanYi Zen Hei)
  build/corpus/guangzhou-archives-2023-noto.html (for Chromium, Noto Sans CJK SC)
  build/corpus/guangzhou-archives-2023.tex       (for XeLaTeX + ctex, Noto Serif CJK SC)
  build/corpus/blocks.txt                        (the rebuilt paragraphs, for review)

Wording and numbers are kept exactly as in the seed, including its errors.

usage: render.py SEED_TXT OUT_DIR
"""
import html
import re
import sys
from pathlib import Path

HEADER_TITLE = "2023年度广州市档案馆部门整体支出绩效自评报告"

TABLES = [
    {
        "after_startswith": "2023年广州市档案馆收入合计",
        "caption": "表1 2023年部门整体收支情况（单位：万元）",
        "header": ["项目", "金额", "占比"],
        "rows": [
            ["收入合计", "10590.2", "100%"],
            ["一般公共预算财政拨款收入", "10583.6", "99.94%"],
            ["其他收入", "6.6", "0.06%"],
            ["支出合计", "10590.2", "100%"],
            ["基本支出", "5864.18", "55.37%"],
            ["项目支出", "4726.02", "44.63%"],
        ],
    },
    {
        "after_contains": "绩效自评为 98.92 分，绩效等级为优",
        "caption": "表2 部门整体支出绩效自评得分情况",
        "header": ["一级指标", "分值", "得分"],
        "rows": [
            ["履职效能", "50", "49.93"],
            ["管理效率", "50", "48.99"],
            ["合计", "100", "98.92"],
        ],
    },
]

FINAL = "。；：！？;:!?"
CLOSERS = "”’」』）)】》\"'"
ENUM_RE = re.compile(
    r"^(?:[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、]|[一二三四五六七八九十]+、)"
)


def ends_sentence(t: str) -> bool:
    t = t.rstrip()
    while t and t[-1] in CLOSERS:
        t = t[:-1]
        if t and t[-1] in FINAL:
            return True
    return bool(t) and t[-1] in FINAL


def heading_level(text: str):
    if re.match(r"^[一二三四五六七八九十]+、", text):
        return "h1"
    if re.match(r"^[（(][一二三四五六七八九十]+[)）]", text):
        return "h2"
    if re.match(r"^\d+[.．、]", text):
        return "h3"
    return None


def classify(block: str):
    """Return (kind, text): kind in title/h1/h2/h3/enum_heading/item/text."""
    m = re.match(r"^(#+)\s*(.*)$", block)
    if m:
        level = len(m.group(1))
        text = m.group(2).strip()
        if level == 1:
            return ("title", text)
        # the seed's '#' depths are inconsistent (it was extracted from a
        # PDF); a real report numbers its levels 一、 / （一） / 1., so the
        # heading level follows the enumerator, falling back to the depth
        return (heading_level(text) or {2: "h1", 3: "h2"}.get(level, "h3"), text)
    if ENUM_RE.match(block) and not ends_sentence(block):
        if len(block) <= 20:
            # short enumerated line without terminal punctuation: a heading,
            # e.g. "(三) 管理效率分析".  (Longer ones such as "4. 向公众提供
            # 优质的档案查阅、档案宣传、档案展览等公" are broken sentences.)
            return (heading_level(block) or "h3", block)
        if block[-1] in "）)":
            # enumerated project line "(1) 运行经费支出 1808.84 万元（含 … 二级项目）":
            # a paragraph of its own, never glued to the description below it
            return ("item", block)
    return ("text", block)


def rebuild(seed: str):
    blocks = [b.strip() for b in re.split(r"\n\s*\n", seed) if b.strip()]
    out = []  # list of (kind, text)
    cur = None
    for b in blocks:
        kind, text = classify(b)
        if kind in ("title", "h1", "h2", "h3"):
            if cur is not None:
                out.append(("p", cur))
                cur = None
            out.append((kind, text))
            continue
        if cur is None:
            cur = text
        else:
            # join a broken sentence: no separator (Chinese text)
            cur = cur + text
        if kind == "item" and cur == text:
            out.append(("item", cur))
            cur = None
        elif ends_sentence(cur):
            out.append(("p", cur))
            cur = None
    if cur is not None:
        out.append(("p", cur))
    # the rebuild only regroups blocks: the text itself must be untouched
    seed_text = "".join(re.sub(r"^#+\s*", "", b).strip() for b in blocks)
    assert "".join(t for _, t in out) == seed_text, "rebuild changed the text"
    # insert tables
    result = []
    used = set()
    for kind, text in out:
        result.append((kind, text))
        if kind not in ("p", "item"):
            continue
        for i, t in enumerate(TABLES):
            hit = ("after_startswith" in t and text.startswith(t["after_startswith"])) or (
                "after_contains" in t and t["after_contains"] in text
            )
            if hit and i not in used:
                used.add(i)
                result.append(("table", t))
    missing = [TABLES[i]["caption"] for i in range(len(TABLES)) if i not in used]
    if missing:
        sys.exit(f"render.py: anchor paragraph not found for {missing}")
    return result


# ---------------------------------------------------------------- docx

def write_docx(doc_blocks, path: Path, font: str):
    import datetime

    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    def force_font(rpr_owner, size=None, bold=None):
        """Set all four rFonts slots to `font`, dropping theme fonts."""
        rpr = rpr_owner.get_or_add_rPr()
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
    cp.title = HEADER_TITLE
    cp.author = "广州市档案馆"
    cp.last_modified_by = "广州市档案馆"
    cp.created = cp.modified = datetime.datetime(2024, 3, 1, 9, 0, 0)
    cp.revision = 1

    # styles
    normal = doc.styles["Normal"]
    normal.font.name = font
    normal.font.size = Pt(12)
    force_font(normal.element)
    npf = normal.paragraph_format
    npf.first_line_indent = Pt(24)
    npf.line_spacing = 1.5
    npf.space_before = Pt(0)
    npf.space_after = Pt(0)
    heads = {"title": ("Title", 16), "h1": ("Heading 1", 15), "h2": ("Heading 2", 14), "h3": ("Heading 3", 12)}
    for _, (sname, size) in heads.items():
        st = doc.styles[sname]
        st.font.name = font
        st.font.size = Pt(size)
        st.font.bold = True
        st.font.italic = False
        st.font.color.rgb = RGBColor(0, 0, 0)
        force_font(st.element)
        pf = st.paragraph_format
        pf.first_line_indent = Pt(0)
        pf.space_before = Pt(12 if sname != "Heading 3" else 6)
        pf.space_after = Pt(6)
        pf.line_spacing = 1.25
        pf.keep_with_next = True
    # Title style in the default template has a bottom border; drop it
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

    # page setup: A4
    sec = doc.sections[0]
    sec.page_width = Cm(21.0)
    sec.page_height = Cm(29.7)
    sec.top_margin = Cm(2.54)
    sec.bottom_margin = Cm(2.54)
    sec.left_margin = Cm(3.17)
    sec.right_margin = Cm(3.17)
    sec.header_distance = Cm(1.5)
    sec.footer_distance = Cm(1.5)

    hp = sec.header.paragraphs[0]
    hp.style = doc.styles["Header"]
    hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    hp.add_run(HEADER_TITLE)

    def add_field(par, instr, placeholder="1"):
        r = par.add_run()
        fc = OxmlElement("w:fldChar")
        fc.set(qn("w:fldCharType"), "begin")
        r._r.append(fc)
        r = par.add_run()
        it = OxmlElement("w:instrText")
        it.set(qn("xml:space"), "preserve")
        it.text = f" {instr} "
        r._r.append(it)
        r = par.add_run()
        fc = OxmlElement("w:fldChar")
        fc.set(qn("w:fldCharType"), "separate")
        r._r.append(fc)
        par.add_run(placeholder)
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

    for kind, payload in doc_blocks:
        if kind in heads:
            doc.add_paragraph(payload, style=heads[kind][0])
        elif kind in ("p", "item"):
            doc.add_paragraph(payload)
        elif kind == "table":
            t = payload
            cap = doc.add_paragraph()
            cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
            cap.paragraph_format.first_line_indent = Pt(0)
            cap.paragraph_format.space_before = Pt(6)
            cap.paragraph_format.keep_with_next = True
            cap.add_run(t["caption"]).bold = True
            rows = [t["header"]] + t["rows"]
            table = doc.add_table(rows=len(rows), cols=len(t["header"]))
            table.style = doc.styles["Table Grid"]
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            widths = [Cm(7.0), Cm(3.5), Cm(3.0)]
            table.autofit = False
            for ci, w in enumerate(widths):
                table.columns[ci].width = w  # w:gridCol, which LibreOffice uses
            for ri, row in enumerate(rows):
                for ci, val in enumerate(row):
                    cell = table.cell(ri, ci)
                    cell.width = widths[ci]
                    p = cell.paragraphs[0]
                    p.paragraph_format.first_line_indent = Pt(0)
                    p.paragraph_format.line_spacing = 1.2
                    p.alignment = WD_ALIGN_PARAGRAPH.LEFT if ci == 0 else WD_ALIGN_PARAGRAPH.CENTER
                    run = p.add_run(val)
                    if ri == 0:
                        run.bold = True
                        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            sp = doc.add_paragraph()
            sp.paragraph_format.line_spacing = 0.8
    doc.save(str(path))
    _fix_zip_dates(path)


def _fix_zip_dates(path: Path):
    """Rewrite the .docx zip with fixed member dates so reruns give the same bytes."""
    import zipfile

    with zipfile.ZipFile(path) as zin:
        members = [(i.filename, zin.read(i.filename)) for i in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in members:
            zi = zipfile.ZipInfo(name, date_time=(2024, 3, 1, 9, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(zi, data)


# ---------------------------------------------------------------- html

HTML_CSS = """
@page {
  size: A4;
  margin: 25mm 25mm 25mm 25mm;
  @top-center { content: "%(header)s"; font-family: %(family)s; font-size: 9pt; color: #333; }
  @bottom-center { content: "- " counter(page) " -"; font-family: %(family)s; font-size: 10.5pt; }
}
html { font-family: %(family)s; font-size: 12pt; line-height: 1.6; color: #000; }
body { margin: 0; }
h1.title { font-size: 18pt; text-align: center; margin: 0 0 18pt 0; }
h2 { font-size: 15pt; margin: 14pt 0 6pt 0; break-after: avoid; }
h3 { font-size: 13.5pt; margin: 12pt 0 6pt 0; break-after: avoid; }
h4 { font-size: 12pt; margin: 10pt 0 4pt 0; break-after: avoid; }
p { text-indent: 2em; margin: 0; text-align: justify; }
table { border-collapse: collapse; margin: 8pt auto 12pt auto; break-inside: avoid; }
caption { font-weight: bold; padding-bottom: 4pt; }
th, td { border: 1px solid #000; padding: 2pt 10pt; }
th { font-weight: bold; text-align: center; }
td { text-align: center; }
td:first-child { text-align: left; }
"""


def write_html(doc_blocks, path: Path, family: str):
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{e(HEADER_TITLE)}</title>",
        "<style>" + HTML_CSS % {"header": HEADER_TITLE, "family": family} + "</style>",
        "</head><body>",
    ]
    tag = {"h1": "h2", "h2": "h3", "h3": "h4"}
    for kind, payload in doc_blocks:
        if kind == "title":
            parts.append(f'<h1 class="title">{e(payload)}</h1>')
        elif kind in tag:
            parts.append(f"<{tag[kind]}>{e(payload)}</{tag[kind]}>")
        elif kind in ("p", "item"):
            parts.append(f"<p>{e(payload)}</p>")
        elif kind == "table":
            t = payload
            parts.append("<table>")
            parts.append(f"<caption>{e(t['caption'])}</caption>")
            parts.append("<thead><tr>" + "".join(f"<th>{e(c)}</th>" for c in t["header"]) + "</tr></thead>")
            parts.append("<tbody>")
            for row in t["rows"]:
                parts.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>")
            parts.append("</tbody></table>")
    parts.append("</body></html>")
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


# ---------------------------------------------------------------- latex

def tex_escape(s: str) -> str:
    rep = {
        "\\": r"\textbackslash{}", "%": r"\%", "&": r"\&", "$": r"\$", "#": r"\#",
        "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
    }
    return "".join(rep.get(c, c) for c in s)


def write_tex(doc_blocks, path: Path):
    x = tex_escape
    out = [
        # fontset=none: no Fandol fonts.  FandolSong is CID-keyed Adobe-GB1,
        # and xdvipdfmx writes no ToUnicode CMap for a font with a registered
        # character collection; Noto Serif CJK SC (OpenType/CFF, Adobe-Identity-0)
        # gets one, as CJK text in real XeLaTeX documents usually does.
        r"\documentclass[UTF8,a4paper,zihao=-4,fontset=none]{ctexart}",
        r"\setCJKmainfont{Noto Serif CJK SC}",
        r"\usepackage[top=25mm,bottom=25mm,left=28mm,right=28mm,headheight=14pt]{geometry}",
        r"\usepackage{fancyhdr}",
        r"\usepackage{array}",
        r"\pagestyle{fancy}",
        r"\fancyhf{}",
        r"\fancyhead[C]{\small " + x(HEADER_TITLE) + "}",
        r"\fancyfoot[C]{\thepage}",
        r"\renewcommand{\headrulewidth}{0.4pt}",
        r"\ctexset{section={format=\large\bfseries\raggedright},"
        r"subsection={format=\normalsize\bfseries\raggedright},"
        r"subsubsection={format=\normalsize\bfseries\raggedright}}",
        r"\linespread{1.3}",
        r"\setlength{\parindent}{2em}",
        r"\begin{document}",
        r"\thispagestyle{fancy}",
    ]
    sec = {"h1": r"\section*", "h2": r"\subsection*", "h3": r"\subsubsection*"}
    for kind, payload in doc_blocks:
        if kind == "title":
            out.append(r"\begin{center}{\Large\bfseries " + x(payload) + r"}\end{center}")
            out.append(r"\vspace{1ex}")
        elif kind in sec:
            out.append(sec[kind] + "{" + x(payload) + "}")
        elif kind in ("p", "item"):
            out.append(x(payload))
            out.append("")
        elif kind == "table":
            t = payload
            out.append(r"\begin{center}")
            out.append(r"{\bfseries " + x(t["caption"]) + r"}\par\vspace{4pt}")
            out.append(r"\begin{tabular}{|l|c|c|}")
            out.append(r"\hline")
            out.append(" & ".join(r"\textbf{" + x(c) + "}" for c in t["header"]) + r" \\ \hline")
            for row in t["rows"]:
                out.append(" & ".join(x(c) for c in row) + r" \\ \hline")
            out.append(r"\end{tabular}")
            out.append(r"\end{center}")
            out.append("")
    out.append(r"\end{document}")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    seed = Path(sys.argv[1]).read_text(encoding="utf-8")
    outdir = Path(sys.argv[2])
    outdir.mkdir(parents=True, exist_ok=True)
    blocks = rebuild(seed)
    with open(outdir / "blocks.txt", "w", encoding="utf-8") as f:
        for kind, payload in blocks:
            if kind == "table":
                f.write(f"[table] {payload['caption']}\n\n")
            else:
                f.write(f"[{kind}] {payload}\n\n")
    write_docx(blocks, outdir / "guangzhou-archives-2023.docx", "WenQuanYi Zen Hei")
    write_html(blocks, outdir / "guangzhou-archives-2023-wqy.html", '"WenQuanYi Zen Hei"')
    write_html(blocks, outdir / "guangzhou-archives-2023-noto.html", '"Noto Sans CJK SC"')
    write_tex(blocks, outdir / "guangzhou-archives-2023.tex")


if __name__ == "__main__":
    main()
