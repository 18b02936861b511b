"""The pipeline maps the stages' records to raw offsets in place (extract.pipeline._to_raw).

That is safe only while every stage builds its records afresh on each call: a stage that cached or
shared record objects (a memo per sentence, the same Span in two claims) would have them mapped
twice. These tests fail if a stage starts to share objects between calls or within one result.
"""
from __future__ import annotations

from extract import claims as _claims
from extract import dates as _dates
from extract import entities as _entities
from extract import figures as _figures
from extract.clean import clean
from extract.pipeline import extract_article

TEXT = (
    "比特币周报：美联储降息预期升温\n"
    "2025年11月20日，比特币上涨5%至9.5万美元，以太坊下跌3%。\n"
    "受美联储降息预期影响，黄金价格上涨2%，因为美元走弱导致避险需求上升。\n"
    "分析师认为，由于ETF资金流入，比特币可能继续上涨至10万美元。\n"
)


def _objects(text: str) -> list:
    dates = _dates.find_dates(text, None)
    mentions = _entities.find_mentions(text)
    figures = _figures.find_figures(text)
    _figures.bind_figures(text, figures, mentions, dates, None)
    claims = _claims.find_claims(text, mentions, figures)
    spans = [s for c in claims for s in (c.cause, c.effect, c.cue, c.sentence) if s is not None]
    return [*dates, *mentions, *figures, *claims, *spans]


def test_stages_build_fresh_unshared_records():
    text = clean(TEXT).text
    first, second = _objects(text), _objects(text)
    assert len(first) > 10  # the text yields dates, mentions, figures and claims
    ids = {id(o) for o in first}
    assert len(ids) == len(first)  # no object twice in one result
    assert not ids & {id(o) for o in second}  # nothing shared between calls


def test_extracting_twice_gives_the_same_record():
    raw = "  页面顶部\n" + TEXT.replace("比特币上涨", "比特幣上漲")
    a, b = extract_article(raw), extract_article(raw)
    assert a == b
    for rec in (a, b):
        for m in [*rec.entities, *rec.figures, *rec.dates]:
            assert raw[m.start:m.end] == m.surface
        for c in rec.claims:
            for s in (c.cause, c.effect, c.cue, c.sentence):
                if s is not None:
                    assert raw[s.start:s.end] == s.text
