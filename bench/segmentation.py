"""Benchmark of the plain-text page segmenter (wirescope.segment.segment_page).

    .venv/bin/python bench/segmentation.py

Reads ../shared (next to the repository; override with WIRESCOPE_SHARED) and prints SKIP when it
is absent. Two parts, one run:

(a) The 181 pages of article-extraction-benchmark flattened to plain text with
    ``html_text.extract_text(html, guess_layout=True)``. Predicted article text = the title,
    dateline and body segments joined; scored against ``articleBody`` with the benchmark's own
    shingle metric (bench/metrics.py). Baselines on the same flattened text: the whole text,
    simple line rules, and trafilatura on the lines wrapped in <p>.
(b) Composite pages built from PolNeAR articles: one article (its title line and paragraphs) with
    boilerplate lines and the leading paragraphs of OTHER articles as teasers placed before, after
    and among the boilerplate lines, sometimes an interruption inside the article (seeded,
    deterministic). Gold article = the article's own characters (title included). Predicted =
    the characters of title, dateline and body segments. Character-level P/R/F1 over
    non-whitespace characters, and the share of non-article characters kept out of the
    prediction. Baseline: the whole page as body. Train composites were used for tuning; dev is
    the held-out report.

Figures are printed as a markdown table and written to bench/out/segmentation.json.
"""

from __future__ import annotations

import gzip
import html
import json
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from metrics import aggregate, shingle_prf
from wirescope.records import Segment
from wirescope.segment import segment_page

ARTICLE_KINDS = ("title", "dateline", "body")
# Simple line rules baseline: keep lines of at least this many words that end like a sentence.
LINE_RULE_MIN_WORDS = 10
SEED = 20240531


def shared_dir() -> Path:
    return Path(os.environ.get("WIRESCOPE_SHARED") or ROOT.parent / "shared")


def article_text(text: str, segments: list[Segment]) -> str:
    return "\n".join(text[s.start : s.end] for s in segments if s.kind in ARTICLE_KINDS)


# --- (a) article-extraction-benchmark, flattened ---------------------------------------------


def line_rules(text: str) -> str:
    keep = []
    for line in text.splitlines():
        line = line.strip()
        if len(line.split()) >= LINE_RULE_MIN_WORDS and line[-1] in ".!?\"'”’:;)":
            keep.append(line)
    return "\n".join(keep)


def trafilatura_on_lines(text: str) -> str:
    import trafilatura

    paragraphs = "".join(f"<p>{html.escape(line.strip())}</p>" for line in text.splitlines() if line.strip())
    return trafilatura.extract(f"<html><body><article>{paragraphs}</article></body></html>") or ""


def load_extraction_pages(shared: Path) -> list[tuple[str, str, str]]:
    """(id, flattened text, gold articleBody) of every benchmark page."""
    import html_text

    root = shared / "data/extraction/article-extraction-benchmark"
    truth = json.loads((root / "ground-truth.json").read_text("utf-8"))
    pages = []
    for key in sorted(truth):
        raw = gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8", "replace")
        pages.append((key, html_text.extract_text(raw, guess_layout=True), truth[key].get("articleBody", "")))
    return pages


def score_extraction(pages: list[tuple[str, str, str]], method: Callable[[str], str]) -> dict[str, float]:
    started = time.perf_counter()
    counts = [shingle_prf(method(text), gold) for _, text, gold in pages]
    seconds = time.perf_counter() - started
    p, r, f1 = aggregate(counts)
    return {"precision": p, "recall": r, "f1": f1, "seconds": seconds}


def wirescope_article(text: str) -> str:
    return article_text(text, segment_page(text))


# --- (b) PolNeAR composites ------------------------------------------------------------------

# Written for this benchmark (fictional outlets); varied in length and wording on purpose.
BOILERPLATE_LINES = (
    "LEGAL NOTICE: All rights to the news, photographs and videos published here belong to Meridian "
    "Press Agency Ltd. No part of them may be used without a written contract or subscription.",
    "© 2016 The Harbour Ledger. All rights reserved.",
    "Copyright 2016 Northgate Media Group. This material may not be published, broadcast, rewritten or redistributed.",
    "Subscribe to our newsletter to get the day's top stories in your inbox.",
    "Sign up for the Morning Brief — it's free.",
    "Already a subscriber? Log in",
    "We use cookies to improve your experience. By continuing to use this site you accept our cookie policy.",
    "Accept all cookies",
    "Share on Facebook",
    "Share on Twitter",
    "Share this article",
    "Follow us on Twitter",
    "Email",
    "Print",
    "Advertisement",
    "ADVERTISEMENT",
    "Sponsored content",
    "Home",
    "Politics",
    "World",
    "Opinion",
    "Menu",
    "Search",
    "Most read",
    "Related stories",
    "Skip to main content",
    "Terms of Use | Privacy Policy | Contact Us",
    "Have a news tip? Send us a tip.",
    "Support independent journalism. Become a member today.",
    "Comments (12)",
    "5 min read",
    "Tags: election, campaign, Congress",
    "Download the Ledger app for breaking news alerts.",
    "Back to top",
    "Image credit: Meridian Press Agency",
)
ARTICLE_MIN_PARAGRAPHS = 3
ARTICLE_MIN_WORDS = 150
# A teaser is a lead: the first paragraph(s) of another story within these word counts.
TEASER_WORDS = (15, 80)
MARKERS = ("Read more:", "READ MORE", "Related:", "See also:")


def read_articles(folder: Path) -> list[list[str]]:
    """Each PolNeAR article as its non-blank lines (the first is the title)."""
    return [
        [line.strip() for line in path.read_text("utf-8").splitlines() if line.strip()]
        for path in sorted(folder.glob("*.txt"))
    ]


def teaser_lines(article: list[str], rng: random.Random) -> list[str]:
    """A teaser of another story: its first real paragraph(s), sometimes under its headline."""
    paragraphs = [p for p in article[1:] if TEASER_WORDS[0] <= len(p.split()) <= TEASER_WORDS[1]]
    if not paragraphs:
        return []
    lines = paragraphs[: 1 + (rng.random() < 0.25)]
    if rng.random() < 0.4:
        lines = [article[0]] + lines
    if rng.random() < 0.2:
        lines = [rng.choice(MARKERS)] + lines
    return lines


def build_composite(articles: list[list[str]], index: int, rng: random.Random) -> tuple[str, list[tuple[int, int]]]:
    """A page around article ``index``; returns the text and the character spans of the article."""
    article = articles[index]
    others = [i for i in range(len(articles)) if i != index]

    def block() -> list[tuple[str, bool]]:
        items: list[list[str]] = [[line] for line in rng.sample(BOILERPLATE_LINES, rng.randint(0, 5))]
        items += [teaser_lines(articles[i], rng) for i in rng.sample(others, rng.randint(0, 3))]
        rng.shuffle(items)
        return [(line, False) for item in items for line in item]

    body = [(line, True) for line in article]
    if len(body) > 4 and rng.random() < 0.3:
        cut = rng.randint(2, len(body) - 2)
        body[cut:cut] = [(rng.choice(("Advertisement", "ADVERTISEMENT", "Share on Facebook")), False)]
    pieces = block() + body + block()
    if not any(not is_article for _, is_article in pieces):
        pieces = [(rng.choice(BOILERPLATE_LINES), False)] + pieces
    separator = rng.choice(("\n", "\n\n"))
    text, spans = "", []
    for line, is_article in pieces:
        if text:
            text += separator
        if is_article:
            spans.append((len(text), len(text) + len(line)))
        text += line
    return text, spans


def char_scores(text: str, gold_spans: list[tuple[int, int]],
                pred_spans: list[tuple[int, int]]) -> tuple[int, int, int, int]:
    """(tp, fp, fn, non-article chars) over non-whitespace characters."""
    gold = bytearray(len(text))
    pred = bytearray(len(text))
    for s, e in gold_spans:
        gold[s:e] = b"\x01" * (e - s)
    for s, e in pred_spans:
        pred[s:e] = b"\x01" * (e - s)
    tp = fp = fn = other = 0
    for ch, g, p in zip(text, gold, pred):
        if ch.isspace():
            continue
        tp += g and p
        fp += p and not g
        fn += g and not p
        other += not g
    return tp, fp, fn, other


def score_composites(composites: list[tuple[str, list[tuple[int, int]]]],
                     predict: Callable[[str], list[tuple[int, int]]]) -> dict[str, float]:
    started = time.perf_counter()
    tp = fp = fn = other = 0
    for text, gold in composites:
        t, f, n, o = char_scores(text, gold, predict(text))
        tp, fp, fn, other = tp + t, fp + f, fn + n, other + o
    seconds = time.perf_counter() - started
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "non_article_kept_out": 1 - fp / other if other else 1.0,
        "seconds": seconds,
        "pages": len(composites),
    }


def wirescope_spans(text: str) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in segment_page(text) if s.kind in ARTICLE_KINDS]


def is_full_article(article: list[str]) -> bool:
    """Long enough to be told from a teaser: a page whose "article" is one short paragraph among
    teaser paragraphs of the same length is ambiguous by construction (38 of 840 train and 3 of
    84 dev articles are left out as page articles; they still serve as teasers)."""
    body = article[1:]
    return len(body) >= ARTICLE_MIN_PARAGRAPHS and sum(len(p.split()) for p in body) >= ARTICLE_MIN_WORDS


def make_composites(folder: Path, seed: int) -> list[tuple[str, list[tuple[int, int]]]]:
    rng = random.Random(seed)
    articles = read_articles(folder)
    return [build_composite(articles, i, rng) for i in range(len(articles)) if is_full_article(articles[i])]


# --- Report ----------------------------------------------------------------------------------


def main() -> int:
    shared = shared_dir()
    if not (shared / "data").is_dir():
        print(f"SKIP: shared data folder not found at {shared} (set WIRESCOPE_SHARED)")
        return 0
    started = time.perf_counter()
    results: dict[str, dict[str, dict[str, float]]] = {"extraction": {}, "polnear_dev": {}, "polnear_train": {}}

    pages = load_extraction_pages(shared)
    for name, method in (
        ("wirescope segment_page", wirescope_article),
        ("whole text", lambda text: text),
        (f"simple line rules (>= {LINE_RULE_MIN_WORDS} words, sentence end)", line_rules),
        ("trafilatura on <p>-wrapped lines", trafilatura_on_lines),
    ):
        results["extraction"][name] = score_extraction(pages, method)

    polnear = shared / "data/quotes/polnear"
    for split, seed in (("dev", SEED + 1), ("train", SEED)):
        composites = make_composites(polnear / split / "text", seed)
        results[f"polnear_{split}"]["wirescope segment_page"] = score_composites(composites, wirescope_spans)
        results[f"polnear_{split}"]["whole text as body"] = score_composites(
            composites, lambda text: [(0, len(text))])
    total = time.perf_counter() - started

    print(f"## (a) article-extraction-benchmark, {len(pages)} pages flattened with html_text (guess_layout)\n")
    print("| method | precision | recall | F1 | seconds |")
    print("|---|---|---|---|---|")
    for name, m in results["extraction"].items():
        print(f"| {name} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['seconds']:.1f} |")
    for split in ("dev", "train"):
        figures = results[f"polnear_{split}"]
        pages_n = next(iter(figures.values()))["pages"]
        print(f"\n## (b) PolNeAR {split} composites ({pages_n:.0f} pages), character level\n")
        print("| method | body P | body R | body F1 | non-article kept out | seconds |")
        print("|---|---|---|---|---|---|")
        for name, m in figures.items():
            print(f"| {name} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} "
                  f"| {m['non_article_kept_out']:.1%} | {m['seconds']:.1f} |")
    print(f"\nTotal time: {total:.1f} s")

    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "segmentation.json").write_text(json.dumps({**results, "total_seconds": total}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
