"""Read course facts from a schema.org ``Course`` object (JSON-LD) as page-like texts.

Each function returns the text a person would read on the page ("€ 2950.00 excl. btw"),
so structured data and facts tables go through the same normalise pipeline.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

COURSE_TYPES = ("Course", "EducationalOccupationalProgram")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _instances(course: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for i in _as_list(course.get("hasCourseInstance")) if isinstance(i, dict)]


def _join(values: list[Any]) -> str | None:
    seen: list[str] = []
    for value in values:
        if isinstance(value, dict):  # a DefinedTerm or Credential: its name
            value = value.get("name") or value.get("@value") or ""
        text = str(value).strip()
        if text and text not in seen:
            seen.append(text)
    return ", ".join(seen) or None


def price_text(course: dict[str, Any]) -> str | None:
    offer = next((o for o in _as_list(course.get("offers")) if isinstance(o, dict)), None)
    if offer is None or offer.get("price") in (None, ""):
        return None
    spec = next((p for p in _as_list(offer.get("priceSpecification")) if isinstance(p, dict)), {})
    parts = [f"€ {offer['price']}"]
    if spec.get("unitCode") == "MON":
        parts.append("per maand")
    elif spec.get("unitCode") == "ANN":
        parts.append("per jaar")
    category = str(offer.get("category") or "")
    # JSON-LD gives a boolean, microdata the text "true"/"false".
    vat_included = str(spec.get("valueAddedTaxIncluded", "")).strip().lower()
    if "btw" in category.lower():
        parts.append(category)
    elif vat_included == "true":
        parts.append("incl. btw")
    elif vat_included == "false":
        parts.append("excl. btw")
    return " ".join(parts)


def start_text(course: dict[str, Any]) -> str | None:
    return _join([i.get("startDate") for i in _instances(course) if i.get("startDate")])


def location_text(course: dict[str, Any]) -> str | None:
    places = []
    for instance in _instances(course):
        for location in _as_list(instance.get("location")):
            if isinstance(location, dict) and location.get("@type") != "VirtualLocation":
                address = location.get("address") or {}
                locality = address.get("addressLocality") if isinstance(address, dict) else None
                places.append(locality or location.get("name"))
    return _join([p for p in places if p])


def delivery_text(course: dict[str, Any]) -> str | None:
    modes = [m for i in _instances(course) for m in _as_list(i.get("courseMode"))]
    return _join(modes)


def level_text(course: dict[str, Any]) -> str | None:
    return _join(_as_list(course.get("educationalLevel")))


def language_text(course: dict[str, Any]) -> str | None:
    return _join(_as_list(course.get("inLanguage")))


def certificate(course: dict[str, Any]) -> str | None:
    return _join(_as_list(course.get("educationalCredentialAwarded")))


def course_code(course: dict[str, Any]) -> str | None:
    return _join(_as_list(course.get("courseCode"))) or _text(course.get("identifier"))


def ects_text(course: dict[str, Any]) -> str | None:
    credits = course.get("numberOfCredits")
    if isinstance(credits, dict):
        credits = credits.get("value")
    return f"{credits} EC" if credits not in (None, "") else None


def _text(value: Any) -> str | None:
    """A property's text: a string, the name of a thing, or the first of a list."""
    for item in _as_list(value):
        if isinstance(item, dict):
            item = item.get("name") or item.get("audienceType") or item.get("@value")
        if item not in (None, ""):
            return str(item).strip()
    return None


def title(course: dict[str, Any]) -> str | None:
    return _text(course.get("name"))


def description(course: dict[str, Any]) -> str | None:
    return _text(course.get("description"))


def learning_outcomes(course: dict[str, Any]) -> list[str]:
    return [t for t in (_text(v) for v in _as_list(course.get("teaches"))) if t]


def target_group(course: dict[str, Any]) -> str | None:
    return _text(course.get("audience"))


def category(course: dict[str, Any]) -> str | None:
    for key in ("about", "keywords", "occupationalCategory"):
        found = _text(course.get(key))
        if found:
            return found.split(",")[0].strip()
    return None


def duration_text(course: dict[str, Any]) -> str | None:
    return _text(course.get("timeRequired")) or _text(course.get("timeToComplete"))


def program_start_text(course: dict[str, Any]) -> str | None:
    return start_text(course) or _text(course.get("startDate"))


def program_delivery_text(course: dict[str, Any]) -> str | None:
    return delivery_text(course) or _text(course.get("educationalProgramMode"))


# Course field (as named in a spider's fact_labels) -> extractor.
EXTRACTORS: dict[str, Callable[[dict[str, Any]], str | None]] = {
    "price": price_text,
    "start": program_start_text,
    "location": location_text,
    "delivery": program_delivery_text,
    "duration": duration_text,
    "level": level_text,
    "language": language_text,
    "certificate": certificate,
    "course_code": course_code,
    "ects": ects_text,
}
