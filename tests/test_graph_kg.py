"""KnowledgeGraph on hand-built records: idempotence, persistence, stories, entities, claims, provenance, safety."""
from __future__ import annotations

import sqlite3

import pytest

from extract.errors import NarrexError
from extract.records import Entity
from graph import KnowledgeGraph
from graph.store import SCHEMA_VERSION

from test_graph_records import graph_signature, make_record

GOLD_A = ("周二金价大涨 2.8%,收于每盎司 2,941.5 美元,盘中一度触及 2,956.2 美元。美国 10 年期国债收益率回落至 4.12%,"
          "美元指数跌至 103.45,全球最大黄金 ETF 持仓增加 5.7 吨。分析师认为,美联储降息预期升温是金价上涨的主要推手,"
          "而地缘政治风险也推动了避险需求。")
GOLD_B = ("金價週二飆升 2.8%，以每盎司 2,941.5 美元作收，日內最高見 2,956.2 美元。隨著美國十年期公債殖利率降至 4.12%、"
          "美元指數下滑到 103.45，全球最大黃金 ETF 的持倉量增加了 5.7 噸。市場人士指出，聯準會降息預期升溫是推升金價的主因，"
          "地緣風險亦帶動避險買盤。")
YEN_C = ("日元兑美元汇率周三跌至 151.35,日本财务省官员表示将密切关注汇市波动。日本 10 年期国债收益率升至 1.52%,"
         "创 2008 年以来新高。交易员预计日本央行可能在 3 月会议上再次加息 25 个基点,套息交易的吸引力随之下降。")

ACME = Entity(id="Acme Capital", name="Acme Capital", type="ORG", aliases=["Acme Capital", "阿克米资本", "阿克米資本"])


def acme_record(raw="阿克米資本周一买入 1.2 万枚比特币。", doc_id="acme1"):
    return make_record(raw, doc_id=doc_id, mentions=[("阿克米資本", "Acme Capital", "ORG")], entities=[ACME],
                       figures=[{"surface": "1.2 万枚", "value": 12000, "unit": "BTC", "kind": "quantity",
                                 "subject": "Acme Capital", "metric": "btc_bought", "date": "2026-03-02"}])


def chain_records():
    """Three articles whose claims chain: JGB sell-off -> yen volatility -> carry-trade unwind -> bitcoin liquidations."""
    r1 = make_record("日本国债遭大规模抛售,引发日元剧烈波动。", doc_id="c1",
                     mentions=[("日本国债", "JGB", "ASSET"), ("日元", "Japanese yen", "ASSET")],
                     claims=[{"cause": "日本国债遭大规模抛售", "cue": "引发", "effect": "日元剧烈波动"}])
    r2 = make_record("分析师指出,日元剧烈波动导致套息交易被迫平仓。", doc_id="c2",
                     mentions=[("日元", "Japanese yen", "ASSET")],
                     claims=[{"cause": "日元剧烈波动", "cue": "导致", "effect": "套息交易被迫平仓",
                              "attributed_to": "分析师"}])
    r3 = make_record("套息交易平仓可能造成了比特币多头的大规模清算。", doc_id="c3",
                     mentions=[("比特币", "Bitcoin", "ASSET")],
                     claims=[{"cause": "套息交易平仓", "cue": "造成", "effect": "比特币多头的大规模清算", "hedged": True}])
    r4 = make_record("比特币下跌并非由日元走势驱动。", doc_id="c4",
                     mentions=[("比特币", "Bitcoin", "ASSET"), ("日元", "Japanese yen", "ASSET")],
                     claims=[{"cause": "日元走势", "cue": "驱动", "effect": "比特币下跌", "negated": True}])
    return [r1, r2, r3, r4]


def test_reingest_is_a_noop_and_reopen_gives_the_same_graph(tmp_path):
    db = tmp_path / "kg.db"
    recs = [acme_record(), make_record(GOLD_A, doc_id="a"), make_record(GOLD_B, doc_id="b"), *chain_records()]
    with KnowledgeGraph.open(db) as kg:
        ids = [kg.ingest_record(r) for r in recs]
        assert all(added for _, added in ids)
        sig = graph_signature(kg.nx)
        again = [kg.ingest_record(r) for r in recs]
        assert [d for d, _ in again] == [d for d, _ in ids] and not any(a for _, a in again)
        assert graph_signature(kg.nx) == sig
        assert kg.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == len(recs)
    with KnowledgeGraph.open(db) as kg2:
        assert graph_signature(kg2.nx) == sig
        assert [a.doc_id for a in kg2.articles()] == [d for d, _ in ids]
        assert kg2.article_record("acme1")["raw_text"] == recs[0].raw_text


def test_graph_built_incrementally_equals_graph_rebuilt(tmp_path):
    kg = KnowledgeGraph.open(tmp_path / "kg.db")
    _ = kg.nx  # loaded before ingest: must be kept in step
    for r in [acme_record(), make_record(GOLD_A, doc_id="a"), *chain_records(), make_record(GOLD_B, doc_id="b")]:
        kg.ingest_record(r)
    incremental = graph_signature(kg.nx)
    kg.close()
    assert graph_signature(KnowledgeGraph.open(tmp_path / "kg.db").nx) == incremental


def test_entity_in_any_script_is_one_entity():
    kg = KnowledgeGraph()
    kg.ingest_record(acme_record())
    forms = ["Acme Capital", "acme capital", "阿克米资本", "阿克米資本"]
    ents = [kg.entity(f) for f in forms]
    assert all(e is not None for e in ents)
    assert {e.id for e in ents} == {"Acme Capital"}
    assert kg.entity("没有这个机构") is None
    assert kg.figures(subject="阿克米資本")[0].subject == "Acme Capital"


def test_stories_group_translation_and_repost_not_other_news():
    kg = KnowledgeGraph()
    kg.ingest_record(make_record(GOLD_A, doc_id="a"))
    kg.ingest_record(make_record(YEN_C, doc_id="c"))
    kg.ingest_record(make_record(GOLD_B, doc_id="b"))                                   # a Traditional retelling
    kg.ingest_record(make_record("转载:" + GOLD_A + "(来源:某财经网)", doc_id="a2"))     # a repost with chrome
    groups = {s.id: set(s.docs) for s in kg.stories()}
    assert {"a", "b", "a2"} in groups.values()
    assert {"c"} in groups.values()
    assert kg.story_of("b") == kg.story_of("a") == "a"
    assert [s.docs for s in kg.stories(min_size=2)] == [["a", "b", "a2"]]


def test_an_article_bridging_two_stories_merges_them():
    kg = KnowledgeGraph()
    kg.ingest_record(make_record(GOLD_A, doc_id="a"))
    kg.ingest_record(make_record(YEN_C, doc_id="c"))
    _ = kg.nx
    kg.ingest_record(make_record(GOLD_A + "\n" + YEN_C, doc_id="ac"))  # a digest quoting both in full
    assert [set(s.docs) for s in kg.stories()] == [{"a", "c", "ac"}]
    story_nodes = [n for n, d in kg.nx.nodes(data=True) if d["type"] == "Story"]
    assert story_nodes == ["story:a"]


def test_claims_about_and_multi_hop_causes():
    kg = KnowledgeGraph()
    for r in chain_records():
        kg.ingest_record(r)
    about_yen = kg.claims(about="Japanese yen")
    assert {c.doc_id for c in about_yen} == {"c1", "c2", "c4"}
    one = kg.causes_of("比特币多头的大规模清算")
    assert [c.steps[0].doc_id for c in one] == ["c3"]
    assert [c.steps[0].doc_id for c in kg.causes_of("比特币清算")] == ["c3"]  # not c4's bare 比特币下跌
    chains = kg.causes_of("比特币多头的大规模清算", depth=3)
    longest = max(chains, key=lambda c: len(c.steps))
    assert [s.doc_id for s in longest.steps] == ["c1", "c2", "c3"]
    assert str(longest).startswith("日本国债遭大规模抛售")
    fwd = kg.effects_of("日本国债", depth=3)
    assert any([s.doc_id for s in ch.steps] == ["c1", "c2", "c3"] for ch in fwd)
    # rejected links are left out unless asked for
    assert all(not s.negated for ch in kg.causes_of("Bitcoin") for s in ch.steps)
    assert any(s.negated for ch in kg.causes_of("Bitcoin", include_negated=True) for s in ch.steps)
    assert all(not s.hedged for ch in kg.causes_of("Bitcoin", depth=3, include_hedged=False) for s in ch.steps)
    # attribution becomes an edge to an entity
    g = kg.nx
    assert any(d["type"] == "ATTRIBUTED_TO" for _, _, d in g.out_edges("claim:c2:0", data=True))


def test_every_node_and_edge_quotes_the_raw_text():
    kg = KnowledgeGraph()
    recs = [acme_record(), *chain_records()]
    for r in recs:
        kg.ingest_record(r)
    g = kg.nx
    for n, d in g.nodes(data=True):
        if d["type"] in ("Article", "Figure", "Claim"):
            assert d.get("doc_id") and d.get("start") is not None and d.get("end") is not None, n
    for u, v, d in g.edges(data=True):
        assert d.get("doc_id"), (u, v, d)
        if d["type"] in ("MENTIONS", "STATES"):
            assert kg.quote(d["doc_id"], d["start"], d["end"]) == d["surface"]
        if d["type"] in ("CAUSE", "EFFECT") and d.get("text"):
            assert kg.quote(d["doc_id"], d["start"], d["end"]) == d["text"]
    types = {d["type"] for *_, d in g.edges(data=True)}
    assert {"MENTIONS", "STATES", "ABOUT", "ASSERTS", "CAUSE", "EFFECT", "BELONGS_TO"} <= types


def test_results_print_and_serialize():
    import json

    kg = KnowledgeGraph()
    kg.ingest_record(acme_record())
    for res in (kg.figures(), kg.stories(), kg.articles(), kg.claims()):
        assert isinstance(repr(res), str) and "<table>" in res._repr_html_()
        json.loads(res.to_json())
    assert "Acme Capital" in repr(kg.figures())


def test_refuses_non_sqlite_file_without_touching_it(tmp_path):
    p = tmp_path / "notes.db"
    p.write_text("这不是数据库\n" * 100, encoding="utf-8")
    before = p.read_bytes()
    with pytest.raises(NarrexError, match="not an SQLite database"):
        KnowledgeGraph.open(p)
    assert p.read_bytes() == before


def test_refuses_corrupted_database(tmp_path):
    p = tmp_path / "kg.db"
    KnowledgeGraph.open(p).close()
    data = bytearray(p.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # trash the first page after the header
    p.write_bytes(bytes(data))
    with pytest.raises(NarrexError):
        KnowledgeGraph.open(p)


def test_refuses_newer_schema_and_keeps_unknown_tables(tmp_path):
    p = tmp_path / "kg.db"
    with KnowledgeGraph.open(p) as kg:
        kg.conn.execute("CREATE TABLE IF NOT EXISTS market_obs (date TEXT, value REAL)")
        kg.conn.execute("INSERT INTO market_obs VALUES ('2026-02-04', 1.0)")
        kg.conn.execute("INSERT INTO meta(key, value) VALUES ('check_schema_version', '1')")
    with KnowledgeGraph.open(p) as kg:
        assert kg.conn.execute("SELECT count(*) FROM market_obs").fetchone()[0] == 1
    con = sqlite3.connect(p)
    con.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION + 1),))
    con.commit()
    con.close()
    before = p.read_bytes()
    with pytest.raises(NarrexError, match="newer"):
        KnowledgeGraph.open(p)
    assert p.read_bytes() == before


def test_store_pragmas(tmp_path):
    with KnowledgeGraph.open(tmp_path / "kg.db") as kg:
        assert kg.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert kg.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert kg.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == str(SCHEMA_VERSION)


def test_open_without_create_needs_an_existing_file(tmp_path):
    with pytest.raises(NarrexError, match="no such database"):
        KnowledgeGraph.open(tmp_path / "missing.db", create=False)
    assert not (tmp_path / "missing.db").exists()


def test_odd_text_does_not_crash_ingest():
    kg = KnowledgeGraph()
    odd = "\u200b\u200b比特币🚀🚀 \x07\x1b[31m 涨了 5%!\ufeff" + "啊" * 20000 + "\n\n\r\n"
    doc_id = kg.ingest(odd)
    assert kg.article_record(doc_id)["raw_text"] == odd
    assert kg.ingest(odd) == doc_id


def test_ingest_tells_paths_from_text(tmp_path):
    kg = KnowledgeGraph()
    one_line = "2/5 比特币闪崩 13.2%,IBIT 赎回 3.7 亿美元"
    doc_id = kg.ingest(one_line)
    assert kg.article_record(doc_id)["raw_text"] == one_line
    f = tmp_path / "note.txt"
    f.write_text(one_line + "\n", encoding="utf-8")
    assert kg.ingest(str(f)) == doc_id and kg.ingest(f) == doc_id  # same content: same article
    from extract.errors import InputError

    with pytest.raises(InputError, match="no such file"):
        kg.ingest(str(tmp_path / "missing.txt"))
    with pytest.raises(InputError):
        kg.ingest("   ")


def test_graph_tables_join_a_database_another_stage_created_first(tmp_path):
    p = tmp_path / "kg.db"
    con = sqlite3.connect(p)
    con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    con.execute("INSERT INTO meta VALUES ('market_schema_version', '3')")
    con.execute("CREATE TABLE market_obs (date TEXT, instrument TEXT, value REAL)")
    con.commit()
    con.close()
    with KnowledgeGraph.open(p) as kg:
        kg.ingest_record(acme_record())
        meta = dict(kg.conn.execute("SELECT key, value FROM meta").fetchall())
        assert meta == {"market_schema_version": "3", "schema_version": str(SCHEMA_VERSION)}
        assert kg.conn.execute("SELECT count(*) FROM market_obs").fetchone()[0] == 0


def test_migrations_upgrade_an_older_database_in_place(tmp_path, monkeypatch):
    import graph.store as store

    p = tmp_path / "kg.db"
    with KnowledgeGraph.open(p) as kg:
        kg.ingest_record(acme_record())
    v = store.SCHEMA_VERSION
    monkeypatch.setattr(store, "SCHEMA_VERSION", v + 1)
    monkeypatch.setitem(store.MIGRATIONS, v + 1, ["ALTER TABLE articles ADD COLUMN language TEXT DEFAULT 'zh'"])
    with KnowledgeGraph.open(p) as kg:
        assert kg.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == str(v + 1)
        assert [tuple(r) for r in kg.conn.execute("SELECT doc_id, language FROM articles")] == [("acme1", "zh")]
        assert kg.figures(subject="Acme Capital")


def test_malformed_record_fields_do_not_crash():
    kg = KnowledgeGraph()
    rec = {"doc_id": "odd1", "raw_text": "比特币跌 5%", "clean_text": "比特币跌 5%",
           "figures": [{"surface": "5%", "start": None, "end": "x", "value": "not a number", "subject": "Bitcoin",
                        "metric": "price_change_pct"}],
           "entities": [{"surface": "比特币", "start": 0, "end": 3, "entity": None}],
           "claims": [{"cause": None, "effect": None, "cue": {"text": "跌", "start": 3, "end": 4}},
                      {"cause": {"text": "比特币", "start": None}, "effect": None, "cue": {"text": None}}]}
    assert kg.ingest_record(rec) == ("odd1", True)
    assert kg.nx.number_of_nodes() > 0 and len(kg.claims()) == 2


def test_chains_survive_a_crowd_of_claims_sharing_common_words():
    kg = KnowledgeGraph()
    for r in chain_records():
        kg.ingest_record(r)
    for k in range(150):  # many claims about bitcoin: their common bigrams become stop bigrams
        raw = f"第{k}家机构抛售比特币,导致比特币价格下跌{k}美元。"
        kg.ingest_record(make_record(raw, doc_id=f"f{k}", mentions=[("比特币", "Bitcoin", "ASSET")],
                                     claims=[{"cause": f"第{k}家机构抛售比特币", "cue": "导致",
                                              "effect": f"比特币价格下跌{k}美元"}]))
    chains = kg.causes_of("比特币多头的大规模清算", depth=3)
    assert any([s.doc_id for s in ch.steps] == ["c1", "c2", "c3"] for ch in chains)
    assert all(not s.doc_id.startswith("f") for ch in chains for s in ch.steps)
    assert len(kg.claims(about="Bitcoin")) >= 150


def test_a_reader_sees_what_another_connection_wrote(tmp_path):
    p = tmp_path / "kg.db"
    reader, writer = KnowledgeGraph.open(p), KnowledgeGraph.open(p)
    writer.ingest_record(acme_record())
    assert "article:acme1" in reader.nx
    writer.ingest_record(make_record(GOLD_A, doc_id="a"))
    assert "article:a" in reader.nx and [a.doc_id for a in reader.articles()] == ["acme1", "a"]
    reader.ingest_record(make_record(GOLD_B, doc_id="b"))  # joins the story the other connection started
    assert reader.story_of("b") == "a" and writer.story_of("b") == "a"
    assert graph_signature(reader.nx) == graph_signature(writer.nx)
    reader.close()
    writer.close()


def test_a_version_1_database_is_migrated_and_still_matches_stories(tmp_path, seeds):
    """v1 -> v2: story lookup tables filled, old-size signatures rewritten, a retelling joins the old story."""
    import sqlite3

    from graph.stories import NUM_PERM

    names = sorted(seeds)
    p = tmp_path / "v1.db"
    with KnowledgeGraph.open(p) as kg:
        first, _ = kg.ingest_text(seeds[names[0]], source=names[0])
    # make it look like a version 1 file: no lookup tables, a 128-value signature
    conn = sqlite3.connect(p)
    conn.executescript("DROP TABLE story_bands; DROP TABLE story_numbers;"
                       "UPDATE meta SET value='1' WHERE key='schema_version';")
    conn.execute("UPDATE articles SET minhash = ?", (bytes(128 * 4),))
    conn.commit()
    conn.close()
    with KnowledgeGraph.open(p) as kg:
        c = kg.conn
        assert c.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == "2"
        assert {len(r[0]) for r in c.execute("SELECT minhash FROM articles")} == {NUM_PERM * 4}
        assert c.execute("SELECT count(*) FROM story_bands").fetchone()[0] == NUM_PERM // 2
        assert c.execute("SELECT count(*) FROM story_numbers").fetchone()[0] > 0
        # 001 retells 000's story in Traditional script: it must find the migrated article
        second, added = kg.ingest_text(seeds[names[1]], source=names[1])
        assert added and kg.story_of(second) == kg.story_of(first)


def test_walk_start_uses_the_index_and_agrees_with_query_matches(seeds):
    from extract.pipeline import extract_article
    from graph.causal import ClaimIndex, Query, SIDES

    kg = KnowledgeGraph()
    for name, text in seeds.items():
        kg.ingest_record(extract_article(text, source=name))
    views = kg._claim_views()
    index = ClaimIndex(views)
    assert len(views) > 20
    queries = [Query(phrase=p) for p in ("比特币", "日元套息交易平仓", "美联储降息预期", "ETF 资金流出", "波动")]
    queries += [Query(entity=e, aliases=[e]) for e in ("Bitcoin", "Japanese yen", "BlackRock")]
    hits = 0
    for q in queries:
        for side in SIDES:
            expected = [i for i, v in enumerate(views) if q.matches(v.text(side), getattr(v, f"{side}_entities"))]
            starts = [c.steps[-1 if side == "effect" else 0] for c in index.walk(q, side, 1, [True] * len(views), 10**6)]
            assert [views.index(s) for s in starts] == expected, (q.phrase or q.entity, side)
            hits += len(expected)
    assert hits > 10
