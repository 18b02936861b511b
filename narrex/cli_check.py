"""CLI commands of the fact-check stage: ``market import|fetch|list`` and ``check``."""
from __future__ import annotations

import sys
from typing import List, Optional

import typer

_market = typer.Typer(
    name="market",
    help=("Manage market data (one observation per row, sources side by side). The bundled snapshot in "
          "corpora/market/ is loaded into the database on first use.\n\n"
          "Example:  narrex market list --instrument IBIT --metric net_flow_usd"),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


def _db(db: Optional[str]) -> str:
    from .cli import default_db

    return db or default_db()


@_market.command("import")
def market_import(
    file: str = typer.Argument(..., help="CSV with a header (date,instrument,metric,value,unit,source,source_url …), "
                                         "a JSON array or JSON Lines of such objects."),
    db: Optional[str] = typer.Option(None, "--db", help="Database file (default ./narrex.db or $NARREX_DB)."),
    skip_bad: bool = typer.Option(False, "--skip-bad", help="Import the good rows even if some rows are bad."),
) -> None:
    """Import market observations from a file; bad rows are reported by line and nothing is imported unless --skip-bad.

    Example:  narrex market import my-flows.csv --db narrex.db
    """
    from check.db import open_market
    from check.market import now_utc, parse_rows, read_rows

    rows = read_rows(file)
    good, bad = parse_rows(rows, retrieved_at=now_utc())
    for e in bad[:50]:
        typer.echo(f"narrex: {file}: {e}", err=True)
    if len(bad) > 50:
        typer.echo(f"narrex: {file}: … {len(bad) - 50} more bad rows", err=True)
    if bad and not skip_bad:
        typer.echo(f"narrex: error: {file}: {len(bad)} bad row(s); nothing imported (use --skip-bad to import the "
                   f"{len(good)} good rows)", err=True)
        raise typer.Exit(1)
    store = open_market(_db(db))
    n = store.add_many(good)
    typer.echo(f"imported {n} new observations from {file} ({len(good) - n} already present"
               + (f", {len(bad)} bad rows skipped" if bad else "") + ")")


@_market.command("fetch")
def market_fetch(
    provider: str = typer.Argument(..., help="farside | coinbase | fred | mof"),
    start: Optional[str] = typer.Option(None, "--start", help="First day (YYYY-MM-DD)."),
    end: Optional[str] = typer.Option(None, "--end", help="Last day (YYYY-MM-DD; default: today)."),
    series: List[str] = typer.Option([], "--series", help="fred: series id (DGS10, DEXJPUS, fedfunds, CBBTCUSD …); repeatable."),
    product: str = typer.Option("BTC-USD", "--product", help="coinbase: product id."),
    tenors: Optional[str] = typer.Option(None, "--tenors", help="mof: tenors to keep, e.g. 10,30,40 (default: all)."),
    history: bool = typer.Option(False, "--history", help="mof: download the full history file instead of the current month."),
    timeout: float = typer.Option(20.0, "--timeout", help="Seconds before a request is abandoned."),
    db: Optional[str] = typer.Option(None, "--db", help="Database file (default ./narrex.db or $NARREX_DB)."),
) -> None:
    """Fetch real market data from a public source into the database (network needed; nothing changes on failure).

    \b
    Examples:
      narrex market fetch coinbase --start 2026-01-20 --end 2026-02-10
      narrex market fetch fred --series DGS10 --series DEXJPUS --series fedfunds --start 2025-09-01
      narrex market fetch farside --start 2026-01-01
      narrex market fetch mof --tenors 10,30,40
    """
    from datetime import date, timedelta

    from check.db import open_market
    from check.providers import PROVIDERS, ProviderError

    from .cli import fail

    name = provider.lower()
    if name not in PROVIDERS:
        raise fail(f"unknown provider {provider!r} (choose from {', '.join(PROVIDERS)})")
    for label, d in (("--start", start), ("--end", end)):
        if d:
            try:
                date.fromisoformat(d)
            except ValueError:
                raise fail(f"{label} {d!r} is not a date (YYYY-MM-DD)") from None
    end_d = end or date.today().isoformat()
    start_d = start or (date.fromisoformat(end_d) - timedelta(days=30)).isoformat()
    try:
        if name == "farside":
            from check.providers import farside
            obs = farside.fetch(start_d, end_d, timeout=timeout)
        elif name == "coinbase":
            from check.providers import coinbase
            obs = coinbase.fetch(start_d, end_d, product=product, timeout=timeout)
        elif name == "fred":
            from check.providers import fred
            if not series:
                raise fail("fred needs --series (e.g. --series DGS10 --series DEXJPUS --series fedfunds)")
            obs = fred.fetch(series, start_d, end_d, timeout=timeout)
        else:
            from check.providers import mof
            tset = {int(t) for t in tenors.split(",") if t.strip()} if tenors else None
            obs = mof.fetch(start_d if start else None, end, tenors=tset, history=history, timeout=timeout)
    except ProviderError as e:
        raise fail(str(e)) from None
    except ValueError as e:
        raise fail(f"{name}: {e}; nothing imported") from None
    store = open_market(_db(db))
    n = store.add_many(obs)
    typer.echo(f"{name}: {len(obs)} observations fetched, {n} new")


@_market.command("list")
def market_list(
    instrument: Optional[str] = typer.Option(None, "--instrument", help="Canonical instrument id, e.g. IBIT, Bitcoin, 'JGB 40Y'."),
    metric: Optional[str] = typer.Option(None, "--metric", help="Metric, e.g. net_flow_usd, price_usd, yield_pct."),
    date: Optional[str] = typer.Option(None, "--date", help="Exact date (YYYY-MM-DD, YYYY-MM or A/B)."),
    source: Optional[str] = typer.Option(None, "--source", help="Source name, e.g. 'Farside Investors'."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per observation."),
    db: Optional[str] = typer.Option(None, "--db", help="Database file (default ./narrex.db or $NARREX_DB)."),
) -> None:
    """List stored market observations (the bundled snapshot included).

    Example:  narrex market list --instrument IBIT --metric net_flow_usd
    """
    import json

    from check.db import open_market
    from check.verdict import fmt_value

    store = open_market(_db(db))
    obs = store.find(instrument=instrument, metric=metric, date=date, source=source)
    for o in obs:
        if as_json:
            typer.echo(json.dumps(o.to_dict(), ensure_ascii=False))
        else:
            val = fmt_value(o.value, o.unit) if o.value_high is None else f"{o.value}-{o.value_high} {o.unit}"
            flag = " [low quality]" if o.quality == "low" else ""
            typer.echo(f"{o.date}\t{o.instrument}\t{o.metric}{('/' + o.aspect) if o.aspect else ''}\t{o.qualifier}\t"
                       f"{val}\t{o.label}{flag}\t{o.source_url}")
    if not as_json:
        typer.echo(f"{len(obs)} observations", err=True)


def check_cmd(
    db: Optional[str] = typer.Option(None, "--db", help="Database file (default ./narrex.db or $NARREX_DB)."),
    doc: Optional[str] = typer.Option(None, "--doc", help="Only this article (doc id or a prefix of it)."),
    as_json: bool = typer.Option(False, "--json", help="One verdict per line (JSON Lines)."),
    report: Optional[str] = typer.Option(None, "--report", help="Write a report: FILE.html (self-contained) or FILE.md."),
) -> None:
    """Fact-check the figures of ingested articles against market data.

    Each figure with a subject, metric and date gets a verdict (supported, contradicted, unverifiable,
    not_checkable) with the rule behind it and its evidence (source, URL, date).

    Example:  narrex check --db narrex.db --report report.html
    """
    import json
    from datetime import datetime, timezone

    from check.db import check_db, open_market
    from check.report import render_html, render_markdown, summary_counts

    from .cli import fail

    path = _db(db)
    if report and not report.lower().endswith((".html", ".htm", ".md", ".markdown")):
        raise fail(f"--report {report}: want a file name ending in .html or .md")
    store = open_market(path, must_exist=True)
    try:
        results = check_db(path, doc=doc, store=store)
        if not results:
            typer.echo(f"narrex: {path}: no articles to check (run `narrex ingest PATH --db {path}` first)", err=True)
        if as_json:
            for r in results:
                for v in r.verdicts:
                    sys.stdout.write(json.dumps(v.to_dict(), ensure_ascii=False) + "\n")
        else:
            for r in results:
                c = summary_counts(r.verdicts)
                typer.echo(f"# {r.title or r.source or r.doc_id}  (doc {r.doc_id})  "
                           + "  ".join(f"{k}: {n}" for k, n in c.items()))
                for v in r.verdicts:
                    if v.verdict == "not_checkable" or report:  # with --report, the details are in the file
                        continue
                    typer.echo(f"  {v.verdict:<13} {v.figure.get('surface')}  [{v.instrument} {v.metric} {v.date}]")
                    typer.echo(f"                {v.detail}")
        if report:
            gen = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
            if report.lower().endswith((".md", ".markdown")):
                text = render_markdown(results, store, gen, path)
            else:
                text = render_html(results, store, gen, path)
            try:
                with open(report, "w", encoding="utf-8") as f:
                    f.write(text)
            except OSError as e:
                raise fail(f"{report}: cannot write report ({e.strerror or e})") from None
            n = sum(len(r.verdicts) for r in results)
            typer.echo(f"wrote {report}: {len(results)} articles, {n} verdicts", err=True)
    finally:
        store.close()


def register(app: typer.Typer) -> None:
    """Add the market-data and check commands to ``app``."""
    app.add_typer(_market, name="market")
    app.command("check")(check_cmd)
