"""Clean text fields: entities, mojibake, stray white space; count replacement characters."""

from __future__ import annotations

import html
import re
from dataclasses import fields
from typing import Any

import ftfy

from scrapers.items import Course

_SPACES = re.compile(r"[ \t\r\f\v\xa0\u2007\u202f]+")
_BLANK_LINES = re.compile(r"\s*\n\s*\n\s*")
_LINE = re.compile(r"\s*\n\s*")
# Identifiers are kept exactly: unescaping "&region=" in a URL would turn it into "®ion=".
VERBATIM = frozenset({"provider", "url", "canonical_url", "course_code"})
_PLAIN = re.compile(r"[\x20-\x7e\t\n\r]*")
_MOJIBAKE = re.compile(r"Ã[\x80-\xbf©¨«»¯ºª]|â‚¬|â€[™œ\x9d˜“”]")


def clean_text(text: str) -> str:
    """Unescape entities, repair mojibake, collapse spaces; keep paragraph breaks."""
    # Plain printable ASCII without entities has nothing for ftfy to fix, and is most text.
    if not (text.isascii() and "&" not in text and _PLAIN.fullmatch(text)):
        # Keep curly quotes: they are the provider's typography, not an encoding error.
        text = ftfy.fix_text(html.unescape(text), normalization="NFC", uncurl_quotes=False)
    text = _SPACES.sub(" ", text)
    paragraphs = [_LINE.sub(" ", p).strip() for p in _BLANK_LINES.split(text)]
    return "\n\n".join(p for p in paragraphs if p)


class CleanTextPipeline:
    def __init__(self, crawler: Any) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> CleanTextPipeline:
        return cls(crawler)

    def process_item(self, item: Course) -> Course:
        for f in fields(item):
            if f.name in VERBATIM:
                continue
            value = getattr(item, f.name)
            if isinstance(value, str):
                setattr(item, f.name, self._clean(f.name, value))
            elif isinstance(value, list):
                cleaned = [self._clean(f.name, v) for v in value if isinstance(v, str)]
                setattr(item, f.name, [v for v in cleaned if v])
        return item

    def _clean(self, name: str, value: str) -> str:
        if "\ufffd" in value:
            self.stats.inc_value("llo/text/replacement_chars", value.count("\ufffd"))
        if _MOJIBAKE.search(value):
            self.stats.inc_value("llo/text/mojibake_repaired")
        return clean_text(value)
