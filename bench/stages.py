"""The measured stages: each runs one public entry point of narrex over the whole bench corpus.

Every stage is timed per call (inputs it needs from earlier stages are computed outside
the timed region), so a stage's figure is the cost of that stage alone. Stages bind to
stable entry points and report "skipped" with a note when the entry point does not exist
yet (the stages are built in parallel).
"""
from __future__ import annotations

import importlib
import os
import resource
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from .corpus import BenchArticle

__all__ = ["StageResult", "STAGES", "run_stage", "rss_mb", "peak_rss_mb"]


@dataclass
class StageResult:
    """Throughput and memory of one stage over the corpus."""

    stage: str
    what: str
    chars: int = 0
    articles: int = 0
    seconds: float = 0.0
    init_seconds: float = 0.0
    peak_rss_mb: float = 0.0
    rss_growth_mb: float = 0.0
    cpu_seconds: float = 0.0
    base_chars: int = 0         # jieba.lcut interleaved with this stage (same articles, same moment)
    base_seconds: float = 0.0
    base_cpu_seconds: float = 0.0
    errors: int = 0
    skipped: bool = False
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def chars_per_s(self) -> float:
        return self.chars / self.seconds if self.seconds > 0 else 0.0

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds if self.seconds > 0 else 0.0

    @property
    def vs_jieba(self) -> Optional[float]:
        """Throughput / jieba.lcut throughput, both timed interleaved on the same articles (wall time)."""
        if not (self.seconds and self.base_seconds and self.base_chars):
            return None
        return self.chars_per_s / (self.base_chars / self.base_seconds)

    @property
    def vs_jieba_cpu(self) -> Optional[float]:
        """The same ratio on CPU time (less sensitive to other load on the machine)."""
        if not (self.cpu_seconds and self.base_cpu_seconds and self.base_chars):
            return None
        return (self.chars / self.cpu_seconds) / (self.base_chars / self.base_cpu_seconds)


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def rss_mb() -> float:
    """Current resident set size of this process in MiB (0 where /proc is missing)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)
    except (OSError, ValueError, IndexError):  # pragma: no cover - non-Linux
        return 0.0


@dataclass
class _Cleaned:
    """What later stages need of a CleanDoc (the full docs, with offset maps, would swell the bench's memory)."""

    text: str
    byline: dict


class Ctx:
    """Shared state of one bench run: the corpus, cleaned texts (computed once, lazily), the jieba baseline."""

    def __init__(self, articles: list[BenchArticle], jobs: int, workdir: Path, baseline_every: int = 4):
        self.articles = articles
        self.jobs = jobs
        self.workdir = workdir
        self.baseline_every = max(1, baseline_every)
        self._clean: Optional[list] = None
        self._lcut: Optional[Callable] = None
        self.jieba_init_seconds = 0.0
        self.records_file: Optional[Path] = None  # pickled ArticleRecords written by the e2e stage

    def clean_docs(self) -> list:
        if self._clean is None:
            from extract.clean import clean

            self._clean = [_lite(clean(a.text)) for a in self.articles]
        return self._clean

    def lcut(self) -> Callable:
        """``jieba.lcut`` with the dictionary loaded (loading timed once, outside every stage)."""
        if self._lcut is None:
            import jieba

            t0 = time.perf_counter()
            jieba.setLogLevel(60)
            jieba.initialize()
            jieba.lcut("预热")
            self.jieba_init_seconds = time.perf_counter() - t0
            self._lcut = jieba.lcut
        return self._lcut


def _lite(doc) -> _Cleaned:
    return _Cleaned(text=doc.text, byline=dict(getattr(doc, "byline", None) or {}))


def _optional(module: str, attr: str) -> Optional[Callable]:
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return None
    return getattr(mod, attr, None)


def _timed_loop(res: StageResult, ctx: Ctx, call: Callable[[int], object], prepare=None,
                baseline: bool = True) -> None:
    """Warm up on article 0, then time ``call(i)`` for every article (``prepare(i)`` untimed).

    Every ``ctx.baseline_every``-th article is also run through ``jieba.lcut`` right after the
    stage, so the stage's ratio to jieba compares the two under the same machine load.
    """
    lcut = ctx.lcut() if baseline else None
    t0 = time.perf_counter()
    if prepare:
        prepare(0)
    call(0)
    res.init_seconds = time.perf_counter() - t0
    base = peak_rss_mb()
    total = cpu = btotal = bcpu = 0.0
    bchars = 0
    every = ctx.baseline_every
    perf, ptime = time.perf_counter, time.process_time
    for i, a in enumerate(ctx.articles):
        if prepare:
            prepare(i)
        t, c = perf(), ptime()
        try:
            call(i)
        except Exception as e:  # count, keep measuring: one stage bug must not void the bench
            res.errors += 1
            if not res.note:
                res.note = f"first error: {type(e).__name__}: {str(e)[:60]}"
        total += perf() - t
        cpu += ptime() - c
        res.chars += len(a.text)
        res.articles += 1
        if lcut is not None and i % every == 0:
            t, c = perf(), ptime()
            lcut(a.text)
            btotal += perf() - t
            bcpu += ptime() - c
            bchars += len(a.text)
    res.seconds, res.cpu_seconds = total, cpu
    res.base_chars, res.base_seconds, res.base_cpu_seconds = bchars, btotal, bcpu
    res.peak_rss_mb = peak_rss_mb()
    res.rss_growth_mb = res.peak_rss_mb - base


# ----------------------------------------------------------------------------- stages

def _decode(ctx: Ctx, res: StageResult) -> None:
    from extract.textio import decode_bytes

    arts = ctx.articles
    _timed_loop(res, ctx, lambda i: decode_bytes(arts[i].data, arts[i].id))
    gb = sum(1 for a in arts if a.encoding != "utf-8")
    res.note = res.note or f"{gb} of {len(arts)} articles stored as GB18030"


def _clean(ctx: Ctx, res: StageResult) -> None:
    from extract.clean import clean

    arts = ctx.articles
    docs: list = [None] * len(arts)

    def call(i: int) -> None:
        docs[i] = clean(arts[i].text)

    scripts: list = []

    def keep(i: int) -> None:  # untimed: shrink the previous doc to what later stages need
        if i and docs[i - 1] is not None and not isinstance(docs[i - 1], _Cleaned):
            scripts.append(getattr(docs[i - 1], "script", None))
            docs[i - 1] = _lite(docs[i - 1])

    _timed_loop(res, ctx, call, keep)
    keep(len(arts))
    ctx._clean = docs if all(d is not None for d in docs) else None
    trad = sum(1 for sc in scripts if sc != "simplified")
    res.note = res.note or f"{trad} of {len(arts)} articles not pure Simplified"


def _script_fn() -> tuple[Callable[[str], object], str]:
    """What the cleaner does for script: detect, and convert only non-Simplified text.

    Uses the cleaner's ``extract._script`` (detect_script + convert) when present, else
    OpenCC's own ``t2s`` converter on every article.
    """
    detect = _optional("extract._script", "detect_script")
    convert = _optional("extract._script", "convert")
    if callable(detect) and callable(convert):
        def fn(text: str) -> object:
            return convert(text) if detect(text) != "simplified" else text

        return fn, "extract._script: detect_script, convert when not Simplified"
    import opencc

    return opencc.OpenCC("t2s").convert, "opencc t2s on every article (the cleaner exposes no converter)"


def _script(ctx: Ctx, res: StageResult) -> None:
    fn, what = _script_fn()
    arts = ctx.articles
    _timed_loop(res, ctx, lambda i: fn(arts[i].text))
    detect = _optional("extract._script", "detect_script")
    if callable(detect):
        conv = sum(1 for a in arts if detect(a.text) != "simplified")
        what += f" ({conv} of {len(arts)} converted)"
    res.note = res.note or what


_SEGMENTERS = (("extract.entities", "segment"), ("extract.segment", "segment"), ("extract.entities", "tokenize"),
               ("extract.tokens", "tokenize"), ("extract.nlp", "segment"))


def _segmentation(ctx: Ctx, res: StageResult) -> None:
    fn, what = None, ""
    for mod, attr in _SEGMENTERS:
        fn = _optional(mod, attr)
        if callable(fn):
            what = f"{mod}.{attr}"
            break
    if not callable(fn):
        get_nlp = _optional("extract.nlp", "get_nlp")  # the entity stage's spaCy pipeline: time its tokenizer
        if callable(get_nlp):
            fn, what = get_nlp().make_doc, "extract.nlp.get_nlp().make_doc (the entity stage's spaCy tokenizer)"
    if not callable(fn):
        res.skipped = True
        res.note = "no segmenter exposed by the entity stage (looked for extract.entities.segment and others)"
        return
    docs = ctx.clean_docs()
    _timed_loop(res, ctx, lambda i: fn(docs[i].text))
    res.note = res.note or what


def _dates(ctx: Ctx, res: StageResult) -> None:
    from extract.dates import find_dates

    docs, arts = ctx.clean_docs(), ctx.articles
    _timed_loop(res, ctx, lambda i: find_dates(docs[i].text, arts[i].published))


def _figures(ctx: Ctx, res: StageResult) -> None:
    from extract.figures import find_figures

    docs = ctx.clean_docs()
    _timed_loop(res, ctx, lambda i: find_figures(docs[i].text))


def _entities(ctx: Ctx, res: StageResult) -> None:
    from extract.entities import find_mentions

    docs = ctx.clean_docs()
    _timed_loop(res, ctx, lambda i: find_mentions(docs[i].text))


def _claims(ctx: Ctx, res: StageResult) -> None:
    from extract.claims import find_claims
    from extract.entities import find_mentions
    from extract.figures import find_figures

    docs = ctx.clean_docs()
    inputs: dict = {}

    def prepare(i: int) -> None:
        inputs.clear()
        inputs["m"] = find_mentions(docs[i].text)
        inputs["f"] = find_figures(docs[i].text)

    def call(i: int) -> None:
        find_claims(docs[i].text, inputs["m"], inputs["f"], author=(docs[i].byline or {}).get("author"))

    _timed_loop(res, ctx, call, prepare)


def _e2e(ctx: Ctx, res: StageResult) -> None:
    from extract import extract_article

    import pickle

    arts = ctx.articles
    path = ctx.workdir / "records.pickle"
    f = open(path, "wb")
    out: list = []

    def call(i: int) -> None:
        out.append(extract_article(arts[i].text, source=arts[i].source, published=arts[i].published))

    def stash(i: int) -> None:  # untimed: records go to disk for the graph_write stage
        while out:
            pickle.dump(out.pop(), f, protocol=pickle.HIGHEST_PROTOCOL)

    try:
        _timed_loop(res, ctx, call, stash)
        stash(0)
    finally:
        f.close()
    ctx.records_file = path if res.errors == 0 else None


def _e2e_cold(ctx: Ctx, res: StageResult) -> None:
    from extract import extract_article
    from extract.pipeline import _clear_text_memos

    arts = ctx.articles
    _timed_loop(res, ctx, lambda i: extract_article(arts[i].text, source=arts[i].source, published=arts[i].published),
                lambda i: _clear_text_memos())  # untimed
    res.note = "e2e with the memo caches of names and numerals emptied before every article (nothing recurs)"


def _e2e_jobs(ctx: Ctx, res: StageResult) -> None:
    from extract.batch import BatchItem, extract_many

    if ctx.jobs < 2:
        res.skipped = True
        res.note = "one core: nothing to parallelize (use --jobs N)"
        return
    arts = ctx.articles
    items = (BatchItem(name=a.id, text=a.text, source=a.source, published=a.published, doc_key=a.id) for a in arts)
    base = peak_rss_mb()
    r0, c0 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    for item, rec, err in extract_many(items, jobs=ctx.jobs):
        res.articles += 1
        res.chars += len(item.text or "")
        res.errors += err is not None
    res.seconds = time.perf_counter() - t0  # wall time, worker start-up included
    r1, c1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU of the reader/writer process and of all workers: per CPU-second it should match e2e
    res.cpu_seconds = sum(getattr(b, f) - getattr(a, f) for a, b in ((r0, r1), (c0, c1)) for f in ("ru_utime", "ru_stime"))
    res.peak_rss_mb = peak_rss_mb()
    res.rss_growth_mb = res.peak_rss_mb - base
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
    res.note = f"extract_many, {ctx.jobs} worker processes, wall time; largest worker peak RSS {child:.0f} MiB"
    res.note += "; " + _ingest_jobs(ctx)


def _ingest_jobs(ctx: Ctx) -> str:
    """What ``narrex ingest --jobs N`` runs (untimed in the stage's figures): workers clean, skip stored
    doc ids, extract and prepare the rows; this process only writes. Reports the writer's and the
    workers' CPU seconds separately: the one writer must stay well below each worker's share."""
    from extract.batch import BatchItem, extract_many

    KnowledgeGraph = _optional("graph", "KnowledgeGraph")
    prepare_article = _optional("graph.kg", "prepare_article")
    if KnowledgeGraph is None or prepare_article is None:
        return "ingest pipeline: graph.kg.prepare_article does not exist"
    db = ctx.workdir / "bench-jobs.db"
    kg = KnowledgeGraph.open(str(db))
    arts = ctx.articles
    items = (BatchItem(name=a.id, text=a.text, source=a.source, published=a.published, doc_key=a.id) for a in arts)
    r0, c0 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    added = 0
    try:
        for _item, prep, err in extract_many(items, jobs=ctx.jobs, known_db=str(db), post=prepare_article):
            if err is None and prep is not None:
                added += kg.ingest_prepared(prep)[1]
    finally:
        kg.close()
    wall = time.perf_counter() - t0
    r1, c1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    writer = sum(getattr(r1, f) - getattr(r0, f) for f in ("ru_utime", "ru_stime"))
    workers = sum(getattr(c1, f) - getattr(c0, f) for f in ("ru_utime", "ru_stime"))
    return (f"ingest pipeline ({added} added): wall {wall:.1f} s, writer CPU {writer:.1f} s, "
            f"workers CPU {workers:.1f} s")


def _batch_read(ctx: Ctx, res: StageResult) -> None:
    from extract.batch import iter_inputs

    from .corpus import write_jsonl

    path = ctx.workdir / "corpus.jsonl"
    if not path.exists():
        write_jsonl(path, iter(ctx.articles))
    base = peak_rss_mb()
    t0 = time.perf_counter()
    for item in iter_inputs([str(path)]):
        res.articles += 1
        res.chars += len(item.text or "")
        res.errors += item.error is not None
    res.seconds = time.perf_counter() - t0
    res.peak_rss_mb = peak_rss_mb()
    res.rss_growth_mb = res.peak_rss_mb - base
    res.note = f"iter_inputs streaming a {path.stat().st_size / 1e6:.1f} MB JSON Lines archive"


def _open_graph(ctx: Ctx, res: StageResult, name: str):
    KnowledgeGraph = _optional("graph", "KnowledgeGraph")
    if KnowledgeGraph is None:
        res.skipped = True
        res.note = "graph.KnowledgeGraph does not exist yet"
        return None
    db = ctx.workdir / name
    opener = getattr(KnowledgeGraph, "open", None)
    return opener(str(db)) if callable(opener) else KnowledgeGraph(str(db))


def _quarter_note(times: list[float], chars: list[int]) -> str:
    """Throughput of the first and last quarter of the run: a growing database must not slow ingest down."""
    q = max(1, len(times) // 4)
    first = sum(chars[:q]) / max(sum(times[:q]), 1e-9)
    last = sum(chars[-q:]) / max(sum(times[-q:]), 1e-9)
    return f"first/last quarter {first:,.0f}/{last:,.0f} chars/s"


def _graph(ctx: Ctx, res: StageResult) -> None:
    kg = _open_graph(ctx, res, "bench.db")
    if kg is None:
        return
    arts = ctx.articles
    times: list[float] = []
    perf = time.perf_counter

    def call(i: int) -> None:
        t = perf()
        kg.ingest(arts[i].text, source=arts[i].source, published=arts[i].published)
        times.append(perf() - t)

    try:
        _timed_loop(res, ctx, call)
    finally:
        kg.close()
    times = times[1:]  # drop the warm-up call
    res.note = res.note or ("KnowledgeGraph.ingest(text) into a temporary database (extraction included); "
                            + _quarter_note(times, [len(a.text) for a in arts]))


def _graph_write(ctx: Ctx, res: StageResult) -> None:
    from extract import extract_article

    kg = _open_graph(ctx, res, "bench-write.db")
    if kg is None:
        return
    if not hasattr(kg, "ingest_record"):
        res.skipped = True
        res.note = "KnowledgeGraph has no ingest_record"
        kg.close()
        return
    import pickle

    arts = ctx.articles
    recs: dict = {}
    times: list[float] = []
    perf = time.perf_counter
    stash = open(ctx.records_file, "rb") if ctx.records_file else None  # e2e's records: 1 warm-up + 1 per article

    def prepare(i: int) -> None:
        recs.clear()
        if stash is not None:
            rec = pickle.load(stash)
            if rec.raw_text == arts[i].text:
                recs[i] = rec
                return
        recs[i] = extract_article(arts[i].text, source=arts[i].source, published=arts[i].published)

    rss: list[float] = []  # current RSS after each article: ingest memory must not grow with the database
    quarter = max(1, len(arts) // 4)

    def call(i: int) -> None:
        t = perf()
        kg.ingest_record(recs[i])
        times.append(perf() - t)

    def prepare_and_sample(i: int) -> None:
        if i and i % quarter == 0:
            rss.append(rss_mb())
        prepare(i)

    try:
        _timed_loop(res, ctx, call, prepare_and_sample)
    finally:
        kg.close()
        if stash is not None:
            stash.close()
    rss.append(rss_mb())
    res.note = res.note or ("KnowledgeGraph.ingest_record of already extracted records (the single writer's cost); "
                            + _quarter_note(times[1:], [len(a.text) for a in arts])
                            + "; RSS at each quarter " + "/".join(f"{x:.0f}" for x in rss) + " MiB")


def _jieba(ctx: Ctx, res: StageResult) -> None:
    lcut = ctx.lcut()
    arts = ctx.articles
    _timed_loop(res, ctx, lambda i: lcut(arts[i].text), baseline=False)
    res.base_chars, res.base_seconds, res.base_cpu_seconds = res.chars, res.seconds, res.cpu_seconds
    res.init_seconds = ctx.jieba_init_seconds
    res.note = "baseline: jieba.lcut (default HMM) on the raw article text, every article"


@dataclass
class Stage:
    name: str
    what: str
    run: Callable[[Ctx, StageResult], None]


#: stage name -> Stage, in run order (the jieba baseline last, so stage RSS excludes its dictionary)
STAGES: dict[str, Stage] = {s.name: s for s in (
    Stage("read", "extract.batch.iter_inputs (JSONL)", _batch_read),
    Stage("decode", "extract.textio.decode_bytes", _decode),
    Stage("clean", "extract.clean.clean", _clean),
    Stage("script", "script conversion (t2s)", _script),
    Stage("segment", "segmentation (entity stage)", _segmentation),
    Stage("dates", "extract.dates.find_dates", _dates),
    Stage("figures", "extract.figures.find_figures", _figures),
    Stage("entities", "extract.entities.find_mentions", _entities),
    Stage("claims", "extract.claims.find_claims", _claims),
    Stage("e2e", "extract.extract_article (end to end)", _e2e),
    Stage("e2e_cold", "extract.extract_article, memo caches emptied per article", _e2e_cold),
    Stage("e2e_jobs", "extract.batch.extract_many --jobs N", _e2e_jobs),
    Stage("graph", "graph.KnowledgeGraph.ingest", _graph),
    Stage("graph_write", "graph.KnowledgeGraph.ingest_record", _graph_write),
    Stage("jieba", "jieba.lcut baseline", _jieba),
)}


def run_stage(name: str, ctx: Ctx) -> StageResult:
    """Run one stage over the corpus; an exception inside the stage is reported in the note."""
    st = STAGES[name]
    res = StageResult(stage=name, what=st.what)
    try:
        st.run(ctx, res)
    except Exception as e:  # a missing or broken stage is a row with a note, not a crashed bench
        res.skipped = True
        res.note = f"failed: {type(e).__name__}: {str(e)[:80]}"
    if not res.peak_rss_mb:
        res.peak_rss_mb = peak_rss_mb()
    return res


def new_workdir() -> tempfile.TemporaryDirectory:
    """A temporary directory for the bench's JSONL archive and database."""
    return tempfile.TemporaryDirectory(prefix="narrex-bench-")
