"""Check the corpus annotations against the labels its sources carry themselves (issue 15).

    python bench/event_corpus/crosscheck.py

* ConfliBERT CAMEO class (QuadClass 0 statement ... 4 material conflict): the annotated main
  event's PLOVER quad category (no event = 0) against the source's label;
* ConfliBERT CAMEO NER (B-S / B-T source and target tags, same sentences): of the annotated main
  events whose sentence has S (T) tags, the share whose actor (recipient) span overlaps them;
* CASE 2021 task-2 classes, mapped to PLOVER (CASE_TO_PLOVER): share of units whose annotation has
  the mapped type;
* IndiaPoliceEvents: per source label, the share of its sentences annotated with the matching
  type(s); sentences with no label: the share annotated with no event.
These are different schemes, so agreement is not expected to be 1; the figures say where the
annotation departs from them (bench/event_corpus/DATA_CARD.md).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import Sentence, load_corpus, units_by_id  # noqa: E402
from sources import CONFLIBERT, Unit, shared_dir, source_labels  # noqa: E402

# PLOVER's quad categories (manual, "Quad category" of each type) as GDELT QuadClass numbers.
QUAD = {"AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1, "COOPERATE": 2, "AID": 2, "RETREAT": 2,
        "DEMAND": 3, "DISAPPROVE": 3, "REJECT": 3, "THREATEN": 3, "INVESTIGATE": 3, "PROTEST": 4,
        "SANCTION": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4, "FIGHT": 4}
# CASE 2021 task-2 classes -> the PLOVER type the guidelines give them; classes with no PLOVER
# counterpart (OTHER, NATURAL_DISASTER, ...) are left out.
CASE_TO_PLOVER = {
    "ARMED_CLASH": "FIGHT", "AIR_STRIKE": "FIGHT", "ART_MISS_ATTACK": "FIGHT", "GOV_REGAINS_TERIT": "FIGHT",
    "NON_STATE_ACTOR_OVERTAKES_TER": "FIGHT", "ATTACK": "ASSAULT", "ABDUCT_DISSAP": "ASSAULT",
    "SUIC_BOMB": "ASSAULT", "GRENADE": "ASSAULT", "REM_EXPLOS": "ASSAULT", "SEX_VIOL": "ASSAULT",
    "CHEM_WEAP": "ASSAULT", "FORCE_AGAINST_PROTEST": "ASSAULT", "MOB_VIOL": "ASSAULT", "ARREST": "COERCE",
    "PROPERTY_DISTRUCT": "COERCE", "DISR_WEAP": "COERCE", "PEACE_PROTEST": "PROTEST",
    "PROTEST_WITH_INTER": "PROTEST", "VIOL_DEMONSTR": "PROTEST", "AGREEMENT": "AGREE",
}
INDIA_TO_PLOVER = {"KILL": {"ASSAULT", "FIGHT"}, "ARREST": {"COERCE"}, "FORCE": {"ASSAULT", "COERCE"},
                   "ANY_ACTION": set(QUAD)}
NER_FILE = "data/events/conflibert_cameo/cameo_ner_train.txt"


def sources_unit(unit_id: str) -> Unit:
    return units_by_id()[unit_id]


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text).casefold()


def _ner_tags() -> dict[str, dict[str, list[str]]]:
    """Squashed sentence -> {"S": [source words], "T": [target words]} from the BIO file."""
    out: dict[str, dict[str, list[str]]] = {}
    raw = (shared_dir() / NER_FILE).read_text(encoding="utf-8")
    for block in raw.split("\n\n"):
        pairs = [line.rsplit(" ", 1) for line in block.splitlines() if " " in line]
        tags: dict[str, list[str]] = {"S": [], "T": []}
        for word, tag in pairs:
            if tag[2:] in tags:
                tags[tag[2:]].append(word.casefold())
        out[_squash("".join(w for w, _ in pairs))] = tags
    return out


def quad_check(sentences: list[Sentence]) -> None:
    units = [s for s in sentences if s.source == "conflibert"]
    pairs = Counter()
    for s in units:
        label = int(source_labels(sources_unit(s.id))[0])
        mine = QUAD[s.events[0].type] if s.events else 0
        pairs[(label, mine)] += 1
    agree = sum(n for (a, b), n in pairs.items() if a == b)
    print(f"ConfliBERT QuadClass: {len(units)} sentences, annotation's quad = source label {agree / len(units):.3f}")
    print("  source\\annotation " + " ".join(f"{c:>5}" for c in range(5)))
    for g in range(5):
        print(f"  {g:>17} " + " ".join(f"{pairs[(g, c)]:>5}" for c in range(5)))


def ner_check(sentences: list[Sentence]) -> None:
    tags = _ner_tags()
    counts = Counter()
    for s in sentences:
        found = tags.get(_squash(s.text))
        if s.source != "conflibert" or found is None or not s.events:
            continue
        main = s.events[0]
        for role, spans in (("S", main.actors), ("T", main.recipients)):
            if not found[role]:
                continue
            counts[role + "_total"] += 1
            words = {w.casefold() for a, b in spans for w in re.findall(r"\w+", s.text[a:b])}
            counts[role + "_hits"] += bool(words & set(found[role]))
    for role, name in (("S", "actor vs source (S) tags"), ("T", "recipient vs target (T) tags")):
        total = counts[role + "_total"]
        if total:
            print(f"ConfliBERT NER: main event's {name}: {counts[role + '_hits']}/{total} = "
                  f"{counts[role + '_hits'] / total:.3f} share a word")


def case_check(sentences: list[Sentence]) -> None:
    hits = total = 0
    for s in sentences:
        if s.source != "case":
            continue
        label = source_labels(sources_unit(s.id))[0]
        if label in CASE_TO_PLOVER:
            total += 1
            hits += CASE_TO_PLOVER[label] in {e.type for e in s.events}
    print(f"CASE 2021: {total} units with a mappable class; annotation has the mapped type: {hits / total:.3f}")


def india_check(sentences: list[Sentence]) -> None:
    units = [s for s in sentences if s.source == "india"]
    for label, types in INDIA_TO_PLOVER.items():
        chosen = [s for s in units if label in source_labels(sources_unit(s.id))]
        if chosen:
            share = sum(bool({e.type for e in s.events} & types) for s in chosen) / len(chosen)
            wanted = "/".join(sorted(types)) if label != "ANY_ACTION" else "any event"
            print(f"IndiaPoliceEvents {label}: {len(chosen)} sentences, annotated with {wanted}: {share:.3f}")
    unlabelled = [s for s in units if not source_labels(sources_unit(s.id))]
    if unlabelled:
        share = sum(not s.events for s in unlabelled) / len(unlabelled)
        print(f"IndiaPoliceEvents no label: {len(unlabelled)} sentences, annotated with no event: {share:.3f} "
              "(the source labels police actions only)")


def main() -> None:
    if not (shared_dir() / CONFLIBERT).exists():
        print("SKIP: ../shared/data/events not found")
        return
    sentences = list(load_corpus())
    quad_check(sentences)
    ner_check(sentences)
    case_check(sentences)
    india_check(sentences)


if __name__ == "__main__":
    main()
