"""Actor identity across documents (issue 14, item 5): gold name mentions of people in BASIL.

The gold (``bench/actor_identity/``, built by reading; see GUIDELINES.md and DATA_CARD.md) marks
every name mention of a person with one label per real person. The benchmark runs the pipeline on
each article (published = the article's date), maps every gold mention to the predicted entity
whose mention covers it, and scores the entities' ``actor`` ids across documents:

* cross-document B-cubed precision / recall / F1 over the gold mentions in scope (people named in
  at least two articles, or sharing a surname with another person; ``?`` rows never);
* same-surname merges: pairs of different gold people with one surname put into one predicted actor;
* the same for the baselines in the same run: the mention's surface text, case-folded (exact-name
  grouping), and the pipeline's in-document entity name, case-folded;
* actor-code precision over the hand-judged sample in ``code_judgments.jsonl`` (rows whose
  entity and code the current pipeline still produces).

    PYTHONPATH=src .venv/bin/python bench/actor_identity.py score --part dev|test
    PYTHONPATH=src .venv/bin/python bench/actor_identity.py candidates --part dev|test
    PYTHONPATH=src .venv/bin/python bench/actor_identity.py show STEM
    PYTHONPATH=src .venv/bin/python bench/actor_identity.py check bench/actor_identity/gold_dev.jsonl
    PYTHONPATH=src .venv/bin/python bench/actor_identity.py agreement A.jsonl B.jsonl
    PYTHONPATH=src .venv/bin/python bench/actor_identity.py sample-codes --n 60 [--part dev]

Needs ../shared (or WIRESCOPE_SHARED); prints SKIP and exits 0 without it. Reports go to bench/out/.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("WIRESCOPE_SHARED", ROOT.parent / "shared"))
BASIL = SHARED / "data" / "stories" / "basil"
GOLD_DIR = ROOT / "bench" / "actor_identity"
GOLD_FILES = {"dev": GOLD_DIR / "gold_dev.jsonl", "test": GOLD_DIR / "gold_test.jsonl"}
JUDGMENTS = GOLD_DIR / "code_judgments.jsonl"  # TEST rows (gold-a, 2026-12-05 02:33 pipeline)
JUDGMENTS_DEV = GOLD_DIR / "code_judgments_dev.jsonl"  # DEV rows, judged while tuning on DEV
OUT = ROOT / "bench" / "out"
DEV_STORIES = 35  # the first 35 sorted triplet-uuids are DEV, the rest TEST
UNKNOWN = "?"
SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})

sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))


# -- articles and gold -------------------------------------------------------------------------
@dataclass(frozen=True)
class Article:
    stem: str
    story: str
    day: str  # ISO date
    title: str
    text: str  # title + "\n\n" + body, exactly as bench/stories.py builds it


@dataclass(frozen=True)
class GoldRow:
    article: str
    start: int
    end: int
    label: str


def load_articles() -> dict[str, Article]:
    from stories import load_basil  # bench/stories.py: the one definition of the article text

    return {r["id"]: Article(r["id"], r["story"], r["day"].isoformat(), r["title"],
                             f"{r['title']}\n\n{r['body']}") for r in load_basil(BASIL)}


def split_parts(articles: dict[str, Article]) -> dict[str, list[str]]:
    """The fixed split: sorted triplet-uuids, the first DEV_STORIES are dev, the rest test."""
    stories = sorted({a.story for a in articles.values()})
    dev = set(stories[:DEV_STORIES])
    parts: dict[str, list[str]] = {"dev": [], "test": []}
    for stem in sorted(articles):
        parts["dev" if articles[stem].story in dev else "test"].append(stem)
    return parts


def read_gold(path: Path) -> list[GoldRow]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            rows.append(GoldRow(raw["article"], int(raw["start"]), int(raw["end"]), str(raw["label"])))
    return rows


def surname(label: str) -> str:
    """The last word of a label, without a parenthetical note or a Jr./Sr./II suffix."""
    words = re.sub(r"\s*\(.*\)\s*$", "", label).replace(",", " ").split()
    while len(words) > 1 and words[-1].lower() in SUFFIXES:
        words.pop()
    return words[-1].lower() if words else ""


def scored_labels(rows: Iterable[GoldRow]) -> set[str]:
    """People in scope: named in >= 2 articles, or sharing a surname with another person."""
    articles: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if row.label != UNKNOWN:
            articles[row.label].add(row.article)
    by_surname: dict[str, set[str]] = defaultdict(set)
    for label in articles:
        by_surname[surname(label)].add(label)
    return {label for label, docs in articles.items()
            if len(docs) >= 2 or len(by_surname[surname(label)]) > 1}


def all_gold() -> list[GoldRow]:
    return [row for path in GOLD_FILES.values() if path.exists() for row in read_gold(path)]


# -- check -------------------------------------------------------------------------------------
# Optional lower-case particles ("al-", "bin ", "diGenova"), then a capitalised name, letters to the end.
NAME_SHAPE = re.compile(r"^(?:(?:al|el|bin|ibn|de|di|da|del|della|van|von|der|den|la|le|du|dos|ter)[-' ]?)*"
                        r"[A-Z\u00c0-\u00de][\w\u00c0-\u024f'’.\- ]*[\w.]$|^[A-Z]$")


def row_errors(row: GoldRow, articles: dict[str, Article]) -> list[str]:
    article = articles.get(row.article)
    if article is None:
        return [f"{row}: no such article"]
    if not 0 <= row.start < row.end <= len(article.text):
        return [f"{row}: offsets outside the text ({len(article.text)} chars)"]
    text = article.text[row.start : row.end]
    errors = []
    if "\n" in text or not NAME_SHAPE.match(text):
        errors.append(f"{row}: {text!r} does not look like a name")
    if text.endswith(("'s", "’s")):
        errors.append(f"{row}: {text!r} keeps the possessive")
    if not row.label.strip():
        errors.append(f"{row}: empty label")
    return errors


def overlap_errors(rows: Sequence[GoldRow]) -> list[str]:
    errors = []
    ordered = sorted(rows, key=lambda r: (r.article, r.start, r.end))
    for a, b in zip(ordered, ordered[1:]):
        if a.article == b.article and b.start < a.end:
            errors.append(f"overlapping or duplicate rows: {a} / {b}")
    return errors


def label_warnings(rows: Sequence[GoldRow], articles: dict[str, Article]) -> list[str]:
    """Labels that look like spellings of one person, and one multi-word name with two labels."""
    labels = sorted({r.label for r in rows if r.label != UNKNOWN})
    warnings = []
    for a, b in combinations(labels, 2):
        if surname(a) == surname(b) and a.split()[0][:1] == b.split()[0][:1] and "(" not in a + b:
            warnings.append(f"same surname and initial, check they are two people: {a!r} / {b!r}")
    written: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        text = articles[row.article].text[row.start : row.end] if row.article in articles else ""
        if len(text.split()) >= 2 and row.label != UNKNOWN:
            written[text].add(row.label)
    warnings += [f"{text!r} has labels {sorted(ls)}" for text, ls in written.items() if len(ls) > 1]
    return warnings


def cmd_check(path: Path) -> int:
    articles = load_articles()
    rows = read_gold(path)
    errors = [e for row in rows for e in row_errors(row, articles)] + overlap_errors(rows)
    for line in errors + [f"warning: {w}" for w in label_warnings(rows, articles)]:
        print(line)
    labels = Counter(r.label for r in rows)
    in_scope = scored_labels(all_gold() + rows)
    print(f"\n{len(rows)} rows in {len({r.article for r in rows})} articles, {len(labels)} labels "
          f"({labels[UNKNOWN]} rows '?'); in scope: {sum(labels[x] for x in in_scope)} rows, "
          f"{len(in_scope & set(labels))} people")
    groups = Counter(surname(label) for label in in_scope & set(labels))
    print(f"same-surname groups in scope: {sum(n > 1 for n in groups.values())} "
          f"({', '.join(sorted(s for s, n in groups.items() if n > 1))})")
    for label, count in sorted(labels.items(), key=lambda kv: (surname(kv[0]), kv[0])):
        print(f"  {count:4d}  {label}{'' if label in in_scope else '   (not scored)'}")
    print(f"\n{len(errors)} errors")
    return 1 if errors else 0


# -- agreement ---------------------------------------------------------------------------------
def prf(p: float, r: float) -> tuple[float, float, float]:
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def bcubed(gold: Sequence[str], pred: Sequence[str]) -> tuple[float, float, float]:
    """B-cubed over items i: |gold cluster of i & pred cluster of i| / |pred cluster| (and gold)."""
    if not gold:
        return 0.0, 0.0, 0.0
    gold_sets: dict[str, set[int]] = defaultdict(set)
    pred_sets: dict[str, set[int]] = defaultdict(set)
    for i, (g, p) in enumerate(zip(gold, pred)):
        gold_sets[g].add(i)
        pred_sets[p].add(i)
    precision = recall = 0.0
    for g, p in zip(gold, pred):
        same = len(gold_sets[g] & pred_sets[p])
        precision += same / len(pred_sets[p])
        recall += same / len(gold_sets[g])
    return prf(precision / len(gold), recall / len(gold))


def cmd_agreement(path_a: Path, path_b: Path) -> int:
    rows_a, rows_b = read_gold(path_a), read_gold(path_b)
    shared_articles = {r.article for r in rows_a} & {r.article for r in rows_b}
    spans_a = {(r.article, r.start, r.end): r.label for r in rows_a if r.article in shared_articles}
    spans_b = {(r.article, r.start, r.end): r.label for r in rows_b if r.article in shared_articles}
    both = sorted(set(spans_a) & set(spans_b))
    p, r, f = prf(len(both) / len(spans_b) if spans_b else 0.0, len(both) / len(spans_a) if spans_a else 0.0)
    known = [k for k in both if UNKNOWN not in (spans_a[k], spans_b[k])]
    bp, br, bf = bcubed([spans_a[k] for k in known], [spans_b[k] for k in known])
    same_label = sum(spans_a[k] == spans_b[k] for k in known)
    print(f"articles annotated by both: {len(shared_articles)}")
    print(f"mentions: A {len(spans_a)}, B {len(spans_b)}, same exact span {len(both)}")
    print(f"mention agreement (exact spans, A as reference): P {p:.3f} R {r:.3f} F1 {f:.3f}")
    print(f"label agreement on the {len(known)} shared spans without '?': B-cubed P {bp:.3f} "
          f"R {br:.3f} F1 {bf:.3f}; identical label strings {same_label}/{len(known)}")
    articles = load_articles()
    for key in sorted(set(spans_a) ^ set(spans_b)):
        side = "A only" if key in spans_a else "B only"
        text = articles[key[0]].text[key[1] : key[2]] if key[0] in articles else ""
        print(f"  {side}: {key[0]} {key[1]}-{key[2]} {text!r} {spans_a.get(key) or spans_b.get(key)}")
    for key in known:
        if spans_a[key] != spans_b[key]:
            print(f"  label: {key[0]} {key[1]}-{key[2]} A {spans_a[key]!r} B {spans_b[key]!r}")
    return 0


# -- candidates --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Candidate:
    article: str
    start: int
    end: int
    text: str
    via: str  # "spacy" or "lexicon"


EXTRA_TITLES = frozenset({"congressman", "congresswoman", "speaker", "director", "attorney", "agent",
                          "special", "sheriff", "lady", "first", "majority", "minority", "whip",
                          "ms.", "mr.", "mrs.", "dr.", "sen.", "rep.", "gov.", "gen.", "lt.", "col."})
MODIFIED_NOUNS = frozenset({"administration", "campaign", "aides", "aide", "supporters", "era", "camp",
                            "voters", "white", "team", "allies", "foundation", "tower", "organization",
                            "family", "presidency", "transition", "tax", "years", "doctrine", "policy"})


def name_span(doc: Any, start: int, end: int) -> tuple[int, int] | None:
    """Character span of the name inside a PERSON entity: titles and the possessive left out."""
    from wirescope.analysis.entities import PERSON_TITLES

    tokens = [t for t in doc[start:end] if not t.is_space]
    while tokens and (tokens[0].lower_.rstrip(".") in PERSON_TITLES or tokens[0].lower_ in EXTRA_TITLES
                      or not tokens[0].text[:1].isupper()):
        tokens.pop(0)
    while tokens and (tokens[-1].text in {"'s", "’s", "'", "’", ",", "."} or not tokens[-1].text[:1].isalpha()):
        tokens.pop()
    if not tokens or "\n" in doc.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1])]:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def spacy_candidates(articles: Sequence[Article]) -> list[Candidate]:
    from wirescope.analysis.nlp import load_nlp

    nlp = load_nlp()
    out = []
    for article, doc in zip(articles, nlp.pipe((a.text for a in articles), batch_size=16)):
        for ent in doc.ents:
            span = name_span(doc, ent.start, ent.end) if ent.label_ == "PERSON" else None
            if span:
                out.append(Candidate(article.stem, *span, article.text[span[0] : span[1]], "spacy"))
    return out


def lexicon_candidates(articles: Sequence[Article], found: Sequence[Candidate]) -> list[Candidate]:
    """Every capitalised occurrence of a name token spaCy found anywhere, not covered already."""
    tokens = {w for c in found for w in c.text.split() if len(w) > 2 and w[0].isupper() and "." not in w}
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, tokens), key=len, reverse=True)) + r")\b")
    covered = defaultdict(list)
    for c in found:
        covered[c.article].append((c.start, c.end))
    out = []
    for article in articles:
        for m in pattern.finditer(article.text):
            if not any(s <= m.start() < e for s, e in covered[article.stem]):
                out.append(Candidate(article.stem, m.start(), m.end(), m.group(0), "lexicon"))
    return out


def suggest_label(c: Candidate, article: Article, full_names: dict[str, set[str]],
                  story_names: dict[str, set[str]]) -> str:
    """A full name as written minus initials; a single token through the article's, then the
    story's full names that end (surname) or start (first name) with it."""
    words = [w for w in c.text.split() if not re.fullmatch(r"[A-Z]\.", w)]
    if len(words) >= 2:
        return " ".join(words)
    for pool in (full_names[c.article], story_names[article.story]):
        hits = sorted({n for n in pool if n.split()[-1] == c.text or n.split()[0] == c.text
                       or (n.split()[-1].rstrip(".").lower() in SUFFIXES and n.split()[-2] == c.text)})
        if len(hits) == 1:
            return hits[0]
        if hits:
            return UNKNOWN + "|".join(hits)
    return UNKNOWN


def cmd_candidates(part: str) -> int:
    articles = load_articles()
    chosen = [articles[s] for s in split_parts(articles)[part]]
    found = spacy_candidates(chosen)
    found += lexicon_candidates(chosen, found)
    full_names: dict[str, set[str]] = defaultdict(set)
    story_names: dict[str, set[str]] = defaultdict(set)
    for c in found:
        words = [w for w in c.text.split() if not re.fullmatch(r"[A-Z]\.", w)]
        if len(words) >= 2:
            full_names[c.article].add(" ".join(words))
            story_names[articles[c.article].story].add(" ".join(words))
    OUT.mkdir(parents=True, exist_ok=True)
    rows, lines = [], []
    for c in sorted(set(found), key=lambda c: (c.article, c.start)):
        article = articles[c.article]
        label = suggest_label(c, article, full_names, story_names)
        after = article.text[c.end : c.end + 20].split()
        hint = " MODIFIER?" if after and after[0].lower().strip(",.") in MODIFIED_NOUNS else ""
        rows.append({"article": c.article, "start": c.start, "end": c.end, "label": label, "via": c.via})
        context = article.text[max(0, c.start - 70) : c.end + 50].replace("\n", " / ")
        lines.append(f"{c.article} {c.start}-{c.end} [{c.text}] -> {label} ({c.via}){hint}\n    {context}")
    (OUT / f"actor_identity_candidates_{part}.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (OUT / f"actor_identity_candidates_{part}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(rows)} candidates in {len(chosen)} articles -> bench/out/actor_identity_candidates_{part}.*")
    return 0


def cmd_show(stem: str) -> int:
    """The article text with the offset of each paragraph, for annotators."""
    article = load_articles()[stem]
    print(f"{stem}  story {article.story}  {article.day}")
    offset = 0
    for paragraph in article.text.split("\n\n"):
        print(f"[{offset}] {paragraph}")
        offset += len(paragraph) + 2
    return 0


# -- the pipeline and the offsets --------------------------------------------------------------
def run_pipeline(chosen: Sequence[Article]) -> dict[str, Any]:
    """analysis@1 of each article through the real pipeline, dated by the article."""
    from wirescope.pipeline import analyze_pages
    from wirescope.records import Analysis, RawPage
    from wirescope.settings import Settings

    pages = [RawPage(source=a.stem, data=a.text, content_type="text", title=a.title, published=a.day)
             for a in chosen]
    settings = Settings(batch_size=16, contextual_bias=False)
    out = {}
    for article, result in zip(chosen, analyze_pages(pages, settings)):
        if not isinstance(result, Analysis) or result.document.source != article.stem:
            raise SystemExit(f"pipeline failed or reordered on {article.stem}: {result}")
        out[article.stem] = result
    return out


def offset_map(built: str, analysed: str) -> list[int]:
    """For each offset of ``built`` (and its end), the matching offset of ``analysed``."""
    mapping = list(range(len(built) + 1))
    if built == analysed:
        return mapping
    matcher = difflib.SequenceMatcher(None, built, analysed, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for i in range(i1, i2 + 1):
            mapping[i] = j1 + (i - i1) if tag == "equal" else (j1 if i < i2 else j2)
    return mapping


@dataclass(frozen=True)
class Placed:
    """A gold mention with what the pipeline made of it."""

    row: GoldRow
    surface: str
    actor: str | None  # None: no entity covers it, or its entity has no actor id
    entity_name: str | None
    entity_id: str | None


def covering_entity(entities: Sequence[Any], start: int, end: int) -> Any:
    """The entity with a mention at exactly this span, else the one overlapping it most."""
    best, best_overlap = None, 0
    for entity in entities:
        for m in entity.mentions:
            if (m.start, m.end) == (start, end):
                return entity
            overlap = min(end, m.end) - max(start, m.start)
            if overlap > best_overlap or (overlap == best_overlap > 0 and entity.type == "PERSON"):
                best, best_overlap = entity, overlap
    return best


def place_gold(rows: Sequence[GoldRow], articles: dict[str, Article],
               analyses: dict[str, Any]) -> tuple[list[Placed], int, int]:
    """Each gold row placed on the analysed text; also how many articles' texts differed and how
    many gold mentions read differently there after alignment (0 when the alignment holds)."""
    placed, differing, misaligned = [], 0, 0
    for stem in sorted({r.article for r in rows}):
        analysis = analyses[stem]
        built, analysed = articles[stem].text, analysis.document.text
        differing += analysed != built
        mapping = offset_map(built, analysed)
        for row in (r for r in rows if r.article == stem):
            misaligned += built[row.start : row.end] != analysed[mapping[row.start] : mapping[row.end]]
            entity = covering_entity(analysis.entities, mapping[row.start], mapping[row.end])
            placed.append(Placed(row, built[row.start : row.end],
                                 getattr(entity, "actor", None) if entity else None,
                                 entity.name if entity else None, entity.id if entity else None))
    return placed, differing, misaligned


# -- score -------------------------------------------------------------------------------------
def same_surname_merges(labels: Sequence[str], clusters: Sequence[str]) -> list[tuple[str, str]]:
    members: dict[str, set[str]] = defaultdict(set)
    for label, cluster in zip(labels, clusters):
        members[cluster].add(label)
    pairs = {(a, b) for group in members.values() for a, b in combinations(sorted(group), 2)
             if surname(a) == surname(b)}
    return sorted(pairs)


def system_clusters(placed: Sequence[Placed]) -> dict[str, list[str]]:
    """Predicted cluster of each gold mention per system; a mention without a key is a singleton."""
    def alone(p: Placed) -> str:
        return f"singleton:{p.row.article}:{p.row.start}"

    out = {
        "baseline: exact name (surface text, case-folded)": [p.surface.casefold() for p in placed],
        "baseline: pipeline entity name, case-folded": [
            p.entity_name.casefold() if p.entity_name else alone(p) for p in placed],
    }
    if any(p.actor for p in placed) or actor_field_exists():
        out["wirescope: Entity.actor"] = [p.actor or alone(p) for p in placed]
    return out


def actor_field_exists() -> bool:
    from dataclasses import fields

    from wirescope.records import Entity

    return any(f.name == "actor" for f in fields(Entity))


def code_precision(analyses: dict[str, Any], articles: dict[str, Article],
                   wrong: list[dict[str, Any]] | None = None) -> tuple[int, int, int]:
    """(judged rows, rows still produced by the pipeline with the same code, of which correct).

    The produced rows judged wrong are appended to ``wrong`` when it is given."""
    judged = [json.loads(line) for path in (JUDGMENTS, JUDGMENTS_DEV) if path.exists()
              for line in path.read_text(encoding="utf-8").splitlines() if line]
    judged = [j for j in judged if j["article"] in analyses]
    if not judged:
        return 0, 0, 0
    produced = correct = 0
    for j in judged:
        analysis = analyses[j["article"]]
        mapping = offset_map(articles[j["article"]].text, analysis.document.text)
        entity = covering_entity(analysis.entities, mapping[j["start"]], mapping[j["end"]])
        if entity is not None and entity.type == "PERSON" and entity.code == j["code"]:
            produced += 1
            correct += bool(j["correct"])
            if not j["correct"] and wrong is not None:
                wrong.append(j)
    return len(judged), produced, correct


def score_table(placed: Sequence[Placed]) -> list[str]:
    labels = [p.row.label for p in placed]
    lines = ["| system | B3 P | B3 R | B3 F1 | same-surname pairs merged | clusters |", "|---|---|---|---|---|---|"]
    for name, clusters in system_clusters(placed).items():
        bp, br, bf = bcubed(labels, clusters)
        merges = same_surname_merges(labels, clusters)
        lines.append(f"| {name} | {bp:.3f} | {br:.3f} | {bf:.3f} | {len(merges)} | {len(set(clusters))} |")
        lines += [f"|   merged: {a} + {b} | | | | | |" for a, b in merges]
    return lines


def most_split(placed: Sequence[Placed], clusters: Sequence[str], top: int = 8) -> list[str]:
    """The people whose mentions fall into the most predicted clusters (where recall is lost)."""
    spread: dict[str, Counter[str]] = defaultdict(Counter)
    for p, cluster in zip(placed, clusters):
        spread[p.row.label][cluster if not cluster.startswith("singleton:") else "(no actor id)"] += 1
    worst = sorted(spread.items(), key=lambda kv: -len(kv[1]))[:top]
    return [f"- {label}: {sum(c.values())} mentions in {len(c)} clusters ("
            + ", ".join(f"{k} x{n}" for k, n in c.most_common(4)) + ")" for label, c in worst]


def cmd_score(part: str) -> int:
    articles = load_articles()
    gold_path = GOLD_FILES[part]
    if not gold_path.exists():
        print(f"SKIP: {gold_path.relative_to(ROOT)} does not exist yet")
        return 0
    stems = set(split_parts(articles)[part])
    in_scope = scored_labels(all_gold())
    rows = [r for r in read_gold(gold_path) if r.label in in_scope and r.article in stems]
    chosen = [articles[s] for s in sorted(stems)]
    analyses = run_pipeline(chosen)
    placed, differing, misaligned = place_gold(rows, articles, analyses)
    pairs = {(a, b) for a, b in combinations(sorted({r.label for r in rows}), 2) if surname(a) == surname(b)}
    lines = [f"# Actor identity, {part}: {len(chosen)} articles, {len(rows)} gold mentions of "
             f"{len({r.label for r in rows})} people ({len(pairs)} same-surname pairs)", ""]
    if not actor_field_exists():
        lines.append("Entity.actor does not exist yet: only the baselines are scored.")
    lines.append(f"Articles whose analysed text differs from the built text: {differing} (offsets aligned; "
                 f"gold mentions reading differently after alignment: {misaligned})")
    lines.append(f"Gold mentions covered by a predicted entity: {sum(p.entity_id is not None for p in placed)}; "
                 f"of those with an actor id: {sum(p.actor is not None for p in placed)}")
    lines += ["", *score_table(placed), ""]
    actor_clusters = system_clusters(placed).get("wirescope: Entity.actor")
    if actor_clusters:
        lines += ["People split over most actors (wirescope):", *most_split(placed, actor_clusters), ""]
    wrong: list[dict[str, Any]] = []
    judged, produced, correct = code_precision(analyses, articles, wrong)
    if judged:
        source = (JUDGMENTS if part == "test" else JUDGMENTS_DEV).name
        lines.append(f"Actor-code precision (hand-judged sample, {source}): {correct}/{produced} = "
                     f"{correct / produced if produced else 0:.3f} over the {produced} of {judged} judged "
                     "entities the current pipeline still produces with the judged code")
        lines += [f"- wrong: {j['article']} {j['start']}-{j['end']} {j['code']}: {j['note']}" for j in wrong]
    report = "\n".join(lines)
    print(report)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"actor_identity_{part}.md").write_text(report + "\n", encoding="utf-8")
    return 0


def cmd_sample_codes(n: int, seed: int, part: str = "test") -> int:
    """A fixed random sample of coded PERSON entities of one part's articles, for judging by hand."""
    articles = load_articles()
    chosen = [articles[s] for s in split_parts(articles)[part]]
    analyses = run_pipeline(chosen)
    coded = []
    for article in chosen:
        analysis = analyses[article.stem]
        mapping = {v: k for k, v in enumerate(offset_map(article.text, analysis.document.text))}
        for entity in analysis.entities:
            if entity.type == "PERSON" and entity.code:
                longest = max(entity.mentions, key=lambda m: (len(m.text), -m.start))
                coded.append({"article": article.stem, "start": mapping.get(longest.start, longest.start),
                              "end": mapping.get(longest.end, longest.end), "code": entity.code,
                              "name": entity.name, "actor": getattr(entity, "actor", None), "date": article.day})
    sample = sorted(random.Random(seed).sample(coded, min(n, len(coded))), key=lambda r: (r["article"], r["start"]))
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / ("actor_identity_code_sample.jsonl" if part == "test" else f"actor_identity_code_sample_{part}.jsonl")
    path.write_text("".join(json.dumps(r) + "\n" for r in sample), encoding="utf-8")
    print(f"{len(coded)} coded PERSON entities in {len(chosen)} {part.upper()} articles; {len(sample)} sampled "
          f"(seed {seed}) -> {path.relative_to(ROOT)}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("score", "candidates"):
        sub.add_parser(name).add_argument("--part", choices=("dev", "test"), default="dev")
    sub.add_parser("show").add_argument("stem")
    sub.add_parser("check").add_argument("path", type=Path)
    agreement = sub.add_parser("agreement")
    agreement.add_argument("a", type=Path)
    agreement.add_argument("b", type=Path)
    sample = sub.add_parser("sample-codes")
    sample.add_argument("--n", type=int, default=60)
    sample.add_argument("--seed", type=int, default=14)
    sample.add_argument("--part", choices=("dev", "test"), default="test")
    args = parser.parse_args(argv)
    if not BASIL.exists():
        print(f"SKIP: {BASIL} not found (set WIRESCOPE_SHARED)")
        return 0
    commands = {
        "score": lambda: cmd_score(args.part),
        "candidates": lambda: cmd_candidates(args.part),
        "show": lambda: cmd_show(args.stem),
        "check": lambda: cmd_check(args.path),
        "agreement": lambda: cmd_agreement(args.a, args.b),
        "sample-codes": lambda: cmd_sample_codes(args.n, args.seed, args.part),
    }
    return commands[args.command]()


if __name__ == "__main__":
    sys.exit(main())
