"""CLI commands of the graph stage: ``ingest``, ``query`` (entity, figures, claims, causes, stories, articles), ``export``.

Heavy imports (graph, extract, networkx) stay inside the command bodies so that
``narrex --help`` stays fast.
"""
from __future__ import annotations

import sys
from typing import List, Optional

import typer

_DB_HELP = "Graph database file (default: $NARREX_DB or ./narrex.db)."


def _db(db: Optional[str]) -> str:
    from .cli import default_db

    return db or default_db()


def _open(db: Optional[str], create: bool = False):
    from graph import KnowledgeGraph

    return KnowledgeGraph.open(_db(db), create=create)


def _emit(results, as_json: bool) -> None:
    """Print query results: a table, or one JSON object per line."""
    if as_json:
        import json

        for d in results.to_dicts():
            typer.echo(json.dumps(d, ensure_ascii=False, default=str))
    elif not results:
        typer.echo("(no results)", err=True)
    else:
        typer.echo(results.table())


class _Progress:
    """A one-line counter on stderr: redrawn in place on a terminal, a line every 100 articles elsewhere."""

    def __init__(self, enabled: bool) -> None:
        import time

        self.enabled = enabled
        self.tty = sys.stderr.isatty()
        self.t0 = time.monotonic()
        self.n = 0

    def step(self, added: int, skipped: int, failed: int) -> None:
        import time

        self.n += 1
        if not self.enabled or (not self.tty and self.n % 100):
            return
        rate = self.n / max(1e-9, time.monotonic() - self.t0)
        line = f"ingesting: {self.n} articles ({added} added, {skipped} present, {failed} failed) {rate:.1f}/s"
        sys.stderr.write(("\r" + line) if self.tty else line + "\n")
        sys.stderr.flush()

    def done(self) -> None:
        if self.enabled and self.tty and self.n:
            sys.stderr.write("\n")


def ingest_cmd(
    paths: List[str] = typer.Argument(..., help="Article files, directories (walked for .txt/.md/.html/.jsonl), globs, "
                                      "JSON Lines archives ({\"text\": …, \"source\": …, \"published\": …}), or - for stdin."),
    db: Optional[str] = typer.Option(None, "--db", help=_DB_HELP),
    published: Optional[str] = typer.Option(None, "--published", help="Publication date (YYYY-MM-DD) for relative dates "
                                            "(an archive line's own `published` wins)."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, max=64, help="Extraction worker processes."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress and no summary."),
) -> None:
    """Clean, extract and add articles to the knowledge graph (re-ingesting the same content is a no-op).

    Each article is one transaction: an interrupted run leaves whole articles only, and running it
    again completes the batch. One bad input never stops the batch: its problem is listed at the
    end and the exit code is 1.

    Example:  narrex ingest corpora/articles --db narrex.db
    """
    from extract.batch import extract_many, iter_inputs
    from extract.errors import InputError
    from graph import KnowledgeGraph
    from graph.kg import prepare_article

    kg = KnowledgeGraph.open(_db(db))
    added = skipped = 0
    failed: list[str] = []
    progress = _Progress(enabled=not quiet)

    def inputs():
        for item in iter_inputs(list(paths)):
            if item.error is None and item.text is not None:
                item.source = item.source or item.name
                item.published = item.published or published
            yield item

    # workers clean each article once, skip the ones the database holds (read-only lookups of
    # the doc id), extract the rest and prepare its rows (prepare_article); this process only writes
    known_db = kg.path if kg.path != ":memory:" else None
    try:
        for item, rec, err in extract_many(inputs(), jobs=jobs, known_db=known_db, post=prepare_article):
            if item.known:
                skipped += 1
            elif err is not None or rec is None:
                failed.append(err or f"{item.name}: no text")
            else:
                try:
                    _doc, was_added = kg.ingest_prepared(rec)
                except InputError as e:
                    failed.append(f"{item.name}: {e}")
                    was_added = None
                if was_added:
                    added += 1
                elif was_added is False:
                    skipped += 1  # stored meanwhile by another process, or twice in this batch
            progress.step(added, skipped, len(failed))
    finally:
        progress.done()
        kg.close()
    for msg in failed:
        typer.echo(f"narrex: error: {msg}", err=True)
    if not quiet:
        typer.echo(f"added {added}, skipped (already present) {skipped}, failed {len(failed)}  [{_db(db)}]")
    if failed:
        raise typer.Exit(1)


query_app = typer.Typer(help="Look things up in the knowledge graph (tables, or --json for JSON Lines).",
                        no_args_is_help=True, rich_markup_mode=None)


@query_app.command("entity")
def q_entity(
    name: str = typer.Argument(..., help="Entity id, name or alias in any script (贝莱德, 貝萊德, BlackRock)."),
    db: Optional[str] = typer.Option(None, "--db", help=_DB_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show the canonical entity for a name, and the articles that mention it.

    Example:  narrex query entity 聯準會
    """
    import json

    kg = _open(db)
    ent = kg.entity(name)
    if ent is None:
        kg.close()
        typer.echo(f"narrex: no entity named {name!r}", err=True)
        raise typer.Exit(1)
    rows = kg.conn.execute("SELECT doc_id, count(*) AS n FROM mentions WHERE entity_id=? GROUP BY doc_id "
                           "ORDER BY doc_id", (ent.id,)).fetchall()
    kg.close()
    d = {**ent.to_dict(), "mentioned_in": {doc: n for doc, n in rows}}
    if as_json:
        typer.echo(json.dumps(d, ensure_ascii=False))
        return
    typer.echo(f"{ent.id}  ({ent.type or '?'})  {ent.name}")
    if ent.aliases:
        typer.echo("  aliases: " + ", ".join(ent.aliases))
    for doc, n in d["mentioned_in"].items():
        typer.echo(f"  {doc}: {n} mention(s)")


@query_app.command("figures")
def q_figures(
    subject: Optional[str] = typer.Option(None, "--subject", "-s", help="Entity id or name (IBIT, 美联储 …)."),
    metric: Optional[str] = typer.Option(None, "--metric", "-m", help="Metric, e.g. net_flow_usd."),
    date: Optional[str] = typer.Option(None, "--date", "-d", help="ISO date or prefix (2026-02 matches the month)."),
    doc: Optional[str] = typer.Option(None, "--doc", help="Only facts stated by this doc id."),
    conflicts: bool = typer.Option(False, "--conflicts", help="Only facts that conflict with another."),
    unbound: bool = typer.Option(False, "--all", help="Also figures with no subject or metric."),
    db: Optional[str] = typer.Option(None, "--db", help=_DB_HELP),
    as_json: bool = typer.Option(False, "--json", help="One FigureFact per line (JSON Lines)."),
) -> None:
    """Figure facts (one row per fact, with the articles stating it and corroboration/conflict flags).

    Example:  narrex query figures --subject IBIT --metric net_flow_usd --date 2026-02-04
    """
    kg = _open(db)
    try:
        res = kg.figures(subject=subject, metric=metric, date=date, doc=doc, unbound=unbound,
                         conflicts=True if conflicts else None)
        _emit(res, as_json)
    finally:
        kg.close()


@query_app.command("claims")
def q_claims(
    about: Optional[str] = typer.Option(None, "--about", "-a", help="Entity or phrase in the cause or effect."),
    doc: Optional[str] = typer.Option(None, "--doc", help="Only claims of this doc id."),
    db: Optional[str] = typer.Option(None, "--db", help=_DB_HELP),
    as_json: bool = typer.Option(False, "--json", help="One claim per line (JSON Lines)."),
) -> None:
    """Causal claims (cause, cue, effect, hedged, negated, who asserts it).

    Example:  narrex query claims --about 比特币
    """
    kg = _open(db)
    try:
        _emit(kg.claims(about=about, doc=doc), as_json)
    finally:
        kg.close()


@query_app.command("causes")
def q_causes(
    what: str = typer.Argument(..., help="Entity or phrase, e.g. 比特币 or 清算."),
    depth: int = typer.Option(1, "--depth", "-n", min=1, max=6, help="Longest chain, in claims."),
    effects: bool = typer.Option(False, "--effects", help="Walk forward: what does it cause?"),
    hedged: bool = typer.Option(True, "--hedged/--no-hedged", help="Include hedged claims (可能, 或许 …)."),
    db: Optional[str] = typer.Option(None, "--db", help=_DB_HELP),
    as_json: bool = typer.Option(False, "--json", help="One chain per line (JSON Lines)."),
) -> None:
    """Causal chains that lead to WHAT (or, with --effects, start from it), following claim edges.

    Example:  narrex query causes 比特币清算 --depth 3
    """
    kg = _open(db)
    try:
        fn = kg.effects_of if effects else kg.causes_of
        _emit(fn(what, depth=depth, include_hedged=hedged), as_json)
    finally:
        kg.close()


@query_app.command("stories")
def q_stories(
    min_size: int = typer.Option(1, "--min-size", help="Only stories told by at least this many articles."),
    db: Optional[str] = typer.Option(None, "--db", help=_DB_HELP),
    as_json: bool = typer.Option(False, "--json", help="One story per line (JSON Lines)."),
) -> None:
    """Groups of articles that tell the same story (reposts, translations).

    Example:  narrex query stories --min-size 2
    """
    kg = _open(db)
    try:
        _emit(kg.stories(min_size=min_size), as_json)
    finally:
        kg.close()


@query_app.command("articles")
def q_articles(
    db: Optional[str] = typer.Option(None, "--db", help=_DB_HELP),
    as_json: bool = typer.Option(False, "--json", help="One article per line (JSON Lines)."),
) -> None:
    """The ingested articles (doc id, story, date, script, title, source).

    Example:  narrex query articles --json
    """
    kg = _open(db)
    try:
        _emit(kg.articles(), as_json)
    finally:
        kg.close()


def export_cmd(
    out: str = typer.Argument(..., help="Output file (a folder for neo4j-csv)."),
    fmt: str = typer.Option("graphml", "--format", "-f", help="graphml, json (node-link) or neo4j-csv."),
    db: Optional[str] = typer.Option(None, "--db", help=_DB_HELP),
) -> None:
    """Write the knowledge graph for other tools: GraphML (Gephi, networkx), node-link JSON, or neo4j-admin CSV.

    Example:  narrex export --format neo4j-csv neo4j-import/
    """
    from graph.export import FORMATS, export_graph

    from .cli import fail

    if fmt not in FORMATS:
        raise fail(f"unknown --format {fmt!r} (choose from {', '.join(FORMATS)})")
    kg = _open(db)
    try:
        g = kg.nx
        try:
            path = export_graph(g, fmt, out)
        except OSError as e:
            raise fail(f"{out}: cannot write ({e.strerror or e})") from None
    finally:
        kg.close()
    typer.echo(f"wrote {path} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges, {fmt})", err=True)


def register(app: typer.Typer) -> None:
    """Add the graph commands to ``app``."""
    app.command("ingest")(ingest_cmd)
    app.add_typer(query_app, name="query")
    app.command("export")(export_cmd)
