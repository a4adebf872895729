"""Fictional news pages for the story tests (project-written; every outlet, place and person is
invented): three stories told by three outlets each, a wire story republished by two outlets, and
an unrelated page."""

from __future__ import annotations

import json
from pathlib import Path

# A wire story as the agency sent it; two outlets republish it (one adds a line of its own).
WIRE_BODY = [
    ("Dockworkers at the port of Calderon walked out on Tuesday after talks over pay broke down, "
     "leaving container ships waiting at anchor outside the harbour."),
    ("Union leader Marta Ilves said the terminal operators had refused to discuss overtime rates. "
     "“We will stay out until they talk to us,” Ilves said."),
    "The terminal operators said they regretted the strike and would return to the table.",
]

# (key, story, outlet, url host, day, title, body paragraphs)
PAGES: list[tuple[str, str, str, str, str, str, list[str]]] = [
    ("river-ledger", "river", "Harbour Ledger", "harbourledger.example", "2031-03-02",
     "Veltria and Ostmark sign accord to share the waters of the Sarn river",
     [("Veltria and Ostmark signed an accord on Sunday to share the waters of the Sarn river, ending "
      "a decade of quarrels over dams and irrigation along its lower valley."),
      ("Veltrian foreign minister Irena Valk said the accord guarantees farmers in both countries a "
      "fair share of the Sarn in dry summers. “This river feeds us all,” Valk said."),
      "Under the accord a joint commission will measure the river flow at the Dorn dam each week."]),
    ("river-times", "river", "Northgate Times", "northgatetimes.example", "2031-03-02",
     "Sarn river water accord signed by Veltria and Ostmark after years of dispute",
     [("The governments of Veltria and Ostmark agreed on Sunday to share the Sarn river water, "
      "signing an accord that sets quotas for irrigation and the Dorn dam."),
      ("Ostmark prime minister Tomas Brede called the accord a victory for patience. Farmers’ "
      "unions in the lower Sarn valley had warned of ruined harvests without a deal."),
      "Critics in Ostmark said the quotas favour Veltria during drought years."]),
    ("river-post", "river", "Meridian Post", "meridianpost.example", "2031-03-03",
     "Veltria, Ostmark end Sarn river dispute with water-sharing accord",
     [("After ten years of talks, Veltria and Ostmark have signed a water-sharing accord for the "
      "Sarn river, with a commission to watch the Dorn dam and irrigation canals."),
      ("Irena Valk, Veltria’s foreign minister, said the accord would let farmers in the Sarn valley "
      "plan their harvests again."),
      "Environmental groups said the accord says little about fish stocks in the river."]),
    ("fire-ledger", "fire", "Harbour Ledger", "harbourledger.example", "2031-03-03",
     "Forest fire in Keldmark forces thousands to evacuate",
     [("A forest fire in the northern province of Keldmark forced thousands of residents to evacuate "
      "on Monday as strong winds pushed the flames toward the town of Arnvik."),
      ("Fire chief Lena Osk said crews and water bombers were fighting the blaze on three fronts. "
      "“The wind is our enemy tonight,” Osk said."),
      "Schools in Arnvik were closed and shelters opened in the provincial capital."]),
    ("fire-times", "fire", "Northgate Times", "northgatetimes.example", "2031-03-03",
     "Keldmark wildfire nears Arnvik as residents flee the flames",
     [("Thousands of people fled Arnvik in Keldmark province as a wildfire driven by strong winds "
      "burned through the forest north of the town."),
      ("Lena Osk, the province fire chief, said water bombers were dropping retardant along the "
      "ridge. Officials blamed a campfire for the blaze."),
      "The provincial government declared an emergency for the Keldmark forest district."]),
    ("fire-post", "fire", "Meridian Post", "meridianpost.example", "2031-03-04",
     "Evacuations in Keldmark as forest fire threatens Arnvik",
     [("Evacuation orders covered all of Arnvik on Tuesday as the Keldmark forest fire spread, "
      "with winds gusting through the province overnight."),
      "Fire crews and water bombers held the flames at the ridge, chief Lena Osk said.",
      "Residents described ash falling on the town as they left for shelters."]),
    ("bank-ledger", "bank", "Harbour Ledger", "harbourledger.example", "2031-03-04",
     "Central bank of Ostrava raises interest rate to curb inflation",
     [("The central bank of Ostrava raised its benchmark interest rate by half a point on Tuesday, "
      "saying inflation in consumer prices had stayed high for too long."),
      ("Governor Pavel Marek said the bank was ready to raise rates again. “Prices must come down,” "
      "Marek said."),
      "Mortgage lenders in Ostrava said borrowing costs for homeowners would rise this spring."]),
    ("bank-times", "bank", "Northgate Times", "northgatetimes.example", "2031-03-04",
     "Ostrava central bank lifts rates by half a point as inflation stays high",
     [("Ostrava’s central bank lifted its benchmark interest rate by half a point, its third increase "
      "this year, as consumer price inflation stayed well above its target."),
      ("Governor Pavel Marek told reporters the bank would keep raising rates if inflation did not "
      "slow. Exporters warned that a stronger currency would hurt their sales."),
      "The rate decision was expected by most economists."]),
    ("bank-post", "bank", "Meridian Post", "meridianpost.example", "2031-03-05",
     "Ostrava rate rise: central bank fights inflation with higher interest rate",
     [("Homeowners in Ostrava face higher mortgage costs after the central bank raised its interest "
      "rate to fight inflation."),
      "Pavel Marek, the bank governor, said inflation in consumer prices was hurting families.",
      "Opposition leader Dana Velk said the bank had acted too late."]),
    ("wire-agency", "strike", "Northwind Wire Agency", "northwind.example", "2031-03-04",
     "Dockworkers at the port of Calderon walk out over pay",
     WIRE_BODY),
    ("wire-gazette", "strike", "Valley Gazette", "valleygazette.example", "2031-03-04",
     "Dockworkers at the port of Calderon walk out over pay",
     WIRE_BODY),
    ("wire-courier", "strike", "Coastal Courier", "coastalcourier.example", "2031-03-05",
     "Calderon dockworkers walk out over pay",
     [*WIRE_BODY, "Reporting by Coastal Courier staff."]),
    ("museum", "museum", "Meridian Post", "meridianpost.example", "2031-03-04",
     "Belmora museum reopens its medieval gallery after restoration",
     [("The national museum in Belmora reopened its medieval gallery on Tuesday after a two-year "
      "restoration of its painted ceilings and tapestries."),
      ("Curator Sofia Lind said visitors would see the tapestries in daylight for the first time in a "
      "century.")]),
]

GOLD = {key: story for key, story, *_ in PAGES}
COPIES = {"wire-gazette": "wire-agency", "wire-courier": "wire-agency"}


def page_text(title: str, paragraphs: list[str]) -> str:
    return title + "\n\n" + "\n\n".join(paragraphs) + "\n"


def url_of(key: str) -> str:
    page = next(p for p in PAGES if p[0] == key)
    return f"https://{page[3]}/news/{key}"


def jsonl_rows(keys: list[str] | None = None) -> list[dict[str, str]]:
    rows = []
    for key, _, outlet, _, day, title, paragraphs in PAGES:
        if keys is None or key in keys:
            rows.append({"url": url_of(key), "outlet": outlet, "published": day, "title": title,
                         "text": page_text(title, paragraphs)})
    return rows


def write_jsonl(path: Path, keys: list[str] | None = None) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in jsonl_rows(keys)),
                    encoding="utf-8")
    return path
