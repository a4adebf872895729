"""Bytes to text: reject what is not a page, find the encoding, repair mojibake, normalise.

Two public steps, called by the pipeline in this order:

1. ``decode_page`` turns a reader's bytes (or str) into text, or raises ``PageError`` saying why it
   cannot (``empty``, ``binary``, ``too_large``, ``encoding``). It repairs mojibake but otherwise
   keeps the text as found: HTML stays HTML for the extractor. HTML is decoded with
   ``repair=False`` and only the text taken out of it is repaired (``clean_text``): the markup,
   scripts and styles are never read, and repairing them was most of the cost of a page. Only
   lines with mojibake that extraction would destroy are repaired first (``fix_fragile_mojibake``).
2. ``normalise_text`` fixes newlines, Unicode form, control characters and spaces. Its output is the
   stored ``Document.text`` and every span of every record indexes it, so normalisation happens
   exactly once, before any span is computed; nothing may change the text after that.
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata

import ftfy
from charset_normalizer import from_bytes
from ftfy.badness import is_bad
from ftfy.chardata import CONTROL_CHARS, LIGATURES

from wirescope.errors import PageError
from wirescope.settings import Settings

log = logging.getLogger(__name__)

# Only the head of a page is sampled for the binary checks: a text page shows itself in its
# first few KiB, and the checks stay O(1) on a 10 MB page.
SNIFF_BYTES = 8192
# Share of control characters (other than tab, newlines, form feed, escape) above which a page
# is binary. Real text has none; 5% tolerates a few stray bytes in an otherwise good page.
MAX_CONTROL_RATIO = 0.05
# charset-normalizer's own "this reads as text" threshold for its mess ratio (its default).
MAX_CHAOS = 0.2
# A meta charset or XML declaration must appear near the top to count (browsers scan 1024 bytes;
# a little more tolerates long comments before it).
DECLARATION_BYTES = 4096

BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: the UTF-32-LE mark begins with the UTF-16-LE one.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

MAGIC_NUMBERS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a ZIP-based file such as .docx or .epub)"),
    (b"\x1f\x8b", "gzip-compressed data (name the file .gz so it is decompressed)"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
)

# Bytes that never occur in text: C0 controls except \t \n \v \f \r and ESC, plus DEL.
_CONTROL_BYTES = bytes([*range(0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_TEXT_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.IGNORECASE)

# Labels browsers (WHATWG Encoding Standard) read as another encoding: pages declaring
# ISO-8859-1 or ASCII are in practice Windows-1252 (curly quotes at 0x93/0x94), and a UTF-16
# declaration inside an ASCII-readable meta tag cannot be true.
_DECLARED_AS = {
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "iso8859-9": "cp1254",
    "utf-16": "utf-8",
    "utf-16-le": "utf-8",
    "utf-16-be": "utf-8",
}

# Valid UTF-8 sequences of two or more bytes (RFC 3629: no overlongs, no surrogates).
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]"
    rb"|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


def _stray_bytes_as_cp1252(error: UnicodeError) -> tuple[str, int]:
    """Decode error handler: read bytes that are not UTF-8 as Windows-1252."""
    assert isinstance(error, UnicodeDecodeError)
    stray = error.object[error.start : error.end]
    return stray.decode("cp1252", errors="replace"), error.end


STRAY_CP1252 = "wirescope-stray-cp1252"
codecs.register_error(STRAY_CP1252, _stray_bytes_as_cp1252)

# ftfy repairs mojibake ("â€œ" -> "“", "Ã©" -> "é") and nothing a reader would notice as a change
# of style. Every switch is set on purpose:
MOJIBAKE_FIXES = ftfy.TextFixerConfig(
    unescape_html=False,  # entities belong to the HTML parser; plain text keeps "&amp;" as written
    remove_terminal_escapes=True,  # ANSI colour codes are never page content
    fix_encoding=True,  # the point: undo UTF-8 read as Windows-1252/Latin-1 (also twice over)
    restore_byte_a0=True,  # part of the same repair ("Ã " for "à" with a lost 0xA0)
    replace_lossy_sequences=True,  # unrecoverable mojibake becomes U+FFFD, visibly lost
    decode_inconsistent_utf8=True,  # mojibake next to correct text on the same line
    fix_c1_controls=True,  # 0x80-0x9F read as Latin-1 are Windows-1252 punctuation
    fix_latin_ligatures=True,  # "ﬁ" (from PDF copy) -> "fi": names must match to be found
    fix_character_width=False,  # would rewrite full-width CJK punctuation of non-English pages
    uncurl_quotes=False,  # keep “curly” quotes: quotes are data for quote attribution
    fix_line_breaks=False,  # normalise_text does newlines, once, for every page
    fix_surrogates=True,  # paired surrogates from JSON "\ud83d\ude00" escapes -> one character
    remove_control_chars=True,  # normalise_text removes the rest
    normalization="NFC",  # NFC only: NFKC would rewrite superscripts, fractions, full width
    explain=False,  # faster; we do not report the steps
)


def describe_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size} bytes"


def too_large_reason(size: int | None, limit: int) -> str:
    """The message of a ``too_large`` error; ``size`` None when only "more than the limit" is known."""
    found = describe_size(size) if size is not None else "more than the limit"
    return (
        f"page is {found}, over the limit of {describe_size(limit)} ({limit} bytes); "
        "raise it with --max-mb on the command line or Settings(max_bytes=...) in Python"
    )


def decode_page(
    data: bytes | str, source: str, settings: Settings, content_type: str | None = None,
    charset: str | None = None, *, repair: bool = True,
) -> str:
    """The text of a page, with mojibake repaired (unless ``repair`` is False) but not yet normalised.

    ``content_type`` is ``"html"``, ``"text"`` or None (unknown): only HTML (or unknown) pages have
    their meta charset / XML declaration read. ``charset`` is the label of an HTTP header, which
    takes precedence over the page's own declaration (as in browsers). Raises ``PageError`` with kind ``empty``,
    ``binary``, ``too_large`` or ``encoding``. ``repair=False`` is for HTML, whose extracted text is
    repaired instead (``clean_text``).
    """
    if isinstance(data, str):
        size = len(data.encode("utf-8", errors="surrogatepass"))
        if size > settings.max_bytes:
            raise PageError(source, too_large_reason(size, settings.max_bytes), kind="too_large")
        text = data.removeprefix("\ufeff")
    else:
        if len(data) > settings.max_bytes:
            raise PageError(source, too_large_reason(len(data), settings.max_bytes), kind="too_large")
        if not data.strip():
            raise PageError(source, "page is empty (no content, or only whitespace)", kind="empty")
        text = _decode_bytes(data, source, content_type, charset)

    if not text.strip():
        raise PageError(source, "page is empty (no content, or only whitespace)", kind="empty")
    problem = _binary_text_problem(text)
    if problem:
        raise PageError(source, problem, kind="binary")
    return fix_mojibake(text) if repair else text


# A line of printable ASCII (tabs and carriage returns allowed): none of MOJIBAKE_FIXES changes it.
_PLAIN_LINE = re.compile(r"[\t\r\x20-\x7e]*\n?")
# Characters some fixer of MOJIBAKE_FIXES other than the encoding repair rewrites or removes: C1
# controls, Latin ligatures, surrogates, and ftfy's control characters (ESC of terminal escapes
# among them). Read from ftfy's own tables so that they follow the installed version.
_FIXED_CHARS = re.compile(
    "[\x80-\x9f\ud800-\udfff"
    + "".join(re.escape(chr(code)) for code in sorted({*CONTROL_CHARS, *LIGATURES}))
    + "]"
)


def fix_mojibake(text: str) -> str:
    """Undo text decoded with the wrong encoding (see MOJIBAKE_FIXES for what else is left alone).

    ftfy fixes a text line by line; only the lines it could change are given to it (``_needs_ftfy``),
    because its per-line work is most of the cost of a page and most lines are clean.
    """
    if text.isascii() and _PLAIN_LINE.fullmatch(text.replace("\n", "")):
        return text
    lines = text.split("\n")  # as ftfy splits: on newlines only
    lines = [line + "\n" for line in lines[:-1]] + lines[-1:]
    return "".join(ftfy.fix_text(line, config=MOJIBAKE_FIXES) if _needs_ftfy(line) else line
                   for line in lines)


def _needs_ftfy(line: str) -> bool:
    """Whether ``ftfy.fix_text`` with MOJIBAKE_FIXES could change ``line``.

    Exact, not a heuristic: ftfy's encoding repair starts with ``is_bad`` and leaves a line alone
    when it is False; its other fixers only touch the characters of ``_FIXED_CHARS``; and the
    last step is NFC. A line that passes all three comes back from ftfy unchanged. Checking costs
    about half of asking ftfy (the 1,918 non-ASCII lines of the 181 article-extraction-benchmark
    articles, mostly curly quotes and dashes, none needing ftfy: 0.09 s CPU instead of 0.16-0.20 s).
    """
    if _PLAIN_LINE.fullmatch(line):
        return False
    return (is_bad(line) or _FIXED_CHARS.search(line) is not None
            or not unicodedata.is_normalized("NFC", line))


# Mojibake that HTML extraction destroys before its text can be repaired: trafilatura drops C1
# controls and soft hyphens and turns no-break spaces into spaces, and all three are pieces of
# UTF-8 characters read as Latin-1 ("\u00e2\x80\x9c" for "\u201c", "\u00c3\xa0" for "\u00e0", "\u00c3\xad"
# for "\u00ed"). Looked for one by one with ``in`` and ``str.find``: four times faster than a
# regular expression on the 181 benchmark pages (0.02 against 0.08 s), and most pages have none.
_C1_CONTROLS = tuple(chr(code) for code in range(0x80, 0xA0))
# A no-break space or soft hyphen is mojibake only inside a mojibake sequence (never in
# "caf\u00e9\xa0!" or "\u00ab\xa0Oui\xa0\u00bb"); a sequence is at most four characters.
_MAYBE_MOJIBAKE = ("\xa0", "\xad")
_SEQUENCE_CHARS = 3


def _has_fragile_mojibake(text: str) -> bool:
    if any(control in text for control in _C1_CONTROLS):
        return True
    for char in _MAYBE_MOJIBAKE:
        at = text.find(char)
        while at >= 0:
            if is_bad(text[max(0, at - _SEQUENCE_CHARS) : at + _SEQUENCE_CHARS + 1]):
                return True
            at = text.find(char, at + 1)
    return False


def fix_fragile_mojibake(html: str) -> str:
    """``html`` with the lines that hold mojibake extraction would destroy repaired, the rest as is.

    The text extracted from a page is repaired afterwards (``clean_text``); repairing the whole
    page instead (markup, scripts, styles) was most of the cost of ``wirescope extract``.
    """
    if html.isascii() or not _has_fragile_mojibake(html):
        return html
    lines = html.split("\n")
    return "\n".join(fix_mojibake(line) if _has_fragile_mojibake(line) else line for line in lines)


def clean_text(text: str) -> str:
    """Mojibake repaired, then in the stored normal form: what every piece of stored text goes through."""
    return normalise_text(fix_mojibake(text))


def _decode_bytes(data: bytes, source: str, content_type: str | None, charset: str | None = None) -> str:
    """The encoding cascade; cheap and certain steps first, each returns as soon as it succeeds."""
    # 1. A byte-order mark is certain. Checked before the binary test: UTF-16 text is full of NULs.
    text = _decode_with_bom(data, source)
    if text is not None:
        return text
    problem = _binary_bytes_problem(data)
    if problem:
        raise PageError(source, problem, kind="binary")
    text = _decode_declared(data, content_type, charset)  # 2.
    if text is None:
        text = _decode_utf8(data, source)  # 3. and 4.
    if text is None:
        text = _decode_guessed(data)  # 5. and 6.
    if text is None:
        raise PageError(
            source,
            "cannot tell the text encoding: not UTF-8, no charset declared, and no known encoding "
            "reads it as text; convert it to UTF-8 (e.g. iconv -f <encoding> -t utf-8)",
            kind="encoding",
        )
    return text


def _decode_with_bom(data: bytes, source: str) -> str | None:
    """The text after a byte-order mark; None without one. A mark on bytes that do not decode
    with its codec is an ``encoding`` error."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as error:
                raise PageError(
                    source, f"starts with a {codec} byte-order mark but is not valid {codec}: {error}",
                    kind="encoding",
                ) from None
    return None


def _decode_declared(data: bytes, content_type: str | None, charset: str | None) -> str | None:
    """2. The HTTP charset or the page's own declaration, when it decodes cleanly. A single-byte
    declaration on bytes that are valid non-ASCII UTF-8 is a stale template (common after CMS
    migrations): random Windows-1252 text is almost never valid UTF-8, so the bytes win over the
    declaration. A UTF-8 declaration is left to the UTF-8 steps."""
    declared = codec_for_label(charset) if charset else None
    if declared is None and content_type != "text":
        declared = declared_encoding(data)
    utf8_wins = not data.isascii() and _is_utf8(data)
    if declared and declared != "utf-8" and not utf8_wins:
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass  # the declaration is wrong; let the bytes speak
    return None


def _decode_utf8(data: bytes, source: str) -> str | None:
    """3. Strict UTF-8: the encoding of nearly every page written since 2010.

    4. Mostly UTF-8 with a few stray bytes (a Windows-1252 quote pasted into a UTF-8 page, or a
    page cut inside a character). Decision: we do not reject such a page and do not replace the
    stray bytes with U+FFFD; we read each stray byte as Windows-1252, its likeliest origin, and
    log a warning naming how many there were. "Mostly" means more valid multi-byte sequences than
    stray bytes: a real Windows-1252 page has almost none."""
    if _is_utf8(data):
        return data.decode("utf-8")
    valid_sequences = _UTF8_MULTIBYTE.findall(data)
    stray = _non_ascii_count(data) - sum(len(seq) for seq in valid_sequences)
    if len(valid_sequences) > stray:
        log.warning("%s: %d byte(s) are not UTF-8; read them as Windows-1252", source, stray)
        return data.decode("utf-8", errors=STRAY_CP1252)
    return None


def _decode_guessed(data: bytes) -> str | None:
    """5. Windows-1252, when it reads as text: by far the commonest legacy encoding of news in
    English and Western European languages. Tried before charset-normalizer because its ranking
    of single-byte code pages that all read as text is arbitrary (it picks cp1250 or cp775 for
    English with curly quotes, UTF-16 for "Café"). Trade-off: Czech or Turkish pages without a
    declaration come out with a few wrong letters.

    6. charset-normalizer's best guess among all encodings (Cyrillic, Greek, CJK, ...)."""
    western = from_bytes(data, cp_isolation=["cp1252"], threshold=MAX_CHAOS).best()
    if western is not None:
        return str(western)
    guess = from_bytes(data, threshold=MAX_CHAOS).best()
    return None if guess is None else str(guess)


def declared_encoding(data: bytes) -> str | None:
    """The Python codec named by a meta charset or XML declaration near the top, if known."""
    head = data[:DECLARATION_BYTES]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if not match:
        return None
    return codec_for_label(match.group(1).decode("ascii"))


def codec_for_label(label: str) -> str | None:
    """The Python codec for a charset label (``"ISO-8859-1"`` -> ``"cp1252"``, as browsers read it)."""
    try:
        name = codecs.lookup(label.strip().strip("'\"")).name
    except LookupError:
        return None  # an unknown label is ignored, as browsers do
    return _DECLARED_AS.get(name, name)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _non_ascii_count(data: bytes) -> int:
    return len(data) - len(data.translate(None, bytes(range(0x80, 0x100))))


def _binary_bytes_problem(data: bytes) -> str | None:
    """Why these bytes are not a text page, or None. Called only when there is no BOM."""
    for magic, what in MAGIC_NUMBERS:
        if data.startswith(magic):
            return f"binary content: this is {what}, not a text or HTML page"
    head = data[:SNIFF_BYTES]
    if b"\x00" in head:
        return (
            "binary content: contains NUL bytes (if it is UTF-16 text without a byte-order mark, "
            "convert it to UTF-8)"
        )
    controls = len(head.translate(None, _TEXT_BYTES))
    if controls > MAX_CONTROL_RATIO * len(head):
        return f"binary content: {controls} control bytes in the first {len(head)} bytes"
    return None


def _binary_text_problem(text: str) -> str | None:
    """The same test on decoded text (str input, or text behind a BOM)."""
    head = text[:SNIFF_BYTES]
    if "\x00" in head:
        return "binary content: contains NUL characters"
    controls = len(head) - len(head.translate(_DELETE_CONTROL_CHARS))  # a C loop, not a Python one
    if controls > MAX_CONTROL_RATIO * len(head):
        return f"binary content: {controls} control characters in the first {len(head)} characters"
    return None


_DELETE_CONTROL_CHARS = dict.fromkeys(_CONTROL_BYTES)

# --- normalisation -------------------------------------------------------------------------------

# Every line separator Unicode knows becomes "\n" (\r\n first so it is one break, not two).
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Spaces of other widths (no-break, thin, ideographic, ...) become a plain space: they only ever
# change rendering, and plain spaces keep tokenisation and search simple.
_ODD_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
# Dropped: C0/C1 controls other than \n and \t, and invisible characters that only split words
# ("Ber\u00adlin" must match "Berlin"): soft hyphen, zero-width space, word joiner, BOM,
# Mongolian vowel separator. Kept: ZWJ/ZWNJ (U+200D/U+200C, meaningful in Persian, Indic
# scripts and emoji) and direction marks (U+200E/U+200F, needed to display right-to-left text).
_DROPPED = "\u00ad\u200b\u2060\ufeff\u180e"
_NORMALISE_TABLE = {
    **{ord(ch): " " for ch in _ODD_SPACES},
    **{cp: None for cp in [*range(0x20), *range(0x7F, 0xA0)] if cp not in (0x09, 0x0A)},
    **{ord(ch): None for ch in _DROPPED},
}
_LONE_SURROGATES = re.compile("[\ud800-\udfff]")
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)
_BLANK_LINE_RUNS = re.compile(r"\n{3,}")


def normalise_text(text: str) -> str:
    """The stored form of a page's text; every span indexes this string.

    Newlines become ``\\n``; NFC; control characters other than ``\\n`` and ``\\t`` and
    word-splitting invisibles are removed; odd spaces become plain spaces; trailing spaces of
    lines are cut; any run of blank lines becomes one blank line (a paragraph break); the whole
    text is stripped. Idempotent: normalising twice changes nothing.
    """
    text = _LINE_BREAKS.sub("\n", text)
    text = unicodedata.normalize("NFC", text)
    text = text.translate(_NORMALISE_TABLE)
    # Lone surrogates (from JSON "\ud800" escapes) cannot be stored as UTF-8.
    text = _LONE_SURROGATES.sub("", text)
    text = _TRAILING_SPACE.sub("", text)
    text = _BLANK_LINE_RUNS.sub("\n\n", text)
    return text.strip()
