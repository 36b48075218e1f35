"""``llo-supply newprovider``: a registry entry, a fixture folder and a test that fails
until the fixture pages and their hand-worked expectations are in place."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from llo_supply.fixtures import fixtures_dir
from scrapers.spiders.registry import REGISTRY, load_registry

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{1,40}")


class ScaffoldError(ValueError):
    pass


def new_provider(
    slug: str,
    url: str,
    name: str | None = None,
    registry: Path = REGISTRY,
    fixtures: Path | None = None,
) -> list[Path]:
    """Add ``slug`` to the registry and create its fixture folder; returns what was written."""
    if not SLUG.fullmatch(slug):
        raise ScaffoldError(f"{slug!r}: a slug is lower-case letters, digits and dashes")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ScaffoldError(f"{url!r}: give the site's address, e.g. https://www.example.nl")
    if parts.username or parts.password:
        raise ScaffoldError(f"{url!r}: no user name or password in the address, please")
    from llo_supply.crawl import spider_classes  # late: spider loading imports the registry

    if slug in spider_classes():
        raise ScaffoldError(f"{slug!r} is already a provider; pick another slug")
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    origin = f"{parts.scheme}://{host}"
    folder = (fixtures or fixtures_dir()) / slug
    if folder.exists():
        raise ScaffoldError(f"{folder} exists already; remove it or pick another slug")
    entry = (
        f"\n[{slug}]\n"
        f"name = {json.dumps(name or host.removeprefix('www.'), ensure_ascii=False)}\n"
        f"site_url = {json.dumps(origin, ensure_ascii=False)}\n"
        "# Course pages: sitemap URLs whose path matches (or use start_paths + course_link_css).\n"
        'sitemap_rules = ["^/"]\n'
    )
    text = registry.read_text("utf-8")
    registry.write_text(text + entry, "utf-8")
    try:
        load_registry(registry)
    except Exception:
        registry.write_text(text, "utf-8")  # leave the registry as it was
        raise
    folder.mkdir(parents=True)
    (folder / "robots.txt").write_text(
        f"User-agent: *\nAllow: /\n\nSitemap: {origin}/sitemap.xml\n", "utf-8"
    )
    (folder / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n</urlset>\n',
        "utf-8",
    )
    (folder / "EXPECTED.json").write_text(
        json.dumps({"course_pages": [], "details": []}, indent=1) + "\n", "utf-8"
    )
    (folder / "README.md").write_text(
        f"# Fixture site of {slug}\n\n"
        f"1. Write course pages modelled on {origin}'s structure (do not copy its text), saved "
        "under the file names `fixtures/html/CONTRACT.md` gives for their URLs.\n"
        "2. List them in `sitemap.xml` (absolute URLs on the real origin).\n"
        "3. Work out `EXPECTED.json` by hand: every course page's path, title and course code, "
        "and three pages in detail (see another registry provider's EXPECTED.json).\n"
        "4. `make test`: tests/scrapers/test_registry.py fails for this provider until then.\n",
        "utf-8",
    )
    return [registry, folder]
