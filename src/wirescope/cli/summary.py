"""Readable terminal summaries (Rich) of analyses and ingest runs."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from wirescope.cli.text import add_plain_row, plain, printable
from wirescope.records import STATUS_NOT_ANALYSED, Analysis, Event, EventActor, Place, Quote

PREVIEW_CHARS = 70
DOC_ID_CHARS = 12  # a prefix `show` accepts, like a short git hash
UNDATED = "undated"  # shown where an undated page's date would be: never the day it was stored


def shown_date(value: object) -> str:
    """A date as stored, or "undated" for a page that gave none."""
    return str(value) if value else UNDATED


def _preview(text: str, limit: int = PREVIEW_CHARS) -> str:
    """The text on one line, printable, cut to ``limit`` characters."""
    flat = printable(" ".join(text.split()))
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def segments_table(analysis: Analysis) -> Table:
    table = Table(title="Page segments", title_justify="left", expand=False)
    table.add_column("kind", style="bold")
    table.add_column("chars", justify="right")
    table.add_column("span", justify="right", style="dim")
    table.add_column("text")
    styles = {"body": "green", "title": "bold cyan", "teaser": "yellow", "boilerplate": "dim"}
    for seg in analysis.segments:
        text = analysis.document.text[seg.start : seg.end]
        add_plain_row(table, Text(seg.kind, style=styles.get(seg.kind, "")), seg.end - seg.start,
                      f"{seg.start}-{seg.end}", _preview(text))
    return table


def entities_table(analysis: Analysis) -> Table:
    table = Table(title="Who is in it", title_justify="left")
    table.add_column("id", style="dim")
    table.add_column("entity", style="bold")
    table.add_column("type")
    table.add_column("code")  # CAMEO actor code from the actor layer
    table.add_column("mentions", justify="right")
    table.add_column("as written")
    for entity in sorted(analysis.entities, key=lambda e: (-len(e.mentions), e.id)):
        forms = Counter(m.text for m in entity.mentions)
        written = ", ".join(f"{form} ×{n}" if n > 1 else form for form, n in forms.most_common(6))
        add_plain_row(table, entity.id, entity.name, entity.type, entity.code, len(entity.mentions), written)
    return table


def _speaker_label(quote: Quote) -> str:
    if quote.speaker is None:
        return "(unattributed)"
    return quote.speaker.name or quote.speaker.text


def who_said_what_table(analysis: Analysis) -> Table:
    """The page's quotes grouped by speaker, speakers in order of their first quote."""
    table = Table(title="Who said what", title_justify="left")
    table.add_column("speaker", style="bold")
    table.add_column("kind")
    table.add_column("cue", style="cyan")
    table.add_column("span", justify="right", style="dim")
    table.add_column("content")
    groups: dict[str, list[Quote]] = {}
    for quote in analysis.quotes:
        groups.setdefault(_speaker_label(quote), []).append(quote)
    for label, quotes in groups.items():
        for n, quote in enumerate(quotes):
            add_plain_row(table, label if n == 0 else "", quote.kind, quote.cue.text if quote.cue else "",
                          f"{quote.content.start}-{quote.content.end}", _preview(quote.content.text))
    return table


def quotes_table(found: list[tuple[str, Quote]], title: str) -> Table:
    """Quotes across stored documents (``wirescope quotes``)."""
    table = Table(title=plain(title), title_justify="left")
    table.add_column("doc", no_wrap=True, style="dim")
    table.add_column("speaker", style="bold")
    table.add_column("kind")
    table.add_column("cue", style="cyan")
    table.add_column("span", justify="right", no_wrap=True, style="dim")
    table.add_column("content", ratio=3)
    for doc_id, quote in found:
        add_plain_row(table, doc_id[:DOC_ID_CHARS], _speaker_label(quote), quote.kind,
                      quote.cue.text if quote.cue else "",
                      f"{quote.content.start}-{quote.content.end}", _preview(quote.content.text))
    return table


def _sides_label(sides: tuple[EventActor, ...]) -> str:
    """"Donald Trump (USAGOV)", compound sides joined with " + "."""
    return " + ".join(f"{s.name or s.text} ({s.code})" if s.code else (s.name or s.text) for s in sides)


def _event_flags(event: Event) -> str:
    flags = [f for f, on in (("negated", event.negated), ("hypothetical", event.hypothetical)) if on]
    if event.quote:
        flags.append(f"in quote {event.quote}")
    return ", ".join(flags)


def _add_event_columns(table: Table) -> None:
    table.add_column("actor", style="bold")
    table.add_column("event", style="magenta", no_wrap=True)
    table.add_column("recipient", style="bold")
    table.add_column("trigger", style="cyan")
    table.add_column("flags", style="yellow")
    table.add_column("×", justify="right")


def _event_cells(event: Event) -> list[str]:
    etype = f"{event.type}/{event.mode}" if event.mode else event.type
    return [_sides_label(event.actors) or "—", f"→ {etype} →", _sides_label(event.recipients) or "—",
            event.trigger.text, _event_flags(event), str(len(event.mentions or (event.trigger,)))]


def events_table(analysis: Analysis) -> Table:
    """Who did what to whom: actor -> TYPE -> recipient with codes, flags and mention count."""
    table = Table(title="Who did what to whom", title_justify="left")
    table.add_column("id", style="dim")
    _add_event_columns(table)
    for event in analysis.events:
        add_plain_row(table, event.id, *_event_cells(event))
    return table


def events_list_table(found: list[tuple[str, Event]], title: str) -> Table:
    """Events across stored documents (``wirescope events``)."""
    table = Table(title=plain(title), title_justify="left")
    table.add_column("doc", no_wrap=True, style="dim")
    table.add_column("id", style="dim")
    _add_event_columns(table)
    for doc_id, event in found:
        add_plain_row(table, doc_id[:DOC_ID_CHARS], event.id, *_event_cells(event))
    return table


def documents_table(rows: list[dict[str, Any]], title: str) -> Table:
    """Stored documents (``wirescope documents``), each with its published date or "undated"."""
    table = Table(title=plain(title), title_justify="left")
    table.add_column("id", no_wrap=True, min_width=16)  # ids are what `show` takes: never cut them
    table.add_column("title", ratio=3)
    table.add_column("outlet", ratio=1)
    table.add_column("published", no_wrap=True, min_width=10)
    table.add_column("lang", no_wrap=True, min_width=4)
    table.add_column("status", no_wrap=True, min_width=12)
    for row in rows:
        add_plain_row(table, row["id"], row["title"], row["outlet"], shown_date(row["published"]),
                      row["language"], row["status"])
    return table


def place_label(place: Place) -> str:
    """"Paris, Texas, US": the place, its first-level area and its country (ISO code)."""
    area = place.admin1_name if place.admin1_name and place.admin1_name != place.name else None
    return ", ".join(part for part in (place.name, area, place.country) if part)


def render_analysis(analysis: Analysis, console: Console) -> None:
    doc = analysis.document
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim")
    facts.add_column()
    for label, value in (("id", doc.id), ("source", doc.source), ("url", doc.url), ("outlet", doc.outlet),
                         ("published", shown_date(doc.published)), ("byline", doc.byline),
                         ("language", doc.language), ("places", "; ".join(map(place_label, doc.places))),
                         ("status", doc.status_reason or doc.status)):
        if value:
            facts.add_row(label, plain(value))
    kinds = Counter(s.kind for s in analysis.segments)
    chars: Counter[str] = Counter()
    for s in analysis.segments:
        chars[s.kind] += s.end - s.start
    facts.add_row("page", ", ".join(f"{k} {kinds[k]} ({chars[k]} chars)" for k in kinds))
    console.print(Panel(Group(facts), title=Text(printable(doc.title or "(no title)"), style="bold"), expand=False))
    console.print(segments_table(analysis))
    if doc.status == STATUS_NOT_ANALYSED:
        return
    if analysis.entities:
        console.print(entities_table(analysis))
    else:
        console.print("[dim]No named entities found in title and body.[/dim]")
    if analysis.quotes:
        console.print(who_said_what_table(analysis))
    else:
        console.print("[dim]No quotes found in title and body.[/dim]")
    if analysis.events:
        console.print(events_table(analysis))
    else:
        console.print("[dim]No events found in title and body.[/dim]")
    render_framing(analysis, console)


def framing_lines(analysis: Analysis) -> Group:
    """How the page is framed: a summary line, then each flagged span with why, its neutral
    alternative and whose words it is (lines, not a table: explanations stay readable when narrow)."""
    from wirescope.analysis.framing.summary import framing_summary  # framing loads its lexicons lazily

    summary = framing_summary(analysis)
    counts = ", ".join(f"{kind} {n}" for kind, n in summary["counts"].items() if n) or "nothing flagged"
    head = Text.assemble(("How it is framed", "bold"), f": {counts}")
    if summary["outlet_voice_share"] is not None:
        head.append(f"; loaded wording in the outlet's own voice: {summary['loaded_outlet_voice']} of "
                    f"{summary['loaded_total']} ({summary['outlet_voice_share']:.0%})")
    lines: list[Text | Padding] = [head]
    for item in analysis.framing:
        line = Text.assemble((item.kind, "red" if not item.in_quote else "dim"), " ",
                             (f"{item.start}-{item.end}", "dim"), " ", (_preview(item.text), "bold"))
        if item.neutral is not None:
            line.append(f" → {printable(item.neutral or '(delete)')}", style="green")
        if item.in_quote:
            speaker = printable(item.speaker or "unnamed speaker")
            line.append(f"  [in quote {printable(item.quote or '-')} by {speaker}]", style="cyan")
        else:
            line.append("  [outlet voice]", style="yellow")
        if item.score is not None:
            line.append(f" score {item.score:.2f}")
        why = f"{item.category}: {item.explanation}" if item.category else (item.explanation or "")
        lines.append(line)
        lines.append(Padding(Text(printable(why), style="dim"), (0, 0, 0, 4)))
    return Group(*lines)


def render_framing(analysis: Analysis, console: Console) -> None:
    if analysis.framing:
        console.print(framing_lines(analysis))
    else:
        console.print("[dim]No loaded wording or unattributed claims found in title and body.[/dim]")


def neutral_payload(analysis: Analysis) -> dict[str, Any]:
    """One page of ``wirescope neutral --json``: original, neutral reading, substitutions, framing summary."""
    from wirescope.analysis.framing.summary import framing_summary, neutral_reading, original_reading, substitutions

    doc = analysis.document
    return {"document": doc.id, "source": doc.source, "title": doc.title, "original": original_reading(analysis),
            "neutral": neutral_reading(analysis), "substitutions": [f.to_dict() for f in substitutions(analysis)],
            "summary": framing_summary(analysis)}


def render_neutral(analysis: Analysis, original: str, neutral: str, console: Console, min_width: int = 120) -> None:
    """The article next to its neutral reading, paragraph by paragraph so the two stay aligned;
    one after the other on a narrow terminal."""
    console.print(Text(printable(analysis.document.title or "(no title)"), style="bold"))
    left, right = original.split("\n"), neutral.split("\n")
    if console.width >= min_width and len(left) == len(right):
        table = Table(expand=True, show_lines=True)
        table.add_column("original", ratio=1)
        table.add_column("neutral reading", ratio=1)
        for before, after in zip(left, right):
            if before.strip() or after.strip():
                # Text, not str: page text is never read as Rich markup ("[AP]" stays as written).
                table.add_row(plain(before), Text(printable(after), style="green" if after != before else "default"))
        console.print(table)
    else:
        console.print(Panel(plain(original, multiline=True), title="original", title_align="left"))
        console.print(Panel(plain(neutral, multiline=True), title="neutral reading", title_align="left",
                            border_style="green"))
