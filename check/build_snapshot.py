"""Build the bundled market snapshot ``corpora/market/snapshot.csv`` from a reported-facts CSV.

Usage:  python -m check.build_snapshot /work/shared/market/reported-facts.csv [--out corpora/market/snapshot.csv]

Every input row is kept (sources that disagree stay side by side). Instruments and metrics are
normalized with ``corpora/market/instruments.tsv`` and ``metrics.tsv`` (originals kept in
``instrument_raw`` / ``metric_raw``); the data origin named in the notes becomes ``source``
(``sources.tsv``), the publishing site ``outlet``; notes matching ``low_quality_cues.txt`` set
``quality=low``. A row without an http(s) URL is refused: no value without a source.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
from datetime import date as _date
from pathlib import Path

import corpora

from .market import RowError, _outlet, _read_tsv, row_to_observation

SNAPSHOT_COLUMNS = ["date", "instrument", "metric", "value", "unit", "source", "source_url", "retrieved_at",
                    "quality", "qualifier", "aspect", "scope", "outlet", "instrument_raw", "metric_raw", "notes"]


_OTHER_CLAUSE = re.compile(r"(?i)^(conflicts?\b|differs|other |context|consistent|supports|vs\b|prior )")


def _low_quality_cues() -> list[str]:
    text = corpora.path("market", "low_quality_cues.txt").read_text(encoding="utf-8")
    return [ln.strip().casefold() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def source_from_notes(notes: str, url: str) -> str:
    """The data origin named earliest in ``notes`` (per sources.tsv), else the URL's domain."""
    # Clauses about other sources (conflicts, comparisons) do not name this row's origin.
    own = "; ".join(c for c in notes.split(";") if not _OTHER_CLAUSE.match(c.strip()))
    best = None
    for row in _read_tsv("sources.tsv"):
        i = own.find(row["keyword"])
        if i >= 0 and (best is None or i < best[0]):
            best = (i, row["source"])
    return best[1] if best else _outlet(url)


def build(rows: list[dict], retrieved_at: str) -> list[dict]:
    """Snapshot rows (SNAPSHOT_COLUMNS) for the reported-facts rows; raises RowError on a bad row."""
    cues = _low_quality_cues()
    out = []
    for i, r in enumerate(rows, 2):
        url = (r.get("source_url") or "").strip()
        if not url.startswith(("http://", "https://")):
            raise RowError(i, "no source URL")
        notes = (r.get("notes") or "").strip()
        low = any(c in notes.casefold() for c in cues)
        src = dict(r, source=source_from_notes(notes, url), quality="low" if low else "ok", retrieved_at=retrieved_at)
        obs = row_to_observation(src, i)  # validates and normalizes
        value = r["value"].strip()
        out.append({
            "date": obs.date, "instrument": obs.instrument, "metric": obs.metric, "value": value, "unit": obs.unit,
            "source": obs.source, "source_url": obs.source_url, "retrieved_at": retrieved_at, "quality": obs.quality,
            "qualifier": obs.qualifier, "aspect": obs.aspect, "scope": obs.scope, "outlet": obs.outlet,
            "instrument_raw": obs.instrument_raw, "metric_raw": obs.metric_raw, "notes": notes,
        })
    # Quality belongs to the site: a personal blog is one for every row it gives.
    low_sites = {r["outlet"] for r in out if r["quality"] == "low"}
    for r in out:
        if r["outlet"] in low_sites:
            r["quality"] = "low"
    out.sort(key=lambda d: (d["date"], d["instrument"], d["metric"], d["aspect"], d["source"], d["source_url"]))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("facts_csv", help="reported-facts CSV (date,instrument,metric,value,unit,qualifier,source_url,notes)")
    ap.add_argument("--out", default=str(corpora.path("market", "snapshot.csv")))
    ap.add_argument("--retrieved-at", default=_date.today().isoformat(),
                    help="date the reported pages were collected (default: today)")
    a = ap.parse_args(argv)
    with open(a.facts_csv, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    try:
        snap = build(rows, a.retrieved_at)
    except RowError as e:
        print(f"build_snapshot: {a.facts_csv}: {e}", file=sys.stderr)
        return 1
    with open(a.out, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=SNAPSHOT_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(snap)
    n_low = sum(1 for r in snap if r["quality"] == "low")
    print(f"wrote {len(snap)} rows to {Path(a.out)} ({n_low} flagged low quality)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
