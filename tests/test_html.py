"""Saved web pages: main text via trafilatura, Discuz! threads post by post."""
from __future__ import annotations

from pathlib import Path

from extract.clean import clean, looks_like_html

PAGES = Path(__file__).parent / "data" / "pages"


def _page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def test_html_detection():
    assert looks_like_html(_page("news_article.html"))
    assert looks_like_html(_page("discuz_thread.html"))
    assert not looks_like_html("比特币跌破 <70000> 美元,<b>注意</b>风险。")
    assert not looks_like_html(_page("news_site.txt"))


def test_discuz_thread_keeps_starter_posts_drops_quotes_signatures_replies():
    doc = clean(_page("discuz_thread.html"))
    text = doc.text
    assert doc.title == "日元套息交易平仓会重演吗?"
    assert doc.published == "2025-08-06"
    assert doc.byline.get("author") == "东京湾观察"
    # both posts by the thread starter, including the one after another user's reply
    assert "美元兑日元从161一路跌到142" in text
    assert "日本10年期国债收益率已升至1.55%" in text
    # quoted text, signatures, edit notes, the other user's reply and the page chrome are gone
    for gone in ("有人说这次只是技术性调整", "签名", "本帖最后由", "我已经清仓日股了", "Powered by", "Archiver", "立即注册", "查看"):
        assert gone not in text, gone
    replies = [d for d in doc.dropped if d.kind == "forum_reply"]
    assert len(replies) == 1 and "清仓日股" in replies[0].text
    # raw is the extracted text, so offsets index it
    i = text.index("CFTC")
    a, b = doc.span_to_raw(i, i + 4)
    assert doc.raw[a:b] == "CFTC"


def test_news_page_main_text_and_metadata():
    doc = clean(_page("news_article.html"))
    text = doc.text
    assert doc.title == "铜价创历史新高 智利矿山罢工推升供应担忧"
    assert doc.published == "2025-07-22"
    assert doc.byline.get("author") == "林晓"
    for kept in ("报每吨11,280美元", "库存持续下降", "约15万吨的缺口"):
        assert kept in text
    for gone in ("首页", "登录", "相关阅读", "黄金ETF连续七周净流入", "版权所有", "免责声明", "关于我们"):
        assert gone not in text, gone


def test_traditional_html_page_is_converted():
    html = ("<html><head><meta charset='utf-8'><title>央行理監事會</title></head><body><nav>首頁 | 財經</nav>"
            "<article><h1>央行理監事會維持利率不變</h1><p>中央銀行今日宣布重貼現率維持在2%,符合市場預期。</p>"
            "<p>總裁表示,新台幣匯率由市場供需決定,軟體與網路類股近期波動較大。</p></article>"
            "<footer>Copyright © 2025 財經網 All rights reserved.</footer></body></html>")
    doc = clean(html)
    assert doc.script == "traditional"
    assert "中央银行今日宣布重贴现率维持在2%" in doc.text
    assert "软件与网络类股" in doc.text
    assert "Copyright" not in doc.text


def test_broken_or_empty_html_never_raises():
    for html in ("<html></html>", "<!DOCTYPE html><html><body>", "<html><body><p>只有一句话。</p></body></html>", "<html>" + "<div>" * 5000):
        doc = clean(html)
        assert len(doc.offsets) == len(doc.text)


def test_html_cleaning_is_idempotent():
    for name in ("news_article.html", "discuz_thread.html"):
        once = clean(_page(name)).text
        assert clean(once).text == once


def test_gbk_encoded_html_file(tmp_path):
    from extract.textio import read_text

    html = _page("news_article.html").replace('charset="utf-8"', 'charset="gbk"').replace("©", "(C)")
    p = tmp_path / "page.html"
    p.write_bytes(html.encode("gbk"))
    doc = clean(read_text(p))
    assert "报每吨11,280美元" in doc.text and "相关阅读" not in doc.text
