"""The options several commands share, and how the flags map onto one ``Settings``.

Option defaults come from ``DEFAULTS`` (``Settings()``), so a default is written once, in
``wirescope.settings``, and ``--help`` shows it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from wirescope.settings import MB, Settings, make_settings

DEFAULTS = Settings()
DEFAULT_DB = Path(os.environ.get("WIRESCOPE_DB", "wirescope.duckdb"))
DEFAULT_MAX_MB = DEFAULTS.max_bytes / MB

Pages = Annotated[list[str], typer.Argument(
    help="Files, directories, .jsonl, .warc(.gz) files, http(s) URLs, or - for stdin.")]
DbOption = Annotated[Path, typer.Option("--db", help="DuckDB file (created on first use). Env: WIRESCOPE_DB.")]
WorkersOption = Annotated[int, typer.Option("--workers", min=1, help="Parser processes (spaCy nlp.pipe n_process).")]
BatchOption = Annotated[int, typer.Option(
    "--batch-size", min=1, help="Pages per parse batch and per database transaction.")]
MaxMbOption = Annotated[float, typer.Option("--max-mb", min=0.001, help="Reject pages larger than this many MB.")]
TimeoutOption = Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds to wait for a URL.")]
FastBiasOption = Annotated[bool, typer.Option(
    "--fast-bias", help="Score sentence bias with the static model alone: end to end about 20% faster, "
                        "BABE macro-F1 0.719 instead of 0.756.")]
RulesEventsOption = Annotated[bool, typer.Option(
    "--rules-events", help="Code events with the rule lexicon alone, without the learned tagger: end to end "
                           "about 20% faster, less accurate on news (bench/RESULTS.md section 16).")]
MinEventConfidenceOption = Annotated[float | None, typer.Option(
    "--min-event-confidence", min=0, max=1, help="Keep only events at least this sure (0 keeps every event the "
                                                 "coder reads); default: 0.4 for the learned coder, chosen on held-out "
                                                 "data, none for --rules-events.")]
def _country_code(value: str | None) -> str | None:
    if value is not None and not (len(value) == 2 and value.isascii() and value.isalpha()):
        raise typer.BadParameter(f"{value!r} is not an ISO 3166-1 alpha-2 country code (US, GB, DE ...)")
    return value.upper() if value else None


HomeCountryOption = Annotated[str | None, typer.Option(
    "--home-country", callback=_country_code,
    help="The country the pages' outlet writes from (ISO alpha-2, e.g. US): steers ambiguous place names "
         "(\"Alexandria\" in a US paper). `ingest` also learns each outlet's country from its stored "
         "documents, which beats this.")]
PageTimeoutOption = Annotated[float, typer.Option(
    "--page-timeout", min=0, help="Seconds a page may take to analyse; a page over it is recorded as an error "
                                  "and its worker process replaced (0: analyse in this process, no limit).")]
MaxCharsOption = Annotated[int, typer.Option(
    "--max-chars", min=1000, help="Analyse at most this many characters of a page (cut at a sentence end; "
                                  "the whole text is stored).")]
PublishedSinceOption = Annotated[str | None, typer.Option(
    "--since", help="Only documents published on or after this ISO date (undated ones never match).")]
PublishedUntilOption = Annotated[str | None, typer.Option(
    "--until", help="Only documents published on or before this ISO date (undated ones never match).")]
ReanalyseOption = Annotated[bool, typer.Option("--reanalyse", help="Analyse again pages already stored.")]


def settings_from_flags(workers: int | None = None, batch_size: int | None = None, max_mb: float | None = None,
                        timeout: float | None = None, reanalyse: bool | None = None,
                        fast_bias: bool | None = None, rules_events: bool | None = None,
                        page_timeout: float | None = None, max_chars: int | None = None,
                        min_event_confidence: float | None = None, home_country: str | None = None) -> Settings:
    """The command line's flags as Settings; a flag a command does not have keeps its default."""
    return make_settings(workers=workers, batch_size=batch_size,
                         max_bytes=None if max_mb is None else int(max_mb * MB), timeout_s=timeout,
                         reanalyse=reanalyse, contextual_bias=None if fast_bias is None else not fast_bias,
                         event_coder="rules" if rules_events else None, page_timeout_s=page_timeout,
                         max_chars=max_chars, event_min_confidence=min_event_confidence,
                         home_country=home_country)
