"""Honest reporting (issue 21, item 4): what the CLI prints never carries a raw control character or
Rich markup from a file name or a page, and every input a directory walk skips is reported with why.

The real CLI (Typer's CliRunner, in process) over a real DuckDB file; pages are fictional.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from wirescope.cli import app
from wirescope.cli.text import printable

runner = CliRunner()

# ESC [ 31 m recolours, ESC [ 2 J clears the screen, the newline forges a line, U+009B is a one-character CSI.
EVIL_NAME = "evil\x1b[31mred\nforged line.txt"
SHOWN_NAME = "evil\\x1b[31mred\\nforged line.txt"
RAW_CONTROLS = ("\x1b", "\x9b", "\x07", "\r")

PAGE = (
    "Ferry board in Varnholm votes to keep the night crossing\n\n"
    "The ferry board of Varnholm voted on Tuesday to keep the night crossing to Skellby open "
    "through the winter. \"The island cannot be cut off after dark,\" said Mara Lindqvist, the "
    "board's chair, after the vote. Operators had asked the board to end the late sailings.\n"
)
OTHER_PAGE = (
    "Skellby harbour opens a new pier for fishing boats\n\n"
    "Skellby harbour opened a new pier for its fishing fleet on Monday, the harbour master "
    "Oskar Brandt said. The pier took two years to build and cost the town council less than planned.\n"
)


def run(*args: object):
    # A wide terminal: a table cell is printed on one line, so a field can be found whole.
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False, env={"COLUMNS": "400"})


def query(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def assert_no_raw_controls(text: str) -> None:
    for raw in RAW_CONTROLS:
        assert raw not in text, f"raw {raw!r} reached the terminal: {text!r}"


# --- control characters -----------------------------------------------------------------------------


def test_printable_makes_every_control_character_a_visible_escape() -> None:
    assert printable("a\x1b[2Jb\x00c\x7fd\x9be\tf\r") == "a\\x1b[2Jb\\x00c\\x7fd\\x9be\\tf\\r"
    assert printable("one\ntwo") == "one\\ntwo"
    assert printable("one\ntwo\x1b", multiline=True) == "one\ntwo\\x1b"
    assert printable("Varnholm Post – «Ferry» [AP] é 中") == "Varnholm Post – «Ferry» [AP] é 中"


def test_a_file_name_with_escape_and_newline_is_shown_escaped(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / EVIL_NAME).write_bytes(b"")  # fails: empty
    db = tmp_path / "w.duckdb"
    result = run("ingest", pages, "--db", db, "--quiet")
    assert result.exit_code == 1, result.output
    assert_no_raw_controls(result.output)
    # One line for the one failure, the name whole and escaped on it, with the kind and reason.
    failure_lines = [line for line in result.stderr.splitlines() if "forged line" in line]
    assert len(failure_lines) == 1 and SHOWN_NAME in failure_lines[0] and "empty" in failure_lines[0]
    assert not any(line.startswith("forged line") for line in result.output.splitlines())
    # The database keeps the name as it is; only what is printed is escaped.
    assert query(db, "SELECT source FROM ingest_errors") == [(str(pages / EVIL_NAME),)]
    errors = run("errors", "--db", db)
    assert_no_raw_controls(errors.output)
    assert SHOWN_NAME in errors.output and "\nforged line" not in errors.output


def test_page_fields_with_controls_and_markup_are_printed_escaped(tmp_path: Path) -> None:
    # A JSON Lines row carries its title, outlet and URL as given: nothing normalises them on the way.
    title = "Ferry\x1b[2J vote [/bold] \x9b31m"
    outlet = "Varnholm\x1b]8;;http://bad.invalid\x07 Post"
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"text": PAGE, "title": title, "outlet": outlet,
                                "url": "https://post.example.invalid/ferry\x1b[0m"}) + "\n", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    result = run("ingest", rows, "--db", db, "--quiet")
    assert result.exit_code == 0, result.output
    (doc_id,) = query(db, "SELECT id FROM documents")[0]

    listed = run("documents", "--db", db)  # "[/bold]" was read as markup here and raised
    assert listed.exit_code == 0, listed.output
    assert_no_raw_controls(listed.output)
    assert printable(title) in listed.output and printable(outlet) in listed.output

    shown = run("show", doc_id[:12], "--db", db)
    assert shown.exit_code == 0, shown.output
    assert_no_raw_controls(shown.output)
    assert "[/bold]" in shown.output and "\\x1b" in shown.output

    for command in ("stories", "quotes", "events", "actors"):
        printed = run(command, "--db", db)
        assert printed.exit_code == 0, (command, printed.output)
        assert_no_raw_controls(printed.output)
    (story_id,) = query(db, "SELECT story_id FROM stories")[0]
    story = run("story", story_id, "--db", db)
    assert story.exit_code == 0, story.output
    assert_no_raw_controls(story.output)
    assert "\\x1b" in story.output


def test_json_output_escapes_controls_and_reads_back_the_same(tmp_path: Path) -> None:
    title = "Ferry\x1b[2J vote \x9b31m\x7f"
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"text": PAGE, "title": title, "outlet": "Varnholm Post"}) + "\n",
                    encoding="utf-8")
    db = tmp_path / "w.duckdb"
    assert run("ingest", rows, "--db", db, "--quiet").exit_code == 0
    listed = run("documents", "--db", db, "--json")
    assert listed.exit_code == 0, listed.output
    assert_no_raw_controls(listed.stdout)
    assert "\x7f" not in listed.stdout and "\\u009b" in listed.stdout
    assert json.loads(listed.stdout)["title"] == title


# --- links in a directory ---------------------------------------------------------------------------


@pytest.fixture
def linked_pages(tmp_path: Path) -> Path:
    """pages/: a page, a link to a page elsewhere, a link to a directory, a dangling link, a link loop
    and a link to an ancestor (which, followed, would walk the tree again and again)."""
    pages, elsewhere = tmp_path / "pages", tmp_path / "elsewhere"
    pages.mkdir()
    elsewhere.mkdir()
    (pages / "ferry.txt").write_text(PAGE, encoding="utf-8")
    (elsewhere / "harbour.txt").write_text(OTHER_PAGE, encoding="utf-8")
    (pages / "harbour-link.txt").symlink_to(elsewhere / "harbour.txt")
    (pages / "more").symlink_to(elsewhere, target_is_directory=True)
    (pages / "gone.txt").symlink_to("missing.txt")
    (pages / "loop").symlink_to("loop")
    (pages / "up").symlink_to("..", target_is_directory=True)
    return pages


def test_links_skipped_in_a_directory_are_reported_and_stored_once(tmp_path: Path, linked_pages: Path) -> None:
    db = tmp_path / "w.duckdb"
    result = run("ingest", linked_pages, "--db", db, "--quiet")
    assert result.exit_code == 1, result.output
    assert "2 stored" in result.stdout and "4 failed" in result.stdout
    # The file behind the link is stored under the link's name; nothing is read through the folder links.
    sources = {row[0] for row in query(db, "SELECT source FROM documents")}
    assert sources == {str(linked_pages / "ferry.txt"), str(linked_pages / "harbour-link.txt")}
    expected = {
        str(linked_pages / "more"): ("symlink", "symbolic link to a directory"),
        str(linked_pages / "up"): ("symlink", "symbolic link to a directory"),
        str(linked_pages / "gone.txt"): ("not_found", "dangling symbolic link to missing.txt"),
        str(linked_pages / "loop"): ("symlink", "symbolic link to loop cannot be followed"),
    }
    stored = {source: (kind, reason) for source, kind, reason in
              query(db, "SELECT source, kind, reason FROM ingest_errors")}
    assert set(stored) == set(expected)
    for source, (kind, reason) in expected.items():
        assert stored[source][0] == kind and stored[source][1].startswith(reason), stored[source]
        assert source in result.stderr and reason in result.stderr  # the ingest failure list says it

    errors = run("errors", "--db", db)
    for source, (_, reason) in expected.items():
        line = next(line for line in errors.output.splitlines() if f"  {source}  " in line)
        assert reason in line

    again = run("ingest", linked_pages, "--db", db, "--quiet")
    assert again.exit_code == 1 and "2 already stored" in again.stdout and "4 failed" in again.stdout
    assert query(db, "SELECT count(*), min(attempts), max(attempts) FROM ingest_errors") == [(4, 2, 2)]
    listed_again = run("errors", "--db", db).output.splitlines()
    assert listed_again[0] == "4 page(s) failed:" and len(listed_again) == 5


def test_a_dangling_link_on_the_command_line_says_so(tmp_path: Path, linked_pages: Path) -> None:
    db = tmp_path / "w.duckdb"
    result = run("ingest", linked_pages / "gone.txt", tmp_path / "nowhere.txt", "--db", db, "--quiet")
    assert result.exit_code == 1
    assert f"{linked_pages / 'gone.txt'}  not_found  dangling symbolic link to missing.txt" in result.stderr
    assert f"{tmp_path / 'nowhere.txt'}  not_found  no such file or directory" in result.stderr


def test_a_linked_directory_named_on_the_command_line_is_read(tmp_path: Path, linked_pages: Path) -> None:
    db = tmp_path / "w.duckdb"
    result = run("ingest", linked_pages / "more", "--db", db, "--quiet")
    assert result.exit_code == 0, result.output
    assert query(db, "SELECT source FROM documents") == [(str(linked_pages / "more" / "harbour.txt"),)]


def test_a_page_then_many_skipped_inputs_ends(tmp_path: Path) -> None:
    # The runner's order window once filled with reader errors and then waited for a worker that had
    # no page: ingest hung for ever. In a subprocess with a timeout, so a regression fails, not hangs.
    (tmp_path / "ferry.txt").write_text(PAGE, encoding="utf-8")
    missing = [str(tmp_path / f"missing-{n}.txt") for n in range(6)]
    db = tmp_path / "w.duckdb"
    cmd = [sys.executable, "-m", "wirescope", "ingest", str(tmp_path / "ferry.txt"), *missing,
           "--db", str(db), "--quiet"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr
    summary = " ".join(done.stdout.split())  # the line is wrapped at the pipe's 80 columns
    assert "1 stored" in summary and "6 failed" in summary
