"""A page's publication date, parsed once at the boundary (``pipeline.prepare_page``).

Readers and the HTML extractor hand over whatever text they found ("2024-03-03", a WARC-Date
"2024-03-03T09:15:00Z", "March 3, 2024"). ``normalise_published`` turns it into one ISO 8601 form
that every later stage compares as text: ``YYYY-MM-DD`` when only the day is known, else
``YYYY-MM-DDTHH:MM:SS`` with the UTC offset when one was given. Text that names no full date gives
``None``: the page is undated, and nothing downstream invents a date for it (never today's date,
never the day it was ingested; ``Document.published_raw`` keeps the text as found).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

# dateparser settings: absolute dates only. Relative expressions ("yesterday", "3 hours ago") and
# missing parts filled from the clock would make a page's date depend on when it was analysed.
DATEPARSER_SETTINGS: dict[str, Any] = {
    "PARSERS": ["custom-formats", "absolute-time"],
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PREFER_DATES_FROM": "past",
}
# Dates outside this range are typos or placeholders ("0001-01-01", "9999-12-31").
EARLIEST_YEAR = 1800
LATEST_YEAR = 2200


def normalise_published(raw: str | None) -> str | None:
    """The ISO form of a publication date as found on a page, or None when it names no full date."""
    text = (raw or "").strip()
    if not text:
        return None
    parsed = _parse_iso(text) or _parse_free_text(text)
    if parsed is None or not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        return None
    if isinstance(parsed, datetime):
        return parsed.isoformat(timespec="seconds")
    return parsed.isoformat()


def published_day(published: str | None) -> str | None:
    """The ``YYYY-MM-DD`` day of a normalised publication date (None stays None)."""
    return published[:10] if published else None


def _parse_iso(text: str) -> date | datetime | None:
    """ISO 8601 first: what readers, WARC headers and trafilatura give, parsed exactly and fast."""
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    # A midnight time with no zone is how many feeds write a bare day.
    if moment.tzinfo is None and moment.time() == datetime.min.time() and "T" not in text.upper():
        return moment.date()
    return moment


def _parse_free_text(text: str) -> date | datetime | None:
    """Dates written out ("March 3, 2024", "03/03/2024 09:15"): dateparser, absolute forms only."""
    import dateparser  # imported here: about 0.3 s, and most pages carry ISO dates

    moment = dateparser.parse(text[:100], settings=DATEPARSER_SETTINGS)
    if moment is not None and ":" not in text and moment.time() == datetime.min.time():
        return moment.date()  # no time was written: the day alone
    return moment
