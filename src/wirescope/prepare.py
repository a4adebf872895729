"""Page preparation: a raw page decoded, normalised, extracted or segmented, identified and its
language detected, ready to parse. No parse here (and no spaCy import): ``wirescope extract`` and the
page checks run on this alone; ``wirescope.pipeline`` parses what it prepares.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from wirescope.errors import PageError, internal_error
from wirescope.io.dates import normalise_published
from wirescope.io.decoding import clean_text, decode_page
from wirescope.io.extract_html import HtmlExtract, extract_html
from wirescope.io.language import detect_language
from wirescope.io.page_checks import (
    PARSER_MAX_DEPTH,
    blank_long_chunks,
    count_elements,
    exceeds_parser_depth,
)
from wirescope.records import (
    STATUS_NOT_ANALYSED,
    ContentType,
    Document,
    RawPage,
    Segment,
)
from wirescope.segment import segment_page
from wirescope.settings import Settings

# Segments the analyzers read. Bylines, boilerplate and teasers of other stories are kept and
# stored, but never parsed into this article's entities, quotes or events.
ANALYSED_KINDS = frozenset({"title", "body"})

_NOT_NEWLINE = re.compile(r"[^\n]")
# A cut for Settings.max_chars is made at the last sentence end within this many characters of it.
SENTENCE_END_SEARCH_CHARS = 5_000
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+|\n")
HTML_SNIFF_MARKERS = ("<!doctype html", "<html", "<head", "<body", "<article", "<div", "<p>", "<p ")


@dataclass(frozen=True)
class PreparedPage:
    """A page decoded, normalised and segmented, ready to parse.

    ``analysed_end``: the analysers read the text up to this offset (``Settings.max_chars``).
    """

    document: Document
    segments: tuple[Segment, ...]
    analysed_end: int | None = None

    @property
    def analysable(self) -> bool:
        return self.document.status != STATUS_NOT_ANALYSED

    def analysed_text(self) -> str:
        """The document text up to ``analysed_end``, everything outside title and body blanked.

        Blanking instead of cutting keeps every character offset of the parse equal to its offset
        in ``document.text``, so no span needs remapping; newlines stay so sentences still split.
        Whitespace-free chunks too long for any word are blanked as well (``page_checks``).
        """
        text = self.document.text[: self.analysed_end]
        pieces, cursor = [], 0
        for seg in self.segments:  # sorted and non-overlapping
            if seg.kind in ANALYSED_KINDS and seg.start < len(text):
                pieces.append(_NOT_NEWLINE.sub(" ", text[cursor : seg.start]))
                pieces.append(text[seg.start : seg.end])
                cursor = min(seg.end, len(text))
        pieces.append(_NOT_NEWLINE.sub(" ", text[cursor:]))
        return blank_long_chunks("".join(pieces))[0]


def document_id(url: str | None, text: str) -> str:
    """Stable id: the URL when known (fragment dropped), else the normalised text."""
    basis = f"url:{url.split('#', 1)[0].strip()}" if url else f"text:{text}"
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]


def sniff_content_type(text: str) -> ContentType:
    head = text[:2048].lstrip().lower()
    return "html" if any(marker in head for marker in HTML_SNIFF_MARKERS) else "text"


def _first_text(text: str, segments: Iterable[Segment], kind: str) -> str | None:
    pieces = [text[s.start : s.end] for s in segments if s.kind == kind]
    return " ".join(pieces) if pieces else None


def prepare_page(raw: RawPage, settings: Settings) -> PreparedPage:
    """Decode, normalise, extract or segment, identify. Raises PageError with the reason."""
    content_type = raw.content_type
    # Repaired below: a text page whole (clean_text), an HTML page only in what extract_html takes out.
    decoded = decode_page(raw.data, raw.source, settings, content_type, raw.charset, repair=False)
    content_type = content_type or sniff_content_type(decoded)

    title = raw.title
    published = raw.published
    outlet = raw.outlet
    byline: str | None = None
    if content_type == "html":
        extracted = _extract(decoded, raw, settings)
        text, segments = extracted.text, extracted.segments  # already repaired and normalised
        title = title or extracted.title
        published = published or extracted.published
        outlet = outlet or extracted.site_name
        byline = extracted.byline
    else:
        text = clean_text(decoded)
        segments = tuple(segment_page(text))
        title = title or _first_text(text, segments, "title")
        byline = _first_text(text, segments, "byline")

    if not any(s.kind == "body" for s in segments):
        raise PageError(raw.source, "no article body found on the page", kind="no_article")

    document = Document(
        id=document_id(raw.url, text),
        text=text,
        url=raw.url,
        outlet=outlet,
        title=title,
        published=normalise_published(published),
        published_raw=published,
        byline=byline,
        source=raw.source,
        content_type=content_type,
    )
    end = analysis_end(text, settings.max_chars)
    if end is not None:
        document = replace(document, status_reason=(
            f"analysed the first {end:,} of {len(text):,} characters: the page is longer than the analysis "
            f"limit of {settings.max_chars:,} (Settings.max_chars); the whole text is stored"))
    prepared = PreparedPage(document, tuple(sorted(segments)), end)
    return _with_language(prepared, settings)


def prepared_or_error(page: RawPage | PageError, settings: Settings) -> PreparedPage | PageError:
    """``prepare_page`` for a stream of pages where a failure is a value, never raised (a reader's
    error passes through)."""
    if isinstance(page, PageError):
        return page
    try:
        return prepare_page(page, settings)
    except PageError as error:
        return error
    except Exception as error:  # a bug met on one page must not end the batch: reported with the page
        return internal_error(page.source, error)


def _extract(decoded: str, raw: RawPage, settings: Settings) -> HtmlExtract:
    """``extract_html`` behind the checks that keep pathological HTML out of it (``page_checks``)."""
    elements = count_elements(decoded)
    if elements > settings.max_html_elements:
        raise PageError(raw.source, f"the HTML has {elements:,} elements, more than the limit of "
                        f"{settings.max_html_elements:,} (Settings.max_html_elements): not a news page, "
                        "and too costly to extract", kind="too_complex")
    try:
        return extract_html(decoded, url=raw.url, source=raw.source, fast=settings.fast_extraction)
    except PageError as error:
        if error.kind == "no_article" and exceeds_parser_depth(decoded):
            raise PageError(raw.source, f"the HTML nests elements deeper than the parser's limit of "
                            f"{PARSER_MAX_DEPTH}: the page is cut off there, and no article text came before "
                            "the cut", kind="too_deep") from error
        raise


def analysis_end(text: str, max_chars: int) -> int | None:
    """Where the analysis of a text longer than ``max_chars`` stops; None for a text within it.

    The last sentence end (or line break) in the closing stretch before the limit, so that no
    sentence is parsed in half; the limit itself when that stretch has none.
    """
    if len(text) <= max_chars:
        return None
    start = max(0, max_chars - SENTENCE_END_SEARCH_CHARS)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, start, max_chars)]
    return ends[-1] if ends else max_chars


def _with_language(prepared: PreparedPage, settings: Settings) -> PreparedPage:
    """Detect the language on title + body; pages in other languages are kept, not analysed."""
    analysed = " ".join(
        prepared.document.text[s.start : s.end] for s in prepared.segments if s.kind in ANALYSED_KINDS
    )
    guess = detect_language(analysed, default=settings.languages[0])
    document = replace(prepared.document, language=guess.code)
    if guess.code not in settings.languages:
        reason = (
            f"not analysed: language detected as '{guess.code}' (confidence {guess.confidence:.2f}); "
            f"analysed languages: {', '.join(settings.languages)}"
        )
        document = replace(document, status=STATUS_NOT_ANALYSED, status_reason=reason)
    return replace(prepared, document=document)
