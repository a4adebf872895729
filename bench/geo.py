"""Benchmark of toponym resolution (wirescope.analysis.places) on LGL, TR-News and GeoWebNews.

    .venv/bin/python bench/geo.py [--part heldout|tune] [--cities cities1000.json] [--errors N]

Reads ../shared/data/geo (override the shared folder with WIRESCOPE_SHARED) and prints SKIP when
it is absent. See ../shared/data/geo/SOURCES.md for the corpora.

Protocol
--------
Resolution only: the gold toponym spans are given. Each document's gold toponyms (the covered
text ``text[start:end]``, one per mention) go to ``resolve_names`` together, as the pipeline
passes a document's place entities.

* LGL and TR-News: toponyms with a ``gaztag`` (GeoNames id, coordinates, country) are scored;
  the others have no gold place and are not passed.
* GeoWebNews (development half): toponyms with coordinates (Literal, Metonymic, Mixed, ...) are
  scored; Demonym, Language, Homonym, Non_Toponym and the context-clue spans are not passed.

Metrics, over all scored gold toponyms (a toponym without a prediction counts as wrong):
* acc@161: the predicted place lies within 161 km (100 miles) of the gold coordinates;
* country: the predicted country is the gold one (LGL/TR: the gaztag's country; GWN has none, so
  the gold id's country in the gazetteer, scored only where the gold id is there: ``n country``);
  gold places without a country (continents, oceans) are left out;
* id: the predicted GeoNames id is the gold one;
* no cand.: gold toponyms whose name has no entry at all in the gazetteer.
The baseline is ``most_populous``: the largest population among the entries the name names.

Tuning and held-out parts
-------------------------
Weights, the alias table and the city file were tuned on LGL documents whose sha1(docid) begins
with 0-7 ("LGL-tune", about half). The report (``--part heldout``, the default) covers only parts
not looked at while tuning: the other half of LGL, all of TR-News and the GeoWebNews development
half. ``--errors`` lists mistakes of the tuning part only.

Outlets
-------
The "outlet" columns resolve each LGL / TR-News document with its newspaper's home country as the
hint (``PlaceContext.countries``), learned as `ingest` learns it from a store: ``outlet_places.main_country``
of the resolver's own output on the other documents of the same ``<domain>`` in the part, then
``outlet_places.home_country``; the gold is never read. GeoWebNews names no outlet.

Latest results (2026-12-05 21:20, bench/RESULTS.md section 18e): LGL held-out acc@161 0.816 (0.822
with the site's domain, 0.824 with outlets), right country 0.958 (0.964 with the site's domain, 0.972
with outlets; names only, no inferred countries, 0.912); TR-News 0.764 / 0.773 / 0.780, 0.903 / 0.919 /
0.927; GeoWebNews 0.731, 0.954 (no outlets).

Earlier results (2026-12-05, 2-core shared machine; ``WIRESCOPE_CACHE_DIR=... .venv/bin/python bench/geo.py``)
------------------------------------------------------------------------------------------------------
Held out (never looked at while tuning), with US counties as places (``zipcodes``' points), more
country adjectives and admin1 areas of more countries (issue 18):

| part | docs | toponyms | no cand. | acc@161 | base acc@161 | country | base country | id |
|---|---|---|---|---|---|---|---|---|
| LGL-heldout | 276 | 1886 | 116 | 0.814 | 0.622 | 0.912 | 0.842 | 0.692 |
| TR-News | 118 | 1275 | 154 | 0.753 | 0.693 | 0.832 | 0.775 | 0.757 |
| GeoWebNews dev | 100 | 1262 | 229 | 0.707 | 0.696 | 0.921 | 0.924 | 0.641 |

Before (same day, counties known by name only): LGL-heldout acc@161 0.690, country 0.795; TR-News
0.731 / 0.807; GWN 0.673 / 0.909. Where the gold place is in the index at all (1478 of 1886
LGL-heldout toponyms, 1141 of 1275 TR-News, 997 of 1262 GWN), acc@161 is 0.880 / 0.800 / 0.839,
and the predicted country is right for 0.967 / 0.943 / 0.977 of the predictions. What is still
missing: rivers, lakes, parks, neighbourhoods and townships, regions without a government (South
Ossetia, Darfur), English counties and other second-level areas outside the US; LGL also places
Canada at GeoNames' 2009 point (60, -96), 976 km from today's. The id column counts a county as
wrong (its id is minus its FIPS code, not a GeoNames id).

Tuning part (LGL-tune, 312 docs, 2576 toponyms): acc@161 0.858 (baseline 0.676), country 0.926;
before: 0.764 / 0.828. Step by step on this part: counties as places 0.844, a county name's
states as readings ("Henry County" beside "Paris") 0.850, more adjectives 0.854, more admin1
areas 0.858; weights unchanged (a county kind weight and a bare-county penalty were tried:
0.844-0.850, the default 0 is best). City file, same part and weights (before the counties):
cities500 0.764 (index build about 20-30 s, cached load 0.07 s), cities1000 0.747, cities5000
0.698, cities15000 0.655; cities500 is the default (``places_index.CITY_FILE``). The counties add
about 3-5 s to the build.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from wirescope.analysis import places_index
from wirescope.analysis.places import (
    DEFAULT_WEIGHTS,
    Place,
    PlaceContext,
    Weights,
    domain_country,
    great_circle_km,
    most_populous,
    resolve_names,
)
from wirescope.storage.outlet_places import home_country, main_country

RADIUS_KM = 161.0


def shared_dir() -> Path:
    return Path(os.environ.get("WIRESCOPE_SHARED") or ROOT.parent / "shared")


@dataclass(frozen=True)
class Gold:
    name: str
    lat: float
    lon: float
    geonames_id: int | None
    country: str | None  # ISO code, None where unknown or not in a country


@dataclass(frozen=True)
class Document:
    doc_id: str
    toponyms: tuple[Gold, ...]
    outlet: str | None = None  # LGL and TR-News: the <domain> of the newspaper


def _iso_by_country_id() -> dict[int, str]:
    countries = places_index.geonames_json("countries.json")
    return {country["geonameid"]: iso for iso, country in countries.items()}


def read_lgl_style(path: Path) -> list[Document]:
    """LGL and TR-News: <article docid> with <text> and <toponym><gaztag geonameid>."""
    iso_of = _iso_by_country_id()
    documents = []
    for article in ET.parse(path).getroot().iter("article"):
        text = article.findtext("text") or ""
        golds = []
        for toponym in article.iter("toponym"):
            tag = toponym.find("gaztag")
            if tag is None or tag.findtext("lat") is None:
                continue
            start, end = int(toponym.findtext("start") or 0), int(toponym.findtext("end") or 0)
            country = tag.find("country")
            country_iso = iso_of.get(int(country.get("geonameid") or 0)) if country is not None else None
            golds.append(Gold(text[start:end], float(tag.findtext("lat") or 0), float(tag.findtext("lon") or 0),
                              int(tag.get("geonameid") or 0), country_iso))
        documents.append(Document(article.get("docid") or "", tuple(golds), article.findtext("domain")))
    return documents


def read_gwn(path: Path, country_of_id: dict[int, str]) -> list[Document]:
    """GeoWebNews: <article file> with <toponym> carrying latitude/longitude where geocoded."""
    documents = []
    for article in ET.parse(path).getroot().iter("article"):
        text = article.findtext("text") or ""
        golds = []
        for toponym in article.iter("toponym"):
            lat, lon = toponym.findtext("latitude"), toponym.findtext("longitude")
            if not lat or not lon:
                continue
            start, end = int(toponym.findtext("start") or 0), int(toponym.findtext("end") or 0)
            gid = int(toponym.findtext("geonamesID") or 0) or None
            golds.append(Gold(text[start:end], float(lat), float(lon), gid, country_of_id.get(gid or 0)))
        documents.append(Document(article.get("file") or "", tuple(golds)))
    return documents


def is_tuning(doc_id: str) -> bool:
    return hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[0] in "01234567"


@dataclass
class Score:
    scored: int = 0
    no_candidate: int = 0
    within: int = 0
    same_id: int = 0
    country_scored: int = 0
    country_right: int = 0
    country_predicted: int = 0  # gold toponyms with a country that got a prediction
    in_gazetteer: int = 0  # gold toponyms whose gold GeoNames id is an entry of the index
    within_in_gazetteer: int = 0

    def add(self, gold: Gold, place: Place | None, has_candidate: bool, known: bool) -> None:
        self.scored += 1
        self.no_candidate += not has_candidate
        within = place is not None and great_circle_km(gold.lat, gold.lon, place.latitude, place.longitude) <= RADIUS_KM
        self.within += within
        self.same_id += place is not None and place.geonames_id == gold.geonames_id
        self.in_gazetteer += known
        self.within_in_gazetteer += known and within
        if gold.country is not None:
            self.country_scored += 1
            self.country_predicted += place is not None
            self.country_right += place is not None and place.country == gold.country


Resolver = Callable[[Sequence[str]], list[Place | None]]


def evaluate(documents: list[Document], resolve: Resolver, city_file: str,
             errors: list[tuple[Gold, Place | None]] | None = None,
             contexts: dict[str, PlaceContext] | None = None) -> Score:
    """``resolve`` scored over ``documents``; with ``contexts``, each document's names are resolved
    with its own context instead (``resolve`` is then unused)."""
    score = Score()
    known_ids = _known_ids(city_file)
    for document in documents:
        names = [gold.name for gold in document.toponyms]
        found = (resolve_names(names, contexts[document.doc_id], city_file=city_file) if contexts is not None
                 else resolve(names))
        for gold, place in zip(document.toponyms, found):
            score.add(gold, place, most_populous(gold.name, city_file) is not None, gold.geonames_id in known_ids)
            if errors is not None and (place is None or great_circle_km(
                    gold.lat, gold.lon, place.latitude, place.longitude) > RADIUS_KM):
                errors.append((gold, place))
    return score


@lru_cache(maxsize=4)
def _known_ids(city_file: str) -> frozenset[int]:
    return frozenset(int(gid) for gid in places_index.load_index(city_file).arrays["gid"])


def outlet_contexts(documents: list[Document], city_file: str) -> dict[str, PlaceContext]:
    """Each document's context as `ingest` would build it after storing the other documents of its
    outlet: the outlet's home country (``outlet_places.home_country``) from those documents' own resolved
    places (``outlet_places.main_country``; the gold is never read), the document itself left out."""
    mains: dict[str, str | None] = {}
    sites = site_contexts(documents)
    for document in documents:
        names = list(dict.fromkeys(gold.name for gold in document.toponyms))  # one vote a place entity
        counts = Counter(place.country for place in resolve_names(names, sites[document.doc_id], city_file=city_file)
                         if place and place.country and not place.inferred and place.feature != "continent")
        mains[document.doc_id] = main_country(counts)
    by_outlet: dict[str, list[str]] = {}
    for document in documents:
        if document.outlet:
            by_outlet.setdefault(document.outlet, []).append(document.doc_id)
    contexts = {}
    for document in documents:
        others = [mains[other] for other in by_outlet.get(document.outlet or "", []) if other != document.doc_id]
        home = home_country(others)
        contexts[document.doc_id] = PlaceContext(countries=(home,)) if home else sites[document.doc_id]
    return contexts


def site_contexts(documents: list[Document]) -> dict[str, PlaceContext]:
    """Each document's context as the pipeline builds it for a page whose outlet has no history:
    the country of its site's domain (``places.domain_country``: "lfpress.ca" is Canadian)."""
    contexts = {}
    for document in documents:
        country = domain_country(document.outlet)
        contexts[document.doc_id] = PlaceContext(countries=(country,) if country else ())
    return contexts


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "n/a"


def report_rows(part: str, documents: list[Document], city_file: str) -> tuple[str, str]:
    """The row of the main table and the row of the coverage table."""

    def ours(names: Sequence[str]) -> list[Place | None]:
        return resolve_names(names, city_file=city_file)

    def baseline(names: Sequence[str]) -> list[Place | None]:
        return [most_populous(name, city_file) for name in names]

    def names_only(names: Sequence[str]) -> list[Place | None]:
        return resolve_names(names, city_file=city_file, infer_country=False)

    s, b = evaluate(documents, ours, city_file), evaluate(documents, baseline, city_file)
    n = evaluate(documents, names_only, city_file)
    d = evaluate(documents, ours, city_file, contexts=site_contexts(documents))
    o = evaluate(documents, ours, city_file, contexts=outlet_contexts(documents, city_file))
    main = (f"| {part} | {len(documents)} | {s.scored} | {s.no_candidate} | {_ratio(s.within, s.scored)} | "
            f"{_ratio(d.within, d.scored)} | {_ratio(o.within, o.scored)} | {_ratio(b.within, b.scored)} | "
            f"{_ratio(s.country_right, s.country_scored)} | {_ratio(d.country_right, d.country_scored)} | "
            f"{_ratio(o.country_right, o.country_scored)} | "
            f"{_ratio(n.country_right, n.country_scored)} | "
            f"{_ratio(b.country_right, b.country_scored)} | {s.country_scored} | {_ratio(s.same_id, s.scored)} |")
    coverage = (f"| {part} | {s.in_gazetteer} of {s.scored} | {_ratio(s.within_in_gazetteer, s.in_gazetteer)} | "
                f"{_ratio(b.within_in_gazetteer, b.in_gazetteer)} | {s.country_predicted} | "
                f"{_ratio(s.country_right, s.country_predicted)} | {_ratio(b.country_right, b.country_predicted)} |")
    return main, coverage


def load_parts(geo: Path, part: str, city_file: str) -> dict[str, list[Document]]:
    lgl = read_lgl_style(geo / "lgl.xml")
    if part == "tune":
        return {"LGL-tune (sha1(docid) 0-7)": [d for d in lgl if is_tuning(d.doc_id)]}
    index = places_index.load_index(city_file)
    iso = index.arrays["country_iso"]
    country_of_id = {int(gid): str(iso[c]) for gid, c in zip(index.arrays["gid"], index.arrays["country"]) if c >= 0}
    return {
        "LGL-heldout (sha1(docid) 8-f)": [d for d in lgl if not is_tuning(d.doc_id)],
        "TR-News (all)": read_lgl_style(geo / "TR-News.xml"),
        "GeoWebNews dev": read_gwn(geo / "gwn_dev.xml", country_of_id),
    }


def print_errors(documents: list[Document], city_file: str, limit: int) -> None:
    errors: list[tuple[Gold, Place | None]] = []
    evaluate(documents, lambda names: resolve_names(names, city_file=city_file), city_file, errors)
    counts = Counter((gold.name, place.name if place else None,
                      (place.feature + " inferred" * place.inferred) if place else None,
                      place.country if place else None, gold.country) for gold, place in errors)
    for (name, predicted, feature, country, gold_country), count in counts.most_common(limit):
        print(f"{count:4d}  {name!r} -> {predicted} ({feature}, {country}); gold country {gold_country}")


SEARCH_STEPS = (0.0, 0.5, 0.75, 1.25, 1.5, 2.0, 3.0)


def search_weights(documents: list[Document], city_file: str, rounds: int = 2) -> Weights:
    """Coordinate ascent on acc@161 of the tuning part: each weight in turn multiplied by each
    step (or, for a weight at 0, set to 1, 2 or 3), kept where the accuracy rises."""

    def accuracy(weights: Weights) -> float:
        score = evaluate(documents, lambda names: resolve_names(names, weights=weights, city_file=city_file), city_file)
        return score.within / score.scored

    best, best_accuracy = DEFAULT_WEIGHTS, accuracy(DEFAULT_WEIGHTS)
    print(f"start {best_accuracy:.4f} {best}")
    for _ in range(rounds):
        for name in [f.name for f in fields(Weights)]:
            for trial in _trials(best, name):
                trial_accuracy = accuracy(trial)
                if trial_accuracy > best_accuracy + 1e-9:
                    best, best_accuracy = trial, trial_accuracy
                    print(f"{best_accuracy:.4f} {name} -> {getattr(best, name)}")
    print(f"best {best_accuracy:.4f} {best}")
    return best


def _trials(weights: Weights, name: str) -> list[Weights]:
    value = getattr(weights, name)
    values: list[Any] = ([value[:i] + (v,) + value[i + 1 :] for i in range(len(value)) for v in _steps(value[i])]
                         if isinstance(value, tuple) else _steps(value))
    return [replace(weights, **{name: v}) for v in values]


def _steps(value: float) -> list[float]:
    return [value * step for step in SEARCH_STEPS if step != 1.0] if value else [1.0, 2.0, 3.0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=("heldout", "tune"), default="heldout")
    parser.add_argument("--cities", default=places_index.CITY_FILE,
                        choices=("cities500.json", "cities1000.json", "cities5000.json", "cities15000.json"))
    parser.add_argument("--errors", type=int, default=0, help="list the N commonest mistakes (tuning part only)")
    parser.add_argument("--search", action="store_true", help="search the weights on the tuning part")
    args = parser.parse_args()
    geo = shared_dir() / "data" / "geo"
    if not (geo / "lgl.xml").exists():
        print(f"SKIP: {geo / 'lgl.xml'} not found")
        return 0
    started = time.perf_counter()
    places_index.load_index(args.cities)
    loaded = time.perf_counter() - started
    print(f"command: {' '.join(sys.argv)}\ndate: {datetime.now().isoformat(timespec='seconds')}")
    print(f"index: {args.cities}, loaded (or built) in {loaded:.2f} s\n")
    parts = load_parts(geo, args.part, args.cities)
    rows = [report_rows(part, documents, args.cities) for part, documents in parts.items()]
    print("Each row: one document at a time, its names alone (the default); 'site': with the country of its")
    print("site's domain as the pipeline takes it from a page's URL ('lfpress.ca': CA; none for '.com');")
    print("'outlet': with the home country of the document's outlet learned from its other documents of")
    print("the part, as `ingest` learns it from the store, else the site's; 'names only': a name the")
    print("gazetteer lacks stays unresolved (no inferred country).\n")
    print("| part | docs | toponyms | no cand. | acc@161 | acc@161 site | acc@161 outlet | base acc@161 | country "
          "| country site | country outlet | country names only | base country | n country | id |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    print("\n".join(main for main, _ in rows))
    print("\nCoverage: gold toponyms whose gold GeoNames id is in the index, acc@161 on those; country")
    print("precision over gold toponyms with a country that got a prediction.\n")
    print("| part | gold id in index | acc@161 there | base there | predicted | country prec. | base prec. |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(coverage for _, coverage in rows))
    print(f"\n{time.perf_counter() - started:.1f} s in all")
    if args.search and args.part == "tune":
        search_weights(next(iter(parts.values())), args.cities)
    if args.errors and args.part == "tune":
        print_errors(next(iter(parts.values())), args.cities, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
