"""Adjudication v4: three rulings of guidelines v1-v3 departed from the PLOVER manual; the events
they labelled are re-labelled here, one by one, after the lead read each (issue 15).

    python bench/event_corpus/adjudicate.py          # rewrites annotations.jsonl (idempotent)

1. International (political or economic) sanctions are SANCTION mode `discontinue' (manual,
   SANCTION modes), not COERCE `restrict' as the 2021 conversion table's 163 had it. Church
   discipline (a pope's sanctions on a cardinal) stays COERCE (administrative sanctions, 172).
2. Convictions are SANCTION mode `convict' (manual), not DISAPPROVE (116).
3. Cancelling a meeting or visit is REJECT (manual, SANCTION ambiguities: "Cancellation of meetings
   are REJECT"), mode `meet'.
Each row: unit id, the old type, the trigger's first characters (to find the event), new type, mode.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import ANNOTATIONS, read_jsonl, units_by_id  # noqa: E402

SANCTIONS = ("u00181", "u00488", "u01035", "u01039", "u01040", "u01041", "u01042", "u01043", "u01045",
             "u01046", "u01327", "u01678", "u01759", "u02417", "u03159", "u03191", "u03192", "u03197")
CONVICTIONS = ("u00298", "u00342", "u00353", "u02535", "u03557")
CANCELLED_VISITS = ("u01000", "u01001", "u01002", "u01003", "u01004", "u01005", "u01006")
RULINGS = ([(u, "COERCE", "sanction", "SANCTION", "discontinue") for u in SANCTIONS]
           + [(u, "DISAPPROVE", "", "SANCTION", "convict") for u in CONVICTIONS]
           + [(u, "SANCTION", "cancel", "REJECT", "meet") for u in CANCELLED_VISITS])


def main() -> None:
    rows = read_jsonl(ANNOTATIONS)
    units = units_by_id()
    by_id = {r["id"]: r for r in rows}
    changed = 0
    for unit_id, old, trigger_start, new, mode in RULINGS:
        text = units[unit_id].text
        for event in by_id[unit_id]["events"]:
            trigger = text[event["trigger"][0]:event["trigger"][1]].lower()
            if event["type"] == old and trigger_start in trigger:
                event["type"], event["mode"] = new, mode
                changed += 1
    ANNOTATIONS.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    print(f"{changed} events re-labelled ({len(RULINGS)} rulings)")


if __name__ == "__main__":
    main()
