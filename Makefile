# The two commands: `make run` serves the demo; `make test` checks everything.
# Contributors' targets (lint, test-fast, import-graph, adr-index): see CONTRIBUTING.md.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed

.PHONY: run test test-fast install install-dev lint typecheck import-graph adr-index messages bench loadtest faulttest clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(RUNTIME_STAMP) $@

install: $(RUNTIME_STAMP)

install-dev: $(DEV_STAMP)

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py ensure_demo_staff
	# The dev server and a background worker side by side (Procfile.dev); Ctrl+C stops both.
	$(VENV)/bin/honcho -f Procfile.dev start

# What mypy checks: the foundation and every app's services, selectors and querysets, found by
# glob so that a new app's files are checked without editing this list.
TYPED_FILES = core $(sort $(wildcard */services.py */selectors.py */querysets.py))

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy $(TYPED_FILES)

# Types alone, for the edit loop.
typecheck: install-dev
	$(VENV)/bin/mypy $(TYPED_FILES)

test: lint
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	# Two workers for the bulk of the suite; the browser tests run on their own afterwards,
	# since Playwright's sync API refuses a process where another test left an event loop.
	$(VENV)/bin/pytest -n 2 -m "not browser"
	$(VENV)/bin/pytest -m browser

# The suite without the tests marked `slow` (long fuzz sweeps, data generators, live servers),
# for the edit-test loop; `make test` and CI still run everything.
test-fast: lint
	$(VENV)/bin/pytest -n 2 -m "not browser and not slow"

# Redraw docs/architecture.md (the app-level import graph); a test fails when it is stale.
import-graph: install-dev
	$(PY) scripts/import_graph.py

# Regenerate docs/adr/README.md from the records' titles and statuses.
adr-index:
	$(PY) scripts/adr_index.py

# Refresh the Urdu catalogue from the code and templates, then compile it: commit both
# locale/ur/LC_MESSAGES/django.po and django.mo (CI may have no gettext; ADR 0705).
messages: install-dev
	$(PY) manage.py makemessages -l ur --ignore=.venv --ignore=tests --ignore=staticfiles --ignore=artifacts
	$(PY) manage.py compilemessages -l ur --ignore=.venv

# Benchmark against PostgreSQL: make bench SCALE=S|M|L (see bench/README.md).
SCALE ?= S
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/registry_bench
bench: install-dev
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/run.py --scale $(SCALE)

# 60 s of mixed partner traffic against gunicorn on loopback (see ops/README.md).
# make loadtest: seed_demo's programme; make loadtest LOAD_SCALE=M: the benchmark's M data.
loadtest: install-dev
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) ops/loadtest.py --seconds 60 $(if $(LOAD_SCALE),--scale $(LOAD_SCALE))

# PostgreSQL stopped and started under load, on a throwaway cluster of its own.
faulttest: install-dev
	$(PY) ops/faulttest.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache artifacts
