"""``python -m llo_supply`` runs the CLI."""

from llo_supply.cli import cli

cli(prog_name="llo-supply")
