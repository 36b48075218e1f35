"""Vacancy import: validation per row, whole-file errors, stable ids, history and reposts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from llo_supply import catalogue, vacancies
from llo_supply.cli import cli
from llo_supply.vacancies import VacancyImportError, import_file

HEADER = "id,title,description,employer,location,posted_date,source\n"
GOOD = (
    HEADER + '1,Elektromonteur (m/v),"<p>Je installeert <b>groepenkasten</b>.</p><p>NEN 1010.</p>",'
    "Van Dijk Installaties B.V.,Utrecht,2026-10-01,bord\n"
    "2,Lasser,Je last met MIG/MAG.,Staal & Co,Zwolle,01-10-2026,bord\n"
)


@pytest.fixture
def db(tmp_path: Path):
    database = catalogue.connect(tmp_path / "cat.db")
    yield database
    database.close()


def _file(tmp_path: Path, text: str | bytes, name: str = "v.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, "utf-8")
    return path


def test_good_rows_are_imported_with_place_region_and_plain_text(db, tmp_path) -> None:
    report = import_file(db, _file(tmp_path, GOOD))
    assert (report.added, report.rejected) == (2, 0)
    row = db["vacancies"].get("bord:1")
    assert row["description"] == "Je installeert groepenkasten.\n\nNEN 1010."
    assert (row["municipality"], row["region"], row["region_code"]) == (
        "Utrecht",
        "Midden-Utrecht",
        "AM13",
    )
    assert row["employer_key"] == "van dijk installaties"
    assert db["vacancies"].get("bord:2")["posted_date"] == "2026-10-01"


def test_reimporting_the_same_file_adds_nothing(db, tmp_path) -> None:
    path = _file(tmp_path, GOOD)
    import_file(db, path)
    again = import_file(db, path)
    assert (again.added, again.changed, again.unchanged) == (0, 0, 2)
    assert db["vacancies"].count == 2
    assert db["vacancy_versions"].count == 2


def test_a_changed_text_is_a_new_version_and_keeps_first_seen(db, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("LLO_NOW", "2026-10-02T00:00:00Z")
    import_file(db, _file(tmp_path, GOOD))
    monkeypatch.setenv("LLO_NOW", "2026-10-09T00:00:00Z")
    report = import_file(db, _file(tmp_path, GOOD.replace("MIG/MAG", "TIG")))
    assert (report.changed, report.unchanged) == (1, 1)
    row = db["vacancies"].get("bord:2")
    assert (row["version"], row["first_seen"], row["last_seen"]) == (
        2,
        "2026-10-02T00:00:00Z",
        "2026-10-09T00:00:00Z",
    )
    assert db["vacancy_versions"].count_where("vacancy_id = 'bord:2'") == 2


def test_ids_without_an_id_column_are_stable(db, tmp_path) -> None:
    text = "titel,omschrijving,werkgever,plaats,datum\nKok,Je kookt.,Bistro,Zwolle,2026-10-01\n"
    path = _file(tmp_path, text, "werkbord.csv")
    import_file(db, path)
    import_file(db, path)
    ids = [r["vacancy_id"] for r in db["vacancies"].rows]
    assert len(ids) == 1 and ids[0].startswith("werkbord:")


def test_bad_rows_are_reported_by_line_and_good_rows_kept(db, tmp_path) -> None:
    text = (
        HEADER
        + "1,Kok,Je kookt.,Bistro,Zwolle,2026-10-01,bord\n"
        + "2,Lasser,,Staal,Zwolle,2026-10-01,bord\n"
        + "3,Schilder,Je schildert.,Verf,Zwolle,31-02-2026,bord\n"
        + "1,Kok,Je kookt anders.,Bistro,Zwolle,2026-10-01,bord\n"
        + '4,"Monteur,\nmet een regel erbij",Tekst.,X,Zwolle,2026-10-01,bord,extra\n'
        + "5,Metselaar,Je metselt.,Bouw,Zwolle,2026-10-02,bord\n"
    )
    report = import_file(db, _file(tmp_path, text))
    assert [e.message("v.csv") for e in report.errors] == [
        "v.csv:3: empty text",
        "v.csv:4: date '31-02-2026' is not a date; write YYYY-MM-DD",
        "v.csv:5: duplicate id bord:1 (first on line 2)",
        "v.csv:6: 8 fields where the header has 7; check quoting",
    ]
    assert sorted(r["vacancy_id"] for r in db["vacancies"].rows) == ["bord:1", "bord:5"]
    stored = db["vacancy_imports"].get(report.import_id)
    assert (stored["added"], stored["rejected"]) == (2, 4)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "v.csv: empty file; expected a header row with at least title, text, date"),
        (
            b"title,description,employer\nKok,Je kookt.,Bistro\n",
            "v.csv: no column for date; columns are title, description, employer; name them "
            "with --map, e.g. --map date=COLUMN",
        ),
        (
            HEADER.encode() + "1,Caf\xe9medewerker,Tekst.,X,Zwolle,2026-10-01,b\n".encode("cp1252"),
            "v.csv:2: not utf-8 (byte 0xe9); save the file as UTF-8 or pass its encoding, "
            "e.g. --encoding cp1252",
        ),
    ],
    ids=["empty", "missing-column", "bad-encoding"],
)
def test_whole_file_problems_import_nothing(db, tmp_path, content: bytes, message: str) -> None:
    with pytest.raises(VacancyImportError) as raised:
        import_file(db, _file(tmp_path, content))
    assert str(raised.value) == str(tmp_path / message)
    assert db["vacancies"].count == 0


def test_the_encoding_can_be_given(db, tmp_path) -> None:
    content = HEADER.encode() + "1,Café,Tekst.,X,Zwolle,2026-10-01,b\n".encode("cp1252")
    import_file(db, _file(tmp_path, content), encoding="cp1252")
    assert db["vacancies"].get("b:1")["title"] == "Café"


def test_semicolons_and_a_mapping(db, tmp_path) -> None:
    text = "Ref;Functie;Vacaturetekst;Datum\nA7;Kok;Je kookt.;2026-10-01\n"
    path = _file(tmp_path, text)
    import_file(db, path, mapping={"id": "Ref", "text": "Vacaturetekst"}, source="werk")
    assert db["vacancies"].get("werk:A7")["title"] == "Kok"


def test_jsonl_with_a_broken_line(db, tmp_path) -> None:
    good = {"id": "9", "title": "Kok", "text": "Je kookt.", "date": "2026-10-01T08:00:00Z"}
    text = json.dumps(good) + "\n{not json\n[1, 2]\n"
    report = import_file(db, _file(tmp_path, text, "v.jsonl"), source="s")
    assert [e.message("f") for e in report.errors] == [
        "f:2: not JSON: Expecting property name enclosed in double quotes at column 2",
        "f:3: a JSON object expected, not list",
    ]
    assert db["vacancies"].get("s:9")["posted_date"] == "2026-10-01"


def test_a_crash_half_way_leaves_the_catalogue_as_it_was(db, tmp_path, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(vacancies, "mark_reposts", broken)
    with pytest.raises(RuntimeError):
        import_file(db, _file(tmp_path, GOOD))
    assert (db["vacancies"].count, db["vacancy_imports"].count) == (0, 0)


# ---------------------------------------------------------------- reposts


def _posting(vid: str, title: str, day: str, employer: str = "Van Dijk B.V.", town="Utrecht"):
    return f"{vid},{title},Tekst {vid}.,{employer},{town},{day},bord\n"


def test_reposts_point_at_the_first_posting(db, tmp_path) -> None:
    text = HEADER + "".join(
        [
            _posting("1", "Elektromonteur", "2026-01-01"),
            _posting("2", "Elektromonteur (m/v) 32-40 uur", "2026-02-15", "van dijk"),
            _posting("3", "Elektromonteur", "2026-04-01"),  # 45 days after the repost
            _posting("4", "Elektromonteur", "2026-07-01"),  # 91 days later: a new vacancy
            _posting("5", "Elektromonteur", "2026-02-01", town="Zwolle"),  # another place
            _posting("6", "Lasser", "2026-01-02"),  # another job
        ]
    )
    report = import_file(db, _file(tmp_path, text))
    duplicate_of = {r["vacancy_id"]: r["duplicate_of"] for r in db["vacancies"].rows}
    assert duplicate_of == {
        "bord:1": None,
        "bord:2": "bord:1",
        "bord:3": "bord:1",
        "bord:4": None,
        "bord:5": None,
        "bord:6": None,
    }
    assert report.reposts == 2
    assert vacancies.counts(db) == {"raw": 6, "deduplicated": 4, "unplaced": 0}


def test_a_near_identical_title_is_a_repost_and_a_different_one_is_not() -> None:
    first = vacancies.normalise_title("Allround Elektromonteur (m/v/x)")
    assert first == vacancies.normalise_title("allround elektromonteur")
    assert vacancies.fuzz.token_sort_ratio(first, "elektromonteur allround", processor=None) > 90
    assert vacancies.fuzz.token_sort_ratio(first, "allround loodgieter", processor=None) < 90


# ---------------------------------------------------------------- CLI


def test_cli_reports_rejected_rows_and_exits_1(tmp_path) -> None:
    path = _file(tmp_path, GOOD + "3,Kok,,X,Zwolle,2026-10-01,bord\n")
    result = CliRunner().invoke(
        cli, ["vacancies", "import", str(path), "--db", str(tmp_path / "c.db")]
    )
    assert result.exit_code == 1
    assert f"rejected: {path}:4: empty text" in result.stderr
    assert "2 added, 0 changed, 0 unchanged, 1 rejected" in result.stdout


def test_cli_whole_file_error_names_the_file(tmp_path) -> None:
    path = _file(tmp_path, b"")
    result = CliRunner().invoke(
        cli, ["vacancies", "import", str(path), "--db", str(tmp_path / "c.db")]
    )
    assert result.exit_code == 1
    assert f"error: {path}: empty file" in result.stderr


def test_cli_bad_mapping_is_a_usage_error(tmp_path) -> None:
    path = _file(tmp_path, GOOD)
    result = CliRunner().invoke(
        cli, ["vacancies", "import", str(path), "--db", str(tmp_path / "c.db"), "--map", "foo=x"]
    )
    assert result.exit_code == 2
    assert "unknown field 'foo'" in result.output


def test_urls_of_two_hosts_are_two_vacancies(db, tmp_path) -> None:
    text = (
        "title,text,date,url\n"
        "Monteur,Tekst A.,2026-10-01,https://werkenbij.a.nl/vacature/monteur\n"
        "Monteur,Tekst B.,2026-10-01,https://werkenbij.b.nl/vacature/monteur\n"
    )
    report = import_file(db, _file(tmp_path, text), source="bord")
    assert (report.added, report.rejected) == (2, 0)


def test_a_huge_field_does_not_stop_the_import(db, tmp_path) -> None:
    huge = "<p>" + "x" * 200_000 + "</p>"
    text = HEADER + f'1,Kok,"{huge}",B,Zwolle,2026-10-01,b\n2,Lasser,Tekst.,S,Zwolle,2026-10-01,b\n'
    assert import_file(db, _file(tmp_path, text)).added == 2


def test_jsonl_lines_end_at_newlines_only(db, tmp_path) -> None:
    row = {"id": "1", "title": "Kok", "text": "Eerste\u2028tweede regel.", "date": "2026-10-01"}
    path = _file(tmp_path, json.dumps(row, ensure_ascii=False) + "\n", "v.jsonl")
    assert import_file(db, path, source="s").added == 1


def test_a_byte_order_mark_is_dropped_however_utf8_is_spelled(db, tmp_path) -> None:
    path = _file(tmp_path, "\ufeff" + GOOD)
    assert import_file(db, path, encoding="utf8").added == 2


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Bouw Groep B.V.", "bouw groep"),
        ("Bouw Groep", "bouw groep"),
        ("ACME Holding B.V.", "acme holding"),
        ("Kees en Zn v.o.f.", "kees en zn"),
        ("Foo BV", "foo"),
    ],
)
def test_employer_keys_drop_only_the_legal_form(name: str, key: str) -> None:
    assert vacancies.employer_key(name) == key


def test_escaped_html_and_scripts_leave_plain_text() -> None:
    assert vacancies.html_to_text("&lt;p&gt;Een &lt;b&gt;monteur&lt;/b&gt;.&lt;/p&gt;") == (
        "Een monteur."
    )
    assert vacancies.html_to_text("<p>Hallo</p><script>var x = 1;</script>") == "Hallo"
