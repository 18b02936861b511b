"""Saved web pages -> main text (one block per line), ready for the line cleaner.

Discuz! forum threads are read post by post (``div#post_N``: body in ``td.t_f``; quoted replies
``div.quote``/``blockquote``, signatures ``div.sign`` and edit notes ``i.pstatus`` removed) and
flattened the way forum pages look as text: a ``发表于 DATE`` header line before each post,
marked ``楼主`` when the thread starter wrote it, so that the line cleaner keeps the thread
starter's posts and drops other users' replies with a reason. Other pages go through
trafilatura (the reference main-text extractor), with an lxml fallback when it finds nothing.
"""
from __future__ import annotations

import re

__all__ = ["html_to_text"]

_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section", "article", "table", "ul", "ol", "dd", "dt", "pre"}
_DROP_TAGS = ["script", "style", "noscript", "template", "svg", "iframe", "form", "button", "select"]
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_MULTI_NL = re.compile(r"\n\s*\n+")


def html_to_text(html: str) -> tuple[str, dict[str, str]]:
    """Main text of a saved page and its metadata (``title``, ``author``, ``date`` ISO when found)."""
    from lxml import html as lh

    try:
        tree = lh.document_fromstring(html)
    except Exception:  # empty or broken markup: strip tags the crude way
        return re.sub(r"<[^>]+>", "\n", html), {}
    if tree.xpath("//div[starts-with(@id,'post_')]//td[contains(concat(' ',normalize-space(@class),' '),' t_f ')]"):
        return _discuz(tree)
    return _generic(html, tree)


def _text_of(el) -> str:
    """Text of an element with line breaks at block boundaries."""
    parts: list[str] = []

    def walk(e):
        tag = e.tag if isinstance(e.tag, str) else ""
        if tag in _DROP_TAGS:
            if e.tail:
                parts.append(e.tail)
            return
        if tag in _BLOCK_TAGS:
            parts.append("\n")
        if tag == "img":
            alt = (e.get("alt") or "").strip()
            if alt:
                parts.append(f"[图片:{alt}]")
        if e.text and tag:
            parts.append(e.text)
        for c in e:
            walk(c)
        if tag in _BLOCK_TAGS:
            parts.append("\n")
        if e.tail:
            parts.append(e.tail)

    walk(el)
    text = "".join(parts).replace("\r", "")
    lines = [re.sub(r"[ \t\u00a0]+", " ", l).strip() for l in text.split("\n")]
    return "\n".join(l for l in lines if l)


def _discuz(tree) -> tuple[str, dict[str, str]]:
    for xp in (".//div[contains(@class,'quote')]", ".//blockquote", ".//div[contains(@class,'sign')]",
               ".//i[contains(@class,'pstatus')]", ".//div[contains(@class,'attach_nopermission')]",
               ".//div[contains(@class,'locked')]", ".//script", ".//style"):
        for el in tree.xpath(xp):
            _remove(el)
    title_el = tree.xpath("//span[@id='thread_subject']") or tree.xpath("//h1") or tree.xpath("//title")
    title = title_el[0].text_content().strip() if title_el else ""
    out: list[str] = [title] if title else []
    op = None
    first_date = None
    for post in tree.xpath("//div[starts-with(@id,'post_') and not(contains(@id,'post_new'))]"):
        body = post.xpath(".//td[contains(concat(' ',normalize-space(@class),' '),' t_f ')]")
        if not body:
            continue
        author_el = post.xpath(".//*[contains(@class,'authi')]//a[contains(@class,'xw1')]") or post.xpath(".//a[contains(@class,'xw1')]")
        author = author_el[0].text_content().strip() if author_el else ""
        date_txt = ""
        for em in post.xpath(".//em[starts-with(@id,'authorposton')]"):
            span = em.xpath(".//span[@title]")
            m = _DATE.search(span[0].get("title", "") if span else "") or _DATE.search(em.text_content())
            if m:
                date_txt = m.group()
                break
        if op is None:
            op = author
            first_date = date_txt
            header = f"发表于 {date_txt} | 显示全部楼层" if date_txt else "发表于 | 显示全部楼层"
        elif author and author == op:
            header = f"楼主| 发表于 {date_txt} | 显示全部楼层"
        else:
            header = f"发表于 {date_txt} | 显示全部楼层"
        out.append(header)
        out.append(_text_of(body[0]))
    meta = {"title": title} if title else {}
    if op:
        meta["author"] = op
    if first_date:
        y, mo, d = (int(x) for x in first_date.split()[0].split("-"))
        meta["date"] = f"{y:04d}-{mo:02d}-{d:02d}"
    return "\n".join(out), meta


def _remove(el) -> None:
    """Remove an element but keep the text that followed it (its tail)."""
    parent = el.getparent()
    if parent is None:
        return
    prev = el.getprevious()
    if el.tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _generic(html: str, tree) -> tuple[str, dict[str, str]]:
    meta: dict[str, str] = {}
    text = None
    try:
        import trafilatura

        text = trafilatura.extract(html, include_comments=False, include_tables=True, include_images=False,
                                   include_links=False, favor_recall=True, deduplicate=False)
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
        if doc is not None:
            for k in ("title", "author", "date"):
                v = getattr(doc, k, None)
                if v:
                    meta[k] = str(v).strip()
            if meta.get("author"):  # extractors keep the label of "作者:林晓"
                meta["author"] = re.sub(r"^(作者|文|记者|撰文|author|by)\s*[:：|丨/]?\s*", "", meta["author"], flags=re.I) or meta.pop("author")
    except Exception:  # extractor failure: fall back to the plain text of the page
        text = None
    if not text or not text.strip():
        for el in tree.xpath("//nav|//header|//footer|//aside"):
            _remove(el)
        body = tree.find("body")
        text = _text_of(body if body is not None else tree)
    text = _MULTI_NL.sub("\n", text.replace("\r", ""))
    if meta.get("date") and not re.match(r"^\d{4}-\d{2}-\d{2}$", meta["date"]):
        meta.pop("date")
    if meta.get("title") and not text.lstrip().startswith(meta["title"]):
        text = meta["title"] + "\n" + text  # keep the headline as the first body line
    return text, meta
