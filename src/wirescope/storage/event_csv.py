"""Events as a CSV download (``GET /events?format=csv``), and the cell escaping every CSV of the API uses."""

from __future__ import annotations

import csv
import io
from typing import Any


def _names(actors: list[dict[str, Any]], key: str = "name") -> str:
    return "; ".join(str(a.get(key) or (a.get("text") if key == "name" else "") or "") for a in actors)


def csv_cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet will not run as a formula (OWASP CSV injection advice)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


CSV_COLUMNS = ("doc_id", "event_id", "day", "outlet", "type", "polarity", "actors", "actor_codes",
               "recipients", "recipient_codes", "trigger", "negated", "hypothetical", "quote_id",
               "confidence", "mention_count", "sentence")


def events_csv(items: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for e in items:
        writer.writerow([csv_cell(v) for v in (
            e["doc_id"], e["id"], e["day"], e["outlet"], e["type"], e["polarity"],
            _names(e["actors"]), _names(e["actors"], "code"), _names(e["recipients"]),
            _names(e["recipients"], "code"), e["trigger"], e["negated"], e["hypothetical"], e["quote"],
            e["confidence"], e["mention_count"], e["sentence"])])
    return out.getvalue()
