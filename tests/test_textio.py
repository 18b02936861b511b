import pytest

from extract.errors import InputError
from extract.textio import decode_bytes, read_text

TEXT = "比特幣現貨 ETF 淨流入 5.3 億美元,貝萊德的 IBIT 領漲。\n第二行。"


@pytest.mark.parametrize("enc", ["utf-8", "utf-8-sig", "utf-16", "gb18030", "big5"])
def test_encodings_roundtrip(tmp_path, enc):
    p = tmp_path / f"a.{enc}.txt"
    p.write_bytes(TEXT.encode(enc))
    assert read_text(p) == TEXT


def test_gbk_simplified(tmp_path):
    s = "比特币现货 ETF 净流入 5.3 亿美元,贝莱德的 IBIT 领涨。"
    p = tmp_path / "g.txt"
    p.write_bytes(s.encode("gbk"))
    assert read_text(p) == s


@pytest.mark.parametrize("data,word", [(b"%PDF-1.7\n...", "PDF"), (b"\x89PNG\r\n\x1a\n\0\0", "PNG"), (b"abc\x00\x01\x02\xff" * 50, "binary")])
def test_binary_refused(data, word):
    with pytest.raises(InputError) as e:
        decode_bytes(data, "x.bin")
    assert word in str(e.value) and "x.bin" in str(e.value)


def test_empty_refused(tmp_path):
    p = tmp_path / "e.txt"
    p.write_text("  \n\u3000\n", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        read_text(p)


def test_missing_file_named(tmp_path):
    with pytest.raises(InputError, match="nope.txt: no such file"):
        read_text(tmp_path / "nope.txt")


def test_size_limit(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text("数" * 1000, encoding="utf-8")
    with pytest.raises(InputError, match="limit"):
        read_text(p, max_bytes=100)
