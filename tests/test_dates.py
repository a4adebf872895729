"""Publication dates: parsed once at the page boundary; an undated page stays undated."""

from __future__ import annotations

import datetime as real_datetime

import pytest

import wirescope
from wirescope.analysis import actors, gazetteer
from wirescope.io.dates import normalise_published, published_day

# A fictional wire page that names a former office holder and carries no date anywhere.
UNDATED_PAGE = (
    "Harbour talks resume after a week of silence\n\n"
    "Joe Biden met port officials in Riverside on Tuesday to discuss the stalled harbour accord, "
    "his office said.\n\n"
    "The officials said they would answer within a week."
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-03", "2024-03-03"),
        ("2024-03-03T09:15:00Z", "2024-03-03T09:15:00+00:00"),
        ("2024-03-03 00:00:00", "2024-03-03"),
        ("March 3, 2024", "2024-03-03"),
        ("3 March 2024 09:15", "2024-03-03T09:15:00"),
        (" 2016-10-05T12:00:00 ", "2016-10-05T12:00:00"),
    ],
)
def test_written_dates_become_one_iso_form(raw, expected):
    assert normalise_published(raw) == expected
    assert published_day(normalise_published(raw)) == expected[:10]


@pytest.mark.parametrize("raw", [None, "", "   ", "yesterday", "3 hours ago", "March 2024", "soon",
                                 "0001-01-01", "not a date"])
def test_text_that_names_no_full_date_is_undated(raw):
    # Relative dates and missing parts would be filled from the clock: refused, not guessed.
    assert normalise_published(raw) is None


def test_the_page_date_is_normalised_once_and_the_raw_text_kept():
    analysis = wirescope.analyze(UNDATED_PAGE, published="March 3, 2024")
    assert analysis.document.published == "2024-03-03"
    assert analysis.document.published_raw == "March 3, 2024"
    contract = analysis.to_dict()["document"]
    assert contract["published"] == "2024-03-03" and contract["published_raw"] == "March 3, 2024"


def test_an_unreadable_date_leaves_the_page_undated_with_its_raw_text():
    analysis = wirescope.analyze(UNDATED_PAGE, published="sometime last week")
    assert analysis.document.published is None
    assert analysis.document.published_raw == "sometime last week"


class _NoToday(real_datetime.date):
    """A ``date`` whose ``today`` fails: any use of the clock in actor coding shows up."""

    @classmethod
    def today(cls):  # type: ignore[override]
        raise AssertionError("actor coding asked for today's date")


def test_undated_actor_codes_do_not_depend_on_the_day_of_analysis(monkeypatch):
    monkeypatch.setattr(actors, "date", _NoToday)
    monkeypatch.setattr(gazetteer, "date", _NoToday)  # gazetteer.coding_day
    undated = wirescope.analyze(UNDATED_PAGE)
    assert undated.document.published is None
    on_register_day = wirescope.analyze(UNDATED_PAGE, published=gazetteer.register_day())
    codes = {e.name: e.code for e in undated.entities}
    assert codes == {e.name: e.code for e in on_register_day.entities}
    # Biden's presidency ended in the tables' own dates: an undated page is coded after it.
    assert codes.get("Joe Biden") == "USAELI"
    dated = wirescope.analyze(UNDATED_PAGE, published="2022-06-01")
    assert {e.name: e.code for e in dated.entities}.get("Joe Biden") == "USAGOV"


def test_register_day_is_the_day_after_the_latest_dated_row():
    gaz = actors.load_gazetteer()
    latest = max(b for rows in gaz.actors.values() for r in rows for b in (r.start, r.end) if b)
    day_before = real_datetime.date.fromisoformat(gazetteer.register_day()) - real_datetime.timedelta(days=1)
    # Row bounds close every month on day 31 ("2025-04-31"): the day before is that month's last.
    assert day_before.isoformat()[:7] == latest[:7]
