"""Spiders for providers that publish schema.org course data, made from ``providers.toml``.

Adding such a provider is a registry entry plus a fixture site; no Python. Each entry
becomes a spider class here, so ``scrapy list`` and ``llo-supply crawl`` see it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from scrapers.spiders.base import ListingCourseSpider, SitemapCourseSpider, StructuredDataMixin

REGISTRY = Path(__file__).resolve().parent.parent / "providers.toml"
LISTING_KEYS = {"start_paths", "listing_link_css", "course_link_css", "next_page_css"}
# Optional CSS hooks for fields a provider's structured data leaves out.
FIELD_HOOKS = {
    "title", "description", "category", "target_group", "course_code", "certificate", "level",
    "delivery", "duration", "price", "start", "location", "language", "ects",
}  # fmt: skip
KNOWN_KEYS = {"name", "site_url", "sitemap_rules", "fixture", "allowed_domains", "field_css",
              *LISTING_KEYS}  # fmt: skip


class RegistryError(ValueError):
    """A providers.toml entry that cannot become a spider; the message says which and why."""


class RegistryListingSpider(StructuredDataMixin, ListingCourseSpider):
    registry_entry: ClassVar[dict[str, Any]] = {}


class RegistrySitemapSpider(StructuredDataMixin, SitemapCourseSpider):
    registry_entry: ClassVar[dict[str, Any]] = {}


def _path_rule(rule: str) -> str:
    # Registry rules are written against the URL path; sitemap rules see the whole URL.
    return r"^https?://[^/]+" + rule[1:] if rule.startswith("^") else rule


@dataclass(frozen=True)
class RegistryKind:
    """What a registry's spiders collect: their base classes and the keys an entry may use."""

    listing_base: type
    sitemap_base: type
    link_key: str  # the CSS selector of the item links on a listing page
    known_keys: frozenset[str]
    hooks: bool  # whether field_css hooks apply
    # Scrapy's spider loader takes a class from the module its __module__ names.
    module: str = __name__


COURSES = RegistryKind(
    RegistryListingSpider, RegistrySitemapSpider, "course_link_css", frozenset(KNOWN_KEYS), True
)


def spider_class(
    slug: str, entry: dict[str, Any], source: Path = REGISTRY, kind: RegistryKind = COURSES
) -> type:
    unknown = set(entry) - kind.known_keys
    if unknown:
        raise RegistryError(f"{source}: [{slug}]: unknown key(s) {', '.join(sorted(unknown))}")
    for key in ("name", "site_url"):
        if not entry.get(key):
            raise RegistryError(f"{source}: [{slug}]: {key} is required")
    if not str(entry["site_url"]).startswith(("http://", "https://")):
        raise RegistryError(f"{source}: [{slug}]: site_url must start with http(s)://")
    domains = entry.get("allowed_domains", [])
    if not isinstance(domains, list) or not all(isinstance(d, str) for d in domains):
        raise RegistryError(f'{source}: [{slug}]: allowed_domains is a list: ["cdn.x.nl"]')
    hooks = entry.get("field_css", {}) if kind.hooks else {}
    if not isinstance(hooks, dict):
        raise RegistryError(f'{source}: [{slug}]: field_css is a table: {{ category = "..." }}')
    unknown_hooks = set(hooks) - FIELD_HOOKS
    if unknown_hooks:
        raise RegistryError(
            f"{source}: [{slug}]: field_css: unknown field(s) {', '.join(sorted(unknown_hooks))}; "
            f"known: {', '.join(sorted(FIELD_HOOKS))}"
        )
    attrs: dict[str, Any] = {
        "__module__": kind.module,
        "field_css": dict(hooks),
        "extra_domains": tuple(entry.get("allowed_domains", ())),
        "name": slug,
        "provider_name": entry["name"],
        "site_url": str(entry["site_url"]).rstrip("/"),
        "fixture_only": bool(entry.get("fixture", False)),
        "registry_entry": entry,
    }
    if entry.get("sitemap_rules"):
        base: type = kind.sitemap_base
        attrs["course_url_pattern"] = "|".join(_path_rule(r) for r in entry["sitemap_rules"])
    elif entry.get("start_paths") and entry.get(kind.link_key):
        base = kind.listing_base
        attrs["start_paths"] = tuple(entry["start_paths"])
        attrs["course_link_css"] = entry[kind.link_key]
        for key in ("listing_link_css", "next_page_css"):
            attrs[key] = entry.get(key)
    else:
        raise RegistryError(
            f"{source}: [{slug}]: give sitemap_rules, or start_paths and {kind.link_key}"
        )
    class_name = "".join(part.capitalize() for part in slug.replace("_", "-").split("-"))
    return type(f"{class_name}Spider", (base,), attrs)


def load_registry(path: Path = REGISTRY, kind: RegistryKind = COURSES) -> dict[str, type]:
    with path.open("rb") as fh:
        try:
            entries = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise RegistryError(f"{path}: {exc}") from exc
    spiders = {
        slug: spider_class(slug, entry, path, kind) for slug, entry in sorted(entries.items())
    }
    names: dict[str, str] = {}
    for slug, cls in spiders.items():
        if cls.__name__ in names:
            raise RegistryError(
                f"{path}: [{slug}] and [{names[cls.__name__]}] make the same spider class "
                f"{cls.__name__}; rename one slug"
            )
        names[cls.__name__] = slug
    return spiders


# Scrapy's spider loader finds spider classes among module globals.
globals().update({cls.__name__: cls for cls in load_registry().values()})
