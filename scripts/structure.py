#!/usr/bin/env python3
"""Structure of src/: the module graph from `use crate::` paths, its import
circles, file sizes and function lengths.

usage: python3 scripts/structure.py [SRC]   (default: src)

A module is a file under SRC (mod.rs names its folder). An edge A -> B is
any `crate::b::…` path in A's code (comments aside, test modules
included), resolved to the
longest module path that exists. Circles are the strongly connected
components of more than one module. A function's length is its lines from
`fn` to its closing brace at the same indentation.
"""
import os
import re
import statistics
import sys

src = sys.argv[1] if len(sys.argv) > 1 else "src"


def module_of(path):
    rel = os.path.relpath(path, src)[:-3].split(os.sep)
    if rel[-1] in ("mod", "lib", "main"):
        rel = rel[:-1]
    return "::".join(rel) or "crate"


files = {}
for root, _, names in os.walk(src):
    for n in names:
        if n.endswith(".rs"):
            p = os.path.join(root, n)
            files[module_of(p)] = p
mods = set(files)
edges = {m: set() for m in mods}
PATH = re.compile(r"crate::((?:[a-z_][a-z0-9_]*::)*[a-z_][a-z0-9_]*)")
GROUP = re.compile(r"crate::((?:[a-z_][a-z0-9_]*::)*)\{([^}]*)\}", re.S)
for m, p in files.items():
    text = "\n".join(
        l for l in open(p, encoding="utf-8").read().split("\n") if not l.lstrip().startswith("//")
    )
    cands = [c for c in PATH.findall(text)]
    for prefix, inner in GROUP.findall(text):
        for item in inner.split(","):
            item = item.strip().split("::")[0].strip()
            if item and item != "self":
                cands.append(prefix + item)
            elif item == "self":
                cands.append(prefix.rstrip(":"))
    for c in cands:
        parts = c.strip(":").split("::")
        for k in range(len(parts), 0, -1):
            t = "::".join(parts[:k])
            if t in mods:
                # an edge to a submodule of oneself or to one's own parent
                # (re-exports) is structure, not an import
                if t != m and not m.startswith(t + "::") and not t.startswith(m + "::"):
                    edges[m].add(t)
                break


def top(m):
    return m.split("::")[0]


# circles among top-level modules (folders count as one)
tops = {top(m) for m in mods if m != "crate"}
tedges = {t: set() for t in tops}
for a, bs in edges.items():
    for b in bs:
        if a != "crate" and top(a) != top(b):
            tedges[top(a)].add(top(b))


def sccs(nodes, adj):
    index, low, stack, on, out, k = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = k[0]
        k[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(adj.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return [c for c in out if len(c) > 1]


print("module graph (top-level modules; A -> what A imports):")
for t in sorted(tedges):
    print(f"  {t} -> {', '.join(sorted(tedges[t])) or '(nothing)'}")
circles = sccs(tops, tedges)
print(f"import circles among top-level modules: {len(circles)}")
for c in circles:
    print("  " + " <-> ".join(c))
fine = sccs(mods, edges)
print(f"import circles among all modules (files): {len(fine)}")
for c in fine:
    print("  " + " <-> ".join(c))

FN = re.compile(r"^(\s*)(?:pub(?:\([^)]*\))?\s+)?(?:const\s+)?(?:unsafe\s+)?fn\s+(\w+)")
lengths = []
for m, p in sorted(files.items()):
    lines = open(p, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        mt = FN.match(lines[i])
        if mt and not lines[i].rstrip().endswith(";"):
            ind = mt.group(1)
            j = i
            while j < len(lines) and not (
                lines[j].startswith(ind + "}") and len(lines[j]) - len(lines[j].lstrip()) == len(ind)
            ):
                if j > i and lines[j].rstrip() == ind + "}":
                    break
                j += 1
            lengths.append((j - i + 1, p, i + 1, mt.group(2)))
        i += 1
sizes = sorted(((sum(1 for _ in open(p, encoding="utf-8")), p) for p in files.values()), reverse=True)
print(f"files: {len(sizes)}, over 1000 lines: {sum(1 for n, _ in sizes if n > 1000)}")
for n, p in sizes[:5]:
    print(f"  {n:5} {p}")
ls = [l for l, *_ in lengths]
print(
    f"functions: {len(ls)}, median {statistics.median(ls):g} lines, "
    f"over 50: {sum(1 for l in ls if l > 50)}, over 100: {sum(1 for l in ls if l > 100)}"
)
for l, p, line, name in sorted(lengths, reverse=True)[:10]:
    print(f"  {l:4} {p}:{line} {name}")
