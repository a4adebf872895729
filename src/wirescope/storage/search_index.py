"""Full-text search over the stored documents: an inverted index in two DuckDB tables, ranked by BM25.

Why hand-written: DuckDB's ``fts`` extension does this (it is SQL macros over a terms table), but it
is downloaded at run time (wirescope works offline by design) and its pip build (``duckdb-ext-fts``)
is for DuckDB 1.4.4, not the 2.0 that wirescope runs. So the index is built here the way that
extension builds its own:

* ``search_postings (term, doc_id, tf)``: one row per distinct term of a document, with its count
  (a title word counts ``1 + TITLE_WEIGHT`` times: the title is in the text too);
* ``search_lengths (doc_id, length)``: one row per indexed document, its weighted term count. The row
  is also the mark that a document is indexed: ``unindexed_batches`` lists the documents without one;
* ``search_terms (term, df)``: how many documents have each term (the extension's dictionary), kept
  up to date on every write so that a query reads the postings of its terms once, not twice;
* an ART index on the postings' terms: a rare term's postings are a lookup, not a scan. (DuckDB
  scans instead when a term has more than a few thousand postings: those are read whole anyway.)

The store writes both in the transaction that writes (or replaces) the document, so a document is
never committed without its index rows nor the rows without it. What is indexed is the title and
the article: the page's text less the segments that belong to other stories or to the site
(teasers, boilerplate), as story grouping reads it.

One tokeniser (``terms``) serves documents and queries: case folded, accents stripped, runs of
Unicode letters and digits, less a short list of English function words. No stemming: "talks"
does not find "talk" (a quoted phrase is matched as written anyway).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import duckdb

from wirescope.records import Analysis
from wirescope.storage.rows import insert_columns

POSTINGS = "search_postings"
LENGTHS = "search_lengths"
TERMS = "search_terms"
CREATE_TABLES = (
    f"CREATE TABLE IF NOT EXISTS {POSTINGS} (term VARCHAR NOT NULL, doc_id VARCHAR NOT NULL, tf INTEGER NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS ix_{POSTINGS}_term ON {POSTINGS} (term)",
    f"CREATE TABLE IF NOT EXISTS {LENGTHS} (doc_id VARCHAR PRIMARY KEY, length INTEGER NOT NULL)",
    f"CREATE TABLE IF NOT EXISTS {TERMS} (term VARCHAR PRIMARY KEY, df INTEGER NOT NULL)",
)

# BM25 (Robertson & Zaragoza 2009) with the usual constants, those of DuckDB's fts extension too.
K1 = 1.2
B = 0.75
TITLE_WEIGHT = 2  # a title word counts as this many more words of text
# Segments that are not the article: other stories' teasers, the site's notices.
NOT_INDEXED = frozenset({"teaser", "boilerplate"})
BACKFILL_BATCH = 1000  # documents indexed per transaction when an older database is opened

# Hand-written, short on purpose: spaCy's English list (326 words) drops words people search news
# for ("call", "show", "name", "back", "top"), and it would load spaCy into every CLI start. These
# carry no topic; a query made only of them finds nothing.
STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "had", "has", "have", "he",
    "her", "his", "i", "if", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or", "our", "s", "she",
    "so", "t", "than", "that", "the", "their", "them", "they", "this", "to", "was", "we", "were", "which", "who",
    "will", "with", "you", "your",
})
_WORD = re.compile(r"[^\W_]+")  # letters and digits of any script; "_" and punctuation split words
_PHRASE = re.compile(r'"([^"]*)"')


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def fold(text: str) -> str:
    """``text`` case folded and without accents ("Ça Änderung" -> "ca anderung")."""
    folded = text.casefold()
    if folded.isascii():  # most news text: nothing to strip
        return folded
    # Only the non-ASCII runs are decomposed and stripped (a curly quote made every character of an
    # article go through the loop): ASCII is its own NFKD form, and NFKD only decomposes and
    # reorders marks, all of which go, so run by run gives what the whole text would.
    return _NON_ASCII.sub(_strip_accents, folded)


def _strip_accents(run: re.Match[str]) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", run.group()) if not unicodedata.combining(c))


def terms(text: str) -> list[str]:
    """The index terms of ``text`` in order, repeats kept: the one tokeniser of documents and queries."""
    return [word for word in _WORD.findall(fold(text)) if word not in STOP_WORDS]


@dataclass(frozen=True)
class SearchQuery:
    """What a search asks for: documents with every term; each phrase (quoted) must also appear as written."""

    terms: tuple[str, ...]  # distinct, in the order given
    phrases: tuple[str, ...] = ()


def parse_query(q: str) -> SearchQuery:
    """``grain "port inspections"``: terms grain, port, inspections; the phrase "port inspections"."""
    phrases = tuple(p.strip() for p in _PHRASE.findall(q) if p.strip())
    return SearchQuery(tuple(dict.fromkeys(terms(q))), phrases)


# -- writing ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class IndexedText:
    """What is indexed of one document."""

    doc_id: str
    title: str | None
    text: str  # the article: the document's text less the segments not indexed


def article_text(text: str, skipped: Iterable[tuple[int, int]]) -> str:
    """``text`` with the spans ``skipped`` (start, end) cut out, a line break in their place."""
    parts, at = [], 0
    for start, end in sorted(skipped):
        parts.append(text[at:start])
        at = max(at, end)
    parts.append(text[at:])
    return "\n".join(parts)


def analysis_text(analysis: Analysis) -> IndexedText:
    skipped = [(s.start, s.end) for s in analysis.segments if s.kind in NOT_INDEXED]
    document = analysis.document
    return IndexedText(document.id, document.title, article_text(document.text, skipped))


def term_counts(item: IndexedText) -> Counter[str]:
    counts = Counter(terms(item.text))
    for term in terms(item.title or ""):
        counts[term] += TITLE_WEIGHT
    return counts


def add_documents(con: duckdb.DuckDBPyConnection, items: Sequence[IndexedText]) -> None:
    """Index documents not in the index (replaced ones: ``remove_documents`` first); call it in
    the transaction that writes them."""
    postings: list[tuple[str, str, int]] = []
    lengths: dict[str, int] = {}
    for item in items:
        counts = term_counts(item)
        postings.extend((term, item.doc_id, n) for term, n in counts.items())
        lengths[item.doc_id] = sum(counts.values())
    # Sorted by term: each stored block's min/max term then lets a lookup skip most blocks.
    postings.sort()
    insert_columns(con, POSTINGS, {"term": [p[0] for p in postings], "doc_id": [p[1] for p in postings],
                                   "tf": [p[2] for p in postings]})
    insert_columns(con, LENGTHS, {"doc_id": list(lengths), "length": list(lengths.values())})
    df = Counter(term for term, _, _ in postings)
    if df:
        con.execute(f"INSERT INTO {TERMS} SELECT unnest($1), unnest($2) ON CONFLICT (term) DO UPDATE "
                    "SET df = df + excluded.df", [list(df), list(df.values())])


def remove_documents(con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str]) -> None:
    """Drop the index rows of documents replaced or deleted (same transaction as the documents)."""
    if not doc_ids:
        return
    ids = [list(doc_ids)]
    con.execute(f"UPDATE {TERMS} t SET df = t.df - gone.n FROM (SELECT term, count(*) AS n FROM {POSTINGS} "
                "WHERE list_contains($1, doc_id) GROUP BY term) gone WHERE t.term = gone.term", ids)
    con.execute(f"DELETE FROM {TERMS} WHERE df <= 0")
    for table in (POSTINGS, LENGTHS):
        con.execute(f"DELETE FROM {table} WHERE list_contains($1, doc_id)", ids)


def stored_texts(con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str]) -> list[IndexedText]:
    """What is indexed of stored documents, read back from the store (documents and segments)."""
    skipped: dict[str, list[tuple[int, int]]] = {}
    for doc_id, start, end in con.execute(
        'SELECT doc_id, start, "end" FROM segments WHERE list_contains($1, doc_id) AND list_contains($2, kind)',
        [list(doc_ids), sorted(NOT_INDEXED)],
    ).fetchall():
        skipped.setdefault(doc_id, []).append((start, end))
    rows = con.execute("SELECT id, title, text FROM documents WHERE list_contains($1, id)", [list(doc_ids)]).fetchall()
    return [IndexedText(doc_id, title, article_text(text, skipped.get(doc_id, ()))) for doc_id, title, text in rows]


def index_stored(con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str]) -> None:
    """Index stored documents that have no index rows (a store written by another path)."""
    add_documents(con, stored_texts(con, doc_ids))


def unindexed_batches(con: duckdb.DuckDBPyConnection, size: int = BACKFILL_BATCH) -> Iterator[list[str]]:
    """The ids of stored documents without index rows, ``size`` at a time (a database written before
    the index, or by a version without it)."""
    ids = [row[0] for row in con.execute(
        f"SELECT id FROM documents WHERE id NOT IN (SELECT doc_id FROM {LENGTHS}) ORDER BY id").fetchall()]
    for first in range(0, len(ids), size):
        yield ids[first:first + size]


# -- reading ------------------------------------------------------------------------------------
def ranked_sql(query: SearchQuery) -> tuple[str, list[str]]:
    """A subquery of (doc_id, score): the documents having every term of ``query`` with their BM25
    score, and its parameters. Phrases are not checked here (the caller verifies them on these
    candidates only).

    BM25 per term: idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / average length)), with
    idf = ln(1 + (N - df + 0.5) / (df + 0.5)) as Lucene and the fts extension have it (never
    negative). Only the postings of the query's terms are read.
    """
    marks = ", ".join("?" for _ in query.terms)
    sql = f"""
        SELECT p.doc_id, sum(ln(1 + (c.n - t.df + 0.5) / (t.df + 0.5)) * p.tf * {K1 + 1}
                             / (p.tf + {K1} * (1 - {B} + {B} * l.length / c.average))) AS score
        FROM {POSTINGS} p JOIN {TERMS} t ON t.term = p.term JOIN {LENGTHS} l ON l.doc_id = p.doc_id
        CROSS JOIN (SELECT count(*) AS n, avg(length) AS average FROM {LENGTHS}) c
        WHERE p.term IN ({marks}) AND t.term IN ({marks})
        GROUP BY p.doc_id HAVING count(*) = {len(query.terms)}"""
    return sql, [*query.terms, *query.terms]


def match_span(text: str, q: str) -> tuple[int, int] | None:
    """Where ``text`` first shows what ``q`` asks for: the whole query as written (any case), else
    its first phrase, else the first word that is one of its terms; None when nothing is there."""
    query = parse_query(q)
    for needle in (q.strip().strip('"'), *query.phrases):
        found = re.search(re.escape(needle), text, re.IGNORECASE) if needle else None
        if found:
            return found.span()
    wanted = set(query.terms)
    for word in _WORD.finditer(text):
        if fold(word.group()) in wanted:
            return word.span()
    return None
