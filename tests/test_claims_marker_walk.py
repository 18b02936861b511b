"""_marker_clauses walks the rarest of the marker and its common characters: same clauses as a walk over the marker."""
from extract import claims as C


def _plain(seg: C._Segments, marker: str, common: str) -> list[tuple[int, int]]:
    out = []
    for k in range(len(seg.cstart)):
        a, b = seg.cstart[k], seg.cend[k]
        if marker in seg.text[a:b] and all(ch in seg.text[a:b] for ch in common):
            out.append((a, b))
    return out


TEXTS = [
    "在美联储加息的影响下，美股下跌。市场在观望，下周再看。在此背景下，在推动下资金流入；下跌在所难免。",
    "下午盘面走弱，下行压力在加大，在多重利空打压下，指数下挫。受此影响，受到冲击的板块由资金驱动。",
    "在在在，下下下。在下，下在。",
]


def test_marker_clauses_match_plain_walk() -> None:
    lex = C._lex()
    for text in TEXTS:
        seg = C._Segments(text, lex)
        for marker, _, common in lex["passive"]:
            assert C._marker_clauses(seg, marker, common) == _plain(seg, marker, common), (text, marker)


def test_marker_clauses_need_every_character() -> None:
    seg = C._Segments("在市场上涨时，下跌风险仍高。", C._lex())
    assert C._marker_clauses(seg, "在", "下") == []  # 在 and 下 in different clauses: no frame clause
