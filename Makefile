# The two commands a newcomer needs: `make run` and `make test`. Everything else is a step.
SHELL := /bin/bash
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
SAFEGUARD := $(BIN)/safeguard
# The CIN census validator (csc-validator-be-cin) needs pandas<2 and numpy<2: its own venv.
CIN_VENV := .venv-cin

.PHONY: run test install assets browser lint lock bench load clean cin-validator lock-cin-validator

run: install assets
	$(SAFEGUARD) migrate --noinput -v0
	$(SAFEGUARD) collectstatic --noinput -v0
	$(SAFEGUARD) demo --if-empty $(if $(DEMO_CHILDREN),--children $(DEMO_CHILDREN))
	$(SAFEGUARD) schedule-jobs
	$(SAFEGUARD) demo_accounts --url http://$(HOST):$(PORT)/
	$(SAFEGUARD) serve --host $(HOST) --port $(PORT)

test: install assets browser lint cin-validator
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(SAFEGUARD) makemigrations --check --dry-run -v1

install: $(VENV)/.installed

# Python dependencies come only from the hashed lock; the project itself is installed on top.
$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# The CIN census conformance oracle, pinned with hashes in requirements-cin-validator.lock; the
# export's CI test runs it (safeguard/returns/tests/test_cin_conformance.py).
cin-validator: $(CIN_VENV)/.installed

$(CIN_VENV)/.installed: requirements-cin-validator.lock
	rm -rf $(CIN_VENV)
	$(PYTHON) -m venv $(CIN_VENV)
	$(CIN_VENV)/bin/pip install --quiet --require-hashes -r requirements-cin-validator.lock
	touch $@

# Built again only when its sources change: the build empties safeguard/static/govuk/ first, and
# `make run` (also run by a test) must not do that under a server or a browser test reading it.
assets: safeguard/static/govuk/.built

safeguard/static/govuk/.built: node_modules/.installed package-lock.json frontend/build.mjs \
		frontend/application.scss $(wildcard frontend/components/*.scss)
	npm run --silent build
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# UI tests drive Debian's Chromium through Playwright; no browser is downloaded.
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }
	@# systemd-analyze checks the example systemd units in deploy/ (test_deploy_docs.py).
	@command -v systemd-analyze >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq systemd; }

# Speed targets live here, not in the tests (bench/run.py says what each measures).
bench: install assets cin-validator
	$(BIN)/python bench/run.py
	$(BIN)/python bench/kpis.py
	$(BIN)/python bench/cin.py
	$(BIN)/pytest -q bench/test_crash_100.py bench/test_concurrency_400.py

# The load test (bench/load/run.py; docs/performance.md): LOAD_USERS staff at once for
# LOAD_TIME against the production server on a throw-away borough of LOAD_CHILDREN children
# (SQLite under var/load/, or DATABASE_URL), then the same client against a bare view (the
# floor). Exits non-zero if any request failed. Not part of `make test`.
LOAD_USERS ?= 200
LOAD_TIME ?= 60s
LOAD_CHILDREN ?= 2000
LOAD_ARGS ?=
load: install assets
	$(BIN)/python bench/load/run.py --users $(LOAD_USERS) --run-time $(LOAD_TIME) \
	  --children $(LOAD_CHILDREN) $(LOAD_ARGS)

# Regenerate the lock after changing dependencies in pyproject.toml.
lock: install
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --extra dev --strip-extras \
	  --output-file requirements.lock pyproject.toml

# Regenerate the CIN validator's lock after changing requirements-cin-validator.in.
lock-cin-validator: install
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	  --output-file requirements-cin-validator.lock requirements-cin-validator.in

clean:
	rm -rf $(VENV) $(CIN_VENV) node_modules safeguard/static/govuk staticfiles
