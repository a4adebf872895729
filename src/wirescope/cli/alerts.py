"""``wirescope alerts add|list|show|remove``: saved queries and their matches, thin commands over
``wirescope.storage.alerts`` (what each filter matches is said there). The same alerts are served
by the REST API (``/alerts``, with an Atom feed per alert: ``serve.routes_alerts``)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from wirescope.cli.commands import (
    EXIT_PAGE_FAILED,
    EXIT_USAGE,
    _open_store,
    _print_error,
    _print_json_lines,
    console,
)
from wirescope.cli.options import DEFAULT_DB, DbOption
from wirescope.cli.summary import DOC_ID_CHARS, shown_date
from wirescope.cli.text import add_plain_row, markup_safe, plain
from wirescope.storage import alerts, queries
from wirescope.storage.alerts import Alert, AlertError
from wirescope.storage.store import Store

alerts_app = typer.Typer(help="Saved queries (an actor, an event type, a pair, a loaded term, a word) and their "
                              "new matches; also served by `wirescope serve` as JSON and Atom feeds.",
                         no_args_is_help=True)

AlertArg = Annotated[int, typer.Argument(min=1, help="The alert's id (see `wirescope alerts list`).")]
OPTION_NAMES = {"event_type": "type"}  # a filter's option where it is not named after the filter
JsonFlag = Annotated[bool, typer.Option("--json", help="JSON, one object per line.")]


def _prepared(store: Store, listed: list[Alert]) -> None:
    """The event-actor lookup the event filters read, built when an alert needs it (a server
    holding the file has its own)."""
    if any(alert.query.on_events for alert in listed) and not queries.has_lookup(store.con):
        queries.prepare_lookup(store.con)


def _found(store: Store, alert_id: int, db: Path) -> Alert:
    alert = alerts.get_alert(store.con, alert_id)
    if alert is None:
        _print_error(f"no alert with id {alert_id} in {db} (see `wirescope alerts list`)")
        raise typer.Exit(EXIT_PAGE_FAILED)
    return alert


def _filters_label(query: dict[str, str | None]) -> str:
    """The filters as the options of `alerts add` that give them: "--actor Kestrel --type THREATEN"."""
    return " ".join(f"--{OPTION_NAMES.get(name, name)} {value}" for name, value in query.items() if value)


@alerts_app.command("add")
def add(
    db: DbOption = DEFAULT_DB,
    name: Annotated[str | None, typer.Option("--name", help="A name; default: the filters, in words.")] = None,
    actor: Annotated[str | None, typer.Option("--actor", help=(
        "Events with an actor or recipient this names, as `wirescope events --actor`: an actor id, a name or "
        "alias (whole), a code prefix (ISR) or a part of a name."))] = None,
    recipient: Annotated[str | None, typer.Option("--recipient", help=(
        "The same, on the recipient side; with --actor, the pair actor -> recipient."))] = None,
    event_type: Annotated[str | None, typer.Option(
        "--type", help="Events of this PLOVER type (THREATEN, DEMAND, ...).")] = None,
    term: Annotated[str | None, typer.Option("--term", help=(
        "Documents with a loaded term whose text contains this, or whose neutral alternative or category "
        "(partisan_label, dehumanising, ...) is this, any case."))] = None,
    word: Annotated[str | None, typer.Option("--word", help=(
        "Documents with this word or phrase in the title or article (any case)."))] = None,
) -> None:
    """Save an alert: every filter given must hold (--actor X --type THREATEN: X's threats). Prints its id."""
    try:
        query = alerts.make_query(actor, recipient, event_type, term, word)
    except AlertError as error:
        _print_error(str(error))
        raise typer.Exit(EXIT_USAGE) from error
    with _open_store(db, read_only=False) as store:
        try:
            alert = alerts.add_alert(store.con, query, name)
        except AlertError as error:
            _print_error(str(error))
            raise typer.Exit(EXIT_USAGE) from error
    console.print(plain(f"alert {alert.id}: {alert.name} ({alert.kind})"), highlight=False)


@alerts_app.command("list")
def list_command(db: DbOption = DEFAULT_DB, as_json: JsonFlag = False) -> None:
    """List the alerts, each with how many documents or events match it and how many are new."""
    with _open_store(db) as store:
        _prepared(store, alerts.list_alerts(store.con))
        listed = alerts.alerts_with_counts(store.con)
    if as_json:
        _print_json_lines(listed)
        return
    table = Table(title=plain(f"{len(listed)} alerts in {db}"), title_justify="left")
    for column in ("id", "name", "filters", "created (UTC)", "matches", "new"):
        table.add_column(column, justify="right" if column in ("id", "matches", "new") else "left", overflow="fold")
    for item in listed:
        add_plain_row(table, item["id"], item["name"], _filters_label(item["query"]),
                      item["created_at"][:16].replace("T", " "), item["matches"], item["new"])
    console.print(table)


def _parsed_since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        _print_error(f"--since takes an ISO date and time (2026-12-05T06:00:00Z), not {value!r}")
        raise typer.Exit(EXIT_USAGE) from None


def matches_table(found: dict[str, Any]) -> Table:
    alert = found["alert"]
    title = f"alert {alert['id']}: {alert['name']} — {found['total']} matches, {found['new']} new"
    table = Table(title=plain(title), title_justify="left")
    for column in ("stored (UTC)", "new", "doc", "day", "outlet", "title", "what matched"):
        table.add_column(column)
    for item in found["items"]:
        add_plain_row(table, item["stored_at"][:16].replace("T", " "), "new" if item["new"] else "",
                      item["doc_id"][:DOC_ID_CHARS], shown_date(item["day"]), item["outlet"], item["title"],
                      item["summary"])
    return table


@alerts_app.command("show")
def show(
    alert_id: AlertArg,
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many matches, newest stored first.")] = 50,
    since: Annotated[str | None, typer.Option("--since", help=(
        "Only matches stored after this ISO time (UTC when no zone is given), e.g. a stored_at already seen."))
                     ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=(
        "One JSON object per match: id, doc_id, event_id, stored_at, new, title, outlet, url, day, event, "
        "terms, snippet, summary."))] = False,
) -> None:
    """Show an alert's matches, newest stored first; those stored after the alert was made are new."""
    after = _parsed_since(since)
    with _open_store(db) as store:
        alert = _found(store, alert_id, db)
        _prepared(store, [alert])
        found = alerts.matches(store.con, alert, after, limit)
    if as_json:
        _print_json_lines(found["items"])
        return
    console.print(f"[bold]{markup_safe(alert.name)}[/bold]  {markup_safe(_filters_label(alert.query.to_dict()))}  "
                  f"made {markup_safe(alert.to_dict()['created_at'])}", highlight=False)
    console.print(matches_table(found))


@alerts_app.command("remove")
def remove(alert_id: AlertArg, db: DbOption = DEFAULT_DB) -> None:
    """Delete an alert."""
    _open_store(db).close()  # exits with a message when there is no such database; never creates one
    with _open_store(db, read_only=False) as store:
        removed = alerts.remove_alert(store.con, alert_id)
    if removed is None:
        _print_error(f"no alert with id {alert_id} in {db} (see `wirescope alerts list`)")
        raise typer.Exit(EXIT_PAGE_FAILED)
    console.print(plain(f"removed alert {removed.id}: {removed.name}"), highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``wirescope alerts add|list|show|remove`` to the app."""
    app.add_typer(alerts_app, name="alerts")
