"""Split a page already flattened to plain text into title, body, byline, dateline, boilerplate,
teaser and caption segments.

The page is read line by line (a scraper's flattened page puts one paragraph, menu item or notice
per line). A numbered cascade, cheap steps first:

1. Lines with their offsets; blank lines are dropped.
2. Each line gets a role from its own text: boilerplate (pattern file), byline, caption,
   "Read more" marker, prose paragraph, short sentence or short fragment.
3. Core candidates are the runs of lines with the most prose weight: prose lines add their word
   count, short fragments (menus, link lists) subtract, boilerplate lines break the run. Each
   candidate is grown into a body (step 4) and the best body wins: prose words x coherence of
   its paragraphs x share of the page headline it mentions.
4. Cohesion with the core decides the rest: prose at the core's edges that shares few content
   words with the title and the rest of the core is peeled off as a teaser (an unrelated story
   pasted next to the article), and prose beyond a boilerplate interruption ("Advertisement")
   is attached back when it is cohesive enough (judged as a block; never across two different
   notices). A dateline paragraph opens a story: the article's first, or the next story's.
5. The title is the headline-shaped line just above the body that best matches it.
6. Labels become segments; a dateline ("LONDON, March 3 (Reuters) -") at the start of the body
   and an agency tag ("(NWA)") at its end are split off.

Pure Python, deterministic and independent of spaCy: segmentation decides what gets parsed.
Measured in ``bench/segmentation.py``.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass, replace
from enum import Enum
from functools import lru_cache
from importlib import resources
from itertools import chain, pairwise

from wirescope.records import Segment

# --- Tuning constants (measured with bench/segmentation.py; figures are benchmark F1 changes) ---

# A line of at least this many words that ends like a sentence counts fully as prose.
PROSE_MIN_WORDS = 10
# Weight of a short line ending like a sentence ("A spokesperson declined to comment."), per word:
# such lines occur inside articles, but also in footers, so they count for less than prose.
SHORT_SENTENCE_WEIGHT = 0.5
# Cost of a short fragment (menu item, link, heading): a run of a few costs less than one
# paragraph, so a sub-heading never splits an article, while a menu of 20 items does.
FRAGMENT_PENALTY = 4.0
# Cost of a boilerplate line inside a run. In effect a wall: 10 or 30 (letting runs cross an
# "Advertisement" line) scored 0.823 / 0.832 on the extraction benchmark against 0.853 for a wall;
# prose beyond an interruption is attached back by cohesion instead (choose_body).
BOILERPLATE_PENALTY = 1000.0
# A line of at least this many words whose neighbouring words are this often in alphabetical
# order is a tag cloud or a category list, not prose (prose scores about 0.5). Extraction
# benchmark: no rule 0.8955; share 0.75 0.8998; 0.85 or 0.95 0.9008. Composites unchanged.
SORTED_LIST_MIN_WORDS = 12
SORTED_LIST_SHARE = 0.85
# Boilerplate "anywhere" patterns only apply to lines of at most this many words.
SHORT_BOILERPLATE_WORDS = 25
# Prose at an edge of the core is peeled off as a teaser when its cohesion is below this share
# of the core's median cohesion (short reviews share few words between paragraphs: an absolute
# threshold peeled whole articles) and below PEEL_COHESION.
# Measured (a = extraction benchmark F1, b = PolNeAR train composites F1 / non-article kept out):
# 0.5 -> a 0.875, b 0.942 / 68%; 0.7 -> a 0.850, b 0.939 / 70%; 0.7 with PEEL_COHESION 0.35 ->
# a 0.840, b 0.933 / 75%. Peeling harder buys little: same-topic teasers share the article's words.
# Re-measured once blocks across interruptions and datelines were handled (train composites):
# 0.7 -> a 0.855, b 0.961 / 82%; 0.5 -> a 0.879, b 0.965 / 80%; 0.4 -> a 0.886, b 0.967 / 78%;
# 0.3 -> a 0.888, b 0.967 / 77%; 0 -> a 0.891, b 0.964 / 73%.
PEEL_RELATIVE = 0.4
PEEL_COHESION = 0.25
# Prose beyond a boilerplate interruption is attached back to the body when its cohesion reaches
# ATTACH_RELATIVE times the core's median cohesion (capped at ATTACH_COHESION).
# 0.6 -> a 0.875, b 0.942 / 68%; 0.8 -> a 0.869, b 0.940 / 72%; 1.0 (cap 0.6) -> a 0.859, b 0.937 / 75%.
ATTACH_RELATIVE = 0.6
ATTACH_COHESION = 0.45
# How many non-prose lines an attached paragraph may sit beyond the body ("Advertisement",
# "Read more" blocks and share buttons are short).
ATTACH_MAX_GAP = 4
# At most this many separator lines (boilerplate, markers) between the body and prose attached to
# it: an article is interrupted by an "Advertisement" or "Share" line, while another story sits
# beyond a block of notices. 1 vs unlimited: train composites 0.947 -> 0.953, non-article kept
# out 70% -> 76%; extraction 0.871 -> 0.865 (pages that interleave related-story teasers with the
# article lose its later parts). Repeated identical separators ("Advertisement" twice) count once:
# extraction 0.876 -> 0.877. 2 distinct: extraction 0.883, train 0.954, dev 0.950 (vs 0.957, 0.952).
ATTACH_MAX_SEPARATORS = 1
# Prose beyond a separator is judged as a block (up to the next separator) when it has at least
# this many prose lines: its median cohesion counts, so one paragraph with few shared words does
# not cut off the article's second half. 2 / 4 / never: train 0.943 / 0.945 / 0.942; dev
# 0.929 / 0.935 / 0.933 (short blocks are as often teasers as article).
BLOCK_MIN_LINES = 4
# Weight of attached prose in a core candidate's score, relative to its own prose. 0 / 1 / 2:
# extraction 0.865 / 0.874 / 0.869, train composites 0.953 / 0.956 / 0.955: an article cut into
# short runs by "Advertisement" lines is scored as a whole.
ATTACHED_WEIGHT = 1.0
# Content words in a capitalised form (names, places) weigh more: they carry the story's topic.
NAME_WEIGHT = 2.0
# A run's weight is multiplied by HEADLINE_PRIOR + the share of the page headline's words it
# contains, so a run that never mentions the headline needs (1 + prior) / prior times the weight.
# Without it (prior 1000) the extraction benchmark drops from 0.852 to 0.831.
HEADLINE_PRIOR = 0.5
HEADLINE_SEARCH_LINES = 5
# Core candidates tried (heaviest runs), and the floor of the coherence factor of a body's score.
# One candidate (the heaviest run only): a 0.851; five: 0.875. Coherence prior 0.1 vs 0.2: a +0.006.
CORE_CANDIDATES = 5
COHERENCE_PRIOR = 0.1
# How far above the body the title may sit (lines), skipping bylines, dates and captions.
TITLE_WINDOW = 8
TITLE_MAX_WORDS = 20
# A headline among the body's first TITLE_CUT_WINDOW lines that the prose below it takes up with
# at least this cohesion starts the article; the prose above it is another story's lead
# (inner_title). Train composites 0.9540 -> 0.9562, dev 0.949 -> 0.952, extraction 0.878 -> 0.874
# (a sub-heading after an article's first paragraph sometimes cuts that paragraph off).
TITLE_CUT_WINDOW = 4
TITLE_CUT_COHESION = 0.6
# Ask the learned edge scorer (data/segment_model.json, bench/train_segmenter.py) before keeping
# an edge paragraph. OFF: it peels composite teasers but also real articles' edge paragraphs.
# Measured with the current rules (extraction / dev F1, kept out / train F1, kept out):
# off 0.8857 / 0.9685, 83.2% / 0.9689, 82.0%; threshold 0.5: 0.8717 / 0.9700, 85.3% /
# 0.9668, 82.8%; 0.2: 0.8807 / 0.9687, 83.4% / 0.9683, 81.6%; bottom edge only (0.5, earlier
# rules): extraction 0.883, train 0.967 / 80.7%.
USE_EDGE_MODEL = False
# Whether the edge scorer also judges the top edge (else only the bottom one).
EDGE_MODEL_TOP = True
# Whether a title found above the body (choose_title, not cut out of it) also closes the body at
# the top. On / off: train kept out 81.0% / 80.8%, other figures equal.
TITLE_CLOSES_TOP = True
# Nothing is attached below the body past a title-cased headline ending in a stop: extraction
# 0.8855 -> 0.8857, dev 0.9674 -> 0.9685 (kept out 82.1% -> 83.2%), train 0.9686 -> 0.9689
# (81.0% -> 82.0%). Also cutting the body's second half at such a headline: extraction 0.869,
# dev 0.935 (articles quote title-cased sentences).
HEADLINE_ENDS_BODY = True
# Stems are word prefixes: cheap, language-light, and "negotiations"/"negotiators" still meet.
STEM_LENGTH = 6
# Words shared with the core that prose elsewhere on the page (outside the core) also uses are
# the page's topic words: same-topic teasers share them. When peeling edges (and in the core's
# typical cohesion it is measured against) and when judging prose beyond a separator they count
# this much; a paragraph directly next to the body still counts them fully. Measured with
# HEADLINE_CUTS on, peeling only (extraction / train F1, kept out): 1.0 -> 0.9008 / 0.9694,
# 84.3%; 0.5 -> 0.9034 / 0.9707, 82.9%; 0.3 -> 0.9041 / 0.9714, 82.7%; also discounting every
# attached line (0.5): 0.8882 / 0.9579, 85.1%. Discounting beyond separators too (with the title
# rules below): extraction 0.9039 -> 0.9027, train 0.9710 / 84.7% -> 0.9722 / 87.1%.
PAGE_WORD_WEIGHT = 0.3
# A title-cased headline ending in a stop ("Senate Passes Budget Deal.", headline-shaped, not a
# sign-off, prose below it) in the body's second half with at most TEASER_MAX_PROSE prose lines
# below it is another story's headline and lead pasted under the article: the body ends above it.
# Alone (extraction / train F1, kept out): off 0.9009 / 0.9689, 82.0%; on 0.9008 / 0.9694,
# 84.3%; 1 or 3 lines: train 0.9690, 83.2% / 0.9691, 84.8%; also at the top edge (1 line):
# 0.8958 / 0.9688, 82.8%; without the headline-shaped test (any length): extraction 0.8935.
HEADLINE_CUTS = True
TEASER_MAX_PROSE = 2
# The same cut with up to TEASER_MAX_PROSE_STATED prose lines below when the headline does not end
# in "?": a question is as often an explainer's sub-heading as another story's headline, a
# statement ("Port strike ends.") names a story of its own, whose lead may run to two paragraphs
# with a second teaser below. Train F1 / kept out: 2: 0.9731 / 91.3% -> 3: 0.9727 / 92.0% (4
# seeds: 0.9717 / 90.8% -> 0.9712 / 91.3%), 4: 0.9717 / 92.2%; extraction 0.9027 -> 0.9030 (3 or
# 4 for questions as well: extraction 0.8973, a Q&A article cut at its first question).
TEASER_MAX_PROSE_STATED = 3
# A sentence-case headline ("Sanders faces test on appeal to minorities;") also ends the body that
# way when it has at most SHORT_HEADLINE_WORDS words and shares at least LEAD_TAKES_UP of its
# words with the paragraph below (a lead takes up its headline). Train composites (4 seeds, mean
# F1 / kept out): without 0.9719 / 86.1%; 0.2 0.9709 / 86.8%; 0.3 0.9710 / 86.7%. Extraction:
# without 0.9029, 0.2 0.9027; any such line (no cohesion test, before the separator discount)
# 0.9041 -> 0.8974.
SHORT_HEADLINE_WORDS = 12
LEAD_TAKES_UP = 0.2
# A title-cased headline ending in a stop with prose below it, at the body's first line or with at
# most TITLE_LEAD_MAX_PROSE prose lines above it in the body's first half, is the article's title;
# the prose above it is another story's lead. Train F1 / kept out (one seed): 0.9714 / 82.7% ->
# 0.9724 / 83.7% (first line only: 0.9721 / 83.2%; 1 line above: 0.9723 / 83.4%; 3: 0.9719 /
# 83.7%); extraction unchanged (0.9041).
TITLE_LEAD_MAX_PROSE = 2
# Prose attached in the first pass above the line later found to be the article's title is
# another story's lead (the walk upward crossed the title before the title was known), unless it
# is at least 1 / TITLE_ABOVE_KEEP_RATIO of the body below the title (then the "title" is more
# likely a line inside the article). Train composites F1 / kept out (one seed): 0.9722 / 87.1% ->
# 0.9727 / 88.4%; ratio 1 / 2: 0.9715 / 88.4%, 0.9719 / 88.4%, extraction 0.9027 -> 0.8997 /
# 0.9013 (4: 0.9025); dropping them always: extraction 0.8956.
TITLE_ABOVE_KEEP_RATIO = 4
# When no title is found above the body (the page opens with prose), the article's title may be
# inside the body's first half: a short line (at most SHORT_HEADLINE_WORDS words, ending like a
# sentence) with prose above and below it, whose words the next LEAD_TITLE_BELOW paragraphs take
# up (at least LEAD_TITLE_TAKES_UP, and more than the prose above it does). Train: 0.9727 / 88.4%
# -> 0.9725 / 89.1% (any short line, not only when nothing is above: 0.9694 / 89.3%, extraction
# 0.9008; up to 20 words or 5 paragraphs below: train F1 0.9712, 0.9716); extraction unchanged.
# The body's first line as a candidate as well (with the rules below in place): train 0.9727 /
# 92.0% -> 0.9733 / 92.1% (4 seeds 0.9712 / 91.3% -> 0.9717 / 91.4%); without it a sub-heading
# ("Reaction in the provinces.") further down was taken for the title and the article above it lost.
LEAD_TITLE_BELOW = 3
LEAD_TITLE_TAKES_UP = 0.2
# A headline cut out of the body (inner_title) ending in "." or ";" that shares less than
# SUBHEADING_SHARES_ABOVE of its words with the prose of the SUBHEADING_WINDOW lines above it is a
# story's title, not a sub-heading: it closes the body at the top like a title-cased one. Train
# 0.9725 / 89.1% -> 0.9737 / 90.6%, extraction 0.9025 -> 0.9027; closing at every such headline
# whatever is above: train 0.9734 / 90.7%, extraction 0.9015 (short article sentences such as
# "A spokesperson declined to comment." are cut out as titles); 0.34 / 0.67: train 90.5% / 90.6%,
# extraction 0.9027 / 0.9017.
SUBHEADING_WINDOW = 3
SUBHEADING_SHARES_ABOVE = 0.5
# Below the body, the walk that attaches prose stops at a sentence-case headline
# (_sentence_case_headline) that shares less than NEXT_HEADLINE_SHARE times as many of its words
# with the line above it (not a fragment) as with the paragraph below: the next story's headline
# and lead, like a title-cased one (HEADLINE_ENDS_BODY). Train 0.9737 / 90.6% -> 0.9731 / 91.3%
# (4 seeds 0.9720 / 90.1% -> 0.9717 / 90.8%), extraction unchanged; without the test of the line
# above: extraction 0.9007 (lists of short stat lines: "CB Jo Roe 63 85% 1 tackle."); 1.0:
# extraction 0.9017; 0.01: train 91.2%.
NEXT_HEADLINE_SHARE = 0.5

_STOPWORDS = frozenset(
    ["a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "said", "says", "say", "told", "tells", "one", "two", "three", "new", "last", "first", "year", "years", "week", "weeks", "day", "days", "time", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mr", "mrs", "ms", "dr", "according", "may", "might", "must", "can't", "don't", "it's", "he's", "she's", "that's", "there's"]
)

_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SENTENCE_END = re.compile(r"""[.!?…:;。！？]["'”’»)\]]*$""")
_BYLINE = re.compile(
    r"""^(?:\(?(?:by|words by|story by|written by)\s+[A-Z][\w.'’-]*(?:[\s,]+(?:and\s+|&\s+)?[A-Z][\w.'’-]*){0,8}
        (?:\s*[,|/–—-]\s*.{0,60})?\)?$)
      |^\(?(?:additional\s+)?(?:reporting|writing|editing|compiled|contributing|produced)\s+(?:by|from)\b""",
    re.IGNORECASE | re.VERBOSE,
)
_CAPTION = re.compile(
    r"^(?:\(?(?:photo|image|picture|photograph|caption|above|pictured|file photo)\s*(?:credit)?\s*:)"
    r"|(?:\((?:photo|image|picture)[^)]{0,60}\)|(?:getty images|reuters/\S+|ap photo/\S+|afp(?: via getty images)?)\)?)$",
    re.IGNORECASE,
)
# "Read more: <headline>" (the line is a teaser) or a bare "Read more" (the next line is one).
_MARKER = re.compile(
    r"^(?:read (?:more|also|next)|see also|also read|related(?: story| article)?|more|watch|listen)\s*(?:[:»>|–—-]\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    r"""^(?:[A-Z][A-Za-z.'’]*(?:[ -][A-Z][A-Za-z.'’]*){0,3}          # city, capitalised words
          (?:,\s*[A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*)?)?            # , state or country
          (?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)?        # , March 3
          \s*)?
        \((?:[A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*){0,3})\)\s*[-–—―]+\s*   # (Reuters) -
      |^[A-Z][A-Z.'’]+(?:[ -][A-Z][A-Z.'’]+){0,3}(?:,\s*[A-Z][A-Za-z.]*){0,2}\s*[-–—―]+\s+""",
    re.VERBOSE,
)
# An agency tag closing the last paragraph: "... on Hamas's terms. (lLKHA)".
_AGENCY_TAG = re.compile(r"""(?<=[.!?"”’])\s+(\((?=[^)]*[A-Z][^)]*[A-Z])[A-Za-z/]{2,10}\))\s*$""")


# An author's sign-off closing an article: "Follow Jane Roe on Twitter @jroe." / "Reach him at ...".
_SIGNOFF = re.compile(
    r"^(?:follow\s+(?!us\b)[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4}\s+on\s+(?:twitter|x|facebook|instagram|threads|bluesky)\b"
    r"|(?:you can )?(?:reach|contact|email|e-mail)\s+(?:him|her|them|the (?:author|writer|reporter))\s+(?:at|on|via)\b)",
    re.IGNORECASE)


# Headers of readers' comments: author and time ("Alex on September 17, 2018 at 6:34 am said:"),
# relative times with a clock time ("2 days ago at 07:52 am"), votes, "C. M. says:".
_COMMENT_META = re.compile(
    r"\b(?:on\s+\w+\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}/\d{1,2}/\d{2,4})\s+(?:at\s+)?\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:said|says|wrote)\s*:?\s*$"
    r"|^\d+\s+(?:minutes?|hours?|days?|weeks?|months?|years?)\s+ago\s+at\s+\d{1,2}:\d{2}"
    r"|^rating:\s*-?\d+\s+votes?$"
    r"|^\S+(?:\s+\S+){0,3}\s+(?:says|wrote)\s*:\s*$",
    re.IGNORECASE)
# Comment headers needed to call a part of the page a comment thread, and the factor applied to
# the score of a body found inside it. Extraction benchmark: no comment rule 0.8857; headers as
# walls between comments 0.8911; plus factor 0.5 or 0.2: 0.8955. Composites unchanged.
COMMENT_META_MIN = 3
COMMENT_META_MAX_WORDS = 20
COMMENTS_FACTOR = 0.5


class Role(Enum):
    BOILERPLATE = "boilerplate"
    BYLINE = "byline"
    CAPTION = "caption"
    MARKER = "marker"  # a bare "Read more": the next line is a teaser
    MARKED_TEASER = "marked_teaser"  # "Read more: <headline>"
    PROSE = "prose"
    SENTENCE = "sentence"  # short, but ends like a sentence
    FRAGMENT = "fragment"  # short, no sentence end: menu item, heading, date, link
    COMMENT_HEADER = "comment_header"  # "Alex on May 3, 2018 at 6:34 am said:" in a comment thread


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str
    words: int
    role: Role


# Whitespace plus the invisible characters that HTML flatteners leave on otherwise empty lines.
_BLANK = " \t\r\f\v\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u200c\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff"
# Chinese, Japanese and Korean text has no spaces: two characters count as one word.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def count_words(text: str) -> int:
    return len(text.split()) + len(_CJK.findall(text)) // 2


# --- 1. Lines -------------------------------------------------------------------------------


def split_lines(text: str) -> list[Line]:
    """Non-blank lines with the offsets of their stripped text, each with its role."""
    lines = []
    for match in re.finditer(r"[^\n]+", text):
        raw = match.group()
        stripped = raw.strip(_BLANK)
        if not stripped:
            continue
        start = match.start() + (len(raw) - len(raw.lstrip(_BLANK)))
        words = count_words(stripped)
        lines.append(Line(start, start + len(stripped), stripped, words, line_role(stripped, words)))
    return lines


# --- 2. Roles -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The boilerplate pattern file as three compiled alternations: start, anywhere, whole."""
    sections: dict[str, list[str]] = {"start": [], "anywhere": [], "whole": []}
    current = "start"
    source = resources.files("wirescope").joinpath("data/boilerplate_patterns.txt").read_text("utf-8")
    for raw in source.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]") and line[1:-1] in sections:
            current = line[1:-1]
            continue
        sections[current].append(f"(?:{line})")
    flags = re.IGNORECASE
    return (
        re.compile(r"^\W{0,3}(?:" + "|".join(sections["start"]) + ")", flags),
        re.compile("|".join(sections["anywhere"]), flags),
        re.compile(r"^(?:" + "|".join(sections["whole"]) + r")\W*$", flags),
    )


def is_boilerplate(text: str, words: int) -> bool:
    start, anywhere, whole = _patterns()
    if start.search(text) or whole.match(text):
        return True
    return words <= SHORT_BOILERPLATE_WORDS and anywhere.search(text) is not None


def _sorted_share(text: str) -> float:
    """Share of neighbouring words in alphabetical order: about half in prose, nearly all in a
    tag cloud or a category menu ("adote agua alerta ambiente amizade ...")."""
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < 2:
        return 0.0
    return sum(1 for a, b in pairwise(words) if a <= b) / (len(words) - 1)


def line_role(text: str, words: int) -> Role:
    """The role of one stripped line, from its own text only."""
    marker = _MARKER.match(text)
    if marker and words <= TITLE_MAX_WORDS:
        return Role.MARKED_TEASER if (marker.group("rest") or "").strip() else Role.MARKER
    if words <= 25 and _BYLINE.match(text):
        return Role.BYLINE
    if words <= 40 and _CAPTION.search(text):
        return Role.CAPTION
    if is_boilerplate(text, words):
        return Role.BOILERPLATE
    ends_sentence = _SENTENCE_END.search(text) is not None
    if not ends_sentence and words >= SORTED_LIST_MIN_WORDS and _sorted_share(text) >= SORTED_LIST_SHARE:
        return Role.FRAGMENT  # a tag cloud or category list flattened into one line
    if words >= PROSE_MIN_WORDS and ends_sentence:
        return Role.PROSE
    if ends_sentence and words >= 3:
        return Role.SENTENCE
    # Long lines without a final stop are usually prose cut by the flattener, not menus.
    return Role.PROSE if words >= 2 * PROSE_MIN_WORDS else Role.FRAGMENT


# --- 3. The article core --------------------------------------------------------------------


def _weight(line: Line) -> float:
    """The line's prose weight for the core search: prose adds, everything else costs."""
    if line.role in SEPARATORS:
        return -BOILERPLATE_PENALTY
    if line.role is Role.PROSE:
        return float(line.words)
    if line.role is Role.SENTENCE:
        return SHORT_SENTENCE_WEIGHT * line.words
    if line.role in (Role.BYLINE, Role.CAPTION) or not _LETTER.search(line.text):
        # Neutral: captions sit inside articles, and letterless lines ("___", "***", "9:30")
        # separate the entries of live blogs as often as they separate page parts.
        return 0.0
    return -FRAGMENT_PENALTY


def find_runs(lines: list[Line], blocked: set[int]) -> list[tuple[float, int, int]]:
    """Every maximal run of positive prose weight as (weight, first, last), Kadane style."""
    runs: list[tuple[float, int, int]] = []
    best: tuple[float, int, int] | None = None
    total = 0.0
    for i, line in enumerate(lines):
        weight = -BOILERPLATE_PENALTY if i in blocked else _weight(line)
        if total + weight <= 0:
            if best is not None:
                runs.append(best)
            best, total = None, 0.0
            continue
        total += weight
        if best is None:
            best = (total, i, i)
        elif total > best[0]:
            best = (total, best[1], i)
    if best is not None:
        runs.append(best)
    return runs


def page_headline(lines: list[Line]) -> int | None:
    """The first headline-shaped line near the top: a page's <title> or a text's first line."""
    for i, line in enumerate(lines[:HEADLINE_SEARCH_LINES]):
        if line.role is not Role.BOILERPLATE and _headline_shaped(line) and line.words >= 3:
            return i
    return None


def core_candidates(lines: list[Line], blocked: set[int]) -> list[tuple[int, int]]:
    """The CORE_CANDIDATES heaviest runs as [first, last], heaviest first."""
    runs = sorted(find_runs(lines, blocked), reverse=True)[:CORE_CANDIDATES]
    return [(first, last) for _, first, last in runs]


# --- 4. Cohesion ----------------------------------------------------------------------------


def content_terms(text: str) -> dict[str, float]:
    """Stemmed content words of a text with their weight (names weigh more)."""
    terms: dict[str, float] = {}
    for word in _WORD.findall(text):
        lower = word.lower().strip("'’-")
        if len(lower) < 3 or lower in _STOPWORDS:
            continue
        stem = lower[:STEM_LENGTH]
        weight = NAME_WEIGHT if word[0].isupper() else 1.0
        terms[stem] = max(terms.get(stem, 0.0), weight)
    return terms


def cohesion(terms: dict[str, float], reference: Counter[str], elsewhere: Counter[str] | None = None,
             own: int = 0) -> float:
    """Weighted share of a line's content words that also occur in the reference text; shared
    words found more than ``own`` times ``elsewhere`` (the page's topic words) count
    PAGE_WORD_WEIGHT."""
    total = sum(terms.values())
    if total == 0:
        return 0.0
    if elsewhere is None:
        return sum(w for stem, w in terms.items() if reference[stem] > 0) / total
    shared = sum(w * (PAGE_WORD_WEIGHT if elsewhere[stem] > own else 1.0)
                 for stem, w in terms.items() if reference[stem] > 0)
    return shared / total


def _reference(terms: list[dict[str, float]], indices: range | list[int]) -> Counter[str]:
    ref: Counter[str] = Counter()
    for i in indices:
        ref.update(terms[i].keys())
    return ref


def _without(ref: Counter[str], terms: dict[str, float]) -> Counter[str]:
    """The reference minus one line's own words, so a line cannot vouch for itself."""
    out = ref.copy()
    out.subtract(terms.keys())
    return out


SEPARATORS = (Role.BOILERPLATE, Role.MARKER, Role.MARKED_TEASER, Role.COMMENT_HEADER)


def main_block(lines: list[Line], core: tuple[int, int], forced: set[int]) -> tuple[int, int]:
    """The part of the core between separators (boilerplate, markers) with the most prose."""
    blocks: list[tuple[int, int, int]] = []  # (prose words, first, last)
    start = None
    for i in range(core[0], core[1] + 2):
        inside = i <= core[1] and lines[i].role not in SEPARATORS and i not in forced
        if inside and start is None:
            start = i
        elif not inside and start is not None:
            words = sum(lines[j].words for j in range(start, i) if lines[j].role is Role.PROSE)
            blocks.append((words, -start, i - 1))
            start = None
    if not blocks:
        return core
    _, neg_first, last = max(blocks)
    return -neg_first, last



# --- 4b. Learned edge scorer ------------------------------------------------------------------
# A logistic regression over per-paragraph features decides, at the article's edges, whether a
# prose paragraph is the article's or a teaser of another story. Trained on PolNeAR TRAIN
# composites only by bench/train_segmenter.py (weights in data/segment_model.json).

_PRONOUN_START = re.compile(
    r"^(?:he|she|it|they|his|her|their|its|this|that|these|those|but|and|yet|still|however|"
    r"also|meanwhile|instead|so|then|the)\b", re.IGNORECASE)
_WEEKDAY = re.compile(r"\b(?:on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.IGNORECASE)
# "<Full Name> <verb>..." opening: two capitalised words then a lower-case word.
_NAME_OPENING = re.compile(r"^(?:[A-Z][\w.'’-]+\s+){2,4}[a-z]")
_QUOTE_START = re.compile(r"^[\"“‘']")
FEATURE_NAMES = (
    "bias", "cohesion", "relative_cohesion", "log_words", "dateline", "top_edge",
    "top_headline_toward_block", "top_headline_outside", "bottom_headline_toward_block",
    "bottom_headline_outside", "new_names", "continuation_start",
    "weekday_lead", "name_opening", "inward_cohesion", "quote_start", "title_cohesion",
    "separator_outside", "capitalised_share",
)


@lru_cache(maxsize=1)
def _edge_model() -> tuple[list[float], list[float], list[float], float]:
    """(weights, feature means, feature scales, threshold) of the edge scorer."""
    source = resources.files("wirescope").joinpath("data/segment_model.json").read_text("utf-8")
    model = json.loads(source)
    assert tuple(model["features"]) == FEATURE_NAMES, "segment_model.json does not match FEATURE_NAMES"
    return model["weights"], model["mean"], model["scale"], float(model["threshold"])


# Headlines are title-cased ("Senate Passes Budget Deal."), with or without a final stop: a line
# whose longer words are mostly capitalised reads as one.
HEADLINE_CAPITALISED_SHARE = 0.6


def _capitalised_share(text: str) -> float:
    words = [w for w in _WORD.findall(text) if len(w) > 3]
    return sum(1 for w in words if w[0].isupper()) / len(words) if words else 0.0


def _looks_like_headline(line: Line) -> bool:
    return _headline_shaped(line) and (line.role is Role.FRAGMENT
                                       or _capitalised_share(line.text) >= HEADLINE_CAPITALISED_SHARE)


def _story_headline(lines: list[Line], j: int) -> bool:
    """A title-cased, headline-shaped line ending in a stop with prose below it: a story starts."""
    return _headline_with_stop(lines[j]) and _headline_shaped(lines[j]) and not _SIGNOFF.match(lines[j].text) \
        and j + 1 < len(lines) and lines[j + 1].role is Role.PROSE


def _sentence_case_headline(lines: list[Line], j: int, terms: list[dict[str, float]]) -> bool:
    """A short sentence-case line ("Sanders faces test on appeal to minorities;") whose words the
    paragraph below takes up: another story's headline and lead."""
    line = lines[j]
    if line.words > SHORT_HEADLINE_WORDS or line.role not in (Role.SENTENCE, Role.PROSE) or not _headline_shaped(line):
        return False
    if not line.text[0].isupper() or _QUOTE_START.match(line.text) or _SIGNOFF.match(line.text):
        return False
    return j + 1 < len(lines) and lines[j + 1].role is Role.PROSE \
        and cohesion(terms[j], Counter(terms[j + 1].keys())) >= LEAD_TAKES_UP


def _next_story_headline(lines: list[Line], j: int, terms: list[dict[str, float]]) -> bool:
    """A sentence-case headline that the paragraph below takes up and the line above hardly
    shares: below the body, another story starts there. A list of short lines ("CB Jo Roe 63 85%
    1 tackle.") shares its words with the line above as much as with the one below."""
    if j == 0 or lines[j - 1].role is Role.FRAGMENT or not _sentence_case_headline(lines, j, terms):
        return False
    return cohesion(terms[j], Counter(terms[j - 1].keys())) \
        < NEXT_HEADLINE_SHARE * cohesion(terms[j], Counter(terms[j + 1].keys()))


def _headline_with_stop(line: Line) -> bool:
    """A title-cased headline ending in a full stop ("Senate Passes Budget Deal."): unlike a
    sub-heading ("WHY NOW?", "The reaction") it names a story of its own."""
    return line.role is not Role.FRAGMENT and line.text.rstrip("\"'”’").endswith(".") \
        and line.text != line.text.upper() and _capitalised_share(line.text) >= HEADLINE_CAPITALISED_SHARE


def edge_features(lines: list[Line], terms: list[dict[str, float]], i: int, first: int, last: int,
                  ref: Counter[str], typical: float, title_terms: dict[str, float]) -> list[float]:
    """Features of prose line ``i`` at an edge of the block [first, last] (``ref`` the block's
    words): is it the article's first/last paragraph or another story's lead pasted next to it?"""
    line = lines[i]
    own = cohesion(terms[i], _without(ref, terms[i]))
    top = i - first <= last - i
    inward, outward = (1, -1) if top else (-1, 1)
    toward = lines[i + inward] if 0 <= i + inward < len(lines) else None
    outside = lines[i + outward] if 0 <= i + outward < len(lines) else None
    headline_toward = toward is not None and _looks_like_headline(toward)
    headline_outside = outside is not None and _looks_like_headline(outside)
    # The nearest prose paragraph toward the block's middle: the article's neighbour paragraph.
    j = i + inward
    while first <= j <= last and lines[j].role is not Role.PROSE:
        j += inward
    inward_cohesion = cohesion(terms[i], Counter(terms[j].keys())) if first <= j <= last else 0.0
    names = [stem for stem, w in terms[i].items() if w >= NAME_WEIGHT]
    new_names = sum(1 for stem in names if ref[stem] <= 1)
    head = line.text[:120]
    return [
        1.0,
        own,
        min(3.0, own / typical) if typical > 0 else 1.0,
        math.log1p(line.words),
        1.0 if _DATELINE.match(line.text) else 0.0,
        1.0 if top else 0.0,
        # Side-specific: the article's title sits above its first paragraph, a teaser's headline
        # above its lead, so a headline means different things at the two edges.
        1.0 if top and headline_toward else 0.0,
        1.0 if top and headline_outside else 0.0,
        1.0 if not top and headline_toward else 0.0,
        1.0 if not top and headline_outside else 0.0,
        min(new_names, 6) / 6,
        1.0 if _PRONOUN_START.match(line.text) else 0.0,
        1.0 if _WEEKDAY.search(head) else 0.0,
        1.0 if _NAME_OPENING.match(line.text) else 0.0,
        inward_cohesion,
        1.0 if _QUOTE_START.match(line.text) else 0.0,
        cohesion(terms[i], Counter(title_terms.keys())) if title_terms else 0.0,
        1.0 if outside is None or outside.role in SEPARATORS else 0.0,
        _capitalised_share(line.text),
    ]


def body_probability(features: list[float]) -> float:
    weights, mean, scale, _ = _edge_model()
    z = sum(w * (f - m) / s for w, f, m, s in zip(weights, features, mean, scale))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def choose_body(lines: list[Line], core: tuple[int, int], terms: list[dict[str, float]],
                title_terms: dict[str, float], forced: set[int],
                title_above: bool = False) -> tuple[int, int, list[int]]:
    """The body: the core's main block with unrelated edges peeled off, plus cohesive prose
    beyond it (the article continuing after an "Advertisement" or a "Read more" line).

    Returns the trimmed main block [first, last] and the indices of attached lines outside it."""
    first, last = main_block(lines, core, forced)
    ref = _reference(terms, range(first, last + 1))
    ref.update(title_terms.keys())

    # Topic words of the page (PAGE_WORD_WEIGHT): also used by prose outside the core.
    outside = {j for j in range(len(lines)) if lines[j].role is Role.PROSE and not first <= j <= last}
    # one Counter over all the words at once: this runs for every core candidate
    elsewhere = Counter(chain.from_iterable(terms[j] for j in outside))

    def score(i: int, discount: bool = True) -> float:
        """Cohesion of line i with the body; ``discount``: the page's topic words count less."""
        inside = first <= i <= last or i in attached
        reference = _without(ref, terms[i]) if inside else ref
        if not discount:
            return cohesion(terms[i], reference)
        # a line outside the core does not count as "elsewhere" for its own words
        return cohesion(terms[i], reference, elsewhere, 1 if i in outside else 0)

    attached: list[int] = []
    # An agency tag ("... terms. (NWA)") closes the article: nothing after it is body and the
    # tagged paragraph itself is never peeled, however little it shares with the rest.
    # A dateline ("CONCORD, N.H. -") opens a story: one inside the block's first half starts the
    # article (what is above it is another story's lead), one in its second half starts the next
    # and nothing from it on is attached. Front rule: dev composites 0.952 -> 0.959, extraction
    # 0.877 -> 0.878 (with `opened` below); end rule: train 0.961 -> 0.965, non-article kept out
    # 77% -> 80%, extraction unchanged.
    datelines = [i for i in range(first + 1, last + 1)
                 if lines[i].role is Role.PROSE and _DATELINE.match(lines[i].text)]
    ended = False
    for d in datelines:
        if d - first <= last - d:
            first = d
        else:
            last, ended = d - 1, True
            break
    # A title-cased headline ending in a stop in the block's second half, with at most
    # TEASER_MAX_PROSE prose lines below it, is another story's headline and lead.
    if HEADLINE_CUTS:
        heads = [j for j in range(first + 1, last)
                 if _story_headline(lines, j) or _sentence_case_headline(lines, j, terms)]
        for j in reversed(heads):
            below = sum(lines[k].role is Role.PROSE for k in range(j + 1, last + 1))
            question = lines[j].text.rstrip("\"'”’").endswith("?")
            if j - first > last - j and below <= (TEASER_MAX_PROSE if question else TEASER_MAX_PROSE_STATED):
                last, ended = j - 1, True
    # An author's sign-off ("Follow Jane Roe on Twitter @jroe.") in the block's second half closes
    # the article the same way.
    tagged = [i for i in range(first, last + 1) if _AGENCY_TAG.search(lines[i].text)
              or (_SIGNOFF.match(lines[i].text) and i - first > last - i)]
    closed = bool(tagged)
    if closed:
        last = tagged[-1]
    prose = [score(i) for i in range(first, last + 1) if lines[i].role is Role.PROSE]
    typical = sorted(prose)[len(prose) // 2] if prose else 0.0
    # Thresholds relative to the article's own cohesion: short reviews share few words between
    # paragraphs, long wire stories many; an absolute threshold peeled whole short articles.
    peel = min(PEEL_COHESION, PEEL_RELATIVE * typical)
    attach = min(ATTACH_COHESION, ATTACH_RELATIVE * typical)
    # Peel teasers at the edges: an unrelated prose line next to the article, no marker between.
    # Headlines between teasers are skipped over: a teaser often comes with its own headline.
    block_ref = _reference(terms, range(first, last + 1))
    block_ref.update(title_terms.keys())

    def keep(i: int) -> bool:
        """An edge paragraph stays when it is cohesive enough and the edge scorer calls it body."""
        if score(i) < peel:
            return False
        if not USE_EDGE_MODEL or (i - first <= last - i and not EDGE_MODEL_TOP):
            return True
        features = edge_features(lines, terms, i, first, last, block_ref, typical, title_terms)
        return body_probability(features) >= _edge_model()[3]

    while not closed and last > first:
        edge = next((i for i in range(last, first, -1) if lines[i].role is Role.PROSE), None)
        if edge is None or keep(edge):
            break
        last = edge - 1
    while first < last:
        edge = next((i for i in range(first, last) if lines[i].role is Role.PROSE), None)
        if edge is None or keep(edge):
            break
        first = edge + 1
    # Non-prose lines left at the edges belong to whatever lies beyond, not to the body.
    while last > first and lines[last].role in (Role.FRAGMENT, Role.CAPTION, Role.BYLINE):
        last -= 1
    while first < last and lines[first].role in (Role.FRAGMENT, Role.CAPTION, Role.BYLINE):
        first += 1

    def block_score(i: int, step: int) -> float:
        """Cohesion of the prose beyond a separator, taken as a block up to the next one: the
        article's second half after an "Advertisement" line is judged as a whole, so one
        paragraph with few shared words does not cut it off."""
        scores, own = [], score(i)
        while 0 <= i < len(lines) and lines[i].role not in SEPARATORS and i not in forced:
            if lines[i].role is Role.PROSE:
                scores.append(score(i))
            i += step
        scores.sort()
        return max(own, scores[len(scores) // 2]) if len(scores) >= BLOCK_MIN_LINES else own

    ref = _reference(terms, range(first, last + 1))
    ref.update(title_terms.keys())
    # A dateline opens the article: nothing above it is attached back.
    opened = lines[first].role is Role.PROSE and _DATELINE.match(lines[first].text) is not None
    # So does the article's own title (title_above): nothing above it is attached back.
    opened = opened or title_above
    for step in [step for step, shut in ((1, closed or ended), (-1, opened)) if not shut]:
        i = last + 1 if step == 1 else first - 1
        # Separators met since the last attached line, by text: a repeated "Advertisement"
        # line is one interruption.
        gap, seen = 0, set()
        while 0 <= i < len(lines) and gap <= ATTACH_MAX_GAP and len(seen) <= ATTACH_MAX_SEPARATORS:
            line = lines[i]
            # A title-cased headline ending in a stop below the body is the next story's.
            if step == 1 and HEADLINE_ENDS_BODY and (_headline_with_stop(line) or _next_story_headline(lines, i, terms)):
                break
            if i in forced or line.role is not Role.PROSE:
                gap += 1
                if line.role in SEPARATORS or i in forced:
                    seen.add(line.text.lower())
            # A dateline paragraph opens a story: below the body it is the next one, above
            # the body it is the article's first paragraph and nothing above it belongs.
            elif step == 1 and _DATELINE.match(line.text):
                break
            # Past a separator the bar is higher: what follows a legal notice or an
            # "Advertisement" line is as often the next story as the rest of this one.
            elif (block_score(i, step) if seen else score(i, False)) >= (attach if seen else peel):
                attached.append(i)
                ref.update(terms[i].keys())
                gap, seen = 0, set()
                if _DATELINE.match(line.text):
                    break
            else:
                break
            i += step
    return first, last, sorted(attached)


def best_body(lines: list[Line], forced: set[int], terms: list[dict[str, float]]) -> tuple[int, int, list[int]] | None:
    """The body grown from the best core candidate. A candidate's body scores its prose words,
    times how much of the page headline it mentions (comment threads and teaser lists can outweigh
    the article but rarely repeat its headline), times how well its paragraphs hang together (a
    cluster of unrelated teasers does not; an article split by an "Advertisement" line does once
    its halves are joined)."""
    headline = page_headline(lines)
    comments = next((i for i, line in enumerate(lines) if line.role is Role.COMMENT_HEADER), None)
    best: tuple[float, tuple[int, int, list[int]]] | None = None
    for core in core_candidates(lines, forced):
        first, last, attached = choose_body(lines, core, terms, {}, forced)
        members = [i for i in range(first, last + 1) if lines[i].role is Role.PROSE]
        ref = _reference(terms, members)
        # Attached lines do not add weight: that would favour bodies that swallow teasers.
        words = sum(lines[i].words for i in members) + ATTACHED_WEIGHT * sum(lines[i].words for i in attached)
        together = sorted(cohesion(terms[i], _without(ref, terms[i])) for i in members)
        score = words * (COHERENCE_PRIOR + (together[len(together) // 2] if together else 0.0))
        if headline is not None:
            outside = _reference(terms, [i for i in members if i != headline])
            score *= HEADLINE_PRIOR + cohesion(terms[headline], outside)
        if comments is not None and first >= comments:
            # readers' comments: as long as the article and on its topic, but never the article
            score *= COMMENTS_FACTOR
        if best is None or score > best[0]:
            best = (score, (first, last, attached))
    return None if best is None else best[1]


def mark_comment_headers(lines: list[Line]) -> list[Line]:
    """The headers of a readers' comment thread ("Alex on September 17, 2018 at 6:34 am said:",
    "2 days ago at 07:52 am", "Rating: 36 Votes", "C. M. says:") get their own role when there
    are at least COMMENT_META_MIN of them below some prose: each is a wall between comments (a
    comment is weighed on its own, never the thread at once) and nothing is attached across it.
    One "Trump says:" line in an article is no thread and keeps its role."""
    # every header holds a colon: a cheap test before the regular expression
    found = [i for i, line in enumerate(lines)
             if line.words <= COMMENT_META_MAX_WORDS and ":" in line.text and _COMMENT_META.search(line.text)]
    if len(found) < COMMENT_META_MIN:
        return lines
    if sum(line.words for line in lines[: found[0]] if line.role is Role.PROSE) < PROSE_MIN_WORDS:
        return lines
    marked = list(lines)
    for i in found:
        marked[i] = replace(lines[i], role=Role.COMMENT_HEADER)
    return marked


# --- 5. Title -------------------------------------------------------------------------------


def _headline_shaped(line: Line) -> bool:
    return line.role in (Role.FRAGMENT, Role.SENTENCE, Role.PROSE) and 2 <= line.words <= TITLE_MAX_WORDS \
        and not line.text.endswith((",", ":"))


def choose_title(lines: list[Line], body_first: int, body_ref: Counter[str],
                 terms: list[dict[str, float]]) -> int | None:
    """The headline-shaped line above the body sharing most words with it (nearest wins ties);
    the page's first line when nothing above the body matches."""
    best: tuple[float, int] | None = None
    for i in range(body_first - 1, max(-1, body_first - 1 - TITLE_WINDOW), -1):
        if not _headline_shaped(lines[i]):
            continue
        overlap = sum(w for stem, w in terms[i].items() if body_ref[stem] > 0)
        if overlap > 0 and (best is None or overlap > best[0]):
            best = (overlap, i)
    if best is not None:
        return best[1]
    if body_first > 0 and _headline_shaped(lines[0]):
        return 0
    return None


def headline_in_body(lines: list[Line], first: int, last: int) -> int | None:
    """A story headline (_story_headline) among the body's first lines with at most
    TITLE_LEAD_MAX_PROSE prose lines above it, else at its first line: the article's title."""
    for j in range(first + 1, last):
        if j - first > last - j or sum(lines[k].role is Role.PROSE for k in range(first, j)) > TITLE_LEAD_MAX_PROSE:
            break
        if _story_headline(lines, j):
            return j
    return first if first < last and _story_headline(lines, first) else None


def lead_title(lines: list[Line], first: int, last: int, terms: list[dict[str, float]]) -> int | None:
    """A short headline in the body's first half that the next paragraphs take up more than the
    prose above it does: the article's title on a page that opens with other stories' leads.
    The body's first line competes too (then no lead is above the article)."""
    best: tuple[float, int] | None = None
    for j in range(first, last):
        if j - first > last - j:
            break
        line = lines[j]
        if line.role not in (Role.SENTENCE, Role.PROSE) or line.words > SHORT_HEADLINE_WORDS \
                or not _headline_shaped(line) or lines[j + 1].role is not Role.PROSE:
            continue
        if not line.text[0].isupper() or _QUOTE_START.match(line.text) or _SIGNOFF.match(line.text):
            continue
        above = [i for i in range(first, j) if lines[i].role is Role.PROSE]
        below = [i for i in range(j + 1, last + 1) if lines[i].role is Role.PROSE][:LEAD_TITLE_BELOW]
        score = cohesion(terms[j], _reference(terms, below))
        if (above or j == first) and score >= LEAD_TITLE_TAKES_UP \
                and cohesion(terms[j], _reference(terms, above)) < score \
                and (best is None or score > best[0]):
            best = (score, j)
    return None if best is None else best[1]


def _title_not_subheading(lines: list[Line], j: int, terms: list[dict[str, float]]) -> bool:
    """A headline ending in "." or ";" whose words the prose just above it hardly uses: another
    story's lead sits above, so it is the article's title rather than one of its sub-headings."""
    if lines[j].role is Role.FRAGMENT or not lines[j].text.rstrip("\"'”’").endswith((".", ";")):
        return False
    above = [i for i in range(max(0, j - SUBHEADING_WINDOW), j) if lines[i].role is Role.PROSE]
    return cohesion(terms[j], _reference(terms, above)) < SUBHEADING_SHARES_ABOVE


def inner_title(lines: list[Line], first: int, last: int, attached: list[int],
                terms: list[dict[str, float]]) -> int | None:
    """A headline among the body's first lines that the prose below it takes up: the article
    starts there, and the prose above it is another story's lead."""
    best: tuple[float, int] | None = None
    for j in range(first + 1, min(last, first + TITLE_CUT_WINDOW) + 1):
        if not _headline_shaped(lines[j]) or lines[j].words < 3:
            continue
        if lines[j].role is Role.PROSE and _capitalised_share(lines[j].text) < HEADLINE_CAPITALISED_SHARE:
            continue
        if not any(lines[i].role is Role.PROSE for i in range(first, j)):
            continue
        below = _reference(terms, [i for i in range(j + 1, last + 1)] + [a for a in attached if a > j])
        score = cohesion(terms[j], below)
        if score >= TITLE_CUT_COHESION and (best is None or score >= best[0]):
            best = (score, j)
    return None if best is None else best[1]


# --- 6. Labels and segments -----------------------------------------------------------------


def forced_teasers(lines: list[Line]) -> set[int]:
    """Lines that a bare "Read more" marker makes teasers."""
    forced: set[int] = set()
    for i, line in enumerate(lines):
        if line.role is Role.MARKER and i + 1 < len(lines):
            forced.add(i + 1)
            # A marked teaser may be a headline followed by its lead.
            if lines[i + 1].role is Role.FRAGMENT and i + 2 < len(lines) and lines[i + 2].role is Role.PROSE:
                forced.add(i + 2)
    return forced


def label_lines(lines: list[Line]) -> list[str]:
    """One segment kind per line."""
    lines = mark_comment_headers(lines)
    forced = forced_teasers(lines)
    kinds = ["boilerplate"] * len(lines)
    terms = [content_terms(line.text) for line in lines]
    found = best_body(lines, forced, terms)
    if found is None:
        return _label_without_body(lines, kinds)
    # A first pass without the title finds the body; the title then sharpens cohesion.
    first, last, attached = found
    title = inner_title(lines, first, last, attached, terms)
    # The article's title closes the body at the top. A headline cut out of the body (inner_title)
    # may be a sub-heading ("WHY NOW?", "The reaction"), and cohesive prose above it is attached
    # back, unless it is a title-cased headline ending in a stop. Measured against no closing
    # (extraction / dev F1, kept out / train F1, kept out): 0.8861 / 0.9650, 78.8% / 0.9675, 79.4%
    # -> 0.8855 / 0.9674, 82.1% / 0.9686, 81.0%; closing at any inner headline: 0.8689 / 0.9700,
    # 85.5% / 0.9669, 83.8% (real pages lose paragraphs above sub-headings).
    above = title is None and TITLE_CLOSES_TOP
    if title is None:
        title = headline_in_body(lines, first, last)
    if title is not None:
        first = title + 1
    else:
        body_ref = _reference(terms, list(range(first, last + 1)) + attached)
        title = choose_title(lines, first, body_ref, terms)
        if title is None:
            # nothing headline-like above: the title may sit among the first paragraphs
            title = lead_title(lines, first, last, terms)
            if title is not None:
                first = title + 1
    if title is not None:
        # Prose attached in the first pass stays: the title sharpens the edges, it does not
        # undo an article joined across an "Advertisement" line. Prose attached above the
        # title does not, unless it outweighs the article (TITLE_ABOVE_KEEP_RATIO).
        above = (above or _headline_with_stop(lines[title]) or _title_not_subheading(lines, title, terms)) \
            and title < first
        kept = [i for i in attached if i < first or i > last]
        kept_above = sum(lines[i].words for i in kept if i < title)
        below = sum(lines[i].words for i in chain(range(first, last + 1), kept)
                    if i > title and lines[i].role is Role.PROSE)
        if kept_above * TITLE_ABOVE_KEEP_RATIO < below:
            kept = [i for i in kept if i > title]
        first, last, attached = choose_body(lines, (first, last), terms, terms[title], forced, above)
        attached = sorted(set(attached) | {i for i in kept if i < first or i > last})
    body = set(range(first, last + 1)) | set(attached)

    for i, line in enumerate(lines):
        if i in forced or line.role is Role.MARKED_TEASER:
            kinds[i] = "teaser"
        elif line.role in (Role.BYLINE, Role.CAPTION):
            kinds[i] = line.role.value
        elif line.role in (Role.BOILERPLATE, Role.MARKER, Role.COMMENT_HEADER):
            kinds[i] = "boilerplate"
        elif i in body:
            kinds[i] = "body"
        elif line.role in (Role.PROSE, Role.SENTENCE) and line.words >= PROSE_MIN_WORDS:
            kinds[i] = "teaser"
    if title is not None:
        kinds[title] = "title"
    # A headline directly above a teaser paragraph is the teaser's own headline.
    for i in range(len(lines) - 1):
        if kinds[i] == "boilerplate" and lines[i].role is Role.FRAGMENT and kinds[i + 1] == "teaser" \
                and _headline_shaped(lines[i]) and i + 1 not in forced:
            kinds[i] = "teaser"
    return kinds


def _label_without_body(lines: list[Line], kinds: list[str]) -> list[str]:
    for i, line in enumerate(lines):
        if line.role in (Role.BYLINE, Role.CAPTION):
            kinds[i] = line.role.value
        elif line.role is Role.MARKED_TEASER:
            kinds[i] = "teaser"
    return kinds


def _merge(segments: list[Segment], text: str) -> list[Segment]:
    """Join neighbouring body, boilerplate and caption segments; teasers stay one per story."""
    merged: list[Segment] = []
    for seg in segments:
        if merged and merged[-1].kind == seg.kind and seg.kind in ("body", "boilerplate") \
                and not text[merged[-1].end : seg.start].strip():
            merged[-1] = Segment(merged[-1].start, seg.end, seg.kind)
        else:
            merged.append(seg)
    return merged


def _split_body_edges(segments: list[Segment], text: str) -> list[Segment]:
    """Split a leading dateline off the first body segment and an agency tag off the last."""
    body = [i for i, s in enumerate(segments) if s.kind == "body"]
    if not body:
        return segments
    out = list(segments)
    last = out[body[-1]]
    tag = _AGENCY_TAG.search(text, last.start, last.end)
    if tag and tag.end() == last.end and tag.start(1) > last.start:
        keep_end = len(text[: tag.start(1)].rstrip())
        out[body[-1]: body[-1] + 1] = [Segment(last.start, keep_end, "body"), Segment(tag.start(1), tag.end(1), "byline")]
    first = out[body[0]]
    dateline = _DATELINE.match(text[first.start : first.end])
    if dateline:
        cut = first.start + len(dateline.group().rstrip())
        rest = first.start + dateline.end()
        if rest < first.end:
            out[body[0]: body[0] + 1] = [Segment(first.start, cut, "dateline"), Segment(rest, first.end, "body")]
    return out


def segment_page(text: str) -> list[Segment]:
    """Segments of a flattened page, sorted by start, non-overlapping, exactly indexing ``text``."""
    lines = split_lines(text)
    if not lines:
        return []
    kinds = label_lines(lines)
    segments = [Segment(line.start, line.end, kind) for line, kind in zip(lines, kinds)]
    return _split_body_edges(_merge(segments, text), text)
