"""Where each outlet writes from (issue 18, item 1): the home country its stored documents point to.

A local paper's ambiguous place names are mostly at home ("Alexandria" in a Louisiana paper), so
`ingest` learns each outlet's country from what is already stored and hands it to the place resolver
(``Settings.outlet_countries`` -> ``PlaceContext.countries``). A document's country is the one most
of its named places lie in (``main_country``: countries inferred for unknown names do not
vote); an outlet's is the one most of its documents are about (``home_country``). Both rules are
here, beside the query, and ``bench/geo.py`` applies them to its own resolutions the same way.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

import duckdb

from wirescope.records import STATUS_ANALYSED, UNKNOWN_OUTLET, outlet_name

# An outlet's home country: the main country of at least this share of its documents, over at
# least this many documents (chosen on LGL-tune with bench/geo.py: shares 0.3-0.7 and 1-3
# documents gave 0.979-0.984 right country against 0.971 without a hint; bench/RESULTS.md 18d).
HOME_MIN_SHARE = 0.5
HOME_MIN_DOCUMENTS = 2


def main_country(counts: Counter[str]) -> str | None:
    """A document's country: the one most of its places lie in (one vote a place entity, names
    only, not inferred countries); ties go to the first code in alphabetical order."""
    return max(sorted(counts), key=counts.__getitem__) if counts else None


def home_country(document_countries: Sequence[str | None]) -> str | None:
    """The country an outlet writes from, given each of its documents' ``main_country`` (None for
    a document without places): the commonest, when it is the main country of ``HOME_MIN_SHARE``
    of them and they are ``HOME_MIN_DOCUMENTS`` at least. A local paper's stories are mostly at
    home, which is what Lieberman et al.'s LGL corpus was built to show (the "local lexicon")."""
    votes = Counter(country for country in document_countries if country)
    best = main_country(votes)
    if best is None or len(document_countries) < HOME_MIN_DOCUMENTS:
        return None
    return best if votes[best] >= HOME_MIN_SHARE * len(document_countries) else None


# One row per analysed document and country of its named places (NULL country: a document without
# any), with how many of its place entities lie there.
_DOCUMENT_COUNTRIES = """
    SELECT d.id, d.outlet, d.url, p.country, p.places
    FROM documents d LEFT JOIN (
        SELECT doc_id, upper(json_extract_string(place, '$.country')) AS country, count(*) AS places
        FROM entities
        WHERE place IS NOT NULL
          AND NOT coalesce(TRY_CAST(json_extract(place, '$.inferred') AS BOOLEAN), false)
          AND json_extract_string(place, '$.feature') <> 'continent'
        GROUP BY doc_id, country
    ) p ON p.doc_id = d.id AND p.country IS NOT NULL
    WHERE d.status = ?
"""


def outlet_countries(con: duckdb.DuckDBPyConnection) -> tuple[tuple[str, str], ...]:
    """(outlet name case-folded, ISO alpha-2 country) for every stored outlet with a home country,
    sorted by outlet; the outlet name is ``records.outlet_name`` (the stored outlet, else the host).
    Documents of no known outlet teach nothing: they may come from anywhere."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    outlet_of: dict[str, str] = {}
    for doc_id, outlet, url, country, places in con.execute(_DOCUMENT_COUNTRIES, [STATUS_ANALYSED]).fetchall():
        outlet_of[doc_id] = outlet_name(outlet, url).casefold()
        if country:
            counts[doc_id][country] += places
    documents: dict[str, list[str | None]] = defaultdict(list)
    for doc_id, outlet in outlet_of.items():
        if outlet != UNKNOWN_OUTLET.casefold():
            documents[outlet].append(main_country(counts[doc_id]))
    found = ((outlet, home_country(countries)) for outlet, countries in sorted(documents.items()))
    return tuple((outlet, country) for outlet, country in found if country)
