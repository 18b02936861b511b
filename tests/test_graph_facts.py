"""Figure facts: signed values, value matching within the stated precision, corroboration and conflicts."""
from __future__ import annotations

from graph import KnowledgeGraph
from graph.facts import Statement, agree, build_facts, signed_value

from test_graph_records import make_record


def st(value, surface, approx="eq", doc="d1", idx=0, story=None, date="2026-02-04", unit="USD", **kw):
    return Statement(doc_id=doc, idx=idx, story=story or doc, surface=surface, start=0, end=len(surface), value=value,
                     range=kw.get("range"), change=kw.get("change"), unit=unit, kind="flow", approx=approx,
                     subject=kw.get("subject", "IBIT"), metric=kw.get("metric", "net_flow_usd"), date=date)


def test_signed_value_combines_written_minus_and_word_sign():
    assert signed_value(370000000, "-") == -370000000
    assert signed_value(-370000000, "-") == -370000000  # a written minus is not flipped back
    assert signed_value(-5.3, None) == -5.3
    assert signed_value(230000000, "+") == 230000000
    assert signed_value(None, "-") is None


def test_values_match_within_written_precision():
    assert agree(st(-370000000, "3.7 亿美元"), st(-372000000, "3.72 亿美元"))      # 3.65–3.75 亿
    assert not agree(st(-370000000, "3.7 亿美元"), st(-380000000, "3.8 亿美元"))
    assert agree(st(72000, "72,000 美元"), st(72400, "72,400 美元"))              # trailing zeros are imprecise
    assert not agree(st(72000, "72,000 美元"), st(73000, "73,000 美元"))


def test_qualifiers_widen_the_match():
    assert agree(st(350000000, "3.5 亿", approx="approx"), st(362000000, "3.62 亿"))
    assert not agree(st(350000000, "3.5 亿"), st(362000000, "3.62 亿"))
    assert agree(st(230000000, "2.3 亿", approx="over"), st(250000000, "2.5 亿"))
    assert not agree(st(230000000, "2.3 亿", approx="over"), st(210000000, "2.1 亿"))  # 超过 2.3 亿 is not 2.1 亿
    assert agree(st(72000, "7.2 万", approx="under"), st(70500, "70,500"))


def test_opposite_signs_never_match():
    assert not agree(st(-370000000, "3.7 亿"), st(370000000, "3.7 亿"))


def test_ranges_and_changes():
    a = st(None, "64k-71k", range=[64000, 71000], unit="USD", metric="price_usd")
    b = st(None, "6.4万-7.1万", range=[64000, 71000], unit="USD", metric="price_usd")
    assert agree(a, b)
    c1 = st(None, "从 3.3% 跃升至 9%", change={"from": 3.3, "to": 9.0}, unit="pct", metric="basis_annualized_pct")
    c2 = st(9.0, "9%", unit="pct", metric="basis_annualized_pct")
    assert agree(c1, c2)  # the level reached matches the change's end value


def test_one_story_is_one_source_and_other_stories_corroborate_or_conflict():
    facts = build_facts([st(-370000000, "3.7 亿美元", doc="a", story="s1"),
                         st(-370000000, "3.7 億美元", doc="b", story="s1")])
    assert len(facts) == 1 and facts[0].docs == ["a", "b"] and facts[0].stories == ["s1"]
    assert not facts[0].corroborated and not facts[0].conflict

    facts = build_facts([st(-370000000, "3.7 亿美元", doc="a", story="s1"),
                         st(-368000000, "3.68 亿美元", doc="c", story="s2")])
    assert len(facts) == 1 and facts[0].corroborated

    facts = build_facts([st(-370000000, "3.7 亿美元", doc="a", story="s1"),
                         st(-520000000, "5.2 亿美元", doc="c", story="s2")])
    assert len(facts) == 2 and all(f.conflict for f in facts)
    assert {c["fact"] for c in facts[0].conflicts} == {facts[1].id}


def test_different_values_within_one_story_are_not_a_conflict():
    # an intraday high and a close on one day, in one article: two facts, no conflict
    facts = build_facts([st(112965, "112,965 美元", doc="a", story="s1", unit="USD", metric="price_usd"),
                         st(124000, "124,000 美元", doc="a", idx=1, story="s1", unit="USD", metric="price_usd")])
    assert len(facts) == 2 and not any(f.conflict for f in facts)
    # ... but a third story stating one of them makes the other a conflict for it
    facts = build_facts([st(112965, "112,965 美元", doc="a", story="s1", unit="USD", metric="price_usd"),
                         st(124000, "124,000 美元", doc="a", idx=1, story="s1", unit="USD", metric="price_usd"),
                         st(113000, "113,000 美元", doc="z", story="s2", unit="USD", metric="price_usd")])
    assert len(facts) == 2 and all(f.conflict for f in facts)


def test_undated_figures_merge_only_within_a_story():
    facts = build_facts([st(5.0, "5%", doc="a", story="s1", date=None, unit="pct"),
                         st(5.0, "5%", doc="b", story="s2", date=None, unit="pct")])
    assert len(facts) == 2 and not any(f.conflict or f.corroborated for f in facts)


def test_unbound_figures_stay_single():
    facts = build_facts([st(5.0, "5%", subject=None), st(5.0, "5%", doc="b", subject=None)])
    assert len(facts) == 2 and all(f.id.startswith("figure:") for f in facts)


def _gold_note(raw, doc_id, surface, value, story_words=""):
    return make_record(raw, doc_id=doc_id, figures=[{"surface": surface, "value": value, "unit": "USD", "kind": "price",
                                                     "subject": "Gold", "metric": "price_usd", "date": "2026-03-02"}],
                       mentions=[("黄金" if "黄金" in raw else "黃金", "Gold", "ASSET")])


def test_knowledge_graph_figures_across_articles():
    kg = KnowledgeGraph()
    kg.ingest_record(_gold_note("3 月 2 日黄金收于 2,915 美元,创历史新高。", "g1", "2,915 美元", 2915))
    kg.ingest_record(_gold_note("黃金週一（3 月 2 日）收報 2915.4 美元，刷新紀錄。", "g2", "2915.4 美元", 2915.4))
    kg.ingest_record(_gold_note("据另一数据商,3 月 2 日黄金报 2,870 美元。", "g3", "2,870 美元", 2870))
    facts = kg.figures(subject="Gold", metric="price_usd", date="2026-03-02")
    assert len(facts) == 2
    big = max(facts, key=lambda f: len(f.docs))
    assert big.docs == ["g1", "g2"] and big.corroborated and big.conflict
    assert kg.figures(subject="Gold", date="2026-03")  # a date prefix matches the month
    assert not kg.figures(subject="Gold", date="2026-04")
    assert len(kg.figures(subject="Gold", conflicts=True)) == 2
    # every statement quotes the raw article
    for f in facts:
        for s in f.statements:
            assert kg.quote(s.doc_id, s.start, s.end) == s.surface
            assert s.surface in s.sentence["text"]
