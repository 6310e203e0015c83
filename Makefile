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
# make serve: production settings on loopback. The deploy check sees them exactly as production
# has them; only the server then turns off the HTTPS redirect and secure cookies, which plain
# HTTP on loopback cannot use. Its migrate records $(HOST):$(PORT) as the domain of sitemap links.
PRODUCTION_ENV := DJANGO_DEBUG=0 DJANGO_SECRET_KEY="$$(cat $(VENV)/secret_key)" \
	DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost DJANGO_SITE_DOMAIN=$(HOST):$(PORT)
SERVE_ENV := $(PRODUCTION_ENV) DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0

.PHONY: run test setup serve bench bench-scale bench-deps messages api-schema lint format system-deps test-postgres clean

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

## test: set up and run every test (SQLite, and a real Chromium for the browser tests), one
## process per core (pytest-xdist; WORKERS=0 for one process); pytest options in ARGS,
## e.g. make test ARGS='-m "not browser"'
WORKERS ?= auto
test: $(STAMP) system-deps
	$(BIN)/python -m pytest -n $(WORKERS) $(ARGS)

## test-postgres: the whole suite on PostgreSQL and Redis (as CI runs it)
test-postgres: $(STAMP) system-deps
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ignite} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/1} $(BIN)/python -m pytest -n $(WORKERS) $(ARGS)

# What the tests use beyond Python: Debian's chromium (browser tests), gettext (catalogue check),
# a Java runtime and npm for the Nu HTML Checker (vnu-jar, fetched into the virtualenv), and the
# Noto CJK fonts (Japanese in the social images and in the browser's screenshots).
VNU_VERSION := 26.9.27
VNU_JAR := $(VENV)/node/node_modules/vnu-jar/build/dist/vnu.jar
CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
system-deps:
	@missing=""; [ -x /usr/bin/chromium ] || missing="chromium"; \
	command -v xgettext >/dev/null 2>&1 || missing="$$missing gettext"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	[ -e $(CJK_FONT) ] || missing="$$missing fonts-noto-cjk"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing Debian packages for the tests:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else \
			echo "The tests need Debian packages:$$missing (sudo apt-get install -y$$missing)" >&2; exit 1; \
		fi; fi
	@[ -s $(VNU_JAR) ] || { echo "Installing the Nu HTML Checker (npm vnu-jar@$(VNU_VERSION)) into $(VENV)/node"; \
		npm install --silent --no-save --no-audit --no-fund --prefix $(VENV)/node vnu-jar@$(VNU_VERSION); }

## serve: the site as production runs it (gunicorn, WhiteNoise, DEBUG off) on loopback
serve: setup
	@[ -s $(VENV)/secret_key ] || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $(VENV)/secret_key
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(PRODUCTION_ENV) $(BIN)/python manage.py migrate --noinput -v0
	$(PRODUCTION_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING
	$(SERVE_ENV) $(BIN)/gunicorn -c ignite/gunicorn.conf.py --bind $(HOST):$(PORT) ignite.wsgi

## bench: load the catalog for 30 s with wrk against `make serve` (start it first) and print figures
bench:
	scripts/loadtest.sh http://$(HOST):$(PORT)

## bench-scale: the same pages at launch size and with N generated features (N=10000): render
## times, wrk throughput against a bare view (page cache on/off), the keynote surge, imports vs
## loaddata; about 10 minutes. DB=postgres runs it on a throwaway PostgreSQL database.
BENCH_POSTGRES := postgres://postgres@127.0.0.1:5432/ignite_bench
bench-scale: $(STAMP) bench-deps
	$(if $(filter postgres,$(DB)),BENCH_DATABASE_URL=$${BENCH_DATABASE_URL:-$(BENCH_POSTGRES)}) \
		$(BIN)/python scripts/bench_scale.py $(or $(N),10000)

# wrk (Debian's package) for the benchmarks; Redis and, for DB=postgres, PostgreSQL must be running.
bench-deps:
	@command -v wrk >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing Debian packages for the benchmarks: wrk"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
		else \
			echo "The benchmarks need wrk (sudo apt-get install -y wrk)" >&2; exit 1; \
		fi; }

## messages: refresh the Japanese catalogue after changing interface strings, then compile it
messages: $(STAMP)
	$(BIN)/python manage.py makemessages --locale ja --no-obsolete --add-location file \
		--ignore ".venv/*" --ignore "staticfiles/*" --ignore "tests/*"
	$(BIN)/python manage.py compilemessages --locale ja --ignore ".venv/*"

## api-schema: after a deliberate API change, refresh the committed OpenAPI document the tests compare
api-schema: $(STAMP)
	$(BIN)/python manage.py spectacular --lang en --format openapi-json --validate --fail-on-warn \
		--file tests/api/openapi-v1.json

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles staticfiles-manifest db.sqlite3 .pytest_cache .ruff_cache .hypothesis
