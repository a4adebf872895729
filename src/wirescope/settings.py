"""One settings object for the whole pipeline: CLI flags and API keyword arguments map onto it
through ``make_settings`` (no keyword lists copied across functions). The CLI takes its option
defaults from ``Settings()``, and ``wirescope serve`` hands its ``Settings`` to the REST API."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal

MB = 1024 * 1024


@dataclass(frozen=True)
class StorySettings:
    """How stored documents are grouped into stories (``wirescope.stories.grouping``).

    Effects measured on BASIL with bench/stories.py; see bench/RESULTS.md.
    """

    window_days: int = 7  # a story takes no document more than this many days after its last one
    join_threshold: float = 0.2  # cosine (less the day penalty) a document needs to join a story
    day_penalty: float = 0.02  # subtracted from the cosine per day between the document and the story
    duplicate_jaccard: float = 0.8  # estimated Jaccard of 5-word shingles above which a text is a copy


@dataclass(frozen=True)
class Settings:
    # Pages larger than this are rejected with a clear message instead of stalling a batch.
    max_bytes: int = 10 * MB
    # Network reads (http/https sources).
    timeout_s: float = 20.0
    max_redirects: int = 5
    user_agent: str = "wirescope/0.1 (+https://example.invalid/wirescope)"
    # Fetch URLs whose host is a loopback, private, link-local or other non-public address. The CLI
    # fetches what its own user names; the REST API turns this off (unless `wirescope serve
    # --allow-private-fetch`), so a client cannot make the server read its own network (io.addresses).
    fetch_private_addresses: bool = True
    # Parsing.
    workers: int = 1
    batch_size: int = 32
    # The budget of one page (wirescope.runner): a page whose analysis takes longer is abandoned,
    # its worker process replaced, and the page recorded as an error; 0 analyses in this process,
    # without a budget. Pages longer than max_chars characters are analysed up to a sentence
    # boundary before that limit (the whole text is stored; the document says where analysis stopped).
    page_timeout_s: float = 30.0
    max_chars: int = 200_000
    # HTML pages with more elements are refused: no news page has them, and extraction slows down
    # faster than linearly with them (wirescope.io.page_checks).
    max_html_elements: int = 50_000
    # HTML: trafilatura's fast mode, balanced (``wirescope extract --fast``): 1.15x trafilatura's default
    # time instead of 1.47x, body F1 0.965 instead of 0.971 on the article-extraction benchmark
    # (bench/RESULTS.md 19g). The text may differ from what the default stores: ``analyze`` keeps it off.
    fast_extraction: bool = False
    # Language handling: pages detected as another language are stored but not analysed.
    languages: tuple[str, ...] = ("en",)
    # Store: re-analyse pages whose id is already stored.
    reanalyse: bool = False
    # Sentence bias: score the sentences the static model is unsure of again with the contextual
    # model (BABE macro-F1 0.756 instead of 0.719, about 23% more end-to-end time; wirescope.analysis.framing.bias).
    contextual_bias: bool = True
    # Events: "combined" (the learned trigger tagger with the rules; bench/RESULTS.md section 16) or
    # "rules" (the lexicon alone: less accurate on news, about 15% less end-to-end time).
    event_coder: Literal["combined", "rules"] = "combined"
    # The least confidence an event needs to be kept (0 keeps every event the coder reads); None: the
    # coder's own, 0.4 for the combined coder (chosen on TUNE: bench/RESULTS.md 16c), 0 for the rules.
    event_min_confidence: float | None = None
    # Places: the country a page's outlet is based in (ISO 3166-1 alpha-2) steers its ambiguous place
    # names ("Alexandria" in a Louisiana paper: Alexandria, Louisiana, not Egypt). ``home_country``:
    # what the user says for every page; ``outlet_countries``: (outlet, country) pairs that `ingest`
    # learns from the outlet's stored documents (``storage.outlet_places``), which beat it.
    home_country: str | None = None
    outlet_countries: tuple[tuple[str, str], ...] = ()
    # Story grouping of stored documents.
    stories: StorySettings = field(default_factory=StorySettings)

    def place_countries(self, outlet: str) -> tuple[str, ...]:
        """The countries a page of ``outlet`` is most likely about (``PlaceContext.countries``)."""
        learned = dict(self.outlet_countries).get(outlet.casefold())
        return (learned,) if learned else ((self.home_country.upper(),) if self.home_country else ())


def make_settings(base: Settings | None = None, **overrides: Any) -> Settings:
    """Settings from keyword arguments; ``None`` values keep the default. Unknown names fail loudly."""
    base = base or Settings()
    known = {f.name for f in fields(Settings)}
    unknown = set(overrides) - known
    if unknown:
        raise TypeError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    return replace(base, **{k: v for k, v in overrides.items() if v is not None})
