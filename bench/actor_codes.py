"""Precision of the actor codes of people against codes judged by reading (issue 14, item 5).

The earlier code samples (``actor_identity/code_judgments*.jsonl``) judged the code the pipeline
gave at the time, so a code that changed left the sample. This gold is independent of the pipeline:
for every person entity of a fixed set of PolNeAR *dev* articles (never read while writing actor
rules), annotators wrote the codes the person *should* have on the article's date
(``actor_identity/CODE_GUIDELINES.md``); any version of the pipeline is scored against it.

    PYTHONPATH=src .venv/bin/python bench/actor_codes.py [--set dev|train] sample [--articles 30 --seed 2026]
    PYTHONPATH=src .venv/bin/python bench/actor_codes.py [--set dev|train] show FILE START END
    PYTHONPATH=src .venv/bin/python bench/actor_codes.py [--set dev|train] sheet ANCHORS.jsonl
    PYTHONPATH=src .venv/bin/python bench/actor_codes.py [--set dev|train] score [--part P] [--batch N] [--wrong]
    PYTHONPATH=src .venv/bin/python bench/actor_codes.py [--set dev|train] sources [--part tune]

``--set train`` is a second gold of PolNeAR *train* articles, judged under the same guidelines: its
batches 1 to 6 are read (rules may be written from their errors; the third and sixth were held out until
round 12), its seventh (rows marked ``"part": "heldout"``) is scored, never read; ``--articles 0`` samples
every article not judged.
Rows of the third batch and from the fifth on say their batch (``"batch": 5``): ``--batch 5`` scores
that batch alone, as it was scored once before its errors were read.

``sample`` writes the anchors to judge (file, offsets of the entity's longest name mention, date;
no text) to ``bench/out/actor_codes_anchors.jsonl``. ``score`` runs the pipeline on the gold's
articles, finds the entity covering each anchor and counts, over the entities that got a code, the
codes the gold accepts (``accepted``), and the same for a dictionary baseline in the same run
(the code PETRARCH's tables give the name as written on the day). Needs ../shared (or
WIRESCOPE_SHARED); prints SKIP without it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("WIRESCOPE_SHARED", ROOT.parent / "shared"))
POLNEAR = SHARED / "data" / "quotes" / "polnear"
POLNEAR_DEV = POLNEAR / "dev" / "text"
GOLD = ROOT / "bench" / "actor_identity" / "code_gold_polnear_dev.jsonl"
SECOND = ROOT / "bench" / "actor_identity" / "code_gold_polnear_dev_second.jsonl"  # 45 anchors judged twice
# A second gold, of PolNeAR *train* articles (2026-12-06): read whole, to find which errors recur
# beyond the dev gold's tune part. Every one of its anchors counts as "tune".
GOLD_TRAIN = ROOT / "bench" / "actor_identity" / "code_gold_polnear_train.jsonl"
SETS = {"dev": (POLNEAR_DEV, GOLD), "train": (POLNEAR / "train" / "text", GOLD_TRAIN)}
OUT = ROOT / "bench" / "out"
UNKNOWN_COUNTRY = "---"

sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))


def article_day(name: str) -> str:
    """PolNeAR file names carry the publication day: ``breitbart_2016-09-12_slug.txt``."""
    return name.split("_")[1]


def analyse(texts: Path, files: Sequence[str], in_process: bool = False) -> dict[str, Any]:
    """analysis@1 of each PolNeAR file through the real pipeline, dated by its file name (in this
    process with ``in_process``, where a caller can watch the coder; else in page workers)."""
    from wirescope.pipeline import analyze_pages
    from wirescope.records import Analysis, RawPage
    from wirescope.settings import Settings

    pages = [RawPage(source=f, data=(texts / f).read_text(encoding="utf-8"), content_type="text",
                     published=article_day(f)) for f in files]
    settings = Settings(batch_size=16, contextual_bias=False, **({"page_timeout_s": 0} if in_process else {}))
    out = {}
    # By source, not by position: in this process a long page's result may come before those of the
    # pages before it (pipeline.analyze_pages_here).
    for result in analyze_pages(pages, settings):
        if not isinstance(result, Analysis):
            raise SystemExit(f"pipeline failed on {result}")
        out[str(result.document.source)] = result
    return out


def part_of(row: dict[str, Any], gold: Path = GOLD) -> str:
    """Dev articles are split in two by a hash of the file name: rules are written looking at the
    errors of "tune" only; "heldout" is scored, never read. A train-gold row says its part (its
    seventh batch is held out), else it is "tune"."""
    if gold != GOLD:
        return str(row.get("part", "tune"))
    name = row["file"]
    return "tune" if hashlib.sha1(name.encode("utf-8")).hexdigest()[0] in "01234567" else "heldout"


def accepted(code: str, gold: Sequence[str], roles: frozenset[str]) -> bool:
    """A code is right when the gold lists it, or when it is one of them with the country or the
    role left unsaid ("USA" or "---LEG" for USALEG): underspecified, but nothing stated is wrong.
    A code that starts with a role ("MED" for "NBC's X") has no country: it is read as "---MED", unless
    the gold lists it as it is (an organisation's code such as al-Qaeda's IMGMUSALQ starts with
    "IMG", which some role word's code also holds: it had been read as "---IMGMUSALQ" and refused)."""
    if code in gold:
        return True
    code = UNKNOWN_COUNTRY + code if code[:3] in roles else code
    return any(code == g or code == g[:3] or (code.startswith(UNKNOWN_COUNTRY) and code[3:] == g[3:] != "")
               for g in gold)


def person_anchors(texts: Path, name: str, analysis: Any) -> list[dict[str, Any]]:
    """One anchor a PERSON entity of an analysed article: its longest name mention, in the file's offsets."""
    from actor_identity import offset_map

    text = (texts / name).read_text(encoding="utf-8")
    back = {v: k for k, v in enumerate(offset_map(text, analysis.document.text))}
    rows = []
    for entity in analysis.entities:
        if entity.type != "PERSON":
            continue
        longest = max(entity.mentions, key=lambda m: (len(m.text), -m.start))
        rows.append({"file": name, "start": back.get(longest.start, longest.start),
                     "end": back.get(longest.end, longest.end), "date": article_day(name)})
    return rows


def write_anchors(rows: Sequence[dict[str, Any]], files: int, texts: Path) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "actor_codes_anchors.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} person entities in {files} PolNeAR {texts.parent.name} articles -> "
          f"{path.relative_to(ROOT)}")
    return 0


def articles_and_judged(texts: Path, gold: Path) -> tuple[list[str], set[str]]:
    """Every article of ``texts`` (sorted) and those the gold already holds."""
    judged = {g["file"] for g in read_gold(gold)} if gold.exists() else set()
    return sorted(p.name for p in texts.glob("*.txt")), judged


def cmd_sample(texts: Path, gold: Path, articles: int, seed: int) -> int:
    """``articles`` drawn at random; 0: every article the gold does not hold yet."""
    every, judged = articles_and_judged(texts, gold)
    files = (sorted(random.Random(seed).sample(every, articles)) if articles
             else [name for name in every if name not in judged])
    analyses = analyse(texts, files)
    return write_anchors([r for name in files for r in person_anchors(texts, name, analyses[name])], len(files), texts)


def cmd_batch(texts: Path, gold: Path, articles: int, seed: int, shuffle: int, cap: int, most: int) -> int:
    """A new batch of the train gold, as batches 8-10 were drawn (DATA_CARD.md): ``articles`` drawn at
    random (``seed``) less those the gold holds, taken in a shuffled order (``shuffle``) until about
    ``most`` anchors; an article of more than ``cap`` people gives ``cap`` of them, drawn at random (a
    list of names would otherwise fill the batch)."""
    every, judged = articles_and_judged(texts, gold)
    files = [f for f in sorted(random.Random(seed).sample(every, articles)) if f not in judged]
    random.Random(shuffle).shuffle(files)
    analyses = analyse(texts, files)
    rows: list[dict[str, Any]] = []
    taken = 0
    for name in files:
        mine = person_anchors(texts, name, analyses[name])
        if len(mine) > cap:
            mine = sorted(random.Random(shuffle).sample(mine, cap), key=lambda r: r["start"])
        if len(rows) + len(mine) > most and len(rows) >= most - 50:
            break
        rows += mine
        taken += 1
    return write_anchors(rows, taken, texts)


def cmd_show(texts: Path, name: str, start: int, end: int) -> int:
    text = (texts / name).read_text(encoding="utf-8")
    print(f"{name} (published {article_day(name)}); the mention is marked [[...]]\n")
    print(text[:start] + "[[" + text[start:end] + "]]" + text[end:])
    return 0


def cmd_sheet(texts: Path, anchors: Path) -> int:
    """Each article of an anchors file once, then its anchors with the words they mark: one reading
    of an article serves all its anchors (for annotators; printed, never stored)."""
    by_file: dict[str, list[dict[str, Any]]] = {}
    for row in read_gold(anchors):
        by_file.setdefault(row["file"], []).append(row)
    for name, rows in by_file.items():
        text = (texts / name).read_text(encoding="utf-8")
        print(f"=== {name} (published {article_day(name)}) ===\n{text}\n--- anchors of {name}:")
        for row in rows:
            print(f"  {row['start']} {row['end']}: [[{text[row['start']:row['end']]}]]"
                  f"  ...{text[max(0, row['start'] - 60):row['start']]}[[...]]{text[row['end']:row['end'] + 60]}...")
        print()
    return 0


def read_gold(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def dictionary_baseline(texts: Path, gold: Sequence[dict[str, Any]], roles: frozenset[str]) -> tuple[int, int]:
    """(right, coded) for the baseline in the same run: the code the dictionaries give the name as
    written on the article's day (the first gazetteer name in the anchor; no titles, no evidence)."""
    from wirescope.analysis.gazetteer import coding_day, load_gazetteer, resolve, scan_names
    from wirescope.analysis.nlp import load_nlp

    gaz, nlp = load_gazetteer(), load_nlp()
    right = coded = 0
    docs: dict[str, Any] = {}
    for g in gold:
        if g["file"] not in docs:
            docs[g["file"]] = nlp((texts / g["file"]).read_text(encoding="utf-8"))
        doc = docs[g["file"]]
        span = doc.char_span(g["start"], g["end"], alignment_mode="expand")
        hits = [key for _, _, kind, key in scan_names(list(span or []), gaz) if kind == "actor"]
        if hits:
            coded += 1
            right += accepted(resolve(gaz.actors[hits[0]], coding_day(g["date"]))[0], g["codes"], roles)
    return right, coded


def judged_rows(gold_path: Path, part: str, batch: int | None = None) -> list[dict[str, Any]]:
    """The gold's judged rows of one part ("all" for every part), of one batch when given."""
    return [g for g in read_gold(gold_path) if g["codes"] is not None and part in ("all", part_of(g, gold_path))
            and batch in (None, g.get("batch"))]


def people_at_anchors(texts: Path, gold: Sequence[dict[str, Any]], analyses: dict[str, Any]
                      ) -> Iterator[tuple[dict[str, Any], Any]]:
    """Each gold row with the PERSON entity covering its anchor (rows with none are left out); each
    file read and aligned with its analysed text once."""
    from actor_identity import covering_entity, offset_map

    mappings: dict[str, list[int]] = {}
    for g in gold:
        analysis = analyses[g["file"]]
        if g["file"] not in mappings:
            text = (texts / g["file"]).read_text(encoding="utf-8")
            mappings[g["file"]] = offset_map(text, analysis.document.text)
        mapping = mappings[g["file"]]
        entity = covering_entity(analysis.entities, mapping[g["start"]], mapping[g["end"]])
        if entity is not None and entity.type == "PERSON":
            yield g, entity


def cmd_score(texts: Path, gold_path: Path, part: str, show_wrong: bool, batch: int | None = None) -> int:
    from wirescope.analysis.gazetteer import load_gazetteer

    gold = judged_rows(gold_path, part, batch)
    files = sorted({g["file"] for g in gold})
    analyses = analyse(texts, files)
    second = {(g["file"], g["start"]): g for g in read_gold(SECOND)} if SECOND.exists() else {}
    roles = load_gazetteer().roles
    coded = right = covered = 0
    verdicts: list[bool] = []  # where a second annotator judged the anchor: do both accept alike?
    wrong: list[str] = []
    for g, entity in people_at_anchors(texts, gold, analyses):
        covered += 1
        if entity.code:
            coded += 1
            verdict = accepted(entity.code, g["codes"], roles)
            other = second.get((g["file"], g["start"]))
            if other is not None and other["codes"] is not None:
                verdicts.append(verdict == accepted(entity.code, other["codes"], roles))
            if verdict:
                right += 1
            else:
                wrong.append(f"- {g['file']} {g['start']}-{g['end']}: {entity.code}, gold {g['codes']} ({g['note']})")
    print(f"# Actor codes of people, PolNeAR {texts.parent.name}, part {part}"
          f"{'' if batch is None else f', batch {batch}'} ({len(files)} articles, "
          f"{len(gold)} judged people)\n")
    print(f"Judged people found as a person entity: {covered}; of those coded: {coded}")
    print(f"Code precision: {right}/{coded} = {right / coded if coded else 0:.3f}")
    base_right, base_coded = dictionary_baseline(texts, gold, roles)
    print(f"Baseline, the dictionaries' code of the name as written: {base_right}/{base_coded} = "
          f"{base_right / base_coded if base_coded else 0:.3f}")
    if verdicts:
        print(f"Codes a second annotator judged too: {len(verdicts)}; same verdict: {sum(verdicts)}")
    if show_wrong:
        print("\n".join(wrong))
    return 0


def code_source(doc: Any, entity: Any, day: str, chosen: Any) -> str:
    """Where the code the coder chose for a person comes from (a diagnostic: ``cmd_sources``)."""
    from wirescope.analysis import actors

    if chosen.key:
        former = any(v.former for v in actors._mention_votes(doc, entity, day))
        return ("gazetteer name, an office dated on the day" if chosen.in_office
                else "gazetteer name, made former by the text" if former and chosen.code.endswith("ELI")
                else "gazetteer name, undated or closed rows")
    return "role word before the name" if chosen.kind == "agent" else "appositive role, or a nationality and a title"


def cmd_sources(texts: Path, gold_path: Path, part: str) -> int:
    """Code precision by the source of each person's code, on one part of a gold. The coder is watched
    in this process (``actors._code_entity``, private: a diagnostic, not a figure of the contract)."""
    from wirescope.analysis import actors
    from wirescope.analysis.gazetteer import load_gazetteer

    gold = judged_rows(gold_path, part)
    sources: dict[tuple[str, tuple[int, ...]], str] = {}
    code_entity = actors._code_entity

    def watched(doc: Any, entity: Any, day: str, text: str) -> Any:
        found = code_entity(doc, entity, day, text)
        if found[0] is not None and entity.type == "PERSON":
            sources[(entity.name, tuple(m.start for m in entity.mentions))] = code_source(doc, entity, day, found[0])
        return found

    actors._code_entity = watched
    try:
        analyses = analyse(texts, sorted({g["file"] for g in gold}), in_process=True)
    finally:
        actors._code_entity = code_entity
    roles = load_gazetteer().roles
    counts: dict[str, list[int]] = {}
    for g, entity in people_at_anchors(texts, gold, analyses):
        if not entity.code:
            continue
        source = sources.get((entity.name, tuple(m.start for m in entity.mentions)), "unknown")
        tally = counts.setdefault(source if g["person"] else "not a person in the gold (any source)", [0, 0])
        tally[0] += 1
        tally[1] += accepted(entity.code, g["codes"], roles)
    print(f"# Code precision by source, PolNeAR {texts.parent.name}, part {part}\n")
    for source, (coded, right) in sorted(counts.items(), key=lambda item: -item[1][0]):
        print(f"- {source}: {right}/{coded} = {right / coded:.3f}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=sorted(SETS), default="dev",
                        help="the dev gold (tune and held-out parts) or the train gold (all read)")
    commands = parser.add_subparsers(dest="command", required=True)
    sample = commands.add_parser("sample")
    sample.add_argument("--articles", type=int, default=30)
    sample.add_argument("--seed", type=int, default=2026)
    batch = commands.add_parser("batch", help="anchors of a new train-gold batch, drawn as batches 8-10 were")
    batch.add_argument("--articles", type=int, default=90)
    batch.add_argument("--seed", type=int, required=True)
    batch.add_argument("--shuffle", type=int, required=True)
    batch.add_argument("--cap", type=int, default=40, help="most anchors one article gives")
    batch.add_argument("--max-anchors", type=int, default=470)
    show = commands.add_parser("show")
    show.add_argument("file")
    show.add_argument("start", type=int)
    show.add_argument("end", type=int)
    sheet = commands.add_parser("sheet", help="each article of an anchors file once, with its anchors")
    sheet.add_argument("anchors", type=Path)
    score = commands.add_parser("score")
    score.add_argument("--part", choices=("tune", "heldout", "all"), default=None,
                       help="default: heldout for the dev gold, tune for the train gold")
    score.add_argument("--wrong", action="store_true", help="list the codes the gold does not accept")
    score.add_argument("--batch", type=int, default=None,
                       help="only the rows of one batch of the train gold (rows that say their batch: 5 on)")
    sources = commands.add_parser("sources", help="code precision by the source of each code (read parts)")
    sources.add_argument("--part", choices=("tune", "heldout", "all"), default="tune")
    args = parser.parse_args(argv)
    texts, gold = SETS[args.set]
    if not texts.is_dir():
        print(f"SKIP: {texts} not found (set WIRESCOPE_SHARED)")
        return 0
    if args.command == "sample":
        return cmd_sample(texts, gold, args.articles, args.seed)
    if args.command == "batch":
        return cmd_batch(texts, gold, args.articles, args.seed, args.shuffle, args.cap, args.max_anchors)
    if args.command == "show":
        return cmd_show(texts, args.file, args.start, args.end)
    if args.command == "sheet":
        return cmd_sheet(texts, args.anchors)
    if not gold.exists():
        print(f"SKIP: {gold.relative_to(ROOT)} does not exist yet")
        return 0
    if args.command == "sources":
        return cmd_sources(texts, gold, args.part)
    return cmd_score(texts, gold, args.part or ("heldout" if args.set == "dev" else "tune"), args.wrong, args.batch)


if __name__ == "__main__":
    raise SystemExit(main())
