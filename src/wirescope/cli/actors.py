"""``wirescope actors``, ``wirescope actor`` and the corrections ``actor-merge``, ``actor-split``,
``actor-rename``, ``actor-recode`` (listed by ``actor-corrections``): thin commands over
``wirescope.storage.actors``, registered on the app by ``register``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from wirescope.cli.commands import (
    EXIT_PAGE_FAILED,
    _iso_date,
    _open_store,
    _print_error,
    _print_json_lines,
    console,
)
from wirescope.cli.options import DEFAULT_DB, DbOption
from wirescope.cli.summary import DOC_ID_CHARS, shown_date
from wirescope.cli.text import add_plain_row, markup_safe, plain
from wirescope.errors import StoreError
from wirescope.storage import actors as register
from wirescope.storage.store import Store

ActorArg = Annotated[str, typer.Argument(help="Actor id, e.g. person:donald-trump (see `wirescope actors`).")]


def _codes_label(codes: list[dict[str, Any]]) -> str:
    """Codes over time: "USAGOV 2017-01-20..2021-01-20" (an undated-only code shows no days)."""
    parts = []
    for c in codes:
        days = f" {c['first_seen']}..{c['last_seen']}" if c["first_seen"] else ""
        parts.append(f"{c['code']}{days}")
    return ", ".join(parts)


def _aliases_label(aliases: list[dict[str, Any]]) -> str:
    return ", ".join(f"{a['alias']} ×{a['mentions']}" if a["mentions"] > 1 else a["alias"] for a in aliases)


def actors_table(found: dict[str, Any], title: str) -> Table:
    table = Table(title=plain(title), title_justify="left")
    for name in ("id", "name", "type", "docs", "mentions", "first seen", "last seen", "codes", "as written"):
        if name in ("docs", "mentions"):
            table.add_column(name, justify="right")
        else:
            table.add_column(name)
    for item in found["items"]:
        add_plain_row(table, item["id"], item["name"], item["type"], item["documents"], item["mentions"],
                      shown_date(item["first_seen"]), shown_date(item["last_seen"]), _codes_label(item["codes"]),
                      _aliases_label(item["aliases"]))
    return table


def render_actor(record: dict[str, Any], out: Console) -> None:
    """One actor: who it is, its codes over time, how it is written, where it appears."""
    out.print(f"[bold]{markup_safe(record['name'])}[/bold]  {markup_safe(record['id'])}  "
              f"{markup_safe(record['type'] or '')}", highlight=False)
    out.print(f"{record['documents']} documents, {record['mentions']} mentions, seen "
              f"{shown_date(record['first_seen'])} to {shown_date(record['last_seen'])}; "
              f"events: did {record['events']['did']}, received {record['events']['received']}; "
              f"quotes {record['quotes']}", highlight=False)
    codes = Table(title="Codes over time", title_justify="left")
    for column in ("code", "first seen", "last seen", "docs"):
        codes.add_column(column)
    for c in record["codes"]:
        add_plain_row(codes, c["code"], shown_date(c["first_seen"]), shown_date(c["last_seen"]), c["documents"])
    aliases = Table(title="As written", title_justify="left")
    for column in ("alias", "mentions", "docs"):
        aliases.add_column(column)
    for a in record["aliases"]:
        add_plain_row(aliases, a["alias"], a["mentions"], a["documents"])
    documents = Table(title="Documents", title_justify="left")
    for column in ("id", "day", "outlet", "title"):
        documents.add_column(column)
    for d in record["document_list"]:
        add_plain_row(documents, d["id"][:DOC_ID_CHARS], shown_date(d["day"]), d["outlet"], d["title"])
    for table in (codes, aliases, documents):
        out.print(table)


def actors(
    db: DbOption = DEFAULT_DB,
    q: Annotated[str | None, typer.Option(
        "--q", help="Only actors whose id, canonical name or any alias as written contains this (any case).")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="Only this type: PERSON, ORG, GPE, NORP, ...")] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many, most widespread first.")] = 50,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many first.")] = 0,
    as_json: Annotated[bool, typer.Option(
        "--json", help="One JSON object per actor: id, name, type, documents, mentions, first_seen, last_seen, "
                       "codes, aliases (the five most written).")] = False,
) -> None:
    """List the actor register: one row per actor id across every stored document."""
    with _open_store(db) as store:
        found = register.list_actors(store.con, q=q, type_=type_, limit=limit, offset=offset)
    if as_json:
        _print_json_lines(found["items"])
        return
    console.print(actors_table(found, title=f"{found['total']} actors in {db}"))


def actor(
    actor_id: Annotated[str, typer.Argument(help=(
        "Actor id (person:donald-trump), or a canonical name or alias that names one actor only."))],
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option(
        "--json", help="The register's record: aliases, codes over time, documents, events and quotes.")] = False,
) -> None:
    """Show one actor: codes over time, aliases as written, documents, events and quotes."""
    with _open_store(db) as store:
        ids = register.resolve_actors(store.con, actor_id)
        record = register.get_actor(store.con, ids[0]) if len(ids) == 1 else None
    if len(ids) > 1:
        _print_error(f"{actor_id!r} names {len(ids)} actors: {', '.join(ids)}")
        raise typer.Exit(EXIT_PAGE_FAILED)
    if record is None:
        _print_error(f"no actor with id, name or alias {actor_id!r} in {db}")
        raise typer.Exit(EXIT_PAGE_FAILED)
    if as_json:
        _print_json_lines([record])
        return
    render_actor(record, console)


def _correct(db: Path, change: Callable[[Store], Any]) -> Any:
    """Apply one correction to the database; a StoreError (an unknown id) is printed, exit 1."""
    _open_store(db).close()  # exits with a message when there is no such database; never creates one
    with _open_store(db, read_only=False) as store:
        try:
            return change(store)
        except StoreError as error:
            _print_error(str(error))
            raise typer.Exit(EXIT_PAGE_FAILED) from error


def actor_merge(
    into: Annotated[str, typer.Argument(help="The actor kept (its id and name stay).")],
    other: Annotated[str, typer.Argument(help="The actor merged into it (its id stops existing).")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Merge two actors: every mention of OTHER, in documents stored now and later, becomes INTO's."""
    _correct(db, lambda store: register.merge_actors(store, into, other))
    console.print(plain(f"merged {other} into {into}"), highlight=False)


def actor_split(
    actor_id: ActorArg,
    alias: Annotated[str, typer.Argument(help="The alias, as written (any case), that names someone else.")],
    name: Annotated[str, typer.Option("--name", help="The canonical name of the actor that takes the alias.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Split an actor: its mentions written as ALIAS leave it for the actor named --name (printed id)."""
    new_id = _correct(db, lambda store: register.split_actor(store, actor_id, alias, name))
    console.print(plain(new_id), highlight=False)


def actor_rename(
    actor_id: ActorArg,
    name: Annotated[str, typer.Argument(help="The new canonical name (the id stays).")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Rename an actor: give it another canonical name; its id stays."""
    _correct(db, lambda store: register.rename_actor(store, actor_id, name))
    console.print(plain(f"{actor_id} is now named {name}"), highlight=False)


def actor_recode(
    actor_id: ActorArg,
    code: Annotated[str, typer.Argument(help="CAMEO/PLOVER actor code, e.g. USAGOV.")],
    start: Annotated[str | None, typer.Option(
        "--from", help="First publication day (ISO) the code holds; without --from and --to it holds always, "
                       "undated documents included.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last publication day (ISO) the code holds.")] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Recode an actor: give it CODE in documents published in the days given (all without --from/--to)."""
    first, last = _iso_date("--from", start), _iso_date("--to", end)
    days = (first.isoformat() if first else None, last.isoformat() if last else None)
    _correct(db, lambda store: register.recode_actor(store, actor_id, code, *days))
    console.print(plain(f"{actor_id} coded {code.upper()}"), highlight=False)


def actor_corrections(
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per correction.")] = False,
) -> None:
    """List the corrections of the actor register in the order made (merge, split, rename, recode)."""
    with _open_store(db) as store:
        rows = register.list_corrections(store.con)
    if as_json:
        _print_json_lines(rows)
        return
    table = Table(title=plain(f"{len(rows)} actor corrections in {db}"), title_justify="left")
    for column in ("#", "made", "kind", "actor", "other", "alias", "value", "from", "to"):
        table.add_column(column)
    for r in rows:
        add_plain_row(table, *(r[k] for k in
                               ("seq", "made_at", "kind", "actor", "other", "alias", "value", "start", "end")))
    console.print(table)


COMMANDS: dict[str, Callable[..., None]] = {
    "actors": actors, "actor": actor, "actor-merge": actor_merge, "actor-split": actor_split,
    "actor-rename": actor_rename, "actor-recode": actor_recode, "actor-corrections": actor_corrections,
}


def register_commands(app: typer.Typer) -> None:
    """Add the actor commands to the ``wirescope`` app."""
    for name, command in COMMANDS.items():
        app.command(name)(command)
