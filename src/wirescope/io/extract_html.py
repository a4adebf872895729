"""Article text and metadata from an HTML page, with trafilatura.

The result is one plain text laid out as ``title \\n\\n byline \\n\\n paragraph \\n\\n paragraph ...``
and the segments that index it, so every later span points into exactly this string.

The cascade, cheapest sure step first (measured with ``bench/extraction.py`` on the 181 pages of
the article-extraction-benchmark; figures are body-text F1 there):

1. trafilatura in precision mode, comments off, with metadata: 0.966 (balanced mode 0.962,
   ``fast`` 0.965, ``trafilatura.extract`` defaults 0.953, comments on cost 0.005-0.008).
2. When that body is short, the balanced mode (which adds trafilatura's own baseline and recall
   rescues) is tried and kept if its prose is clearly longer: 0.966 -> 0.971 (4 pages retried,
   1 replaced).
3. A heading repeated as the first paragraph is dropped (the title line already carries it):
   +0.0015 on the benchmark, and no reader sees the headline twice.
4. A body still shorter than ``MIN_ARTICLE_CHARS`` is not an article: ``PageError(no_article)``.

The HTML is parsed as decoded: its mojibake is repaired and its text normalised only in what is
taken out of it (paragraphs, title, byline, site name; ``decoding.clean_text``), which is all that
is ever read, so the returned text is already in the stored normal form. Only the lines holding
mojibake that extraction would destroy (``decoding.fix_fragile_mojibake``) are repaired before.

Cost, as ``wirescope extract`` runs it: 1.46-1.49x the time of ``trafilatura.extract`` with its
defaults (precision mode prunes more; metadata and the language check are extra); ``fast`` (``wirescope
extract --fast``) 1.15-1.16x at F1 0.965 (bench/RESULTS.md 19g).

The page is parsed once (``_page_tree``); its metadata is read from that tree with trafilatura's own
steps less categories, tags and licence, which nothing here reads (``_page_metadata``), and each
extraction pass gets the tree (trafilatura copies a tree it is given before pruning it): the same
output as ``bare_extraction(with_metadata=True)`` on the 181 pages, for about a tenth less time
(bench/RESULTS.md 19g).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wirescope.errors import PageError
from wirescope.io.decoding import clean_text, fix_fragile_mojibake
from wirescope.records import Segment, SegmentKind

if TYPE_CHECKING:
    from lxml.html import HtmlElement
    from trafilatura.settings import Document as TrafilaturaDocument

# --- Tuning constants (measured with bench/extraction.py) ---

# Below this many body characters the precision result is retried in balanced mode (the smallest
# threshold that scores as well: retry as rarely as possible). Measurements: bench/RESULTS.md,
# 'Measurement histories'.
RETRY_BELOW_CHARS = 500
# The balanced result replaces the precision one only when this much longer (slightly longer
# retries carry more boilerplate). Measurements: bench/RESULTS.md, 'Measurement histories'.
RETRY_ACCEPT_RATIO = 1.5
# Only paragraphs at least this long count for accepting the retry: the balanced mode's baseline
# rescue returns a page's link menu ("Section 1", "Section 2", ...) when there is no article.
# Measurements: bench/RESULTS.md, 'Measurement histories'.
RETRY_PROSE_MIN_CHARS = 80
# A body shorter than this is not an article (a menu, a cookie notice, an error page). The
# shortest benchmark article is 369 chars; a two-sentence wire brief is about 150.
MIN_ARTICLE_CHARS = 120
# A first paragraph counts as the heading again when its words are the title's (or the title's
# are its own) and it is at least this share of the other's length: covers "Title | Site" titles.
TITLE_REPEAT_MIN_SHARE = 0.5

PARAGRAPH_SEPARATOR = "\n\n"
_NON_WORD = re.compile(r"\W+")
_SPACES = re.compile(r"\s+")
# The page's declared language, e.g. <html lang="en-GB">; trafilatura only reports a language when
# asked to filter by one. Read from the opening of the page, where the <html> tag is.
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})\b", re.IGNORECASE)
_HTML_LANG_WINDOW = 4096


@dataclass(frozen=True)
class HtmlExtract:
    """An article taken out of an HTML page.

    ``text`` is the title line, the byline line (if any) and the body paragraphs, separated by
    blank lines, repaired and normalised (``normalise_text(text) == text``); ``segments`` (kinds
    ``title``, ``byline``, ``body``) index it exactly.
    """

    text: str
    segments: tuple[Segment, ...]
    title: str | None = None
    published: str | None = None  # ISO date, YYYY-MM-DD
    byline: str | None = None
    site_name: str | None = None
    language: str | None = None


def extract_html(html: str, url: str | None = None, source: str = "<html>", fast: bool = False) -> HtmlExtract:
    """The article of ``html``: text, segments and metadata. Raises PageError(kind="no_article").
    ``fast`` (``Settings.fast_extraction``): trafilatura's fast mode, balanced in the first pass
    (1.15x trafilatura's default time at body F1 0.965, as ``wirescope extract`` runs it: RESULTS 19g)."""
    html = fix_fragile_mojibake(html)
    tree = _page_tree(html)
    metadata = _page_metadata(tree, url) if tree is not None else None
    # trafilatura's own url for the page (its canonical link) where the caller gave none, as
    # bare_extraction with metadata passes it to the extraction.
    page_url = url or (metadata.url if metadata is not None else None)
    document = _bare_extraction(tree, page_url, favor_precision=not fast, fast=fast)
    paragraphs = _paragraphs(document)
    if _length(paragraphs) < RETRY_BELOW_CHARS:
        fallback = _bare_extraction(tree, page_url, favor_precision=False, fast=fast)
        fallback_paragraphs = _paragraphs(fallback)
        if _prose_length(fallback_paragraphs) > RETRY_ACCEPT_RATIO * _length(paragraphs):
            document, paragraphs = fallback, fallback_paragraphs

    if document is None or metadata is None:
        raise PageError(source, "no article text found in HTML (nothing extracted)", kind="no_article")
    title = _one_line(metadata.title)
    if paragraphs and title and _repeats_title(paragraphs[0], title):
        paragraphs = paragraphs[1:]
    body_chars = _length(paragraphs)
    if body_chars < MIN_ARTICLE_CHARS:
        raise PageError(
            source,
            f"no article text found in HTML ({body_chars} characters of body text, "
            f"at least {MIN_ARTICLE_CHARS} expected)",
            kind="no_article",
        )

    byline = _one_line(metadata.author)
    text, segments = _layout(title, byline, paragraphs)
    return HtmlExtract(
        text=text,
        segments=segments,
        title=title,
        published=metadata.date or None,
        byline=byline,
        site_name=_one_line(metadata.sitename),
        language=metadata.language or _declared_language(html),
    )


def _page_tree(html: str) -> HtmlElement | None:
    """The page parsed as trafilatura parses it (None: not HTML it can read)."""
    # Imported here: a text page never needs trafilatura (0.12 s of a worker's start).
    from trafilatura.settings import DEFAULT_CONFIG
    from trafilatura.utils import load_html

    return load_html(html, DEFAULT_CONFIG.getint("DEFAULT", "MAX_FILE_SIZE"))


def _page_metadata(tree: HtmlElement, url: str | None) -> TrafilaturaDocument | None:
    """``trafilatura.metadata.extract_metadata`` as ``bare_extraction`` calls it, step by step, less its
    categories, tags and licence: written out because trafilatura has no switch for them, and they were
    half of its cost (0.48 of 1.0 s CPU on the 181 benchmark pages) for fields nothing here reads.
    None where it fails as trafilatura's would (a TypeError or ValueError: no result for the page)."""
    from courlan import extract_domain
    from htmldate import find_date
    from trafilatura.metadata import (
        examine_meta,
        extract_author,
        extract_meta_json,
        extract_sitename,
        extract_title,
        extract_url,
    )
    from trafilatura.settings import DEFAULT_CONFIG, set_date_params

    try:
        # bare_extraction's date parameters: its Extractor's defaults
        date_config = set_date_params(DEFAULT_CONFIG.getboolean("DEFAULT", "EXTENSIVE_DATE_SEARCH"))
        metadata = examine_meta(tree)
        if metadata.author and " " not in metadata.author:
            metadata.author = None
        # as trafilatura: a bug in its JSON-LD reader leaves the metadata found before
        with contextlib.suppress(Exception):
            metadata = extract_meta_json(tree, metadata)
        if not metadata.title:
            metadata.title = extract_title(tree)
        if not metadata.author:
            metadata.author = extract_author(tree)
        if not metadata.url:
            metadata.url = extract_url(tree, url)
        if metadata.url:
            metadata.hostname = extract_domain(metadata.url, fast=True)
        date_config["url"] = metadata.url
        metadata.date = find_date(tree, **date_config)
        metadata.sitename = _site_name(metadata.sitename or extract_sitename(tree), metadata.url)
        metadata.filedate = date_config.get("max_date")
        metadata.clean_and_trim()
    except (TypeError, ValueError):
        return None
    return metadata


def _site_name(found: str | None, url: str | None) -> str | None:
    """extract_metadata's last word on the site name: a Twitter handle without its "@", a lower-case
    name capitalised, else the name in the page's url."""
    from trafilatura.metadata import META_URL

    if found:
        found = found.lstrip("@")
        if found and "." not in found and not found[0].isupper():
            found = found.title()
        return found
    return matched[1] if url and (matched := META_URL.match(url)) else found


def _bare_extraction(tree: HtmlElement | None, url: str | None, favor_precision: bool, fast: bool = False
                     ) -> TrafilaturaDocument | None:
    """One extraction pass over the page's tree (trafilatura copies it before pruning), no metadata."""
    if tree is None:
        return None
    # Comments are reader posts, not the article (on: F1 -0.005 to -0.008). Tables stay: dropping
    # them cost 0.007 (fixtures, results and figures live in tables). Deduplication cost 0.003
    # (repeated quotes and refrains are article text) and would make the result depend on the
    # pages seen before, which a pure function must not.
    import trafilatura
    from trafilatura.settings import Document as TrafilaturaDocument

    result = trafilatura.bare_extraction(
        tree,
        url=url,
        favor_precision=favor_precision,
        include_comments=False,
        include_tables=True,
        deduplicate=False,
        with_metadata=False,
        fast=fast,
    )
    # bare_extraction returns a dict only when asked with as_dict; the check keeps mypy honest.
    return result if isinstance(result, TrafilaturaDocument) else None


def _paragraphs(document: TrafilaturaDocument | None) -> list[str]:
    """trafilatura's text puts one block (paragraph, heading, list item, table row) per line; each
    comes out repaired and normalised (a block left empty by that is dropped)."""
    if document is None or not document.text:
        return []
    return [block for block in map(clean_text, document.text.split("\n")) if block]


def _length(paragraphs: list[str]) -> int:
    return sum(len(p) for p in paragraphs)


def _prose_length(paragraphs: list[str]) -> int:
    return sum(len(p) for p in paragraphs if len(p) >= RETRY_PROSE_MIN_CHARS)


def _one_line(value: str | None) -> str | None:
    """Metadata repaired, normalised and on one line (titles and author lists may carry newlines);
    empty becomes None."""
    if not value:
        return None
    return _SPACES.sub(" ", clean_text(value)).strip() or None


def _words(value: str) -> str:
    return _NON_WORD.sub(" ", value).strip().casefold()


def _repeats_title(paragraph: str, title: str) -> bool:
    first, heading = _words(paragraph), _words(title)
    if not first or not heading:
        return False
    if first == heading:
        return True
    shorter, longer = sorted((first, heading), key=len)
    return shorter in longer and len(shorter) >= TITLE_REPEAT_MIN_SHARE * len(longer)


def _layout(title: str | None, byline: str | None, paragraphs: list[str]) -> tuple[str, tuple[Segment, ...]]:
    """Join the parts with blank lines, recording each part's span."""
    parts: list[tuple[str, SegmentKind]] = []
    if title:
        parts.append((title, "title"))
    if byline:
        parts.append((byline, "byline"))
    # The body is one segment from its first to its last paragraph, as the text segmenter merges
    # adjacent body lines; paragraph breaks stay visible as blank lines inside it.
    parts.append((PARAGRAPH_SEPARATOR.join(paragraphs), "body"))
    segments: list[Segment] = []
    cursor = 0
    for part, kind in parts:
        segments.append(Segment(cursor, cursor + len(part), kind))
        cursor += len(part) + len(PARAGRAPH_SEPARATOR)
    return PARAGRAPH_SEPARATOR.join(part for part, _ in parts), tuple(segments)


def _declared_language(html: str) -> str | None:
    match = _HTML_LANG.search(html, 0, _HTML_LANG_WINDOW)
    return match.group(1).lower() if match else None
