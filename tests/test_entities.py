"""Entity mentions and linking: gazetteer matching across scripts, discovery of unknown entities, lookup."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract.entities import find_mentions, lookup

GOLD = Path(__file__).parent / "data" / "seed-gold"


def _ids(text: str) -> dict[str, str]:
    return {m.surface: m.entity for m in find_mentions(text)}


def test_offsets_index_the_text():
    text = "据彭博报道，贝莱德旗下 IBIT 周四净流出 3.7 亿美元，芝商所比特币期货未平仓合约下降。"
    ms = find_mentions(text)
    assert ms, "nothing found"
    for m in ms:
        assert text[m.start:m.end] == m.surface
    assert [m.start for m in ms] == sorted(m.start for m in ms)


@pytest.mark.parametrize(
    "alias, cid",
    [
        ("貝萊德", "BlackRock"), ("贝莱德", "BlackRock"), ("BlackRock", "BlackRock"), ("blackrock", "BlackRock"),
        ("聯準會", "Federal Reserve"), ("美联储", "Federal Reserve"), ("Fed", "Federal Reserve"), ("联储局", "Federal Reserve"),
        ("日銀", "Bank of Japan"), ("BOJ", "Bank of Japan"), ("日本央行", "Bank of Japan"),
        ("芝商所", "CME Group"), ("芝加哥商品交易所", "CME Group"), ("CME", "CME Group"),
        ("幣安", "Binance"), ("富达", "Fidelity"), ("灰度", "Grayscale"), ("小摩", "JPMorgan"), ("大摩", "Morgan Stanley"),
        ("花旗", "Citigroup"), ("路透", "Reuters"), ("深潮", "TechFlow"), ("MicroStrategy", "Strategy"),
        ("比特幣", "Bitcoin"), ("以太坊", "Ether"), ("日圓", "Japanese yen"), ("日元", "Japanese yen"),
        ("那斯達克", "Nasdaq"), ("標普500", "S&P 500"), ("未平倉合約", "Open interest"), ("資金費率", "Funding rate"),
        ("隱含波動率", "Implied volatility"), ("日本國債", "Japanese Government Bonds"), ("美債", "US Treasuries"),
    ],
)
def test_lookup_links_every_script_to_one_id(alias, cid):
    ent = lookup(alias)
    assert ent is not None and ent.id == cid


def test_lookup_returns_aliases_in_both_scripts_and_unknown_is_none():
    ent = lookup("BlackRock")
    assert "贝莱德" in ent.aliases and "貝萊德" in ent.aliases
    assert lookup("完全不存在的机构名") is None
    assert lookup("") is None


def test_gazetteer_ids_are_the_shared_canonical_ids():
    for cid in ["Bitcoin", "Ether", "Gold", "US dollar", "Japanese yen", "IBIT", "FBTC", "GBTC", "ARKB", "BITB", "GLD", "IGV",
                "US spot bitcoin ETFs", "BlackRock", "iShares", "CME Group", "Federal Reserve", "Bank of Japan", "ECB", "PBOC",
                "Japan Ministry of Finance", "Goldman Sachs", "Citigroup", "Strategy", "CoinGlass", "Farside Investors",
                "Nasdaq Composite", "S&P 500", "VIX", "MOVE", "USD/JPY"]:
        ent = lookup(cid)
        assert ent is not None and ent.id == cid, cid


def test_matching_works_on_traditional_text_too():
    ids = _ids("聯準會維持利率不變，貝萊德的比特幣 ETF 仍錄得淨流入。")
    assert ids.get("聯準會") == "Federal Reserve"
    assert ids.get("貝萊德") == "BlackRock"
    assert ids.get("比特幣 ETF") == "US spot bitcoin ETFs"


def test_space_between_chinese_and_latin_is_optional():
    assert _ids("现货比特币ETF 连续流出")["现货比特币ETF"] == "US spot bitcoin ETFs"
    assert _ids("现货比特币 ETF 连续流出")["现货比特币 ETF"] == "US spot bitcoin ETFs"


def test_longest_alias_wins():
    ids = _ids("日元套利交易平仓导致美元/日元急跌，美元指数走强。")
    assert ids["日元套利交易"] == "Yen carry trade"
    assert ids["美元/日元"] == "USD/JPY"
    assert ids["美元指数"] == "US Dollar Index"


def test_case_sensitive_tickers():
    assert _ids("MOVE 与 VIX 同步上升").get("MOVE") == "MOVE"
    assert _ids("MOVE 指数与 VIX 同步上升").get("MOVE 指数") == "MOVE"
    assert not _ids("prices move higher, move 指数")


def test_currency_after_amount_is_a_unit_not_a_mention():
    ms = find_mentions("IBIT 流出 5.3 亿美元，美元走强。")
    dollars = [m for m in ms if m.entity == "US dollar"]
    assert len(dollars) == 1 and dollars[0].start == "IBIT 流出 5.3 亿美元，".__len__()


def test_other_markets_equities_rates_fx_commodities():
    ids = _ids("受美国CPI超预期影响，纳指下跌 2%，布伦特原油走高，欧洲央行官员表示欧元/美元承压，沪深300 与恒生指数收跌，黄金创新高。")
    assert ids["美国CPI"] == "US CPI"
    assert ids["纳指"] == "Nasdaq Composite"
    assert ids["布伦特原油"] == "Brent crude"
    assert ids["欧洲央行"] == "ECB"
    assert ids["欧元/美元"] == "EUR/USD"
    assert ids["沪深300"] == "CSI 300"
    assert ids["恒生指数"] == "Hang Seng Index"
    assert ids["黄金"] == "Gold"


def test_nasdaq_exchange_or_index_by_context():
    assert _ids("纳斯达克提高了期权持仓上限")["纳斯达克"] == "Nasdaq"
    assert _ids("比特币与纳斯达克同步下跌")["纳斯达克"] == "Nasdaq Composite"


@pytest.mark.parametrize(
    "text, surface, cid",
    [
        ("美国 10 年期国债收益率升至 4.5%", "10 年期国债收益率", "US 10Y Treasury"),
        ("40年期JGB收益率突破4%", "40年期JGB收益率", "JGB 40Y"),
        ("日本央行加息后，30 年期国债收益率飙升", "30 年期国债收益率", "JGB 30Y"),
        ("德国 10 年期国债收益率回落", "10 年期国债收益率", "Bund 10Y"),
        ("十年期美债收益率下行", "十年期美债收益率", "US 10Y Treasury"),
    ],
)
def test_tenor_bonds(text, surface, cid):
    assert _ids(text).get(surface) == cid
    assert lookup(cid).id == cid


def test_discovery_of_unknown_entities():
    text = "Pantera Capital 合伙人 Cosmo Jiang 表示，高瓴资本与 @macro_alf 都在关注 XYZW 的动向。Jiang 认为对冲基金仍在减仓。"
    ms = find_mentions(text)
    by = {m.surface: m for m in ms}
    assert by["Pantera Capital"].type == "ORG"
    assert by["Cosmo Jiang"].type == "PERSON"
    assert by["@macro_alf"].type == "PERSON"
    assert by["高瓴资本"].type == "ORG"
    assert by["XYZW"].type == "ORG"
    assert by["Jiang"].entity == by["Cosmo Jiang"].entity  # a bare surname links to the full name
    assert "对冲基金" not in by  # a generic group is not an entity
    assert lookup("Cosmo Jiang").type == "PERSON"  # discovered entities are known to lookup afterwards


def test_titled_person_in_chinese():
    ms = find_mentions("某资管首席经济学家王小明表示，降息预期升温。")
    assert any(m.surface == "王小明" and m.type == "PERSON" for m in ms)


def test_generic_term_narrows_to_the_specific_one_in_the_document():
    ids = _ids("日元套息交易正在平仓。套息交易的规模难以估计。")
    assert ids["套息交易"] == "Yen carry trade"
    assert _ids("套息交易的规模难以估计。")["套息交易"] == "Carry trade"


@pytest.mark.parametrize("text", ["", "   ", "\u200b\u200b", "🚀🚀 BTC to the moon 🌕", "\x00\x01\x02", "比" * 20000, "A" * 50000, "@" * 100])
def test_odd_text_never_crashes(text):
    for m in find_mentions(text):
        assert text[m.start:m.end] == m.surface


def test_seed_gold_entities_are_found_and_linked():
    """Every reference entity of the seed articles is found (any surface), and its surfaces share one id."""
    import corpora

    rows = [json.loads(line) for line in (GOLD / "entities.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    from extract.clean import clean

    found = linked = 0
    for doc in sorted({r["doc"] for r in rows}):
        raw = corpora.path("articles", doc).read_text(encoding="utf-8")
        text = clean(raw).text
        ms = find_mentions(text)
        for r in (r for r in rows if r["doc"] == doc):
            ids = set()
            for s in r["surfaces"]:
                from extract._gazetteer import to_simplified

                s2 = to_simplified(s)
                p = text.find(s2)
                while p >= 0:
                    ids.update(m.entity for m in ms if m.start < p + len(s2) and p < m.end and (m.start, m.end) == (p, p + len(s2)))
                    p = text.find(s2, p + 1)
            found += bool(ids)
            linked += len(ids) == 1
    assert found / len(rows) >= 0.9
    assert linked / max(found, 1) >= 0.95


def test_org_suffix_inside_a_common_word_is_not_an_org():
    ids = _ids("AI 资本开支放缓，银行股下跌，基金经理减仓。")
    assert not any(v in ("AI 资本", "AI") for v in ids.values())
    assert "银行股" in ids and ids["银行股"] == "Bank stocks"


def test_title_followed_by_a_verb_is_not_a_name():
    ms = find_mentions("高盛分析师指出，油价将回落。")
    assert [m.entity for m in ms if m.type == "PERSON"] == []


def test_gazetteer_component_sets_doc_ents_by_default():
    """Used in another spaCy pipeline, narrex_gazetteer still fills doc.ents (narrex's own pipeline skips that)."""
    import spacy

    import extract.nlp  # noqa: F401  (registers the tokenizer and the component)

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "narrex.gazetteer_tokenizer.v1"}}})
    nlp.add_pipe("narrex_gazetteer")
    doc = nlp("贝莱德的 IBIT 持有比特币。")
    assert [(e.ent_id_, e.label_) for e in doc.ents] == [("BlackRock", "ORG"), ("IBIT", "ETF"), ("Bitcoin", "ASSET")]
    assert extract.nlp.get_nlp()("贝莱德的 IBIT 持有比特币。").ents == ()
