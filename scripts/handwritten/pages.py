#!/usr/bin/env python3
"""Check the labels of a hand-written report against its PDF.

For every expected finding and every trap in NAME.labels.json: its quote
must be found in the text pdftotext gives for the PDF (plain, -layout or
-raw; NFKC, whitespace
removed; a table row, whose cells pdftotext may lay out on several lines, is
found when its cells — the quote's whitespace-separated parts — appear in
order on one page), and an expected finding's `stated` must be one of the
numbers its quote writes (for PCT002: the sum of the shares it writes). Prints where each quote lands; exits 1 when a
quote is missing or lands on another page than its label says.

With --write, records the page found (the page where the quote starts) in
each expected finding. The labels themselves (rule, stated, quote) are
written by hand; only the page is looked up.

usage: pages.py [--write] LABELS.json...
"""
import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path


def squash(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def pages_of(pdf: Path):
    out = []
    for mode in ([], ["-layout"], ["-raw"]):
        text = subprocess.run(["pdftotext", *mode, str(pdf), "-"], check=True,
                              capture_output=True, text=True).stdout
        pages = text.split("\f")
        if pages and not pages[-1].strip():
            pages.pop()
        out.append([squash(p) for p in pages])
    return out


def numbers(s: str):
    """The numbers a quote writes: as spaced, and with spaces removed (a
    number broken by a space)."""
    s = re.sub(r"(?<=\d),(?=\d{3})", "", unicodedata.normalize("NFKC", s))
    found = set()
    for t in (s, re.sub(r"\s+", "", s)):
        found |= {str(float(m)) for m in re.findall(r"\d+(?:\.\d+)?", t)}
    return found


def chinese(n: int):
    """How a count is written in Chinese numerals (below 100)."""
    d = "零一二三四五六七八九"
    if n < 10:
        return [d[n]] + (["两"] if n == 2 else [])
    tens, ones = divmod(n, 10)
    return [(d[tens] if tens > 1 else "") + "十" + (d[ones] if ones else "")]


def locate(modes, quote):
    q = squash(quote)
    parts = [squash(p) for p in unicodedata.normalize("NFKC", quote).split() if p.strip()]
    found = set()
    for pages in modes:
        for i, p in enumerate(pages, 1):
            if q in p:
                found.add((i, "whole"))
                continue
            pos = 0
            ok = True
            for part in parts:
                j = p.find(part, pos)
                if j < 0:
                    ok = False
                    break
                pos = j + len(part)
            if ok and len(parts) > 1:
                found.add((i, "cells"))
        # across a page break
        for i in range(len(pages) - 1):
            joined = pages[i] + pages[i + 1]
            j = joined.find(q)
            if j >= 0 and j < len(pages[i]) < j + len(q):
                found.add((i + 1, f"continues on {i + 2}"))
    return sorted(found)


def main():
    args = sys.argv[1:]
    write = False
    if args and args[0] == "--write":
        write, args = True, args[1:]
    bad = 0
    for lp in map(Path, args):
        labels = json.loads(lp.read_text(encoding="utf-8"))
        pdf = lp.parent / labels["file"]
        modes = pages_of(pdf)
        changed = False
        for kind in ("expected", "traps"):
            for lab in labels.get(kind, []):
                where = locate(modes, lab["quote"])
                pages = sorted({p for p, _ in where})
                tag = f"{kind[:3]} {lab.get('rule', '-'):7}"
                if not pages:
                    print(f"  MISSING {tag} {lab['quote']}")
                    bad += 1
                    continue
                if kind == "expected":
                    st = lab["stated"]
                    if lab["rule"] == "PCT002":  # stated is the sum of the shares
                        shares = re.findall(r"(\d+(?:\.\d+)?)\s*%", unicodedata.normalize("NFKC", lab["quote"]))
                        ok = abs(sum(map(float, shares)) - float(st)) < 1e-9
                    elif re.fullmatch(r"\d+(?:\.\d+)?", st):
                        ok = str(float(st)) in numbers(lab["quote"]) or (
                            st.isdigit() and any(c in lab["quote"] for c in chinese(int(st))))
                    else:  # a grade
                        ok = st in lab["quote"]
                    if not ok:
                        print(f"  STATED {lab['stated']} not in quote: {lab['quote']}")
                        bad += 1
                    if len(pages) > 1:
                        print(f"  AMBIGUOUS {tag} pages {pages}: {lab['quote']}")
                        bad += 1
                        continue
                    if write and lab.get("page") != pages[0]:
                        lab["page"] = pages[0]
                        changed = True
                    elif lab.get("page") != pages[0]:
                        print(f"  PAGE {tag} labelled {lab.get('page')}, found {pages[0]}: {lab['quote']}")
                        bad += 1
                        continue
                notes = ", ".join(f"p{p} {how}" for p, how in where)
                print(f"  ok {tag} {notes}: {lab['quote'][:40]}")
        if changed:
            lp.write_text(json.dumps(labels, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            print(f"  pages written to {lp}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
