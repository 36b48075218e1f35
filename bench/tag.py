"""Tagging throughput: ``llo-supply tag`` end to end against bare spaCy tokenisation.

    .venv/bin/python bench/tag.py [--docs N] [--words W] [--json]

Generates N synthetic Dutch course texts of about W words (deterministic), stores them as
courses in a fresh catalogue, then measures in this one process:

- ``tag``: ``llo_supply.tagging.tag_courses`` as ``llo-supply tag`` runs it (two forked
  workers on a big job; pipeline build excluded and reported on its own; reading courses,
  tagging, tag assembly and catalogue writes included);
- ``baseline``: ``spacy.blank("nl")`` tokenising the same texts with ``nlp.pipe``.

It reports documents/s and tokens/s of both, their ratio, and the process's peak memory.
Targets: >= 500 documents/s and < 1.5 GB peak on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import spacy

from llo_supply import catalogue
from llo_supply.nlp.tagger import Tagger
from llo_supply.tagging import tag_courses

TARGET_DOCS_PER_S = 500
TARGET_PEAK_MB = 1536

# Domain phrases (some are taxonomy terms, some not) and filler, combined at random.
PHRASES = [
    "je installeert een warmtepomp", "zonnepanelen op een plat dak", "werken volgens NEN 1010",
    "veilig werken volgens NEN 3140", "laadpalen aansluiten", "de energietransitie in de wijk",
    "circulaire economie in de bouw", "procestechniek in de chemische industrie",
    "wondzorg en medicatieveiligheid", "persoonlijke verzorging van ouderen",
    "programmeren in Python", "databases beheren met SQL", "projectmanagement volgens Prince2",
    "een liquiditeitsbegroting maken", "de jaarrekening opstellen", "werving en selectie",
    "leidinggeven aan een team", "klantcontact in de thuiszorg", "isolatie van bestaande bouw",
    "onderhoud van installaties", "het energielabel van een woning", "duurzaam bouwen met hout",
]  # fmt: skip
FILLER_TEXT = (
    "de cursus duurt enkele weken en je werkt met praktijkopdrachten uit je eigen organisatie "
    "na afloop ontvang je een certificaat en kun je direct aan de slag in de praktijk "
    "de docenten hebben jarenlange ervaring en begeleiden je persoonlijk tijdens de lessen "
    "je leert in een kleine groep samen met collega's uit andere organisaties en sectoren"
)
FILLER = FILLER_TEXT.split()


def make_texts(count: int, words: int, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    texts = []
    for i in range(count):
        parts: list[str] = []
        while sum(len(p.split()) for p in parts) < words:
            if rng.random() < 0.25:
                parts.append(rng.choice(PHRASES))
            else:
                parts.append(" ".join(rng.choices(FILLER, k=rng.randint(6, 14))))
        sentences = [p[0].upper() + p[1:] + "." for p in parts]
        title = f"{rng.choice(PHRASES).capitalize()} {i}"
        texts.append((title, " ".join(sentences)))
    return texts


def fill_catalogue(db_path: Path, texts: list[tuple[str, str]]) -> None:
    db = catalogue.connect(db_path)
    now = "2027-01-01T00:00:00Z"
    run = catalogue.start_run(db, "bench", "Bench", "https://bench.example", "", now)
    items = [
        {"course_id": f"bench:{i}", "provider": "bench", "url": f"https://bench.example/{i}",
         "title": title, "description": text, "learning_outcomes": [], "crawled_at": now}
        for i, (title, text) in enumerate(texts)
    ]  # fmt: skip
    for start in range(0, len(items), 2000):
        catalogue.stage_items(db, run, items[start : start + 2000])
    catalogue.finish_run(
        db, run, {"finish_reason": "finished", "downloader/response_status_count/200": 1}, now
    )
    db.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--words", type=int, default=300)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    texts = make_texts(args.docs, args.words)
    with tempfile.TemporaryDirectory(prefix="llo-bench-tag-") as tmp:
        db_path = Path(tmp) / "bench.db"
        fill_catalogue(db_path, texts)

        blank = spacy.blank("nl")
        started = time.perf_counter()
        tokens = sum(
            len(doc) for doc in blank.pipe((f"{t}\n\n{x}" for t, x in texts), batch_size=256)
        )
        baseline_s = time.perf_counter() - started

        started = time.perf_counter()
        tagger = Tagger()
        tagger.nlp  # noqa: B018 -- build the pipeline outside the timed tagging
        build_s = time.perf_counter() - started

        db = catalogue.connect(db_path)
        started = time.perf_counter()
        result = tag_courses(db, tagger)
        tag_s = time.perf_counter() - started
        db.close()
    if result.tagged != args.docs:
        print(f"error: tagged {result.tagged} of {args.docs} documents", file=sys.stderr)
        return 1
    # The largest of this process and its forked tagging workers.
    peak_mb = (
        max(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        )
        / 1024
    )
    report = {
        "documents": args.docs,
        "tokens": tokens,
        "tag": {
            "seconds": round(tag_s, 2),
            "documents_per_s": round(args.docs / tag_s, 1),
            "tokens_per_s": round(tokens / tag_s),
            "tags": result.tags,
        },
        "pipeline_build_seconds": round(build_s, 2),
        "baseline_tokenise": {
            "seconds": round(baseline_s, 2),
            "documents_per_s": round(args.docs / baseline_s, 1),
            "tokens_per_s": round(tokens / baseline_s),
        },
        "ratio": round(baseline_s / tag_s, 3),
        "peak_memory_mb": round(peak_mb),
        "target_documents_per_s": TARGET_DOCS_PER_S,
        "target_met": args.docs / tag_s >= TARGET_DOCS_PER_S and peak_mb < TARGET_PEAK_MB,
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{args.docs} documents, {tokens} tokens ({tokens // args.docs} per document)")
        print(
            f"tag:      {report['tag']['documents_per_s']:>8} docs/s  "
            f"{report['tag']['tokens_per_s']:>9} tokens/s  ({tag_s:.1f} s, {result.tags} tags)"
        )
        print(
            f"baseline: {report['baseline_tokenise']['documents_per_s']:>8} docs/s  "
            f"{report['baseline_tokenise']['tokens_per_s']:>9} tokens/s  (blank('nl') tokeniser)"
        )
        print(f"ratio tag/baseline: {report['ratio']}  pipeline build: {build_s:.1f} s")
        print(
            f"peak memory: {report['peak_memory_mb']} MB  "
            f"target >= {TARGET_DOCS_PER_S} docs/s and < {TARGET_PEAK_MB} MB: "
            f"{'met' if report['target_met'] else 'NOT met'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
