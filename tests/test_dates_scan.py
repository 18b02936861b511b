"""The date scan files each digit-led pattern under the characters that can follow its leading
digit run; it must find what one alternation of all the patterns finds at every trigger."""
import random
import re

from extract import dates as D
from extract._numerals import norm


def _plain_scan(t: str, every_position: bool = False) -> list[tuple[str, int, int, dict]]:
    """The scan with one alternation of every pattern that can start at the trigger's character
    (``every_position``: at every character but digits inside a number, no trigger word list)."""
    by_first: dict[str, list[str]] = {}
    for i, (_, p, first, _after) in enumerate(D._PATTERNS):
        p = re.sub(r"\(\?P<(\w+)>", lambda m: f"(?P<{m.group(1)}_{i}>", p)
        for ch in first:
            by_first.setdefault(ch, []).append(f"(?P<alt_{i}>{p})")
    rxs = {c: D._with_groups(re.compile("|".join(ps))) for c, ps in by_first.items()}
    # every position, except a digit inside a digit run (no date starts mid-number)
    trig = re.compile(r"(?<![0-9])[0-9]|[^0-9]", re.S) if every_position else D._regexes()[1]
    out, last = [], 0
    for tm in trig.finditer(t):
        pos = tm.start()
        if pos < last:
            continue
        ch = t[pos]
        entry = rxs.get("D" if ch.isdigit() else ch)
        if entry is None:
            continue
        rx, alts = entry
        m = rx.match(t, pos)
        if m is None or m.end() <= pos:
            continue
        i, names = alts[m.lastindex]
        gs = m.groups()
        e = m.end()
        while e > pos and t[e - 1].isspace():
            e -= 1
        out.append((D._PATTERNS[i][0], pos, e, {n: gs[j] for j, n in names if gs[j] is not None}))
        last = e
    return out


_PIECES = ["2025", "年", "1", "12", "月", "5", "日", "号", "/", "-", ".", ":", "30", "季度", "Q", "3",
           " ", "个月", "天", "前", "交易日", "周", "三", "第", "至", "2026", "19", "份", "下旬", "个交易日",
           "星期", "年期", "涨", "约", "，", "0"]


def _cases() -> list[str]:
    rng = random.Random(7)
    fixed = ["2025年1月5日", "2025-01-05 10:30", "2025/1/5", "2025.1.5", "1月26日至2月6日", "1/26-2/6",
             "1/5", "2025年3月", "2025年十二月下旬", "2025年第一季度", "1季度", "2025 Q3", "Q4", "3月",
             "2025年", "5年前", "3 个月前", "10:30", "20 天前", "2025年期", "12345年", "2025 -1", "3 个交易日前"]
    return fixed + ["".join(rng.choice(_PIECES) for _ in range(rng.randint(2, 12))) for _ in range(4000)]


def test_dispatch_by_following_character_matches_the_plain_alternation():
    for s in _cases():
        t = norm(s)
        got = [(m.kind, m.start, m.end, m.g) for m in D._scan.__wrapped__(t)]
        assert got == _plain_scan(t), s


def test_the_trigger_misses_no_position_where_a_pattern_matches(seeds):
    # the trigger's word list is written by hand beside the patterns: a pattern whose opening it
    # lacks would silently never match
    # (real pages, not the random strings above: a trigger word consumes its characters, so in
    # strings such as "Q12月" a date inside a trigger word is not looked for, by design)
    from pathlib import Path

    pages = sorted(Path(__file__).parent.glob("data/*/*.txt"))
    texts = [norm(t) for t in seeds.values()] + [norm(p.read_text(encoding="utf-8")) for p in pages]
    for t in texts:
        got = [(m.kind, m.start, m.end, m.g) for m in D._scan.__wrapped__(t)]
        assert got == _plain_scan(t, every_position=True), t[:80]


def test_publication_marker_search_matches_the_one_regex(seeds):
    # _pub_search runs one regex per first character of the marker words; it must return what
    # the single alternation _PUB returns: the leftmost marker followed by a date
    from pathlib import Path

    pages = sorted(Path(__file__).parent.glob("data/*/*.txt"))
    texts = [norm(t) for t in seeds.values()] + [norm(p.read_text(encoding="utf-8")) for p in pages]
    rng = random.Random(3)
    marks = [w + sep + d for w in D._PUB_WORDS for sep in ("", ": ", "：") for d in ("2025-09-22", "2024年3月1日", "1999")]
    cases = list(texts)
    for t in texts:
        for _ in range(6):  # markers (some without a valid date) spliced in at random places
            s = t
            for _ in range(rng.randint(1, 3)):
                k = rng.randrange(len(s) + 1)
                s = s[:k] + rng.choice(marks) + s[k:]
            cases.append(s)
    found = 0
    for s in cases:
        want = D._PUB.search(s)
        got = D._pub_search(s)
        assert (got and (got.span(), got.groupdict())) == (want and (want.span(), want.groupdict())), s[:80]
        found += want is not None
    assert found > len(texts)  # the spliced markers were found


def test_trigger_captures_what_after_run_reads():
    # _scan dispatches a digit trigger on the character its lookahead captured: the one
    # _AFTER_RUN reads after the digit run (None after an "ago" unit)
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    texts = [norm(s) for s in _cases()] + [norm(p.read_text(encoding="utf-8"))
                                          for p in sorted((root / "tests" / "data" / "pages").glob("*.txt"))]
    trig = D._regexes()[1]
    seen = set()
    for t in texts:
        for tm in trig.finditer(t):
            if t[tm.start()].isdigit():
                k = tm.lastindex
                got = tm.group(k) if k else None
                assert got == D._AFTER_RUN.match(t, tm.start()).group(1), t[tm.start():tm.start() + 12]
                seen.add(got)
    assert None in seen and {"年", "月", "/", "-", ".", ":"} <= seen
