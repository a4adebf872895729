"""Benchmark of the quote layer (wirescope.quotes.extract_quotes) on PolNeAR; textacy as baseline.

    .venv/bin/python bench/quotes.py [--split dev|train] [--limit N]

Reads ../shared/data/quotes/polnear (next to the repository; override the shared folder with
WIRESCOPE_SHARED) and prints SKIP when it is absent. dev is the held-out report; train is the
split for anything tuned. Each article text is parsed ONCE with wirescope.nlp.load_nlp()
(nlp.pipe); entities, wirescope's quotes and textacy's ``direct_quotations`` all read that Doc.

Protocol
--------
Gold. PolNeAR annotates every attribution (statements, but also beliefs, intentions, ...) as
Source / Cue / Content spans, possibly discontinuous. One annotator per article (the id sorting
first where an article was annotated several times). Two gold subsets:

* **direct**: attributions whose content contains a double quotation mark (" “ ” „ « » '' ``).
  Single marks are not used: ’ is mostly an apostrophe in this corpus (O’Malley’s).
* **speech** ("all speech attributions"): direct ∪ attributions whose cue has a speech lemma
  (SPEECH_LEMMAS: say, tell, add, claim, state, announce, explain, warn, insist, argue, ...,
  nouns statement, remark, comment, interview, ...) or contains "according to". Lemmas come from
  the same spaCy parse. Beliefs, feelings and intentions without a speech cue (think, believe,
  want, hope, expect, know) are NOT speech attributions; they are *excluded* gold (see neutral).

Predictions. wirescope: for *direct*, quotes of kind direct or mixed (a mixed quote holds quoted
words, and PolNeAR's direct subset is defined by the marks, so it contains mixed quotes too); for
*speech*, all quotes. textacy: all its triples in both (it only finds direct quotations).

Matching. Character sets count alphanumeric characters only, so whitespace, quotation marks and
punctuation at the edges never decide a match. overlap(g, p) = |g ∩ p| / max(|g|, |p|): a
symmetric ratio, so neither a tiny prediction inside a long gold nor a whole-paragraph prediction
around a short gold passes. Content matches at overlap >= 0.5 ("overlap") or with identical
character sets ("exact"); the characters of the gold attribution's own Cue and Source are
taken out of the prediction first, so one predicted quote running over an interruption
("“A,” he said, “B.”") can equal PolNeAR's discontinuous content "A … B". Pairs are assigned
one-to-one, greedily by decreasing overlap, so a prediction counts once and a gold attribution
is found once.

Neutral predictions. An unmatched prediction is neither TP nor FP when >= 50% of its characters
lie in the content of (a) a gold attribution outside the evaluated subset (e.g. a belief, or an
indirect quote when scoring direct ones) or (b) a gold attribution already matched to another
prediction (the second half of an interrupted quote predicted as its own quote).

Parts of one interrupted quote predicted as separate quotes ("“A,” she said. “B.”", one PolNeAR
attribution A … B) are judged together for cue and speaker: the matched part takes the cue and
speaker of the neutral parts inside the same gold content.

Cue and source are scored end to end: a predicted cue (speaker span) is correct when its quote's
content matched a gold attribution (overlap) and it shares at least one alphanumeric character
with that attribution's Cue (Source) span. P = correct / non-neutral predictions with a cue
(speaker), R = correct / gold attributions with a cue (source).

Speaker accuracy, over content-matched pairs whose gold has a Source: correct when the predicted
speaker span shares a character with the gold Source, or the predicted speaker's entity has a
mention sharing a character with it (a pronoun source "he" resolved to the entity whose mentions
include that "he"; a name elsewhere for the same person). A missing speaker is wrong. textacy has
no entities: only its speaker tokens count.

Speed (issue 3 item 8): parse time of nlp.pipe over the split vs the time of extract_entities,
extract_quotes and textacy over the same Docs.

Figures are printed as a markdown table and written to bench/out/quotes.json (with error samples).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from polnear import Article, Attribution, load_split

DOUBLE_MARKS = ('"', "“", "”", "„", "«", "»", "''", "``")

# Lemmas of verbs and nouns that report speech or writing. Kept apart from cognition verbs
# (think, believe, know, want, hope, expect, fear) on purpose: those are not quotes.
SPEECH_LEMMAS = frozenset((
    "say", "tell", "add", "claim", "state", "announce", "explain", "warn", "insist", "argue",
    "note", "write", "report", "ask", "reply", "respond", "answer", "declare", "assert",
    "acknowledge", "admit", "deny", "suggest", "predict", "promise", "vow", "pledge", "threaten",
    "urge", "complain", "criticize", "criticise", "praise", "accuse", "describe", "speak",
    "mention", "recall", "testify", "confirm", "tweet", "post", "quip", "joke", "tout", "boast",
    "brag", "stress", "emphasize", "emphasise", "repeat", "reiterate", "concede", "contend",
    "maintain", "observe", "question", "conclude", "quote", "proclaim", "shout", "yell", "chant",
    "cry", "whisper", "mutter", "recommend", "demand", "order", "charge", "allege", "blast", "slam",
    "lament", "decry", "dismiss", "counter", "retort", "rebut", "remark", "comment", "statement",
    "interview", "speech", "announcement", "assertion", "argument", "warning", "claim", "testimony",
    "response", "reply", "message", "letter", "memo", "email", "e-mail", "op-ed", "editorial",
    "address", "declaration", "press", "release", "call", "told", "said", "says", "saying", "hint",
    "signal", "insist", "lash", "rail", "thank", "apologize", "apologise", "disclose", "reveal",
    "concede", "explain", "point", "tease", "mock", "call", "assure", "caution",
))

SYSTEMS = ("wirescope", "textacy")


def shared_dir() -> Path:
    return Path(os.environ.get("WIRESCOPE_SHARED") or ROOT.parent / "shared")


def alnum_chars(text: str, fragments: Iterable[tuple[int, int]]) -> frozenset[int]:
    return frozenset(i for s, e in fragments for i in range(s, e) if text[i].isalnum())


@dataclass
class Gold:
    att: Attribution
    content: frozenset[int]
    cue: frozenset[int]
    source: frozenset[int]
    direct: bool
    speech: bool


@dataclass
class Pred:
    kind: str
    content: frozenset[int]
    cue: frozenset[int]
    speaker: frozenset[int]
    # alphanumeric chars of every mention of the speaker's entity (empty when unresolved)
    speaker_entity: frozenset[int]
    text: str
    speaker_text: str
    cue_text: str = ""


def gold_of(article: Article, doc: Any) -> list[Gold]:
    text = article.text
    out = []
    for att in article.attributions:
        content = alnum_chars(text, att.content)
        if not content:
            continue
        content_text = att.text(text, "content")
        direct = any(mark in content_text for mark in DOUBLE_MARKS)
        cue_text = att.text(text, "cue").lower()
        lemmas: set[str] = set()
        for start, end in att.cue:
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is not None:
                lemmas.update(t.lemma_.lower() for t in span)
                lemmas.update(t.lower_ for t in span)
        speech = direct or "according to" in cue_text or bool(lemmas & SPEECH_LEMMAS)
        out.append(Gold(att, content, alnum_chars(text, att.cue), alnum_chars(text, att.source),
                        direct, speech))
    return out


def wirescope_preds(text: str, quotes: Iterable[Any], entities: Iterable[Any]) -> list[Pred]:
    mentions = {e.id: [(m.start, m.end) for m in e.mentions] for e in entities}
    out = []
    for q in quotes:
        cue = alnum_chars(text, [(q.cue.start, q.cue.end)]) if q.cue else frozenset()
        sp = q.speaker
        speaker = alnum_chars(text, [(sp.start, sp.end)]) if sp else frozenset()
        ent = alnum_chars(text, mentions.get(sp.entity, [])) if sp and sp.entity else frozenset()
        out.append(Pred(q.kind, alnum_chars(text, [(q.content.start, q.content.end)]), cue,
                        speaker, ent, q.content.text, sp.text if sp else "",
                        q.cue.text if q.cue else ""))
    return out


def textacy_triples(doc: Any, direct_quotations: Callable[[Any], Iterable[Any]],
                    stats: dict[str, int]) -> list[tuple[int, Any]]:
    """(character offset, triple) pairs. textacy refuses a whole document with an odd number of
    quotation marks (ValueError); rather than score it as empty we retry paragraph by paragraph
    (Span.as_doc copies the parse, no re-parsing) so the baseline is not handicapped by one stray
    mark. Paragraphs that still fail give nothing; the counts go to the JSON."""
    try:
        return [(0, tri) for tri in direct_quotations(doc)]
    except ValueError:
        stats["docs_retried_by_paragraph"] += 1
    out = []
    start = 0
    text = doc.text
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end == -1 else end
        span = doc.char_span(start, end, alignment_mode="contract")
        if span is not None and len(span):
            try:
                out.extend((span.start_char, tri) for tri in direct_quotations(span.as_doc()))
            except ValueError:
                stats["paragraphs_failed"] += 1
        start = end + 1
    return out


def textacy_preds(text: str, triples: Iterable[tuple[int, Any]]) -> list[Pred]:
    def chars(offset: int, tokens: Any) -> frozenset[int]:
        return alnum_chars(text, [(offset + t.idx, offset + t.idx + len(t)) for t in tokens])

    out = []
    for offset, tri in triples:
        speaker_text = " ".join(t.text for t in tri.speaker)
        out.append(Pred("direct", chars(offset, tri.content), chars(offset, tri.cue),
                        chars(offset, tri.speaker), frozenset(), tri.content.text, speaker_text,
                        " ".join(t.text for t in tri.cue)))
    return out


def overlap(a: frozenset[int], b: frozenset[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / max(len(a), len(b))


def match(golds: list[Gold], preds: list[Pred], threshold: float,
          exact: bool = False) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index), greedy by decreasing overlap."""
    pairs = []
    for gi, g in enumerate(golds):
        # the gold's own cue and source do not count against a prediction that spans them:
        # "“A,” he said, “B.”" as one quote equals the gold's discontinuous content A … B
        frame = g.cue | g.source
        for pi, p in enumerate(preds):
            content = p.content - frame
            if exact:
                if g.content == content:
                    pairs.append((1.0, gi, pi))
            else:
                score = overlap(g.content, content)
                if score >= threshold:
                    pairs.append((score, gi, pi))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _score, gi, pi in pairs:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return out


def neutral(pred: Pred, regions: list[frozenset[int]]) -> bool:
    return any(len(pred.content & r) >= 0.5 * len(pred.content) for r in regions if pred.content)


@dataclass
class Counts:
    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.n_pred += other.n_pred
        self.n_gold += other.n_gold

    def prf(self) -> dict[str, float | int]:
        p = self.tp / self.n_pred if self.n_pred else 0.0
        r = self.tp / self.n_gold if self.n_gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3), "tp": self.tp,
                "pred": self.n_pred, "gold": self.n_gold}


MEASURES = ("content_exact", "content_overlap", "cue", "source", "speaker")


def _merge_interrupted_parts(preds: list[Pred], golds: list[Gold], pairs: list[tuple[int, int]],
                             matched_p: set[int]) -> list[Pred]:
    """Parts of one interrupted quote ("“A,” she said. “B.”" is ONE PolNeAR attribution A … B) are
    judged together: the matched prediction gets the cue and speaker of the neutral parts that lie
    in the same gold content, otherwise the part without a cue (B) would decide alone."""
    preds = list(preds)
    for gi, pi in pairs:
        parts = [preds[pi]] + [preds[x] for x in range(len(preds)) if x not in matched_p
                               and neutral(preds[x], [golds[gi].content])]
        if len(parts) > 1:
            merged = preds[pi]
            preds[pi] = Pred(
                merged.kind, merged.content,
                frozenset().union(*(x.cue for x in parts)),
                frozenset().union(*(x.speaker for x in parts)),
                frozenset().union(*(x.speaker_entity for x in parts)),
                merged.text,
                " / ".join(x.speaker_text for x in parts if x.speaker_text),
                " / ".join(x.cue_text for x in parts if x.cue_text))
    return preds


def _cue_errors(text: str, golds: list[Gold], preds: list[Pred],
                pairs: list[tuple[int, int]]) -> list[dict[str, Any]]:
    errors = []
    for gi, pi in pairs:
        if golds[gi].cue and not preds[pi].cue & golds[gi].cue:
            errors.append({"type": "wrong_cue" if preds[pi].cue else "no_cue",
                           "gold_cue": golds[gi].att.text(text, "cue")[:60],
                           "pred_cue": preds[pi].cue_text[:60],
                           "content": preds[pi].text[:120]})
    return errors


def _score_speaker(text: str, golds: list[Gold], preds: list[Pred], pairs: list[tuple[int, int]],
                   errors: list[dict[str, Any]] | None) -> Counts:
    """Speaker accuracy, stored as tp / pred = correct / matched pairs with a gold source."""
    with_source = [(gi, pi) for gi, pi in pairs if golds[gi].source]
    speaker_ok = 0
    for gi, pi in with_source:
        p, g = preds[pi], golds[gi]
        if (p.speaker & g.source) or (p.speaker_entity & g.source):
            speaker_ok += 1
        elif errors is not None:
            errors.append({"type": "wrong_speaker" if p.speaker else "no_speaker",
                           "gold_source": g.att.text(text, "source")[:80],
                           "pred_speaker": p.speaker_text[:80], "content": p.text[:120]})
    return Counts(speaker_ok, len(with_source), len(with_source))


def _missed_and_false_positive_errors(text: str, golds: list[Gold], preds: list[Pred],
                                      pairs: list[tuple[int, int]], counted: list[int],
                                      matched_p: set[int]) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = []
    for gi, g in enumerate(golds):
        if gi not in {x for x, _ in pairs}:
            errors.append({"type": "missed", "direct": g.direct,
                           "cue": g.att.text(text, "cue")[:60],
                           "content": g.att.text(text, "content")[:160]})
    for pi in counted:
        if pi not in matched_p:
            errors.append({"type": "false_positive", "kind": preds[pi].kind,
                           "content": preds[pi].text[:160]})
    return errors


def score_article(text: str, all_gold: list[Gold], preds: list[Pred], subset: str,
                  errors: list[dict[str, Any]] | None) -> dict[str, Counts]:
    def in_subset(g: Gold) -> bool:
        return g.direct if subset == "direct" else g.speech

    golds = [g for g in all_gold if in_subset(g)]
    excluded = [g.content for g in all_gold if not in_subset(g)]
    result = {m: Counts() for m in MEASURES}

    pairs = match(golds, preds, 0.5)
    matched_p = {pi for _, pi in pairs}
    matched_regions = [golds[gi].content for gi, _ in pairs]
    counted = [pi for pi in range(len(preds))
               if pi in matched_p or not neutral(preds[pi], excluded + matched_regions)]
    result["content_overlap"] = Counts(len(pairs), len(counted), len(golds))

    # exact: same neutral predictions left out, so both content rows share one denominator
    exact_pairs = match(golds, [preds[pi] for pi in counted], 1.0, exact=True)
    result["content_exact"] = Counts(len(exact_pairs), len(counted), len(golds))

    preds = _merge_interrupted_parts(preds, golds, pairs, matched_p)
    cue_ok = sum(1 for gi, pi in pairs if preds[pi].cue & golds[gi].cue)
    if errors is not None:
        errors.extend(_cue_errors(text, golds, preds, pairs))
    result["cue"] = Counts(cue_ok, sum(1 for pi in counted if preds[pi].cue),
                           sum(1 for g in golds if g.cue))
    src_ok = sum(1 for gi, pi in pairs if preds[pi].speaker & golds[gi].source)
    result["source"] = Counts(src_ok, sum(1 for pi in counted if preds[pi].speaker),
                              sum(1 for g in golds if g.source))
    result["speaker"] = _score_speaker(text, golds, preds, pairs, errors)

    if errors is not None:
        errors.extend(_missed_and_false_positive_errors(text, golds, preds, pairs, counted,
                                                        matched_p))
    return result


def run(split: str, limit: int | None) -> dict[str, Any]:
    from textacy.extract.triples import direct_quotations

    from wirescope.analysis.entities import extract_entities
    from wirescope.analysis.nlp import load_nlp

    try:
        from wirescope.analysis.quotes import extract_quotes
    except ImportError:
        extract_quotes = None  # the extractor is not written yet: textacy runs alone
        print("NOTE: wirescope.quotes.extract_quotes not found; scoring textacy only")

    articles = load_split(shared_dir() / "data/quotes/polnear" / split, limit)
    nlp = load_nlp()
    texts = [a.text for a in articles]
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=32))
    timings = {"parse": time.perf_counter() - t0, "entities": 0.0, "wirescope_quotes": 0.0,
               "textacy": 0.0}

    systems = SYSTEMS if extract_quotes is not None else ("textacy",)
    totals = {s: {sub: {m: Counts() for m in MEASURES} for sub in ("direct", "speech")}
              for s in systems}
    errors: dict[str, list[dict[str, Any]]] = {s: [] for s in systems}
    textacy_stats = {"docs_retried_by_paragraph": 0, "paragraphs_failed": 0}
    gold_counts = {"attributions": 0, "direct": 0, "speech": 0}
    for article, doc in zip(articles, docs):
        golds = gold_of(article, doc)
        gold_counts["attributions"] += len(article.attributions)
        gold_counts["direct"] += sum(g.direct for g in golds)
        gold_counts["speech"] += sum(g.speech for g in golds)
        t = time.perf_counter()
        entities = extract_entities(doc)
        timings["entities"] += time.perf_counter() - t
        preds: dict[str, list[Pred]] = {}
        if extract_quotes is not None:
            t = time.perf_counter()
            quotes = extract_quotes(doc, entities)
            timings["wirescope_quotes"] += time.perf_counter() - t
            preds["wirescope"] = wirescope_preds(article.text, quotes, entities)
        t = time.perf_counter()
        triples = textacy_triples(doc, direct_quotations, textacy_stats)
        timings["textacy"] += time.perf_counter() - t
        preds["textacy"] = textacy_preds(article.text, triples)
        for system in systems:
            for subset in ("direct", "speech"):
                sys_preds = preds[system]
                if subset == "direct":
                    sys_preds = [p for p in sys_preds if p.kind in ("direct", "mixed")]
                # error samples come from the "all speech" scoring only, tagged with the article
                errs: list[dict[str, Any]] | None = [] if subset == "speech" else None
                for measure, counts in score_article(article.text, golds, sys_preds, subset,
                                                     errs).items():
                    totals[system][subset][measure].add(counts)
                for e in errs or []:
                    errors[system].append({"article": article.name, **e})
    return {
        "split": split,
        "articles": len(articles),
        "gold": gold_counts,
        "systems": {s: {sub: {m: c.prf() for m, c in subs.items()}
                        for sub, subs in totals[s].items()} for s in systems},
        "textacy_fallback": textacy_stats,
        "timings_s": {k: round(v, 2) for k, v in timings.items()},
        "error_counts": {s: dict(Counter(e["type"] for e in errs).most_common())
                         for s, errs in errors.items()},
        # a sample keeps the JSON small; the counts above are over all errors
        "errors": {s: errs[:3000] for s, errs in errors.items()},
    }


def table(result: dict[str, Any]) -> str:
    systems = list(result["systems"])
    header = "| subset | measure | " + " | ".join(f"{s} P / R / F1" for s in systems) + " |"
    lines = [header, "|" + "---|" * (2 + len(systems))]
    names = {"content_exact": "content (exact)", "content_overlap": "content (overlap >= 0.5)",
             "cue": "cue (overlap)", "source": "source (overlap)"}
    for subset in ("direct", "speech"):
        label = {"direct": f"direct (gold {result['gold']['direct']})",
                 "speech": f"all speech (gold {result['gold']['speech']})"}[subset]
        for measure in MEASURES:
            cells = []
            for s in systems:
                m = result["systems"][s][subset][measure]
                if measure == "speaker":
                    cells.append(f"acc {m['p']:.3f} ({m['tp']}/{m['pred']})")
                else:
                    cells.append(f"{m['p']:.3f} / {m['r']:.3f} / **{m['f1']:.3f}**")
            name = names.get(measure, "speaker accuracy")
            lines.append(f"| {label} | {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=("dev", "train"), default="dev")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    if not (shared_dir() / "data/quotes/polnear" / args.split).is_dir():
        print(f"SKIP: {shared_dir() / 'data/quotes/polnear' / args.split} not found")
        return 0
    started = time.perf_counter()
    result = run(args.split, args.limit)
    result["wall_s"] = round(time.perf_counter() - started, 1)
    print(f"PolNeAR {args.split}: {result['articles']} articles, {result['gold']['attributions']} "
          f"attributions, {result['gold']['direct']} direct, {result['gold']['speech']} speech")
    print("Protocol: direct = gold content with a double quotation mark vs predicted direct+mixed; "
          "all speech = direct ∪ speech-lemma cues vs all predictions; alphanumeric chars, overlap "
          "= |g∩p|/max(|g|,|p|) >= 0.5, one-to-one greedy; predictions inside excluded or already "
          "matched gold content are neutral; cue/source: a shared char on a content-matched pair; "
          "speaker accuracy on matched pairs with a gold source (span or entity mention overlap).")
    print()
    print(table(result))
    print()
    t = result["timings_s"]
    share = t["wirescope_quotes"] / t["parse"] if t["parse"] else 0.0
    print(f"Time: parse {t['parse']}s, entities {t['entities']}s, wirescope quotes "
          f"{t['wirescope_quotes']}s ({share:.1%} of parse), textacy {t['textacy']}s; "
          f"wall {result['wall_s']}s")
    for system, kinds in result["error_counts"].items():
        listed = ", ".join(f"{k} {v}" for k, v in kinds.items())
        print(f"{system} errors (all speech): {listed}")
    out = ROOT / "bench/out/quotes.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
