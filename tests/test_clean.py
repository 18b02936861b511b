"""The cleaning stage: boilerplate removal on the seeds and on pages of other outlets, script
conversion, width normalization, metadata (title, byline, published), idempotence."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from conftest import load_gold, seed_names, seed_text
from extract._script import convert, detect_script, has_traditional, normalize_width
from extract.clean import clean

PAGES = Path(__file__).parent / "data" / "pages"


def _blank(line: str) -> bool:
    return not line.strip().replace("\u00a0", "")


# --- seeds against seed-gold -----------------------------------------------------------------
@pytest.fixture(scope="module")
def cleaned():
    return {n: clean(seed_text(n)) for n in seed_names()}


def test_seed_boilerplate_f1_and_no_body_lost(cleaned):
    gold = load_gold("boilerplate.jsonl")
    tp = fp = fn = 0
    lost = []
    for name, doc in cleaned.items():
        lines = seed_text(name).split("\n")
        rows = [r for r in gold if r["doc"] == name]
        partial = {r["line"] for r in rows if r.get("partial")}
        want = {r["line"] for r in rows if not r.get("partial")}
        got = {d.line for d in doc.dropped if d.span_start is None and not _blank(lines[d.line])} - partial
        tp += len(got & want)
        fp += len(got - want)
        fn += len(want - got)
        lost += [(name, i, lines[i][:40]) for i in sorted(got - want)]
    assert not lost, f"body lines dropped: {lost}"
    p, r = tp / (tp + fp), tp / (tp + fn)
    assert 2 * p * r / (p + r) >= 0.95


def test_every_drop_has_kind_and_reason(cleaned):
    kinds = {"chrome", "notice", "disclaimer", "social", "ad", "counter", "duplicate_title", "image_placeholder", "byline", "forum_reply"}
    for doc in cleaned.values():
        for d in doc.dropped:
            assert d.reason and d.kind in kinds


def test_seed_000_simplified_without_lbank_notice(cleaned):
    doc = cleaned["000_0313e1837319d6ea.txt"]
    assert "LBank" not in doc.text and "客服" not in doc.text
    assert not has_traditional(doc.text)
    assert doc.script == "simplified"
    assert "IBIT 当天大约新增了 600 万份额" in doc.text
    assert "比特币 ETF\n" not in doc.text  # the tag label above the article


def test_seed_001_simplified_without_social_links(cleaned):
    doc = cleaned["001_55324bdcbf7569e8.txt"]
    assert doc.script == "traditional"
    assert not has_traditional(doc.text)
    for gone in ("t.me", "x.com", "Telegram", "官方社群", "[图片", "[圖片"):
        assert gone not in doc.text
    assert doc.byline == {"author": "Jeff Park", "compiler": "深潮 TechFlow"}
    assert doc.title == "Bitwise 顾问覆盘 2/5 比特币闪崩真因:传统基金爆仓,币圈只是被波及"
    assert doc.text.count(doc.title) == 1  # the repeated title is gone
    # the caption after an image placeholder on the same line stays
    assert "图注:1 月 26 日至 2 月 6 日的 CME BTC 基差数据" in doc.text
    partial = [d for d in doc.dropped if d.line == 47]
    assert len(partial) == 1 and partial[0].span_start == 0 and partial[0].text.startswith("[圖片:CME")


def test_seed_004_forum_thread(cleaned):
    doc = cleaned["004_4c5d5f1181d4900a.txt"]
    assert doc.published == "2026-02-02"
    assert doc.title == "债券市场动荡暴露比特币与全球杠杆的脆弱联系"
    reply = [d for d in doc.dropped if d.kind == "forum_reply"]
    assert [d.line for d in reply] == [75]
    assert "行业与竞争格局:加密的被迫迈入宏观成熟期" in doc.text  # the thread starter's second post
    assert "提款机" not in doc.text
    assert "©" not in doc.text and "Processed in" not in doc.text


def test_seed_003_untouched(cleaned):
    raw = seed_text("003_9990e9a084838e0b.txt")
    doc = cleaned["003_9990e9a084838e0b.txt"]
    kept = [l.strip(" \u00a0\u3000") for l in raw.split("\n") if not _blank(l)]
    assert doc.text.split("\n") == kept
    assert doc.dropped == [d for d in doc.dropped if _blank(raw.split("\n")[d.line])]


# --- pages of other outlets ------------------------------------------------------------------
def _pages():
    return sorted(p.name for p in PAGES.glob("*.txt"))


@pytest.mark.parametrize("name", _pages())
def test_pages_content_kept_and_chrome_dropped(name):
    raw = (PAGES / name).read_text(encoding="utf-8")
    exp = json.loads((PAGES / name.replace(".txt", ".expected.json")).read_text(encoding="utf-8"))
    doc = clean(raw)
    dropped = {d.line for d in doc.dropped if d.span_start is None}
    want = Counter(exp["dropped"])
    lost, kept_chrome, n_chrome, n_body = [], [], 0, 0
    for i, line in enumerate(raw.split("\n")):
        if _blank(line):
            continue
        if want[line] > 0:
            want[line] -= 1
            n_chrome += 1
            if i not in dropped:
                kept_chrome.append(line)
        else:
            n_body += 1
            if i in dropped:
                lost.append(line)
    assert not +want, f"expected lines missing from the page: {+want}"
    assert not lost, f"content lines dropped: {lost}"
    assert len(kept_chrome) <= 0.1 * n_chrome, f"chrome kept: {kept_chrome}"
    assert n_body >= 5
    if "published" in exp:
        assert doc.published == exp["published"]
    for k, v in exp.get("byline", {}).items():
        assert doc.byline.get(k) == normalize_width(v) or doc.byline.get(k) == clean(v).text
    if "script" in exp:
        assert doc.script == exp["script"]
    for s in exp.get("contains", []):
        assert s in doc.text
    assert not has_traditional(doc.text)


def test_taiwan_phrasing_uses_tw2sp():
    raw = "軟體業者表示,網路流量成長帶動伺服器需求。\n這家公司的資料庫程式碼都已開源,執行長看好明年營收。"
    doc = clean(raw)
    assert doc.script == "traditional"
    assert "软件业者" in doc.text and "网络流量" in doc.text and "服务器" in doc.text and "数据库" in doc.text
    # length-changing phrases (程式碼 -> 代码) keep offsets inside the raw phrase
    i = doc.text.index("代码")
    a, b = doc.span_to_raw(i, i + 2)
    assert raw[a:b] == "程式碼"


def test_hong_kong_or_mainland_traditional_keeps_mainland_terms():
    # no Taiwan phrasing: plain t2s, 程序 and 信息 stay as they are
    doc = clean("這個程序的信息顯示,比特幣價格在週五反彈。")
    assert doc.text == "这个程序的信息显示,比特币价格在周五反弹。"


# --- normalization, offsets, idempotence ------------------------------------------------------
def test_fullwidth_numbers_normalized_prose_punctuation_kept():
    raw = "淨流入１２，３４５．６萬美元，漲幅１３．２％，時間１１：０７。ＩＢＩＴ領漲，市場：觀望。"
    doc = clean(raw)
    assert doc.text == "净流入12,345.6万美元，涨幅13.2%，时间11:07。IBIT领涨，市场：观望。"
    assert len(doc.text) == len(raw) and list(doc.offsets) == list(range(len(raw)))


def test_prose_comma_between_numbers_not_a_thousands_separator():
    assert normalize_width("２０２４，２０２５年") == "2024，2025年"
    assert normalize_width("１，２３４") == "1,234"


def test_offsets_map_every_kept_char_back(cleaned):
    for name, doc in cleaned.items():
        raw = seed_text(name)
        assert doc.raw == raw
        assert len(doc.offsets) == len(doc.text)
        assert all(a < b for a, b in zip(doc.offsets, doc.offsets[1:]))
        for i, ch in enumerate(doc.text):
            if ch != "\n":
                r = raw[doc.to_raw(i)]
                assert r == ch or convert(r)[0] == ch or normalize_width(r) == ch, (name, i, r, ch)


def test_body_raw_keeps_the_original_script(cleaned):
    doc = cleaned["001_55324bdcbf7569e8.txt"]
    body = doc.body_raw()
    assert "比特幣" in body and "比特币" not in body
    assert len(body.split("\n")) == len(doc.text.split("\n"))
    assert "t.me" not in body


@pytest.mark.parametrize("name", seed_names())
def test_idempotent_on_seeds(name):
    once = clean(seed_text(name)).text
    assert clean(once).text == once


@pytest.mark.parametrize("name", _pages())
def test_idempotent_on_pages(name):
    once = clean((PAGES / name).read_text(encoding="utf-8")).text
    assert clean(once).text == once


def test_script_detection():
    assert detect_script("比特币价格下跌") == "simplified"
    assert detect_script("比特幣價格下跌") == "traditional"
    assert detect_script("比特幣價格下跌,比特币价格下跌,美元汇率回升") == "mixed"
    assert detect_script("IBIT 5.3%") == "simplified"


@pytest.mark.parametrize("raw", ["", "\n\n", "\u200b\u200b", "😀" * 3, "\x00\x01\x02", "a" * 200_000, "|\n×\n000\n:\n00", "[图片:]", "发表于 2025-1-1 | 显示全部楼层"])
def test_odd_input_never_raises(raw):
    doc = clean(raw)
    assert len(doc.offsets) == len(doc.text)
    assert "\x00" not in doc.text and "\u200b" not in doc.text


def test_zero_width_and_control_chars_removed_offsets_kept():
    raw = "比特\u200b币跌破\x07 7 万美元\ufeff。"
    doc = clean(raw)
    assert doc.text == "比特币跌破 7 万美元。"
    i = doc.text.index("币")
    assert raw[doc.to_raw(i)] == "币"
    a, b = doc.span_to_raw(0, len(doc.text))
    assert raw[a:b] == raw[: len(raw)]


def test_non_string_input_is_an_input_error():
    from extract.errors import InputError

    with pytest.raises(InputError):
        clean(b"bytes")  # type: ignore[arg-type]


def test_needle_prefilter_is_sound():
    """A rule's literal prefilter never hides a line its regex matches (checked on all test text)."""
    from extract._boilerplate import _rules, fold

    texts = [seed_text(n) for n in seed_names()] + [(PAGES / n).read_text(encoding="utf-8") for n in _pages()]
    for r in _rules():
        if r.needles is None:
            continue
        for t in texts:
            for line in t.split("\n"):
                k = fold(line)
                if r.regex.search(k):
                    assert any(x in k for x in r.needles), (r.reason, line)


# --- content is sacred: body shapes that look a little like chrome stay ----------------------
_BODY_INTRO = "美联储周三宣布维持利率不变,符合市场预期,但点阵图显示年内降息次数可能减少。"


def _kept(raw: str, line: str) -> bool:
    doc = clean(raw)
    i = raw.split("\n").index(line)
    return i not in {d.line for d in doc.dropped}


def test_emoji_bullets_in_the_body_stay():
    raw = "\n".join(["美联储议息会议前瞻:三个看点", _BODY_INTRO, "✅ 关注美联储决议后的美元指数走势", "✅ 黄金是否守住2,600美元", "📉 美债收益率曲线可能再度平坦化", _BODY_INTRO.replace("周三", "周四")])
    for line in raw.split("\n")[2:5]:
        assert _kept(raw, line), line


def test_repeated_captions_stay():
    para = "比特币现货ETF本周合计净流入12亿美元,其中IBIT占比超过七成,资金面明显改善。"
    raw = "\n".join(["ETF资金流周报:机构回流", para, "数据来源:Farside Investors", para.replace("本周", "上周"), "数据来源:Farside Investors", para.replace("本周", "前一周"), "数据来源:Farside Investors"])
    doc = clean(raw)
    assert doc.text.count("数据来源:Farside Investors") == 3


def test_list_items_after_the_last_paragraph_stay():
    raw = "\n".join(["下周宏观日历", _BODY_INTRO, "值得关注的数据包括:", "1. 美国CPI", "2. 日本央行议息", "3. 欧元区PMI"])
    doc = clean(raw)
    for item in ("1. 美国CPI", "2. 日本央行议息", "3. 欧元区PMI"):
        assert item in doc.text


def test_bare_reply_button_inside_a_post_does_not_end_the_article():
    raw = "\n".join([
        "原油库存意外下降",
        "发表于 2025-5-6 09:00 | 显示全部楼层",
        "EIA数据显示,上周美国商业原油库存减少420万桶,远超市场预期的减少120万桶。",
        "回复",
        "楼主| 发表于 2025-5-6 09:30 | 显示全部楼层",
        "补充:汽油库存同样下降,炼厂开工率升至92%,夏季出行旺季需求强劲。",
    ])
    doc = clean(raw)
    assert "炼厂开工率升至92%" in doc.text and "回复" not in doc.text


def test_data_table_rows_stay():
    raw = "\n".join(["主要货币对美元表现", _BODY_INTRO, "货币 | 收盘 | 周涨跌", "欧元 | 1.0842 | +0.6%", "日元 | 149.32 | -1.1%", "英镑 | 1.2711 | +0.3%", _BODY_INTRO.replace("周三", "周五")])
    doc = clean(raw)
    assert "货币 | 收盘 | 周涨跌" in doc.text and "日元 | 149.32 | -1.1%" in doc.text


def test_headings_between_paragraphs_stay():
    raw = "\n".join(["铜价展望", _BODY_INTRO, "供给端", "智利和秘鲁的矿山扰动仍在持续,三季度铜精矿加工费继续下行,显示原料紧张。", "需求端", "国内电网投资增速维持在两位数,新能源汽车用铜需求同比增长约20%,托底消费。"])
    doc = clean(raw)
    assert "\n供给端\n" in doc.text and "\n需求端\n" in doc.text


def test_aspect_particle_zhe_becomes_simplified():
    doc = clean("隨著美元走強,這意味著金價承壓;著名投資人表示影響顯著,他著有多本書。")
    assert doc.text == "随着美元走强,这意味着金价承压;著名投资人表示影响显著,他著有多本书。"


def test_closing_data_block_of_a_market_wrap_stays():
    raw = "\n".join(["美股收评:三大指数集体收涨", "美联储官员释放鸽派信号,市场对12月降息的押注升至80%以上,科技股领涨。",
                     "收盘数据", "道琼斯指数 47,474.46 +0.39%", "美元指数 99.36 -0.21%", "下载APP 随时随地看行情"])
    doc = clean(raw)
    assert "收盘数据\n道琼斯指数 47,474.46 +0.39%\n美元指数 99.36 -0.21%" in doc.text
    assert "下载APP" not in doc.text


def test_long_forum_thread_is_linear():
    """Cleaning cost grows linearly with the page: 8x the posts cost well under 8x8 the time
    (a complexity guard with a generous bound, not a speed threshold; speed is measured by the bench)."""
    import time

    post = "发表于 2025-1-{d} 10:{m:02d} | 显示全部楼层\n第{n}楼:美元指数和黄金价格的走势值得关注,成交量温和。\n回复 支持 反对\n"

    def page(n: int) -> str:
        return "黄金价格展望\n" + "".join(post.format(d=k % 28 + 1, m=k % 60, n=k) for k in range(n))

    def cost(raw: str) -> float:
        t0 = time.process_time()
        clean(raw)
        return time.process_time() - t0

    small, big = page(500), page(4000)
    clean(small)  # warm caches
    ratio = min(cost(big) for _ in range(2)) / max(min(cost(small) for _ in range(3)), 1e-3)
    assert ratio < 24  # linear: about 8; quadratic: about 64
    doc = clean(big)
    assert doc.text.startswith("黄金价格展望\n第0楼")
    assert sum(d.kind == "forum_reply" for d in doc.dropped) == 3999


def test_share_and_follow_bars_of_platform_names_drop():
    """Share/follow widgets listing only platform names go, under any outlet's title; prose naming platforms stays."""
    body = "恒生指数周三收市跌312点，报21,450点，成交额1,203亿港元。市场关注美联储议息结果，科技股普遍走弱。"
    bars = ["分享：Facebook WhatsApp", "Share: LINE Telegram Twitter", "分享至 微信 | 微博 | QQ空间 | 复制链接",
            "追蹤我們：Facebook Instagram", "Follow us  X  Threads"]
    mention = "Telegram 和 WhatsApp 的用户数在亚洲增长最快。"
    raw = "\n".join(["港股收市：恒指跌1.2%，科技股拖累", bars[0], bars[1], body, bars[2], mention, body.replace("周三", "周四"), bars[3], bars[4]])
    doc = clean(raw)
    dropped = {d.text for d in doc.dropped}
    for bar in bars:
        assert bar in dropped, bar
    assert mention in doc.text and body in doc.text
    assert not clean("X\n" + body).dropped or "X" not in {d.text for d in clean("X\n" + body).dropped if d.reason.startswith("share")}
