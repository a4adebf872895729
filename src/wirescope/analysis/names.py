"""Person names: gender evidence (titles, pronouns, given names) and the forms of one name.

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
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from spacy.tokens import Token

Gender = Literal["m", "f"]
FIRST_NAMES_FILE = "first_names.tsv"
NICKNAMES_FILE = "nicknames.tsv"
# Generational suffixes: part of a person's formal name ("Joseph R. Biden Jr."), not a given name
# or a surname; a name is matched on its surname before them.
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})

MALE_TITLES = frozenset({"mr", "mister", "sir", "lord", "king", "prince", "sheikh", "emir", "father"})
FEMALE_TITLES = frozenset({"mrs", "ms", "miss", "madam", "madame", "mme", "dame", "lady", "queen",
                           "princess", "sister"})
# Nouns of family ties and their gender: "Velde's wife Mara" names Mara Velde (name_recovery.relatives).
KIN_GENDERS: dict[str, Gender] = {
    "wife": "f", "husband": "m", "daughter": "f", "son": "m", "sister": "f", "brother": "m", "mother": "f",
    "father": "m", "widow": "f", "widower": "m", "niece": "f", "nephew": "m", "granddaughter": "f",
    "grandson": "m", "stepson": "m", "stepdaughter": "f",
}
KINSHIP_NOUNS = frozenset(KIN_GENDERS)
# A father or son often bears the person's own name: the suffix that tells him from the person
# ("his father, also named Duncan Hunter" is Duncan Hunter Sr.).
GENERATIONS = {"father": "Sr.", "son": "Jr."}
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


# Offices a title before a name states ("President X", "Sen. X"), as one word per office: a bare
# surname written with one picks, among namesakes, the one the document titles so ("office_title").
OFFICE_TITLES = frozenset({"president", "senator", "governor", "representative", "general", "mayor",
                           "secretary", "judge", "justice", "ambassador", "admiral", "chancellor"})
# Ranks of the uniformed services before a name ("Capt. X", "Sgt. Y"), without their dot: a soldier's
# or a police officer's, so a sitting senator or minister of that name is someone else
# (``actors._namesakes``).
UNIFORMED_RANKS = frozenset({"capt", "captain", "lt", "lieutenant", "sgt", "sergeant", "cpl", "corporal", "maj",
                             "col", "colonel", "cmdr", "commander", "officer", "trooper", "detective", "sheriff"})
OFFICE_TITLE_FORMS = {"sen": "senator", "gov": "governor", "rep": "representative", "gen": "general",
                      "congressman": "representative", "congresswoman": "representative", "adm": "admiral"}


def title_word(word: str) -> str:
    """A title as one word per office ("Sen." and "Senator" -> "senator", "Gov." -> "governor");
    any other word lower-cased as written."""
    key = word.lower()
    return OFFICE_TITLE_FORMS.get(key.rstrip("."), key)


def office_title(word: str) -> str | None:
    """"Sen." / "Senator" -> "senator", "President" -> "president"; any other word -> None."""
    key = title_word(word).rstrip(".")
    return key if key in OFFICE_TITLES else None


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


# Quotation marks and brackets that may open a quote or an aside right before a title.
OPENING_MARKS = "\"'\u201c\u2018\u00ab(["


def word_before(text: str, start: int) -> str:
    """The word just before ``start`` in ``text`` ("Mr." before "Velde"), "" at the start of a line."""
    before = text[:start]
    head = before.rstrip(" \t")
    if len(head) != len(before.rstrip()):  # a line break between: the word belongs to another line
        return ""
    words = head.rsplit(None, 1)
    # "'Mrs. Velde ...": the quotation mark that opens a quote is no part of the title before the name
    return words[-1].lstrip(OPENING_MARKS) if words else ""


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


@lru_cache(maxsize=1)
def _nickname_table() -> dict[str, frozenset[str]]:
    """Given name (lower case) -> the formal names it may stand for (itself included)."""
    path = resources.files("wirescope") / "data" / NICKNAMES_FILE
    out: dict[str, set[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        formal, shorts = line.split("\t")
        out.setdefault(formal, set()).add(formal)
        for short in shorts.split("|"):
            out.setdefault(short, set()).add(formal)
    return {name: frozenset(formals) for name, formals in out.items()}


def given_forms(given: str) -> frozenset[str]:
    """The formal names a given name may stand for: "jim" -> {james}, "james" -> {james}."""
    key = given.lower().rstrip(".")
    return _nickname_table().get(key, frozenset({key}))


def same_given(a: str, b: str) -> bool:
    """Whether two given names may name one person ("Jim" and "James", not "Ron" and "Rand")."""
    return a.lower() == b.lower() or bool(given_forms(a) & given_forms(b))


def formal_given(given: str) -> str:
    """The one formal name a given name stands for, else the name itself ("Ted": Edward or
    Theodore, kept as written): the form an actor id is built from."""
    forms = given_forms(given)
    return next(iter(forms)) if len(forms) == 1 else given.lower().rstrip(".")


def core_name(key: tuple[str, ...]) -> tuple[str, ...]:
    """A name's tokens without the generational suffix after its surname ("biden", "jr" -> "biden")."""
    while len(key) > 1 and key[-1].lower().rstrip(".") in SUFFIXES:
        key = key[:-1]
    return key


def given_variants(given: str) -> list[str]:
    """Every written form of a given name's formal names ("bill" -> bill, william, will, billy...),
    the name itself first: the forms a gazetteer may list a person under."""
    formals = given_forms(given)
    variants = [given.lower()] + sorted(formals)
    variants += sorted(short for short, forms in _nickname_table().items() if forms & formals)
    return list(dict.fromkeys(variants))


def identity_words(name: str, keep_suffix: bool = True) -> list[str] | None:
    """The words a person's actor id is made from (lower case), None for a single word.

    Middle initials go ("Michael T. Flynn" and "Michael Flynn" are written for one man); the given
    name becomes its one formal name ("Jim" -> "james"). A generational suffix stays unless the
    caller drops it (``keep_suffix``): "Jesse Jackson Jr." is not his father, though the suffix
    splits a son whom the next article names without it; never merging father and son is worth that.
    """
    words = name.lower().split()
    if len(words[0].rstrip(".")) == 1 and len(words) > 1 and len(words[1].rstrip(".")) > 1 and (
            len(core_name(tuple(words[1:]))) > 1):
        words = words[1:]  # a leading initial: "A. Barry Velde" is written "Barry Velde"
    core = list(core_name(tuple(words)))
    if len(core) < 2:
        return None
    kept = [w for w in core[1:-1] if len(w.rstrip(".")) > 1]
    return [formal_given(core[0]), *kept, core[-1], *(words[len(core) :] if keep_suffix else [])]


def names_a_son(name: str) -> bool:
    """A suffix written without a middle initial ("Donald Trump Jr."): the suffix tells the son from
    his father; with one ("Joseph R. Biden Jr.") it is the formal style of the person's own name."""
    words = tuple(name.lower().split())
    return core_name(words) != words and not formal_suffix(words)


def formal_suffix(key: tuple[str, ...]) -> bool:
    """A suffix in the formal style of a middle initial ("roger", "j.", "stone", "jr."): the style of
    a man the news mostly names without it ("Roger Stone")."""
    core = core_name(key)
    return core != key and any(len(w.rstrip(".")) == 1 for w in core[1:-1])


# Role nouns written title-cased before a surname ("House Speaker Velde"): never a given name.
ROLE_NOUNS = frozenset({
    "speaker", "whip", "commissioner", "attorney", "sheriff", "coach", "director", "officer", "agent",
    "candidate", "nominee", "host", "anchor", "professor", "detective", "captain", "lieutenant",
    "sergeant", "deputy", "secretary", "congressman", "congresswoman", "councilman", "councilwoman",
    "assemblyman", "delegate", "counsel", "adviser", "advisor", "aide", "founder", "owner",
    # occupations a page title-cases before a name ("Librarian Hanne Olsbro said")
    "librarian", "principal", "superintendent", "curator", "historian", "economist", "analyst", "pastor",
    "nurse", "teacher", "engineer", "architect", "lawyer", "chef", "farmer", "manager", "organizer",
    "organiser", "researcher", "scientist", "activist", "author", "photographer", "reporter", "editor",
})


def known_given(word: str) -> bool:
    """A given name the project lists, with a gender or as a short form ("rahm", "ted", "zack")."""
    key = word.lower()
    return key in first_names() or key in _nickname_table()


def looks_given(token: Token) -> bool:
    """A given name written before a surname the tagger missed ("Mayor Rahm Velde"): a title-cased
    word on the same line, no role noun, in no entity of another type, and a proper noun or a given
    name the project lists."""
    if not (token.is_alpha and token.is_title and len(token) > 1 and token.whitespace_ == " "):
        return False
    if token.lower_ in ROLE_NOUNS or token.ent_type_ not in {"", "PERSON"}:
        return False
    return token.pos_ == "PROPN" or token.lower_ in first_names() or len(given_forms(token.lower_)) > 1
