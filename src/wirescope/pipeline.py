"""The pipeline: a page in, an Analysis out.

    RawPage --prepare_page--> PreparedPage --(one spaCy parse)--> analyze_parsed --> Analysis

``prepare_page`` decodes, normalises, extracts (HTML) or segments (plain text), identifies the
document and its language; it raises ``PageError`` for a page that cannot be used. The parse is
done in batches by ``analyze_pages`` with ``nlp.pipe`` (``n_process=settings.workers``), and every
analyzer reads that one parsed Doc. No hidden state: the same functions run in-process, in a
process pool or on a distributed engine.
"""

from __future__ import annotations

import hashlib
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from spacy.tokens import Doc

from wirescope.analysis.actors import code_actors
from wirescope.analysis.entities import extract_entities
from wirescope.analysis.events.coder import code_events
from wirescope.analysis.framing.spans import find_framing
from wirescope.analysis.nlp import load_nlp
from wirescope.analysis.quotes import extract_quotes
from wirescope.errors import PageError
from wirescope.io.dates import normalise_published
from wirescope.io.decoding import decode_page, normalise_text
from wirescope.io.extract_html import extract_html
from wirescope.io.language import detect_language
from wirescope.records import (
    STATUS_NOT_ANALYSED,
    Analysis,
    ContentType,
    Document,
    RawPage,
    Segment,
)
from wirescope.segment import segment_page
from wirescope.settings import Settings, make_settings

# Segments the analyzers read. Bylines, boilerplate and teasers of other stories are kept and
# stored, but never parsed into this article's entities, quotes or events.
ANALYSED_KINDS = frozenset({"title", "body"})

_NOT_NEWLINE = re.compile(r"[^\n]")
HTML_SNIFF_MARKERS = ("<!doctype html", "<html", "<head", "<body", "<article", "<div", "<p>", "<p ")


@dataclass(frozen=True)
class PreparedPage:
    """A page decoded, normalised and segmented, ready to parse."""

    document: Document
    segments: tuple[Segment, ...]

    @property
    def analysable(self) -> bool:
        return self.document.status != STATUS_NOT_ANALYSED

    def analysed_text(self) -> str:
        """The document text with everything outside title and body blanked to spaces.

        Blanking instead of cutting keeps every character offset of the parse equal to its offset
        in ``document.text``, so no span needs remapping; newlines stay so sentences still split.
        """
        text = self.document.text
        pieces, cursor = [], 0
        for seg in self.segments:  # sorted and non-overlapping
            if seg.kind in ANALYSED_KINDS:
                pieces.append(_NOT_NEWLINE.sub(" ", text[cursor : seg.start]))
                pieces.append(text[seg.start : seg.end])
                cursor = seg.end
        pieces.append(_NOT_NEWLINE.sub(" ", text[cursor:]))
        return "".join(pieces)


def document_id(url: str | None, text: str) -> str:
    """Stable id: the URL when known (fragment dropped), else the normalised text."""
    basis = f"url:{url.split('#', 1)[0].strip()}" if url else f"text:{text}"
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]


def sniff_content_type(text: str) -> ContentType:
    head = text[:2048].lstrip().lower()
    return "html" if any(marker in head for marker in HTML_SNIFF_MARKERS) else "text"


def _remap_segments(raw_text: str, segments: tuple[Segment, ...], text: str) -> tuple[Segment, ...]:
    """Segments of ``raw_text`` moved onto its normalised form ``text`` by finding each piece.

    Needed only when normalisation changed the extractor's output (e.g. an odd space inside a
    paragraph); a piece that cannot be found is dropped rather than pointing at wrong characters.
    """
    out, cursor = [], 0
    for seg in sorted(segments):
        piece = normalise_text(raw_text[seg.start : seg.end])
        found = text.find(piece, cursor) if piece else -1
        if found >= 0:
            out.append(Segment(found, found + len(piece), seg.kind))
            cursor = found + len(piece)
    return tuple(out)


def _first_text(text: str, segments: Iterable[Segment], kind: str) -> str | None:
    pieces = [text[s.start : s.end] for s in segments if s.kind == kind]
    return " ".join(pieces) if pieces else None


def prepare_page(raw: RawPage, settings: Settings) -> PreparedPage:
    """Decode, normalise, extract or segment, identify. Raises PageError with the reason."""
    content_type = raw.content_type
    decoded = decode_page(raw.data, raw.source, settings, content_type, raw.charset)
    content_type = content_type or sniff_content_type(decoded)

    title = raw.title
    published = raw.published
    outlet = raw.outlet
    byline: str | None = None
    if content_type == "html":
        extracted = extract_html(normalise_text(decoded), url=raw.url, source=raw.source)
        text = normalise_text(extracted.text)
        segments = extracted.segments
        if text != extracted.text:
            segments = _remap_segments(extracted.text, segments, text)
        title = title or extracted.title
        published = published or extracted.published
        outlet = outlet or extracted.site_name
        byline = extracted.byline
    else:
        text = normalise_text(decoded)
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
    prepared = PreparedPage(document, tuple(sorted(segments)))
    return _with_language(prepared, settings)


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


def analyze_parsed(prepared: PreparedPage, doc: Doc, settings: Settings | None = None) -> Analysis:
    """Run every analyzer on the one parse of the page."""
    settings = settings or Settings()
    entities = code_actors(doc, extract_entities(doc), published=prepared.document.published)
    quotes = extract_quotes(doc, entities)
    return Analysis(
        document=prepared.document,
        segments=prepared.segments,
        entities=entities,
        quotes=quotes,
        events=code_events(doc, entities, quotes, published=prepared.document.published,
                           coder=settings.event_coder),
        framing=find_framing(doc, entities, quotes, contextual_bias=settings.contextual_bias),
    )


def analyze_pages(
    pages: Iterable[RawPage | PageError],
    settings: Settings,
    skip: Callable[[str], bool] | None = None,
) -> Iterator[Analysis | PageError]:
    """Analyse a stream of pages; failures come out as PageError values, never as exceptions.

    ``skip(document_id)`` lets the caller drop pages it already has before they are parsed.
    Results come out in input order for parsed pages; errors and unparsed pages may come earlier.
    """
    ready: deque[Analysis | PageError] = deque()

    def parse_inputs() -> Iterator[tuple[str, PreparedPage]]:
        for page in pages:
            if isinstance(page, PageError):
                ready.append(page)
                continue
            try:
                prepared = prepare_page(page, settings)
            except PageError as error:
                ready.append(error)
                continue
            if skip is not None and skip(prepared.document.id):
                continue
            if prepared.analysable:
                yield prepared.analysed_text(), prepared
            else:
                ready.append(Analysis(document=prepared.document, segments=prepared.segments))

    if settings.workers > 1 and settings.contextual_bias:
        # The parser processes hold the cores: the contextual bias model, run in this process, gets
        # one thread (with two it spun against them; 200 PolNeAR texts, 2 workers: 2.03x -> 1.76x
        # the bare parse).
        from wirescope.analysis.framing.bias import use_one_thread

        use_one_thread()
    nlp = load_nlp()
    parsed = nlp.pipe(
        parse_inputs(), as_tuples=True, batch_size=settings.batch_size, n_process=settings.workers
    )
    for doc, prepared in parsed:
        while ready:
            yield ready.popleft()
        yield analyze_parsed(prepared, doc, settings)
    while ready:
        yield ready.popleft()


def _read_path(path: Path, settings: Settings) -> RawPage:
    # Imported here: the readers pull in network and archive libraries the text path never needs.
    from wirescope.io.readers import iter_pages

    first = next(iter(iter_pages([str(path)], settings)), None)
    if first is None:
        raise PageError(str(path), "no page found in this input", kind="empty")
    if isinstance(first, PageError):
        raise first
    return first


def analyze(
    page: str | bytes | Path | RawPage,
    url: str | None = None,
    *,
    outlet: str | None = None,
    published: str | None = None,
    title: str | None = None,
    content_type: ContentType | None = None,
    settings: Settings | None = None,
    **setting_overrides: object,
) -> Analysis:
    """Analyse one page: its content (text or HTML, str or bytes), a ``pathlib.Path`` or a RawPage.

    Raises ``PageError`` naming the reason when the page cannot be analysed.
    """
    settings = make_settings(settings, **setting_overrides)
    if isinstance(page, RawPage):
        raw = page
    elif isinstance(page, Path):
        raw = _read_path(page, settings)
    else:
        raw = RawPage(source="<input>", data=page)
    raw = replace(
        raw,
        url=url or raw.url,
        outlet=outlet or raw.outlet,
        published=published or raw.published,
        title=title or raw.title,
        content_type=content_type or raw.content_type,
    )
    prepared = prepare_page(raw, settings)
    if not prepared.analysable:
        return Analysis(document=prepared.document, segments=prepared.segments)
    return analyze_parsed(prepared, load_nlp()(prepared.analysed_text()), settings)
