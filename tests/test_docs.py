"""The README keeps up with the code: commands, item fields, settings and tables."""

from __future__ import annotations

import dataclasses
import re

import click
import pytest

from llo_supply import catalogue
from llo_supply.cli import cli
from scrapers import settings
from scrapers.items import CONTENT_FIELDS, Course
from tests.helpers import ROOT

README = (ROOT / "README.md").read_text("utf-8")


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        if isinstance(command, click.Group):
            found.extend(_commands(command, f"{full} "))
        else:
            found.append((full, command))
    return found


COMMANDS = _commands(cli)


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_is_documented_with_an_example(name: str, command: click.Command) -> None:
    assert f"### `llo-supply {name}" in README
    assert "Example:" in (command.help or "")


@pytest.mark.parametrize("field", [f.name for f in dataclasses.fields(Course)])
def test_every_item_field_is_documented(field: str) -> None:
    assert re.search(rf"^\| `{field}` \|", README, re.M)


def test_content_fields_are_item_fields() -> None:
    names = {f.name for f in dataclasses.fields(Course)}
    assert set(CONTENT_FIELDS) <= names


@pytest.mark.parametrize(
    "name", [n for n in dir(settings) if n.startswith("LLO_") or n == "RETRY_AFTER_MAX"]
)
def test_every_own_setting_is_documented(name: str) -> None:
    assert re.search(rf"^\| `{name}` \|", README, re.M)


def test_every_catalogue_table_is_documented(tmp_path) -> None:
    db = catalogue.connect(tmp_path / "docs.db")
    tables = [t for t in db.table_names() if "_fts_" not in t]
    views = db.view_names()
    db.close()
    for table in tables:
        assert re.search(rf"^\| `{table}` \|", README, re.M), table
    for view in views:
        assert re.search(rf"^\| `{view}` \(view\) \|", README, re.M), view


def test_make_targets_in_readme_exist() -> None:
    makefile = (ROOT / "Makefile").read_text("utf-8")
    for target in re.findall(r"`make (\w+)`", README):
        assert re.search(rf"^{target}:", makefile, re.M), target


def test_readme_headings_are_unique() -> None:
    headings = re.findall(r"^#+ .+$", README, flags=re.M)
    assert [h for h in headings if headings.count(h) > 1] == []


def test_every_curated_table_is_documented() -> None:
    for path in sorted((ROOT / "taxonomy" / "curated").glob("*.csv")):
        assert f"`{path.name}`" in README or f"`{path.stem.rsplit('_', 1)[0]}" in README, path
