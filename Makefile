# Ignite Recap: the few verbs a newcomer needs. `make run` and `make test` set everything up.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTHON_CANDIDATES := python3.13 python3.12 python3 python
# The first interpreter that is Python 3.12 or newer (pyenv shims that are not selected fail).
PYTHON ?= $(shell for p in $(PYTHON_CANDIDATES); do \
	if $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then echo $$p; break; fi; done)
# make serve: production settings on loopback (plain HTTP there, so no HTTPS redirect).
SERVE_ENV := DJANGO_DEBUG=0 DJANGO_SECRET_KEY="$$(cat $(VENV)/secret_key)" \
	DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0

.PHONY: run test setup serve bench messages lint format system-deps test-postgres clean

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
		echo "Ignite Recap needs Python 3.12 or newer, and none was found (tried: $(PYTHON_CANDIDATES))." >&2; \
		echo "Install Python 3.13 (e.g. 'pyenv install 3.13'; .python-version selects it) or run 'make PYTHON=/path/to/python3.13 …'." >&2; \
		exit 1; fi
	@if [ -x $(BIN)/python ] && ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		echo "Replacing $(VENV): it was made with Python older than 3.12."; rm -rf $(VENV); fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

## setup: virtualenv, dependencies, database, launch content (safe to run again)
setup: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_content

## run: set up and start the development site on http://127.0.0.1:8000
run: setup
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## test: set up and run every test (SQLite, and a real Chromium for the browser tests)
test: $(STAMP) system-deps
	$(BIN)/python -m pytest

## test-postgres: the whole suite on PostgreSQL and Redis (as CI runs it)
test-postgres: $(STAMP) system-deps
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ignite} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/1} $(BIN)/python -m pytest

# Debian packages the tests use: chromium (browser tests) and gettext (catalogue check).
system-deps:
	@missing=""; [ -x /usr/bin/chromium ] || missing="chromium"; \
	command -v xgettext >/dev/null 2>&1 || missing="$$missing gettext"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing Debian packages for the tests:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else \
			echo "The tests need Debian packages:$$missing (sudo apt-get install -y$$missing)" >&2; exit 1; \
		fi; fi

## serve: the site as production runs it (gunicorn, WhiteNoise, DEBUG off) on loopback
serve: setup
	@[ -s $(VENV)/secret_key ] || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $(VENV)/secret_key
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(SERVE_ENV) $(BIN)/python manage.py check --deploy --fail-level ERROR
	$(SERVE_ENV) $(BIN)/gunicorn -c ignite/gunicorn.conf.py --bind $(HOST):$(PORT) ignite.wsgi

## bench: load the catalog for 30 s with wrk against `make serve` (start it first) and print figures
bench:
	scripts/loadtest.sh http://$(HOST):$(PORT)

## messages: refresh the Japanese catalogue after changing interface strings, then compile it
messages: $(STAMP)
	$(BIN)/python manage.py makemessages --locale ja --no-obsolete --add-location file \
		--ignore ".venv/*" --ignore "staticfiles/*" --ignore "tests/*"
	$(BIN)/python manage.py compilemessages --locale ja --ignore ".venv/*"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache .ruff_cache .hypothesis
