# Everyday commands. `make run` and `make test` work on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_WORKERS ?= 2

.PHONY: run install migrate seed test test-fast lint format worker beat frontend redoc clean screenshots

run: install migrate seed  ## install, migrate, load the demo council and serve on 127.0.0.1:8000
	$(PY) manage.py runserver $(HOST):$(PORT)

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo --url http://$(HOST):$(PORT)/

screenshots: install  ## each role's main page and a quarterly report, from the demo, into docs/screenshots/
	SCREENSHOTS_DIR=docs/screenshots $(PY) -m pytest -p no:cacheprovider tests/browser/test_screenshots.py

test: install  ## the whole suite: in parallel, then the browser and live tests one at a time
	@status=0; \
	$(PY) -m pytest -n $(TEST_WORKERS) -m "not browser and not live" || status=1; \
	$(PY) -m pytest -m "browser or live" || status=1; \
	exit $$status

test-fast: install  ## everything but the browser and live tests, in parallel
	$(PY) -m pytest -n $(TEST_WORKERS) -m "not browser and not live"

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates $(wildcard */templates) --lint
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: install
	$(VENV)/bin/celery -A qa_audit worker --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A qa_audit beat --loglevel=INFO

frontend:  ## rebuild GOV.UK Frontend CSS and JS into static/ (needs Node.js)
	bash frontend/build.sh

redoc: install  ## copy Redoc from drf-spectacular-sidecar into static/ (after upgrading it)
	$(PY) frontend/vendor_redoc.py

clean:
	rm -rf $(VENV) var
