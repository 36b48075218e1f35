"""A toy taxonomy for NLP tests: a handful of concepts with made-up ids, same file layout
as the real taxonomy/ so the real loaders read it."""

from __future__ import annotations

import csv
from pathlib import Path

from llo_supply.taxonomy import SKILL_COLUMNS, _write_gz

S = "toy:skill/"
O = "toy:occupation/"  # noqa: E741 (S, O, G: short prefixes keep the toy tables readable)
G = "toy:group/"

SKILLS = [
    # uri, skill_type, reuse, label_en, alt_en, label_nl, alt_nl, green, digital
    [S + "python", "knowledge", "", "Python (computer programming)", "", "Python", "", 0, 1],
    [S + "heat-pump", "knowledge", "", "heat pumps", "", "warmtepomp", "", 1, 0],
    [S + "install-heat-pump", "skill/competence", "", "install heat pump", "", "", "", 1, 0],
    [S + "solar-panel", "knowledge", "", "solar panels", "", "zonnepaneel", "", 1, 0],
    [
        S + "project-management",
        "knowledge",
        "",
        "project management",
        "",
        "projectmanagement",
        "",
        0,
        0,
    ],
    [S + "pm-software", "knowledge", "", "project management software", "", "", "", 0, 1],
    [S + "planning", "skill/competence", "", "plan", "", "plannen", "", 0, 0],
    [S + "agile", "knowledge", "", "agile development", "", "", "", 0, 1],
    [S + "ambiguous-a", "knowledge", "", "wiring a", "", "bekabeling", "", 0, 0],
    [S + "ambiguous-b", "knowledge", "", "wiring b", "", "bekabeling", "", 0, 0],
    [S + "teamwork", "skill/competence", "transversal", "work in teams", "", "teamwerk", "", 0, 0],
    [S + "responsibility", "skill/competence", "", "take responsibility", "", "", "", 0, 0],
    [S + "building", "knowledge", "", "building engineering", "", "bouwkunde", "", 0, 0],
    [S + "dutch", "knowledge", "", "Dutch", "", "", "", 0, 0],
    [S + "listen", "skill/competence", "transversal", "listen actively", "", "", "", 0, 0],
    [S + "english", "knowledge", "", "English", "", "", "", 0, 0],
]
OCCUPATIONS = [
    # uri, isco, code, label_nl, alt_nl, label_en, alt_en
    [O + "nurse", "2221", "2221.1", "verpleegkundige", "", "nurse", ""],
    [
        O + "heat-pump-installer",
        "7126",
        "7126.9",
        "installateur warmtepompen",
        "",
        "heat pump installer",
        "",
    ],
    [
        O + "developer",
        "2512",
        "2512.1",
        "softwareontwikkelaar",
        "programmeur",
        "software developer",
        "",
    ],
    [O + "clerk", "4110", "4110.1", "kantoormedewerker", "medewerker", "office clerk", ""],
]
CURATED_SKILLS = [
    ["warmtepomp installeren", S + "install-heat-pump", "install heat pump", "translation", ""],
    ["scrum", S + "agile", "agile development", "loanword", ""],
    ["projectmanagementsoftware", S + "pm-software", "project management software", "domain", ""],
    ["verantwoordelijkheid nemen", S + "responsibility", "take responsibility", "translation", ""],
    ["nederlandse taal", S + "dutch", "Dutch", "translation", ""],
    ["actief luisteren", S + "listen", "listen actively", "translation", ""],
    ["engelse taal", S + "english", "English", "translation", ""],
]
CURATED_OCCUPATIONS = [
    [
        "warmtepompmonteur",
        O + "heat-pump-installer",
        "7126",
        "installateur warmtepompen",
        "domain",
        "",
    ],
]
SECTOR_TERMS = [
    ["ziekenhuis", "R", "86", "Menselijke gezondheidszorg", "domain", ""],
    ["installatiebedrijf", "F", "43", "Gespecialiseerde werkzaamheden in de bouw", "domain", ""],
    ["techniek", "C", "", "INDUSTRIE", "domain", "provider category"],
    ["bouwkunde", "F", "41", "Algemene burgerlijke en utiliteitsbouw", "domain", ""],
]
ISCO_SECTOR = [
    ["22", "R", ""],
    ["23", "Q", ""],
    ["25", "K", ""],
    ["71", "F", ""],
    ["41", "", "cross-sector"],
]
SECTIONS = [
    ["C", "1", "", "C", "INDUSTRIE", "MANUFACTURING"],
    ["F", "1", "", "F", "BOUWNIJVERHEID", "CONSTRUCTION"],
    ["K", "1", "", "K", "INFORMATIE EN COMMUNICATIE", "INFORMATION"],
    ["Q", "1", "", "Q", "ONDERWIJS", "EDUCATION"],
    ["R", "1", "", "R", "GEZONDHEIDS- EN WELZIJNSZORG", "HEALTH"],
]


def _csv(path: Path, header: list[str], rows: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def write_toy_taxonomy(base: Path) -> Path:
    _write_gz(base / "esco" / "skills.csv.gz", SKILL_COLUMNS, SKILLS)
    _write_gz(
        base / "esco" / "occupations.csv.gz",
        ["uri", "isco", "code", "label_nl", "alt_nl", "label_en", "alt_en"],
        OCCUPATIONS,
    )
    _write_gz(
        base / "esco" / "skill_groups.csv.gz",
        ["uri", "code", "label_nl", "label_en"],
        [
            [G + "energy", "S7", "energie", "energy"],
            [G + "ict", "S5", "ict", "ict"],
            [G + "teams", "T4", "samenwerken", "collaborating in teams"],
        ],
    )
    _write_gz(
        base / "esco" / "skill_broader.csv.gz",
        ["uri", "broader_uri"],
        [
            [S + "install-heat-pump", S + "heat-pump"],
            [S + "heat-pump", G + "energy"],
            [S + "solar-panel", G + "energy"],
            [S + "python", G + "ict"],
            [S + "agile", G + "ict"],
            [S + "agile", G + "teams"],  # also transversal: no sector of its own
            [S + "teamwork", G + "teams"],
            [S + "listen", G + "teams"],
        ],
    )
    _write_gz(
        base / "sbi" / "sbi2025.csv.gz",
        ["code", "level", "parent", "section", "label_nl", "label_en"],
        SECTIONS,
    )
    _csv(
        base / "curated" / "skills_nl_toy.csv",
        ["term", "uri", "label_en", "source", "note"],
        CURATED_SKILLS,
    )
    _csv(
        base / "curated" / "occupations_nl_toy.csv",
        ["term", "uri", "isco", "label_nl", "source", "note"],
        CURATED_OCCUPATIONS,
    )
    _csv(
        base / "curated" / "sector_terms_nl.csv",
        ["term", "section", "division", "label_nl", "source", "note"],
        SECTOR_TERMS,
    )
    _csv(base / "curated" / "isco_sector.csv", ["isco", "section", "note"], ISCO_SECTOR)
    _csv(
        base / "curated" / "title_families.csv",
        ["head", "isco", "employer", "note"],
        [["docent", "23", "Q", ""]],
    )
    _csv(
        base / "curated" / "skill_group_sector.csv",
        ["group", "section", "label_en", "note"],
        [["S5", "K", "ict", ""], ["S7", "F", "energy", ""]],
    )
    _csv(
        base / "curated" / "verb_synonyms.csv",
        ["group", "verb"],
        [["installeren", "installeren"], ["installeren", "plaatsen"]],
    )
    _csv(
        base / "curated" / "generic_terms.csv",
        ["term", "label", "reason"],
        [["medewerker", "OCC", "any employee"]],
    )
    return base
