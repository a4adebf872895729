"""``wirescope extract``: title, metadata and article text of pages, with no parse.

For users who want clean text only: the page is read, decoded, extracted (HTML) or segmented
(plain text) and its language detected exactly as ``analyze`` does before it parses
(``wirescope.prepare``), so offsets and text equal what ``analyze`` stores; spaCy is never loaded.
``--fast`` trades that equality for speed on HTML (``Settings.fast_extraction``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated, Any

import typer

from wirescope.cli.commands import _exit_if_failed, _print_json_lines, _with_page_fields
from wirescope.cli.options import DEFAULT_MAX_MB, DEFAULTS, MaxMbOption, Pages, TimeoutOption, settings_from_flags
from wirescope.errors import PageError
from wirescope.records import Document, RawPage, Segment
from wirescope.settings import Settings


class ExtractFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


def extract(
    pages: Pages,
    output: Annotated[ExtractFormat, typer.Option(
        "--format", help="text: the article text; json: one object per page with metadata and offsets; "
                         "markdown: a title heading, metadata lines and paragraphs.")] = ExtractFormat.text,
    url: Annotated[str | None, typer.Option(help="The page's URL, when extracting one file.")] = None,
    outlet: Annotated[str | None, typer.Option(help="The outlet that published the page.")] = None,
    max_mb: MaxMbOption = DEFAULT_MAX_MB,
    timeout: TimeoutOption = DEFAULTS.timeout_s,
    fast: Annotated[bool, typer.Option(
        "--fast", help="HTML: trafilatura's fast mode, about 1.15x its default time instead of 1.5x (body F1 0.965 "
                       "against 0.971 on the extraction benchmark); the text may then differ from what analyze "
                       "stores.")] = False,
) -> None:
    """Print the title, metadata and article text of pages, without analysing them (no parse)."""
    from dataclasses import replace

    from wirescope.io.readers import iter_pages

    settings = replace(settings_from_flags(max_mb=max_mb, timeout=timeout), fast_extraction=fast)
    failures: list[PageError] = []
    for number, record in enumerate(_extracted(_with_page_fields(iter_pages(pages, settings), url, outlet),
                                               settings, failures)):
        if output is ExtractFormat.json:
            _print_json_lines([record])
            continue
        if number:
            sys.stdout.write("\n")
        sys.stdout.write(as_markdown(record) if output is ExtractFormat.markdown else record["text"] + "\n")
    _exit_if_failed(failures)


def _extracted(pages: Iterator[RawPage | PageError], settings: Settings,
               failures: list[PageError]) -> Iterator[dict[str, Any]]:
    from wirescope.prepare import prepared_or_error

    for page in pages:
        prepared = prepared_or_error(page, settings)
        if isinstance(prepared, PageError):
            failures.append(prepared)
        else:
            yield extract_record(prepared.document, prepared.segments)


def extract_record(document: Document, segments: tuple[Segment, ...]) -> dict[str, Any]:
    """A page's metadata and its article: the body paragraphs' text and their offsets in the
    document text ``analyze`` stores (so a span of one points into the other). Bylines,
    boilerplate and other stories' teasers are left out, as ``analyze`` leaves them out of its parse."""
    body = [s for s in segments if s.kind == "body"]
    return {
        "id": document.id,
        "source": document.source,
        "url": document.url,
        "outlet": document.outlet,
        "title": document.title,
        "published": document.published,
        "byline": document.byline,
        "language": document.language,
        "status_reason": document.status_reason,
        "text": "\n\n".join(document.text[s.start:s.end].strip() for s in body),
        "paragraphs": [{"start": s.start, "end": s.end} for s in body],
    }


def as_markdown(record: dict[str, Any]) -> str:
    lines = [f"# {record['title']}" if record["title"] else "# (no title)", ""]
    for label in ("outlet", "published", "byline", "url"):
        if record[label]:
            lines.append(f"- {label}: {record[label]}")
    if len(lines) > 2:
        lines.append("")
    return "\n".join(lines) + record["text"] + "\n"


def register(app: typer.Typer) -> None:
    app.command()(extract)
