"""The municipality map: the 98 municipalities as a tile grid, grouped by region, drawn at build time.

Not a geographic map: the tiles of a region are in alphabetical order, so the picture claims no
geography beyond each municipality's region (toolbox/vocabularies/municipalities.yml). The template
(municipality_map.html) draws it as SVG; this module only works out where each tile goes.
"""

from __future__ import annotations

from . import vocab

COLUMNS = 6                    # tiles per row
TILE_W, TILE_H, GAP = 100, 38, 4
HEADING_H = 26                 # a region's name above its tiles
LONG_NAME = 13                 # names longer than this are squeezed to fit the tile (SVG textLength)


def tile_map(counts: dict[str, int], columns: int = COLUMNS) -> dict:
    """The map's geometry and text: for each region (in regions.yml order) its heading and tiles,
    each tile with its municipality's name and number of cases; `columns` tiles to a row."""
    municipalities, regions = vocab.load("municipalities"), vocab.load("regions")
    y, groups = 0, []
    for region in regions.terms:
        members = sorted((t for t in municipalities.terms if t.extra.get("region") == region.value),
                         key=lambda t: danish_key(t.label))
        tiles = []
        for k, term in enumerate(members):
            row, col = divmod(k, columns)
            count = counts.get(term.value, 0)
            tiles.append({"name": term.label, "count": count,
                          "x": col * (TILE_W + GAP), "y": y + HEADING_H + row * (TILE_H + GAP),
                          "squeeze": TILE_W - 10 if len(term.label) > LONG_NAME else None})
        rows = -(-len(members) // columns)
        groups.append({"label": region.label, "y": y + HEADING_H - 8, "tiles": tiles,
                       "with_cases": sum(1 for t in tiles if t["count"])})
        y += HEADING_H + rows * (TILE_H + GAP) + 10
    return {"groups": groups, "width": columns * (TILE_W + GAP) - GAP, "height": y - 10,
            "tile_w": TILE_W, "tile_h": TILE_H, "total": len(municipalities.terms),
            "with_cases": sum(1 for v in counts.values() if v)}


def danish_key(name: str) -> str:
    """A sort key in Danish alphabetical order: æ, ø, å after z, and 'aa' counted as 'å' (Aabenraa
    after Vordingborg)."""
    folded = name.casefold().replace("aa", "å")
    return folded.translate(str.maketrans({"æ": "{", "ø": "|", "å": "}"}))


def region_problems() -> list[str]:
    """What is wrong with the regions of the municipality vocabulary: a municipality without a known
    region (each must have one of regions.yml)."""
    known = set(vocab.load("regions").values)
    return [f"kommunen {t.value!r} har regionen {t.extra.get('region')!r}, som ikke findes i regions.yml"
            for t in vocab.load("municipalities").terms if t.extra.get("region") not in known]
