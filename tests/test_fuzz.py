"""Issue 21, item 6: generated hostile pages through the readers and the pipeline (a bounded run;
``bench/fuzz.py`` runs longer). Every page comes out as an analysis whose spans point into its text
or as a PageError naming a reason, never as an exception or an analyser's internal failure, and
within the page budget."""

from __future__ import annotations

import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz_pages import pages
from wirescope.errors import PageError
from wirescope.io.readers import iter_pages, jsonl_page
from wirescope.pipeline import analyze_page
from wirescope.records import Analysis, RawPage
from wirescope.settings import Settings

# In this process (page_timeout_s=0) so that hypothesis sees the page that failed; each page must
# still finish well inside the default budget of 30 s.
SETTINGS = Settings(page_timeout_s=0)
PAGE_SECONDS = 20.0


def check_result(result: Analysis | PageError | None) -> None:
    assert result is not None
    if isinstance(result, PageError):
        assert result.kind != "internal", result.reason
        assert result.reason
        return
    text = result.document.text
    for entity in result.entities:
        for mention in entity.mentions:
            assert 0 <= mention.start < mention.end <= len(text)
            assert text[mention.start : mention.end] == mention.text
    for item in result.framing:
        assert text[item.start : item.end] == item.text


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(page=pages())
def test_generated_pages_are_analysed_or_refused_with_a_reason(page: bytes | str):
    started = time.monotonic()
    check_result(analyze_page(RawPage("<fuzz>", page), SETTINGS))
    assert time.monotonic() - started < PAGE_SECONDS


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(line=st.one_of(st.binary(max_size=400), st.text(max_size=400)))
def test_generated_json_lines_are_pages_or_errors(line: bytes | str):
    result = jsonl_page(line, "<fuzz>:1")
    assert isinstance(result, RawPage | PageError)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(data=st.binary(max_size=2000), name=st.sampled_from(("page.txt", "page.html", "p.jsonl", "p.warc", "p.gz")))
def test_generated_files_are_read_as_pages_or_errors(tmp_path_factory, data: bytes, name: str):
    path = Path(tmp_path_factory.mktemp("fuzz")) / name
    path.write_bytes(data)
    for result in iter_pages([str(path)], SETTINGS):
        assert isinstance(result, RawPage | PageError)
