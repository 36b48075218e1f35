"""Scheduled operation: the printed crontab line and systemd units run the right steps."""

from __future__ import annotations

import shlex
from pathlib import Path

from click.testing import CliRunner

from llo_supply.cli import cli


def _print(kind: str, tmp_path: Path, *extra: str) -> str:
    result = CliRunner().invoke(
        cli,
        [
            "schedule",
            "--print",
            kind,
            "--db",
            str(tmp_path / "c.db"),
            "--workdir",
            str(tmp_path),
            *extra,
        ],
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_cron_line_locks_and_runs_crawl_tag_health(tmp_path: Path) -> None:
    output = _print("cron", tmp_path, "--notify-command", "mail -s llo ops@example.org")
    line = next(row for row in output.splitlines() if not row.startswith("#"))
    words = shlex.split(line)
    assert words[:5] == ["17", "3", "*", "*", "1"]
    assert words[5:9] == ["cd", str(tmp_path), "&&", "flock"]
    assert words[9:11] == ["-n", str(tmp_path / "c.db.lock")]
    inner = words[words.index("-c") + 1]
    steps = [shlex.split(step) for step in inner.split("; ")]
    assert [s[1] for s in steps] == ["crawl", "tag", "health"]
    assert all(s[0] == str(tmp_path / ".venv" / "bin" / "llo-supply") for s in steps)
    assert steps[2][-2:] == ["--notify-command", "mail -s llo ops@example.org"]


def test_cron_schedule_can_be_changed(tmp_path: Path) -> None:
    assert "\n0 5 * * * cd " in _print("cron", tmp_path, "--when", "0 5 * * *")


def test_systemd_units(tmp_path: Path) -> None:
    units = _print("systemd", tmp_path)
    assert "[Service]\nType=oneshot\n" in units
    assert f'ExecStart=/usr/bin/flock -n "{tmp_path / "c.db.lock"}" /bin/sh -c "' in units
    assert "OnCalendar=Mon *-*-* 03:17:00" in units
    assert "Persistent=true" in units and "WantedBy=timers.target" in units


def test_percent_signs_are_escaped_for_cron_and_systemd(tmp_path: Path) -> None:
    notify = 'mail -s "llo %d" root'
    line = _print("cron", tmp_path, "--notify-command", notify).splitlines()[1]
    assert "%" not in line.replace("\\%", "")
    units = _print("systemd", tmp_path, "--notify-command", notify)
    assert "llo %%d" in units and "$$" not in units
