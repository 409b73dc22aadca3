# The two commands a new user needs are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: demo test env lint typecheck migrations-check pytest messages serve worker clean

$(VENV)/.synced: pyproject.toml uv.lock scripts/bootstrap
	@scripts/bootstrap
	@touch $@

env: $(VENV)/.synced

## make demo: environment, SQLite database under var/, regions, demo data, translations; then serve.
# Links in messages, PDFs and QR codes point at this server, whatever the port.
DEMO_ENV = DEBUG=1 SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}"
demo: env
	@mkdir -p var
	@$(DEMO_ENV) $(PY) manage.py compilemessages --ignore '.venv/*' -v 0
	@$(DEMO_ENV) $(PY) manage.py migrate --no-input -v 0
	@$(DEMO_ENV) $(PY) manage.py load_regions
	@$(DEMO_ENV) $(PY) manage.py load_demo
	@echo "Serving on http://127.0.0.1:$(PORT)/ with the background worker (Ctrl+C stops both)"
	@echo "Messages (confirmation codes, WhatsApp, e-mail) are printed to var/worker.log"
	@$(DEMO_ENV) $(PY) manage.py db_worker >var/worker.log 2>&1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

## make test: lint, types, migrations, the whole suite (DATABASE_URL=postgres://… for PostgreSQL).
test: env lint typecheck migrations-check pytest

lint: env
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

typecheck: env
	DEBUG=1 $(VENV)/bin/mypy src

migrations-check: env
	DJANGO_SETTINGS_MODULE=vokasi.settings_test $(PY) manage.py makemigrations --check --dry-run -v 1

pytest: env
	@DEBUG=1 $(PY) manage.py compilemessages --ignore '.venv/*' -v 0
	$(VENV)/bin/pytest $(PYTEST_ARGS)

## make messages: refresh the translation catalogues after changing user-facing strings.
messages: env
	cd src/vokasi && DEBUG=1 ../../$(PY) ../../manage.py makemessages -l id -l en --no-obsolete

worker: env
	DEBUG=1 $(PY) manage.py db_worker

clean:
	rm -rf $(VENV) .tools var/*.sqlite3*
