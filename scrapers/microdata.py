"""Read schema.org microdata (itemscope/itemprop) into JSON-LD-shaped dicts.

Small on purpose: only what course pages use. Each top-level item becomes
``{"@type": "Course", "name": ..., "offers": {...}}``; a property given twice becomes a list.
"""

from __future__ import annotations

import re
from typing import Any

from parsel import Selector

_SPACE = re.compile(r"\s+")
# Attributes that carry an itemprop's value, by element (HTML microdata spec, section 5.4).
_VALUE_ATTRS = {
    "meta": "content", "link": "href", "a": "href", "area": "href", "img": "src", "audio": "src",
    "video": "src", "source": "src", "object": "data", "time": "datetime", "data": "value",
    "meter": "value",
}  # fmt: skip


def _type_of(node: Selector) -> str:
    itemtype = node.attrib.get("itemtype", "")
    return itemtype.rstrip("/").rsplit("/", 1)[-1] if itemtype else ""


def _value(node: Selector) -> Any:
    if "itemscope" in node.attrib:
        return item(node)
    tag = node.root.tag if isinstance(node.root.tag, str) else ""
    attr = _VALUE_ATTRS.get(tag.lower())
    if attr and node.attrib.get(attr) is not None:
        return node.attrib[attr].strip()
    if tag.lower() == "time" and node.attrib.get("datetime") is None:
        return _SPACE.sub(" ", "".join(node.xpath(".//text()").getall())).strip()
    return _SPACE.sub(" ", " ".join(node.xpath(".//text()").getall())).strip()


def _own_props(scope: Selector) -> list[Selector]:
    """Elements with itemprop that belong to this scope, not to a nested one."""
    found = []
    for node in scope.xpath(".//*[@itemprop]"):
        # The nearest itemscope ancestor of the property must be this scope.
        owner = node.xpath("ancestor::*[@itemscope][1]")
        if owner and owner[0].root is scope.root:
            found.append(node)
    return found


def item(scope: Selector) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": _type_of(scope)}
    for node in _own_props(scope):
        value = _value(node)
        for name in node.attrib["itemprop"].split():
            if name in data:
                current = data[name]
                data[name] = [*current, value] if isinstance(current, list) else [current, value]
            else:
                data[name] = value
    return data


def items(selector: Selector) -> list[dict[str, Any]]:
    """Every top-level microdata item on the page (items not inside another item's property)."""
    return [item(node) for node in selector.xpath("//*[@itemscope][not(@itemprop)]")]
