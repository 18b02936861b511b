"""find_dates: explicit, relative and anaphoric expressions resolved to ISO."""
import datetime as dt

import pytest

from extract.dates import context_date, find_dates


def iso(text, published=None, today=None):
    return [(d.surface, d.iso, d.granularity) for d in find_dates(text, published, today=today)]


@pytest.mark.parametrize("text,published,expected", [
    ("2025 年 3 月 14 日收盘", None, [("2025 年 3 月 14 日", "2025-03-14", "day")]),
    ("2/5 那天", "2026-02-09", [("2/5", "2026-02-05", "day"), ("那天", "2026-02-05", "day")]),
    ("1 月 30 日", "2026-02-09", [("1 月 30 日", "2026-01-30", "day")]),
    ("去年 11 月", "2026-02-09", [("去年 11 月", "2025-11", "month")]),
    ("2026年1月末", None, [("2026年1月末", "2026-01", "month")]),
    ("四季度", "2025-09-22", [("四季度", "2025-Q4", "quarter")]),
    ("2024 年第三季度", None, [("2024 年第三季度", "2024-Q3", "quarter")]),
    ("1月中旬", "2026-02-01", [("1月中旬", "2026-01-11/2026-01-20", "range")]),
    ("周一", "2025-09-24", [("周一", "2025-09-22", "day")]),
    ("昨日", "2025-09-24", [("昨日", "2025-09-23", "day")]),
    ("上周", "2025-09-24", [("上周", "2025-09-15/2025-09-21", "range")]),
    ("周末", "2026-02-02", [("周末", "2026-01-31/2026-02-01", "range")]),
    ("2 月 4 日到 5 日", "2026-02-09", [("2 月 4 日到 5 日", "2026-02-04/2026-02-05", "range")]),
    ("2/4 到 2/5", "2026-02-09", [("2/4 到 2/5", "2026-02-04/2026-02-05", "range")]),
    ("年内", "2025-09-22", [("年内", "2025", "year")]),
    ("美東時間下午 4 點", "2026-02-06", [("美東時間下午 4 點", "T16:00-05:00", "time")]),
])
def test_resolution(text, published, expected):
    assert iso(text, published) == expected


def test_anaphora_follow_the_last_explicit_day():
    got = iso("1 月 30 日 IBIT 前一天跌了 5.8%;2 月 6 日当天反弹。2 月 9 日, IBIT 在前一交易日下跌", "2026-02-10")
    assert ("前一天", "2026-01-29", "day") in got and ("当天", "2026-02-06", "day") in got
    assert ("前一交易日", "2026-02-06", "day") in got  # 2026-02-09 is a Monday: the trading day before is Friday


def test_year_rolls_back_for_months_after_the_story_month():
    got = dict((s, i) for s, i, _ in iso("2 月 5 日暴跌, 不同于 10/10 的去杠杆, 12 月的票据", None, today=dt.date(2026, 11, 21)))
    assert got == {"2 月 5 日": "2026-02-05", "10/10": "2025-10-10", "12 月": "2025-12"}


def test_without_publication_date_a_weekday_fixes_the_year_and_now():
    text = "周一清算 17 亿美元。美国现货 ETF 在 9 月 17 日周三出现净流出, 周四周五资金回流。"
    got = dict((s, i) for s, i, _ in iso(text, None, today=dt.date(2026, 11, 21)))
    assert got["9 月 17 日周三"] == "2025-09-17"  # the latest year (before today) where 9/17 is a Wednesday
    assert got["周一"] == "2025-09-22"  # now = the Monday after the latest dated day
    assert got["周四周五"] == "2025-09-18/2025-09-19"


def test_publication_marker_in_the_text_is_the_reference():
    got = iso("發表於 2026-2-2 11:07\n周末清算超过 25 亿美元")
    assert ("周末", "2026-01-31/2026-02-01", "range") in got


def test_general_month_has_no_year():
    assert iso("月度回报表显示 10 月历史上多数上涨", "2025-09-22")[0][1] == "--10"


def test_not_dates():
    assert iso("24/7 交易", "2026-02-02") == []
    assert iso("10 年期国债", "2026-02-02") == []
    assert iso("上涨 13.2%", "2026-02-02") == []


def test_context_date_is_the_most_mentioned_day():
    ds = find_dates("2 月 5 日暴跌, 2 月 6 日反弹, 2 月 5 日的赎回", "2026-02-09")
    assert context_date(ds) == "2026-02-05"


@pytest.mark.parametrize("text", ["", "😀", "\x00" * 10, "2" * 5000, "周" * 500, "年月日" * 100, "13 月 45 日", "2026-13-45"])
def test_odd_text_never_raises(text):
    for d in find_dates(text, "2026-02-02"):
        assert text[d.start:d.end] == d.surface


def test_without_a_publication_date_relative_days_never_resolve_into_the_future():
    import datetime as _dt

    today = _dt.date(2026, 11, 21)  # a Saturday
    got = {d.surface: d.iso for d in find_dates("美联储周三宣布维持利率不变，昨日黄金上涨。", None, today=today)}
    assert got["周三"] == "2026-11-18"
    assert got["昨日"] <= today.isoformat()
