"""``python -m bench``: throughput and memory of every narrex stage against plain ``jieba.lcut``.

Builds a deterministic corpus (the bundled articles replicated to ``--size-mb`` with light
variation), runs each stage over all of it in this one process, and prints per stage:
characters/s, articles/s, peak RSS, and the throughput relative to ``jieba.lcut`` measured
in the same run on the same text. Ratios are what we track: absolute numbers drift
between runs on shared machines.

Examples::

    python -m bench                       # 20 MB corpus, every stage
    python -m bench --quick               # ~2 MB, for a smoke run
    python -m bench --stages e2e,jieba --json
    python -m bench --write-corpus archive.jsonl --size-mb 1000   # a 1 GB JSON Lines archive, then exit
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

from .corpus import iter_corpus, write_jsonl
from .stages import STAGES, Ctx, StageResult, new_workdir, peak_rss_mb, run_stage

E2E_TARGET = 3.0          # extract_article throughput / jieba.lcut throughput
INGEST_TARGET = 1000.0    # 5,000-character articles per minute into the database, one core
HELP_TARGET = 0.5         # seconds for `narrex --help`


def _help_seconds(runs: int = 3) -> tuple[Optional[float], Optional[float]]:
    """Best wall time and best CPU time (user + sys) of ``narrex --help`` over ``runs`` runs; (None, None) on failure."""
    import resource

    exe = Path(sys.executable).with_name("narrex")
    cmd = [str(exe), "--help"] if exe.exists() else ([shutil.which("narrex"), "--help"] if shutil.which("narrex") else None)
    if cmd is None:
        cmd = [sys.executable, "-m", "narrex", "--help"]
    best = best_cpu = None
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        dt = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if r.returncode != 0:
            return None, None
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best = dt if best is None else min(best, dt)
        best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
    return best, best_cpu


def _loadavg() -> Optional[str]:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover
        return None


def _parse_args(argv: Optional[list[str]]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="stages: " + ", ".join(STAGES))
    ap.add_argument("--size-mb", type=float, default=None, help="corpus size in MB of article bytes (default 20; 2 with --quick)")
    ap.add_argument("--quick", action="store_true", help="a ~2 MB corpus: a smoke run for CI")
    ap.add_argument("--stages", default=None, help="comma-separated stages to run (default all; jieba is always added)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes for the e2e_jobs stage (default: all cores)")
    ap.add_argument("--baseline-every", type=int, default=4, metavar="K",
                    help="time jieba.lcut on every K-th article inside each stage (default 4)")
    ap.add_argument("--seed", type=int, default=7, help="corpus seed (same seed, same corpus)")
    ap.add_argument("--json", action="store_true", help="print the results as one JSON object")
    ap.add_argument("--json-out", metavar="FILE", default=None, help="also write the JSON results to FILE")
    ap.add_argument("--no-help-timing", action="store_true", help="skip timing `narrex --help`")
    ap.add_argument("--write-corpus", metavar="FILE.jsonl", default=None,
                    help="only write the corpus as a JSON Lines archive ({id,text,source,published}) and exit")
    return ap.parse_args(argv)


def _row(r: StageResult, base: float, base_cpu: float) -> dict:
    ratio, ratio_cpu, basis = r.vs_jieba, r.vs_jieba_cpu, "interleaved"
    if ratio is None and base and not r.skipped and r.seconds:
        ratio, basis = r.chars_per_s / base, "jieba row"  # stages timed as a whole (read, e2e_jobs)
        ratio_cpu = (r.chars / r.cpu_seconds) / base_cpu if r.cpu_seconds and base_cpu else None
    return {
        "stage": r.stage, "what": r.what, "skipped": r.skipped,
        "chars": r.chars, "articles": r.articles, "seconds": round(r.seconds, 3),
        "init_seconds": round(r.init_seconds, 3),
        "chars_per_s": round(r.chars_per_s), "articles_per_s": round(r.articles_per_s, 2),
        "peak_rss_mb": round(r.peak_rss_mb, 1), "rss_growth_mb": round(r.rss_growth_mb, 1),
        "cpu_seconds": round(r.cpu_seconds, 3),
        "vs_jieba": None if ratio is None else round(ratio, 2),
        "vs_jieba_cpu": None if ratio_cpu is None else round(ratio_cpu, 2), "ratio_basis": basis,
        "baseline_chars": r.base_chars, "errors": r.errors, "note": r.note,
    }


def _fmt_table(rows: list[dict]) -> str:
    head = ["stage", "chars/s", "articles/s", "x jieba", "x jieba cpu", "seconds", "init s", "peak RSS MiB",
            "+RSS MiB", "note"]
    lines = []
    for r in rows:
        if r["skipped"]:
            lines.append([r["stage"], "-", "-", "-", "-", "-", "-", f"{r['peak_rss_mb']:.0f}", "-", "skipped: " + r["note"]])
            continue
        note = r["note"] + (f" [{r['errors']} errors]" if r["errors"] else "")
        lines.append([r["stage"], f"{r['chars_per_s']:,}", f"{r['articles_per_s']:,.1f}",
                      "-" if r["vs_jieba"] is None else f"{r['vs_jieba']:.2f}" + ("" if r["ratio_basis"] == "interleaved" else "*"),
                      "-" if r["vs_jieba_cpu"] is None else f"{r['vs_jieba_cpu']:.2f}",
                      f"{r['seconds']:.2f}", f"{r['init_seconds']:.2f}", f"{r['peak_rss_mb']:.0f}",
                      f"{r['rss_growth_mb']:.1f}", note])
    widths = [max(len(head[i]), *(len(ln[i]) for ln in lines)) for i in range(len(head) - 1)]
    out = ["  ".join(h.ljust(w) for h, w in zip(head, widths)) + "  note",
           "  ".join("-" * w for w in widths) + "  ----"]
    for ln in lines:
        out.append("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(ln, widths))) + "  " + ln[-1])
    return "\n".join(out)


def main(argv: Optional[list[str]] = None) -> int:
    """Run the bench; prints the table (or JSON) and returns the exit code (0, or 2 for bad options)."""
    args = _parse_args(argv)
    size_mb = args.size_mb if args.size_mb is not None else (2.0 if args.quick else 20.0)
    size = int(size_mb * 1_000_000)
    if args.write_corpus:
        n, chars, nbytes = write_jsonl(Path(args.write_corpus), iter_corpus(size, args.seed))
        print(f"wrote {n} articles, {chars:,} characters, {nbytes / 1e6:.1f} MB to {args.write_corpus}")
        return 0
    wanted = list(STAGES)
    if args.stages:
        wanted = [s.strip() for s in args.stages.split(",") if s.strip()]
        unknown = [s for s in wanted if s not in STAGES]
        if unknown:
            print(f"bench: unknown stage(s): {', '.join(unknown)} (known: {', '.join(STAGES)})", file=sys.stderr)
            return 2
        if "jieba" not in wanted:
            wanted.append("jieba")
        wanted = [s for s in STAGES if s in wanted]  # run order

    t0 = time.perf_counter()
    articles = list(iter_corpus(size, args.seed))
    build_s = time.perf_counter() - t0
    chars = sum(len(a.text) for a in articles)
    nbytes = sum(len(a.data) for a in articles)
    rss_corpus = peak_rss_mb()
    log = (lambda *a: print(*a, file=sys.stderr, flush=True)) if not args.json else (lambda *a: None)
    log(f"bench: corpus {len(articles)} articles, {chars:,} chars, {nbytes / 1e6:.1f} MB (built in {build_s:.1f} s)")

    results: list[StageResult] = []
    with new_workdir() as wd:
        ctx = Ctx(articles, max(1, args.jobs), Path(wd), args.baseline_every)
        for name in wanted:
            log(f"bench: {name} ...")
            results.append(run_stage(name, ctx))
    jrow = next((r for r in results if r.stage == "jieba" and not r.skipped), None)
    base = jrow.chars_per_s if jrow else 0.0
    base_cpu = (jrow.chars / jrow.cpu_seconds) if jrow and jrow.cpu_seconds else 0.0
    rows = [_row(r, base, base_cpu) for r in results]
    by = {r["stage"]: r for r in rows}
    e2e = by.get("e2e")
    ratio = e2e["vs_jieba"] if e2e and not e2e["skipped"] else None
    ratio_cpu = e2e["vs_jieba_cpu"] if e2e and not e2e["skipped"] else None
    cold = by.get("e2e_cold")
    ratio_cold = cold["vs_jieba"] if cold and not cold["skipped"] else None
    graph = by.get("graph")
    ingest_per_min = (graph["chars_per_s"] * 60 / 5000) if graph and not graph["skipped"] and graph["seconds"] else None
    # per CPU-minute: what one core does when it is not shared with other work
    ingest_per_cpu_min = (graph["chars"] / graph["cpu_seconds"] * 60 / 5000) if ingest_per_min and graph["cpu_seconds"] else None
    help_s, help_cpu = (None, None) if args.no_help_timing else _help_seconds()
    summary = {
        "corpus": {"articles": len(articles), "chars": chars, "bytes": nbytes, "size_mb": size_mb,
                   "seed": args.seed, "build_seconds": round(build_s, 2), "peak_rss_mb_after_build": round(rss_corpus, 1)},
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "stages": rows,
        "jieba_chars_per_s": round(base),
        "e2e_vs_jieba": ratio,
        "e2e_vs_jieba_cpu": ratio_cpu,
        "e2e_cold_vs_jieba": ratio_cold,
        "jieba_init_seconds": round(ctx.jieba_init_seconds, 2),
        "load_average": _loadavg(),
        "e2e_target": E2E_TARGET,
        "ingest_5k_articles_per_min": None if ingest_per_min is None else round(ingest_per_min),
        "ingest_5k_articles_per_cpu_min": None if ingest_per_cpu_min is None else round(ingest_per_cpu_min),
        "ingest_target": INGEST_TARGET,
        "help_seconds": None if help_s is None else round(help_s, 3),
        "help_cpu_seconds": None if help_cpu is None else round(help_cpu, 3),
        "help_target": HELP_TARGET,
    }
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
        return 0

    def verdict(ok: Optional[bool]) -> str:
        return "n/a" if ok is None else ("OK" if ok else "BELOW TARGET")

    print(f"narrex bench: {len(articles)} articles, {chars:,} characters, {nbytes / 1e6:.1f} MB "
          f"(seed {args.seed}), {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print()
    print(_fmt_table(rows))
    print()
    print("x jieba: the stage's throughput / jieba.lcut's, both timed on the same articles, interleaved "
          f"(jieba on every {ctx.baseline_every}th article), so machine load affects both alike; "
          "* = against the jieba row. 'cpu' = the same on CPU time.")
    print(f"jieba.lcut baseline: {base:,.0f} chars/s over the whole corpus (dictionary load {ctx.jieba_init_seconds:.1f} s); "
          f"load average at the end {_loadavg()}")
    print(f"end to end (extract_article) / jieba.lcut: "
          f"{'n/a' if ratio is None else f'{ratio:.2f}x'} (CPU time: {'n/a' if ratio_cpu is None else f'{ratio_cpu:.2f}x'})"
          f"  (target >= {E2E_TARGET:.0f}x: {verdict(None if ratio is None else ratio >= E2E_TARGET)})")
    if ratio_cold is not None:
        print(f"  with the name/numeral memo caches emptied before every article (e2e_cold): {ratio_cold:.2f}x")
    print(f"ingest, 5,000-char articles per minute, one core: "
          f"{'n/a (graph stage skipped)' if ingest_per_min is None else f'{ingest_per_min:,.0f} wall'}"
          f"{'' if ingest_per_cpu_min is None else f', {ingest_per_cpu_min:,.0f} per CPU-minute'}  "
          f"(target >= {INGEST_TARGET:,.0f}: {verdict(None if ingest_per_cpu_min is None else ingest_per_cpu_min >= INGEST_TARGET)})")
    print(f"narrex --help: {'n/a' if help_s is None else f'{help_s:.3f} s wall, {help_cpu:.3f} s CPU'}  "
          f"(target < {HELP_TARGET} s: {verdict(None if help_s is None else help_s < HELP_TARGET)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
