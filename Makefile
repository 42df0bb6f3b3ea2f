# The two commands: `make run` (embedded default, no service needed) and `make test` (the whole
# suite on PostgreSQL and Redis). See the README for the rest.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
WEB_CONCURRENCY ?= 2
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test serve lint format bench install install-dev assets browser clean messages

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

# Bootstrap and Leaflet come from the npm registry, pinned by package-lock.json, and are served
# as our own static files.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the front-end assets: apt-get install -y nodejs npm"; exit 2; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

install: $(VENV)/.installed node_modules/.installed
install-dev: $(VENV)/.installed-dev node_modules/.installed

# Debian's Chromium for the browser tests (Playwright cannot download browsers here).
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; \
	  else \
	    echo "Browser tests need Chromium at $(CHROMIUM): sudo apt-get install -y chromium"; \
	  fi; \
	fi

# Links in mail and feeds point at the port served here (SITE_URL, unless it is set).
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install-dev browser
	@scripts/with-services.sh $(VENV)/bin/pytest $(PYTEST_ARGS)

serve: install
	scripts/serve.sh

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install-dev
	@scripts/with-services.sh scripts/bench.sh

clean:
	rm -rf $(VENV) node_modules var/static .pytest_cache .ruff_cache

# After changing user-facing strings: collect them, translate the new ones in locale/*/django.po,
# then compile (the compiled .mo files are committed, so running the portal needs no gettext).
messages: install
	$(PY) manage.py makemessages -l de -l fr -l it -l sl --ignore=.venv --ignore=node_modules --ignore=var --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules
