"""`wirescope extract`: clean text and metadata with no parse (the real CLI, in process and as a process)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from wirescope.cli import app
from wirescope.io import decoding

SAMPLES = Path(__file__).parents[1] / "samples"
runner = CliRunner()

# A fictional wire page as a scraper leaves it: navigation, the story, a teaser of another story.
PAGE = """Home | World | Business | Sport

Ferry operators on Lake Orvell agree winter timetable

By Tomas Reyl

OSTVIK (Northgate Wire) - The three ferry companies serving Lake Orvell agreed on Thursday to run a
shared winter timetable, ending a dispute over landing slots at the Ostvik pier.

"Passengers will no longer wait an hour in the cold," said Lena Varga, who chairs the pier authority.

The timetable starts on 1 December and will be reviewed in March.

Read more: Ostvik council delays vote on new library
"""


def test_extract_prints_the_article_text_without_navigation_or_teasers(tmp_path: Path):
    page = tmp_path / "ferry.txt"
    page.write_text(PAGE, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(page)])
    assert result.exit_code == 0, result.output
    assert "shared winter timetable" in result.output
    assert "Lena Varga" in result.output
    assert "Home | World" not in result.output
    assert "library" not in result.output


def test_extract_json_carries_metadata_and_offsets_into_the_document_text():
    result = runner.invoke(app, ["extract", str(SAMPLES / "html-page-river-accord.html"), "--format", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["title"] and record["outlet"] and record["published"] and record["language"] == "en"
    assert record["paragraphs"] and all(p["end"] > p["start"] for p in record["paragraphs"])
    first = record["text"].split("\n\n")[0]
    assert first and first in record["text"]


def test_extract_offsets_point_into_what_analyze_stores():
    """The offsets are those of the document text `analyze --json` gives for the same page."""
    page = str(SAMPLES / "html-page-river-accord.html")
    extracted = json.loads(runner.invoke(app, ["extract", page, "--format", "json"]).output)
    analysed = json.loads(runner.invoke(app, ["analyze", page, "--json", "--page-timeout", "0"]).output)
    text = analysed["document"]["text"]
    assert analysed["document"]["id"] == extracted["id"]
    pieces = [text[p["start"]:p["end"]].strip() for p in extracted["paragraphs"]]
    assert "\n\n".join(pieces) == extracted["text"]


def test_extract_markdown_has_a_title_heading_and_metadata():
    result = runner.invoke(app, ["extract", str(SAMPLES / "html-page-river-accord.html"), "--format", "markdown"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("# ") and len(lines[0]) > 10
    assert any(line.startswith("- outlet: ") for line in lines)


def test_a_bad_page_is_named_and_the_others_still_come_out(tmp_path: Path):
    good = tmp_path / "ferry.txt"
    good.write_text(PAGE, encoding="utf-8")
    missing = tmp_path / "missing.txt"
    result = runner.invoke(app, ["extract", str(missing), str(good)])
    assert result.exit_code != 0
    assert "shared winter timetable" in result.stdout
    assert "missing.txt" in result.output


def test_extract_does_not_load_spacy():
    """No parse: spaCy is never imported (why extract is fast)."""
    code = ("import sys; from typer.testing import CliRunner; from wirescope.cli import app; "
            f"r = CliRunner().invoke(app, ['extract', {str(SAMPLES / 'wire-page-harbor-talks.txt')!r}]); "
            "assert r.exit_code == 0, r.output; print('spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# A fictional story on a UTF-8 page that was once read as Latin-1 and saved again (mojibake).
STORY = ("\u201cThe ferry will run all winter,\u201d said Ren\u00e9e Ostrander, who chairs the pier "
         "authority in Ostvik, after the three companies agreed a timetable on Thursday. The caf\u00e9 at "
         "the landing will stay open until the last crossing of the day.")


def misread_page(story: str, codec: str) -> str:
    """An HTML page of three paragraphs of ``story`` whose UTF-8 was read as ``codec`` (mojibake)."""
    return ("<html><head><title>Ostvik ferry timetable agreed</title></head><body><article>"
            + "".join(f"<p>{story.encode('utf-8').decode(codec)} Part {n}.</p>" for n in range(3))
            + "</article></body></html>")


MISREAD_PAGE = misread_page(STORY, "latin-1")


def test_a_latin1_misread_page_comes_out_repaired(tmp_path: Path):
    page = tmp_path / "ferry.html"
    page.write_bytes(MISREAD_PAGE.encode("utf-8"))
    result = runner.invoke(app, ["extract", str(page), "--format", "json"])
    assert result.exit_code == 0, result.output
    text = json.loads(result.output)["text"]
    assert text.startswith(STORY)
    assert "\u00c3" not in text and "\u00e2\u0080" not in text


# The same kind of page read as Windows-1252: its mojibake ("cafÃ©", "â€™") is all printable
# characters, which extraction keeps, so only the extracted text needs the repair.
WINDOWS_STORY = ("The caf\u00e9\u2019s owner, Ren\u00e9e Ostrander \u2014 who chairs the pier authority in "
                 "Ostvik \u2014 said the ferry will run all winter now that the three companies have agreed "
                 "a timetable, and that the caf\u00e9 will stay open until the last crossing of the day.")
WINDOWS_PAGE = misread_page(WINDOWS_STORY, "cp1252")


def test_only_the_extracted_text_is_repaired_never_the_raw_html(tmp_path: Path, monkeypatch):
    """Mojibake repair of the whole HTML (markup, scripts, styles) was most of the cost of `extract`;
    where extraction keeps the mojibake intact, only the text taken out of the page is repaired."""
    repaired: list[str] = []
    fix_mojibake = decoding.fix_mojibake

    def recording(text: str) -> str:
        repaired.append(text)
        return fix_mojibake(text)

    monkeypatch.setattr(decoding, "fix_mojibake", recording)
    page = tmp_path / "ferry.html"
    page.write_bytes(WINDOWS_PAGE.encode("utf-8"))
    result = runner.invoke(app, ["extract", str(page)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(WINDOWS_STORY)
    assert repaired and not [text for text in repaired if "<" in text]


def test_extract_fast_runs_trafilatura_in_its_fast_mode(monkeypatch):
    """`--fast` (issue 19, item 4) asks trafilatura for its fast mode and still gives the article."""
    import trafilatura

    asked: list[bool] = []
    real = trafilatura.bare_extraction

    def spy(*args, **kwargs):
        asked.append(kwargs.get("fast", False))
        return real(*args, **kwargs)

    monkeypatch.setattr(trafilatura, "bare_extraction", spy)
    page = str(SAMPLES / "html-page-river-accord.html")
    fast = runner.invoke(app, ["extract", page, "--fast", "--format", "json"])
    assert fast.exit_code == 0, fast.output
    assert asked and all(asked)
    record = json.loads(fast.output)
    assert record["title"] and record["paragraphs"]
    asked.clear()
    assert runner.invoke(app, ["extract", page, "--format", "json"]).exit_code == 0
    assert asked and not any(asked)  # the default keeps what analyze stores
