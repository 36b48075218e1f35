"""The gap report: one self-contained HTML file (inline CSS and SVG, no script, no external
file), in Dutch or English, nationally or for a region, optionally for one provider."""

from __future__ import annotations

import csv
import html
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pandas as pd
import sqlite_utils

from llo_supply import __version__
from llo_supply.catalogue import utcnow
from llo_supply.health import health_report
from llo_supply.match import (
    Market,
    Scope,
    Thresholds,
    cells,
    evidence,
    gaps,
    known_providers,
    labels,
    load_market,
    provider_coverage,
    records,
)
from llo_supply.taxonomy import read_gz, skill_group_codes, taxonomy_dir

CHART_LEVELS = ("skill-group", "isco4", "sector")
COLOURS = {"ja-ja": "#2f6fb0", "ja-nee": "#c0392b", "nee-ja": "#e08e0b", "nee-nee": "#9aa0a6"}
TRANSITION_COLOUR = "#1e8449"
TOP = 10
LABELLED = 8

TEXT: dict[str, dict[str, str]] = {
    "nl": {
        "title": "LLO-monitor: aanbod en vraag",
        "for_provider": "voor {provider}",
        "scope_national": "Nederland",
        "scope_region": "arbeidsmarktregio {region}",
        "generated": "Gemaakt op {now} met llo-supply {version} uit {vacancies} vacatures en "
        "{courses} cursussen van {providers} aanbieders.",
        "intro": "Per vaardigheid, beroep en sector: is er vraag (vacatures) en is er aanbod "
        "(cursussen)? De vier kwadranten volgen de LLO-Radar van het ROA: ja-ja, ja-nee "
        "(vraag zonder aanbod: een tekort), nee-ja (aanbod zonder vraag) en nee-nee.",
        "chart_title": "Vraag en aanbod per {level}",
        "chart_note": "Horizontaal het aandeel cursussen, verticaal het aandeel vacatures "
        "(wortelschaal). De lijnen zijn de drempels: vanaf {demand_at} vacatures is er vraag, "
        "vanaf {supply_at} cursussen aanbod. Groen omcirkeld: energie- en "
        "grondstoffentransitie.",
        "x_axis": "aandeel cursussen",
        "y_axis": "aandeel vacatures",
        "gaps_title": "Grootste tekorten (ja-nee): vraag zonder aanbod",
        "surplus_title": "Aanbod zonder vraag (nee-ja)",
        "examples": "voorbeelden",
        "provider_title": "{provider}: dekking en tekorten",
        "coverage": "{provider} biedt {own} van de {demanded} beroepen met vraag aan; een "
        "andere aanbieder gemiddeld {others}.",
        "market_gap": "niemand biedt het aan",
        "competitors": "concurrenten bieden het aan",
        "surplus": "eigen aanbod zonder vraag",
        "trend_title": "Aanbod door de tijd",
        "trend_note": "Cursussen per crawl-dag en sector (de zes grootste), per crawl-dag de "
        "toegevoegde, gewijzigde en verdwenen cursussen, en die per sector in de tabel.",
        "added": "toegevoegd",
        "changed": "gewijzigd",
        "removed": "verdwenen",
        "health_title": "Actualiteit en crawl-gezondheid",
        "health_note": "Waar een aanbieder niet gezond gecrawld is, kan 'geen aanbod' ook "
        "'niet gezien' betekenen; zulke cellen zijn onzeker.",
        "none": "geen",
        "transition": "energie- en grondstoffentransitie",
        "uncertain": "onzeker",
        "attribution_title": "Bronnen",
        "level_skill-group": "vaardigheidsgroep (ESCO)",
        "level_isco4": "beroep (ISCO-08, 4 cijfers)",
        "level_isco2": "beroepsgroep (ISCO-08, 2 cijfers)",
        "level_sector": "sector (SBI 2025)",
        "level_skill": "vaardigheid (ESCO)",
        "level_occupation": "beroep (ESCO)",
        "col_cell": "cel",
        "col_demand": "vacatures",
        "col_supply": "cursussen",
        "col_providers": "aanbieders",
        "col_finding": "bevinding",
        "col_provider": "aanbieder",
        "col_status": "status",
        "col_finished": "laatste crawl",
        "col_courses": "cursussen",
        "col_reason": "toelichting",
        "col_day": "dag",
    },
    "en": {
        "title": "LLO monitor: supply and demand",
        "for_provider": "for {provider}",
        "scope_national": "the Netherlands",
        "scope_region": "labour-market region {region}",
        "generated": "Made on {now} by llo-supply {version} from {vacancies} vacancies and "
        "{courses} courses of {providers} providers.",
        "intro": "Per skill, occupation and sector: is there demand (vacancies) and is there "
        "supply (courses)? The four quadrants follow ROA's LLO-Radar: ja-ja (both), ja-nee "
        "(demand without supply: a gap), nee-ja (supply without demand) and nee-nee.",
        "chart_title": "Demand and supply per {level}",
        "chart_note": "Horizontally the share of courses, vertically the share of vacancies "
        "(square-root scale). The lines are the thresholds: demand from {demand_at} "
        "vacancies, supply from {supply_at} courses. Ringed in green: the energy and "
        "raw-materials transition.",
        "x_axis": "share of courses",
        "y_axis": "share of vacancies",
        "gaps_title": "Largest gaps (ja-nee): demand without supply",
        "surplus_title": "Supply without demand (nee-ja)",
        "examples": "examples",
        "provider_title": "{provider}: coverage and gaps",
        "coverage": "{provider} offers {own} of the {demanded} occupations in demand; another "
        "provider {others} on average.",
        "market_gap": "nobody offers it",
        "competitors": "competitors offer it",
        "surplus": "own offer without demand",
        "trend_title": "Supply over time",
        "trend_note": "Courses per crawl day and sector (the six largest), the courses "
        "added, changed and removed per crawl day, and those per sector in the table.",
        "added": "added",
        "changed": "changed",
        "removed": "removed",
        "health_title": "Freshness and crawl health",
        "health_note": "Where a provider was not crawled healthily, 'no supply' may mean 'not "
        "seen'; such cells are marked uncertain.",
        "none": "none",
        "transition": "energy and raw-materials transition",
        "uncertain": "uncertain",
        "attribution_title": "Sources",
        "level_skill-group": "skill group (ESCO)",
        "level_isco4": "occupation (ISCO-08, 4 digits)",
        "level_isco2": "occupation group (ISCO-08, 2 digits)",
        "level_sector": "sector (SBI 2025)",
        "level_skill": "skill (ESCO)",
        "level_occupation": "occupation (ESCO)",
        "col_cell": "cell",
        "col_demand": "vacancies",
        "col_supply": "courses",
        "col_providers": "providers",
        "col_finding": "finding",
        "col_provider": "provider",
        "col_status": "status",
        "col_finished": "latest crawl",
        "col_courses": "courses",
        "col_reason": "note",
        "col_day": "day",
    },
}
ATTRIBUTION_LINES = (
    "This service uses the ESCO classification of the European Commission (ESCO v1.2, CC BY 4.0).",
    "Beroepen: ISCO-08 (ILO). Sectoren: SBI 2025, gemeenten en arbeidsmarktregio's: Bron: CBS.",
    "Kwadranten naar de LLO-Radar van het ROA (Researchcentrum voor Onderwijs en Arbeidsmarkt).",
)
LANGUAGES = tuple(TEXT)

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;
margin:0 auto;max-width:1040px;padding:24px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 8px;border-bottom:1px solid
#d0d7de;padding-bottom:4px}h3{font-size:16px;margin:20px 0 6px}
.meta{color:#57606a}table{border-collapse:collapse;width:100%;margin:8px 0 16px}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eaeef2;vertical-align:top}
th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:12px 0 24px}figcaption{color:#57606a;font-size:13px}
.ex{color:#57606a;font-size:13px}svg text{font:11px system-ui,sans-serif;fill:#1f2328}
/* a text's own colour (quadrant names, series) is an inline style: it beats the rule above */
.legend span{margin-right:14px}.legend i{display:inline-block;width:10px;height:10px;
border-radius:50%;margin-right:4px}
"""


class ReportError(ValueError):
    """The report cannot be made (and what to do)."""


@dataclass(frozen=True)
class ReportOptions:
    lang: str = "nl"
    provider: str | None = None
    region: str | None = None
    thresholds: Thresholds = field(default_factory=Thresholds)


@cache
def transition_keys() -> dict[str, tuple[str, ...]]:
    """Level -> keys (or ESCO skill-group code prefixes) of the energy and raw-materials
    transition (``taxonomy/curated/transition.csv``)."""
    found: dict[str, list[str]] = {}
    with (taxonomy_dir() / "curated" / "transition.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            found.setdefault(row["level"], []).append(row["key"])
    return {level: tuple(keys) for level, keys in found.items()}


@cache
def green_skills() -> frozenset[str]:
    """ESCO skills flagged green."""
    rows = read_gz(taxonomy_dir() / "esco" / "skills.csv.gz")
    return frozenset(r["uri"] for r in rows if r["green"] == "1")


def in_transition(level: str, key: str) -> bool:
    if level == "skill":
        return key in green_skills()
    keys = transition_keys().get(level, ())
    if level == "skill-group":
        code = skill_group_codes().get(key, "")
        return any(code == k or code.startswith(k + ".") for k in keys)
    return key in keys


# ---------------------------------------------------------------- SVG


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _short(text: str, size: int = 30) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def quadrant_svg(table: pd.DataFrame, applied: dict[str, Any], level: str, t: dict) -> str:
    """Demand share against supply share, square-root axes, threshold lines, labels."""
    width, height, left, bottom, top, right = 720, 440, 64, 44, 16, 24
    rows = records(table)
    n_v, n_c = max(applied["vacancies"], 1), max(applied["courses"], 1)
    # 4 % headroom: the largest point and its label stay inside the frame.
    x_max = 1.04 * max([r["supply_share"] for r in rows] + [applied["supply_at"] / n_c, 1e-9])
    y_max = 1.04 * max([r["demand_share"] for r in rows] + [applied["demand_at"] / n_v, 1e-9])

    def x(share: float) -> float:
        return left + (width - left - right) * math.sqrt(share / x_max)

    def y(share: float) -> float:
        return height - bottom - (height - bottom - top) * math.sqrt(share / y_max)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_e(t["chart_title"].format(level=t["level_" + level]))}">',
        f'<rect x="{left}" y="{top}" width="{width - left - right}" '
        f'height="{height - top - bottom}" fill="#fbfcfd" stroke="#d0d7de"/>',
    ]
    gx, gy = x(applied["supply_at"] / n_c), y(applied["demand_at"] / n_v)
    parts.append(
        f'<line class="threshold" x1="{gx:.1f}" y1="{top}" x2="{gx:.1f}" y2="{height - bottom}" '
        'stroke="#57606a" stroke-dasharray="4 3"/>'
    )
    parts.append(
        f'<line class="threshold" x1="{left}" y1="{gy:.1f}" x2="{width - right}" y2="{gy:.1f}" '
        'stroke="#57606a" stroke-dasharray="4 3"/>'
    )
    corners = (
        ("ja-nee", left + 6, top + 14, "start"),
        ("ja-ja", width - right - 6, top + 14, "end"),
        ("nee-nee", left + 6, height - bottom - 6, "start"),
        ("nee-ja", width - right - 6, height - bottom - 6, "end"),
    )
    taken = []  # the quadrant names' boxes: no point label may cover them
    for name, tx, ty, anchor in corners:
        parts.append(
            f'<text x="{tx}" y="{ty}" text-anchor="{anchor}" style="fill:{COLOURS[name]}" '
            f'font-weight="bold">{name}</text>'
        )
        span = 7.0 * len(name)
        x0 = tx - span if anchor == "end" else tx
        taken.append((x0, ty - 10, x0 + span, ty + 2))
    frame = (left, top, width - right, height - bottom)
    placed = _place_labels(rows, x, y, frame, taken)
    # Small points first, so the big ones (and their labels) are drawn on top.
    for r in sorted(rows, key=lambda r: (r["demand"] + r["supply"], r["key"])):
        cx, cy = x(r["supply_share"]), y(r["demand_share"])
        ring = (
            f' stroke="{TRANSITION_COLOUR}" stroke-width="2.5"'
            if in_transition(level, r["key"])
            else ' stroke="#fff" stroke-width="0.8"'
        )
        tip = f"{r['label'] or r['key']}: {r['demand']} / {r['supply']} ({r['quadrant']})"
        parts.append(
            f'<circle class="point" cx="{cx:.1f}" cy="{cy:.1f}" r="4.5" '
            f'fill="{COLOURS[r["quadrant"]]}"{ring}><title>{_e(tip)}</title></circle>'
        )
        if r["key"] in placed:
            lx, ly, anchor, text, dy = placed[r["key"]]
            if dy:  # a moved label points at its point
                parts.append(
                    f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{lx:.1f}" y2="{ly - 4:.1f}" '
                    'stroke="#8c959f" stroke-width="0.7"/>'
                )
            parts.append(
                f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}">{_e(text)}</text>'
            )
    parts.append(
        f'<text x="{(left + width - right) / 2}" y="{height - 10}" text-anchor="middle">'
        f"{_e(t['x_axis'])}</text>"
    )
    parts.append(
        f'<text x="14" y="{(top + height - bottom) / 2}" text-anchor="middle" '
        f'transform="rotate(-90 14 {(top + height - bottom) / 2})">{_e(t["y_axis"])}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _place_labels(
    rows: list[dict[str, Any]],
    x: Any,
    y: Any,
    frame: tuple[float, float, float, float],
    taken: list[tuple[float, float, float, float]],
) -> dict[str, tuple[float, float, str, str, float]]:
    """Labels for the points with most demand (and most supply), placed greedily inside
    the frame so that none overlaps another or a quadrant name: moved up or down a line
    (the caller draws a leader line then), or left out (the tooltip remains)."""
    chosen = sorted(rows, key=lambda r: (-r["demand"], r["key"]))[:LABELLED]
    chosen += [
        r
        for r in sorted(rows, key=lambda r: (-r["supply"], r["key"]))[: LABELLED // 2]
        if r not in chosen
    ]
    boxes = list(taken)
    placed: dict[str, tuple[float, float, str, str, float]] = {}
    left, top, right, bottom = frame
    for r in chosen:
        text = _short(r["label"] or r["key"])
        cx, cy = x(r["supply_share"]), y(r["demand_share"])
        span = 6.2 * len(text)
        anchor = "end" if cx + 7 + span > right else "start"
        x0 = cx - 7 - span if anchor == "end" else cx + 7
        for dy in (0, -12, 12, -24, 24):
            box = (x0, cy + dy - 8, x0 + span, cy + dy + 4)
            inside = box[0] >= left and box[2] <= right and box[1] >= top and box[3] <= bottom
            if inside and all(box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3]
                              for b in boxes):  # fmt: skip
                boxes.append(box)
                lx = cx - 7 if anchor == "end" else cx + 7
                placed[r["key"]] = (lx, cy + dy + 4, anchor, text, dy)
                break
    return placed


def lines_svg(series: dict[str, list[tuple[str, int]]], days: Sequence[str]) -> str:
    """One line per series over ``days`` (a point when there is one day)."""
    width, height, left, bottom, top, right = 720, 260, 48, 36, 12, 150
    y_max = max([v for points in series.values() for _, v in points] + [1])
    span = max(len(days) - 1, 1)

    def x(i: int) -> float:
        return left + (width - left - right) * (i / span if len(days) > 1 else 0.5)

    def y(v: float) -> float:
        return height - bottom - (height - bottom - top) * v / y_max

    palette = ("#2f6fb0", "#c0392b", "#e08e0b", "#1e8449", "#8e44ad", "#57606a")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img">',
        f'<rect x="{left}" y="{top}" width="{width - left - right}" '
        f'height="{height - top - bottom}" fill="#fbfcfd" stroke="#d0d7de"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end">{y_max}</text>',
        f'<text x="{left - 6}" y="{height - bottom}" text-anchor="end">0</text>',
    ]
    if not days:
        parts.append(
            f'<text x="{(left + width - right) / 2}" y="{(top + height - bottom) / 2}" '
            f'text-anchor="middle">–</text></svg>'
        )
        return "".join(parts)
    index = {day: i for i, day in enumerate(days)}
    for i, day in enumerate(days):
        if len(days) <= 8 or i in (0, len(days) - 1):
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="middle">'
                f"{_e(day)}</text>"
            )
    for n, (name, points) in enumerate(series.items()):
        colour = palette[n % len(palette)]
        coords = [(x(index[d]), y(v)) for d, v in points]
        if len(coords) > 1:
            path = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coords)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        for cx, cy in coords:
            parts.append(f'<circle class="point" cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" '
                         f'fill="{colour}"/>')  # fmt: skip
        parts.append(
            f'<text x="{width - right + 10}" y="{top + 14 + 16 * n}" style="fill:{colour}">'
            f"{_e(_short(name, 22))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------- sections


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]], numeric: set[int]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{_e(v)}</td>' if i in numeric else f"<td>{v}</td>"
            for i, v in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _examples(db: sqlite_utils.Database, market: Market, key: str, side: str) -> str:
    """Two different titles among the first documents behind a cell."""
    titles: list[str] = []
    for doc in evidence(db, market, key, limit=8, sides=(side,))[side]:
        title = doc["title"] or doc["id"]
        if title not in titles:
            titles.append(title)
    return "; ".join(_e(_short(title, 60)) for title in titles[:2])


def _cell_name(row: dict[str, Any], t: dict) -> str:
    name = _e(row["label"] or row["key"])
    # An ISCO code or SBI letter helps the reader; a skill group's URI does not (its
    # label starts with its code).
    key = "" if "://" in row["key"] else f' <span class="ex">{_e(row["key"])}</span>'
    return name + key + (f' <span class="ex">({t["uncertain"]})</span>' if row["uncertain"] else "")


def _ranked_section(
    db: sqlite_utils.Database, market: Market, table: pd.DataFrame, quadrant: str, t: dict
) -> str:
    chosen = table[table["quadrant"] == quadrant]
    chosen = chosen.sort_values(
        ["demand", "supply", "key"] if quadrant == "ja-nee" else ["supply", "demand", "key"],
        ascending=[False, quadrant != "ja-nee", True],
        kind="mergesort",
    ).head(TOP)
    side = "vacancies" if quadrant == "ja-nee" else "courses"
    rows = [
        [
            _cell_name(r, t),
            r["demand"],
            r["supply"],
            r["providers"],
            f'<span class="ex">{_examples(db, market, r["key"], side)}</span>',
        ]
        for r in records(chosen)
    ]
    if not rows:
        return f"<p>{_e(t['none'])}</p>"
    headers = [t["col_cell"], t["col_demand"], t["col_supply"], t["col_providers"], t["examples"]]
    return _table(headers, rows, {1, 2, 3})


def _relabel(table: pd.DataFrame, level: str, lang: str) -> pd.DataFrame:
    """The cells' labels in the report's language (the matcher's are Dutch)."""
    if lang != "nl":
        table = table.assign(label=table["key"].map(labels(level, lang)).fillna(table["label"]))
    return table


def _provider_section(
    market: Market, table: pd.DataFrame, provider: str, opts: ReportOptions, t: dict
) -> str:
    """The provider's coverage of occupations in demand (``table``: the ISCO-4 cells)
    against the other providers', and its gaps and surplus (as ``llo-supply gaps``)."""
    demanded = set(table.loc[table["demand_ja"], "key"])
    offered: dict[str, set[str]] = {}
    for who, _level, key, _courses in provider_coverage(market, levels=("isco4",)):
        if key in demanded:
            offered.setdefault(who, set()).add(key)
    # Every other provider with a course in scope counts, also one that covers nothing.
    others = [len(offered.get(p, set())) for p in sorted(set(market.courses["provider"]))
              if p != provider]  # fmt: skip
    mean_other = sum(others) / len(others) if others else 0.0
    line = t["coverage"].format(
        provider=provider,
        own=len(offered.get(provider, set())),
        demanded=len(demanded),
        # Dutch writes a decimal comma.
        others=f"{mean_other:.1f}".replace(".", "," if opts.lang == "nl" else "."),
    )
    rows = [
        [_e(t[r["finding"].replace("-", "_")]), _cell_name(r, t), r["demand"], r["supply"]]
        for r in records(gaps(market, provider, "isco4", opts.thresholds, table))[: TOP * 2]
    ]
    headers = [t["col_finding"], t["col_cell"], t["col_demand"], t["col_supply"]]
    return (
        f'<h2 id="provider">{_e(t["provider_title"].format(provider=provider))}</h2>'
        f"<p>{_e(line)}</p>" + _table(headers, rows, {2, 3})
    )


def _trend_section(db: sqlite_utils.Database, t: dict, lang: str) -> str:
    observed = list(
        db.query(
            """select substr(o.observed_at, 1, 10) as day, t.concept as section,
            count(distinct o.course_id) as n from course_observations o
            join tags t on t.doc_kind = 'course' and t.doc_id = o.course_id and t.kind = 'sector'
            group by day, t.concept order by day, t.concept"""
        )
    )
    days = sorted({r["day"] for r in observed})
    totals: dict[str, int] = {}
    for r in observed:
        totals[r["section"]] = totals.get(r["section"], 0) + r["n"]
    top = sorted(totals, key=lambda s: (-totals[s], s))[:6]
    names = labels("sector", lang)
    series = {
        f"{s} {names.get(s, '')}": [(r["day"], r["n"]) for r in observed if r["section"] == s]
        for s in top
    }
    runs = list(
        db.query(
            """select substr(finished_at, 1, 10) as day, sum(added) as added,
            sum(changed) as changed, sum(removed) as removed from crawl_runs
            where status = 'finished' group by day order by day"""
        )
    )
    run_days = [r["day"] for r in runs]
    changes = {t[k]: [(r["day"], r[k] or 0) for r in runs] for k in ("added", "changed", "removed")}
    per_sector = [
        [_e(day), f"{_e(section)} {_e(names.get(section, ''))}", *counts]
        for (day, section), counts in sector_changes(db).items()
    ]
    headers = [t["col_day"], t["level_sector"], t["added"], t["changed"], t["removed"]]
    return (
        f'<h2 id="trend">{_e(t["trend_title"])}</h2><p class="meta">{_e(t["trend_note"])}</p>'
        f'<figure class="chart" data-chart="supply-per-sector">{lines_svg(series, days)}'
        "</figure>"
        f'<figure class="chart" data-chart="changes-per-crawl">{lines_svg(changes, run_days)}'
        "</figure>" + _table(headers, per_sector, {2, 3, 4})
    )


def sector_changes(db: sqlite_utils.Database) -> dict[tuple[str, str], list[int]]:
    """(day, SBI section) -> [added, changed, removed] courses. Added and removed compare
    each healthy crawl of a provider with its previous healthy one (as the catalogue's merge
    does); changed counts new content versions."""
    sections: dict[str, set[str]] = {}
    for doc_id, concept in db.execute(
        "select doc_id, concept from tags where doc_kind = 'course' and kind = 'sector'"
    ):
        sections.setdefault(doc_id, set()).add(concept)
    observed: dict[int, set[str]] = {}
    for run_id, course_id in db.execute("select run_id, course_id from course_observations"):
        observed.setdefault(run_id, set()).add(course_id)
    found: dict[tuple[str, str], list[int]] = {}

    def count(day: str, courses: set[str], what: int) -> None:
        for course in courses:
            for section in sections.get(course, ()):
                found.setdefault((day, section), [0, 0, 0])[what] += 1

    previous: dict[str, set[str]] = {}
    for run_id, provider, day in db.execute(
        """select id, provider, substr(finished_at, 1, 10) from crawl_runs
        where status = 'finished' and healthy order by finished_at, id"""
    ):
        current = observed.get(run_id, set())
        before = previous.get(provider, set())
        count(day, current - before, 0)
        count(day, before - current, 2)
        previous[provider] = current
    for course_id, day in db.execute(
        "select course_id, substr(valid_from, 1, 10) from course_versions where version > 1"
    ):
        count(day, {course_id}, 1)
    return dict(sorted(found.items()))


def _health_section(db: sqlite_utils.Database, t: dict) -> str:
    rows = [
        [
            _e(r["provider"]),
            _e(r["status"]),
            _e((r.get("finished_at") or "")[:16].replace("T", " ")),
            r.get("courses") or 0,
            _e(r["reason"]),
        ]
        for r in health_report(db)
    ]
    headers = [t["col_provider"], t["col_status"], t["col_finished"], t["col_courses"],
               t["col_reason"]]  # fmt: skip
    return (
        f'<h2 id="health">{_e(t["health_title"])}</h2><p class="meta">'
        f"{_e(t['health_note'])}</p>" + _table(headers, rows, {3})
    )


def build(db: sqlite_utils.Database, opts: ReportOptions, now: str | None = None) -> str:
    """The report as one HTML document."""
    if opts.lang not in TEXT:
        raise ReportError(f"unknown language {opts.lang!r}; choose one of {', '.join(TEXT)}")
    t = TEXT[opts.lang]
    market = load_market(db, Scope(region=opts.region))
    if market.vacancies.empty or market.courses.empty:
        raise ReportError(
            "no tagged vacancies or courses in scope; run `llo-supply vacancies import`, "
            "`llo-supply crawl` and `llo-supply tag` first"
        )
    providers = sorted(set(market.courses["provider"]))
    known = known_providers(db)
    if opts.provider and opts.provider not in known:
        raise ReportError(
            f"unknown provider {opts.provider!r}; known providers are: {', '.join(known)}"
        )
    scope = (
        t["scope_region"].format(region=market.scope.region)
        if market.scope.region
        else t["scope_national"]
    )
    title = t["title"] + (
        " " + t["for_provider"].format(provider=opts.provider) if opts.provider else ""
    )
    body = [
        f'<h1>{_e(title)}</h1><p class="meta">{_e(scope)}. '
        + _e(
            t["generated"].format(
                now=(now or utcnow())[:10],
                version=__version__,
                vacancies=len(market.vacancies),
                courses=len(market.courses),
                providers=len(providers),
            )
        )
        + f"</p><p>{_e(t['intro'])}</p>",
        '<p class="legend">'
        + "".join(f'<span><i style="background:{c}"></i>{q}</span>' for q, c in COLOURS.items())
        + f'<span><i style="background:#fff;border:2px solid {TRANSITION_COLOUR}"></i>'
        f"{_e(t['transition'])}</span></p>",
    ]
    tables = {}
    for level in CHART_LEVELS:
        table, applied = cells(market, level, opts.thresholds)
        tables[level] = table = _relabel(table, level, opts.lang)
        name = t["level_" + level]
        body.append(
            f'<h2 id="chart-{level}">{_e(t["chart_title"].format(level=name))}</h2>'
            f'<figure class="chart" data-chart="quadrant-{level}">'
            f"{quadrant_svg(table, applied, level, t)}<figcaption>"
            + _e(t["chart_note"].format(**applied))
            + "</figcaption></figure>"
        )
    for quadrant, heading in (("ja-nee", t["gaps_title"]), ("nee-ja", t["surplus_title"])):
        body.append(f'<h2 id="{quadrant}">{_e(heading)}</h2>')
        for level in ("isco4", "skill-group"):
            body.append(f"<h3>{_e(t['level_' + level])}</h3>")
            body.append(_ranked_section(db, market, tables[level], quadrant, t))
    if opts.provider:
        body.append(_provider_section(market, tables["isco4"], opts.provider, opts, t))
    body.append(_trend_section(db, t, opts.lang))
    body.append(_health_section(db, t))
    body.append(
        f'<h2 id="sources">{_e(t["attribution_title"])}</h2>'
        + "".join(f'<p class="meta">{_e(line)}</p>' for line in ATTRIBUTION_LINES)
    )
    return (
        f'<!DOCTYPE html><html lang="{opts.lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>"
        + "".join(body)
        + "</body></html>\n"
    )
