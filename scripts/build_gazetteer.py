"""Build ``src/wirescope/data/actors_gazetteer.tsv.gz`` from the PETRARCH-2 (Phoenix) dictionaries.

    python scripts/build_gazetteer.py [--source ../shared/data/events/petrarch2]

Reads the MIT-licensed TABARI-format actor dictionaries (countries, international organisations,
militant and non-state groups) and the agent dictionary, and writes one tab-separated row per
name pattern and code (gzip-compressed: 1.8 MB of text, 0.5 MB packed):

    tokens <TAB> code <TAB> from <TAB> to <TAB> root

* ``tokens``: the name as spaCy's tokenizer splits it, lower-cased, tokens joined by single spaces,
  so the runtime matches token by token without tokenizing 40,000 patterns again.
* ``code``: the CAMEO actor code (``ISR``, ``PSEREBHMS``, ``USAGOV``); agents (roles such as
  "president" or "protester") are written with the dictionary's ``~`` prefix (``~GOV``, ``~OPP``).
* ``from``/``to``: ISO dates bounding the code (empty: open). A name with several codes has
  several rows (Netanyahu: ISRGOV from 2009-04-01, ISRELI otherwise).
* ``root``: 1 for the first name of a dictionary block (its canonical name: "israel" for ISR).

Dropped, because the coder cannot use them: names whose only code is ``[---]`` (no code), patterns
longer than MAX_TOKENS tokens, and codes whose validity ended before DROP_BEFORE (actors of the
1980s are kept when they still have an undated code). Skips cleanly when the source is missing.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "data" / "events" / "petrarch2"
OUTPUT = REPO_ROOT / "src" / "wirescope" / "data" / "actors_gazetteer.tsv.gz"
LICENSE_OUT = REPO_ROOT / "src" / "wirescope" / "data" / "LICENSE_petrarch2_MIT.txt"
ACTOR_FILES = (
    "Phoenix.Countries.actors.txt",
    "Phoenix.International.actors.txt",
    "Phoenix.MilNonState.actors.txt",
)
AGENT_FILE = "Phoenix.agents.txt"
MAX_TOKENS = 8
# One-word names in the dictionaries that are ordinary English nouns in news prose.
NOT_NAMES = frozenset({"ORGANIZATION", "YOUTH", "FALCON"})
DROP_BEFORE = "2000-01-01"  # a code that ended before this date is history, not news

CODE_RE = re.compile(r"\[([^\]]*)\]")
DATE_RE = re.compile(r"^\d{6}(\d{2})?$")


@dataclass(frozen=True)
class Row:
    tokens: str
    code: str
    start: str = ""
    end: str = ""
    root: bool = False

    def line(self) -> str:
        return f"{self.tokens}\t{self.code}\t{self.start}\t{self.end}\t{int(self.root)}"


def parse_date(raw: str) -> str | None:
    """YYMMDD (years < 30 are 20xx) or YYYYMMDD to ISO; None for a malformed date."""
    if not DATE_RE.match(raw):
        return None
    if len(raw) == 6:
        yy = int(raw[:2])
        year = 2000 + yy if yy < 30 else 1900 + yy
        month, day = raw[2:4], raw[4:6]
    else:
        year, month, day = int(raw[:4]), raw[4:6], raw[6:8]
    month = month if "01" <= month <= "12" else "01"
    day = day if "01" <= day <= "31" else "01"
    return f"{year:04d}-{month}-{day}"


def parse_code(body: str) -> tuple[str, str, str] | None:
    """``ISRGOV 960618-990706`` / ``ISRGOV >090401`` / ``X <061231`` / ``ISR`` -> (code, from, to)."""
    parts = body.split()
    if not parts or parts[0].startswith("---"):
        return None
    code = parts[0].upper()
    if not re.fullmatch(r"~?[A-Z0-9]{3,}", code):
        return None
    start = end = ""
    if len(parts) > 1:
        span = "".join(parts[1:])
        if span.startswith(">"):
            start = parse_date(span[1:]) or ""
        elif span.startswith("<"):
            end = parse_date(span[1:]) or ""
        elif "-" in span:
            a, b = span.split("-", 1)
            start, end = parse_date(a) or "", parse_date(b) or ""
        if not (start or end):
            return None  # a date we cannot read: better no row than a wrong period
    return code, start, end


def phrase(raw: str) -> str:
    """``BENJAMIN_NETANYAHU_`` -> ``BENJAMIN NETANYAHU``: underscores are spaces in TABARI files."""
    return " ".join(raw.replace("_", " ").split())


def actor_blocks(path: Path) -> Iterator[tuple[list[str], list[tuple[str, str, str]]]]:
    """(names, codes) of each block: a root name, its ``+`` synonyms and its ``[CODE]`` lines."""
    names: list[str] = []
    codes: list[tuple[str, str, str]] = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        text = line.split("#", 1)[0]
        if not text.strip():
            continue
        stripped = text.strip()
        inline = [c for c in (parse_code(m) for m in CODE_RE.findall(stripped)) if c]
        name = CODE_RE.sub("", stripped).strip()
        if stripped.startswith("["):
            codes.extend(inline)
            continue
        if name.startswith("+"):
            names.append(name[1:])
            codes.extend(inline)
            continue
        if names:  # a new root name closes the block before it
            yield names, codes
        names, codes = [name], list(inline)
    if names:
        yield names, codes


def keep(code: tuple[str, str, str]) -> bool:
    _, _, end = code
    return not end or end >= DROP_BEFORE


def read_actors(path: Path) -> Iterator[tuple[str, str, str, str, bool]]:
    for names, codes in actor_blocks(path):
        kept = [c for c in codes if keep(c)]
        for i, name in enumerate(names):
            text = phrase(name)
            if not text or text in NOT_NAMES:
                continue
            for code, start, end in kept:
                yield text, code, start, end, i == 0
                # One-word names of states get their plural ("Iraqis", "Nigerians"): TABARI
                # matched open names as prefixes; the runtime matches whole tokens.
                if len(code) == 3 and " " not in text and text.isalpha() and len(text) > 3:
                    yield _plural(text), code, start, end, False


def _plural(word: str) -> str:
    if re.search(r"(S|X|Z|CH|SH)$", word):
        return word + "ES"
    if re.search(r"[^AEIOU]Y$", word):
        return word[:-1] + "IES"
    return word + "S"


def read_agents(path: Path) -> Iterator[tuple[str, str, str, str, bool]]:
    """Agent patterns with their plurals: ``!PERSON!`` macros expanded, ``{...}`` irregular plurals
    (``{}`` means no plural), regular plurals formed otherwise, as PETRARCH does."""
    macros: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        macro = re.match(r"^(![A-Z]+!)\s*=\s*(.+)$", text)
        if macro:
            macros[macro.group(1)] = [w.strip() for w in macro.group(2).split(",") if w.strip()]
            continue
        codes = [c for c in (parse_code(m) for m in CODE_RE.findall(text)) if c]
        if not codes:
            continue
        body = CODE_RE.sub("", text)
        plural_given = re.search(r"\{([^}]*)\}", body)
        body = re.sub(r"\{[^}]*\}", "", body).strip()
        forms = _expand(body, macros)
        if plural_given is not None:
            forms += _expand(plural_given.group(1).strip(), macros) if plural_given.group(1).strip() else []
        elif "!" not in body:  # macro forms already list their plurals
            forms += [_plural(f) for f in forms]
        for form in forms:
            for code, start, end in codes:
                yield phrase(form), code, start, end, False


def _expand(pattern: str, macros: dict[str, list[str]]) -> list[str]:
    for name, words in macros.items():
        if name in pattern:
            return [out for w in words for out in _expand(pattern.replace(name, w, 1), macros)]
    if pattern.endswith("MINIST"):  # a stem in the dictionary: minister, ministry and plurals
        return [pattern + end for end in ("ER", "ERS", "RY", "RIES")]
    return [pattern] if pattern and "!" not in pattern else []


def build(source: Path) -> list[Row]:
    from wirescope.analysis.nlp import load_nlp

    tokenizer = load_nlp().tokenizer
    raw: list[tuple[str, str, str, str, bool]] = []
    for name in ACTOR_FILES:
        raw.extend(read_actors(source / name))
    raw.extend(read_agents(source / AGENT_FILE))
    texts = sorted({r[0] for r in raw})
    # The tokenizer sees the dictionary's upper case, as tokenizer exceptions ("U.S.") are cased.
    tokenized = {t: " ".join(tok.lower_ for tok in doc) for t, doc in zip(texts, tokenizer.pipe(texts))}
    rows: dict[tuple[str, str, str, str], bool] = {}
    for text, code, start, end, root in raw:
        tokens = tokenized[text]
        if not tokens or len(tokens.split()) > MAX_TOKENS:
            continue
        key = (tokens, code, start, end)
        rows[key] = rows.get(key, False) or root
    return compact([Row(t, c, s, e, r) for (t, c, s, e), r in sorted(rows.items())])


def compact(rows: list[Row]) -> list[Row]:
    """Drop a name that ends with another name carrying exactly the same codes.

    "israeli prime minister benjamin netanyahu" adds nothing to "netanyahu": the coder finds the
    shorter name inside the longer one, and titles are read as agents anyway. Roughly halves the file.
    """
    codes: dict[str, set[tuple[str, str, str]]] = {}
    for r in rows:
        codes.setdefault(r.tokens, set()).add((r.code, r.start, r.end))
    redundant = set()
    for tokens, own in codes.items():
        words = tokens.split()
        if any(codes.get(" ".join(words[i:])) == own for i in range(1, len(words))):
            redundant.add(tokens)
    return [r for r in rows if r.tokens not in redundant or r.root]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    if not (args.source / ACTOR_FILES[0]).is_file():
        print(f"PETRARCH-2 dictionaries not found at {args.source}: nothing built")
        return 0
    rows = build(args.source)
    header = "# tokens\tcode\tfrom\tto\troot  (built by scripts/build_gazetteer.py; see LICENSE_petrarch2_MIT.txt)"
    data = ("\n".join([header, *(r.line() for r in rows)]) + "\n").encode("utf-8")
    with open(args.output, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(data)  # mtime=0: the same dictionaries give the same bytes
    licence = (args.source / "LICENSE_petrarch2_MIT.txt").read_text(encoding="utf-8")
    LICENSE_OUT.write_text(
        "actors_gazetteer.tsv.gz is derived from the PETRARCH-2 / Phoenix dictionaries of the Open Event\n"
        f"Data Alliance ({', '.join(ACTOR_FILES)}, {AGENT_FILE}): names re-tokenized and lower-cased,\n"
        "codes and validity dates kept, unusable entries dropped, by scripts/build_gazetteer.py.\n"
        "The dictionaries' licence follows.\n\n" + licence,
        encoding="utf-8",
    )
    print(f"{len(rows)} rows -> {args.output} ({args.output.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
