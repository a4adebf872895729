"""Linear-time checks that keep pathological pages away from the expensive stages.

Each check costs one pass over the page and guards a stage whose cost is worse than linear on
some input (measured on this machine, 2026-12-05; bench/RESULTS.md section 17):

- spaCy's tokenizer strips prefixes and suffixes one at a time from a whitespace-free chunk, so a
  chunk of punctuation costs quadratic time (10,000 ``"`` characters: 7.7 s; ``."`` repeated:
  worse). ``blank_long_chunks`` blanks such chunks in the text that is parsed (spaces of the same
  length, so every offset still points at the stored text); no prose word is that long.
- trafilatura spends quadratic time on many inline siblings (20,000 ``<b>a</b>``: 2.9 s; 100,000:
  about 70 s). ``count_elements`` lets ``prepare_page`` refuse pages with more elements than a
  news page has.
- libxml2 stops building the tree at 256 nested elements, so a deeper page loses its article
  without a word; ``exceeds_parser_depth`` tells that apart from a page with no article.
"""

from __future__ import annotations

import re

from lxml import etree

# Longer whitespace-free chunks are not parsed. URLs and hyphenated compounds stay well under it;
# at this length the tokenizer's worst case is about 1.6 ms a chunk.
MAX_CHUNK_CHARS = 100
_LONG_CHUNK = re.compile(rf"\S{{{MAX_CHUNK_CHARS + 1},}}")
_ELEMENT_START = re.compile(rb"<[A-Za-z]")
# libxml2's default depth limit (XML_PARSE_HUGE lifts it; lxml exposes it as huge_tree).
PARSER_MAX_DEPTH = 256
_OPEN_OR_CLOSE_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^>]*?(/?)>")
# Elements that never take content: they open no level of nesting.
_VOID_ELEMENTS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                            "param", "source", "track", "wbr"})


def blank_long_chunks(text: str) -> tuple[str, int]:
    """``text`` with every whitespace-free chunk over ``MAX_CHUNK_CHARS`` blanked; and how many."""
    count = 0

    def blank(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return " " * len(match.group())

    return _LONG_CHUNK.sub(blank, text), count


def count_elements(html: str) -> int:
    """How many element start tags ``html`` has (a tag-shaped ``<`` followed by a letter)."""
    return len(_ELEMENT_START.findall(html.encode("utf-8", "surrogatepass")))


def nesting_bound(html: str) -> int:
    """An upper bound of the element nesting depth: opening tags less closing ones, at most.

    An over-estimate where a page leaves ``<p>`` or ``<li>`` unclosed, never an under-estimate, so
    only pages it puts at or over the parser's limit need the real parse of ``exceeds_parser_depth``.
    """
    depth = deepest = 0
    for match in _OPEN_OR_CLOSE_TAG.finditer(html):
        closing, name, self_closing = match.groups()
        if closing:
            depth = max(0, depth - 1)
        elif not self_closing and name.lower() not in _VOID_ELEMENTS:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def exceeds_parser_depth(html: str) -> bool:
    """Whether libxml2 (lxml, trafilatura's parser) cuts ``html`` off at its nesting limit."""
    if nesting_bound(html) < PARSER_MAX_DEPTH:
        return False
    parser = etree.HTMLParser(recover=True)
    etree.fromstring(html.encode("utf-8", "surrogatepass"), parser)
    return any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log)
