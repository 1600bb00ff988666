#!/usr/bin/env python3
"""Print the page(s) on which each key sentence lands in each PDF.

Uses pdftotext; whitespace is ignored when matching (pdftotext inserts spaces
between CJK and digits, and line breaks). A sentence split over a page break is
reported as "p-q".  CJK radicals that some producers emit (e.g. U+2F34 ⼴ for
广) are folded with NFKC before matching.

usage: locate.py [--blocks BLOCKS_TXT] PDF...

With --blocks (the blocks.txt written by render.py), also check that every
rebuilt paragraph, heading and table caption is found in each PDF's text
(whitespace ignored), and exit 1 if anything is missing.
"""
import re
import subprocess
import sys
import unicodedata

KEYS = [
    "采购政策效能分值 1 分，得分 9.99 分",
    "合同备案时效性得分 0 分，采购政策效能得分 0.99 分",
    "2023 年广州市档案馆一级项目 6 个",
    "收入合计10590.2万元",
]


HEADER = "2023年度广州市档案馆部门整体支出绩效自评报告"
FOOTER = re.compile(r"^(?:-?\d+-?|第\d+页共\d+页)$")


def squash(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def page_text(pdf: str):
    text = subprocess.run(["pdftotext", pdf, "-"], check=True, capture_output=True, text=True).stdout
    flat, owner = [], []
    for i, p in enumerate(text.split("\f"), 1):
        # drop the running header and the page-number footer, so that a
        # sentence continued on the next page is found whole
        lines, header_seen = [], False
        for l in p.splitlines():
            sl = squash(l)
            if sl == HEADER and not header_seen:
                header_seen = True  # the first one only: page 1 repeats it as the title
                continue
            if FOOTER.match(sl):
                continue
            lines.append(l)
        sq = squash("\n".join(lines))
        flat.append(sq)
        owner.extend([i] * len(sq))
    return "".join(flat), owner


def locate(flat, owner, needle):
    n = squash(needle)
    hits = []
    start = 0
    while (j := flat.find(n, start)) >= 0:
        a, b = owner[j], owner[j + len(n) - 1]
        hits.append(str(a) if a == b else f"{a}-{b}")
        start = j + 1
    return hits


def main():
    args = sys.argv[1:]
    blocks = None
    if args[:1] == ["--blocks"]:
        blocks = [
            re.sub(r"^\[\w+\] ", "", b.strip())
            for b in open(args[1], encoding="utf-8").read().split("\n\n")
            if b.strip()
        ]
        args = args[2:]
    bad = 0
    for pdf in args:
        flat, owner = page_text(pdf)
        print(pdf)
        for k in KEYS:
            hits = locate(flat, owner, k)
            print(f"  {k}: {', '.join(hits) if hits else 'NOT FOUND'}")
            bad += not hits
        for b in blocks or []:
            # page-break hyphenation does not occur in CJK, but running
            # headers/footers can fall inside a paragraph split over pages
            if not locate(flat, owner, b):
                parts = [p for p in re.split(r"(?<=[。；：，])", b) if p]
                # pdftotext (not -layout) drops a hyphen at the end of a line
                # and glues the halves: "2022-" / "2024" comes out "20222024"
                nohy = flat.replace("-", "")
                missing = [p for p in parts if not locate(flat, owner, p)
                           and squash(p).replace("-", "") not in nohy]
                if missing:
                    print(f"  MISSING: {missing[0][:60]}")
                    bad += 1
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
