#!/usr/bin/env python3
"""Print the page(s) on which each key sentence lands in each PDF.

Uses pdftotext; whitespace is ignored when matching (pdftotext inserts spaces
between CJK and digits, and line breaks). A sentence split over a page break is
reported as "p-q".  CJK radicals that some producers emit (e.g. U+2F34 ⼴ for
广) are folded with NFKC before matching.

usage: locate.py PDF...
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


def squash(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def locate(pdf: str):
    text = subprocess.run(["pdftotext", pdf, "-"], check=True, capture_output=True, text=True).stdout
    pages = text.split("\f")
    flat, owner = [], []
    for i, p in enumerate(pages, 1):
        sq = squash(p)
        flat.append(sq)
        owner.extend([i] * len(sq))
    flat = "".join(flat)
    res = {}
    for k in KEYS:
        n = squash(k)
        hits = []
        start = 0
        while (j := flat.find(n, start)) >= 0:
            a, b = owner[j], owner[j + len(n) - 1]
            hits.append(str(a) if a == b else f"{a}-{b}")
            start = j + 1
        res[k] = hits
    return res


def main():
    for pdf in sys.argv[1:]:
        print(pdf)
        for k, hits in locate(pdf).items():
            print(f"  {k}: {', '.join(hits) if hits else 'NOT FOUND'}")


if __name__ == "__main__":
    main()
