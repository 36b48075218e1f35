# Two commands on a fresh machine: `make demo` and `make test` (Python 3.11 + make).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DB ?= llo_supply.db

.PHONY: setup demo test lint format bench evaluate clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

SAMPLE_VACANCIES := fixtures/vacancies/sample_vacancies.csv

demo: $(STAMP)
	$(BIN)/llo-supply crawl --fixtures --db $(DB)
	$(BIN)/llo-supply vacancies import $(SAMPLE_VACANCIES) --db $(DB)
	$(BIN)/llo-supply tag --db $(DB)
	$(BIN)/llo-supply match --db $(DB)
	$(BIN)/llo-supply summary --db $(DB)
	$(BIN)/llo-supply vacancies summary --db $(DB)
	$(BIN)/llo-supply quadrants --db $(DB) --level sector
	$(BIN)/llo-supply quadrants --db $(DB) --level isco4 --quadrant ja-nee --top 10
	$(BIN)/llo-supply report --db $(DB) -o report.html

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python bench/crawl.py
	$(BIN)/python bench/tag.py
	$(BIN)/python bench/match.py --keep .bench

# The tagger on the hand-labelled development set (tests/data/dev).
evaluate: $(STAMP)
	$(BIN)/llo-supply evaluate --texts tests/data/dev/texts.jsonl --texts tests/data/dev/texts_2.jsonl \
		--texts tests/data/dev/texts_3.jsonl --texts tests/data/dev/texts_4.jsonl --texts tests/data/dev/texts_5.jsonl \
		--gold tests/data/dev/gold.jsonl --gold tests/data/dev/gold_2.jsonl --gold tests/data/dev/gold_3.jsonl \
		--gold tests/data/dev/gold_4.jsonl --gold tests/data/dev/gold_5.jsonl
	$(BIN)/llo-supply evaluate --texts tests/data/dev/texts.jsonl --texts tests/data/dev/texts_2.jsonl \
		--texts tests/data/dev/texts_3.jsonl --texts tests/data/dev/texts_4.jsonl --texts tests/data/dev/texts_5.jsonl \
		--gold tests/data/dev/gold_b.jsonl --gold tests/data/dev/gold_2_b.jsonl --gold tests/data/dev/gold_3_b.jsonl \
		--gold tests/data/dev/gold_4_b.jsonl --gold tests/data/dev/gold_5_b.jsonl

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm $(DB).cache .pytest_cache .ruff_cache report.html
