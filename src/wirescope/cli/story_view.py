"""Readable terminal views (Rich) of stories: the list, and one story with its coverage."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from wirescope.cli.summary import DOC_ID_CHARS, _preview, shown_date
from wirescope.cli.text import add_plain_row, plain, printable

QUOTES_PER_SPEAKER = 3


def _doc_line(doc: dict[str, Any]) -> Text:
    line = Text()
    line.append(printable(doc["id"][:DOC_ID_CHARS]), style="bold")
    line.append(f"  {printable(doc['outlet'] or '')}")
    if doc.get("duplicate_of"):
        line.append(f"  copy of {printable(doc['duplicate_of'][:DOC_ID_CHARS])}", style="yellow")
    if doc.get("url"):
        line.append(f"\n  {printable(doc['url'])}", style="dim")
    return line


def _joined(values: list[str]) -> str:
    """Names or outlets on one line, each printable."""
    return ", ".join(printable(value) for value in values)


def stories_table(stories: list[dict[str, Any]], title: str) -> Table:
    table = Table(title=plain(title), title_justify="left", show_lines=True)
    table.add_column("story", no_wrap=True, min_width=17)  # the id `wirescope story` takes
    table.add_column("headline", ratio=2)
    table.add_column("seen", no_wrap=True)
    table.add_column("outlets", ratio=1)
    # URLs are folded, never cut: they are what a reader copies.
    table.add_column("documents (id, outlet, url)", ratio=3, overflow="fold")
    for story in stories:
        seen = printable(shown_date(story["first_seen"]))
        if story["last_seen"] and story["last_seen"] != story["first_seen"]:
            seen += f"\n{printable(story['last_seen'])}"
        docs = Text("\n").join(_doc_line(d) for d in story["documents"])
        add_plain_row(table, story["id"], story["headline"], Text(seen), _joined(story["outlets"]), docs)
    return table


def _events_table(events: list[dict[str, Any]]) -> Table:
    table = Table(title="Timeline of events", title_justify="left")
    for column in ("first seen", "event", "who", "to whom", "sources", "outlets"):
        table.add_column(column)
    for event in events:
        kind = ("not " if event.get("negated") else "") + event["type"]
        add_plain_row(table, shown_date(event["first_seen"]), kind, _joined(event["actors"]),
                      _joined(event["recipients"]), event["sources"], _joined(event.get("outlets", [])))
    return table


def _quotes_table(quotes: dict[str, list[dict[str, Any]]]) -> Table:
    table = Table(title="Who is quoted", title_justify="left")
    table.add_column("speaker", style="bold")
    table.add_column("quotes", justify="right")
    table.add_column("outlets")
    table.add_column("what (first quotes)", ratio=3)
    ranked = sorted(quotes.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    for speaker, said in ranked:
        outlets = _joined(list(dict.fromkeys(q["outlet"] for q in said)))
        lines = "\n".join(f"“{_preview(q['text'])}”" for q in said[:QUOTES_PER_SPEAKER])
        add_plain_row(table, speaker, len(said), outlets, Text(lines))
    return table


def _coverage_table(coverage: list[dict[str, Any]]) -> Table:
    table = Table(title="Coverage by outlet: what only it reported, and how it framed it",
                  title_justify="left", show_lines=True)
    table.add_column("outlet", style="bold")
    table.add_column("only here", ratio=3)
    table.add_column("framing", ratio=1)
    table.add_column("rating")
    for entry in coverage:
        only = entry["only_here"]
        lines = []
        if only["speakers"]:
            lines.append("quotes " + _joined(only["speakers"]))
        lines.extend(f"“{_preview(q['text'], 60)}” ({printable(q['speaker'] or 'unattributed')})"
                     for q in only["quotes"][:QUOTES_PER_SPEAKER])
        if len(only["quotes"]) > QUOTES_PER_SPEAKER:
            lines.append(f"… {len(only['quotes']) - QUOTES_PER_SPEAKER} more quotes")
        lines.extend(f"event {e['type']}: {_joined(e['actors']) or '?'} → {_joined(e['recipients']) or '?'}"
                     for e in only["events"])
        if only["entities"]:
            lines.append("names " + _joined(only["entities"]))
        sentences = only.get("sentences", [])
        lines.extend(f"{statement_label(x)}: {_preview(x['text'], 70)}" for x in sentences[:QUOTES_PER_SPEAKER])
        if len(sentences) > QUOTES_PER_SPEAKER:
            lines.append(f"… {len(sentences) - QUOTES_PER_SPEAKER} more sentences only here")
        if entry.get("share"):
            lines.append(share_line(entry["share"]))
        framing = entry["framing"]
        counts = [f"{kind} {n}" for kind, n in framing.items() if kind != "terms" and n]
        if framing["terms"]:
            counts.append("terms: " + _joined(framing["terms"][:6]))
        add_plain_row(table, Text(f"{printable(entry['outlet'] or '')}\n{len(entry['documents'])} doc(s)"),
                      Text("\n".join(lines) or "—"), Text("\n".join(counts) or "—"), _rating_cell(entry.get("rating")))
    return table


def statement_label(sentence: dict[str, Any]) -> str:
    """What a sentence only one outlet has is: a quote (with its speaker), a claim, or a fact the
    outlet states. Records from before the labels have no ``kind``: they say "sentence", not "fact"."""
    kind = sentence.get("kind")
    if kind == "quote":
        return f"quote ({printable(sentence.get('speaker') or 'unattributed')})"
    if kind == "claim":
        return "claim"
    return "fact" if kind == "fact" else "sentence"


def share_line(share: dict[str, Any]) -> str:
    """The outlet's part of the story in numbers: merged events covered (shared, only here)."""
    events = share["events"]
    shared = events["covered"] - events["only_here"]
    return (f"covers {events['covered']} of {events['story']} events "
            f"({shared} shared, {events['only_here']} only here)")


def _rating_cell(rating: dict[str, Any] | None) -> Text:
    """An outlet's lean and factuality from the --ratings file, one a line."""
    if not rating:
        return Text()
    return Text(f"lean {printable(str(rating.get('lean') or '?'))}\n"
                f"factuality {printable(str(rating.get('factuality') or '?'))}")


def _documents_table(documents: list[dict[str, Any]]) -> Table:
    table = Table(title="Documents", title_justify="left")
    table.add_column("id", no_wrap=True, min_width=DOC_ID_CHARS)  # what `wirescope show` takes
    table.add_column("outlet")
    table.add_column("published", no_wrap=True)
    table.add_column("title", ratio=2)
    table.add_column("url", ratio=2, overflow="fold")
    for doc in documents:
        title = doc["title"] or ""
        if doc.get("duplicate_of"):
            title += f" [copy of {doc['duplicate_of'][:DOC_ID_CHARS]}]"
        add_plain_row(table, doc["id"][:DOC_ID_CHARS], doc["outlet"], shown_date(doc["published"]), title,
                      doc["url"])
    return table


def render_story(story: dict[str, Any], console: Console) -> None:
    actors = ", ".join(f"{printable(a['name'])} ({a['documents']})" for a in story["key_actors"])
    head = Table.grid(padding=(0, 2))
    add_plain_row(head, "id", story["id"])
    add_plain_row(head, "seen", f"{shown_date(story['first_seen'])} to {shown_date(story['last_seen'])}")
    add_plain_row(head, "outlets", _joined(story["outlets"]))
    add_plain_row(head, "key actors", Text(actors or "—"))
    console.print(Panel(head, title=plain(story["headline"] or story["id"]), title_align="left"))
    console.print(_documents_table(story["documents"]))
    if story["events"]:
        console.print(_events_table(story["events"]))
    else:
        console.print("No events coded for this story's documents.")
    if story["quotes_by_speaker"]:
        console.print(_quotes_table(story["quotes_by_speaker"]))
    console.print(_coverage_table(story["coverage"]))
