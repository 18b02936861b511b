"""Causal claims: direction, spans, hedging, negation, attribution, conditionals, linking to entities and figures."""
from __future__ import annotations

import pytest

from extract.claims import find_claims
from extract.entities import find_mentions
from extract.figures import find_figures


def _claims(text: str, author: str | None = None, figures=None):
    return find_claims(text, find_mentions(text), figures or [], author=author)


def _one(text: str, **kw):
    cs = _claims(text, **kw)
    assert cs, f"no claim in {text!r}"
    return cs[0]


def _pair(c):
    return c.cause.text, c.effect.text


def test_spans_index_the_text():
    text = "美联储意外加息导致美股大跌，由于美元走强，黄金承压。"
    for c in _claims(text):
        for sp in (c.cause, c.effect, c.cue, c.sentence):
            assert text[sp.start:sp.end] == sp.text


@pytest.mark.parametrize(
    "text, cause, effect, cue",
    [
        # cause before the cue
        ("美联储意外加息导致美股大跌。", "美联储意外加息", "美股大跌", "导致"),
        ("OPEC+ 减产推高了布伦特原油价格。", "OPEC+ 减产", "布伦特原油价格", "推高"),
        ("强于预期的非农数据压制了降息预期。", "强于预期的非农数据", "降息预期", "压制"),
        # effect before the cue
        ("日元的急涨源于日本央行的鹰派表态。", "日本央行的鹰派表态", "日元的急涨", "源于"),
        ("铜价下跌，是因为中国需求疲弱。", "中国需求疲弱", "铜价下跌", "是因为"),
        # paired cues
        ("由于通胀数据超预期，美债收益率大幅上行。", "通胀数据超预期", "美债收益率大幅上行", "由于"),
        ("之所以人民币走弱，是因为中美利差扩大。", "中美利差扩大", "人民币走弱", "之所以"),
        ("股市因业绩不及预期而下跌。", "业绩不及预期", "下跌", "因"),
        # passive frames
        ("受美元走强拖累，黄金价格回落。", "美元走强", "黄金价格回落", "受"),
        ("这轮抛售由杠杆多头清算引发。", "杠杆多头清算", "这轮抛售", "由"),
        ("在降息预期的推动下，科技股全线上涨。", "降息预期", "科技股全线上涨", "推动下"),
        # connective
        ("央行意外降准，从而压低了国债收益率。", "央行意外降准", "压低了国债收益率", "从而"),
        # noun cue
        ("这轮暴跌的导火索是日元套息交易的平仓。", "日元套息交易的平仓", "这轮暴跌", "导火索"),
    ],
)
def test_direction_and_spans(text, cause, effect, cue):
    cs = _claims(text)
    assert any(c.cause.text == cause and c.effect.text == effect and c.cue.text.startswith(cue) for c in cs), [
        (c.cause.text, c.cue.text, c.effect.text) for c in cs
    ]


def test_pronoun_cause_takes_the_previous_clause():
    c = _one("欧洲天然气库存降至低位。这导致了电价飙升。")
    assert _pair(c) == ("欧洲天然气库存降至低位", "电价飙升")


def test_hedged():
    assert _one("美联储降息可能引发美元走弱。").hedged
    assert _one("我倾向于认为催化剂来自科技股的抛售，这导致了比特币下跌。").hedged
    assert not _one("美联储降息引发美元走弱。").hedged


def test_negated_and_refuted():
    assert _one("这轮下跌并非由基本面驱动。").negated
    assert _one("昨天的抛售跟日元套息交易没有关系。").negated
    assert _one("我不认为结构性产品的规模足以单独引发这场抛售。").negated
    assert not _one("结构性产品引发了这场抛售。").negated


def test_relation_cues():
    c = _one("黄金的反弹很可能与避险需求有关。")
    assert c.cause.text == "避险需求" and not c.negated and c.hedged


def test_conditionals_are_hedged_not_stated():
    cs = _claims("如果日本央行加息，那么套息交易平仓会导致日元急涨。")
    assert cs and all(c.hedged for c in cs)
    # the condition itself is not made into a cause
    assert not any(c.cause.text.startswith("日本央行加息") for c in cs)


def test_plain_time_sequence_is_not_causal():
    assert _claims("美股收盘后，亚洲市场开盘。随后欧洲市场也开盘。") == []


def test_reason_for_a_belief_is_not_a_causal_claim():
    assert _claims("我们怎么知道的？因为交易量创下了纪录。") == []


def test_attribution():
    assert _one("高盛分析师指出，油价上涨导致通胀预期升温。").attributed_to == "Goldman Sachs"
    assert _one("据路透报道，减产推高了油价。").attributed_to == "Reuters"
    assert _one("有分析人士认为，美元走强压制了金价。").attributed_to == "有分析人士"
    assert _one("美元走强压制了金价。", author="Jeff Park").attributed_to == "Jeff Park"
    assert _one("我认为美元走强压制了金价。", author="Jeff Park").attributed_to == "Jeff Park"
    assert _one("美元走强压制了金价。").attributed_to is None


def test_claims_link_entities_and_figures():
    text = "IBIT 净流出 5.3 亿美元导致比特币跌破 7 万美元。"
    figs = find_figures(text)
    c = _one(text, figures=figs)
    assert "IBIT" in c.cause_entities
    assert "Bitcoin" in c.effect_entities
    assert c.cause_figures and all(c.cause.start <= figs[i].start and figs[i].end <= c.cause.end for i in c.cause_figures)
    assert c.effect_figures and all(c.effect.start <= figs[i].start for i in c.effect_figures)


def test_figure_indexes_refer_to_the_list_passed_in():
    text = "IBIT 净流出 5.3 亿美元导致比特币跌破 7 万美元。"
    figs = list(reversed(find_figures(text)))
    c = _one(text, figures=figs)
    for i in c.cause_figures:
        assert c.cause.start <= figs[i].start < c.cause.end


def test_nouns_and_idioms_are_not_cues():
    assert _claims("这一结果多少令人费解。") == []
    assert _claims("即使使用杠杆，收益也有限。") == []
    assert _claims("比特币抛售的加速值得关注。") == []


@pytest.mark.parametrize("text", ["", "   ", "导致", "由于", "因为，", "。。。", "\u200b导致\u200b", "🚀 导致 🌕", "A" * 30000, "导致" * 3000])
def test_odd_text_never_crashes(text):
    for c in _claims(text):
        assert text[c.cause.start:c.cause.end] == c.cause.text


def test_unseen_commentary_other_markets():
    """A paragraph mixing equities, rates, FX and commodities (not from the seeds)."""
    text = (
        "英伟达财报不及预期引发芯片股抛售。受美国 CPI 数据超预期影响，10 年期美债收益率一度升至 4.6%。"
        "据路透报道，OPEC+ 同意延长减产，布伦特原油因此上涨 3%。桥水基金首席投资官 Greg Jensen 表示，通胀黏性将使央行维持高利率更长时间。"
    )
    cs = {c.cue.text: c for c in _claims(text)}
    assert _pair(cs["引发"]) == ("英伟达财报不及预期", "芯片股抛售") and not cs["引发"].hedged  # 不及预期 is not a hedge
    assert cs["受"].cause_entities == ["US CPI"] and cs["受"].effect_entities == ["US 10Y Treasury"]
    assert cs["因此"].cause.text == "OPEC+ 同意延长减产" and "布伦特原油" in cs["因此"].effect.text
    assert cs["因此"].attributed_to == "Reuters"
    assert _pair(cs["使"]) == ("通胀黏性", "央行维持高利率更长时间") and cs["使"].attributed_to == "Greg Jensen"


def test_zhisuoyi_is_not_suoyi():
    cs = _claims("之所以北向资金流出，主要是因为外资信心不足。")
    assert [(c.cue.text, *_pair(c)) for c in cs] == [("之所以", "外资信心不足", "北向资金流出")]


def test_jiang_as_will_is_not_the_ba_construction():
    assert _pair(_one("通胀黏性将使央行维持高利率。")) == ("通胀黏性", "央行维持高利率")
    assert _pair(_one("抛售潮将比特币价格推至 6 万美元下方。")) == ("抛售潮", "比特币价格推至 6 万美元下方")


def test_traditional_taiwan_commentary_through_the_pipeline():
    """Taiwan-style Traditional text (聯準會, 殖利率, 台積電): raw offsets, entities on both sides, 受此影響."""
    from extract import extract_article

    raw = "聯準會主席鮑威爾表示，通膨降溫將使聯準會有空間降息。受此影響，10年期美債殖利率下滑至4.1%。台積電法說會釋出保守展望，導致台股加權指數重挫2%。"
    rec = extract_article(raw)
    for c in rec.claims:
        for sp in (c.cause, c.effect, c.cue):
            assert raw[sp.start:sp.end] == sp.text
    by = {c.cue.text: c for c in rec.claims}
    assert by["使"].attributed_to == "Jerome Powell" and by["使"].effect_entities == ["Federal Reserve"]
    assert by["受"].effect_entities == ["US 10Y Treasury"] and "Inflation" in by["受"].cause_entities
    assert by["導致"].cause_entities == ["TSMC"] and by["導致"].effect_entities == ["TAIEX"]
