"""The pipeline: a page in, an Analysis out.

    RawPage --prepare_page--> PreparedPage --(one spaCy parse)--> analyze_parsed --> Analysis

``prepare_page`` decodes, normalises, extracts (HTML) or segments (plain text), identifies the
document and its language; it raises ``PageError`` for a page that cannot be used. The parse is
done in batches by ``analyze_pages`` with ``nlp.pipe`` (``n_process=settings.workers``), and every
analyzer reads that one parsed Doc. No hidden state: the same functions run in-process, in a
process pool or on a distributed engine.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import fields, is_dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from wirescope.analysis.actors import code_actors
from wirescope.analysis.entities import extract_entities
from wirescope.analysis.events.coder import code_events
from wirescope.analysis.framing.spans import find_framing
from wirescope.analysis.framing.tone import document_tones
from wirescope.analysis.nlp import doc_text, load_nlp
from wirescope.analysis.places import PlaceContext, domain_country, main_places
from wirescope.analysis.quotes import extract_quotes
from wirescope.analysis.when import find_time_expressions
from wirescope.analysis.where_when import article_day, date_and_locate, dateline_places, place_entities
from wirescope.errors import PageError, internal_error
from wirescope.prepare import PreparedPage, prepare_page, prepared_or_error
from wirescope.records import (
    Analysis,
    ContentType,
    RawPage,
    outlet_name,
)
from wirescope.runner import analyze_pages as analyze_pages  # the pipeline's entry point for many pages
from wirescope.settings import Settings, make_settings

# Texts longer than this are parsed in pieces of about this size (``parse``).
PARSE_PIECE_CHARS = 20_000


def page_countries(settings: Settings, outlet: str | None, url: str | None) -> tuple[str, ...]:
    """The countries a page is likely about: its outlet's, learned from the store or stated by the
    user (``Settings.place_countries``), else the country of its site's domain ("lfpress.ca": CA)."""
    stated = settings.place_countries(outlet_name(outlet, url))
    if stated:
        return stated
    site = domain_country(url or outlet)
    return (site,) if site else ()


def analyze_parsed(prepared: PreparedPage, doc: Doc, settings: Settings | None = None) -> Analysis:
    """Run every analyzer on the one parse of the page."""
    settings = settings or Settings()
    document = prepared.document
    published = document.published
    places = PlaceContext(names=dateline_places(document.text, prepared.segments),
                          countries=page_countries(settings, document.outlet, document.url))
    entities = place_entities(code_actors(doc, extract_entities(doc), published=published), places)
    sentences = [(sent.start_char, sent.end_char) for sent in doc.sents]
    entities, tone = document_tones(doc_text(doc), sentences, entities)
    quotes = extract_quotes(doc, entities)
    times = tuple(find_time_expressions(doc, article_day(published)))
    events = code_events(doc, entities, quotes, published=published, coder=settings.event_coder,
                         floor=settings.event_min_confidence)
    located = {entity.id: entity.place for entity in entities if entity.place is not None}
    analysis = Analysis(
        document=replace(document, tone=tone, places=tuple(main_places(entities, located))),
        segments=prepared.segments,
        entities=entities,
        quotes=quotes,
        events=date_and_locate(events, entities, times, published, doc),
        framing=find_framing(doc, entities, quotes, contextual_bias=settings.contextual_bias),
        times=times,
    )
    text, analysed = document.text, doc_text(doc)
    if analysed == text[: len(analysed)]:
        return analysis
    # The analysers read blanked stretches (other segments, chunks too long to parse) as spaces; a
    # span over one (a sentence with a long URL) takes its text back from the stored page.
    return replace(analysis, **{name: _restored(getattr(analysis, name), text, analysed)
                                for name in ("entities", "quotes", "events", "framing", "times")})


@cache
def _field_names(record_type: type) -> tuple[str, ...]:
    # dataclasses.fields() builds its answer on every call; _restored asks it for every record.
    return tuple(f.name for f in fields(record_type))


def _restored(value: Any, text: str, analysed: str) -> Any:
    """``value`` (a record, or a tuple of them) with each span's ``text`` read from ``text``
    where it was read from the blanked ``analysed`` text instead."""
    # Unchanged values come back as themselves, so that only records with a restored span are rebuilt.
    if isinstance(value, tuple):
        items = tuple(_restored(item, text, analysed) for item in value)
        return value if all(new is old for new, old in zip(items, value, strict=True)) else items
    if not is_dataclass(value) or isinstance(value, type):
        return value
    changes = {}
    for name in _field_names(type(value)):
        inner = getattr(value, name)
        if isinstance(inner, tuple) or is_dataclass(inner):
            restored = _restored(inner, text, analysed)
            if restored is not inner:
                changes[name] = restored
    start, end, covered = (getattr(value, name, None) for name in ("start", "end", "text"))
    if (isinstance(start, int) and isinstance(end, int) and isinstance(covered, str)
            and covered == analysed[start:end] and covered != text[start:end]):
        changes["text"] = text[start:end]
    return replace(value, **changes) if changes else value


def analyze_page(page: RawPage, settings: Settings, skip: Callable[[str], bool] | None = None
                 ) -> Analysis | PageError | None:
    """One page prepared, parsed and analysed in this process; None when ``skip`` drops it.

    Every failure comes back as a PageError naming the page, an analyser's own included: one page
    must never end a batch.
    """
    return next(analyze_page_batch([page], settings, skip))[1]


def analyze_page_batch(pages: Sequence[RawPage], settings: Settings, skip: Callable[[str], bool] | None = None
                       ) -> Iterator[tuple[int, Analysis | PageError | None]]:
    """``analyze_page`` for each of ``pages``, as (index in ``pages``, result) pairs in no fixed order.

    The pages short enough to parse whole are parsed together with ``nlp.pipe``: spaCy parses a batch
    in about 10% less time than the same texts one call each, with identical parses (bench/RESULTS.md,
    section 15e). Their results come first; each longer page is then parsed alone, in pieces
    (``parse``). A failure stays with its page, as in ``analyze_page``.
    """
    whole: list[tuple[int, PreparedPage, str]] = []
    long: list[tuple[int, PreparedPage]] = []
    for index, page in enumerate(pages):
        prepared = _to_parse(page, settings, skip)
        if not isinstance(prepared, PreparedPage):
            yield index, prepared
        elif len(text := prepared.analysed_text()) <= PARSE_PIECE_CHARS:
            whole.append((index, prepared, text))
        else:
            long.append((index, prepared))
    docs = _parsed_together([text for _, _, text in whole])
    for (index, prepared, _), doc in zip(whole, docs, strict=True):
        yield index, _analysed(pages[index].source, prepared, doc, settings)
    for index, prepared in long:
        yield index, _analysed(pages[index].source, prepared, None, settings)


def _to_parse(page: RawPage | PageError, settings: Settings, skip: Callable[[str], bool] | None
              ) -> PreparedPage | Analysis | PageError | None:
    """The page prepared for its parse, or what it gives without one: its PageError, None when ``skip``
    drops it, its Analysis with no records when it is not analysable (another language)."""
    prepared = prepared_or_error(page, settings)
    if isinstance(prepared, PageError):
        return prepared
    if skip is not None and skip(prepared.document.id):
        return None
    if not prepared.analysable:
        return Analysis(document=prepared.document, segments=prepared.segments)
    return prepared


def _parsed_together(texts: list[str]) -> list[Doc | None]:
    """The parses of ``texts`` (none longer than PARSE_PIECE_CHARS) from one ``nlp.pipe``; should the
    batch fail, None for each, so that each page is parsed alone and only the one at fault fails."""
    try:
        return list(load_nlp().pipe(texts, batch_size=max(1, len(texts))))
    except Exception:  # which text failed is unknown: _analysed parses each again on its own
        return [None] * len(texts)


def _analysed(source: str, prepared: PreparedPage, doc: Doc | None, settings: Settings) -> Analysis | PageError:
    """``analyze_parsed`` of the page read from ``source``, or the PageError naming it. ``doc``: its
    parse, or None to parse it here (alone, in pieces when it is long)."""
    try:
        return analyze_parsed(prepared, doc if doc is not None else parse(prepared.analysed_text(), settings),
                              settings)
    except PageError as error:
        return error
    except Exception as error:  # reported with the page: one page must never end a batch
        return internal_error(source, error)


def parse(text: str, settings: Settings) -> Doc:
    """The one spaCy parse of a page's analysed text (at most ``settings.max_chars`` characters).

    A long text is parsed in pieces cut after a line end (or a space), joined back into one Doc
    with the same text: the parser's memory grows with the length of what it is given at once
    (200,000 characters: 760 MB more in one piece, 95 MB in pieces of 20,000, and half the time).
    """
    nlp = load_nlp()
    # spaCy refuses texts over its max_length (1,000,000); the analysed text is bounded by
    # settings.max_chars instead, which a user may raise past it.
    nlp.max_length = max(nlp.max_length, PARSE_PIECE_CHARS + 1)
    if len(text) <= PARSE_PIECE_CHARS:
        return nlp(text)
    # One piece at a time: nlp.pipe would hold a whole batch of pieces in memory at once.
    # ensure_whitespace adds nothing here: every piece but the last ends with whitespace.
    doc = Doc.from_docs([nlp(piece) for piece in parse_pieces(text, PARSE_PIECE_CHARS)], ensure_whitespace=True)
    assert doc.text == text, "the pieces of a long text must join back into the same text"
    return doc


def parse_pieces(text: str, size: int) -> Iterator[str]:
    """``text`` cut into pieces of at most about ``size`` characters, each after a line end when
    there is one in its second half, else after a space, else at ``size``."""
    start = 0
    while len(text) - start > size:
        end = start + size
        cut = text.rfind("\n", start + size // 2, end)
        if cut < 0:
            cut = max(text.rfind(" ", start + size // 2, end), text.rfind("\t", start + size // 2, end))
        cut = cut + 1 if cut >= 0 else end
        yield text[start:cut]
        start = cut
    yield text[start:]


# A short page analysed when a worker starts, so that every lazily loaded resource (gazetteer,
# lexicons, event triggers, bias and event models) is in memory before the first real page.
WARM_UP_PAGE = (
    "Harbour talks resume in Calderon\n\n"
    "Negotiators for the Calderon Dockworkers Union met the port operators on Monday to discuss pay. "
    "\"We came back because our members cannot wait,\" union chair Marta Ilves told reporters. "
    "The operators said they had offered a raise and warned that a longer strike would hurt exporters.\n"
)


def warm_up(settings: Settings | None = None) -> None:
    """Load the spaCy model and every resource by analysing ``WARM_UP_PAGE``. What the page does
    not reach (lemminflect's table for a loaded verb, the contextual bias stage for an unsure
    sentence) loads on first use: preloading it here cost a one-page ``analyze`` 0.4 s (section 19c)."""
    result = analyze_page(RawPage("<warm-up>", WARM_UP_PAGE, content_type="text"), settings or Settings())
    if isinstance(result, PageError):
        raise result


def analyze_pages_here(
    pages: Iterable[RawPage | PageError],
    settings: Settings,
    skip: Callable[[str], bool] | None = None,
) -> Iterator[Analysis | PageError]:
    """``analyze_pages`` in this process: the parse batched with ``nlp.pipe`` (``n_process=settings.workers``),
    no time budget. As in the page workers, a page longer than PARSE_PIECE_CHARS is parsed alone, in
    pieces (``parse``), and an analyser failing on a page gives that page's PageError. Results come out
    in input order for the pages parsed together; errors, unparsed pages and long pages may come earlier.
    """
    ready: deque[Analysis | PageError] = deque()

    def parse_inputs() -> Iterator[tuple[str, tuple[str, PreparedPage]]]:
        for page in pages:
            prepared = _to_parse(page, settings, skip)
            if prepared is None:
                continue
            if not isinstance(prepared, PreparedPage):
                ready.append(prepared)
            elif len(text := prepared.analysed_text()) > PARSE_PIECE_CHARS:
                ready.append(_analysed(page.source, prepared, None, settings))
            else:
                yield text, (page.source, prepared)

    nlp = load_nlp()
    nlp.max_length = max(nlp.max_length, PARSE_PIECE_CHARS + 1)
    parsed = nlp.pipe(
        parse_inputs(), as_tuples=True, batch_size=settings.batch_size, n_process=settings.workers
    )
    for doc, (source, prepared) in parsed:
        while ready:
            yield ready.popleft()
        yield _analysed(source, prepared, doc, settings)
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
    return analyze_parsed(prepared, parse(prepared.analysed_text(), settings), settings)
