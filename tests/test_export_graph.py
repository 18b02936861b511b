"""Exports: GraphML reads back with networkx, node-link JSON reads back, neo4j-admin CSV is well formed."""
from __future__ import annotations

import csv
import json

import networkx as nx
import pytest

from graph import KnowledgeGraph
from graph.export import export_graph, graphml_safe

from test_graph_kg import GOLD_A, GOLD_B, acme_record, chain_records
from test_graph_records import make_record


@pytest.fixture()
def kg():
    k = KnowledgeGraph()
    for r in [acme_record(), make_record(GOLD_A, doc_id="a"), make_record(GOLD_B, doc_id="b"), *chain_records()]:
        k.ingest_record(r)
    k.ingest_record(make_record("3 月 2 日阿克米资本买入 1.5 万枚比特币。", doc_id="acme2",
                                mentions=[("阿克米资本", "Acme Capital", "ORG")],
                                figures=[{"surface": "1.5 万枚", "value": 15000, "unit": "BTC", "kind": "quantity",
                                          "subject": "Acme Capital", "metric": "btc_bought", "date": "2026-03-02"}]))
    return k


def test_graphml_reads_back(kg, tmp_path):
    out = export_graph(kg.nx, "graphml", tmp_path / "g.graphml")
    h = nx.read_graphml(out, force_multigraph=True)
    g = kg.nx
    assert h.number_of_nodes() == g.number_of_nodes()
    assert h.number_of_edges() == g.number_of_edges()
    assert set(h.edges(keys=True)) == {(u, v, str(k)) for u, v, k in g.edges(keys=True)}
    fig = next(d for n, d in h.nodes(data=True) if d.get("type") == "Figure" and d.get("subject") == "Acme Capital")
    assert json.loads(fig["docs"]) and fig["conflict"] is True          # lists as JSON, booleans stay booleans
    assert isinstance(fig["value"], float)
    assert any(d.get("type") == "CONFLICTS_WITH" for *_, d in h.edges(data=True))


def test_graphml_safe_unifies_mixed_types():
    g = nx.MultiDiGraph()
    g.add_node("a", v=1, w=[1, 2], x=None)
    g.add_node("b", v=2.5, w="s")
    h = graphml_safe(g)
    assert h.nodes["a"]["v"] == 1.0 and isinstance(h.nodes["a"]["v"], float)
    assert h.nodes["a"]["w"] == "[1, 2]" and "x" not in h.nodes["a"]


def test_json_reads_back(kg, tmp_path):
    out = export_graph(kg.nx, "json", tmp_path / "g.json")
    data = json.loads(out.read_text(encoding="utf-8"))
    try:
        h = nx.node_link_graph(data, edges="edges")
    except TypeError:
        h = nx.node_link_graph(data)
    assert h.number_of_nodes() == kg.nx.number_of_nodes() and h.number_of_edges() == kg.nx.number_of_edges()


def test_neo4j_csv_is_well_formed(kg, tmp_path):
    out = export_graph(kg.nx, "neo4j-csv", tmp_path / "neo")
    ids, labels = set(), set()
    node_files = sorted(out.glob("nodes_*.csv"))
    rel_files = sorted(out.glob("rels_*.csv"))
    assert node_files and rel_files
    for f in node_files:
        with open(f, encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows[0][0] == "id:ID" and rows[0][-1] == ":LABEL"
        assert len({len(r) for r in rows}) == 1
        for r in rows[1:]:
            assert r[0] not in ids
            ids.add(r[0])
            labels.add(r[-1])
    assert {"Article", "Entity", "Figure", "Claim", "Story"} <= labels
    n_rels = 0
    for f in rel_files:
        with open(f, encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows[0][:2] == [":START_ID", ":END_ID"] and rows[0][-1] == ":TYPE"
        for r in rows[1:]:
            assert r[0] in ids and r[1] in ids
            n_rels += 1
    assert len(ids) == kg.nx.number_of_nodes() and n_rels == kg.nx.number_of_edges()
    readme = (out / "README.txt").read_text(encoding="utf-8")
    assert "neo4j-admin database import full" in readme
    assert all(f.name in readme for f in node_files + rel_files)
    # typed columns where the values allow it
    with open(out / "nodes_Figure.csv", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert "value:double" in header and "conflict:boolean" in header
    with open(out / "nodes_Entity.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {"id:ID", "canonical_id", ":LABEL"} <= set(rows[0])
    assert any(r["id:ID"] == "entity:Acme Capital" and r["canonical_id"] == "Acme Capital" for r in rows)


def test_unknown_format_is_refused(kg, tmp_path):
    with pytest.raises(ValueError):
        export_graph(kg.nx, "dot", tmp_path / "g.dot")
