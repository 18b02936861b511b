"""The graph in ecosystem formats: GraphML, JSON (node-link), neo4j-admin import CSV."""
from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path
from typing import Any, Iterable

import networkx as nx

__all__ = ["FORMATS", "export_graph", "graphml_safe", "write_graphml", "write_json", "write_neo4j_csv"]

FORMATS = ("graphml", "json", "neo4j-csv")


def _json(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False, sort_keys=True, default=str)


def _scalar(v: Any) -> Any:
    """A GraphML/CSV-safe scalar: None stays None (dropped), lists/dicts become JSON text."""
    if v is None:
        return None
    if isinstance(v, bool) or isinstance(v, (int, str)):
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, (list, tuple, dict, set)):
        return _json(sorted(v) if isinstance(v, set) else v)
    return str(v)


def _kind(v: Any) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    return "str"


def _unify(items: Iterable[dict]) -> dict[str, str]:
    """Per attribute, the one type all its values can take (int+float -> float, anything else mixed -> str)."""
    kinds: dict[str, set[str]] = {}
    for d in items:
        for k, v in d.items():
            if v is not None:
                kinds.setdefault(k, set()).add(_kind(v))
    out = {}
    for k, ks in kinds.items():
        if len(ks) == 1:
            out[k] = next(iter(ks))
        elif ks <= {"int", "float"}:
            out[k] = "float"
        else:
            out[k] = "str"
    return out


def _cast(v: Any, kind: str) -> Any:
    if v is None:
        return None
    if kind == "float":
        return float(v)
    if kind == "str" and not isinstance(v, str):
        return _json(v) if isinstance(v, bool) else str(v)
    return v


def graphml_safe(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``g`` whose attributes GraphML can hold: scalars of one type per attribute name."""
    nodes = {n: {k: _scalar(v) for k, v in d.items()} for n, d in g.nodes(data=True)}
    edges = [(u, v, k, {a: _scalar(x) for a, x in d.items()}) for u, v, k, d in g.edges(keys=True, data=True)]
    nkinds = _unify(nodes.values())
    ekinds = _unify(d for *_, d in edges)
    h = nx.MultiDiGraph()
    for n, d in nodes.items():
        h.add_node(n, **{k: _cast(v, nkinds[k]) for k, v in d.items() if v is not None})
    for u, v, k, d in edges:
        h.add_edge(u, v, key=k, **{a: _cast(x, ekinds[a]) for a, x in d.items() if x is not None})
    return h


def write_graphml(g: nx.MultiDiGraph, out: str | Path) -> Path:
    """Write GraphML (reads back with ``networkx.read_graphml``). Returns the file written."""
    out = Path(out)
    nx.write_graphml(graphml_safe(g), out, encoding="utf-8", prettyprint=True)
    return out


def write_json(g: nx.MultiDiGraph, out: str | Path) -> Path:
    """Write node-link JSON (``networkx.node_link_graph`` reads it back). Returns the file written."""
    out = Path(out)
    try:
        data = nx.node_link_data(g, edges="edges")
    except TypeError:  # networkx < 3.4 has no ``edges=`` keyword
        data = nx.node_link_data(g)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, default=str, indent=1)
    return out


_NEO_TYPES = {"bool": "boolean", "int": "long", "float": "double", "str": None}
_SAFE = re.compile(r"[^A-Za-z0-9_]+")


def _neo_header(kinds: dict[str, str]) -> list[str]:
    return [k if _NEO_TYPES[t] is None else f"{k}:{_NEO_TYPES[t]}" for k, t in kinds.items()]


def _neo_val(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return v


def write_neo4j_csv(g: nx.MultiDiGraph, outdir: str | Path, database: str = "neo4j") -> Path:
    """Write one nodes file per label and one relationships file per type, for ``neo4j-admin database import``.

    Headers use ``id:ID`` / ``:LABEL`` and ``:START_ID`` / ``:END_ID`` / ``:TYPE``; list and dict
    properties are JSON strings. ``README.txt`` holds the import command. Returns the folder.
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    by_label: dict[str, list[tuple[str, dict]]] = {}
    for n, d in g.nodes(data=True):
        # the node's own ``id`` attribute (an entity or story id) would clash with the id:ID column's name
        props = {("canonical_id" if k == "id" else k): _scalar(v) for k, v in d.items() if k != "type"}
        by_label.setdefault(str(d.get("type") or "Node"), []).append((n, props))
    by_type: dict[str, list[tuple[str, str, dict]]] = {}
    for u, v, d in g.edges(data=True):
        by_type.setdefault(str(d.get("type") or "RELATED"), []).append((u, v, {k: _scalar(x) for k, x in d.items()
                                                                               if k != "type"}))
    node_files, rel_files = [], []
    for label, rows in sorted(by_label.items()):
        kinds = _unify(d for _, d in rows)
        name = f"nodes_{_SAFE.sub('_', label)}.csv"
        with open(outdir / name, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["id:ID", *_neo_header(kinds), ":LABEL"])
            for n, d in rows:
                w.writerow([n, *(_neo_val(_cast(d.get(k), t)) for k, t in kinds.items()), label])
        node_files.append(name)
    for rtype, rows in sorted(by_type.items()):
        kinds = _unify(d for *_, d in rows)
        name = f"rels_{_SAFE.sub('_', rtype)}.csv"
        with open(outdir / name, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow([":START_ID", ":END_ID", *_neo_header(kinds), ":TYPE"])
            for u, v, d in rows:
                w.writerow([u, v, *(_neo_val(_cast(d.get(k), t)) for k, t in kinds.items()), rtype])
        rel_files.append(name)
    args = " ".join([f"--nodes=import/{n}" for n in node_files] + [f"--relationships=import/{r}" for r in rel_files])
    (outdir / "README.txt").write_text(
        "narrex graph export for neo4j-admin (Neo4j 5). Copy these files into $NEO4J_HOME/import, then run:\n\n"
        f"bin/neo4j-admin database import full {database} --multiline-fields=true --ignore-empty-strings=true {args}\n\n"
        "Node ids (id:ID) are the narrex node ids (article:…, entity:…, fact:…, claim:…, story:…); list and dict\n"
        "properties are JSON strings; an entity's or story's own id is the property canonical_id;\n"
        "doc_id/start/end on every node and relationship quote the raw article.\n",
        encoding="utf-8")
    return outdir


def export_graph(g: nx.MultiDiGraph, fmt: str, out: str | Path) -> Path:
    """Write ``g`` in ``fmt`` (graphml, json, neo4j-csv) to ``out`` (a folder for neo4j-csv). Returns the path."""
    if fmt == "graphml":
        return write_graphml(g, out)
    if fmt == "json":
        return write_json(g, out)
    if fmt == "neo4j-csv":
        return write_neo4j_csv(g, out)
    raise ValueError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
