# The two commands: `make run` and `make test`. Everything else is a step they depend on.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
ASSETS := static/build/portal.css
PORT ?= 8000

.PHONY: run test lint format bench install assets clean-var migrate demo

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(ASSETS): node_modules/.package-lock.json assets/build.mjs assets/portal.scss
	npm run --silent build

install: $(STAMP)
assets: $(ASSETS)

var:
	mkdir -p var/celery/queue var/celery/processed var/celery/control var/media

# Starts the portal with demo data at http://127.0.0.1:$(PORT) (8000; `PORT=8001 make run` for
# another): web, the Celery workers (delivery and the other jobs; the deadline sweep on its own)
# and beat. Links in emails and texts follow the port unless SITE_URL is set.
run: export DEBUG ?= true
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: install assets var
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	$(VENV)/bin/honcho start -f Procfile --port $(PORT)

# Runs the whole suite. Browser tests run where Chromium is installed (CI makes them mandatory).
test: install assets var
	$(PY) manage.py makemigrations --check --dry-run --settings=portal.test_settings
	$(VENV)/bin/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Benchmarks: see bench/README.md. Use DATABASE_URL for PostgreSQL figures.
bench: install
	$(PY) bench/run_all.py
