"""Build the event trigger lexicon and the PLOVER -> CAMEO/GDELT table of wirescope.

    python scripts/build_event_lexicon.py [--shared ../shared]

Reads (never copied into the repository):
- ``data/events/petrarch2/CAMEO.2.0.txt``: the PETRARCH-2 CAMEO verb dictionary (MIT, Open Event
  Data Alliance; notice in src/wirescope/data/LICENSE_petrarch2_MIT.txt);
- ``data/events/plover/CAMEO2PLOVER-2021.txt``: CAMEO code -> PLOVER category, mode, context;
- ``data/events/gdelt/CAMEO.goldsteinscale.txt``: Goldstein score of each CAMEO code.

Writes:
- ``src/wirescope/data/event_triggers.tsv``: one trigger per line (verb, verb + object, verb +
  preposition + object from PETRARCH-2; nouns written by the project), with its CAMEO code and
  PLOVER type, mode and context;
- ``src/wirescope/data/plover_cameo.tsv``: each PLOVER type (and mode) with the CAMEO code that
  stands for it in a GDELT-style export, its root, QuadClass and Goldstein score.

PLOVER names: the gold data of the project uses the PLOVER 0.5 category names, so the 2021 table's
REQUEST is written DEMAND, ACCUSE splits into INVESTIGATE (mode investigate) and DISAPPROVE, and
CAMEO 19 (conventional military force; modes firearms, heavy-weapons) is FIGHT. CAMEO 01 (public
statements) is no event. CAMEO 02 (appeals) was dropped by PLOVER; an appeal *to someone* is a
request, which PLOVER's REQUEST/DEMAND covers ("all requests, demands, and orders"), so 02 codes
are kept as DEMAND and the coder accepts them only with a recipient (see events.py).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT_TRIGGERS = REPO / "src/wirescope/data/event_triggers.tsv"
OUT_CAMEO = REPO / "src/wirescope/data/plover_cameo.tsv"

HEADER_NOTICE = """\
# Derived by scripts/build_event_lexicon.py from the PETRARCH-2 CAMEO verb dictionary
# (CAMEO.2.0.txt, Copyright (c) 2015 Open Event Data Alliance, MIT License: see
# LICENSE_petrarch2_MIT.txt in this folder) mapped to PLOVER with CAMEO2PLOVER-2021.txt
# (PLOVER, CC BY-SA 4.0). Rows with source "project" are written by the wirescope project.
"""

CAMEO_NOTICE = """\
# Derived by scripts/build_event_lexicon.py: each PLOVER type (and mode) with the CAMEO code that
# stands for it, from CAMEO2PLOVER-2021.txt (PLOVER, CC BY-SA 4.0; the general code of a type is
# its first three-digit code ending in 0); QuadClass from the CAMEO root (GDELT's convention);
# Goldstein scores from GDELT's CAMEO.goldsteinscale.txt (published by GDELT).
"""

# Activity nouns that report an event ("very deep negotiations with Hamas", "demonstrations
# demanding a deal"). Written by the project from the CAMEO category definitions; a "|modifier"
# suffix means the noun counts only with that modifier (compound or adjective).
PROJECT_NOUNS: tuple[tuple[str, str], ...] = (
    ("negotiation", "046"), ("talk", "046"), ("consultation", "040"), ("meeting", "040"),
    ("summit", "040"), ("visit", "042"), ("mediation", "045"), ("phone|call", "041"),
    ("demonstration", "141"), ("protest", "141"), ("rally", "141"), ("march", "141"),
    ("sit-in", "141"), ("riot", "145"), ("strike|hunger", "142"), ("strike|general", "143"),
    ("boycott", "143"), ("walkout", "143"), ("picket", "141"),
    # A bare "strike" is a labour strike; military strikes carry their modifier (below).
    ("strike", "143"), ("blockade", "191"), ("siege", "191"),
    ("demand", "100"), ("call", "100"), ("appeal", "020"), ("request", "100"),
    ("ultimatum", "139"), ("threat", "130"), ("warning", "130"),
    ("sanction", "163"), ("embargo", "163"),
    ("criticism", "111"), ("condemnation", "111"), ("accusation", "112"), ("allegation", "112"),
    ("lawsuit", "115"), ("complaint", "114"),
    ("rejection", "120"), ("refusal", "120"), ("veto", "129"),
    ("investigation", "090"), ("inquiry", "090"), ("probe", "090"),
    ("arrest", "173"), ("detention", "173"), ("deportation", "174"), ("curfew", "1723"),
    ("crackdown", "175"),
    ("attack", "190"), ("offensive", "190"), ("assault", "190"), ("clash", "190"),
    ("fighting", "190"), ("raid", "190"), ("invasion", "192"), ("occupation", "192"),
    ("airstrike", "195"), ("strike|air", "195"), ("strike|missile", "195"), ("strike|drone", "195"),
    ("bombardment", "194"), ("shelling", "194"),
    ("bombing", "183"), ("kidnapping", "181"), ("abduction", "181"), ("torture", "1822"),
    ("assassination", "186"), ("massacre", "202"), ("killing", "1823"),
    ("aid", "070"), ("assistance", "070"), ("donation", "070"),
    ("cooperation", "060"), ("support", "051"), ("praise", "051"), ("apology", "055"),
    ("endorsement", "051"), ("recognition", "054"),
    ("concession", "080"), ("withdrawal", "0872"), ("ceasefire", "0871"), ("truce", "0871"),
    ("release", "0841"), ("mobilization", "154"), ("mobilisation", "154"), ("deployment", "154"),
    ("expulsion", "166"),
)

# Verbs whose PETRARCH-2 group default contradicts the PLOVER codebook's own definition of the
# category (AGREE: "agree to, offer, promise ..."; CONSULT: "negotiation"; REJECT: "all
# rejections and refusals", rejecting a plan, proposal or request is CAMEO 12x), written by the
# project as (verb, preposition, object, code);
# an empty object means the verb alone. They take precedence over the dictionary's defaults.
PROJECT_VERBS: tuple[tuple[str, str, str, str], ...] = (
    ("agree", "", "", "030"), ("negotiate", "", "", "046"), ("mediate", "", "", "045"),
    ("offer", "", "", "030"), ("promise", "", "", "030"), ("pledge", "", "", "030"),
    ("reject", "", "", "120"), ("refuse", "", "", "120"), ("rebuff", "", "", "120"),
    # ACCUSE (manual): "Sue or bring to court" (CAMEO 115), where PETRARCH-2 files sue under arrest;
    # COOPERATE (manual): "sharing of intelligence and other significant information" (CAMEO 064).
    ("sue", "", "", "115"),
    *(("share", "", obj, "064") for obj in ("intelligence", "information", "expertise", "data",
                                             "technology", "know-how", "experience")),
    *((verb, "", obj, "127") for verb in ("dismiss", "reject", "rebuff", "spurn", "turn")
      for obj in ("idea", "plan", "proposal", "offer", "suggestion", "initiative", "deal", "appeal",
                  "request", "demand", "call")),
)

# Corrections of the 2021 CAMEO -> PLOVER table taken from the PLOVER manual's category definitions
# (plover/PLOVER_MANUAL.tex), not from any gold sentence: "International (political or economic)
# sanctions are coded as `discontinue'" under SANCTION, where the 2021 table puts CAMEO 163 (impose
# embargo, boycott or sanctions) under COERCE.
MANUAL_CORRECTIONS: dict[str, tuple[str, str, str]] = {
    "163": ("SANCTION", "discontinue", "economic"),
}

# Verbs whose PETRARCH-2 sense PLOVER files elsewhere (manual, RETREAT: "RETREAT also covers
# resignations of government officials"; mode resign "Official resignation"; CAMEO 0874 "Retreat
# or surrender militarily" is RETREAT) as (verb, CAMEO code, PLOVER type, mode, context).
MANUAL_VERBS: tuple[tuple[str, str, str, str, str], ...] = (
    ("resign", "0831", "RETREAT", "resign", "political_institutions"),
    ("surrender", "0874", "RETREAT", "disarm", "military"),
    ("capitulate", "0874", "RETREAT", "disarm", "military"),
)

# CONCEDE (manual): "easing of administrative or legal restrictions on persons and organizations,
# removing curfews" (CAMEO 081 ease administrative sanctions, 0813 ease curfew, 0814 ease state of
# emergency or martial law; the 2021 table files 0813/0814 under RETREAT, the manual's definition
# under CONCEDE). Verbs of easing x the restrictions they ease, as (verb, object) pairs.
EASING_VERBS = ("ease", "lift", "relax", "loosen", "shorten", "remove", "end", "scrap", "suspend",
                "revoke", "rescind")
RESTRICTIONS = ("restriction", "curfew", "ban", "emergency measure", "martial law",
                "state of emergency", "emergency", "security measure", "travel ban")
# COERCE modes (manual): "curfew: Impose curfew", "martial-law: Impose state of emergency or
# martial law" (CAMEO 1723, 1724); declaring one is imposing it.
IMPOSING_VERBS = ("declare", "proclaim", "impose", "introduce", "announce", "extend", "reimpose")
EMERGENCY_RULE = ("martial law", "state of emergency", "state of siege", "emergency rule")
MANUAL_OBJECTS: tuple[tuple[str, str, str, str, str, str], ...] = (
    *((verb, obj, "081", "CONCEDE", "", "legal") for verb in EASING_VERBS for obj in RESTRICTIONS),
    *((verb, obj, "1724", "COERCE", "martial-law", "pro_autocracy") for verb in IMPOSING_VERBS
      for obj in EMERGENCY_RULE),
    *((verb, "curfew", "1723", "COERCE", "curfew", "pro_autocracy") for verb in IMPOSING_VERBS),
)

PAREN = re.compile(r"\(([^)]*)\)")


def read_synsets(lines: list[str]) -> dict[str, list[str]]:
    """``&NAME`` -> its ``+WORD`` members (multi-word members keep their last word)."""
    sets: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line.startswith("&"):
            current = sets.setdefault(line.split()[0], [])
        elif line.startswith("+") and current is not None:
            current.append(line[1:].split()[0].strip("_").split("_")[-1].lower())
        elif not line:
            continue
        else:
            current = None
    return sets


def _elements(text: str) -> list[str]:
    """The elements of a pattern: words, {phrases} and (prepositional phrases)."""
    return re.findall(r"\([^)]*\)|\{[^}]*\}|[^\s(){}]+", text.replace("$", " ").replace("^", " ").replace("+", " "))


def _code(raw: str) -> str | None:
    """``[042:043]`` -> 042 (the source's code); ``[:173]`` -> 173; ``[---]`` -> None."""
    raw = raw.strip("[] ")
    parts = [p for p in raw.split(":") if p and p != "---"]
    return parts[0] if parts and parts[0].isdigit() else None


def _object(text: str) -> str:
    """The object of a pattern element: its head (last) word, with the word before it for a
    phrase ("{HUNGER STRIKE}" -> "hunger strike"); a ``&SET`` stays a set name."""
    tokens = [t for t in text.replace("{", " ").replace("}", " ").split() if t not in {"+", "$", "^"}]
    if not tokens:
        return ""
    last = tokens[-1]
    if last.startswith("&"):
        return last
    if not (last.isalpha() or "-" in last):
        return ""
    before = tokens[-2].lower() if len(tokens) > 1 and tokens[-2].isalpha() else ""
    return f"{before} {last.lower()}".strip()


def read_verbs(path: Path) -> tuple[list[tuple[str, ...]], dict[str, list[str]]]:
    """Rows ``(verb, lemma, group, prep, code)`` and ``(pattern, group, prep, object, code)`` of
    the dictionary, and its synonym sets.

    PETRARCH applies a group's patterns to every verb of the group, so patterns are stored once per
    group (a verb may belong to several groups).
    """
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    start = next(i for i, line in enumerate(lines) if "VERB PATTERNS" in line)
    stop = next(i for i, line in enumerate(lines) if "TRANSFORMATIONS" in line)
    synsets = read_synsets(lines[:start])
    rows: list[tuple[str, ...]] = []
    group_code: str | None = None
    group = ""
    for number, line in enumerate(lines[start + 1 : stop], start=start + 2):
        body = line.split("#", 1)[0].rstrip()
        if not body.strip():
            continue
        if body.startswith("---"):
            match = re.search(r"\[([^\]]*)\]", body)
            group_code = _code(match.group(1)) if match else None
            group = f"{body.strip('- ').split()[0].lower()}@{number}"
            continue
        codes = re.findall(r"\[[^\]]*\]", body)
        code = _code(codes[-1]) if codes else None
        if body.startswith("-"):
            pattern = body[1:].split("[", 1)[0]
            if "*" not in pattern or code is None:
                continue
            before, after = (part.strip() for part in pattern.split("*", 1))
            # Only patterns of one element after the verb and no condition on the subject: the
            # coder checks the verb's object or prepositional object, not longer sequences.
            if before or len(_elements(after)) != 1:
                continue
            paren = PAREN.match(after)
            if paren:
                inner = paren.group(1).split()
                prep = inner[0].lower() if inner and inner[0].isalpha() else ""
                obj = _object(" ".join(inner[1:])) if len(inner) > 1 else ""
            else:
                prep, obj = "", _object(after.split("(", 1)[0])
            if prep or obj:
                rows.append(("pattern", group, prep, obj, code))
            continue
        # A verb line: WORD {forms} [code], or +MULTI_WORD {forms} [code] (a phrasal verb).
        word = body.split()[0].lstrip("+")
        parts = [p.lower() for p in word.split("_") if p]
        if not parts or not parts[0].isalpha() or len(parts) > 2:
            continue
        rows.append(("verb", parts[0], group, parts[1] if len(parts) == 2 else "", code or group_code or ""))
    return rows, synsets


def read_cameo2plover(path: Path) -> dict[str, tuple[str, str, str]]:
    """CAMEO code -> (PLOVER type, mode, context), with the project's PLOVER 0.5 names."""
    table: dict[str, tuple[str, str, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        body = line.split("#", 1)[0].strip()
        if not body or ":" not in body:
            continue
        code, rest = (s.strip() for s in body.split(":", 1))
        fields = [f.strip() for f in rest.split(",")] + ["", ""]
        plover, mode, context = fields[0], fields[1], fields[2].replace(";", ",")
        if not code.isdigit() or not plover:
            continue
        table[code] = (_plover_name(code, plover, mode), mode, context)
    table.update(MANUAL_CORRECTIONS)
    return table


def _plover_name(code: str, plover: str, mode: str) -> str:
    if code.startswith("19") and plover == "ASSAULT":
        return "FIGHT"
    if plover == "REQUEST":
        return "DEMAND"
    if plover == "ACCUSE":
        return "INVESTIGATE" if mode == "investigate" else "DISAPPROVE"
    return plover


def plover_of(code: str, table: dict[str, tuple[str, str, str]]) -> tuple[str, str, str] | None:
    """The PLOVER entry of a CAMEO code, falling back to its base (3 digits) and root (2)."""
    if code.startswith("01"):
        return None  # public statements: no PLOVER event
    if code.startswith("02"):
        return ("DEMAND", "", "")
    for key in (code, code[:3], code[:2]):
        if key in table:
            return table[key]
    return None


def read_goldstein(path: Path) -> dict[str, float]:
    scores = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        code, _, score = line.partition("\t")
        if code.strip().isdigit():
            scores[code.strip()] = float(score)
    return scores


def quad_class(code: str) -> int:
    """GDELT QuadClass from the CAMEO root: 1 verbal and 2 material cooperation, 3 verbal and 4
    material conflict (roots 01-05, 06-08, 09-13, 14-20)."""
    root = int(code[:2])
    return 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4


def trigger_row(table: dict[str, tuple[str, str, str]], kind: str, lemma: str, group: str, prep: str,
                obj: str, code: str, source: str) -> str:
    # A code with no PLOVER event (statements) is kept: a specific pattern saying
    # "statement" must be able to override its verb's default.
    entry = plover_of(code, table) if code else None
    plover = "\t".join(entry) if entry else "\t\t"
    return f"{kind}\t{lemma}\t{group}\t{prep}\t{obj}\t{code}\t{plover}\t{source}"


def petrarch_rows(table: dict[str, tuple[str, str, str]], rows: list[tuple[str, ...]],
                  synsets: dict[str, list[str]]) -> list[str]:
    """The dictionary's verbs and patterns, then the members of the synsets the patterns use."""
    out = []
    used_sets = {r[3] for r in rows if r[0] == "pattern" and r[3].startswith("&")}
    seen: set[tuple[str, ...]] = set()
    for kind, *fields in rows:
        key = (kind, *fields[:3])
        if key in seen:
            continue  # the first pattern of the dictionary wins, as in PETRARCH's order
        seen.add(key)
        if kind == "verb":
            lemma, group, prep, code = fields
            out.append(trigger_row(table, "verb", lemma, group, prep, "", code, "petrarch2"))
        else:
            group, prep, obj, code = fields
            out.append(trigger_row(table, "pattern", "", group, prep, obj, code, "petrarch2"))
    for name in sorted(used_sets):
        for member in synsets.get(name, []):
            out.append(f"synset\t{name}\t\t\t{member}\t\t\t\t\tpetrarch2")
    return out


def project_rows(table: dict[str, tuple[str, str, str]]) -> list[str]:
    """The project's own verbs, verb-object pairs and nouns."""
    out = []
    for lemma, prep, obj, code in PROJECT_VERBS:
        out.append(trigger_row(table, "verb_object", lemma, "", prep, obj, code, "project"))
    for lemma, code, plover, mode, context in MANUAL_VERBS:
        out.append(f"verb_object\t{lemma}\t\t\t\t{code}\t{plover}\t{mode}\t{context}\tproject")
    for lemma, obj, code, plover, mode, context in MANUAL_OBJECTS:
        out.append(f"verb_object\t{lemma}\t\t\t{obj}\t{code}\t{plover}\t{mode}\t{context}\tproject")
    for noun, code in PROJECT_NOUNS:
        lemma, _, modifier = noun.partition("|")
        out.append(trigger_row(table, "noun", lemma, "", "", modifier, code, "project"))
    return out


def cameo_rows(table: dict[str, tuple[str, str, str]], goldstein: dict[str, float]) -> list[str]:
    """One CAMEO code per PLOVER (type, mode): the first, most general code of the table."""
    chosen: dict[tuple[str, str], str] = {}
    # A category's general code ("170" for COERCE) before its sub-codes ("163", "171").
    for code in sorted(table, key=lambda c: (len(c) < 3, not (len(c) == 3 and c.endswith("0")), c)):
        plover, mode, _ = table[code]
        if len(code) < 3:
            continue
        chosen.setdefault((plover, mode), code)
        chosen.setdefault((plover, ""), code)
    out = []
    for (plover, mode), code in sorted(chosen.items()):
        score = goldstein.get(code, goldstein.get(code[:3], goldstein.get(code[:2], 0.0)))
        out.append(f"{plover}\t{mode}\t{code}\t{code[:2]}\t{quad_class(code)}\t{score}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = parser.parse_args()
    events = args.shared / "data/events"
    table = read_cameo2plover(events / "plover/CAMEO2PLOVER-2021.txt")
    goldstein = read_goldstein(events / "gdelt/CAMEO.goldsteinscale.txt")

    out = [HEADER_NOTICE + "kind\tlemma\tgroup\tprep\tobject\tcameo\ttype\tmode\tcontext\tsource"]
    rows, synsets = read_verbs(events / "petrarch2/CAMEO.2.0.txt")
    out.extend(petrarch_rows(table, rows, synsets))
    out.extend(project_rows(table))
    OUT_TRIGGERS.write_text("\n".join(out) + "\n", encoding="utf-8")

    cameo = [CAMEO_NOTICE + "type\tmode\tcameo\troot\tquad_class\tgoldstein"]
    cameo.extend(cameo_rows(table, goldstein))
    OUT_CAMEO.write_text("\n".join(cameo) + "\n", encoding="utf-8")
    print(f"{OUT_TRIGGERS}: {len(out) - 1} triggers; {OUT_CAMEO}: {len(cameo) - 1} rows")


if __name__ == "__main__":
    main()
