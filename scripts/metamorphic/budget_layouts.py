#!/usr/bin/env python3
"""The budget tables of fixtures/metamorphic/budget-*.md as text gives
them, for tests/metamorphic.rs to read beside their PDFs:

- budget-department-pipes.txt: a web page's pipe table, merged cells as
  empty cells, the 基本支出 row wrapped after its amounts;
- budget-department-lines.txt and budget-project-lines.txt: rows of cells
  apart by two spaces, as a text layer writes them;
- budget-project-flat.txt: the form flattened into one paragraph, as a web
  page gives it when its cells run together: empty cells gone, the names of
  empty rows one after another.

usage: budget_layouts.py DIR   (reads DIR/budget-department.md and
DIR/budget-project.md)
"""
import sys
from pathlib import Path

d = Path(sys.argv[1])


def rows(name):
    """The source's lines: (cells, None) for a table row, (None, text)."""
    for l in (d / name).read_text().split("\n"):
        if l.startswith("# "):
            yield None, l[2:]
        elif l.startswith("|"):
            cells = [c.strip() for c in l.strip().strip("|").split("|")]
            yield ["" if c in ("^", "<") else c for c in cells], None
        else:
            yield None, l


flat, lines = [], []
for cells, text in rows("budget-project.md"):
    if cells is None:
        flat.append(text)
        lines.append(text)
        continue
    flat.append(" ".join(c for c in cells if c and c != "—"))
    lines.append("  ".join(c for c in cells if c))
(d / "budget-project-flat.txt").write_text(" ".join(flat[:-1]) + "\n" + flat[-1] + "\n")
(d / "budget-project-lines.txt").write_text("\n".join(lines) + "\n")

src = (d / "budget-department.md").read_text().split("\n")
pipes, lines = [], []
for l in src:
    if l.startswith("# "):
        pipes.append(l[2:])
        lines.append(l[2:])
        continue
    if not l.startswith("|"):
        pipes.append(l)
        lines.append(l)
        continue
    cells = [c.strip() for c in l.strip().strip("|").split("|")]
    cells = ["" if c in ("^", "<") else c for c in cells]
    if cells[1] == "基本支出":
        pipes.append(" | ".join(cells[:4]) + " |")
        pipes.append(" | ".join(cells[4:]) + " | ||")
    else:
        pipes.append(" | ".join(cells) + " |")
    lines.append("  ".join(c for c in cells if c))
(d / "budget-department-pipes.txt").write_text("\n".join(pipes))
(d / "budget-department-lines.txt").write_text("\n".join(lines))
