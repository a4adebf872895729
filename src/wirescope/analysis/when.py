"""When: the temporal expressions of a story, resolved against the article's date.

A pure analyzer over the shared parse (never re-parses):

1. candidates are spaCy's DATE entities plus a few regular expressions for common news forms the
   tagger misses ("on Friday", "two days ago", "last week", "Sept. 30"); of overlapping candidates
   that normalise, the longest stays;
2. each candidate is normalised by hand-written rules first (why hand-written: dateparser has no
   news conventions, e.g. a bare weekday means the most recent such day or that day itself, and
   it guesses a day inside "in March"), then by dateparser for the forms the rules do not cover
   (numeric and unusual written dates), with the article's date as its base
   (``wirescope.io.dates`` parses absolute publication dates only, and analysis may not import io);
3. a bare weekday or a month without a year points back from the article's date unless the
   expression says "next"/"coming" or its verb is in the future ("will meet on Friday");
4. durations and ages ("two years", "45 years old") are not points in time and are dropped.

Values are ISO: ``YYYY-MM-DD``, ``YYYY-Www``, ``YYYY-MM`` or ``YYYY``. A point-in-time expression
that cannot be resolved (no article date, "the third quarter", "the 1990s") keeps value None.
Measurements: ``bench/dates.py`` (TempEval-3 TBAQ: tuned on TimeBank, AQUAINT held out).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Literal

from spacy.tokens import Doc, Span

from wirescope.analysis.nlp import doc_text
from wirescope.records import TimeExpression

Direction = Literal["past", "future"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
# Words around a date that do not move the day it names: prepositions outside TimeML's span, and
# TimeML's modifiers ("late yesterday", "around Nov. 1") that it normalises to the bare date.
LEADING_WORDS = frozenset({
    "on", "in", "at", "by", "since", "until", "till", "from", "to", "through", "during", "of", "for",
    "before", "after", "early", "late", "earlier", "later", "mid", "around", "about", "sometime",
    "approximately", "as", "only", "just",
})
PARTS_OF_DAY = frozenset({"morning", "afternoon", "evening", "night", "overnight", "midday", "noon"})
# Calendar days a day word stands for, counted from the article's date.
DAY_OFFSETS = {
    "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
    "yesterday": -1, "last night": -1, "tomorrow": 1, "the day before yesterday": -2,
    "the day after tomorrow": 2,
}
PAST_WORDS = frozenset({"last", "past", "previous"})
FUTURE_WORDS = frozenset({"next", "coming", "this coming", "upcoming"})
# Lemmas whose infinitive complement lies ahead ("plans to vote Tuesday").
FORWARD_LEMMAS = frozenset({"plan", "expect", "schedule", "set", "due", "intend", "hope", "aim", "prepare"})
# "would" is news's future in reported speech ("said the bridge would reopen on Thursday"); it moved
# no TimeBank value either way, so it stays for that reading.
FUTURE_AUXILIARIES = frozenset({"will", "'ll", "shall", "wo", "would"})
# A day or month written without its year that lies at most this far after the article's date is
# this year's (news announces dates ahead: "payable Dec. 15", "elections in January" in a November
# story); further ahead it is last year's. Measured on TimeBank (bench/dates.py, tuning part):
# day-level errors 59 with no window, 46 with 30 days, 36 from 60 to 183 days; month-level errors
# 62 with no window, 57 with 1-2 months, 56 with 3-4, 58 with 5, 60 with 6.
FORWARD_WINDOW_DAYS = 90
FORWARD_WINDOW_MONTHS = 3
EARLIEST_YEAR = 1800
LATEST_YEAR = 2200

_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?" \
         r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_ORDINAL = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(\d{4})"
_COUNT = "|".join(NUMBER_WORDS) + r"|\d{1,3}"

# Normalisation patterns, matched against the whole cleaned text (see _clean).
MONTH_DAY = re.compile(rf"(?:{_WEEKDAY} )?(?:the )?({_MONTH}) {_ORDINAL}(?: {_YEAR})?")
DAY_MONTH = re.compile(rf"(?:{_WEEKDAY} )?(?:the )?{_ORDINAL} (?:of )?({_MONTH})(?: {_YEAR})?")
MONTH_YEAR = re.compile(rf"(?:(last|next|this|past|previous|coming) )?({_MONTH})(?: (?:of )?{_YEAR})?"
                        r"(?: (this|last|next) year)?")
WEEKDAY = re.compile(rf"(?:(last|next|this|this coming|coming|past|previous) )?({_WEEKDAY})")
YEAR = re.compile(rf"(?:fiscal |the year |calendar )?{_YEAR}")
RELATIVE_UNIT = re.compile(r"(?:the )?(last|this|next|past|previous|coming|current|upcoming) (week|weekend|month|year)")
AGO = re.compile(rf"(?:about |nearly |almost |some |roughly |more than |over |just |only )?({_COUNT}) "
                 r"(day|week|month|year)s? (?:or so )?(ago|from now|hence)")
ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
SLASH_DAY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})")
# Points in time that cannot be resolved to a value in our forms, but are still dates of the story.
_QUARTER = r"(?:(?:first|second|third|fourth|last|next|this|current|latest|previous|same|year-ago|year-earlier)" \
           r"(?:[- ](?:fiscal|calendar))?[- ](?:quarter|half)" \
           r"|(?:fiscal|calendar) (?:first|second|third|fourth)[- ]quarter)"
UNRESOLVED_POINT = re.compile(
    r"(?:the )?(?:(?:early|late|mid)[- ])?(?:\d{4}s|\d0s)"
    rf"|(?:the )?.*{_QUARTER}.*"
    r"|(?:the |this |last |next )?(?:spring|summer|autumn|fall|winter|weekend)"
    r"|(?:in )?recent (?:days|weeks|months|years)|(?:a few|several|many) (?:days|weeks|months|years) ago"
    # anchored to another time of the story, not to the article's date ("a year earlier")
    rf"|(?:{_COUNT}) (?:day|week|month|year)s? (?:earlier|later|before|after)"
    r"|(?:the )?year-(?:earlier|ago)(?: period)?|(?:the )?(?:previous|following|same) (?:day|week|month|year)"
)
# Durations and ages are not points in time ("two years", "the past five years", "45 years old").
DURATION = re.compile(
    rf"(?:the )?(?:(?:past|last|next|first|coming|previous|final) )?(?:{_COUNT}|several|few|many|a few)?[ -]?"
    r"(?:day|week|month|year|decade|centur(?:y|ie))s?(?:[ -](?:old|long))?"
    r"|.*\b(?:old|long|annual|daily|weekly|monthly|yearly|quarterly)\b.*"
)

# Detection rules over the document text, for forms spaCy's DATE tagger misses in news.
_WEEKDAY_NAME = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH_NAME = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?" \
              r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
_FULL_MONTH_NAME = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
DETECTION_RULES = [
    re.compile(rf"\b(?:(?:last|next|this|this coming|coming|past|previous) )?(?:(?:early|late) )?{_WEEKDAY_NAME}\b"
               rf"(?: (?:morning|afternoon|evening|night)\b)?(?:,? {_MONTH_NAME}\.? \d{{1,2}}\b(?:,? \d{{4}}\b)?)?"),
    re.compile(rf"\b(?:(?:early|late|mid)[- ])?{_MONTH_NAME}\.? \d{{1,2}}(?:st|nd|rd|th)?\b(?:,? \d{{4}}\b)?"),
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{_FULL_MONTH_NAME}(?:,? \d{{4}})?\b"),
    re.compile(r"(?i)\b(?:(?:early|late|earlier|later) )?(?:the day before yesterday|the day after tomorrow|yesterday"
               r"|today|tonight|tomorrow|last night|this (?:morning|afternoon|evening))\b"),
    re.compile(r"(?i)\b(?:(?:early|late|earlier|later) )?(?:last|this|next|past|coming) (?:week|weekend|month|year)\b"),
    re.compile(rf"(?i)\b(?:{_COUNT}) (?:day|week|month|year)s? (?:or so )?(?:ago|from now)\b"),
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{4}\b"),
]


@dataclass(frozen=True)
class TimeValue:
    """What an expression's text normalises to, before it is placed in a document."""

    value: str | None
    granularity: str
    relative: bool


def find_time_expressions(doc: Doc, article_date: date | None) -> list[TimeExpression]:
    """The points in time a parsed story names, normalised against its date (None: undated)."""
    found = []
    document_text = doc_text(doc)
    for start, end in _candidate_spans(doc, document_text):
        text = document_text[start:end]
        span = doc.char_span(start, end, alignment_mode="expand")
        direction: Direction = "future" if span is not None and points_forward(span) else "past"
        normalised = normalise_time_text(text, article_date, direction)
        if normalised is not None:
            found.append(TimeExpression(start, end, text, normalised.value, normalised.granularity,
                                        normalised.relative))
    return _longest_first(found)


def event_date(sentence_start: int, sentence_end: int, expressions: Sequence[TimeExpression],
               article_date: date | None) -> tuple[str | None, str]:
    """The day a sentence states ("sentence"), else the article's date ("article"), else ("none")."""
    for expression in expressions:
        inside = sentence_start <= expression.start and expression.end <= sentence_end
        if inside and expression.granularity == "day" and expression.value is not None:
            return expression.value, "sentence"
    if article_date is not None:
        return article_date.isoformat(), "article"
    return None, "none"


def normalise_time_text(text: str, article_date: date | None, direction: Direction = "past") -> TimeValue | None:
    """The time ``text`` names, or None when it names no point in time (a duration, an age, no date)."""
    cleaned = _clean(text)
    if not cleaned:
        return None
    for rule in (_day_word, _explicit_day, _weekday, _month, _year, _relative_unit, _ago):
        result = rule(cleaned, article_date, direction)
        if result is not None:
            return result
    if UNRESOLVED_POINT.fullmatch(cleaned):
        return TimeValue(None, _unit_of(cleaned), relative=not re.search(r"\d{4}", cleaned))
    if DURATION.fullmatch(cleaned):
        return None
    return _dateparser_value(cleaned, article_date, direction)


def points_forward(span: Span) -> bool:
    """Whether the verb an expression hangs on speaks of the future ("will meet", "plans to vote")."""
    token = span.root
    for _ in range(4):  # a date hangs on its verb directly or through a preposition or a noun
        if token.pos_ in ("VERB", "AUX") or token.head is token:
            break
        token = token.head
    auxiliaries = {child.lower_ for child in token.children if child.dep_ in ("aux", "auxpass")}
    if auxiliaries & FUTURE_AUXILIARIES:
        return True
    if "to" in auxiliaries and token.dep_ == "xcomp":
        return token.head.lemma_ in FORWARD_LEMMAS or token.head.lower_ == "going"
    return False


# 1. Candidates -------------------------------------------------------------------------------

def _candidate_spans(doc: Doc, text: str) -> list[tuple[int, int]]:
    """DATE entities and rule matches, overlapping or not (``_longest_first`` chooses)."""
    spans = {_trim(text, ent.start_char, ent.end_char) for ent in doc.ents if ent.label_ == "DATE"}
    for rule in DETECTION_RULES:
        spans.update(_trim(text, match.start(), match.end()) for match in rule.finditer(text))
    return sorted(span for span in spans if span[0] < span[1])


def _longest_first(expressions: list[TimeExpression]) -> list[TimeExpression]:
    """Of overlapping expressions the longest stays (the earliest on a tie). Only expressions that
    normalised compete, so "Sept. 30" of a rule wins over spaCy's "the year ended Sept. 30"."""
    kept: list[TimeExpression] = []
    for expression in sorted(expressions, key=lambda e: (e.start - e.end, e.start)):
        if all(expression.end <= other.start or expression.start >= other.end for other in kept):
            kept.append(expression)
    return sorted(kept, key=lambda e: e.start)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without a leading preposition ("on Friday") or a possessive or punctuation at its end."""
    words = text[start:end].split(" ")
    while len(words) > 1 and words[0].lower() in ("on", "in", "at", "by", "since", "until", "from", "of"):
        start += len(words.pop(0)) + 1
    while end > start and (text[end - 1] in " ,;:)'’" or text[end - 2:end] in ("'s", "’s")):
        end -= 2 if text[end - 2:end] in ("'s", "’s") else 1
    return start, end


# 2. Normalisation rules ----------------------------------------------------------------------

def _clean(text: str) -> str:
    """Lower case, no punctuation, no words that leave the date alone ("late yesterday" -> "yesterday")."""
    text = text.lower().replace("’", "'").replace("'s ", " ")
    text = re.sub(r"'s$", "", text)
    text = re.sub(r"[,;:()\"]|(?<!\d)\.|\.(?!\d)", " ", text)  # a full stop stays inside "14.03.2024"
    text = re.sub(r"(?<=[a-z])-(?=\d)|(?<=mid)-", " ", text)
    text = re.sub(r"^(?:the )?(?:very )?(?:end|beginning|start|middle) of ", "", text.strip())
    words = text.split()
    while len(words) > 1 and words[0] in LEADING_WORDS:
        words.pop(0)
    if len(words) > 1 and words[-1] in PARTS_OF_DAY and " ".join(words) not in DAY_OFFSETS:
        words.pop()
    return " ".join(words)


def _day_word(text: str, article: date | None, _direction: Direction) -> TimeValue | None:
    if text not in DAY_OFFSETS:
        return None
    if article is None:
        return TimeValue(None, "day", True)
    return TimeValue((article + timedelta(days=DAY_OFFSETS[text])).isoformat(), "day", True)


def _explicit_day(text: str, article: date | None, direction: Direction) -> TimeValue | None:
    """"Sept. 30", "Friday, Oct. 13, 1989", "3rd of March", "2024-03-03", "3/14/2024"."""
    month_day = MONTH_DAY.fullmatch(text)
    day_month = DAY_MONTH.fullmatch(text)
    if month_day:
        month, day, year = MONTHS[month_day[1]], int(month_day[2]), month_day[3]
    elif day_month:
        month, day, year = MONTHS[day_month[2]], int(day_month[1]), day_month[3]
    else:
        return _numeric_day(text)
    if year is not None:
        return _day_value(int(year), month, day, relative=False)
    if article is None:
        return TimeValue(None, "day", True)
    return _day_value(_year_of(month, day, article, direction), month, day, relative=True)


def _numeric_day(text: str) -> TimeValue | None:
    iso = ISO_DAY.fullmatch(text)
    if iso:
        return _day_value(int(iso[1]), int(iso[2]), int(iso[3]), relative=False)
    slash = SLASH_DAY.fullmatch(text)
    if not slash:
        return None
    first, second, year = int(slash[1]), int(slash[2]), int(slash[3])
    year += 1900 if year < 100 and year >= 50 else 2000 if year < 100 else 0
    # month first, as American wires write it, unless the first number cannot be a month
    month, day = (second, first) if first > 12 else (first, second)
    return _day_value(year, month, day, relative=False)


def _day_value(year: int, month: int, day: int, relative: bool) -> TimeValue | None:
    try:
        return TimeValue(date(year, month, day).isoformat(), "day", relative)
    except ValueError:
        return None


def _year_of(month: int, day: int, article: date, direction: Direction) -> int:
    """The year of a month and day written without one: the most recent such day, unless the story
    looks forward or the day lies at most FORWARD_WINDOW_DAYS ahead ("payable Dec. 15")."""
    this_year = date(article.year, month, min(day, 28 if month == 2 else day))
    if this_year >= article:
        ahead = (this_year - article).days
        return article.year if direction == "future" or ahead <= FORWARD_WINDOW_DAYS else article.year - 1
    return article.year + 1 if direction == "future" and article.month - month > 6 else article.year


def _weekday(text: str, article: date | None, direction: Direction) -> TimeValue | None:
    """A bare weekday: the most recent such day or that day itself; "next"/"coming" or a future verb
    look forward; "last" never means the article's own day."""
    match = WEEKDAY.fullmatch(text)
    if not match:
        return None
    if article is None:
        return TimeValue(None, "day", True)
    target = WEEKDAYS.index(match[2])
    modifier = match[1]
    if modifier in FUTURE_WORDS or (modifier in (None, "this") and direction == "future"):
        ahead = (target - article.weekday()) % 7
        if modifier in ("next", "coming", "this coming") and ahead == 0:
            ahead = 7
        return TimeValue((article + timedelta(days=ahead)).isoformat(), "day", True)
    back = (article.weekday() - target) % 7
    if modifier in PAST_WORDS and back == 0:
        back = 7
    return TimeValue((article - timedelta(days=back)).isoformat(), "day", True)


def _month(text: str, article: date | None, direction: Direction) -> TimeValue | None:
    """"March", "in March 2024", "last March", "June last year"."""
    match = MONTH_YEAR.fullmatch(text)
    if not match:
        return None
    month = MONTHS[match[2]]
    if match[3] is not None:
        return TimeValue(f"{match[3]}-{month:02d}", "month", False)
    if article is None:
        return TimeValue(None, "month", True)
    if match[4] is not None:
        year = article.year + {"this": 0, "last": -1, "next": 1}[match[4]]
    elif match[1] in PAST_WORDS:
        year = article.year if month < article.month else article.year - 1
    elif match[1] in FUTURE_WORDS:
        year = article.year if month > article.month else article.year + 1
    elif match[1] == "this":
        year = article.year
    else:
        ahead = (month - article.month) % 12
        forward = direction == "future" or ahead <= FORWARD_WINDOW_MONTHS
        year = article.year + (month < article.month) if forward else article.year - (month > article.month)
    return TimeValue(f"{year}-{month:02d}", "month", True)


def _year(text: str, _article: date | None, _direction: Direction) -> TimeValue | None:
    match = YEAR.fullmatch(text)
    if not match or not EARLIEST_YEAR <= int(match[1]) <= LATEST_YEAR:
        return None
    return TimeValue(match[1], "year", False)


def _relative_unit(text: str, article: date | None, _direction: Direction) -> TimeValue | None:
    """"last week", "this month", "next year", "the past year", "this weekend"."""
    match = RELATIVE_UNIT.fullmatch(text)
    if not match:
        return None
    step = -1 if match[1] in PAST_WORDS else 1 if match[1] in FUTURE_WORDS else 0
    unit = "week" if match[2] == "weekend" else match[2]
    if article is None:
        return TimeValue(None, unit, True)
    return TimeValue(_shift(article, unit, step), unit, True)


def _ago(text: str, article: date | None, _direction: Direction) -> TimeValue | None:
    """"two days ago", "a year ago", "six weeks from now": the unit is the granularity."""
    match = AGO.fullmatch(text)
    if not match:
        return None
    count = NUMBER_WORDS.get(match[1]) or int(match[1])
    unit = match[2]
    if article is None:
        return TimeValue(None, unit, True)
    return TimeValue(_shift(article, unit, -count if match[3] == "ago" else count), unit, True)


def _shift(article: date, unit: str, count: int) -> str:
    """The ISO value of the ``unit`` that lies ``count`` units from the article's date."""
    if unit == "day":
        return (article + timedelta(days=count)).isoformat()
    if unit == "week":
        year, week, _ = (article + timedelta(weeks=count)).isocalendar()
        return f"{year}-W{week:02d}"
    if unit == "month":
        months = article.year * 12 + article.month - 1 + count
        return f"{months // 12}-{months % 12 + 1:02d}"
    return str(article.year + count)


def _unit_of(text: str) -> str:
    """The granularity of an expression that has no value: its smallest calendar unit word."""
    for unit in ("day", "week", "month"):
        if unit in text:
            return unit
    return "month" if re.search(r"quarter|half|spring|summer|autumn|fall|winter|season", text) else "year"


# 3. dateparser, for what the rules do not cover -----------------------------------------------

# Only text with a month name or a numeric date reaches dateparser: on anything else it reads
# counts and units as offsets from the base ("the first two years").
DATEPARSER_WORTHY = re.compile(rf"\b{_MONTH}\b|\d{{1,4}}[/.-]\d{{1,2}}")
GRANULARITIES = ("day", "week", "month", "year")


@lru_cache(maxsize=64)
def _date_parser(base: date, direction: Direction) -> Any:
    """One dateparser parser per base day and direction (building one costs more than a parse)."""
    from dateparser.date import DateDataParser  # imported here: about 0.1 s, and rules cover most text

    settings = {"RELATIVE_BASE": datetime(base.year, base.month, base.day), "PREFER_DATES_FROM": direction,
                "RETURN_TIME_AS_PERIOD": True, "PREFER_DAY_OF_MONTH": "first"}
    return DateDataParser(languages=["en"], settings=settings)


@lru_cache(maxsize=4096)
def _dateparser_value(text: str, article: date | None, direction: Direction) -> TimeValue | None:
    if not DATEPARSER_WORTHY.search(text):
        return None
    relative = not re.search(r"\b\d{4}\b", text)
    if relative and article is None:
        return None
    parsed = _date_parser(article or date(2000, 1, 1), direction).get_date_data(text)
    if parsed.date_obj is None or parsed.period not in GRANULARITIES:
        return None
    moment, granularity = parsed.date_obj.date(), parsed.period
    value = {"day": moment.isoformat(), "month": f"{moment.year}-{moment.month:02d}", "year": str(moment.year),
             "week": "{}-W{:02d}".format(*moment.isocalendar()[:2])}[granularity]
    return TimeValue(value, granularity, relative)
