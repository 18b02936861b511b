"""The ``narrex`` command line.

Only typer is imported at start-up; every command imports the stage it needs
inside its body so that ``narrex --help`` stays fast. Commands of the later
stages register themselves from ``cli_graph`` and ``cli_check``.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

from . import __version__

app = typer.Typer(
    name="narrex",
    help=(
        "LLM-free narrative extractor for Chinese market commentary.\n\n"
        "Cleans articles (boilerplate out, Traditional -> Simplified, offsets kept), extracts figures, "
        "entities and causal claims, feeds a knowledge graph and fact-checks figures against market data.\n\n"
        "Typical run:  narrex ingest corpora/articles  &&  narrex check --report report.html\n\n"
        "Add --debug anywhere to see a traceback when something fails."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def default_db() -> str:
    """The database used when --db is not given: $NARREX_DB or ./narrex.db."""
    return os.environ.get("NARREX_DB", "narrex.db")


def fail(message: str, code: int = 1) -> "typer.Exit":
    """Print one error line on stderr and return the Exit to raise."""
    typer.echo(f"narrex: error: {message}", err=True)
    return typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"narrex {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """narrex: clean, extract, graph and fact-check Chinese market commentary."""


@app.command("clean")
def clean_cmd(
    path: str = typer.Argument(..., help="Article file (UTF-8, GB18030/GBK, Big5, UTF-16, or saved HTML), or - for stdin."),
    show_dropped: bool = typer.Option(False, "--show-dropped", help="List dropped lines with their reasons on stderr."),
    keep_script: bool = typer.Option(False, "--keep-script", help="Keep the original script (no Traditional -> Simplified)."),
) -> None:
    """Print the cleaned body of an article (boilerplate removed, in Simplified Chinese).

    Site and forum chrome, notices, disclaimers, social links, ads, image placeholders, repeated
    titles and other users' forum replies are dropped line by line; bylines become metadata.
    Saved HTML pages are reduced to their main text first.

    Example:  narrex clean corpora/articles/000_0313e1837319d6ea.txt --show-dropped
    """
    from extract.clean import clean
    from extract.textio import read_text

    raw = read_text(path)
    doc = clean(raw)
    text = doc.body_raw() if keep_script else doc.text
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    if show_dropped:
        meta = {"title": doc.title, "published": doc.published, **doc.byline}
        for k, v in meta.items():
            if v:
                typer.echo(f"[meta] {k}: {v}", err=True)
        for d in doc.dropped:
            where = f"{d.line}" if d.span_start is None else f"{d.line}:{d.span_start}"
            typer.echo(f"[dropped line {where}] {d.kind} - {d.reason}: {d.text}", err=True)


@app.command("figures")
def figures_cmd(
    path: str = typer.Argument(..., help="A text file or - for stdin. Text is scanned as is (no boilerplate removal); a saved HTML page is first reduced to its main text."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per figure (JSON Lines)."),
    published: Optional[str] = typer.Option(None, "--published", help="Publication date (YYYY-MM-DD) for relative dates, e.g. 2026-02-06."),
    bind: bool = typer.Option(True, "--bind/--no-bind", help="Also fill subject, metric and date (default: on)."),
) -> None:
    """List the figures (numbers with unit, qualifier, range, change, sign, subject, metric, date) in a text.

    Example:  echo '2 月 5 日 IBIT 从 3.3% 跃升至 9%' | narrex figures - --json --published 2026-02-06
    """
    from extract import find_figures
    from extract.records import dumps
    from extract.textio import read_text

    text = read_text(path)
    from extract.clean import looks_like_html

    if looks_like_html(text):  # offsets then index the page's main text, as in `narrex clean`
        from extract.html import html_to_text

        text = html_to_text(text)[0]
    figures = find_figures(text)
    if bind and figures:
        from extract.dates import find_dates
        from extract.figures import bind_figures

        try:
            from extract.entities import find_mentions

            mentions = find_mentions(text)
        except Exception:  # the entity stage is optional here: the figure lexicons still bind
            mentions = []
        bind_figures(text, figures, mentions, find_dates(text, published), published)
    for f in figures:
        if as_json:
            typer.echo(dumps(f))
        else:
            val = f.value if f.value is not None else (f.range if f.range is not None else f.change)
            typer.echo(f"{f.start}:{f.end}\t{f.surface}\t{val}\t{f.unit or ''}\t{f.approx}\t{f.sign or ''}"
                       f"\t{f.subject or ''}\t{f.metric or ''}\t{f.date or ''}")


def expand_paths(paths: List[str]) -> List[Path]:
    """Files named by ``paths``: files as given, directories walked for *.txt/*.html/*.htm/*.md, globs expanded."""
    import glob

    out: List[Path] = []
    exts = {".txt", ".html", ".htm", ".md", ".text"}
    for p in paths:
        if p == "-":
            out.append(Path("-"))
            continue
        matches = sorted(glob.glob(p, recursive=True)) if any(ch in p for ch in "*?[") else [p]
        if not matches:
            out.append(Path(p))  # reported later as "no such file"
        for m in matches:
            mp = Path(m)
            if mp.is_dir():
                out.extend(sorted(f for f in mp.rglob("*") if f.is_file() and f.suffix.lower() in exts))
            else:
                out.append(mp)
    return out


@app.command("extract")
def extract_cmd(
    paths: List[str] = typer.Argument(..., help="Article files, directories or globs (- for stdin)."),
    as_json: bool = typer.Option(False, "--json", help="One ArticleRecord per line (JSON Lines)."),
    published: Optional[str] = typer.Option(None, "--published", help="Publication date (YYYY-MM-DD) for relative dates."),
) -> None:
    """Extract one ArticleRecord per article: figures, entities, dates, causal claims.

    Example:  narrex extract corpora/articles/003_9990e9a084838e0b.txt --json > 003.jsonl
    """
    from extract import extract_article
    from extract.errors import InputError
    from extract.records import dumps
    from extract.textio import read_text

    bad = 0
    for p in expand_paths(paths):
        try:
            raw = read_text(p)
        except InputError as e:
            typer.echo(f"narrex: error: {e}", err=True)
            bad += 1
            continue
        rec = extract_article(raw, source=str(p), published=published)
        if as_json:
            typer.echo(dumps(rec))
        else:
            typer.echo(f"# {p}  doc_id={rec.doc_id}  script={rec.script}  title={rec.title!r}")
            typer.echo(f"  dropped lines: {len(rec.dropped)}  entities: {len(rec.entities)}  figures: {len(rec.figures)}  "
                       f"dates: {len(rec.dates)}  claims: {len(rec.claims)}")
            for f in rec.figures:
                val = f.value if f.value is not None else (f.range if f.range is not None else f.change)
                typer.echo(f"  figure  {f.surface}\t{val} {f.unit or ''}\t{f.subject or '-'}\t{f.metric or '-'}\t{f.date or '-'}")
            for c in rec.claims:
                eff = c.effect.text if c.effect else "?"
                typer.echo(f"  claim   {c.cause.text} --[{c.cue.text}]--> {eff}")
    if bad:
        raise typer.Exit(1)


def _register_stages() -> None:
    from . import cli_check, cli_graph

    cli_graph.register(app)
    cli_check.register(app)


_register_stages()


def main(argv: Optional[List[str]] = None) -> None:
    """Console entry point: runs the app and turns errors into one line on stderr."""
    from extract.errors import NarrexError

    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args or os.environ.get("NARREX_DEBUG") == "1"
    args = [a for a in args if a != "--debug"]
    try:
        app(args=args, prog_name="narrex")
    except NarrexError as e:
        if debug:
            raise
        typer.echo(f"narrex: error: {e}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        typer.echo("narrex: interrupted", err=True)
        sys.exit(130)
    except Exception as e:  # a bug or an unexpected environment problem: one line unless --debug
        if debug:
            raise
        if type(e).__module__ == "sqlite3":  # e.g. disk full mid-ingest: each article is one transaction
            typer.echo(f"narrex: error: database: {e} (disk full, read-only location or damaged file?); "
                       "articles committed before this point are kept", err=True)
            sys.exit(1)
        typer.echo(f"narrex: error: {type(e).__name__}: {e} (run with --debug for the traceback)", err=True)
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
