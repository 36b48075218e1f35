"""The ``llo-supply`` command: a thin click layer over the library."""

from __future__ import annotations

import csv
import functools
import io
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from llo_supply import __version__, catalogue
from llo_supply.taxonomy import ATTRIBUTION

DEFAULT_DB = "llo_supply.db"


def db_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        "db_path",
        default=DEFAULT_DB,
        show_default=True,
        envvar="LLO_DB",
        type=click.Path(dir_okay=False),
        help="SQLite catalogue (env LLO_DB).",
    )(func)


def output_options(func: Callable[..., Any]) -> Callable[..., Any]:
    @click.option("--json", "as_json", is_flag=True, help="Print JSON (one array).")
    @click.option("--csv", "as_csv", is_flag=True, help="Print CSV with a header row.")
    @functools.wraps(func)
    def wrapper(*args: Any, as_json: bool, as_csv: bool, **kwargs: Any) -> Any:
        if as_json and as_csv:
            raise click.UsageError("choose one of --json and --csv")
        fmt = "json" if as_json else "csv" if as_csv else "table"
        return func(*args, fmt=fmt, **kwargs)

    return wrapper


def existing_db(db_path: str) -> Any:
    if not Path(db_path).exists():
        raise click.ClickException(
            f"{db_path}: no catalogue here yet; run `llo-supply crawl --db {db_path}` first "
            "(or `make demo`)"
        )
    return catalogue.connect(db_path)


def emit(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str) -> None:
    """Print rows as a table (people), CSV or JSON (machines)."""
    if fmt == "json":
        click.echo(json.dumps(list(rows), ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(row.get(k)) for k in columns})
        click.echo(buffer.getvalue(), nl=False)
        return
    if not rows:
        click.echo("(no rows)")
        return
    cells = [[_cell(row.get(c), 60) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    click.echo("  ".join("-" * w for w in widths))
    for r in cells:
        click.echo("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip())


def _cell(value: Any, width: int | None = None) -> str:
    if value is None:
        text = ""
    elif isinstance(value, list):
        text = "; ".join(str(v) for v in value)
    elif isinstance(value, float):
        text = f"{value:g}"
    else:
        text = str(value)
    if width and len(text) > width:
        text = text[: width - 1] + "…"
    return text


@click.group()
@click.version_option(__version__, prog_name="llo-supply")
def cli() -> None:
    """Monitor of the Dutch lifelong-learning (LLO) course market.

    \b
    Example:
        llo-supply crawl --fixtures && llo-supply courses --search warmtepomp
    """


@cli.command()
@click.argument("providers", nargs=-1)
@db_option
@click.option(
    "--fixtures", is_flag=True, help="Crawl the bundled fixture sites on 127.0.0.1 (no network)."
)
@click.option(
    "--fixtures-dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Folder of fixture sites (default: the bundled fixtures/html).",
)
@click.option(
    "--base-url",
    "base_urls",
    multiple=True,
    metavar="PROVIDER=URL",
    help="Crawl a mirror or staging copy of a provider's site instead of the real one.",
)
@click.option(
    "--resume", is_flag=True,
    help="Continue a provider's killed run: keep its courses, fetch only what is missing.",
)  # fmt: skip
@click.option("-v", "--verbose", count=True, help="Show Scrapy's log (-v info, -vv debug).")
@click.option("--json", "as_json", is_flag=True, help="Print the run results as JSON.")
def crawl(
    providers: tuple[str, ...],
    db_path: str,
    fixtures: bool,
    fixtures_dir: Path | None,
    base_urls: tuple[str, ...],
    resume: bool,
    verbose: int,
    as_json: bool,
) -> None:
    """Crawl providers into the catalogue and report each run's health.

    Crawls all providers unless some are named. Exits 1 when any run is unhealthy
    (did not finish, 200s but no courses, or under 90 % of the recent item count);
    courses are only marked removed after a healthy run.

    \b
    Example:
        llo-supply crawl --fixtures            # all bundled fixture providers
        llo-supply crawl ncoi --db courses.db  # the real NCOI site, politely
    """
    from llo_supply.crawl import UnknownProviderError, run_crawl

    level = {0: "WARNING", 1: "INFO"}.get(verbose, "DEBUG")
    mirrors = {}
    for pair in base_urls:
        slug, sep, url = pair.partition("=")
        if not sep or not url.startswith(("http://", "https://")):
            raise click.BadParameter(
                f"{pair!r}: expected PROVIDER=http(s)://...", param_hint="--base-url"
            )
        mirrors[slug] = url.rstrip("/")
    started = time.monotonic()
    try:
        results = run_crawl(
            providers,
            db_path=db_path,
            fixtures=fixtures or fixtures_dir is not None,
            fixtures_root=fixtures_dir,
            base_urls=mirrors,
            log_level=level,
            resume=resume,
        )
    except (UnknownProviderError, catalogue.RunInProgressError) as exc:
        raise click.ClickException(str(exc)) from exc
    if sys.stderr.isatty():
        click.echo("", err=True)  # end the progress line
    rows = [
        {
            "provider": r.provider,
            "run": r.run_id,
            "courses": r.items,
            "added": r.added,
            "changed": r.changed,
            "removed": r.removed,
            "health": "healthy" if r.healthy else "UNHEALTHY",
            "reason": r.reason,
        }
        for r in results
    ]
    if as_json:
        emit(rows, list(rows[0]) if rows else [], "json")
    else:
        emit(rows, ["provider", "run", "courses", "added", "changed", "removed", "health"], "table")
        click.echo(f"catalogue: {db_path} ({time.monotonic() - started:.1f} s)", err=True)
    for r in results:
        if not r.healthy:
            click.echo(f"{r.provider}: unhealthy: {r.reason}", err=True)
    if any(not r.healthy for r in results):
        sys.exit(1)


@cli.command()
@db_option
@click.option("--provider", help="Only this provider's runs.")
@click.option("--limit", default=20, show_default=True, help="How many runs, newest first.")
@output_options
def runs(db_path: str, provider: str | None, limit: int, fmt: str) -> None:
    """List crawl runs with their health, newest first.

    \b
    Example:
        llo-supply runs --provider loi --json
    """
    rows = catalogue.runs(existing_db(db_path), provider, limit)
    for row in rows:
        row["healthy"] = None if row["healthy"] is None else bool(row["healthy"])
    columns = ["id", "provider", "started_at", "status", "healthy", "items", "added", "changed",
               "removed", "errors", "health_reason"]  # fmt: skip
    emit(rows, columns if fmt == "table" else list(rows[0]) if rows else columns, fmt)


@cli.command()
@db_option
@click.option("--provider", help="Only this provider's courses.")
@click.option("--search", help="Full-text search in title and description (all words).")
@click.option("--removed", is_flag=True, help="Include courses no longer offered.")
@output_options
def courses(
    db_path: str, provider: str | None, search: str | None, removed: bool, fmt: str
) -> None:
    """List current courses from the catalogue.

    \b
    Example:
        llo-supply courses --provider uva --search energietransitie --csv > uva.csv
    """
    db = existing_db(db_path)
    if provider and not db["providers"].count_where("slug = ?", [provider]):
        known = ", ".join(r["slug"] for r in db["providers"].rows_where(order_by="slug"))
        raise click.ClickException(f"unknown provider {provider!r}; known providers: {known}")
    rows = catalogue.courses(db, provider, search, include_removed=removed)
    table = ["course_id", "title", "level", "delivery_modes", "price_eur", "price_period",
             "start_dates", "locations"]  # fmt: skip
    emit(rows, table if fmt == "table" else list(catalogue.COURSE_COLUMNS), fmt)


@cli.command()
@db_option
@output_options
def summary(db_path: str, fmt: str) -> None:
    """Courses per provider and the health of each provider's latest run.

    \b
    Example:
        llo-supply summary --json
    """
    rows = catalogue.provider_summary(existing_db(db_path))
    for row in rows:
        row["health"] = (
            "never crawled" if row["status"] is None
            else "healthy" if row["healthy"] else f"UNHEALTHY: {row['health_reason']}"
        )  # fmt: skip
    emit(rows, ["provider", "name", "courses", "run_id", "finished_at", "health"], fmt)
    if fmt == "table":
        click.echo(ATTRIBUTION)


@cli.command()
@db_option
@output_options
def providers(db_path: str, fmt: str) -> None:
    """Known providers, how each is crawled, and its latest run's health.

    \b
    Example:
        llo-supply providers --json
    """
    from llo_supply.crawl import spider_classes
    from llo_supply.health import provider_health

    db = catalogue.connect(db_path) if Path(db_path).exists() else None
    rows = []
    for slug, cls in spider_classes().items():
        status = provider_health(db, slug) if db is not None else {}
        crawled = bool(status.get("run_id"))
        rows.append(
            {
                "provider": slug,
                "name": cls.provider_name,
                "site_url": cls.site_url,
                "defined_by": "providers.toml"
                if cls.__module__.endswith(".registry")
                else f"{cls.__module__.replace('.', '/')}.py",
                "fixture_only": cls.fixture_only,
                "courses": status.get("courses"),
                "last_run": status.get("finished_at"),
                "status": status["status"] if crawled else "never crawled",
                "reason": status.get("reason") if crawled else None,
            }
        )
    table = ["provider", "name", "defined_by", "fixture_only", "courses", "last_run", "status"]
    emit(rows, table if fmt == "table" else list(rows[0]) if rows else table, fmt)


@cli.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--notify-command",
    metavar="CMD",
    help="Run CMD (no shell) with the JSON report on stdin when any provider is not healthy.",
)
@click.option(
    "--coverage-share",
    default=0.9,
    show_default=True,
    help="Degraded when a field's coverage falls below this share of its usual.",
)
@click.option(
    "--max-error-rate",
    default=0.1,
    show_default=True,
    help="Degraded when more of the pages than this failed.",
)
@click.option(
    "--max-mojibake-rate",
    default=0.05,
    show_default=True,
    help="Degraded when more of the courses than this had garbled text.",
)
def health(
    db_path: str,
    as_json: bool,
    notify_command: str | None,
    coverage_share: float,
    max_error_rate: float,
    max_mojibake_rate: float,
) -> None:
    """Per provider: healthy, degraded, broken or dead (5 runs without courses), with why.

    Exits 1 when any provider is broken or dead, so a scheduler can alert on it.

    \b
    Example:
        llo-supply health --notify-command "mail -s llo-supply ops@example.org"
    """
    import shlex
    import subprocess

    from llo_supply.health import Thresholds, health_report

    thresholds = Thresholds(coverage_share, max_error_rate, max_mojibake_rate)
    report = health_report(existing_db(db_path), thresholds)
    if as_json:
        click.echo(json.dumps(report, indent=2))
    else:
        emit(report, ["provider", "status", "courses", "finished_at", "reason"], "table")
    if notify_command and any(r["status"] != "healthy" for r in report):
        try:
            done = subprocess.run(
                shlex.split(notify_command),
                input=json.dumps(report, indent=2),
                text=True,
                timeout=120,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise click.ClickException(
                f"--notify-command {notify_command!r} failed: {exc}"
            ) from exc
        if done.returncode != 0:
            click.echo(f"--notify-command exited {done.returncode}", err=True)
    if any(r["status"] in ("broken", "dead") for r in report):
        sys.exit(1)


@cli.command()
@click.option(
    "--print",
    "kind",
    type=click.Choice(["cron", "systemd"]),
    required=True,
    help="Print a crontab line or systemd service and timer units.",
)
@db_option
@click.option(
    "--workdir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The checkout with the .venv to run from.",
)
@click.option("--when", help="Cron schedule or systemd OnCalendar (default: Mondays 03:17).")
@click.option("--notify-command", metavar="CMD", help="Passed on to `llo-supply health`.")
def schedule(
    kind: str, db_path: str, workdir: Path, when: str | None, notify_command: str | None
) -> None:
    """Print ready-to-install files for a weekly crawl, tag and health check, with a lock
    against overlapping runs.

    \b
    Example:
        llo-supply schedule --print cron --db /srv/llo/llo_supply.db >> mycrontab
    """
    from llo_supply import schedule as sched

    workdir, db = workdir.resolve(), Path(db_path).resolve()
    if kind == "cron":
        click.echo(sched.cron(workdir, db, notify_command, when or sched.DEFAULT_CRON), nl=False)
    else:
        click.echo(
            sched.systemd(workdir, db, notify_command, when or sched.DEFAULT_CALENDAR), nl=False
        )


@cli.command()
@click.argument("slug")
@click.argument("url")
@click.option("--name", help="The provider's name (default: the site's host name).")
def newprovider(slug: str, url: str, name: str | None) -> None:
    """Scaffold a provider that publishes schema.org course data: a providers.toml entry,
    a fixture folder and a test that fails until the fixture pages are written.

    \b
    Example:
        llo-supply newprovider techniek-academie https://www.techniekacademie.nl
    """
    from llo_supply.scaffold import ScaffoldError, new_provider

    try:
        written = new_provider(slug, url, name)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from exc
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(
        f"next: save course pages in fixtures/html/{slug}/ (see its README.md), "
        "fill EXPECTED.json by hand, then `make test`"
    )


@cli.group()
def fixtures() -> None:
    """The bundled fixture provider sites."""


@fixtures.command("serve")
@click.argument("providers", nargs=-1)
def fixtures_serve(providers: tuple[str, ...]) -> None:
    """Serve fixture sites on 127.0.0.1 until Ctrl-C, to look at them in a browser.

    \b
    Example:
        llo-supply fixtures serve ncoi
    """
    from llo_supply.crawl import UnknownProviderError, select_providers, spider_classes
    from llo_supply.fixtures import FixtureSite, fixtures_dir

    classes = spider_classes()
    try:
        selected = select_providers(providers, classes)
    except UnknownProviderError as exc:
        raise click.ClickException(str(exc)) from exc
    sites = [FixtureSite(fixtures_dir() / s, classes[s].site_url) for s in selected]
    for slug, site in zip(selected, sites, strict=True):
        click.echo(f"{slug}: {site.start()}/")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        for site in sites:
            site.stop()


@cli.group()
def taxonomy() -> None:
    """Build the classification tables in taxonomy/."""


@taxonomy.command("build")
@click.option(
    "--sources",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=Path("../shared/taxonomy-sources"),
    show_default=True,
    help="Folder with the downloaded taxonomy sources (see its SOURCES.md).",
)
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Target folder (default: the project's taxonomy/).",
)  # fmt: skip
def taxonomy_build(sources: Path, out: Path | None) -> None:
    """Rebuild the taxonomy tables (ESCO, ISCO-08, SBI 2025, municipalities) from the sources.

    \b
    Example:
        llo-supply taxonomy build --sources ../shared/taxonomy-sources
    """
    from llo_supply.taxonomy import build_all, taxonomy_dir

    try:
        counts = build_all(sources, out or taxonomy_dir())
    except (FileNotFoundError, KeyError, ValueError) as exc:
        raise click.ClickException(f"{exc}; point --sources at ../shared/taxonomy-sources") from exc
    for table, count in counts.items():
        click.echo(f"{table}: {count} rows")


@cli.command()
@db_option
@click.option("--all", "everything", is_flag=True, help="Re-tag every current document.")
@click.option(
    "--only", type=click.Choice(["courses", "vacancies"]), help="Tag only courses or vacancies."
)
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def tag(db_path: str, everything: bool, only: str | None, as_json: bool) -> None:
    """Tag new and changed courses and vacancies with ESCO skills, occupations and sectors.

    Only documents whose content, tagger version or taxonomy version changed since they were
    last tagged are tagged again, so after a taxonomy rebuild this one command re-tags.

    \b
    Example:
        llo-supply tag --db llo_supply.db
        llo-supply tag --only vacancies --json
    """
    from llo_supply.nlp.tagger import Tagger
    from llo_supply.tagging import tag_documents

    db = existing_db(db_path)
    show = sys.stderr.isatty() and not as_json
    started = time.monotonic()
    tagger = Tagger()
    summary: dict[str, Any] = {}
    for kind, plural in (("course", "courses"), ("vacancy", "vacancies")):
        if only and only != plural:
            continue

        def progress(done: int, total: int, plural: str = plural) -> None:
            if show:
                click.echo(f"\r\x1b[Ktagged {done}/{total} {plural}", err=True, nl=done == total)

        result = tag_documents(db, tagger, kind, everything=everything, progress=progress)
        summary[f"{plural}_considered"] = result.considered
        summary[f"{plural}_tagged"] = result.tagged
        summary[f"{plural}_tags"] = result.tags
    seconds = time.monotonic() - started
    summary.update(
        tagger_version=tagger.version,
        taxonomy_version=tagger.taxonomy_version,
        seconds=round(seconds, 1),
    )
    if as_json:
        click.echo(json.dumps(summary, indent=2))
        return
    done = ", ".join(
        f"{summary[f'{p}_tagged']} {p} ({summary[f'{p}_tags']} tags)"
        for p in ("courses", "vacancies")
        if f"{p}_tagged" in summary
    )
    click.echo(
        f"tagged {done} with tagger {tagger.version}, taxonomy {tagger.taxonomy_version} "
        f"in {seconds:.1f} s"
    )


@cli.group()
def vacancies() -> None:
    """Vacancies, the demand side: import exports and see what is in the catalogue."""


def _echo_stored(name: str, report: dict[str, Any], tail: str) -> None:
    """What one file or site stored: its rejected rows on stderr, then its counts."""
    for message in report.get("errors", []):
        click.echo(f"rejected: {message}", err=True)
    click.echo(
        f"{name}: {report.get('added', 0)} added, {report.get('changed', 0)} changed, "
        f"{report.get('unchanged', 0)} unchanged, {report.get('rejected', 0)} rejected; {tail}"
    )


@vacancies.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@db_option
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "jsonl"]),
    help="File format (default: from the extension).",
)  # fmt: skip
@click.option(
    "--map", "mapping", metavar="FIELD=COLUMN,...",
    help="Name your columns: fields are id, title, text, employer, location, date, source, url "
    "(common Dutch and English headers are recognised without it).",
)  # fmt: skip
@click.option(
    "--source",
    help="Source name for rows without a source column (default: the file name; give one "
    "for monthly exports of the same source, or their ids differ).",
)
@click.option("--encoding", default="utf-8", show_default=True, help="The files' text encoding.")
@click.option("--json", "as_json", is_flag=True, help="Print the import reports as JSON.")
def vacancies_import(
    files: tuple[Path, ...],
    db_path: str,
    fmt: str | None,
    mapping: str | None,
    source: str | None,
    encoding: str,
    as_json: bool,
) -> None:
    """Import vacancy exports (CSV or JSONL): validated, de-duplicated, with history.

    Each row needs a title, a text and a posting date; employer, location (a municipality),
    source, id and url are used when present. A bad row is reported with its file and line
    and the good rows are imported all the same; the exit code is then 1. Importing the same
    file again adds nothing. Reposts (same employer and place, near-identical title within
    60 days) are kept but counted once. Run `llo-supply tag` afterwards.

    \b
    Example:
        llo-supply vacancies import fixtures/vacancies/sample_vacancies.csv
        llo-supply vacancies import export.csv --map title=Functie,text=Omschrijving
        llo-supply vacancies import excel-export.csv --encoding cp1252 --source werk.nl
    """
    from llo_supply.vacancies import VacancyImportError, import_file, parse_mapping

    db = catalogue.connect(db_path)
    reports, failed = [], False
    try:
        columns = parse_mapping(mapping)
    except VacancyImportError as exc:
        raise click.UsageError(str(exc)) from exc
    show = sys.stderr.isatty() and not as_json

    def progress(rows: int) -> None:
        if show:  # cleared by the next line printed ("\r\x1b[K" starts each message)
            click.echo(f"\r\x1b[Kread {rows:,} rows", err=True, nl=False)

    for path in files:
        try:
            report = import_file(db, path, fmt, columns, source, encoding, progress)
        except VacancyImportError as exc:
            click.echo(f"\r\x1b[Kerror: {exc}" if show else f"error: {exc}", err=True)
            failed = True
            continue
        if show:
            click.echo("\r\x1b[K", err=True, nl=False)
        reports.append(report.as_dict())
        failed = failed or report.rejected > 0
        if not as_json:
            _echo_stored(
                str(path),
                reports[-1],
                f"{report.reposts} reposts, {report.unplaced} without a known municipality",
            )
    if as_json:
        click.echo(json.dumps(reports, ensure_ascii=False, indent=2))
    if failed:
        sys.exit(1)


@vacancies.command("crawl")
@click.argument("sites", nargs=-1)
@db_option
@click.option(
    "--fixtures", is_flag=True,
    help="Crawl the bundled fixture sites on 127.0.0.1 instead of the real ones.",
)  # fmt: skip
@click.option(
    "--fixtures-dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Fixture sites folder (default: fixtures/html).",
)  # fmt: skip
@click.option("-v", "--verbose", count=True, help="Show Scrapy's log (-v info, -vv debug).")
@click.option("--json", "as_json", is_flag=True, help="Print one report per site as JSON.")
def vacancies_crawl(
    sites: tuple[str, ...],
    db_path: str,
    fixtures: bool,
    fixtures_dir: Path | None,
    verbose: int,
    as_json: bool,
) -> None:
    """Crawl employer career sites and job boards (schema.org JobPosting) for vacancies.

    The sites are listed in scrapers/employers.toml; without SITES all are crawled. Each
    posting is validated and stored like an imported row (stable ids, history, reposts).
    The crawl is polite (robots.txt, delays, our User-Agent). Exit code 1 when a site gave
    no postings, a page failed or a posting was rejected.

    \b
    Example:
        llo-supply vacancies crawl --fixtures
        llo-supply vacancies crawl zorgbanen-oost --fixtures --json
    """
    from llo_supply.crawl import UnknownProviderError, run_vacancy_crawl

    level = {0: "ERROR", 1: "INFO"}.get(verbose, "DEBUG")
    try:
        reports = run_vacancy_crawl(sites, db_path, fixtures, fixtures_dir, log_level=level)
    except UnknownProviderError as exc:
        raise click.ClickException(str(exc).replace("provider", "site")) from exc
    if not reports:
        raise click.ClickException(
            "no site to crawl: every site in scrapers/employers.toml is a fixture; "
            "add a real one there, or crawl the fixtures with --fixtures"
        )
    failed = False
    for report in reports:
        bad = (
            not report.get("added", 0) + report.get("changed", 0) + report.get("unchanged", 0)
            or report.get("rejected", 0)
            or report["pages_failed"]
            or report.get("finish_reason") != "finished"
        )
        failed = failed or bool(bad)
        if not as_json:
            _echo_stored(
                report["site"],
                report,
                f"{report['pages_failed']} pages failed ({report.get('finish_reason')})",
            )
    if as_json:
        click.echo(json.dumps(reports, ensure_ascii=False, indent=2))
    if failed:
        sys.exit(1)


@vacancies.command("summary")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def vacancies_summary(db_path: str, as_json: bool) -> None:
    """Vacancy counts (raw and without reposts) and the latest imports.

    \b
    Example:
        llo-supply vacancies summary --json
    """
    from llo_supply.vacancies import counts, latest_imports

    db = existing_db(db_path)
    result = {"vacancies": counts(db), "imports": latest_imports(db)}
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    c = result["vacancies"]
    click.echo(
        f"{c['raw']} vacancies, {c['deduplicated']} without reposts, "
        f"{c['unplaced']} without a known municipality"
    )
    emit(
        result["imports"],
        ["id", "origin", "started_at", "added", "changed", "unchanged", "rejected", "reposts"],
        "table",
    )


def scope_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--region, --since, --until and the quadrant thresholds, shared by the match commands."""
    options = [
        click.option(
            "--region", help="Only this arbeidsmarktregio (name or code, e.g. 'Rijnmond', AM26)."
        ),
        click.option("--since", metavar="YYYY-MM-DD", help="Vacancies posted on or after."),
        click.option("--until", metavar="YYYY-MM-DD", help="Vacancies posted on or before."),
        click.option(
            "--demand-min", default=3, show_default=True,
            help="Vacancies a cell needs at least for demand 'ja' (never fewer than 1).",
        ),
        click.option(
            "--demand-quantile", default=0.25, show_default=True,
            help="…and at least this quantile of the cells with any demand.",
        ),
        click.option(
            "--supply-min", default=1, show_default=True,
            help="Courses a cell needs at least for supply 'ja' (never fewer than 1).",
        ),
        click.option(
            "--supply-quantile", default=0.25, show_default=True,
            help="…and at least this quantile of the cells with any supply.",
        ),
        click.option(
            "--min-observations", default=5, show_default=True,
            help="Fewer vacancies plus courses than this: the cell is flagged uncertain.",
        ),
    ]  # fmt: skip

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from llo_supply.match import MatchError, Scope, Thresholds

        for name in ("since", "until"):
            if kwargs[name] and not _is_iso_date(kwargs[name]):
                raise click.BadParameter(
                    f"{kwargs[name]!r}: write YYYY-MM-DD", param_hint=f"--{name}"
                )
        if kwargs["since"] and kwargs["until"] and kwargs["since"] > kwargs["until"]:
            raise click.UsageError(f"--since {kwargs['since']} is after --until {kwargs['until']}")
        try:
            kwargs["thresholds"] = Thresholds(
                kwargs.pop("demand_min"),
                kwargs.pop("demand_quantile"),
                kwargs.pop("supply_min"),
                kwargs.pop("supply_quantile"),
                kwargs.pop("min_observations"),
            )
        except MatchError as exc:
            raise click.UsageError(str(exc)) from exc
        kwargs["scope"] = Scope(kwargs.pop("region"), kwargs.pop("since"), kwargs.pop("until"))
        return func(*args, **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def _is_iso_date(text: str) -> bool:
    """YYYY-MM-DD only: dates are compared as text (fromisoformat would take 20260701)."""
    from datetime import datetime

    try:
        datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        return False
    return len(text) == 10


def _market(db_path: str, scope: Any, keep_base: bool = False) -> Any:
    """The in-scope market, or a clear error when there is nothing to match yet; with
    ``keep_base`` the unrestricted market comes back as well (for a breakdown)."""
    from llo_supply.match import MatchError, load_base, restrict

    db = existing_db(db_path)
    show = sys.stderr.isatty()
    if show:  # a national catalogue takes half a minute to read
        click.echo("reading the catalogue…", err=True, nl=False)
    try:
        base = load_base(db)
        market = restrict(base, scope)
        if show:
            click.echo("\r\x1b[K", err=True, nl=False)
    except MatchError as exc:
        raise click.ClickException(str(exc)) from exc
    # Nothing at all to match is an error; an empty scope is an answer (all gaps, or none).
    if not base.vacancies["tagged"].any():
        hint = (
            "import some with `llo-supply vacancies import FILE`, then `llo-supply tag`"
            if base.vacancies.empty
            else "run `llo-supply tag` first"
        )
        raise click.ClickException(f"{db_path}: no tagged vacancies; {hint}")
    if not base.courses["tagged"].any():
        raise click.ClickException(
            f"{db_path}: no tagged courses; run `llo-supply crawl` and `llo-supply tag`"
        )
    for side in ("vacancies", "courses"):
        if getattr(market, side).empty:
            click.echo(f"warning: no tagged {side} in scope", err=True)
    for side, count in market.untagged.items():
        if count:
            click.echo(
                f"warning: {count} {side} are not tagged yet and left out; run `llo-supply tag`",
                err=True,
            )
    return (db, market, base) if keep_base else (db, market)


LEVEL_CHOICE = click.Choice(["skill", "skill-group", "occupation", "isco4", "isco2", "sector"])


@cli.command()
@db_option
@click.option("--level", type=LEVEL_CHOICE, default="skill-group", show_default=True)
@scope_options
@click.option(
    "--quadrant", type=click.Choice(["ja-ja", "ja-nee", "nee-ja", "nee-nee"]),
    help="Only cells in this quadrant (ja-nee: demand without supply).",
)  # fmt: skip
@click.option("--top", type=click.IntRange(min=1), help="Only the first N cells (most demand).")
@click.option(
    "--by", type=click.Choice(["region", "quarter"]),
    help="One table per arbeidsmarktregio or per quarter, thresholds worked out within each.",
)  # fmt: skip
@output_options
def quadrants(
    db_path: str,
    level: str,
    scope: Any,
    thresholds: Any,
    quadrant: str | None,
    top: int | None,
    by: str | None,
    fmt: str,
) -> None:
    """Demand × supply per cell, with its quadrant: ja-ja, ja-nee, nee-ja, nee-nee.

    Demand is the number of vacancies (reposts counted once) tagged with the cell, supply
    the number of current courses and their providers; "ja" when the count reaches both the
    minimum and the quantile of the level's non-zero counts. A cell is flagged uncertain on
    few observations, or when supply is "nee" while a provider's latest crawl was unhealthy
    (no supply may then mean not crawled). Sorted by demand, then supply, then key.

    \b
    Example:
        llo-supply quadrants --level skill --quadrant ja-nee --top 20
        llo-supply quadrants --level sector --region Rijnmond --csv
        llo-supply quadrants --level isco4 --since 2026-07-01 --json
        llo-supply quadrants --level sector --by region --quadrant ja-nee --csv
    """
    from llo_supply.match import CELL_COLUMNS, breakdown, cells, records

    _, market, base = _market(db_path, scope, keep_base=True)
    if by:
        groups = breakdown(base, market.scope, level, by, thresholds)
    else:
        groups = [("", *cells(market, level, thresholds))]
    found = []
    for group, table, applied in groups:
        if quadrant:
            table = table[table["quadrant"] == quadrant]
        if top:
            table = table.head(top)
        found.append((group, records(table), applied))
    if fmt == "json":
        if by:
            result: Any = {
                "by": by,
                "groups": [{by: g, "thresholds": a, "cells": rows} for g, rows, a in found],
            }
        else:
            result = {"thresholds": found[0][2], "cells": found[0][1]}
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        rows = (
            [{by: g, **row} for g, group_rows, _ in found for row in group_rows]
            if by
            else (found[0][1])
        )
        emit(rows, [by, *CELL_COLUMNS] if by else CELL_COLUMNS, "csv")
        return
    columns = ["key", "label", "demand", "supply", "providers", "ratio", "quadrant", "uncertain"]
    for group, rows, applied in found:
        if by:
            click.echo(f"\n{by} {group}")
        emit(rows, columns, "table")
        click.echo(
            f"{applied['vacancies']} vacancies, {applied['courses']} courses; demand 'ja' from "
            f"{applied['demand_at']} vacancies, supply 'ja' from {applied['supply_at']} courses."
        )
    click.echo(ATTRIBUTION)


@cli.command()
@db_option
@click.option("--provider", required=True, help="The provider's slug (see `llo-supply providers`).")
@click.option("--level", type=LEVEL_CHOICE, default="skill-group", show_default=True)
@scope_options
@output_options
def gaps(db_path: str, provider: str, level: str, scope: Any, thresholds: Any, fmt: str) -> None:
    """What one provider does not offer where there is demand, and its offer without demand.

    market-gap: in demand and nobody offers it; competitors: in demand, other providers
    offer it and this one does not; surplus: this provider offers it where demand is low
    (nee-ja).

    \b
    Example:
        llo-supply gaps --provider roc-rivierzuid --level occupation
        llo-supply gaps --provider ncoi --level skill --region Utrecht --json
    """
    from llo_supply.match import gaps as provider_gaps
    from llo_supply.match import known_providers, records

    db, market = _market(db_path, scope)
    known = known_providers(db)
    if provider not in known:
        raise click.ClickException(
            f"unknown provider {provider!r}; known providers are: {', '.join(known)}"
        )
    rows = records(provider_gaps(market, provider, level, thresholds))
    columns = ["finding", "key", "label", "demand", "supply", "providers", "own_courses"]
    emit(rows, columns if fmt == "table" else list(rows[0]) if rows else columns, fmt)


@cli.command()
@click.argument("cell")
@db_option
@scope_options
@click.option("--limit", default=20, show_default=True, help="Documents shown per side.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def explain(
    cell: str, db_path: str, scope: Any, thresholds: Any, limit: int, as_json: bool
) -> None:
    """The vacancies and courses behind one cell, with the text that tagged them.

    CELL is an ESCO skill, skill-group or occupation URI, an ISCO-08 code (4 or 2 digits)
    or an SBI section letter, as in the `key` column of `llo-supply quadrants`.

    \b
    Example:
        llo-supply explain http://data.europa.eu/esco/skill/S8.8 --limit 5
        llo-supply explain 7411 --json
        llo-supply explain F --region Rijnmond
    """
    from llo_supply.match import MatchError, evidence

    cell = cell.upper() if len(cell.strip()) == 1 else cell  # sector letters in either case
    db, market = _market(db_path, scope)
    try:
        found = evidence(db, market, cell, limit)
    except MatchError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    click.echo(f"{found['cell']} ({found['level']}): {found['label']}")
    for side, who in (("vacancies", "employer"), ("courses", "provider")):
        click.echo(
            f"\n{found[f'n_{side}']} {side}"
            + (" (first shown)" if found[f"n_{side}"] > limit else "")
        )
        for doc in found[side]:
            spans = "; ".join(f"{e['text']!r} [{e['start']}:{e['end']}]" for e in doc["evidence"])
            click.echo(f"  {doc['id']}  {doc['title']} ({doc[who] or '?'})")
            if spans:
                click.echo(f"      {spans}")


@cli.command("match")
@db_option
@scope_options
@click.option(
    "--no-regions", is_flag=True, help="Only the national table, not one per region as well."
)
@click.option("--json", "as_json", is_flag=True, help="Print the cell counts as JSON.")
def match_command(
    db_path: str, scope: Any, thresholds: Any, no_regions: bool, as_json: bool
) -> None:
    """Compute the quadrants of every level and store them in the catalogue.

    Writes the table quadrant_cells (replaced as a whole, in one transaction): every level
    nationally (region "") and per arbeidsmarktregio with vacancies in scope, each with its
    thresholds; --since/--until limit the period. Datasette (`llo-supply serve`) and
    `llo-supply export --what quadrants` read it; run it after `llo-supply tag`.

    \b
    Example:
        llo-supply match --db llo_supply.db
        llo-supply match --since 2026-07-01 --no-regions --json
    """
    from llo_supply.match import store_quadrants

    if scope.region:
        raise click.UsageError("match stores every region already; leave out --region")
    db, market, base = _market(db_path, scope, keep_base=True)
    counts = store_quadrants(db, base, market.scope, thresholds, regions=not no_regions)
    if as_json:
        click.echo(json.dumps({"cells": counts}, ensure_ascii=False, indent=2))
        return
    regions = len(counts) - 1
    click.echo(
        f"stored {sum(counts.values())} cells: {counts['']} national"
        + (f", {regions} regions" if regions else "")
    )


@cli.command()
@db_option
@click.option(
    "--what", type=click.Choice(["courses", "vacancies", "tags", "quadrants"]), required=True,
    help="Current courses, vacancies, tags, or the stored quadrant table (`llo-supply match`).",
)  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="One JSON array (the default is CSV).")
@click.option("--csv", "as_csv", is_flag=True, help="CSV with a header row (the default).")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (written beside and renamed when complete); default stdout.",
)  # fmt: skip
def export(db_path: str, what: str, as_json: bool, as_csv: bool, output: Path | None) -> None:
    """Export a catalogue table as CSV or JSON, streamed row by row (constant memory).

    \b
    Example:
        llo-supply export --what courses --csv -o courses.csv
        llo-supply export --what quadrants --json | jq '.[] | select(.quadrant == "ja-nee")'
    """
    from llo_supply.export import ExportError, rows, write_csv, write_json

    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    db = existing_db(db_path)
    try:
        columns, found = rows(db, what)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from exc
    if output is None:
        out = sys.stdout
        write_json(out, found) if as_json else write_csv(out, columns, found)
        return
    part = output.with_name(output.name + ".part")
    try:
        with part.open("w", encoding="utf-8", newline="") as fh:
            count = write_json(fh, found) if as_json else write_csv(fh, columns, found)
    except BaseException:
        part.unlink(missing_ok=True)  # no half file left behind
        raise
    part.replace(output)
    click.echo(f"wrote {count} {what} to {output}", err=True)


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8001, show_default=True, help="Port to listen on.")
def serve(db_path: str, host: str, port: int) -> None:
    """Explore the catalogue in Datasette (read-only), with canned queries.

    Tables and columns are described; courses and vacancies are searchable; canned queries
    answer courses by skill, occupation or sector, vacancies by skill, the quadrant table
    per level and region, a provider's gaps and supply over time. Run `llo-supply match`
    first for the quadrant and gap queries. Stop with Ctrl-C.

    \b
    Example:
        llo-supply serve --db llo_supply.db --port 8001
        # then open http://127.0.0.1:8001/llo_supply/provider_gaps?provider=ncoi&level=isco4
    """
    from llo_supply.serve import run

    existing_db(db_path).close()  # migrated, so every table the metadata names exists
    click.echo(f"Datasette on http://{host}:{port}/ (Ctrl-C stops it)", err=True)
    run(Path(db_path), host, port)


@cli.command()
@db_option
@click.option("--provider", help="Add the provider's coverage and gaps (a provider slug).")
@click.option("--region", help="Only this arbeidsmarktregio (name or code).")
@click.option(
    "--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True,
    help="Language of the report.",
)  # fmt: skip
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default="report.html",
    show_default=True, help="The HTML file to write (written beside and renamed when done).",
)  # fmt: skip
def report(db_path: str, provider: str | None, region: str | None, lang: str, output: Path) -> None:
    """Write the gap report: one self-contained HTML file that works offline.

    Quadrant charts per skill group, occupation and sector (energy and raw-materials
    transition ringed), the largest gaps and surpluses with example vacancies and courses,
    a provider's coverage and gaps, supply over time, and each provider's crawl health.
    Inline SVG and CSS only: no script, font or image is fetched.

    \b
    Example:
        llo-supply report -o report.html
        llo-supply report --provider roc-rivierzuid --region Rijnmond --lang en -o rrz.html
    """
    from llo_supply.match import MatchError
    from llo_supply.report import ReportError, ReportOptions, build

    db = existing_db(db_path)
    try:
        document = build(db, ReportOptions(lang, provider, region))
    except (ReportError, MatchError) as exc:
        raise click.ClickException(str(exc)) from exc
    part = output.with_name(output.name + ".part")
    part.write_text(document, "utf-8")
    part.replace(output)
    click.echo(f"wrote {output.resolve()} ({len(document.encode()) / 1024:.0f} KB)")


@cli.command()
@click.option(
    "--texts", type=click.Path(dir_okay=False, exists=True, path_type=Path), required=True,
    multiple=True,
    help='JSONL, one {"id", "title", "text", "kind"} per line (extra fields ignored); '
    "repeat for a set in several files.",
)  # fmt: skip
@click.option(
    "--gold", type=click.Path(dir_okay=False, exists=True, path_type=Path), required=True,
    multiple=True,
    help="JSONL gold labels (sectors, occupations with uri and isco, skills with uri); "
    "repeat as --texts.",
)  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the scores as one JSON object.")
@click.option(
    "--errors", "errors_path", type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Also write what was missed and what was wrong, one JSON line per text "
    "(texts without an error left out): the place to start improving the tagger.",
)  # fmt: skip
def evaluate(
    texts: tuple[Path, ...], gold: tuple[Path, ...], as_json: bool, errors_path: Path | None
) -> None:
    """Precision, recall and F1 of the tagger against hand-labelled texts.

    Skills exactly and at ESCO skill-group level, occupations exactly and at ISCO-08
    4- and 2-digit level, sectors by SBI 2025 section; sector accuracy is the share of
    texts whose first sector is a gold one (or that both call cross-sector).

    \b
    Example:
        llo-supply evaluate --texts texts.jsonl --gold gold.jsonl --json
        llo-supply evaluate --texts a.jsonl --texts b.jsonl --gold a_gold.jsonl --gold b_gold.jsonl
        llo-supply evaluate --texts texts.jsonl --gold gold.jsonl --errors errors.jsonl
    """
    from llo_supply.evaluate import EvaluationInputError, read_jsonl
    from llo_supply.evaluate import evaluate as run_evaluation
    from llo_supply.nlp.tagger import Tagger

    try:
        text_rows = [row for path in texts for row in read_jsonl(path, ["id", "text"])]
        gold_rows = [
            row
            for path in gold
            for row in read_jsonl(path, ["id", "sectors", "occupations", "skills"])
        ]
        errors: list[dict] | None = [] if errors_path else None
        scores = run_evaluation(Tagger(), text_rows, gold_rows, errors)
    except EvaluationInputError as exc:
        raise click.ClickException(str(exc)) from exc
    if errors_path is not None and errors is not None:
        # Written beside and renamed: an interrupted run leaves no half file behind.
        part = errors_path.with_name(errors_path.name + ".part")
        part.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in errors), "utf-8")
        part.replace(errors_path)
    if as_json:
        click.echo(json.dumps(scores, indent=2))
        return
    rows = []
    for level, value in scores.items():
        if level == "n_docs":
            continue
        measures = value if "precision" not in value else {"": value}
        for sub, m in measures.items():
            rows.append({"level": f"{level} {sub}".strip(), **m})
    emit(rows, ["level", "precision", "recall", "f1", "accuracy"], "table")
    click.echo(f"{scores['n_docs']} documents. {ATTRIBUTION}")
