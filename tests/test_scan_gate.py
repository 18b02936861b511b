"""The numpy gate (``_lexicon.scan_candidates``) only leaves out positions where no match of the
date trigger, the label or the idiom scan starts: the scans run at its candidates find what the
plain ``finditer`` passes find, on the real pages and on them with matches spliced in (also at the
very start and end of the text, where the gate checks only the neighbour that exists)."""
from pathlib import Path

import pytest

from extract import _lexicon as L
from extract import dates as D
from conftest import splice_pages

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "tests/data/pages").glob("*.txt")) + sorted((ROOT / "corpora/articles").glob("*.txt"))
SPLICE = [
    # date triggers
    "2026年", "2026 年 2 月 5 日", "2/5", "10/10 至 10/12", "12:30", "3 个月前", "5年前", "两天前", "三个交易日前",
    "一季度", "第二季度", "Q3", "2025Q4", "上周三", "上上周", "这个周末", "这一周", "本月", "下半年", "今年", "去年 6 月",
    "美东时间", "北京时间上午 9 点", "周一", "星期五", "礼拜天", "当天", "前一交易日", "那一天", "次日", "翌日", "月底", "年内",
    "季末", "季度末", "12 月份", "1 月 26 日至 2 月 6 日", "十二个月前", "一 季度", "二十 天前", "3周前", "4 星期前",
    "10 个星期前", "七 个交易日前", "12  月", "2026-02-05", "9:30", "三十年前", "3天前",
    # labels
    "标普500", "S&P 500", "s&p500", "Nasdaq-100", "纳斯达克 100", "罗素2000", "FTSE 100", "日经 225", "DAX 40", "沪深 300",
    "中证1000", "上证50", "科创 50", "创业板50", "恒生科技指数", "G20", "G7", "COVID-19", "24/7", "124/7", "ABC123x",
    "BTC2", "2024ETF", "3AC", "10BTC", "https://example.com/a", "www.x.cn", "@trader_01", "24 小时内", "600519.SH",
    "0700.HK", "2330.TW", "7203.T", "(600519)",
    # idioms
    "一切", "一成不变", "二元", "多元", "单元", "一点", "一点五", "统一", "唯一", "万一", "十分", "十分之一", "千万", "一口",
    "归零", "零售", "三心二意", "一年四季", "百年", "千年", "万年", "两手", "一半",
]


def _texts():
    out = splice_pages(PAGES, 1, 60, lambda rnd: rnd.choice(["", " ", "在", "A", "1", "。"]) + rnd.choice(SPLICE)
                       + rnd.choice(["", " ", "年", "A", "1", "。"]))
    for s in SPLICE:  # at the text's very start and end
        out.append(s + out[0][:400] + s)
    return out


# (a text with a character outside the BMP, an emoji, gets no candidates: its scans run whole)
TEXTS = [t for t in _texts() if max(map(ord, t)) <= 0xFFFF]


@pytest.fixture(scope="module")
def plain():
    trig = D._regexes()[1]
    nf = L.not_figures()
    return trig, nf["label"], nf["idiom"]


def test_gate_is_built_and_used():
    assert L.scan_gate() is not None
    assert all(L.scan_candidates(t) is not None for t in TEXTS if len(t) >= 256)
    assert L.scan_candidates("2026年2月5日") is None  # short: the plain scans
    assert L.scan_candidates("2026年2月5日 \U0001F680" * 40) is None  # astral: positions would shift


@pytest.mark.parametrize("i", range(len(TEXTS)))
def test_scans_at_candidates_match_the_plain_finditer(i, plain):
    t = TEXTS[i]
    trig, label, idiom = plain
    L.scan_candidates.cache_clear()
    cands = L.scan_candidates(t)
    assert cands is not None
    assert [(tm.start(), tm.lastindex) for tm in D._trigger_starts(t, trig)] == [
        (m.start(), m.lastindex) for m in trig.finditer(t)]
    assert L.label_spans(t, cands[1]) == [m.span() for m in label.finditer(t)]
    assert L.idiom_spans(t, cands[2]) == [m.span() for m in idiom.finditer(t)]


def test_candidates_cover_every_start_and_skip_most_positions(plain):
    trig, label, idiom = plain
    t = TEXTS[1]
    cands = L.scan_candidates(t)
    for rx, c in zip(plain, cands):
        starts = {m.start() for m in rx.finditer(t)}
        assert starts <= set(c)
    assert sum(map(len, cands)) < len(t) / 4


def test_rows_merged_past_64_bits_still_cover_every_start():
    # 80 one-word rows: joined two by two until they fit in 64 bits, every word's start stays a candidate
    words = [chr(0x4E00 + 7 * i) + chr(0x4E01 + 7 * i) for i in range(80)]
    rows = L.pattern_rows(words)
    gate = L.PairGate([rows])
    t = "".join(w + "，" + w[0] + "x" for w in words) * 3
    starts = [m.start() for m in L.alternation(words).finditer(t)]
    got = gate.candidates(L.utf16(t))[0]
    assert set(starts) <= set(got) and len(starts) == 240
