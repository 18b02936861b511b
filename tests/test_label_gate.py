"""The label scan's gate on the characters after the first (``_lexicon._after_first``) only
skips positions where no label pattern can match: the gated scan finds what the ungated one
and the plain alternation find, on the real pages and on them with label-like text spliced in."""
from pathlib import Path

import pytest

from extract import _lexicon as L
from conftest import splice_pages

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "tests/data/pages").glob("*.txt")) + sorted((ROOT / "corpora/articles").glob("*.txt"))
LABELS = [t for k, t in L.rows("not_figures.tsv") if k == "label"]
SPLICE = [
    "标普500", "S&P 500", "s&p500", "Nasdaq-100", "NASDAQ100", "纳斯达克 100", "罗素2000", "Russell 2000",
    "FTSE 100", "日经 225", "Nikkei225", "DAX 40", "沪深 300", "中证1000", "中证 500", "上证50", "科创 50",
    "创业板50", "恒生科技指数", "G20", "G7", "IG20", "COVID-19", "24/7", "124/7", "ABC123x", "BTC2", "2024ETF",
    "3AC", "10BTC", "https://example.com/a", "www.x.cn", "@trader_01", "24 小时内", "24小时", "600519.SH",
    "1234567.SH", "0700.HK", "2330.TW", "7203.T", "(600519)", " (0700.HK)", "中", "日", "2", "G", "S", "@",
]


def scan(rx, t):
    out, pos = [], 0
    while (m := rx.search(t, pos)) is not None:
        a, b = m.span(m.lastindex)
        out.append((a, b))
        pos = b if b > a else a + 1
    return out


@pytest.fixture(scope="module")
def texts():
    out = splice_pages(PAGES, 0, 40, lambda rnd: rnd.choice(SPLICE) + rnd.choice(["", " ", "年", "A", "1", "。"]))
    return out


def test_gate_is_built():
    gated, ok = L._dispatch_scan(LABELS)
    plain, ok2 = L._dispatch_scan(LABELS, gate=False)
    assert ok and ok2 and gated.pattern != plain.pattern
    # every pattern led by a Chinese character gets a gate (their candidates are the common ones)
    assert all(L._after_first(p) for p in LABELS if "\u4e00" <= p[0] <= "\u9fff")


def test_gated_scan_matches_ungated_and_plain(texts):
    gated, _ = L._dispatch_scan(LABELS)
    ungated, _ = L._dispatch_scan(LABELS, gate=False)
    plain = L.not_figures()["label"]
    found = 0
    for t in texts:
        want = [m.span() for m in plain.finditer(t)]
        assert scan(gated, t) == want
        assert scan(ungated, t) == want
        assert L.label_spans(t) == want
        found += len(want)
    assert found > 500  # the spliced labels are there


def test_after_first_reads_leads():
    assert L._after_first(r"中证\s*(?:500|1000)") == r"证[\s]{0,}(?:5|1)"
    assert L._after_first(r"(?<![0-9])\d{6}\.SH") == r"[\d]{5,5}\.S"
    assert L._after_first(r"(?i:ab|c)d") == "(?i:(?:b|))d"
    assert L._after_first(r"a?b") is None  # the first character is not read by one item
    assert L._after_first("a") is None  # nothing follows it: no gate
