"""Cleaning stage: raw page text -> CleanDoc (article body in Simplified Chinese, offsets to raw).

Steps: HTML is first reduced to its main text (``extract.html``: trafilatura, or Discuz! posts) ->
line-level boilerplate removal (``extract._boilerplate``: phrase patterns from ``corpora/clean/``
plus structural signals; every dropped line carries a kind and a reason), repeated on the kept
lines until nothing more drops so that cleaning is idempotent -> zero-width and control characters
removed -> Traditional -> Simplified with OpenCC's dictionaries (``tw2sp`` on Traditional lines when
the body uses Taiwan phrasing, else ``t2s``; ``extract._script``) -> full-width digits, letters and
number punctuation folded to ASCII (1:1).

``CleanDoc.text`` holds one line per kept raw line (blank lines skipped, edges stripped);
``offsets[i]`` is the raw position of ``text[i]``.
"""
from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from itertools import accumulate, compress, filterfalse, repeat
from dataclasses import dataclass, field

from ._boilerplate import analyze, reanalysis_drops_nothing
from ._script import _HAVE_NUMPY, convert, detect_script, has_traditional, is_taiwan, normalize_width, trad_and_full_width
from .records import DroppedLine

__all__ = ["CleanDoc", "clean", "looks_like_html"]

# zero-width, bidi and control characters (tab kept): removed from the clean text
_INVISIBLE_CHARS = "".join(chr(c) for r in ((0x00, 0x08), (0x0B, 0x1F), (0x7F, 0x9F), (0x200B, 0x200F), (0x202A, 0x202E),
                                            (0x2060, 0x2064), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB)) for c in range(r[0], r[1] + 1))
_INVISIBLE = re.compile("[" + re.escape(_INVISIBLE_CHARS) + "]")
_WS = " \t\r\u00a0\u3000" + _INVISIBLE_CHARS  # stripped from both ends of a kept line
_HTML_START = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S)
_TAG = re.compile(r"</?(?:p|div|span|a|br|li|td|tr|table|h[1-6]|script|style|section|article)\b[^>]{0,300}>", re.I)


@dataclass
class CleanDoc:
    """The cleaned body of an article with a map back to the raw text.

    For HTML input ``raw`` is the main text extracted from the page (not the markup), so that
    offsets index a text in which ``raw[start:end] == surface``.
    """

    raw: str
    text: str
    script: str
    dropped: list[DroppedLine] = field(default_factory=list)
    # offsets[i] = raw position of text[i] (clean() gives an array("q"): no int object per character)
    offsets: Sequence[int] = field(default_factory=lambda: array("q"), repr=False)
    byline: dict[str, str] = field(default_factory=dict)
    title: str | None = None
    published: str | None = None  # ISO date found in the page chrome (e.g. a post header), if any
    segments: list[list[tuple[int, int]]] = field(default_factory=list, repr=False)  # raw spans of each kept line

    def to_raw(self, i: int) -> int:
        """Raw offset of clean offset ``i`` (``i == len(text)`` maps to the end of the last kept char)."""
        if 0 <= i < len(self.offsets):
            return self.offsets[i]
        if i < 0:
            return self.offsets[0] if self.offsets else 0
        return (self.offsets[-1] + 1) if self.offsets else 0

    def span_to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Raw (start, end) of the clean span [start, end)."""
        if end <= start:
            r = self.to_raw(start)
            return r, r
        return self.to_raw(start), self.to_raw(end - 1) + 1

    def body_raw(self) -> str:
        """The kept body in the original script (raw text of the kept lines, one per line)."""
        return "\n".join("".join(_INVISIBLE.sub("", self.raw[a:b]) for a, b in segs) for segs in self.segments)


def looks_like_html(raw: str) -> bool:
    """True for a saved web page (markup), not for plain text that mentions a tag or two."""
    head = raw[:5000]
    if _HTML_START.match(head):
        return True
    return len(_TAG.findall(head)) >= 12


def clean(raw: str) -> CleanDoc:
    """Clean one article: drop boilerplate lines, convert to Simplified, normalize widths.

    Returns a CleanDoc whose ``text`` is the body (Simplified, one line per kept raw line),
    ``dropped`` lists every removed line with its kind and reason, and ``to_raw`` maps clean
    offsets to ``raw``. HTML input is reduced to its main text first (then ``raw`` is that text).
    Never raises on odd text; a non-string argument raises InputError.
    """
    if not isinstance(raw, str):
        from .errors import InputError

        raise InputError(f"expected text, got {type(raw).__name__}")
    meta: dict[str, str] = {}
    if looks_like_html(raw):
        from .html import html_to_text

        raw, meta = html_to_text(raw)
    lines = raw.split("\n")
    # the analysis sees lines without invisible characters (as a second cleaning would); invisible
    # characters are never printable, so the C-speed isprintable() spares the regex on most lines
    if all(map(str.isprintable, lines)):  # the usual page: one C loop
        inv = [False] * len(lines)
        vis = lines
    else:
        inv = [not l.isprintable() and _INVISIBLE.search(l) is not None for l in lines]
        vis = [_INVISIBLE.sub("", l) if f else l for l, f in zip(lines, inv)] if any(inv) else lines
    an = _analyze_to_fixed_point(vis)
    for i, d in an.drops.items():
        if d.spans is not None and inv[i]:
            keep = [j for j, ch in enumerate(lines[i]) if not _INVISIBLE.match(ch)]
            d.spans = [(keep[a], keep[b - 1] + 1) for a, b in d.spans if b > a]

    dropped: list[DroppedLine] = []
    segments: list[list[tuple[int, int]]] = []
    kept_lines: list[int] = []
    text_lines: list[str] = []
    # the raw offset of every char of the body, "\n" between lines included, as runs of consecutive
    # offsets (run_len[k] of them from run_at[k]); expanded in C at the end (_expand_runs)
    run_at: list[int] = []
    run_len: list[int] = []
    drops = an.drops
    starts = list(accumulate(map((1).__add__, map(len, lines)), initial=0))  # raw offset of each line (in C)
    # each kept line adds its chars' offsets and then the offset of the "\n" after it (the end of its
    # last piece, which is visible: the pieces are stripped of _WS); the last "\n" is removed at the end
    for i, line in enumerate(lines):
        d = drops.get(i)
        if d is None and not inv[i]:  # the common case: a whole kept line
            b = len(line.rstrip(_WS))
            if not b:
                continue
            a = len(line) - len(line.lstrip(_WS))
            start = starts[i]
            segments.append([(start + a, start + b)])
            kept_lines.append(i)
            text_lines.append(line[a:b])
            run_at.append(start + a)
            run_len.append(b - a + 1)
            continue
        start = starts[i]
        if d is None:
            b = len(line.rstrip(_WS))
            if not b:
                continue
            segs = [(start + len(line) - len(line.lstrip(_WS)), start + b)]
        elif d.spans is None:
            dropped.append(DroppedLine(line=i, text=line, reason=d.reason, kind=d.kind))
            continue
        else:
            for a, b in d.spans:
                dropped.append(DroppedLine(line=i, text=line[a:b], reason=d.reason, kind=d.kind, span_start=a))
            segs = _strip_pieces(line, _complement(len(line), d.spans), start)
            if not segs:
                continue
        # every kept piece has a visible character: _strip_pieces and the edge strip remove _WS,
        # which holds every invisible character
        segments.append(segs)
        kept_lines.append(i)
        if inv[i]:
            chars: list[str] = []
            for a, b in segs:
                for j, ch in enumerate(raw[a:b], a):
                    if not _INVISIBLE.match(ch):
                        chars.append(ch)
                        run_at.append(j)
                        run_len.append(1)
            text_lines.append("".join(chars))
            run_at.append(segs[-1][1])  # the "\n" after the line
            run_len.append(1)
            continue
        text_lines.append("".join([raw[a:b] for a, b in segs]) if len(segs) > 1 else raw[segs[0][0]:segs[0][1]])
        for a, b in segs:
            run_at.append(a)
            run_len.append(b - a)
        run_len[-1] += 1  # the "\n" after the line (at the end of its last piece)

    if run_len:
        run_len[-1] -= 1  # no "\n" after the last line
    offsets = _expand_runs(run_at, run_len)
    body = "\n".join(text_lines)
    trad, full_width = trad_and_full_width(body)
    script = detect_script(body, traditional=trad) if body.strip() else detect_script(raw)
    if trad and is_taiwan(body):
        # tw2sp also rewrites mainland words (程序 -> 进程), so only lines in Traditional go through it
        out_lines, new_offsets, p = [], [], 0
        for t in text_lines:
            offs = offsets[p:p + len(t)]
            p += len(t) + 1
            if has_traditional(t):
                t, mp = convert(t, taiwan=True)
                if mp is not None:
                    offs = [offs[j] for j in mp]
            out_lines.append(normalize_width(t))
            if new_offsets:
                new_offsets.append(new_offsets[-1] + 1)  # the "\n" after the previous (converted) line
            new_offsets.extend(offs)
        offsets = array("q", new_offsets)
        text = "\n".join(out_lines)
    else:
        # t2s leaves Simplified lines as they are, so the body converts in one pass
        text = body
        if trad:
            text, mp = convert(body, taiwan=False)
            if mp is not None:
                offsets = array("q", [offsets[j] for j in mp])
        if trad or full_width:  # (else normalize_width would find nothing to change)
            text = normalize_width(text)
        out_lines = text.split("\n")

    title = None
    if an.title_line is not None and an.title_line in kept_lines:
        title = out_lines[kept_lines.index(an.title_line)]
    title = title or meta.get("title")
    byline = {k: _simplify(v) for k, v in an.byline.items() if v}
    for k in ("author",):
        if meta.get(k) and k not in byline:
            byline[k] = _simplify(meta[k])
    return CleanDoc(
        raw=raw,
        text=text,
        script=script,
        dropped=dropped,
        offsets=offsets,
        byline=byline,
        title=title,
        published=an.published or meta.get("date"),
        segments=segments,
    )


def _analyze_to_fixed_point(lines: list[str]):
    """Boilerplate analysis, repeated on the kept lines until it drops nothing more.

    Context rules (repeated blocks, footer zones, titles) can see new neighbours once chrome is
    gone; re-running on the kept lines makes cleaning idempotent (clean(clean(x).text) == clean(x)).
    """
    an = analyze(lines)
    if reanalysis_drops_nothing(an):  # the usual page: proven without re-running the rules
        return an
    for _ in range(3):
        if not an.drops:
            break
        # the kept lines and their folded forms (fold is 1:1 and maps no character into or out of
        # _WS, so cutting and stripping the folded line gives the fold of the cut, stripped line)
        idx, sub, sub_folded, changed = [], [], [], set()
        drops, folded = an.drops, an.folded
        if all(d.spans is None for d in drops.values()):
            # only whole lines dropped (the usual case): the kept non-blank lines, stripped, in C
            keep = list(filterfalse(drops.__contains__, range(len(lines))))
            stripped = list(map(str.strip, map(lines.__getitem__, keep), repeat(_WS)))
            idx = list(compress(keep, stripped))
            sub = list(filter(None, stripped))
            sub_folded = list(map(str.strip, map(folded.__getitem__, idx), repeat(_WS)))
        else:
            _kept_pieces(lines, drops, folded, idx, sub, sub_folded, changed)
        more = analyze(sub, line_rules=changed, folded=sub_folded)
        new = {idx[j]: d for j, d in more.drops.items() if d.spans is None}
        if not new:
            break
        an.drops.update(new)
        an.published = an.published or more.published
        for k, v in more.byline.items():
            an.byline.setdefault(k, v)
        if an.title_line in new:
            an.title_line = idx[more.title_line] if more.title_line is not None else None
    return an


def _kept_pieces(lines: list[str], drops: dict, folded: list[str], idx: list[int], sub: list[str],
                 sub_folded: list[str], changed: set[int]) -> None:
    """Append the kept lines and pieces of lines (stripped, with their folded forms) for a re-analysis."""
    for i, line in enumerate(lines):
        d = drops.get(i)
        if d is None:  # the common case: a kept whole line
            t = line.strip(_WS)
            if t:
                idx.append(i)
                sub.append(t)
                sub_folded.append(folded[i].strip(_WS))
            continue
        if d.spans is None:
            continue
        f = folded[i]
        pieces = _complement(len(line), d.spans)
        line = "".join(line[a:b] for a, b in pieces)
        f = "".join(f[a:b] for a, b in pieces)
        changed.add(len(sub))
        if line.strip(_WS):
            idx.append(i)
            sub.append(line.strip(_WS))
            sub_folded.append(f.strip(_WS))


def _expand_runs(run_at: list[int], run_len: list[int]) -> array:
    """The offsets ``run_at[k], run_at[k] + 1, ...`` (``run_len[k]`` of them) for every k, in one array."""
    if not _HAVE_NUMPY:
        out = array("q")
        for a, n in zip(run_at, run_len):
            out.extend(range(a, a + n))
        return out
    import numpy as np

    lens = np.array(run_len, dtype=np.int64)
    ends = np.cumsum(lens)
    # position p of run k holds run_at[k] + (p - start of run k)
    out = np.arange(int(ends[-1]) if len(ends) else 0, dtype=np.int64)
    out += np.repeat(np.array(run_at, dtype=np.int64) - (ends - lens), lens)
    return array("q", out.tobytes())


def _simplify(s: str) -> str:
    return normalize_width(convert(s)[0]) if has_traditional(s) else normalize_width(s)


def _complement(n: int, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out, pos = [], 0
    for a, b in sorted(spans):
        if a > pos:
            out.append((pos, a))
        pos = max(pos, b)
    if pos < n:
        out.append((pos, n))
    return out


def _strip_pieces(line: str, pieces: list[tuple[int, int]], base: int) -> list[tuple[int, int]]:
    """Raw spans of the kept pieces of a line, whitespace stripped at the line's two edges."""
    pieces = [(a, b) for a, b in pieces if line[a:b].strip(_WS)]
    if not pieces:
        return []
    a0, b0 = pieces[0]
    a0 += len(line[a0:b0]) - len(line[a0:b0].lstrip(_WS))
    pieces[0] = (a0, b0)
    a1, b1 = pieces[-1]
    b1 -= len(line[a1:b1]) - len(line[a1:b1].rstrip(_WS))
    pieces[-1] = (a1, b1)
    return [(base + a, base + b) for a, b in pieces if b > a]
