"""Temporal expressions resolved against the article's date (wirescope.analysis.when).

Every sentence here is fictional. The article date of most tests is Wednesday 10 April 2024.
"""

from __future__ import annotations

from datetime import date

import pytest

from wirescope.analysis.nlp import load_nlp
from wirescope.analysis.when import (
    Direction,
    TimeExpression,
    event_date,
    find_time_expressions,
    normalise_time_text,
)

WEDNESDAY = date(2024, 4, 10)

STORY = (
    "Dock workers in Port Velin walked out on Friday, the harbour union said. "
    "The dispute began last week, after pay talks collapsed in March. "
    "Mayor Ilsa Korven met union leaders yesterday and will meet them again next Tuesday. "
    "Two days ago the council approved the March 3 budget, first tabled on 12 January 2023. "
    "This month the port has handled half its usual cargo. "
    "The quay, which has been closed for two years, was built by a firm whose founder is 61 years old."
)


def expressions(text: str, article_date: date | None = WEDNESDAY) -> list[TimeExpression]:
    return find_time_expressions(load_nlp()(text), article_date)


def value_of(text: str, article_date: date | None, direction: Direction = "past") -> str | None:
    normalised = normalise_time_text(text, article_date, direction)
    assert normalised is not None
    return normalised.value


def values_by_text(found: list[TimeExpression]) -> dict[str, str | None]:
    return {e.text: e.value for e in found}


@pytest.mark.parametrize(
    ("text", "value", "granularity"),
    [
        ("Friday", "2024-04-05", "day"),
        ("on Friday", "2024-04-05", "day"),
        ("Wednesday", "2024-04-10", "day"),  # the article's own weekday is that day itself
        ("Wednesday night", "2024-04-10", "day"),
        ("last Wednesday", "2024-04-03", "day"),
        ("next Tuesday", "2024-04-16", "day"),
        ("yesterday", "2024-04-09", "day"),
        ("late yesterday", "2024-04-09", "day"),
        ("tomorrow", "2024-04-11", "day"),
        ("two days ago", "2024-04-08", "day"),
        ("March 3", "2024-03-03", "day"),
        ("Sept. 30", "2023-09-30", "day"),  # more than three months ahead: last year's
        ("May 20", "2024-05-20", "day"),  # a few weeks ahead: announced, this year's
        ("the 3rd of March", "2024-03-03", "day"),
        ("Saturday, March 2, 2024", "2024-03-02", "day"),
        ("2024-02-14", "2024-02-14", "day"),
        ("3/14/2024", "2024-03-14", "day"),
        ("last week", "2024-W14", "week"),
        ("this week", "2024-W15", "week"),
        ("in March", "2024-03", "month"),
        ("this month", "2024-04", "month"),
        ("last month", "2024-03", "month"),
        ("in June", "2024-06", "month"),  # two months ahead: this year's
        ("in August", "2023-08", "month"),  # four months ahead: last year's
        ("March 2021", "2021-03", "month"),
        ("last year", "2023", "year"),
        ("in 2019", "2019", "year"),
        ("a year ago", "2023", "year"),
    ],
)
def test_news_forms_resolve_against_the_article_date(text, value, granularity):
    normalised = normalise_time_text(text, WEDNESDAY)
    assert normalised is not None
    assert (normalised.value, normalised.granularity) == (value, granularity)


@pytest.mark.parametrize(
    ("article_date", "text", "value"),
    [
        (date(2025, 1, 15), "in March", "2025-03"),  # two months ahead of a January story: this year's
        (date(2025, 1, 15), "in December", "2024-12"),
        (date(2025, 1, 15), "in July", "2024-07"),  # half a year ahead: last year's
        (date(2024, 11, 20), "in January", "2025-01"),
        (date(2024, 11, 20), "Dec. 15", "2024-12-15"),
        (date(2025, 1, 3), "Dec. 30", "2024-12-30"),
        (date(2025, 1, 3), "last week", "2024-W52"),
    ],
)
def test_a_month_without_its_year_takes_the_nearest_sensible_year(article_date, text, value):
    normalised = normalise_time_text(text, article_date)
    assert normalised is not None and normalised.value == value


def test_a_bare_weekday_points_forward_only_when_the_story_does():
    assert value_of("Friday", WEDNESDAY, "future") == "2024-04-12"
    assert value_of("Wednesday", WEDNESDAY, "future") == "2024-04-10"
    assert value_of("next Wednesday", WEDNESDAY) == "2024-04-17"


@pytest.mark.parametrize("text", ["two years", "the past five years", "61 years old", "a week-long", "annual"])
def test_durations_and_ages_are_not_points_in_time(text):
    assert normalise_time_text(text, WEDNESDAY) is None


def test_without_an_article_date_only_written_out_dates_resolve():
    assert value_of("March 3, 2021", None) == "2021-03-03"
    for text in ("Friday", "yesterday", "last week", "in March", "two days ago", "March 3"):
        normalised = normalise_time_text(text, None)
        assert normalised is not None and normalised.value is None and normalised.relative


def test_a_story_gives_each_form_with_its_offsets():
    doc = load_nlp()(STORY)
    found = find_time_expressions(doc, WEDNESDAY)
    assert all(doc.text[e.start:e.end] == e.text for e in found)
    values = values_by_text(found)
    assert values["Friday"] == "2024-04-05"
    assert values["last week"] == "2024-W14"
    assert values["March"] == "2024-03"
    assert values["yesterday"] == "2024-04-09"
    assert values["next Tuesday"] == "2024-04-16"
    assert values["Two days ago"] == "2024-04-08"
    assert values["March 3"] == "2024-03-03"
    assert values["12 January 2023"] == "2023-01-12"
    assert values["This month"] == "2024-04"
    assert not any("years" in text for text in values)  # "two years", "61 years old"
    written_out = next(e for e in found if e.text == "12 January 2023")
    assert not written_out.relative and next(e for e in found if e.text == "Friday").relative


def test_a_future_verb_turns_a_weekday_forward():
    found = values_by_text(expressions(
        "The ferry operator will resume crossings on Friday. Officials said the bridge would reopen on Thursday."
    ))
    assert found == {"Friday": "2024-04-12", "Thursday": "2024-04-11"}


def test_a_past_verb_keeps_the_weekday_back():
    found = values_by_text(expressions("The ferry operator resumed crossings on Friday and Monday."))
    assert found == {"Friday": "2024-04-05", "Monday": "2024-04-08"}


def test_an_undated_story_keeps_relative_expressions_unresolved():
    found = expressions("Harbour pilots in Velin struck on Friday; the quay opened on 3 March 2022.", None)
    assert values_by_text(found) == {"Friday": None, "3 March 2022": "2022-03-03"}


def test_unresolvable_points_stay_with_no_value():
    found = expressions("Profits at Velin Shipping fell in the third quarter, as in the 1990s.")
    assert [(e.text, e.value) for e in found] == [("the third quarter", None), ("the 1990s", None)]


def test_empty_and_dateless_texts_give_nothing():
    assert expressions("") == []
    assert expressions("The harbour master counted the boats.") == []


def test_the_batch_path_gives_what_the_single_path_gives():
    texts = [STORY, "Ferries stopped on Monday.", ""]
    single = [find_time_expressions(load_nlp()(text), WEDNESDAY) for text in texts]
    batch = [find_time_expressions(doc, WEDNESDAY) for doc in load_nlp().pipe(texts)]
    assert batch == single


def test_event_date_prefers_a_day_stated_in_the_sentence():
    doc = load_nlp()(STORY)
    found = find_time_expressions(doc, WEDNESDAY)
    sentences = list(doc.sents)
    first, second, third = sentences[0], sentences[1], sentences[2]
    assert event_date(first.start_char, first.end_char, found, WEDNESDAY) == ("2024-04-05", "sentence")
    # "last week" and "in March" are no single day: the article's date stands in
    assert event_date(second.start_char, second.end_char, found, WEDNESDAY) == ("2024-04-10", "article")
    # two days in one sentence: the first one stated
    assert event_date(third.start_char, third.end_char, found, WEDNESDAY) == ("2024-04-09", "sentence")


def test_event_date_without_any_date_is_none():
    doc = load_nlp()("Harbour pilots in Velin struck on Friday. The quay opened on 3 March 2022.")
    found = find_time_expressions(doc, None)
    first, second = list(doc.sents)
    assert event_date(first.start_char, first.end_char, found, None) == (None, "none")
    assert event_date(second.start_char, second.end_char, found, None) == ("2022-03-03", "sentence")
    assert event_date(0, 0, [], None) == (None, "none")
