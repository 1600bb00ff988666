#!/usr/bin/env python3
"""The hardening campaign: what a batch of hostile or damaged PDFs can do.

Runs the release binary (build it first: `cargo build --release`) and
prints one line of figures per part:

  fuzz      N seeded mutants of the fixtures and the corpus (the generator
            of tests/fuzz.rs, run with JIXIAO_FUZZ_CASES=N and kept), audited
            in one run: records, outcomes, crashes of jixiao's own code,
            hangs past the limit, panic text, peak RSS of the main process
            and of any worker.
  jobs      the same inputs (a subset) at -j 1, 2 and 8: reports.jsonl and
            findings.csv compared byte for byte.
  kill      kill -9 of the main process at ten moments, and of a worker at
            ten moments, each followed by `--resume`; the datasets compared
            byte for byte with an uninterrupted run; workers alive after
            their main process was killed.
  batch     200 and 2,000 good files (the fixtures and the corpus, copied
            under new names): records = inputs, peak RSS of the main process
            and of the workers.
  qa        the reproducers of ../shared/qa (make_repros.py): code and time.

usage: python3 scripts/campaign.py [--cases 20000] [--seed 7] [--work DIR]
                                   [--parts fuzz,jobs,kill,batch,qa]
Nothing here runs in `cargo test`; the figures go into the hardening note.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "target" / "release" / "jixiao"


def status_kib(pid, field):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def alive(pid):
    """Running, not a zombie waiting to be reaped (a container's init may
    never reap the workers of a killed main process)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def descendants(pid):
    """Every process below pid (workers are children of the main process)."""
    out = []
    try:
        kids = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(pid)],
            capture_output=True,
            text=True,
        ).stdout.split()
    except OSError:
        return out
    for k in kids:
        k = int(k)
        out.append(k)
        out.extend(descendants(k))
    return out


class Peak:
    """Samples the peak RSS (VmHWM) of a process and of its descendants."""

    def __init__(self, pid):
        self.pid = pid
        self.main = 0
        self.worker = 0
        self.workers_seen = set()
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _run(self):
        while not self._stop.is_set():
            self.main = max(self.main, status_kib(self.pid, "VmHWM"))
            for d in descendants(self.pid):
                self.workers_seen.add(d)
                self.worker = max(self.worker, status_kib(d, "VmHWM"))
            time.sleep(0.1)

    def stop(self):
        self._stop.set()
        self._t.join()


def audit(inputs, out, *args, peak=False, kill=None):
    """Runs `jixiao audit inputs --out out args`; returns (rc, seconds,
    stdout+stderr, Peak or None). kill=(delay, 'main'|'worker') kills with
    SIGKILL after delay seconds."""
    cmd = [str(BIN), "audit", str(inputs), "--out", str(out), *args]
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    pk = Peak(p.pid) if peak else None
    killed = None
    if kill:
        delay, who = kill
        time.sleep(delay)
        if who == "main":
            workers = descendants(p.pid)
            p.send_signal(signal.SIGKILL)
            killed = workers
        else:
            for _ in range(50):
                ws = descendants(p.pid)
                if ws:
                    os.kill(ws[0], signal.SIGKILL)
                    killed = [ws[0]]
                    break
                time.sleep(0.05)
    text = p.communicate()[0].decode("utf-8", "replace")
    secs = time.monotonic() - start
    if pk:
        pk.stop()
    return p.returncode, secs, text, pk, killed


def dataset(out):
    return tuple(
        (out / name).read_bytes() if (out / name).exists() else b""
        for name in ("reports.jsonl", "findings.csv")
    )


def records(out):
    path = out / "reports.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


PANIC_TEXT = [
    "panicked",
    "RUST_BACKTRACE",
    "stack backtrace",
    "overflowed its stack",
    "fatal runtime error",
    "index out of bounds",
    "called `",
    "memory allocation of",
]
OWN_CRASH = ["文字层在读取页面时崩溃", "内部提取错误", "内部分析错误"]


def part_fuzz(a, work):
    env = dict(os.environ)
    env.update(
        JIXIAO_FUZZ_CASES=str(a.cases),
        JIXIAO_FUZZ_SEED=str(a.seed),
        JIXIAO_FUZZ_KEEP="1",
    )
    t = time.monotonic()
    r = subprocess.run(
        ["cargo", "test", "--release", "-q", "--test", "fuzz", "--", "--nocapture"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    gen = ROOT / "target" / "tmp" / "fuzz" / "inputs"
    ok = r.returncode == 0
    lines = [l for l in r.stderr.splitlines() if l.startswith("fuzz:")]
    print(f"fuzz test ({a.cases} mutants, seed {a.seed}): "
          f"{'passed' if ok else 'FAILED'} in {time.monotonic() - t:.0f} s")
    for l in lines:
        print("  " + l)
    if not ok:
        print(r.stdout[-4000:], r.stderr[-4000:])
    mutants = work / "mutants"
    shutil.rmtree(mutants, ignore_errors=True)
    shutil.move(str(gen), mutants)
    # The same inputs again, under the monitor, for the peaks and the figures.
    out = work / "fuzz-out"
    shutil.rmtree(out, ignore_errors=True)
    rc, secs, text, pk, _ = audit(mutants, out, "--timeout-secs", "5", peak=True)
    recs = records(out)
    n_in = len(list(mutants.iterdir()))
    paths = [r["source"]["path"] for r in recs]
    crashes = sum(
        1 for r in recs if any(c in json.dumps(r, ensure_ascii=False) for c in OWN_CRASH)
    )
    panics = sum(1 for r in recs if any(c in json.dumps(r) for c in PANIC_TEXT))
    panics += sum(1 for c in PANIC_TEXT if c in text)
    unnamed = sum(
        1
        for r in recs
        if r.get("status") == "failed"
        and not (r.get("error") or {}).get("code", "").startswith("ING")
    )
    timeouts = sum(
        1 for r in recs if "处理超时" in ((r.get("error") or {}).get("message") or "")
    )
    outcomes = {}
    for r in recs:
        code = (r.get("error") or {}).get("code") or "ok"
        outcomes[code] = outcomes.get(code, 0) + 1
    print(
        f"fuzz run: {n_in} inputs, {len(recs)} records "
        f"({len(set(paths))} distinct, {len(paths) - len(set(paths))} duplicated), "
        f"exit {rc}, {secs:.0f} s; own crashes {crashes}, panic text {panics}, "
        f"unnamed failures {unnamed}, time-outs (5 s limit) {timeouts}; "
        f"peak RSS main {pk.main // 1024} MiB, worker {pk.worker // 1024} MiB"
    )
    print(f"  outcomes: {dict(sorted(outcomes.items()))}")


def mixed_inputs(work, mutants=600):
    """Good files (corpus, fixtures) and some mutants, in one folder."""
    mix = work / "mix"
    if mix.exists():
        return mix
    mix.mkdir(parents=True)
    n = 0
    for folder in ["corpus", "corpus/labelled", "fixtures/rules", "fixtures/ingest",
                   "fixtures/kinds", "fixtures/tables", "fixtures/phrasing"]:
        for f in sorted((ROOT / folder).glob("*")):
            if f.suffix in (".pdf", ".txt") and f.is_file():
                shutil.copy(f, mix / f"{folder.replace('/', '_')}-{f.name}")
                n += 1
    src = work / "mutants"
    if src.exists():
        for f in sorted(src.iterdir())[:mutants]:
            shutil.copy(f, mix / f.name)
    return mix


def part_jobs(a, work):
    mix = mixed_inputs(work)
    n = len(list(mix.iterdir()))
    sets = {}
    for j in ("1", "2", "8"):
        out = work / f"jobs-{j}"
        shutil.rmtree(out, ignore_errors=True)
        rc, secs, _, pk, _ = audit(mix, out, "-j", j, "--timeout-secs", "5", peak=True)
        sets[j] = dataset(out)
        print(f"jobs -j {j}: {n} inputs, {len(records(out))} records, exit {rc}, "
              f"{secs:.0f} s, peak RSS main {pk.main // 1024} MiB, "
              f"worker {pk.worker // 1024} MiB")
    same = sets["1"] == sets["2"] == sets["8"]
    print(f"jobs: datasets at -j 1/2/8 {'byte-identical' if same else 'DIFFER'}")


def part_kill(a, work):
    mix = mixed_inputs(work)
    ref = work / "kill-ref"
    shutil.rmtree(ref, ignore_errors=True)
    _, total, _, _, _ = audit(mix, ref, "-j", "2", "--timeout-secs", "5")
    want = dataset(ref)
    print(f"kill: reference run {total:.0f} s, {len(records(ref))} records")
    for who in ("main", "worker"):
        same = 0
        orphans = 0
        for k in range(10):
            out = work / f"kill-{who}-{k}"
            shutil.rmtree(out, ignore_errors=True)
            delay = total * (0.05 + 0.09 * k)
            _, _, _, _, killed = audit(mix, out, "-j", "2", "--timeout-secs", "5",
                                       kill=(delay, who))
            if who == "main":
                time.sleep(1.5)
                orphans += sum(1 for w in killed or [] if alive(w))
            rc, _, text, _, _ = audit(mix, out, "-j", "2", "--timeout-secs", "5",
                                      "--resume")
            got = dataset(out)
            ok = got == want and rc == 0
            same += ok
            if not ok:
                print(f"  {who} at {delay:.1f} s: resume exit {rc}, differs; {text[-300:]}")
        print(f"kill -9 {who} at 10 moments + --resume: {same}/10 byte-identical"
              + (f", workers alive 1.5 s after their main died: {orphans}"
                 if who == "main" else ""))


def part_batch(a, work):
    good = []
    for folder in ["corpus", "corpus/labelled", "fixtures/rules", "fixtures/kinds",
                   "fixtures/tables", "fixtures/phrasing", "fixtures/handwritten"]:
        good += [f for f in sorted((ROOT / folder).glob("*"))
                 if f.suffix in (".pdf", ".txt") and f.is_file()]
    for size in (200, 2000):
        d = work / f"batch-{size}"
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
        for i in range(size):
            f = good[i % len(good)]
            shutil.copy(f, d / f"{i:05}-{f.name}")
        out = work / f"batch-{size}-out"
        shutil.rmtree(out, ignore_errors=True)
        rc, secs, _, pk, _ = audit(d, out, peak=True)
        recs = records(out)
        failed = sum(1 for r in recs if r.get("status") == "failed")
        print(f"batch {size}: {len(recs)} records ({failed} failed), exit {rc}, "
              f"{secs:.0f} s, peak RSS main {pk.main // 1024} MiB, "
              f"worker {pk.worker // 1024} MiB, {len(pk.workers_seen)} workers")


def part_qa(a, work):
    qa = ROOT.parent / "shared" / "qa"
    if not (qa / "make_repros.py").exists():
        print("qa: ../shared/qa is absent, skipped")
        return
    d = work / "qa"
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    subprocess.run([sys.executable, str(qa / "make_repros.py"), str(d)], check=True,
                   capture_output=True)
    for f in sorted(d.glob("*.pdf")):
        out = work / "qa-out"
        shutil.rmtree(out, ignore_errors=True)
        extra = ["--timeout-secs", "10"] if f.name.startswith("two_passes") else []
        rc, secs, _, pk, _ = audit(f, out, *extra, peak=True)
        recs = records(out)
        r = recs[0] if recs else {}
        err = r.get("error") or {}
        what = err.get("code") or f"ok, {len(r.get('findings', []))} findings"
        msg = (err.get("message") or "")[:60]
        print(f"qa {f.name}: {what} {msg} | {secs:.1f} s, main {pk.main // 1024} MiB, "
              f"worker {pk.worker // 1024} MiB, {out.joinpath('reports.jsonl').stat().st_size if out.joinpath('reports.jsonl').exists() else 0} B")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cases", type=int, default=20000)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--work", type=Path, default=ROOT / "target" / "campaign")
    p.add_argument("--parts", default="fuzz,jobs,kill,batch,qa")
    a = p.parse_args()
    if not BIN.exists():
        sys.exit(f"{BIN} is missing: cargo build --release")
    a.work.mkdir(parents=True, exist_ok=True)
    parts = {"fuzz": part_fuzz, "jobs": part_jobs, "kill": part_kill,
             "batch": part_batch, "qa": part_qa}
    for name in a.parts.split(","):
        parts[name](a, a.work)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
