"""Gender evidence for person names: titles, pronouns and a small list of given names.

People who share a surname (a politician and their spouse, two siblings) are told apart by it:
"Mr. Velde" never joins "Mara Velde", and "she" never joins "Jonas Velde". The evidence, strongest
first: a gendered title written with the name in the text ("Mrs. Mara Velde", "Mr. Velde"), then the
given name looked up in ``data/first_names.tsv`` (project-written, names borne by men and women
alike left out). No evidence: the gender is unknown and compatible with anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Literal

Gender = Literal["m", "f"]
FIRST_NAMES_FILE = "first_names.tsv"

MALE_TITLES = frozenset({"mr", "mister", "sir", "lord", "king", "prince", "sheikh", "emir", "father"})
FEMALE_TITLES = frozenset({"mrs", "ms", "miss", "madam", "madame", "mme", "dame", "lady", "queen",
                           "princess", "sister"})
MALE_PRONOUNS = frozenset({"he", "him", "his", "himself"})
FEMALE_PRONOUNS = frozenset({"she", "her", "hers", "herself"})


def title_gender(word: str) -> Gender | None:
    """"Mr." -> m, "Mrs" / "Ms." -> f; any other word -> None."""
    key = word.lower().rstrip(".")
    if key in MALE_TITLES:
        return "m"
    if key in FEMALE_TITLES:
        return "f"
    return None


def pronoun_gender(word: str) -> Gender | None:
    key = word.lower()
    if key in MALE_PRONOUNS:
        return "m"
    if key in FEMALE_PRONOUNS:
        return "f"
    return None


@lru_cache(maxsize=1)
def first_names() -> dict[str, Gender]:
    """Given name (lower case) -> gender, loaded once per process."""
    path = resources.files("wirescope") / "data" / FIRST_NAMES_FILE
    out: dict[str, Gender] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        name, gender = line.split("\t")
        out[name] = "m" if gender == "m" else "f"
    return out


def name_gender(key: Iterable[str]) -> Gender | None:
    """The gender of a full name (lower-case tokens) from its given name; None for one token."""
    tokens = [t for t in key if t.replace(".", "")]
    if len(tokens) < 2:
        return None
    return first_names().get(tokens[0].replace(".", ""))


def decide(votes: Iterable[Gender | None]) -> Gender | None:
    """One gender when the evidence agrees; None when there is none or it conflicts."""
    found = {v for v in votes if v is not None}
    return next(iter(found)) if len(found) == 1 else None


def compatible(a: Gender | None, b: Gender | None) -> bool:
    return a is None or b is None or a == b


def word_before(text: str, start: int) -> str:
    """The word just before ``start`` in ``text`` ("Mr." before "Velde"), "" at the start of a line."""
    before = text[:start]
    head = before.rstrip(" \t")
    if len(head) != len(before.rstrip()):  # a line break between: the word belongs to another line
        return ""
    words = head.rsplit(None, 1)
    return words[-1] if words else ""


def mention_gender(text: str, mentions: Iterable[tuple[int, str]]) -> Gender | None:
    """The gender of an entity from its mentions ((start, text) pairs) in ``text``: the titles
    written before them, else its given name, else the pronouns resolved to it when they agree."""
    titles = decide(title_gender(word_before(text, start)) for start, _ in mentions)
    if titles is not None:
        return titles
    names = decide(name_gender(written.lower().split()) for _, written in mentions)
    if names is not None:
        return names
    return decide(pronoun_gender(written) for _, written in mentions)
