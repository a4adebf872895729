"""decode_page and normalise_text on project-written bytes: every rejection, the encoding cascade,
mojibake repair and the normal form every span indexes."""

from __future__ import annotations

import gzip
import logging

import pytest

from wirescope.errors import PageError
from wirescope.io import decoding
from wirescope.io.decoding import (
    clean_text,
    declared_encoding,
    decode_page,
    fix_fragile_mojibake,
    fix_mojibake,
    normalise_text,
)
from wirescope.settings import MB, Settings

SETTINGS = Settings()
# A fictional wire sentence with the characters legacy encodings get wrong.
SENTENCE = "The mayor of Varnholm called the caf\u00e9 deal \u201cfair\u201d \u2014 worth \u20ac5m."


def decode(data: bytes | str, content_type: str | None = None, settings: Settings = SETTINGS) -> str:
    return decode_page(data, "page", settings, content_type)


def rejection(data: bytes | str, settings: Settings = SETTINGS) -> PageError:
    with pytest.raises(PageError) as caught:
        decode(data, settings=settings)
    assert caught.value.source == "page"
    return caught.value


# --- rejections ----------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", "", "  \n ", "\ufeff  ", b"\xef\xbb\xbf \n"])
def test_empty_and_whitespace_only_are_rejected(data: bytes | str) -> None:
    assert rejection(data).kind == "empty"


@pytest.mark.parametrize(
    "data, named",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"PK\x03\x04\x14\x00\x00\x00", "ZIP"),
        (gzip.compress(b"<html>story</html>"), "gzip"),
        (b"some text\x00\x00\x00 with NUL bytes", "NUL"),
        (bytes(range(1, 9)) * 50 + b"a few letters", "control bytes"),
    ],
)
def test_binary_content_is_rejected_and_says_what_it_is(data: bytes, named: str) -> None:
    error = rejection(data)
    assert error.kind == "binary"
    assert named in error.reason


def test_binary_str_is_rejected() -> None:
    assert rejection("text\x00\x00 with NULs").kind == "binary"


def test_over_the_limit_names_size_limit_and_how_to_raise_it() -> None:
    error = rejection(b"a" * 2000, settings=Settings(max_bytes=1000))
    assert error.kind == "too_large"
    assert "2.0 KB" in error.reason and "1000 bytes" in error.reason
    assert "--max-mb" in error.reason and "max_bytes" in error.reason


def test_str_over_the_limit_counts_utf8_bytes() -> None:
    # 600 characters, 1200 bytes in UTF-8.
    assert rejection("\u00e9" * 600, settings=Settings(max_bytes=1000)).kind == "too_large"
    assert decode("e" * 600, settings=Settings(max_bytes=1000)) == "e" * 600


def test_undecodable_bytes_are_an_encoding_error() -> None:
    # High bytes in an order no encoding reads as text (deterministic, no NULs or controls).
    data = bytes((0x80 + (i * 37) % 128) for i in range(600))
    error = rejection(data)
    assert error.kind == "encoding"
    assert "UTF-8" in error.reason


def test_invalid_bom_is_an_encoding_error() -> None:
    # A UTF-16 BOM followed by an odd number of bytes cannot be UTF-16.
    assert rejection(b"\xff\xfeA\x00B").kind == "encoding"


# --- the encoding cascade -------------------------------------------------------------------------


def test_utf8() -> None:
    assert decode(SENTENCE.encode("utf-8")) == SENTENCE


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-32"])
def test_byte_order_mark_decides(codec: str) -> None:
    assert decode(SENTENCE.encode(codec)) == SENTENCE


def test_windows_1252_comes_out_right() -> None:
    data = SENTENCE.encode("cp1252")
    assert b"\x93fair\x94" in data and b"caf\xe9" in data
    assert decode(data) == SENTENCE


@pytest.mark.parametrize("text", ["Caf\u00e9", "na\u00efve fa\u00e7ade \u2013 \u20ac5", "\u201cNo,\u201d he said."])
def test_short_windows_1252_is_not_misread(text: str) -> None:
    # charset-normalizer alone reads these as UTF-16, cp775 or cp1250.
    assert decode(text.encode("cp1252")) == text


def test_cyrillic_windows_1251_uses_charset_normalizer() -> None:
    text = ("\u041f\u0440\u0435\u0437\u0438\u0434\u0435\u043d\u0442 \u0437\u0430\u044f\u0432\u0438\u043b "
            "\u0432\u043e \u0432\u0442\u043e\u0440\u043d\u0438\u043a. ") * 4
    assert decode(text.encode("cp1251")) == text


def test_html_declared_charset_is_used() -> None:
    html = f'<html><head><meta charset="koi8-r"></head><body><p>{"Привет, мир"}</p></body></html>'
    assert decode(html.encode("koi8_r"), "html") == html


def test_html_http_equiv_iso_8859_1_is_read_as_windows_1252() -> None:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
        f"</head><body><p>{SENTENCE}</p></body></html>"
    )
    assert decode(html.encode("cp1252"), "html") == html


def test_wrong_utf8_declaration_falls_through_to_the_bytes() -> None:
    html = f'<html><head><meta charset="utf-8"></head><body><p>{SENTENCE}</p></body></html>'
    assert decode(html.encode("cp1252"), "html") == html


def test_valid_utf8_beats_a_stale_single_byte_declaration() -> None:
    html = f'<?xml version="1.0" encoding="iso-8859-1"?><html><body><p>{SENTENCE}</p></body></html>'
    assert decode(html.encode("utf-8"), "html") == html


def test_declarations_are_read_only_for_html() -> None:
    assert declared_encoding(b'<meta charset="windows-1251">') == "cp1251"
    assert declared_encoding(b"<?xml version='1.0' encoding='latin-1'?>") == "cp1252"
    assert declared_encoding(b'<meta charset="no-such-charset">') is None
    text = 'charset notes: <meta charset="koi8-r"> is how a page declares it. caf\u00e9'
    assert decode(text.encode("utf-8"), "text") == text


def test_mostly_utf8_with_a_stray_byte_reads_it_as_windows_1252(caplog: pytest.LogCaptureFixture) -> None:
    # A UTF-8 page with one Windows-1252 dash pasted in: decoded, not rejected, and logged.
    data = (SENTENCE + " ").encode("utf-8") * 3 + b"Talks resume \x96 Monday."
    with caplog.at_level(logging.WARNING, logger="wirescope.io.decoding"):
        text = decode(data)
    assert text == (SENTENCE + " ") * 3 + "Talks resume \u2013 Monday."
    assert "1 byte(s) are not UTF-8" in caplog.text


def test_utf8_cut_inside_a_character_does_not_crash() -> None:
    data = (SENTENCE * 3).encode("utf-8") + "\u201c".encode("utf-8")[:2]
    text = decode(data)
    assert text.startswith(SENTENCE * 3)


# --- mojibake -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "broken, fixed",
    [
        ("\u00e2\u20ac\u0153Fair,\u00e2\u20ac\u009d she said", "\u201cFair,\u201d she said"),  # â€œ -> “
        ("the caf\u00c3\u00a9 deal", "the caf\u00e9 deal"),  # Ã© -> é
    ],
)
def test_mojibake_is_repaired(broken: str, fixed: str) -> None:
    assert fix_mojibake(broken) == fixed
    assert decode(broken) == fixed
    assert decode(broken.encode("utf-8")) == fixed


def test_mojibake_repair_keeps_style() -> None:
    # Curly quotes, entities, full-width CJK punctuation and no-break spaces are left as written.
    text = "\u201cQuoted\u201d &amp; \u2018single\u2019 \u653f\u5e9c\uff0c\u53d1\u8868\u3002 10\u00a0km"
    assert fix_mojibake(text) == text


def test_html_keeps_its_markup_and_entities() -> None:
    html = "<p>Fish &amp; chips &lt;b&gt; at the caf\u00c3\u00a9</p>"
    assert decode(html, "html") == "<p>Fish &amp; chips &lt;b&gt; at the caf\u00e9</p>"


def test_html_can_be_decoded_without_repair_and_its_text_repaired_later() -> None:
    # prepare_page decodes HTML with repair=False and repairs only the extracted text.
    html = "<p>the caf\u00c3\u00a9 deal</p>"
    assert decode(html.encode("utf-8"), "html") == "<p>the caf\u00e9 deal</p>"
    assert decode_page(html.encode("utf-8"), "page", SETTINGS, "html", repair=False) == html
    assert clean_text("  the caf\u00c3\u00a9\u00a0deal \r\n\r\n\r\nNext.") == "the caf\u00e9 deal\n\nNext."


@pytest.mark.parametrize(
    "line",
    [
        "the caf\u00c3\u00a9 deal",  # mojibake (ftfy's is_bad)
        "\u0093quoted\u0094",  # C1 controls, Windows-1252 quotes read as Latin-1
        "a \ufb01ne day",  # Latin ligature
        "red\x1b[0m text",  # terminal escape
        "Cafe\u0301",  # not NFC
    ],
)
def test_lines_ftfy_would_change_go_to_ftfy(line: str) -> None:
    assert decoding._needs_ftfy(line)
    assert fix_mojibake(line) != line


def test_clean_lines_never_reach_ftfy(monkeypatch: pytest.MonkeyPatch) -> None:
    """ftfy is asked only about lines it could change: ASCII lines and clean non-ASCII lines
    (curly quotes, dashes, accents, other scripts) pass by it unchanged."""
    def fail(text: str, config: object = None) -> str:
        raise AssertionError(f"ftfy called on {text!r}")

    monkeypatch.setattr(decoding.ftfy, "fix_text", fail)
    text = f"Plain ASCII line.\n{SENTENCE}\n\u653f\u5e9c\uff0c\u53d1\u8868\u3002\n\u201cNo,\u201d she said."
    assert fix_mojibake(text) == text


def test_before_extraction_only_lines_it_would_damage_are_repaired(monkeypatch: pytest.MonkeyPatch) -> None:
    # Latin-1 misreads hold C1 controls and no-break spaces, which extraction drops or turns into
    # spaces; Windows-1252 misreads ("cafÃ©") are printable and wait for the extracted text.
    html = ("<p>the caf\u00c3\u00a9 deal</p>\n<p>\u00e2\u0080\u009cFair\u00e2\u0080\u009d</p>\n"
            "<p>voil\u00c3\u00a0 tout</p>")
    assert fix_fragile_mojibake(html) == (
        "<p>the caf\u00c3\u00a9 deal</p>\n<p>\u201cFair\u201d</p>\n<p>voil\u00e0 tout</p>")
    called: list[str] = []
    monkeypatch.setattr(decoding, "fix_mojibake", called.append)
    clean = (f"<html><body><p>{SENTENCE}</p>\n<p>Plain ASCII.</p>\n"
             "<p>\u00ab\xa0Un caf\u00e9\xa0!\xa0\u00bb, 10\xa0km de Ber\xadlin</p></body></html>")
    assert fix_fragile_mojibake(clean) is clean
    assert not called


# --- normalisation --------------------------------------------------------------------------------


def test_normalise_text() -> None:
    raw = (
        "  Title\u00a0line \r\n"
        "\r\n\r\n\r\n\r\n"
        "Body\u2009with\u3000odd spaces\t \r"
        "and a so\u00adft hyph\u200ben\x07.\u2028"
        "Cafe\u0301 in NFD.\x0c\n\n\n"
    )
    assert normalise_text(raw) == (
        "Title line\n\nBody with odd spaces\nand a soft hyphen.\nCaf\u00e9 in NFD."
    )


def test_normalise_text_keeps_tabs_joiners_and_single_blank_lines() -> None:
    text = "a\tb\n\nc\u200dd \u200ce\u200f"
    assert normalise_text(text) == text


def test_normalise_text_drops_lone_surrogates() -> None:
    assert normalise_text("bad \ud800 half") == "bad  half"


def test_normalise_text_is_idempotent() -> None:
    raw = " \u00a0x\r\n\r\n\r\n y \u2029\u2029\u2029 z\u0301\x85 "
    once = normalise_text(raw)
    assert normalise_text(once) == once


def test_normalised_decoded_page_is_stable_end_to_end() -> None:
    data = ("  " + SENTENCE + "\r\n\r\n\r\n\r\nSecond paragraph.  \r\n").encode("cp1252")
    assert normalise_text(decode(data)) == SENTENCE + "\n\nSecond paragraph."


def test_large_page_within_the_limit_is_fast_enough() -> None:
    data = (SENTENCE + "\n").encode("utf-8") * 20_000  # about 1.3 MB
    assert len(data) < MB * 2
    text = normalise_text(decode(data))
    assert text.count("\n") == 19_999


def test_the_language_model_read_from_the_cache_equals_the_shipped_one(tmp_path, monkeypatch):
    """py3langid's model comes from an uncompressed copy in the resource cache (a fast start) and
    classifies exactly as the shipped LZMA file does."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from wirescope.io import language

    monkeypatch.setenv("WIRESCOPE_CACHE_DIR", str(tmp_path))
    cached = language._identifier_from_cache()
    assert list(tmp_path.glob("langid-model-*"))  # built into the cache folder asked for
    shipped = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    for text in ("The ferry operators agreed a winter timetable for the lake on Thursday.",
                 "Les exploitants des traversiers ont convenu d'un horaire d'hiver jeudi.",
                 "Die Fährbetreiber haben sich am Donnerstag auf einen Winterfahrplan geeinigt."):
        assert cached.classify(text) == shipped.classify(text)
