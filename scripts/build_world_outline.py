"""Build the web UI's world outline (``src/wirescope/serve/web/world-110m.json``) from world-atlas.

world-atlas (ISC licence, by Mike Bostock) packs Natural Earth's 1:110m land polygons (public domain)
as TopoJSON. The map needs only the coastlines as lon/lat rings, so this decodes the TopoJSON arcs
(delta-encoded integers with a scale and translate) once and writes the rings rounded to 0.1 degree:
no TopoJSON library in the browser, nothing fetched at run time.

    cd /tmp && npm pack world-atlas@2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/build_world_outline.py /tmp/package/land-110m.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src/wirescope/serve/web/world-110m.json"
NOTICE = ("Land outline: Natural Earth 1:110m land (public domain, naturalearthdata.com), via world-atlas 2.0.2 "
          "(ISC licence, Copyright 2013-2019 Michael Bostock), decoded by scripts/build_world_outline.py.")


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    scale, translate = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]  # ~i: arc i reversed
        points.extend(arc if not points else arc[1:])
    rounded = [[round(lon, 1), round(lat, 1)] for lon, lat in points]
    return [p for i, p in enumerate(rounded) if i == 0 or p != rounded[i - 1]]


def main(path: str) -> None:
    topology = json.loads(Path(path).read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    rings = []
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings += [ring(part, arcs) for polygon in polygons for part in polygon]
    OUT.write_text(json.dumps({"notice": NOTICE, "rings": [r for r in rings if len(r) > 2]},
                              separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size / 1000:.0f} kB, {len(rings)} rings)")


if __name__ == "__main__":
    main(sys.argv[1])
