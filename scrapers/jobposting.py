"""Read a vacancy from a schema.org ``JobPosting`` object (JSON-LD), as plain values."""

from __future__ import annotations

from typing import Any

from scrapers.schemaorg import _as_list

POSTING_TYPES = ("JobPosting",)


def _name(value: Any) -> str | None:
    """The name of an Organization (or the text itself)."""
    if isinstance(value, dict):
        value = value.get("name")
    text = str(value or "").strip()
    return text or None


def _places(posting: dict[str, Any]) -> str | None:
    """Town names of every job location, in page order ("Deventer, Zwolle")."""
    towns: list[str] = []
    for place in _as_list(posting.get("jobLocation")):
        if not isinstance(place, dict):
            continue
        address = place.get("address")
        town = address.get("addressLocality") if isinstance(address, dict) else address
        town = str(town or place.get("name") or "").strip()
        if town and town not in towns:
            towns.append(town)
    return ", ".join(towns) or None


def _identifier(posting: dict[str, Any]) -> str | None:
    found = posting.get("identifier")
    if isinstance(found, dict):
        found = found.get("value")
    text = str(found or "").strip()
    return text or None


def vacancy_fields(posting: dict[str, Any]) -> dict[str, str | None]:
    """The vacancy fields of a JobPosting (``text`` may be HTML; the importer cleans it)."""
    return {
        "id": _identifier(posting),
        "title": str(posting.get("title") or "").strip(),
        "text": str(posting.get("description") or ""),
        "employer": _name(posting.get("hiringOrganization")),
        "location": _places(posting),
        "date": str(posting.get("datePosted") or "").strip() or None,
    }
