"""HTML extraction on project-written pages: metadata, boilerplate left out, exact segments."""

from __future__ import annotations

from pathlib import Path

import pytest

from wirescope.errors import PageError
from wirescope.io.decoding import normalise_text
from wirescope.io.extract_html import MIN_ARTICLE_CHARS, HtmlExtract, extract_html

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "html-page-river-accord.html"
TITLE = "Upstream towns sign Marrow River water accord after two-year dispute"

PARAGRAPHS = [
    "Mill owners in Darrow Flats voted on Thursday to reopen the old weir gates for the spring run, "
    "after a season in which the lower pond dried out twice and the ferry stopped for a week.",
    '"We kept the gates shut to protect the wheel, and we lost the pond instead," said Council '
    "Clerk Ansel Moribe. \"This spring we try it the other way round.\"",
    "The gates will open at dawn on Saturday, and the council will publish daily water levels at "
    "the ferry landing until the end of May, when the vote will be reviewed.",
]


def page(body: str, title: str = "Weir gates reopen in Darrow Flats | Darrow Courier") -> str:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>"


@pytest.fixture(scope="module")
def sample() -> HtmlExtract:
    return extract_html(SAMPLE.read_text(encoding="utf-8"), url="https://valleyledger.example/news/marrow")


def segment_texts(result: HtmlExtract, kind: str) -> list[str]:
    return [result.text[s.start : s.end] for s in result.segments if s.kind == kind]


def test_metadata_found(sample: HtmlExtract) -> None:
    assert sample.title == TITLE
    assert sample.published == "2025-04-14"
    assert sample.byline == "Priya Calloway"
    assert sample.site_name == "The Valley Ledger"
    assert sample.language == "en"


@pytest.mark.parametrize(
    "boilerplate",
    [
        "cookie",  # banner
        "Subscribe today",  # navigation menu
        "Obituaries",
        "Share by email",  # share buttons
        "Print this article",
        "Most read",  # sidebar and its teasers
        "County fair returns",
        "School bond vote",
        "morning briefing",  # newsletter box
        "All rights reserved",  # footer
        "Privacy policy",
    ],
)
def test_page_furniture_left_out(sample: HtmlExtract, boilerplate: str) -> None:
    assert boilerplate.lower() not in sample.text.lower()


def test_text_is_title_byline_then_paragraphs(sample: HtmlExtract) -> None:
    title, byline, body = sample.text.split("\n\n", 2)
    assert (title, byline) == (TITLE, "Priya Calloway")
    paragraphs = body.split("\n\n")
    assert len(paragraphs) == 6
    assert paragraphs[0].startswith("Four towns along the Marrow River signed an agreement")
    assert paragraphs[2].startswith('"Nobody got everything they wanted')
    assert paragraphs[-1].endswith("if the accord is approved.")
    assert all(p == p.strip() and "\n" not in p for p in paragraphs)


def test_segment_offsets_exact(sample: HtmlExtract) -> None:
    assert [s.kind for s in sample.segments] == ["title", "byline", "body"]
    assert segment_texts(sample, "title") == [sample.title]
    assert segment_texts(sample, "byline") == [sample.byline]
    [body] = segment_texts(sample, "body")
    assert body.startswith("Four towns") and body.endswith("approved.")
    assert sample.segments[-1].end == len(sample.text)
    # The segments follow each other with exactly one blank line between them.
    for before, after in zip(sample.segments, sample.segments[1:]):
        assert sample.text[before.end : after.start] == "\n\n"


def test_title_not_repeated_in_body(sample: HtmlExtract) -> None:
    assert sample.text.count(TITLE) == 1


def test_heading_repeated_as_first_paragraph_is_dropped() -> None:
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    html = page(f"<article><h2>Weir gates reopen in Darrow Flats</h2>{paragraphs}</article>")
    result = extract_html(html)
    assert result.title is not None and "Weir gates reopen in Darrow Flats" in result.title
    [body] = segment_texts(result, "body")
    assert body.startswith("Mill owners in Darrow Flats")
    assert "Weir gates reopen" not in body


def test_page_without_byline_has_no_byline_segment() -> None:
    result = extract_html(page("<article>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</article>"))
    assert result.byline is None
    assert [s.kind for s in result.segments] == ["title", "body"]
    assert segment_texts(result, "body") == ["\n\n".join(PARAGRAPHS)]


def test_page_without_article_raises_no_article() -> None:
    menu = "".join(f'<li><a href="/s{i}">Section {i}</a></li>' for i in range(30))
    html = page(
        f"<nav><ul>{menu}</ul></nav>"
        '<div class="cookie-banner"><p>We use cookies. Accept all cookies.</p></div>'
        "<footer><p>© 2025 Darrow Courier. All rights reserved.</p></footer>",
        title="Sections | Darrow Courier",
    )
    with pytest.raises(PageError) as caught:
        extract_html(html, source="pages/sections.html")
    assert caught.value.kind == "no_article"
    assert caught.value.source == "pages/sections.html"
    assert "no article text found in HTML" in str(caught.value)


def test_too_short_body_raises_no_article() -> None:
    html = page("<article><p>Gates open Saturday.</p></article>")
    with pytest.raises(PageError) as caught:
        extract_html(html)
    assert caught.value.kind == "no_article"
    assert str(MIN_ARTICLE_CHARS) in caught.value.reason


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "   \n",
        "<html>",
        "<<<>>>",
        "\x00\x01\x02 binary",
        "<p>unclosed <b>tags <i>every",
        "<html><body></body></html>",
        "<html><body><article><p>Hi</p></article></body></html>",
    ],
)
def test_garbage_html_raises_page_error_only(garbage: str) -> None:
    with pytest.raises(PageError) as caught:
        extract_html(garbage)
    assert caught.value.kind == "no_article"
    assert caught.value.source == "<html>"


def latin1_misread(text: str) -> str:
    """``text`` as a UTF-8 page looks after being read as Latin-1 (mojibake: "café" -> "cafÃ©")."""
    return text.encode("utf-8").decode("latin-1")


def test_mojibake_is_repaired_in_the_text_and_metadata_and_the_text_is_normalised() -> None:
    title = "Caf\u00e9 owners back the weir vote in Darrow Flats"
    author = "Jos\u00e9 Marr\u00f3n"
    paragraphs = [
        "\u201cWe kept the gates shut to protect the wheel,\u201d said Jos\u00e9 Marr\u00f3n, who runs the "
        "caf\u00e9 by the ferry landing and has watched the pond dry out twice since last spring.",
        # A no-break space, a soft hyphen and a decomposed accent: the stored form has none of them.
        "The gates open at dawn on Saturday,\u00a0and the council will pub\u00adlish daily water levels "
        "at the landing until the end of May, when the vote will be reviewed by the cafe\u0301 owners.",
    ]
    body = "".join(f"<p>{latin1_misread(p)}</p>" for p in paragraphs)
    html = (f"<html><head><title>{latin1_misread(title)}</title>"
            f'<meta name="author" content="{latin1_misread(author)}"></head>'
            f"<body><article><h1>{latin1_misread(title)}</h1>{body}</article></body></html>")
    result = extract_html(html)
    assert result.title == title
    assert result.byline == author
    [text] = segment_texts(result, "body")
    assert text.startswith("\u201cWe kept the gates shut")
    assert "Saturday, and the council will publish daily" in text
    assert text.endswith("by the caf\u00e9 owners.")
    assert "\u00c3" not in result.text and "\u00e2\u0080" not in result.text
    assert normalise_text(result.text) == result.text
    assert segment_texts(result, "title") == [title]


METADATA_PAGES = {
    "sample": SAMPLE.read_text(encoding="utf-8"),
    "json-ld": '<html><head><title>Ferry fares rise | Quay Times</title><script type="application/ld+json">'
               '{"@context": "https://schema.org", "@type": "NewsArticle", '
               '"headline": "Ferry fares rise on the Marrow", "datePublished": '
               '"2025-04-02", "author": {"@type": "Person", "name": "Ines Garrow"}, "publisher": '
               '{"@type": "Organization", "name": "Quay Times"}}</script></head><body><article><p>'
               + "Fares on the Marrow ferry rise by a tenth from May, the operator said. " * 4
               + "</p></article></body></html>",
    "handle": '<html><head><title>Weir gates reopen</title><meta name="twitter:site" content="@darrowcourier">'
              '<meta name="author" content="Oda Fenn"><link rel="canonical" href="https://darrow.example/a/1">'
              '</head><body><p>' + "The weir gates reopen at dawn on Saturday. " * 5 + "</p></body></html>",
    "bare": page("<p>" + "The council will publish daily water levels at the landing. " * 4 + "</p>"),
}


@pytest.mark.parametrize("name", sorted(METADATA_PAGES))
def test_metadata_is_trafilaturas_less_categories_tags_and_licence(name: str) -> None:
    """``_page_metadata`` writes out trafilatura's ``extract_metadata`` as ``bare_extraction`` calls it,
    less categories, tags and licence (RESULTS 19g): every other field must stay the same, so that a
    change of trafilatura's steps shows here."""
    from trafilatura.metadata import extract_metadata
    from trafilatura.settings import DEFAULT_CONFIG, set_date_params
    from trafilatura.utils import load_html

    from wirescope.io.extract_html import _page_metadata

    tree = load_html(METADATA_PAGES[name])
    params = set_date_params(DEFAULT_CONFIG.getboolean("DEFAULT", "EXTENSIVE_DATE_SEARCH"))
    theirs = extract_metadata(load_html(METADATA_PAGES[name]), None, params).as_dict()
    ours = _page_metadata(tree, None)
    assert ours is not None
    skipped = {"categories", "tags", "license", "body", "commentsbody"}  # the last two: empty elements
    assert {k: v for k, v in ours.as_dict().items() if k not in skipped} == {
        k: v for k, v in theirs.items() if k not in skipped}
    assert theirs["title"]  # the pages exercise the fields
