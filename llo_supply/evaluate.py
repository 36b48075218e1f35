"""Measure the tagger against hand-labelled texts: precision, recall and F1 per level."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from llo_supply.nlp.tagger import DOC_KINDS, DocTags, Tag, Tagger
from llo_supply.taxonomy import read_gz, skill_group_of, skill_parents


class EvaluationInputError(ValueError):
    """A texts or gold file that cannot be read; the message names file and line."""


def read_jsonl(path: Path, required: Iterable[str]) -> list[dict[str, Any]]:
    rows = []
    needed = list(required)
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise EvaluationInputError(f"{path}:{number}: not valid JSON ({exc.msg})") from exc
            if not isinstance(row, dict):
                raise EvaluationInputError(f"{path}:{number}: expected a JSON object")
            missing = [k for k in needed if k not in row]
            if missing:
                raise EvaluationInputError(
                    f"{path}:{number}: missing field(s) {', '.join(missing)}"
                )
            rows.append(row)
    if not rows:
        raise EvaluationInputError(f"{path}: no records")
    return rows


def prf(pairs: Iterable[tuple[set[str], set[str]]]) -> dict[str, float]:
    """Micro-averaged precision, recall and F1 over (predicted, gold) sets."""
    tp = fp = fn = 0
    for predicted, gold in pairs:
        tp += len(predicted & gold)
        fp += len(predicted - gold)
        fn += len(gold - predicted)
    return _scores(tp, tp + fp, tp, tp + fn)


def _scores(right_predicted: int, predicted: int, found_gold: int, gold: int) -> dict[str, float]:
    """Precision (right share of predictions), recall (found share of gold) and F1."""
    precision = right_predicted / predicted if predicted else 0.0
    recall = found_gold / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def sector_accuracy(pairs: Iterable[tuple[list[str], list[str]]]) -> float:
    """Share of texts whose first predicted sector is one of the gold sectors, counting a
    text right when both say "cross-sector" (no sector at all)."""
    right = total = 0
    for predicted, gold in pairs:
        total += 1
        right += (predicted[0] in gold) if predicted else not gold
    return round(right / total, 3) if total else 0.0


def near_prf(
    pairs: Iterable[tuple[set[str], set[str]]], broader: dict[str, set[str]]
) -> dict[str, float]:
    """Precision and recall where a near-synonym counts: the gold concept, its broader or
    narrower skill, or a sibling under the same broader skill (not merely the same group).
    A diagnostic of how much of the gap is the choice between ESCO near-synonyms."""

    def near(uri: str, others: set[str]) -> bool:
        if uri in others:
            return True
        mine = broader.get(uri, set())
        return any(
            o in mine or uri in broader.get(o, set()) or mine & broader.get(o, set())
            for o in others
        )

    hit_p = n_p = hit_g = n_g = 0
    for predicted, gold in pairs:
        n_p += len(predicted)
        n_g += len(gold)
        hit_p += sum(near(u, gold) for u in predicted)
        hit_g += sum(near(u, predicted) for u in gold)
    return _scores(hit_p, n_p, hit_g, n_g)


def broader_skills(base: Path) -> dict[str, set[str]]:
    """Skill URI -> its broader concepts that are skills themselves (groups left out)."""
    skills = {r["uri"] for r in read_gz(base / "esco" / "skills.csv.gz")}
    found = {uri: {p for p in up if p in skills} for uri, up in skill_parents(base).items()}
    return {uri: up for uri, up in found.items() if up}


def evaluate(
    tagger: Tagger,
    texts: list[dict[str, Any]],
    gold: list[dict[str, Any]],
    errors: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Scores per level; ``errors``, when given, receives one record a text that has any
    missed or wrong tag (see ``error_record``)."""
    for rows, what in ((texts, "text"), (gold, "gold record")):
        twice = sorted(k for k, n in Counter(r["id"] for r in rows).items() if n > 1)
        if twice:
            raise EvaluationInputError(f"{what} id(s) given twice: {', '.join(twice[:5])}")
    by_id = {g["id"]: g for g in gold}
    unknown = [t["id"] for t in texts if t["id"] not in by_id]
    if unknown:
        raise EvaluationInputError(f"no gold labels for text id(s): {', '.join(unknown[:5])}")
    # A text without a kind takes its gold record's, then "course".
    kinds = [t.get("kind") or by_id[t["id"]].get("kind") or "course" for t in texts]
    bad = [t["id"] for t, kind in zip(texts, kinds, strict=True) if kind not in DOC_KINDS]
    if bad:
        raise EvaluationInputError(
            f"kind must be one of {', '.join(DOC_KINDS)} (text id(s) {', '.join(bad[:5])})"
        )
    predictions = list(
        tagger.tag_many(
            (t.get("title", ""), t["text"], t.get("category"), kind)
            for t, kind in zip(texts, kinds, strict=True)
        )
    )
    golds = [by_id[t["id"]] for t in texts]
    if errors is not None:
        for t, p, g in zip(texts, predictions, golds, strict=True):
            if (record := error_record(t["id"], p, g)) is not None:
                errors.append(record)
    group = skill_group_of(tagger.base)

    def pairs(pred: Callable[[DocTags], set[str]], gold_of: Callable[[dict], set[str]]):
        return [(pred(p), gold_of(g)) for p, g in zip(predictions, golds, strict=True)]

    def groups(uris: Iterable[str]) -> set[str]:
        return {group.get(u, u) for u in uris}

    skill_pairs = pairs(
        lambda p: {t.concept for t in p.skills}, lambda g: {s["uri"] for s in g["skills"]}
    )
    return {
        "skills": {
            "exact": prf(skill_pairs),
            "group": prf(
                pairs(
                    lambda p: groups(t.concept for t in p.skills),
                    lambda g: groups(s["uri"] for s in g["skills"]),
                )
            ),
            "near": near_prf(skill_pairs, broader_skills(tagger.base)),
        },
        "occupations": {
            "exact": prf(
                pairs(
                    lambda p: {t.concept for t in p.occupations},
                    lambda g: {o["uri"] for o in g["occupations"]},
                )
            ),
            "isco4": prf(
                pairs(
                    lambda p: {t.isco or "" for t in p.occupations},
                    lambda g: {o["isco"] for o in g["occupations"]},
                )
            ),
            "isco2": prf(
                pairs(
                    lambda p: {(t.isco or "")[:2] for t in p.occupations},
                    lambda g: {o["isco"][:2] for o in g["occupations"]},
                )
            ),
        },
        "sectors": {
            **prf(pairs(lambda p: {t.concept for t in p.sectors}, lambda g: set(g["sectors"]))),
            "accuracy": sector_accuracy(
                ([t.concept for t in p.sectors], list(g["sectors"]))
                for p, g in zip(predictions, golds, strict=True)
            ),
        },
        "n_docs": len(texts),
    }


def error_record(doc_id: str, predicted: DocTags, gold: dict[str, Any]) -> dict[str, Any] | None:
    """What the tagger missed and what it got wrong in one text, with the evidence of each:
    the misses are the gold labels' (their quoted phrase), the wrong tags the tagger's."""
    record: dict[str, Any] = {
        "id": doc_id,
        "skills": _differences(
            gold["skills"], predicted.skills, {"label": "label_en", "evidence": "evidence"}
        ),
        "occupations": _differences(
            gold["occupations"], predicted.occupations, {"label": "label_nl", "isco": "isco"}
        ),
    }
    sectors = [t.concept for t in predicted.sectors]
    if sectors != list(gold["sectors"]):
        record["sectors"] = {"predicted": sectors, "gold": list(gold["sectors"])}
    wrong_somewhere = any(
        record[k]["missed"] or record[k]["wrong"] for k in ("skills", "occupations")
    )
    return record if wrong_somewhere or "sectors" in record else None


def _differences(
    gold: list[dict[str, Any]], tags: Sequence[Tag], fields: dict[str, str]
) -> dict[str, list[dict[str, Any]]]:
    """Gold labels not found (with ``fields``: output key -> gold key) and tags not in gold."""
    by_uri = {g["uri"]: g for g in gold}
    found = {t.concept for t in tags}
    return {
        "missed": [
            {"uri": uri, **{key: g.get(source, "") for key, source in fields.items()}}
            for uri, g in by_uri.items()
            if uri not in found
        ],
        "wrong": [_wrong(t) for t in tags if t.concept not in by_uri],
    }


def _wrong(tag: Tag) -> dict[str, Any]:
    return {
        "uri": tag.concept,
        "label": tag.label,
        "evidence": tag.evidence,
        "start": tag.start,
        "rule": tag.rule,
    }
