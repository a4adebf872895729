"""The ``wirescope`` command line (Typer + Rich).

Commands are thin: they parse and validate options, map them onto one ``Settings`` through
``settings_from_flags`` (defaults from ``Settings()``), call one library function and print its result.
Exit codes: 0 all good; 1 some page failed (the rest was processed); 2 bad usage; 3 store error.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from wirescope import __version__
from wirescope.cli.options import (
    DEFAULT_DB,
    DEFAULT_MAX_MB,
    DEFAULTS,
    BatchOption,
    DbOption,
    FastBiasOption,
    HomeCountryOption,
    MaxCharsOption,
    MaxMbOption,
    MinEventConfidenceOption,
    Pages,
    PageTimeoutOption,
    PublishedSinceOption,
    PublishedUntilOption,
    ReanalyseOption,
    RulesEventsOption,
    TimeoutOption,
    WorkersOption,
    settings_from_flags,
)
from wirescope.cli.summary import documents_table, events_list_table, quotes_table, render_analysis
from wirescope.cli.text import markup_safe, plain
from wirescope.errors import PageError, StoreError
from wirescope.records import Analysis, RawPage
from wirescope.settings import Settings
from wirescope.storage.store import EXPORT_FORMATS, Store

if TYPE_CHECKING:
    from wirescope.storage.event_places import Box
    from wirescope.storage.facets import DocumentSearch

EXIT_PAGE_FAILED = 1
EXIT_USAGE = 2
EXIT_STORE_ERROR = 3

app = typer.Typer(
    help="wirescope: turn raw news pages into structured, verifiable records.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
err_console = Console(stderr=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print the wirescope/analysis@1 JSON.")]


# -- shared steps ---------------------------------------------------------------------------------
def _print_error(message: str) -> None:
    err_console.print(f"[red]error:[/red] {markup_safe(message)}", soft_wrap=True, highlight=False)


def _print_failures(failures: list[PageError]) -> None:
    # One line per failure, never wrapped: the input name must stay whole to be copied or grepped, and
    # a newline or escape sequence in it is shown escaped, never forging a line or recolouring one.
    err_console.print(f"[bold red]{len(failures)} page(s) failed:[/bold red]")
    for failure in failures:
        err_console.print(f"  {markup_safe(failure.source)}  [red]{markup_safe(failure.kind)}[/red]  "
                          f"{markup_safe(failure.reason)}", soft_wrap=True, markup=True, highlight=False)


def _exit_if_failed(failures: list[PageError]) -> None:
    if failures:
        _print_failures(failures)
        raise typer.Exit(EXIT_PAGE_FAILED)


# json.dumps escapes C0 controls but, with ensure_ascii=False, writes DEL and C1 controls (U+009B is a
# terminal's CSI) as they are; inside a JSON string a \u escape of them reads back the same.
_JSON_CONTROL_ESCAPES = {code: f"\\u{code:04x}" for code in (0x7F, *range(0x80, 0xA0))}


def _print_json_lines(records: Iterable[dict[str, Any]]) -> None:
    for record in records:
        sys.stdout.write(json.dumps(record, ensure_ascii=False).translate(_JSON_CONTROL_ESCAPES) + "\n")


def _open_store(db: Path, read_only: bool = True, store_batches: bool = False) -> Store:
    """The database, or, while a `wirescope serve` holds it, a Store that goes through that server
    for reads (and for batches of analyses with ``store_batches``); other writes are refused there
    with a message saying what to do."""
    from wirescope.storage.remote import open_store

    try:
        return open_store(db, read_only, through_server=read_only or store_batches)
    except StoreError as error:
        _print_error(str(error))
        raise typer.Exit(EXIT_STORE_ERROR) from error


def _with_page_fields(pages: Iterable[RawPage | PageError], url: str | None,
                      outlet: str | None) -> Iterator[RawPage | PageError]:
    """The pages with the URL and outlet given on the command line in place of their own."""
    from dataclasses import replace

    for page in pages:
        if isinstance(page, PageError) or not (url or outlet):
            yield page
        else:
            yield replace(page, url=url or page.url, outlet=outlet or page.outlet)


def _store_results(db: Path, analyses: list[Analysis], failures: list[PageError], settings: Settings) -> None:
    """What `analyze --db` stores: the analyses and failures, each new document put in a story."""
    from wirescope.stories.intake import store_analyses

    with _open_store(db, read_only=False, store_batches=True) as store:
        store_analyses(store, analyses, failures, settings)


# -- analysing pages ------------------------------------------------------------------------------
@app.command()
def analyze(
    pages: Pages,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print the wirescope/analysis@1 JSON (one object per line for several pages).")] = False,
    url: Annotated[str | None, typer.Option(help="The page's URL, when analysing one file.")] = None,
    outlet: Annotated[str | None, typer.Option(help="The outlet that published the page.")] = None,
    db: Annotated[Path | None, typer.Option("--db", help="Also store the results in this DuckDB file.")] = None,
    workers: WorkersOption = DEFAULTS.workers,
    batch_size: BatchOption = DEFAULTS.batch_size,
    max_mb: MaxMbOption = DEFAULT_MAX_MB,
    timeout: TimeoutOption = DEFAULTS.timeout_s,
    fast_bias: FastBiasOption = not DEFAULTS.contextual_bias,
    rules_events: RulesEventsOption = False,
    page_timeout: PageTimeoutOption = DEFAULTS.page_timeout_s,
    max_chars: MaxCharsOption = DEFAULTS.max_chars,
    min_event_confidence: MinEventConfidenceOption = None,
    home_country: HomeCountryOption = None,
) -> None:
    """Analyse pages and print a readable summary (or the JSON contract with --json)."""
    # Imported here so that `wirescope --help` does not pay for loading spaCy.
    from wirescope.runner import analyze_pages, shared_runner

    settings = settings_from_flags(workers, batch_size, max_mb, timeout, fast_bias=fast_bias,
                                   rules_events=rules_events, page_timeout=page_timeout, max_chars=max_chars,
                                   min_event_confidence=min_event_confidence, home_country=home_country)
    if settings.page_timeout_s > 0:
        shared_runner(settings.workers)  # the workers load the models while this process reads the pages
    from wirescope.io.readers import iter_pages

    failures: list[PageError] = []
    analyses: list[Analysis] = []
    for result in analyze_pages(_with_page_fields(iter_pages(pages, settings), url, outlet), settings):
        if isinstance(result, PageError):
            failures.append(result)
        elif as_json:
            analyses.append(result)
            _print_json_lines([result.to_dict()])
        else:
            analyses.append(result)
            render_analysis(result, console)
    if db is not None and (analyses or failures):
        _store_results(db, analyses, failures, settings)
    _exit_if_failed(failures)


def _ingest_progress(quiet: bool) -> Progress:
    return Progress(
        SpinnerColumn(), TextColumn("[bold]ingest[/bold]"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[status]}"), TimeElapsedColumn(),
        console=err_console, disable=quiet, transient=False,
    )


@app.command()
def ingest(
    pages: Pages,
    db: DbOption = DEFAULT_DB,
    workers: WorkersOption = DEFAULTS.workers,
    batch_size: BatchOption = DEFAULTS.batch_size,
    max_mb: MaxMbOption = DEFAULT_MAX_MB,
    timeout: TimeoutOption = DEFAULTS.timeout_s,
    reanalyse: ReanalyseOption = DEFAULTS.reanalyse,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    fast_bias: FastBiasOption = not DEFAULTS.contextual_bias,
    rules_events: RulesEventsOption = False,
    page_timeout: PageTimeoutOption = DEFAULTS.page_timeout_s,
    max_chars: MaxCharsOption = DEFAULTS.max_chars,
    min_event_confidence: MinEventConfidenceOption = None,
    home_country: HomeCountryOption = None,
) -> None:
    """Analyse pages and store them in a DuckDB file; stored pages are skipped on a re-run."""
    from wirescope.ingest import ingest as run_ingest  # loads spaCy: not needed for --help

    settings = settings_from_flags(workers, batch_size, max_mb, timeout, reanalyse, fast_bias, rules_events,
                                   page_timeout, max_chars, min_event_confidence, home_country)
    with _ingest_progress(quiet) as progress:
        task = progress.add_task("ingest", total=None, status="")
        done = {"ok": 0, "failed": 0}

        def on_result(result: Analysis | PageError) -> None:
            done["failed" if isinstance(result, PageError) else "ok"] += 1
            progress.update(task, advance=1, status=f"{done['ok']} analysed, {done['failed']} failed")

        try:
            report = run_ingest(pages, db, settings, on_result=on_result)
        except StoreError as error:
            _print_error(str(error))
            raise typer.Exit(EXIT_STORE_ERROR) from error
    console.print(
        f"[bold]{markup_safe(db)}[/bold]: {report.stored} stored, {report.replaced} re-analysed, "
        f"{report.skipped} already stored, {report.not_analysed} not analysed (language), "
        f"{len(report.failed)} failed"
    )
    if report.grouped:
        console.print(f"{report.grouped} new document(s) grouped into stories (see `wirescope stories`)")
    _exit_if_failed(report.failed)


@app.command()
def neutral(
    pages: Pages,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per page: original, neutral, "
                                                         "substitutions and framing summary.")] = False,
    max_mb: MaxMbOption = DEFAULT_MAX_MB,
    timeout: TimeoutOption = DEFAULTS.timeout_s,
    page_timeout: PageTimeoutOption = DEFAULTS.page_timeout_s,
) -> None:
    """Print the article next to its neutral reading (outlet-voice loaded labels and attribution verbs
    replaced)."""
    from wirescope.analysis.framing.summary import neutral_reading, original_reading
    from wirescope.cli.summary import neutral_payload, render_neutral
    from wirescope.io.readers import iter_pages
    from wirescope.pipeline import analyze_pages

    settings = settings_from_flags(max_mb=max_mb, timeout=timeout, page_timeout=page_timeout)
    failures: list[PageError] = []
    for result in analyze_pages(iter_pages(pages, settings), settings):
        if isinstance(result, PageError):
            failures.append(result)
        elif as_json:
            _print_json_lines([neutral_payload(result)])
        else:
            render_neutral(result, original_reading(result), neutral_reading(result), console)
    _exit_if_failed(failures)


# -- reading the store ----------------------------------------------------------------------------
@app.command()
def show(
    doc_id: Annotated[str, typer.Argument(help="Document id or a unique prefix of it.")],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Show one stored document's analysis."""
    with _open_store(db) as store:
        analysis = store.get_analysis(doc_id)
    if analysis is None:
        _print_error(f"no document with id or unique prefix {doc_id!r} in {db}")
        raise typer.Exit(EXIT_PAGE_FAILED)
    if as_json:
        _print_json_lines([analysis.to_dict()])
    else:
        render_analysis(analysis, console)


@app.command()
def documents(
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option(min=1, help="How many, most recently stored first.")] = 50,
    country: Annotated[str | None, typer.Option(
        "--country", help="Only documents with a resolved place (an entity's place or an event's location) "
                          "in this country: ISO alpha-2 or alpha-3 (FR, FRA), any case.")] = None,
    bbox: Annotated[str | None, typer.Option(
        "--bbox", help="Only documents with a resolved place inside west,south,east,north (degrees).")] = None,
    since: PublishedSinceOption = None,
    until: PublishedUntilOption = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help="One JSON object per document: id, title, outlet, published (null: undated), "
                       "language, status, source, stored_at.")] = False,
) -> None:
    """List stored documents, or those with a place in a country or a box, or published in a date range."""
    search = _document_search(country, bbox, _iso_date("--since", since), _iso_date("--until", until))
    with _open_store(db) as store:
        counts = store.counts()
        if search is None:
            rows, total = store.list_documents(limit), counts["documents"]
        else:
            from wirescope.storage.facets import list_documents

            rows, total = list_documents(store.con, search, limit)
    if as_json:
        _print_json_lines(rows)
        return
    title = f"{counts['documents']} documents in {db}" if search is None else \
        f"{total} of {counts['documents']} documents in {db} match"
    console.print(documents_table(rows, title=title))


def _document_search(country: str | None, bbox: str | None, since: date | None,
                     until: date | None) -> DocumentSearch | None:
    """The filters of `wirescope documents` (None: none given); a malformed one is a usage error."""
    from wirescope.storage.facets import DocumentSearch

    if not (country or bbox or since or until):
        return None
    code, box = _place_options(country, bbox)
    return DocumentSearch(since=since, until=until, country=code, box=box)


def _place_options(country: str | None, bbox: str | None) -> tuple[str | None, Box | None]:
    """``--country`` and ``--bbox`` read as the API reads them; a malformed one is a usage error."""
    from wirescope.storage.event_places import PlaceFilterError, parse_place

    try:
        return parse_place(country, bbox)
    except PlaceFilterError as error:
        raise typer.BadParameter(str(error), param_hint=f"--{error.parameter}") from error


@app.command()
def quotes(
    db: DbOption = DEFAULT_DB,
    speaker: Annotated[str | None, typer.Option(
        "--speaker", help="Only quotes whose speaker name or text contains this (any case), "
                          "or whose speaker is this actor id (person:donald-trump).")] = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help="One JSON object per quote: doc_id plus the analysis@1 quote fields.")] = False,
) -> None:
    """List who said what across the stored documents, each quote with its character span."""
    with _open_store(db) as store:
        found = store.list_quotes(speaker=speaker)
    if as_json:
        _print_json_lines({"doc_id": doc_id, **quote.to_dict()} for doc_id, quote in found)
        return
    console.print(quotes_table(found, title=f"{len(found)} quotes in {db}"))


def _iso_date(option: str, value: str | None) -> date | None:
    """The day an ISO date option names (a time after it is ignored); a bad one is a usage error."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        _print_error(f"{option} takes an ISO date (YYYY-MM-DD), not {value!r}")
        raise typer.Exit(EXIT_USAGE) from None


@app.command()
def events(
    db: DbOption = DEFAULT_DB,
    actor: Annotated[str | None, typer.Option("--actor", help=(
        "Only events with an actor or recipient whose code starts with this (ISR, USAGOV), "
        "whose name contains it (any case), or that is the actor it names: an actor id "
        "(person:donald-trump) or an actor's name or alias, whole."))] = None,
    event_type: Annotated[str | None, typer.Option(
        "--type", help="Only this PLOVER type (THREATEN, DEMAND, ...).")] = None,
    since: PublishedSinceOption = None,
    until: PublishedUntilOption = None,
    doc_id: Annotated[str | None, typer.Option("--doc", help="Only this document (id or unique prefix).")] = None,
    country: Annotated[str | None, typer.Option(
        "--country", help="Only events that happened in this country: ISO alpha-2 or alpha-3 of the event's "
                          "location (FR, FRA), any case.")] = None,
    bbox: Annotated[str | None, typer.Option(
        "--bbox", help="Only events located inside west,south,east,north (degrees).")] = None,
    happened_since: Annotated[str | None, typer.Option(
        "--happened-since", help="Only events whose own date (the day their sentence states, else the "
                                 "published day) is on or after this ISO date.")] = None,
    happened_until: Annotated[str | None, typer.Option(
        "--happened-until", help="Only events whose own date is on or before this ISO date.")] = None,
    min_confidence: Annotated[float | None, typer.Option(
        "--min-confidence", min=0, max=1, help="Only events at least this sure (their confidence).")] = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help="One JSON object per event: doc_id plus the analysis@1 event fields.")] = False,
) -> None:
    """List who did what to whom, where and when, across the stored documents (PLOVER events)."""
    from wirescope.storage import queries

    code, box = _place_options(country, bbox)
    flt = queries.EventFilter(types=(event_type,) if event_type else (), actor=actor, doc=doc_id,
                              since=_iso_date("--since", since), until=_iso_date("--until", until),
                              country=code, box=box, happened_since=_iso_date("--happened-since", happened_since),
                              happened_until=_iso_date("--happened-until", happened_until),
                              min_confidence=min_confidence)
    with _open_store(db) as store:
        if not queries.has_lookup(store.con):  # a server holding the file has its own
            queries.prepare_lookup(store.con)
        found = queries.event_records(store.con, flt)
    if as_json:
        _print_json_lines({"doc_id": found_id, **event.to_dict()} for found_id, event in found)
        return
    console.print(events_list_table(found, title=f"{len(found)} events in {db}"))


@app.command()
def errors(db: DbOption = DEFAULT_DB) -> None:
    """List the pages that failed to ingest, with the reason."""
    with _open_store(db) as store:
        rows = store.list_errors()
    if not rows:
        console.print(f"No ingest errors in {db}.")
        return
    _print_failures([PageError(r["source"], r["reason"], r["kind"]) for r in rows])


@app.command()
def export(
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", help=f"One of: {', '.join(EXPORT_FORMATS)}.")] = "parquet",
    out: Annotated[Path, typer.Option("--out", help="Directory to write the files into.")] = Path("export"),
) -> None:
    """Export every table as Parquet or JSON Lines (JSON Lines adds analyses.jsonl: analysis@1 per
    document); --format gdelt writes GDELT 2.0's event (61 columns) and Mentions (16) tables and the
    Global Knowledge Graph 2.1 (27, one row per document) by position, without a header, and wirescope's
    extension table, each as .tsv and .parquet."""
    if fmt not in EXPORT_FORMATS:
        _print_error(f"unknown format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
        raise typer.Exit(EXIT_USAGE)
    with _open_store(db) as store:
        written = store.export(out, fmt)
    for path in written:
        console.print(plain(path), soft_wrap=True)


# -- stories --------------------------------------------------------------------------------------
def _open_grouped(db: Path) -> Store:
    """The store, read-only, once every stored document is in a story (grouping what is not)."""
    from wirescope.storage.remote import is_remote, open_store
    from wirescope.storage.stories import count_ungrouped
    from wirescope.stories.assign import assign_stories

    if not db.exists():
        return _open_store(db)  # says there is no such database; never creates one here
    try:
        store = open_store(db, read_only=True)
        if is_remote(store) or not count_ungrouped(store):  # a server groups what it stores
            return store
        store.close()
    except StoreError:
        pass  # an older schema: opening for writing migrates it
    with _open_store(db, read_only=False) as writable:
        assign_stories(writable, settings=DEFAULTS.stories)
    return _open_store(db)


def _regroup(db: Path) -> None:
    from wirescope.stories.assign import regroup

    _open_store(db).close()  # exits with a message when there is no such database
    with _open_store(db, read_only=False) as writable:
        found = regroup(writable, DEFAULTS.stories)
    err_console.print(f"{markup_safe(db)}: regrouped into {found} stories")


@app.command()
def stories(
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option(
        "--json", help="One JSON object per story (the wirescope/story list record).")] = False,
    limit: Annotated[int, typer.Option(min=1, help="How many, most recently seen first.")] = 50,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many first.")] = 0,
    regroup: Annotated[bool, typer.Option(
        "--regroup", help="Forget the stories and group every stored document again.")] = False,
) -> None:
    """List stories: articles grouped across outlets, each with its documents' ids and URLs."""
    from wirescope.cli.story_view import stories_table
    from wirescope.storage.stories import count_stories
    from wirescope.stories.assign import list_stories

    if regroup:
        _regroup(db)
    with _open_grouped(db) as store:
        rows = list_stories(store, limit=limit, offset=offset)
        total = count_stories(store)
    if as_json:
        _print_json_lines(rows)
        return
    console.print(stories_table(rows, title=f"{total} stories in {db}"))


def _load_ratings(path: Path | None) -> dict[str, dict[str, Any]] | None:
    from wirescope.stories.assign import load_ratings

    if path is None:
        return None
    try:
        return load_ratings(path)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        _print_error(f"cannot read ratings: {error}")
        raise typer.Exit(EXIT_USAGE) from error


@app.command()
def story(
    story_id: Annotated[str, typer.Argument(help="Story id or a unique prefix of it (from `wirescope stories`).")],
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Print the story as JSON (wirescope/story record).")] = False,
    ratings: Annotated[Path | None, typer.Option("--ratings", help=(
        "CSV/TSV of outlet ratings: an outlet name or domain column and lean/bias and/or "
        "factuality/fact columns."))] = None,
) -> None:
    """Show one story: its timeline of events, who is quoted, and per outlet what only it reported and
    how it framed it."""
    from wirescope.cli.story_view import render_story
    from wirescope.stories.assign import get_story

    table = _load_ratings(ratings)
    with _open_grouped(db) as store:
        record = get_story(store, story_id, ratings=table)
    if record is None:
        _print_error(f"no story with id or unique prefix {story_id!r} in {db}")
        raise typer.Exit(EXIT_PAGE_FAILED)
    if as_json:
        _print_json_lines([record])
        return
    render_story(record, console)


# -- serving --------------------------------------------------------------------------------------
@app.command()
def version() -> None:
    """Print the wirescope version."""
    console.print(__version__)


def main() -> None:  # pragma: no cover - console entry point
    app()
