"""The one item of llo-supply: a course as offered by a provider.

Spiders fill the identifying fields and the ``*_text`` fields with what the page says;
the normalise pipeline derives the typed fields from them. Every field is documented in
the README's data-format section (a test keeps the two in step).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Course:
    # Filled by the spider.
    provider: str
    url: str
    title: str
    course_code: str | None = None
    canonical_url: str | None = None
    description: str = ""
    learning_outcomes: list[str] = field(default_factory=list)
    target_group: str | None = None
    category: str | None = None
    certificate: str | None = None
    language_text: str | None = None
    level_text: str | None = None
    delivery_text: str | None = None
    study_load_text: str | None = None
    duration_text: str | None = None
    price_text: str | None = None
    start_text: str | None = None
    location_text: str | None = None
    ects_text: str | None = None
    # Filled by the pipelines.
    course_id: str = ""
    level: str | None = None
    nlqf: int | None = None
    delivery_modes: list[str] = field(default_factory=list)
    study_load_hours: float | None = None
    duration: str | None = None
    price_eur: float | None = None
    price_period: str | None = None
    vat: str | None = None
    start_dates: list[str] = field(default_factory=list)
    start_anytime: bool = False
    locations: list[str] = field(default_factory=list)
    language: str | None = None
    ects: float | None = None
    crawled_at: str = ""


# Fields that make up a course's content: a change in any of them is a new version.
# The URL is not one: the same page may be served from a mirror or another host.
CONTENT_FIELDS: tuple[str, ...] = (
    "title",
    "course_code",
    "description",
    "learning_outcomes",
    "target_group",
    "category",
    "certificate",
    "level",
    "nlqf",
    "delivery_modes",
    "study_load_hours",
    "duration",
    "price_eur",
    "price_period",
    "vat",
    "start_dates",
    "start_anytime",
    "locations",
    "language",
    "ects",
)


@dataclass
class Vacancy:
    """A job posting as an employer or job board publishes it (schema.org ``JobPosting``).

    The demand side's item: the vacancy pipeline validates and stores it with
    ``llo_supply.vacancies`` exactly as an imported export row. ``text`` may be HTML.
    """

    source: str
    url: str
    title: str = ""
    text: str = ""
    employer: str | None = None
    location: str | None = None
    date: str | None = None
    id: str | None = None
