# The two commands of the README: `make run` and `make test`. Everything else supports them.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
PORT ?= 5000
TMPDIR ?= /tmp
TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
export FLASK_APP := app

SEMGREP_VENV := $(VENV)/semgrep
SEMGREP := $(SEMGREP_VENV)/bin/semgrep
SEMGREP_FLAGS := --metrics=off --disable-version-check --quiet
SEMGREP_VERSION := 1.182.0

.PHONY: run test test-sqlite test-postgresql lint security install browser-deps postgres serve clean messages bench

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall whenever the pinned dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# The compiled catalogues are built here, never committed (only the .po files are).
CATALOGUES := $(wildcard therapy/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)

therapy/translations/%/LC_MESSAGES/messages.mo: therapy/translations/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel -q compile -d therapy/translations -l $*

install: $(VENV)/.installed $(COMPILED)

## make run: set up, migrate, seed the demo practice into an empty database, serve on 127.0.0.1
run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	@echo ""
	@echo "  Open http://127.0.0.1:$(PORT)/ and log in with a demo login above."
	@echo "  The second step asks for a 6-digit code; get the current one with"
	@echo "    $(BIN)/flask demo-code eva@demo.example"
	@echo "  (demo database only; real accounts use an authenticator app)."
	@echo ""
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

## make test: set up, check the code, then run the whole suite on SQLite and on PostgreSQL
## side by side (each suite's output is printed whole when it finishes)
test: install browser-deps postgres lint security
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgresql

test-sqlite: install
	$(BIN)/pytest --db=sqlite --basetemp=$(TMPDIR)/therapy-tests-sqlite

test-postgresql: install
	TEST_POSTGRES_URL=$(TEST_POSTGRES_URL) $(BIN)/pytest --db=postgresql \
	  --basetemp=$(TMPDIR)/therapy-tests-postgresql

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# semgrep pins many libraries of its own, so it gets a virtualenv of its own (works offline:
# the rules are local and metrics are off).
$(SEMGREP_VENV)/.installed: | $(BIN)/activate
	$(PYTHON) -m venv $(SEMGREP_VENV)
	$(SEMGREP_VENV)/bin/pip install --quiet semgrep==$(SEMGREP_VERSION)
	touch $@

## make security: bandit and semgrep with the house rules in .semgrep/ (0 findings), after
## proving each rule still catches its examples in tests/semgrep/
security: install $(SEMGREP_VENV)/.installed
	$(BIN)/bandit -c pyproject.toml -r therapy -q
	$(SEMGREP) scan --test $(SEMGREP_FLAGS) --config .semgrep/python.yml tests/semgrep/python.py
	$(SEMGREP) scan --test $(SEMGREP_FLAGS) --config .semgrep/templates.yml tests/semgrep/templates.html
	$(SEMGREP) scan $(SEMGREP_FLAGS) --no-git-ignore --error --config .semgrep therapy templates

# Browser tests drive Debian's Chromium; Playwright's own browser download cannot work here.
# WeasyPrint needs Pango and HarfBuzz's subsetter for the bundled fonts.
browser-deps:
	@command -v chromium >/dev/null || { \
	  echo "Installing Chromium and poppler-utils (needs root and Debian's apt)"; \
	  apt-get update -qq && apt-get install -y -qq chromium poppler-utils >/dev/null; }
	@ldconfig -p | grep -q "libharfbuzz-subset.so" || { \
	  echo "Installing Pango and HarfBuzz's subsetter for WeasyPrint (needs root and Debian's apt)"; \
	  apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 \
	    libharfbuzz-subset0 >/dev/null; }

# The suite runs on the local PostgreSQL server too; start it if it is installed but down.
postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || { \
	  command -v pg_ctlcluster >/dev/null && \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start; } || true

## make serve: production-style server (gunicorn) with the settings in gunicorn.conf.py
serve: install
	$(BIN)/flask db upgrade
	$(BIN)/gunicorn --config gunicorn.conf.py app:app

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis

## make messages: extract every marked string, update each catalogue with it, compile them
## (new strings arrive untranslated: translate them in the .po; the catalogue test insists)
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-wrap --sort-by-file \
	  --ignore-dirs='.* __pycache__' -o therapy/translations/messages.pot . >/dev/null
	$(BIN)/pybabel update -i therapy/translations/messages.pot -d therapy/translations \
	  --no-wrap --ignore-obsolete --no-fuzzy-matching
	$(BIN)/pybabel compile -d therapy/translations --statistics

## make bench: seed 100 and 10,000 patients into SQLite and PostgreSQL and print page and
## document latency beside their baselines, with one `target:` line per goal
# Every part runs even when an earlier one misses a target; the status says whether all held.
bench: install postgres
	@status=0; for part in pages languages documents throughput load "crash 20 sqlite" exports journey; do \
	  echo "== bench.$$part"; $(BIN)/python -m bench.$$part || status=1; done; exit $$status
