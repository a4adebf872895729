"""``wirescope backfill`` (archives into Parquet shards on Ray) and ``wirescope load`` (shards into a
store): thin commands over ``wirescope.backfill``, registered on the app by ``register``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wirescope.cli.commands import (
    EXIT_STORE_ERROR,
    EXIT_USAGE,
    _exit_if_failed,
    _print_error,
    console,
    err_console,
)
from wirescope.cli.options import (
    DEFAULT_DB,
    DEFAULT_MAX_MB,
    DEFAULTS,
    DbOption,
    FastBiasOption,
    MaxCharsOption,
    MaxMbOption,
    Pages,
    PageTimeoutOption,
    TimeoutOption,
    settings_from_flags,
)
from wirescope.cli.text import markup_safe
from wirescope.errors import StoreError

# The default shard size, repeated here so that `wirescope --help` does not import Ray and spaCy;
# tests/test_backfill.py checks it equals wirescope.backfill.DEFAULT_SHARD_SIZE.
SHARD_SIZE = 256

OutOption = Annotated[Path, typer.Option("--out", help="Folder of the Parquet shards and manifest.json "
                                                       "(created; a re-run into it resumes).")]
AddressOption = Annotated[str | None, typer.Option(
    "--address", help="Join this Ray cluster (auto, or ray://HOST:PORT) instead of starting Ray on this machine.")]
RayWorkersOption = Annotated[int, typer.Option(
    "--workers", min=1, help="Ray workers: actors of one CPU each, each loading the models once.")]
ShardSizeOption = Annotated[int, typer.Option(
    "--shard-size", min=1, help="Inputs per shard: the unit of work, of commit and of resumption.")]


def _exit(error: Exception, code: int) -> typer.Exit:
    """Print ``error`` and give the exit to raise."""
    _print_error(str(error))
    return typer.Exit(code)


def backfill(
    sources: Pages,
    out: OutOption,
    address: AddressOption = None,
    workers: RayWorkersOption = DEFAULTS.workers,
    shard_size: ShardSizeOption = SHARD_SIZE,
    max_mb: MaxMbOption = DEFAULT_MAX_MB,
    timeout: TimeoutOption = DEFAULTS.timeout_s,
    fast_bias: FastBiasOption = not DEFAULTS.contextual_bias,
    page_timeout: PageTimeoutOption = DEFAULTS.page_timeout_s,
    max_chars: MaxCharsOption = DEFAULTS.max_chars,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No line per shard.")] = False,
) -> None:
    """Analyse archives on Ray into Parquet shards of every store table, exactly once per shard (resumable)."""
    from wirescope.backfill import ManifestMismatch
    from wirescope.backfill import backfill as run_backfill
    from wirescope.backfill.manifest import ShardEntry

    settings = settings_from_flags(workers, None, max_mb, timeout, fast_bias=fast_bias, page_timeout=page_timeout,
                                   max_chars=max_chars)

    def on_shard(entry: ShardEntry) -> None:
        if not quiet:
            err_console.print(f"shard {markup_safe(entry.name)}: {entry.pages} inputs, {entry.documents} documents, "
                              f"{entry.errors} failed", highlight=False)

    try:
        report = run_backfill(sources, out, settings, address=address, shard_size=shard_size, on_shard=on_shard)
    except ManifestMismatch as error:
        raise _exit(error, EXIT_USAGE) from error
    console.print(
        f"[bold]{markup_safe(out)}[/bold]: {report.shards_written} shard(s) written, {report.shards_skipped} "
        f"already done; {report.documents} documents, {report.duplicates} duplicate(s) left out, "
        f"{len(report.failed)} failed; {report.seconds:.1f} s on {workers} worker(s), of which Ray's start "
        f"{report.ray_start_s:.1f} s and the workers' model loading {report.workers_start_s:.1f} s",
        highlight=False, soft_wrap=True)
    _exit_if_failed([failure.error() for failure in report.failed])


def load(
    folder: Annotated[Path, typer.Argument(help="A `wirescope backfill --out` folder.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Import the shards of a backfill into a DuckDB file (idempotently), then group stories."""
    from wirescope.backfill import NoBackfill
    from wirescope.backfill import load as run_load

    try:
        report = run_load(folder, db, DEFAULTS)
    except NoBackfill as error:
        raise _exit(error, EXIT_USAGE) from error
    except StoreError as error:
        raise _exit(error, EXIT_STORE_ERROR) from error
    console.print(
        f"[bold]{markup_safe(db)}[/bold]: {report.shards} shard(s); {report.loaded} documents loaded, "
        f"{report.already_stored} already stored, {report.errors} error(s) recorded; "
        f"{report.grouped} document(s) grouped into stories", highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command("backfill")(backfill)
    app.command("load")(load)
