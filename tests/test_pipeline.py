"""The Python API end to end: wirescope.analyze and analyze_pages on real inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

import wirescope
from wirescope.records import STATUS_NOT_ANALYSED, RawPage

ROOT = Path(__file__).resolve().parents[1]
WIRE_PAGE = ROOT / "samples" / "wire-page-harbor-talks.txt"
HTML_PAGE = ROOT / "samples" / "html-page-river-accord.html"

FRENCH = (
    "Le conseil municipal a approuvé lundi soir le projet de rénovation du vieux pont de pierre.\n\n"
    "Les travaux commenceront au printemps et dureront environ deux ans, selon la maire de la ville, "
    "qui a promis que la circulation des piétons serait maintenue pendant toute la durée du chantier."
)


def test_analyze_a_path_a_string_and_bytes_alike():
    from_path = wirescope.analyze(WIRE_PAGE)
    text = WIRE_PAGE.read_text(encoding="utf-8")
    from_str = wirescope.analyze(text)
    from_bytes = wirescope.analyze(text.encode("utf-8"))
    assert from_path.document.id == from_str.document.id == from_bytes.document.id
    assert from_path.entities == from_str.entities == from_bytes.entities
    assert from_path.document.source == str(WIRE_PAGE)


def test_only_title_and_body_feed_the_entities():
    analysis = wirescope.analyze(WIRE_PAGE)
    analysed = [s for s in analysis.segments if s.kind in {"title", "body"}]
    for entity in analysis.entities:
        for mention in entity.mentions:
            assert any(s.start <= mention.start and mention.end <= s.end for s in analysed), mention


def test_url_gives_a_stable_id_independent_of_the_text():
    a = wirescope.analyze(WIRE_PAGE, url="https://nwa.example/harbour#top")
    b = wirescope.analyze(WIRE_PAGE.read_text(encoding="utf-8") + "\n\nCorrection appended.",
                          url="https://nwa.example/harbour")
    assert a.document.id == b.document.id
    assert a.document.url == "https://nwa.example/harbour#top"


def test_html_page_gets_metadata_and_body():
    analysis = wirescope.analyze(HTML_PAGE)
    doc = analysis.document
    assert doc.content_type == "html" and doc.title and doc.published and doc.outlet
    assert analysis.segment_text("body") and analysis.entities


def test_non_english_page_is_stored_not_analysed():
    analysis = wirescope.analyze(FRENCH)
    assert analysis.document.language == "fr"
    assert analysis.document.status == STATUS_NOT_ANALYSED
    assert "not analysed" in (analysis.document.status_reason or "")
    assert analysis.entities == ()


def test_unusable_pages_raise_page_error_with_the_reason():
    with pytest.raises(wirescope.PageError) as empty:
        wirescope.analyze("   \n ")
    assert empty.value.kind == "empty"
    with pytest.raises(wirescope.PageError) as nav_only:
        wirescope.analyze("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    assert nav_only.value.kind == "no_article"


def test_analyze_pages_streams_results_and_errors_in_one_batch():
    pages = [
        RawPage(source="one", data=WIRE_PAGE.read_bytes()),
        RawPage(source="empty", data=b""),
        RawPage(source="french", data=FRENCH),
        RawPage(source="two", data=HTML_PAGE.read_bytes(), content_type="html"),
    ]
    results = list(wirescope.analyze_pages(pages, wirescope.Settings(batch_size=2)))
    errors = [r for r in results if isinstance(r, wirescope.PageError)]
    analyses = {r.document.source: r for r in results if not isinstance(r, wirescope.PageError)}
    assert [e.source for e in errors] == ["empty"]
    assert set(analyses) == {"one", "french", "two"}
    assert analyses["one"].entities and analyses["two"].entities and not analyses["french"].entities


def test_two_workers_give_the_same_analyses_as_one():
    pages = [RawPage(source=f"p{i}", data=WIRE_PAGE.read_text(encoding="utf-8") + f"\n\nEdition {i}.")
             for i in range(4)]
    one = [r.to_dict() for r in wirescope.analyze_pages(pages, wirescope.Settings(workers=1, batch_size=2))]
    two = [r.to_dict() for r in wirescope.analyze_pages(pages, wirescope.Settings(workers=2, batch_size=2))]
    assert one == two


def test_canonical_wire_page(shared_dir):
    page = shared_dir / "samples" / "wire-page-us-hamas-talks.txt"
    analysis = wirescope.analyze(page)
    text = analysis.document.text
    assert analysis.document.title == text.splitlines()[0]
    [body] = analysis.segment_text("body")
    assert body.startswith("U.S. President Donald Trump acknowledged")
    assert body.rstrip().endswith("on Hamas’s terms.") or body.rstrip().endswith("(lLKHA)")
    assert any(b.startswith("LEGAL WARNING") for b in analysis.segment_text("boilerplate"))
    teasers = analysis.segment_text("teaser")
    assert [t.split()[0] for t in teasers] == ["Medical", "Venezuelan", "Ukrainian"]
    trump = next(e for e in analysis.entities if e.name == "Donald Trump")
    assert trump.type == "PERSON"
    assert {"Trump", "Donald Trump", "He"} <= {m.text for m in trump.mentions}
    names = {e.name for e in analysis.entities}
    assert not names & {"Nicolás Maduro", "Volodymyr Zelensky", "Vladimir Putin"}  # teasers stay out


def test_analysed_text_blanks_everything_but_title_and_body_and_keeps_offsets():
    from wirescope.prepare import PreparedPage
    from wirescope.records import Document, Segment

    text = "Title here\n\nBody text.\nTeaser of another story."
    page = PreparedPage(Document(id="x", text=text),
                        (Segment(0, 10, "title"), Segment(12, 22, "body"), Segment(23, len(text), "teaser")))
    masked = page.analysed_text()
    assert len(masked) == len(text)
    assert masked[:22] == text[:22] and masked[22] == "\n"
    assert masked[23:].strip() == ""


def test_the_pipeline_imports_trafilatura_only_for_an_html_page():
    # Cold start (issue 19): a text page never needs the HTML extractor's import.
    import subprocess
    import sys

    code = ("import sys; import wirescope.pipeline; from wirescope.prepare import prepare_page; "
            "from wirescope.records import RawPage; from wirescope.settings import Settings; "
            "prepare_page(RawPage('t.txt', 'Harbour talks resume\\n\\nThe union met on Monday.', content_type='text'), "
            "Settings()); assert 'trafilatura' not in sys.modules; "
            "from wirescope.errors import PageError\n"
            "try: prepare_page(RawPage('p.html', '<html><body><p>Too short.</p></body></html>', content_type='html'), "
            "Settings())\nexcept PageError: pass\nassert 'trafilatura' in sys.modules")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_records_become_the_dicts_dataclasses_asdict_makes():
    # records.plain_dict skips asdict's deep copy of every value (issue 19): the same dicts, on a page
    # with every kind of record.
    from dataclasses import asdict

    from test_framing import PAGE as FRAMED_PAGE
    from wirescope.records import plain_dict

    analysis = wirescope.analyze(FRAMED_PAGE, published="2031-05-06")
    assert analysis.entities and analysis.quotes and analysis.events and analysis.framing and analysis.times
    assert plain_dict(analysis) == asdict(analysis)
    assert list(plain_dict(analysis.events[0])) == list(asdict(analysis.events[0]))  # field order too


def test_a_docs_text_is_built_once_and_is_its_text():
    from wirescope.analysis.nlp import doc_text, load_nlp

    doc = load_nlp()("Harbour talks resume.\n\nThe union met on Monday.")
    assert doc_text(doc) == doc.text
    assert doc_text(doc) is doc_text(doc)  # kept, not rebuilt from the tokens
