"""The ``wirescope`` command line (Typer + Rich).

Commands are thin: they parse and validate options, map them onto one ``Settings`` through
``make_settings``, call one library function and print its result.
Exit codes: 0 all good; 1 some page failed (the rest was processed); 2 bad usage; 3 store error.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from wirescope import __version__
from wirescope.cli.summary import events_list_table, quotes_table, render_analysis
from wirescope.errors import PageError, StoreError
from wirescope.records import Analysis
from wirescope.settings import MB, Settings, make_settings
from wirescope.storage.store import EXPORT_FORMATS, Store

EXIT_PAGE_FAILED = 1
EXIT_STORE_ERROR = 3
DEFAULT_DB = os.environ.get("WIRESCOPE_DB", "wirescope.duckdb")

app = typer.Typer(
    help="wirescope: turn raw news pages into structured, verifiable records.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
err_console = Console(stderr=True)

Pages = Annotated[list[str], typer.Argument(help="Files, directories, .jsonl, .warc(.gz) files, http(s) URLs, or - for stdin.")]
DbOption = Annotated[Path, typer.Option("--db", help="DuckDB file (created on first use). Env: WIRESCOPE_DB.")]
WorkersOption = Annotated[int, typer.Option("--workers", min=1, help="Parser processes (spaCy nlp.pipe n_process).")]
BatchOption = Annotated[int, typer.Option("--batch-size", min=1, help="Pages per parse batch and per database transaction.")]
MaxMbOption = Annotated[float, typer.Option("--max-mb", min=0.001, help="Reject pages larger than this many MB.")]
TimeoutOption = Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds to wait for a URL.")]


FastBiasOption = Annotated[bool, typer.Option(
    "--fast-bias", help="Score sentence bias with the static model alone: end to end about 20% faster, "
                        "BABE macro-F1 0.719 instead of 0.756.")]


def _settings(workers: int, batch_size: int, max_mb: float, timeout: float, reanalyse: bool = False,
              fast_bias: bool = False) -> Settings:
    return make_settings(workers=workers, batch_size=batch_size, max_bytes=int(max_mb * MB),
                         timeout_s=timeout, reanalyse=reanalyse, contextual_bias=not fast_bias)


def _print_error(message: str) -> None:
    err_console.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True, highlight=False)


def _print_failures(failures: list[PageError]) -> None:
    # One line per failure, never wrapped: the input name must stay whole to be copied or grepped.
    err_console.print(f"[bold red]{len(failures)} page(s) failed:[/bold red]")
    for failure in failures:
        err_console.print(f"  {escape(failure.source)}  [red]{failure.kind}[/red]  {escape(failure.reason)}",
                          soft_wrap=True, markup=True, highlight=False)


def _open_store(db: Path, read_only: bool = True) -> Store:
    try:
        return Store(db, read_only=read_only)
    except StoreError as error:
        _print_error(str(error))
        raise typer.Exit(EXIT_STORE_ERROR) from error


@app.command()
def analyze(
    pages: Pages,
    as_json: Annotated[bool, typer.Option("--json", help="Print the wirescope/analysis@1 JSON (one object per line for several pages).")] = False,
    url: Annotated[str | None, typer.Option(help="The page's URL, when analysing one file.")] = None,
    outlet: Annotated[str | None, typer.Option(help="The outlet that published the page.")] = None,
    db: Annotated[Path | None, typer.Option("--db", help="Also store the results in this DuckDB file.")] = None,
    workers: WorkersOption = 1,
    batch_size: BatchOption = 32,
    max_mb: MaxMbOption = 10.0,
    timeout: TimeoutOption = 20.0,
    fast_bias: FastBiasOption = False,
) -> None:
    """Analyse pages and print a readable summary (or the JSON contract with --json)."""
    # Imported here so that `wirescope --help` does not pay for loading spaCy.
    from dataclasses import replace

    from wirescope.io.readers import iter_pages
    from wirescope.pipeline import analyze_pages

    settings = _settings(workers, batch_size, max_mb, timeout, fast_bias=fast_bias)
    raw_pages = iter_pages(pages, settings)
    if url or outlet:
        raw_pages = (p if isinstance(p, PageError) else replace(p, url=url or p.url, outlet=outlet or p.outlet)
                     for p in raw_pages)
    failures: list[PageError] = []
    analyses: list[Analysis] = []
    for result in analyze_pages(raw_pages, settings):
        if isinstance(result, PageError):
            failures.append(result)
            continue
        analyses.append(result)
        if as_json:
            sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
        else:
            render_analysis(result, console)
    if db is not None and (analyses or failures):
        from wirescope.stories.assign import assign_stories

        with _open_store(db, read_only=False) as store:
            store.write_batch(analyses, failures)
            assign_stories(store, [a.document.id for a in analyses])
    if failures:
        _print_failures(failures)
        raise typer.Exit(EXIT_PAGE_FAILED)


@app.command()
def ingest(
    pages: Pages,
    db: DbOption = Path(DEFAULT_DB),
    workers: WorkersOption = 1,
    batch_size: BatchOption = 32,
    max_mb: MaxMbOption = 10.0,
    timeout: TimeoutOption = 20.0,
    reanalyse: Annotated[bool, typer.Option("--reanalyse", help="Analyse again pages already stored.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    fast_bias: FastBiasOption = False,
) -> None:
    """Analyse pages and store them in a DuckDB file; stored pages are skipped on a re-run."""
    from wirescope.ingest import (
        ingest as run_ingest,  # loads spaCy: not needed for --help
    )

    settings = _settings(workers, batch_size, max_mb, timeout, reanalyse, fast_bias)
    progress = Progress(
        SpinnerColumn(), TextColumn("[bold]ingest[/bold]"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[status]}"), TimeElapsedColumn(),
        console=err_console, disable=quiet, transient=False,
    )
    with progress:
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
        f"[bold]{db}[/bold]: {report.stored} stored, {report.replaced} re-analysed, "
        f"{report.skipped} already stored, {report.not_analysed} not analysed (language), "
        f"{len(report.failed)} failed"
    )
    if report.grouped:
        console.print(f"{report.grouped} new document(s) grouped into stories (see `wirescope stories`)")
    if report.failed:
        _print_failures(report.failed)
        raise typer.Exit(EXIT_PAGE_FAILED)


@app.command()
def show(
    doc_id: Annotated[str, typer.Argument(help="Document id or a unique prefix of it.")],
    db: DbOption = Path(DEFAULT_DB),
    as_json: Annotated[bool, typer.Option("--json", help="Print the wirescope/analysis@1 JSON.")] = False,
) -> None:
    """Show one stored document's analysis."""
    with _open_store(db) as store:
        analysis = store.get_analysis(doc_id)
    if analysis is None:
        _print_error(f"no document with id or unique prefix {doc_id!r} in {db}")
        raise typer.Exit(EXIT_PAGE_FAILED)
    if as_json:
        sys.stdout.write(json.dumps(analysis.to_dict(), ensure_ascii=False) + "\n")
    else:
        render_analysis(analysis, console)


@app.command()
def documents(
    db: DbOption = Path(DEFAULT_DB),
    limit: Annotated[int, typer.Option(min=1, help="How many, newest first.")] = 50,
) -> None:
    """List stored documents."""
    with _open_store(db) as store:
        rows = store.list_documents(limit)
        counts = store.counts()
    table = Table(title=f"{counts['documents']} documents in {db}", title_justify="left")
    table.add_column("id", no_wrap=True, min_width=16)  # ids are what `show` takes: never cut them
    table.add_column("title", ratio=3)
    table.add_column("outlet", ratio=1)
    table.add_column("lang", no_wrap=True, min_width=4)
    table.add_column("status", no_wrap=True, min_width=12)
    for row in rows:
        table.add_row(*(str(row[c] or "") for c in ("id", "title", "outlet", "language", "status")))
    console.print(table)


@app.command()
def quotes(
    db: DbOption = Path(DEFAULT_DB),
    speaker: Annotated[str | None, typer.Option("--speaker", help="Only quotes whose speaker name or text contains this (any case).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per quote: doc_id plus the analysis@1 quote fields.")] = False,
) -> None:
    """List who said what across the stored documents, each quote with its character span."""
    with _open_store(db) as store:
        found = store.list_quotes(speaker=speaker)
    if as_json:
        for doc_id, quote in found:
            sys.stdout.write(json.dumps({"doc_id": doc_id, **quote.to_dict()}, ensure_ascii=False) + "\n")
        return
    console.print(quotes_table(found, title=f"{len(found)} quotes in {db}"))


@app.command()
def events(
    db: DbOption = Path(DEFAULT_DB),
    actor: Annotated[str | None, typer.Option("--actor", help="Only events with an actor or recipient whose code starts with this (ISR, USAGOV) or whose name contains it (any case).")] = None,
    event_type: Annotated[str | None, typer.Option("--type", help="Only this PLOVER type (THREATEN, DEMAND, ...).")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Only documents published (else stored) on or after this ISO date.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Only documents published (else stored) on or before this ISO date.")] = None,
    doc_id: Annotated[str | None, typer.Option("--doc", help="Only this document (id or unique prefix).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per event: doc_id plus the analysis@1 event fields.")] = False,
) -> None:
    """List who did what to whom across the stored documents (PLOVER events with actor codes)."""
    for label, value in (("--since", since), ("--until", until)):
        if value is not None and not _is_iso_date(value):
            _print_error(f"{label} takes an ISO date (YYYY-MM-DD), not {value!r}")
            raise typer.Exit(2)
    with _open_store(db) as store:
        found = store.list_events(actor=actor, type=event_type, since=since, until=until, doc_id=doc_id)
    if as_json:
        for found_id, event in found:
            sys.stdout.write(json.dumps({"doc_id": found_id, **event.to_dict()}, ensure_ascii=False) + "\n")
        return
    console.print(events_list_table(found, title=f"{len(found)} events in {db}"))


def _is_iso_date(value: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(value[:10])
    except ValueError:
        return False
    return True


@app.command()
def errors(db: DbOption = Path(DEFAULT_DB)) -> None:
    """List the pages that failed to ingest, with the reason."""
    with _open_store(db) as store:
        rows = store.list_errors()
    if not rows:
        console.print(f"No ingest errors in {db}.")
        return
    _print_failures([PageError(r["source"], r["reason"], r["kind"]) for r in rows])


@app.command()
def export(
    db: DbOption = Path(DEFAULT_DB),
    fmt: Annotated[str, typer.Option("--format", help=f"One of: {', '.join(EXPORT_FORMATS)}.")] = "parquet",
    out: Annotated[Path, typer.Option("--out", help="Directory to write the files into.")] = Path("export"),
) -> None:
    """Export every table as Parquet or JSON Lines (JSON Lines adds analyses.jsonl: analysis@1 per document); --format gdelt writes one GDELT-style event table, events.gdelt.tsv."""
    if fmt not in EXPORT_FORMATS:
        _print_error(f"unknown format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
        raise typer.Exit(2)
    with _open_store(db) as store:
        written = store.export(out, fmt)
    for path in written:
        console.print(str(path))


def _open_grouped(db: Path) -> Store:
    """The store, read-only, once every stored document is in a story (grouping what is not)."""
    from wirescope.stories.assign import assign_stories, count_ungrouped

    if not db.exists():
        return _open_store(db)  # says there is no such database; never creates one here
    try:
        store = Store(db, read_only=True)
        if not count_ungrouped(store):
            return store
        store.close()
    except StoreError:
        pass  # an older schema: opening for writing migrates it
    with _open_store(db, read_only=False) as writable:
        assign_stories(writable)
    return _open_store(db)


@app.command()
def stories(
    db: DbOption = Path(DEFAULT_DB),
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per story (the wirescope/story list record).")] = False,
    limit: Annotated[int, typer.Option(min=1, help="How many, most recently seen first.")] = 50,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many first.")] = 0,
    regroup: Annotated[bool, typer.Option("--regroup", help="Forget the stories and group every stored document again.")] = False,
) -> None:
    """List stories: articles grouped across outlets, each with its documents' ids and URLs."""
    from wirescope.stories.assign import count_stories, list_stories
    from wirescope.stories.assign import regroup as run_regroup

    if regroup:
        _open_store(db).close()  # exits with a message when there is no such database
        with _open_store(db, read_only=False) as writable:
            found = run_regroup(writable)
        err_console.print(f"{db}: regrouped into {found} stories")
    with _open_grouped(db) as store:
        rows = list_stories(store, limit=limit, offset=offset)
        total = count_stories(store)
    if as_json:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    from wirescope.cli.story_view import stories_table

    console.print(stories_table(rows, title=f"{total} stories in {db}"))


@app.command()
def story(
    story_id: Annotated[str, typer.Argument(help="Story id or a unique prefix of it (from `wirescope stories`).")],
    db: DbOption = Path(DEFAULT_DB),
    as_json: Annotated[bool, typer.Option("--json", help="Print the story as JSON (wirescope/story record).")] = False,
    ratings: Annotated[Path | None, typer.Option("--ratings", help="CSV/TSV of outlet ratings: an outlet name or domain column and lean/bias and/or factuality/fact columns.")] = None,
) -> None:
    """Show one story: its timeline of events, who is quoted, and per outlet what only it reported and how it framed it."""
    from wirescope.stories.assign import get_story, load_ratings

    table = None
    if ratings is not None:
        try:
            table = load_ratings(ratings)
        except (OSError, UnicodeDecodeError, ValueError) as error:
            _print_error(f"cannot read ratings: {error}")
            raise typer.Exit(2) from error
    with _open_grouped(db) as store:
        record = get_story(store, story_id, ratings=table)
    if record is None:
        _print_error(f"no story with id or unique prefix {story_id!r} in {db}")
        raise typer.Exit(EXIT_PAGE_FAILED)
    if as_json:
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    from wirescope.cli.story_view import render_story

    render_story(record, console)


@app.command()
def neutral(
    pages: Pages,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per page: original, neutral, substitutions and framing summary.")] = False,
    max_mb: MaxMbOption = 10.0,
    timeout: TimeoutOption = 20.0,
) -> None:
    """Print the article next to its neutral reading (outlet-voice loaded labels and attribution verbs replaced)."""
    from wirescope.analysis.framing.spans import (
        framing_summary,
        neutral_reading,
        original_reading,
        substitutions,
    )
    from wirescope.cli.summary import render_neutral
    from wirescope.io.readers import iter_pages
    from wirescope.pipeline import analyze_pages

    settings = _settings(1, 32, max_mb, timeout)
    failures: list[PageError] = []
    for result in analyze_pages(iter_pages(pages, settings), settings):
        if isinstance(result, PageError):
            failures.append(result)
            continue
        original, reading = original_reading(result), neutral_reading(result)
        if as_json:
            payload = {"document": result.document.id, "source": result.document.source,
                       "title": result.document.title, "original": original, "neutral": reading,
                       "substitutions": [f.to_dict() for f in substitutions(result)],
                       "summary": framing_summary(result)}
            sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
        else:
            render_neutral(result, original, reading, console)
    if failures:
        _print_failures(failures)
        raise typer.Exit(EXIT_PAGE_FAILED)


@app.command()
def serve(
    db: DbOption = Path(DEFAULT_DB),
    host: Annotated[str, typer.Option("--host", help="Address to listen on. Anything but loopback needs --token.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
    token: Annotated[str | None, typer.Option("--token", envvar="WIRESCOPE_TOKEN", help="API token for writes (POST /analyze with store or url). Env: WIRESCOPE_TOKEN.")] = None,
    read_only: Annotated[bool, typer.Option("--read-only", help="Open the database read-only (no storing; other processes may read it too).")] = False,
    max_mb: MaxMbOption = 10.0,
) -> None:
    """Serve the REST API (OpenAPI docs at /docs) and the web UI (at /ui/) over a DuckDB file."""
    # FastAPI and uvicorn load only for this command.
    import uvicorn

    from wirescope.serve.api import create_app, is_loopback

    if not is_loopback(host) and not token:
        _print_error(f"refusing to listen on {host} without --token: writes would be open to the network "
                     "(use --host 127.0.0.1, or give --token)")
        raise typer.Exit(2)
    if read_only and not db.exists():
        _print_error(f"{db}: no such database (run `wirescope ingest` first)")
        raise typer.Exit(EXIT_STORE_ERROR)
    try:
        api = create_app(db, token=token, max_body_bytes=int(max_mb * MB), read_only=read_only)
    except StoreError as error:
        _print_error(str(error))
        raise typer.Exit(EXIT_STORE_ERROR) from error
    shown = f"[{host}]" if ":" in host else host
    console.print(f"wirescope: web UI at http://{shown}:{port}/ui/  API docs at http://{shown}:{port}/docs  "
                  f"(database {db}{', read-only' if read_only else ''}; Ctrl+C stops)", highlight=False)
    uvicorn.run(api, host=host, port=port, log_level="warning", server_header=False)


@app.command()
def version() -> None:
    """Print the wirescope version."""
    console.print(__version__)


def main() -> None:  # pragma: no cover - console entry point
    app()
