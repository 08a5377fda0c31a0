# Two commands do everything on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test test-fast lint format lock chromium bench bench-scale soak cluster clean

# Re-installs only when the lock file changes, so re-running any target is quick.
$(STAMP): requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "learnfrl needs Python 3.11 or newer; set PYTHON=python3.12 (or similar).")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

setup: $(STAMP)
	DEBUG=1 $(PY) manage.py migrate --noinput

# The background worker (django-tasks' db_worker: "Optimize my schedule") runs beside the web
# server and is stopped with it (Ctrl+C, or the server exiting).
run: setup
	DEBUG=1 $(PY) manage.py load_questions
	@DEBUG=1 $(PY) manage.py db_worker --no-reload --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# Every test: the non-browser tests on every core (pytest-xdist, one test database per worker),
# then the browser journeys one at a time (each drives a chromium against a live server).
test: setup chromium
	$(VENV)/bin/pytest -m "not e2e" -n auto
	$(VENV)/bin/pytest -m e2e

# Everything but the browser journeys, on every core, for a quick loop while editing.
test-fast: $(STAMP)
	$(VENV)/bin/pytest -m "not e2e" -n auto

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Regenerate the pinned lock files after changing dependencies in pyproject.toml. No index URL
# or wheel directory of this machine goes into them: they install from the package index anywhere.
lock: $(STAMP)
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
		--output-file requirements.txt pyproject.toml
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
		--extra dev --output-file requirements-dev.txt pyproject.toml

# The browser tests drive Debian's chromium, never a downloaded browser.
chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "The browser tests need Debian's chromium at /usr/bin/chromium: run 'sudo apt-get install chromium', or 'make test-fast' to skip them." >&2; \
		exit 1; \
	fi

# Performance: seeds bench/results/bench.sqlite3 (or DATABASE_URL), serves it with gunicorn on
# 127.0.0.1 and appends a report to docs/benchmarks.md. BENCH_ARGS passes options to bench.run.
bench: $(STAMP)
	$(PY) -m bench.run $(BENCH_ARGS)

# The scale run on the local PostgreSQL server: a small and a 10,000-learner database.
bench-scale: $(STAMP)
	$(PY) -m bench.scale $(BENCH_ARGS)

# Load and faults: 50 learners for 60 s, a restart mid-run, the database away (see README).
soak: $(STAMP)
	$(PY) -m bench.soak $(BENCH_ARGS)

# Scale-out on this machine: nginx (docs/deploy/nginx.conf) -> two gunicorn servers -> PostgreSQL
# and Redis on 127.0.0.1; 50 learners for 60 s, one server killed and brought back (see README).
cluster: $(STAMP)
	$(PY) -m bench.cluster $(CLUSTER_ARGS)

clean:
	rm -rf $(VENV) staticfiles test-artifacts .pytest_cache .ruff_cache
