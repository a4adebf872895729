"""``wirescope serve``: the REST API, the web UI and (``--collect``) the feed collector in one process
that owns the database file; registered on the app by ``register``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from wirescope.cli.commands import EXIT_STORE_ERROR, EXIT_USAGE, _print_error, console
from wirescope.cli.options import (
    DEFAULT_DB,
    DEFAULT_MAX_MB,
    DEFAULTS,
    DbOption,
    FastBiasOption,
    MaxCharsOption,
    MaxMbOption,
    PageTimeoutOption,
    TimeoutOption,
    settings_from_flags,
)
from wirescope.cli.text import markup_safe
from wirescope.errors import StoreError

if TYPE_CHECKING:
    from fastapi import FastAPI

# Seconds a stopping server gives requests in hand (an analyse waits on the page worker up to its budget).
SHUTDOWN_GRACE_S = 3

HostOption = Annotated[str, typer.Option("--host", help="Address to listen on. Anything but loopback needs --token.")]
PortOption = Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")]
TokenOption = Annotated[str | None, typer.Option("--token", envvar="WIRESCOPE_TOKEN", help=(
    "API token for writes (POST /analyze with store or url). Env: WIRESCOPE_TOKEN."))]
ReadOnlyOption = Annotated[bool, typer.Option("--read-only", help=(
    "Open the database read-only (no storing; other processes may read it too)."))]
AllowHostOption = Annotated[list[str] | None, typer.Option("--allow-host", help=(
    "Also answer requests addressed to this host name (repeatable); loopback names and the --host "
    "address are always answered. '*' answers any name: unsafe, it lets DNS-rebinding pages in."))]
PrivateFetchOption = Annotated[bool, typer.Option("--allow-private-fetch", help=(
    "Let POST /analyze fetch URLs on loopback and private networks (off: a client could make the "
    "server read its own network)."))]
PublicAnalyseOption = Annotated[bool, typer.Option("--public-analyse", help=(
    "With --token: let POST /analyze analyse (not store) a given page without the token."))]
CollectOption = Annotated[bool, typer.Option("--collect", help=(
    "Also poll the feeds followed (`wirescope feeds add`) and ingest their new articles, in this process."))]
CollectDelayOption = Annotated[float, typer.Option("--collect-delay", min=0, help=(
    "With --collect: seconds between two requests to one host (more when its robots.txt asks)."))]


def serve(
    db: DbOption = DEFAULT_DB,
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    token: TokenOption = None,
    read_only: ReadOnlyOption = False,
    max_mb: MaxMbOption = DEFAULT_MAX_MB,
    timeout: TimeoutOption = DEFAULTS.timeout_s,
    fast_bias: FastBiasOption = not DEFAULTS.contextual_bias,
    allow_host: AllowHostOption = None,
    allow_private_fetch: PrivateFetchOption = False,
    public_analyse: PublicAnalyseOption = False,
    page_timeout: PageTimeoutOption = DEFAULTS.page_timeout_s,
    max_chars: MaxCharsOption = DEFAULTS.max_chars,
    collect: CollectOption = False,
    collect_delay: CollectDelayOption = 1.0,
) -> None:
    """Serve the REST API (OpenAPI docs at /docs) and the web UI (at /ui/) over a DuckDB file;
    POST /analyze reads and analyses pages with these settings."""
    from wirescope.serve.api import create_app  # FastAPI loads only for this command

    _check_flags(db, host, token, read_only, collect)
    # A page over the budget is abandoned in the page worker; 0 (no worker) is not offered to a server.
    settings = settings_from_flags(max_mb=max_mb, timeout=timeout, fast_bias=fast_bias,
                                   page_timeout=page_timeout or DEFAULTS.page_timeout_s, max_chars=max_chars)
    try:
        api = create_app(db, token=token, read_only=read_only, settings=settings,
                         allowed_hosts=[host, *(allow_host or [])], fetch_private_addresses=allow_private_fetch,
                         public_analyse=public_analyse, collect=collect, collect_delay_s=collect_delay)
    except StoreError as error:
        _print_error(str(error))
        raise typer.Exit(EXIT_STORE_ERROR) from error
    shown = f"[{host}]" if ":" in host else host
    mode = ", read-only" if read_only else ", collecting feeds" if collect else ""
    console.print(f"wirescope: web UI at http://{shown}:{port}/ui/  API docs at http://{shown}:{port}/docs  "
                  f"(database {markup_safe(db)}{mode}; Ctrl+C stops)", highlight=False)
    _run(api, db, host, port, owner=not read_only)


def _check_flags(db: Path, host: str, token: str | None, read_only: bool, collect: bool) -> None:
    from wirescope.serve.api import is_loopback

    if not is_loopback(host) and not token:
        _print_error(f"refusing to listen on {host} without --token: writes would be open to the network "
                     "(use --host 127.0.0.1, or give --token)")
        raise typer.Exit(EXIT_USAGE)
    if read_only and collect:
        _print_error("--collect stores what it collects: it cannot run with --read-only")
        raise typer.Exit(EXIT_USAGE)
    if read_only and not db.exists():
        _print_error(f"{db}: no such database (run `wirescope ingest` first)")
        raise typer.Exit(EXIT_STORE_ERROR)


def _run(api: FastAPI, db: Path, host: str, port: int, owner: bool) -> None:
    """Serve until SIGTERM or Ctrl+C; with ``owner``, other commands on ``db`` go through this server."""
    import uvicorn

    from wirescope.storage.owner import claim, release

    if owner:  # storage.owner: the note beside the file
        note = claim(db, f"http://{_local_address(host)}:{port}")
        context = api.state.context
        context.owner_secret = note.secret
        # Released at the app's shutdown: uvicorn ends the process by the signal it caught.
        context.on_close.append(lambda: release(db, note))
    # SIGTERM (or Ctrl+C) stops the server within the grace period even with requests in hand.
    uvicorn.run(api, host=host, port=port, log_level="warning", server_header=False,
                timeout_graceful_shutdown=SHUTDOWN_GRACE_S)


def _local_address(host: str) -> str:
    """How a command on this machine reaches a server listening on ``host``."""
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
