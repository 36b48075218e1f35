"""Ready-to-install schedules for a weekly crawl: a crontab line or systemd units.

Each run crawls, tags and checks health under ``flock -n``, so a slow run is never
overlapped by the next one.
"""

from __future__ import annotations

import shlex
from pathlib import Path

DEFAULT_CRON = "17 3 * * 1"  # Mondays 03:17: off the hour, when sites are quiet
DEFAULT_CALENDAR = "Mon *-*-* 03:17:00"


def job_command(workdir: Path, db: Path, notify: str | None) -> str:
    """The shell command one scheduled run executes."""
    exe = Path(workdir) / ".venv" / "bin" / "llo-supply"
    q = shlex.quote
    health = f"{q(str(exe))} health --db {q(str(db))}"
    if notify:
        health += f" --notify-command {q(notify)}"
    steps = [
        f"{q(str(exe))} crawl --db {q(str(db))}",
        f"{q(str(exe))} tag --db {q(str(db))}",
        health,
    ]
    # An unhealthy crawl still tags what it found and reports: ";" not "&&".
    return "; ".join(steps)


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


def systemd_quote(text: str) -> str:
    """One ExecStart= argument: double-quoted, with systemd's % and $ expansion escaped."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("%", "%%").replace("$", "$$") + '"'


def cron(workdir: Path, db: Path, notify: str | None, when: str = DEFAULT_CRON) -> str:
    inner = job_command(workdir, db, notify)
    log = db.with_name(db.name + ".log")
    command = (
        f"cd {shlex.quote(str(workdir))} && flock -n {shlex.quote(str(lock_path(db)))} "
        f"sh -c {shlex.quote(inner)} >> {shlex.quote(str(log))} 2>&1"
    )
    # cron turns a bare % into a newline: escape every one in the command.
    return (
        "# llo-supply: weekly crawl, tag and health check (install with `crontab -e`)\n"
        f"{when} {command.replace('%', chr(92) + '%')}\n"
    )


def systemd(workdir: Path, db: Path, notify: str | None, when: str = DEFAULT_CALENDAR) -> str:
    inner = job_command(workdir, db, notify)
    return f"""# /etc/systemd/system/llo-supply.service
[Unit]
Description=llo-supply: crawl course providers, tag, check health
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
WorkingDirectory={str(workdir).replace("%", "%%")}
ExecStart=/usr/bin/flock -n {systemd_quote(str(lock_path(db)))} /bin/sh -c {systemd_quote(inner)}
Nice=10

# /etc/systemd/system/llo-supply.timer
[Unit]
Description=Weekly llo-supply crawl

[Timer]
OnCalendar={when}
RandomizedDelaySec=15min
Persistent=true

[Install]
WantedBy=timers.target

# Enable with: systemctl daemon-reload && systemctl enable --now llo-supply.timer
"""
