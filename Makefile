# Run `make help` for the list of targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PYTEST := $(VENV)/bin/pytest
HOST ?= 127.0.0.1
PORT ?= 8000

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[dev]'
	touch $@

setup: $(VENV)/.installed ## create the virtualenv, install the pinned dependencies, compile translations
	scripts/install-system-packages.sh run
	$(PY) manage.py compilemessages --ignore '.venv/*' -v0

system: ## install the Debian packages the tests need (PostgreSQL, Chromium, …), if missing
	scripts/install-system-packages.sh test

db: setup ## migrate the database and load the demo data (SQLite unless DATABASE_URL is set)
	$(PY) manage.py migrate -v0
	$(PY) manage.py seed_demo

run: db ## set up everything and run the app with demo data at http://127.0.0.1:8000
	scripts/run-dev.sh $(HOST) $(PORT)

# The environment a production run needs (README, "Configuration and production"), with a
# throwaway secret key: `check --deploy` judges the settings production would get.
DEPLOY_ENV = DEBUG=false ALLOWED_HOSTS=fondo.example.org \
	CSRF_TRUSTED_ORIGINS=https://fondo.example.org SITE_URL=https://fondo.example.org \
	DATABASE_URL=postgres://fondo@localhost/fondo \
	SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')

lint: setup ## ruff, missing migrations, Italian translations, production settings (check --deploy)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run -v0
	scripts/check-translations.sh
	$(DEPLOY_ENV) $(PY) manage.py check --deploy --fail-level WARNING

serve: setup ## production: migrate, collectstatic, gunicorn + task workers (settings from the environment)
	scripts/serve.sh

test: system lint ## set up and run the whole suite on SQLite and on a throwaway PostgreSQL
	scripts/pytest.sh sqlite
	scripts/with-postgres.sh scripts/pytest.sh postgresql

test-fast: setup ## the suite on SQLite only, without the browser tests
	$(PYTEST) -n 2 -m "not browser" -q

reset: setup ## throw away the SQLite database and build the demo data again
	rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm
	$(MAKE) db

benchmark: setup ## the monthly run (100,000 leases), the pages (10,000 households), a bank statement import, on SQLite and PostgreSQL; the PDFs; the funder report
	scripts/install-system-packages.sh benchmark
	@# Each script prints its figures with targets and pass/fail; a failed target does not stop the rest (the leading '-').
	-$(PY) benchmarks/run_monthly.py --leases 100000
	-scripts/with-postgres.sh $(PY) benchmarks/run_monthly.py --leases 100000
	-$(PY) benchmarks/pages.py --households 10000
	-scripts/with-postgres.sh $(PY) benchmarks/pages.py --households 10000
	-$(PY) benchmarks/import_statement.py --lines 100000
	-scripts/with-postgres.sh $(PY) benchmarks/import_statement.py --lines 100000
	-$(PY) benchmarks/pdfs.py
	-$(PY) benchmarks/funder_report.py --households 10000 --years 3
	-scripts/with-postgres.sh $(PY) benchmarks/funder_report.py --households 10000 --years 3

.PHONY: help setup system db run serve lint test test-fast reset benchmark
