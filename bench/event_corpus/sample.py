"""Draw the sentences of the PLOVER event corpus from ../shared (issue 15).

    python bench/event_corpus/sample.py [--batches DIR] [--batch-size 100]

Writes bench/event_corpus/units.jsonl (locators only: source, file, record, offsets, split) and,
with --batches, the annotation batches (id + text, outside the repository). Deterministic: the
same shared data always gives the same units.

What is drawn (about 4,300 sentences):
* every ConfliBERT CAMEO class-train sentence (news sentences with a CAMEO QuadClass label);
* the first sentence of 450 CASE 2021 task-2 dev snippets, spread over its 30 classes;
* 500 IndiaPoliceEvents sentences: 350 its annotators labelled with a police action, 150 not;
* 2,000 sentences of the PolNeAR and propaganda-ptc articles: 1,300 that contain a cue word of
  one of the rarer PLOVER types (so every type gets examples; the cue only selects, annotators
  label), 700 at random (so the corpus also has the ordinary sentences with no event).
Sentences of the PLOVER dev gold are excluded. Split: a document's sentences all go to one part;
20% of documents (sha1 of the document key) are TEST, never used for training or tuning.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import document_key, is_tune  # noqa: E402
from sources import (  # noqa: E402
    Unit,
    article_units,
    case_units,
    conflibert_units,
    gold_texts,
    india_units,
    shared_dir,
    source_labels,
)

HERE = Path(__file__).resolve().parent
UNITS = HERE / "units.jsonl"
SEED = 15
CASE_COUNT, INDIA_LABELLED, INDIA_OTHER = 450, 350, 150
ARTICLE_CUED, ARTICLE_RANDOM = 1300, 700
MIN_CHARS, MAX_CHARS = 40, 400

# Cue words of the PLOVER types that ordinary political news rarely states; each selects at most
# its share of the cued sentences. Written by the project from the CAMEO/PLOVER definitions.
CUES = {
    "AGREE": r"\b(agreed to|pledged|promised to|offered to|vowed to)\b",
    "CONSULT": r"\b(met with|held talks|visited|talks with|negotiat\w+|summit)\b",
    "SUPPORT": r"\b(praised|endorsed|backed|welcomed|signed)\b",
    "CONCEDE": r"\b(lifted|eased|conceded|legali[sz]ed|pardon\w*|amnesty|backed down)\b",
    "COOPERATE": r"\b(cooperat\w+|extradit\w+|shared intelligence|joint (?:exercise|operation)s?)\b",
    "AID": r"\b(aid to|assistance to|donat\w+|humanitarian|supplied|provided \w+ (?:to|with))\b",
    "RETREAT": r"\b(withdr[ae]w\w*|pulled out|ceasefire|truce|released|freed|resign\w*|stepped down)\b",
    "DEMAND": r"\b(demand\w*|urged|called on|called for|appeal\w* to)\b",
    "DISAPPROVE": r"\b(condemn\w*|criticiz\w+|criticis\w+|accus\w+|denounc\w+|sued|blamed)\b",
    "REJECT": r"\b(reject\w*|refus\w+|veto\w*|dismissed|ruled out|turned down)\b",
    "THREATEN": r"\b(threat\w*|ultimatum|warned)\b",
    "PROTEST": r"\b(protest\w*|rall(?:y|ied)|march(?:ed|ers)|strike|boycott\w*|demonstrat\w+)\b",
    "SANCTION": r"\b(sanction\w*|embargo|expell?\w*|cut ties|recalled|suspended (?:aid|talks)|severed)\b",
    "MOBILIZE": r"\b(deploy\w*|mobili[sz]\w+|troops to|on alert|reinforcements)\b",
    "COERCE": r"\b(arrest\w*|detain\w*|charged|banned|seized|deport\w*|curfew|raided)\b",
    "ASSAULT": r"\b(kill\w*|shot|bomb\w*|kidnapp?\w*|tortur\w+|assault\w*|attack\w*)\b",
    "FIGHT": r"\b(clash\w*|fought|fighting|shell\w*|air ?strikes?|offensive|troops)\b",
    "INVESTIGATE": r"\b(investigat\w+|probe|inquiry|inspectors?)\b",
}


def split_of(unit: Unit) -> str:
    digest = hashlib.sha1(unit.document.encode("utf-8")).digest()
    return "test" if digest[0] % 5 == 0 else "train"


def _usable(unit: Unit, gold: set[str]) -> bool:
    return MIN_CHARS <= len(unit.text) <= MAX_CHARS and unit.text.strip() not in gold


def _case(rng: random.Random, gold: set[str]) -> list[Unit]:
    by_class: dict[str, list[Unit]] = defaultdict(list)
    for unit in case_units():
        if _usable(unit, gold):
            by_class[source_labels(unit)[0]].append(unit)
    picked: list[Unit] = []
    classes = sorted(by_class)
    while len(picked) < CASE_COUNT and any(by_class.values()):
        for name in classes:  # round robin: rare classes keep all they have
            if by_class[name] and len(picked) < CASE_COUNT:
                picked.append(by_class[name].pop(rng.randrange(len(by_class[name]))))
    return picked


def _india(rng: random.Random, gold: set[str]) -> list[Unit]:
    units = [u for u in india_units() if _usable(u, gold)]
    labelled = [u for u in units if source_labels(u)]
    other = [u for u in units if not source_labels(u)]
    return rng.sample(labelled, INDIA_LABELLED) + rng.sample(other, INDIA_OTHER)


def _articles(rng: random.Random, gold: set[str]) -> list[Unit]:
    units = [u for name in ("polnear", "ptc") for u in article_units(name) if _usable(u, gold)]
    rng.shuffle(units)
    picked = _pick_cued(units, CUES, dict.fromkeys(CUES, ARTICLE_CUED // len(CUES)))
    rest = [u for u in units if u.key not in picked]
    for unit in rest[:ARTICLE_CUED - len(picked) + ARTICLE_RANDOM]:
        picked[unit.key] = unit
    return list(picked.values())


def draw() -> list[Unit]:
    rng = random.Random(SEED)
    gold = gold_texts()
    units = [u for u in conflibert_units() if _usable(u, gold)]
    units += _case(rng, gold) + _india(rng, gold) + _articles(rng, gold)
    seen: set[str] = set()
    unique = []
    for unit in units:  # the same sentence twice (ConfliBERT repeats some) is annotated once
        if unit.text not in seen:
            seen.add(unit.text)
            unique.append(unit)
    return unique


# Second draw (--topup), after the first annotation showed CONCEDE and COOPERATE short of 60
# examples: wider cue lists for the short types, from article sentences not drawn before.
TOPUP_CUES = {
    "CONCEDE": r"\b(lift\w*|eas(?:e|ed|ing)|relax\w*|pardon\w*|commuted|amnesty|gave in|backed down|"
               r"reversed|restored|reinstat\w+|allowed|accepted (?:the|their|his|her) demands?|legali[sz]\w+)\b",
    "COOPERATE": r"\b(cooperat\w+|co-operat\w+|extradit\w+|handed (?:him|her|them|over)|joint|shared|"
                 r"partner\w*|coordinat\w+|worked (?:with|together)|teamed up|collaborat\w+|exchang\w+)\b",
    "THREATEN": r"\b(threat\w*|warn\w*|ultimatum|or else|vowed to retaliate)\b",
    "INVESTIGATE": r"\b(investigat\w+|probe\w*|inquir\w+|inspect\w+|audit\w*|subpoena\w*)\b",
}
TOPUP_PER_TYPE = {"CONCEDE": 110, "COOPERATE": 90, "THREATEN": 25, "INVESTIGATE": 25}
# Third draw (--topup 2): the first top-up's wide cues mostly found figures of speech, so CONCEDE
# and COOPERATE were still short; narrow cues (the act, not the word), IndiaPoliceEvents too.
TOPUP2_CUES = {
    "CONCEDE": r"\b(lift(?:ed|s)? (?:the |a |its )?(?:ban|restrictions?|curbs?|travel ban)|pardon(?:ed|s)?|"
               r"commut(?:ed|es)|amnesty|accept(?:ed|s) (?:the |their |his |her )?demands?|gave in to|caved|"
               r"backed down|conced(?:ed|es)|relax(?:ed|es) (?:the )?(?:rules?|restrictions?)|"
               r"eas(?:ed|es) (?:the )?restrictions?|legali[sz](?:ed|es)|reinstat(?:ed|es)|"
               r"restored (?:the )?(?:rights?|access|press))\b",
    "COOPERATE": r"\b(extradit\w+|handed over to|cooperat(?:ed|ing|es) with|co-operat\w+ with|"
                 r"joint (?:military )?(?:exercises?|patrols?|operations?|investigation)|shared intelligence|"
                 r"intelligence[- ]sharing|teamed up with|worked (?:closely )?with)\b",
}
TOPUP2_PER_TYPE = {"CONCEDE": 130, "COOPERATE": 110}
# Fourth draw (--topup 3): CONCEDE still 5 short; the narrow cues plus acts of yielding they missed,
# in the BASIL articles (not drawn before) and the article sentences not drawn yet.
TOPUP3_CUES = {"CONCEDE": TOPUP2_CUES["CONCEDE"][:-3] + r"|dropped (?:the |all )?charges|clemency|repeal(?:ed|s)|"
               r"rescind(?:ed|s)|revers(?:ed|es) (?:its|his|her|their|the) (?:decision|policy|ban|order)|"
               r"allow(?:ed|s) \w+ to (?:return|vote|travel|leave|enter|operate|resume))\b"}
TOPUP3_PER_TYPE = {"CONCEDE": 90}


# Fifth draw (--topup 4): more article sentences for the tagger to learn from, from TRAIN documents
# outside TUNE only, so that TEST and TUNE stay the sentences every earlier figure was measured on.
# The first draw's cues (every type alike) select most of them, the rest are random (sentences with
# no event); how many the annotators can read in one round.
TOPUP4_PER_TYPE, TOPUP4_RANDOM = 50, 300


def learnable(unit: Unit) -> bool:
    """Whether ``unit`` lies in a TRAIN document outside TUNE (the part the tagger learns from)."""
    return split_of(unit) == "train" and not is_tune(document_key(unit.source, unit.file, unit.record))


def topup(drawn: set[str], round_: int) -> list[Unit]:
    rng = random.Random(SEED + round_)
    gold = gold_texts()
    units = [u for name in ("polnear", "ptc") for u in article_units(name)]
    if round_ == 4:
        return _fifth_draw(rng, [u for u in units + list(article_units("basil"))
                                 if _usable(u, gold) and u.key not in drawn and learnable(u)])
    cues, per_type = TOPUP_CUES, TOPUP_PER_TYPE
    if round_ == 2:
        units += list(india_units())
        cues, per_type = TOPUP2_CUES, TOPUP2_PER_TYPE
    if round_ == 3:
        units += list(article_units("basil"))
        cues, per_type = TOPUP3_CUES, TOPUP3_PER_TYPE
    units = [u for u in units if _usable(u, gold) and u.key not in drawn]
    rng.shuffle(units)
    return list(_pick_cued(units, cues, per_type).values())


def _pick_cued(units: list[Unit], cues: dict[str, str], quotas: dict[str, int]) -> dict[str, Unit]:
    """For each type in turn, the first ``quotas[type]`` units not picked yet that match its cue."""
    picked: dict[str, Unit] = {}
    for kind, pattern in cues.items():
        cue = re.compile(pattern, re.IGNORECASE)
        hits = [u for u in units if u.key not in picked and cue.search(u.text)]
        for unit in hits[:quotas[kind]]:
            picked[unit.key] = unit
    return picked


def _fifth_draw(rng: random.Random, units: list[Unit]) -> list[Unit]:
    """TOPUP4_PER_TYPE sentences for each type's cue (CUES), then TOPUP4_RANDOM at random."""
    units = sorted(units, key=lambda u: u.key)
    rng.shuffle(units)
    picked = _pick_cued(units, CUES, dict.fromkeys(CUES, TOPUP4_PER_TYPE))
    for unit in [u for u in units if u.key not in picked][:TOPUP4_RANDOM]:
        picked[unit.key] = unit
    by_text = {u.text: u for u in reversed(picked.values())}  # a sentence twice is annotated once
    return [u for u in picked.values() if by_text[u.text] is u]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=Path, help="write annotation batches (with text) here")
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--topup", type=int, choices=(1, 2, 3, 4), help="append top-up draw 1-4")
    args = parser.parse_args()
    if not (shared_dir() / "data/events").exists():
        print("SKIP: ../shared/data/events not found")
        return
    if args.topup:
        append_topup(args.topup, args.batches, args.batch_size)
        return
    units = draw()
    rows = []
    for n, unit in enumerate(units):
        rows.append({"id": f"u{n:05d}", "source": unit.source, "file": unit.file, "record": unit.record,
                     "start": unit.start, "end": unit.end, "split": split_of(unit)})
    UNITS.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} units -> {UNITS}")
    if args.batches:
        order = list(range(len(units)))
        random.Random(SEED).shuffle(order)  # every batch mixes the sources
        args.batches.mkdir(parents=True, exist_ok=True)
        for b in range(0, len(order), args.batch_size):
            with (args.batches / f"batch_{b // args.batch_size:03d}.jsonl").open("w", encoding="utf-8") as out:
                for i in order[b:b + args.batch_size]:
                    out.write(json.dumps({"id": rows[i]["id"], "text": units[i].text}) + "\n")


def append_topup(round_: int, batches: Path | None, batch_size: int) -> None:
    existing = [json.loads(line) for line in UNITS.open(encoding="utf-8")]
    drawn = {f"{r['file']}|{r['record']}|{r['start']}|{r['end']}" for r in existing}
    extra = topup(drawn, round_)
    rows = [{"id": f"u{len(existing) + n:05d}", "source": u.source, "file": u.file, "record": u.record,
             "start": u.start, "end": u.end, "split": split_of(u), "draw": f"topup{round_}"}
            for n, u in enumerate(extra)]
    with UNITS.open("a", encoding="utf-8") as out:
        out.writelines(json.dumps(r) + "\n" for r in rows)
    print(f"{len(rows)} top-up units appended to {UNITS}")
    if batches:
        batches.mkdir(parents=True, exist_ok=True)
        for b in range(0, len(rows), batch_size):
            with (batches / f"batch_{100 * round_ + b // batch_size:03d}.jsonl").open("w", encoding="utf-8") as out:
                for row, unit in zip(rows[b:b + batch_size], extra[b:b + batch_size]):
                    out.write(json.dumps({"id": row["id"], "text": unit.text}) + "\n")


if __name__ == "__main__":
    main()
