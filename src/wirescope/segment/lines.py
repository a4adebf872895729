"""Step 1 of segmentation: the page's non-blank lines with their offsets, and each line's
role read from its own text (boilerplate, byline, caption, "Read more" marker, prose, short
sentence or fragment)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from importlib import resources
from itertools import pairwise

from wirescope.segment.patterns import WORD

# A line of at least this many words that ends like a sentence counts fully as prose.
PROSE_MIN_WORDS = 10
# A line of at least this many words whose neighbouring words are this often in alphabetical
# order is a tag cloud or a category list, not prose (prose scores about 0.5). Measurements:
# bench/RESULTS.md, 'Measurement histories'.
SORTED_LIST_MIN_WORDS = 12
SORTED_LIST_SHARE = 0.85
# Boilerplate "anywhere" patterns only apply to lines of at most this many words.
SHORT_BOILERPLATE_WORDS = 25
# The longest line read as a headline (a title, a "Read more: <headline>" teaser).
TITLE_MAX_WORDS = 20

_SENTENCE_END = re.compile(r"""[.!?…:;。！？]["'”’»)\]]*$""")
_BYLINE = re.compile(
    r"""^(?:\(?(?:by|words by|story by|written by)\s+[A-Z][\w.'’-]*(?:[\s,]+(?:and\s+|&\s+)?[A-Z][\w.'’-]*){0,8}
        (?:\s*[,|/–—-]\s*.{0,60})?\)?$)
      |^\(?(?:additional\s+)?(?:reporting|writing|editing|compiled|contributing|produced)\s+(?:by|from)\b""",
    re.IGNORECASE | re.VERBOSE,
)
_CAPTION = re.compile(
    r"^(?:\(?(?:photo|image|picture|photograph|caption|above|pictured|file photo)\s*(?:credit)?\s*:)"
    r"|(?:\((?:photo|image|picture)[^)]{0,60}\)"
    r"|(?:getty images|reuters/\S+|ap photo/\S+|afp(?: via getty images)?)\)?)$",
    re.IGNORECASE,
)
# "Read more: <headline>" (the line is a teaser) or a bare "Read more" (the next line is one).
_MARKER = re.compile(
    r"^(?:read (?:more|also|next)|see also|also read|related(?: story| article)?|more|watch|listen)"
    r"\s*(?:[:»>|–—-]\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)
# Whitespace plus the invisible characters that HTML flatteners leave on otherwise empty lines.
_BLANK = (" \t\r\f\v\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
          "\u200b\u200c\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff")
# Chinese, Japanese and Korean text has no spaces: two characters count as one word.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


class Role(Enum):
    BOILERPLATE = "boilerplate"
    BYLINE = "byline"
    CAPTION = "caption"
    MARKER = "marker"  # a bare "Read more": the next line is a teaser
    MARKED_TEASER = "marked_teaser"  # "Read more: <headline>"
    PROSE = "prose"
    SENTENCE = "sentence"  # short, but ends like a sentence
    FRAGMENT = "fragment"  # short, no sentence end: menu item, heading, date, link
    COMMENT_HEADER = "comment_header"  # "Alex on May 3, 2018 at 6:34 am said:" in a comment thread


# Lines that interrupt the text: nothing is grown across them without a cohesion test.
SEPARATORS = (Role.BOILERPLATE, Role.MARKER, Role.MARKED_TEASER, Role.COMMENT_HEADER)


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str
    words: int
    role: Role


def count_words(text: str) -> int:
    return len(text.split()) + len(_CJK.findall(text)) // 2


def split_lines(text: str) -> list[Line]:
    """Non-blank lines with the offsets of their stripped text, each with its role."""
    lines = []
    for match in re.finditer(r"[^\n]+", text):
        raw = match.group()
        stripped = raw.strip(_BLANK)
        if not stripped:
            continue
        start = match.start() + (len(raw) - len(raw.lstrip(_BLANK)))
        words = count_words(stripped)
        lines.append(Line(start, start + len(stripped), stripped, words, line_role(stripped, words)))
    return lines


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The boilerplate pattern file as three compiled alternations: start, anywhere, whole."""
    sections: dict[str, list[str]] = {"start": [], "anywhere": [], "whole": []}
    current = "start"
    source = resources.files("wirescope").joinpath("data/boilerplate_patterns.txt").read_text("utf-8")
    for raw in source.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]") and line[1:-1] in sections:
            current = line[1:-1]
            continue
        sections[current].append(f"(?:{line})")
    flags = re.IGNORECASE
    return (
        re.compile(r"^\W{0,3}(?:" + "|".join(sections["start"]) + ")", flags),
        re.compile("|".join(sections["anywhere"]), flags),
        re.compile(r"^(?:" + "|".join(sections["whole"]) + r")\W*$", flags),
    )


def is_boilerplate(text: str, words: int) -> bool:
    start, anywhere, whole = _patterns()
    if start.search(text) or whole.match(text):
        return True
    return words <= SHORT_BOILERPLATE_WORDS and anywhere.search(text) is not None


def _sorted_share(text: str) -> float:
    """Share of neighbouring words in alphabetical order: about half in prose, nearly all in a
    tag cloud or a category menu ("adote agua alerta ambiente amizade ...")."""
    words = [w.lower() for w in WORD.findall(text)]
    if len(words) < 2:
        return 0.0
    return sum(1 for a, b in pairwise(words) if a <= b) / (len(words) - 1)


def line_role(text: str, words: int) -> Role:
    """The role of one stripped line, from its own text only."""
    marker = _MARKER.match(text)
    if marker and words <= TITLE_MAX_WORDS:
        return Role.MARKED_TEASER if (marker.group("rest") or "").strip() else Role.MARKER
    if words <= 25 and _BYLINE.match(text):
        return Role.BYLINE
    if words <= 40 and _CAPTION.search(text):
        return Role.CAPTION
    if is_boilerplate(text, words):
        return Role.BOILERPLATE
    ends_sentence = _SENTENCE_END.search(text) is not None
    if not ends_sentence and words >= SORTED_LIST_MIN_WORDS and _sorted_share(text) >= SORTED_LIST_SHARE:
        return Role.FRAGMENT  # a tag cloud or category list flattened into one line
    if words >= PROSE_MIN_WORDS and ends_sentence:
        return Role.PROSE
    if ends_sentence and words >= 3:
        return Role.SENTENCE
    # Long lines without a final stop are usually prose cut by the flattener, not menus.
    return Role.PROSE if words >= 2 * PROSE_MIN_WORDS else Role.FRAGMENT
