# Two commands for a person: `make run` and `make test`. The rest are their steps.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test install install-test translations system-deps lint serve

## make run: install, migrate, load the demo into an empty database, serve on http://127.0.0.1:5000
## with a job worker beside the server (letters and long lists are made in the background);
## both stop together on Ctrl-C.
run: install translations
	$(BIN)/flask --app meetings setup
	@echo "Open http://$(HOST):$(PORT)/ and sign in with one of the accounts above."
	$(BIN)/flask --app meetings jobs-worker --workers 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/flask --app meetings run --host $(HOST) --port $(PORT)

## make test: install the test dependencies (and Chromium where we may), run the whole suite
test: install-test translations system-deps
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_ARGS)

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

translations: install
	$(BIN)/python scripts/i18n.py compile

system-deps:
	@scripts/system-deps.sh

lint: install-test
	$(BIN)/ruff check .

## gunicorn as in production, stock threaded workers (DATABASE_URL etc. from the environment;
## ./gunicorn.conf.py stops it when RATELIMIT_STORAGE_URI would not be shared by its workers),
## and a job worker beside it. Several hosts: see docs/deployment.md. Scans that reach a worker's
## threads at the same moment are written in one transaction (meetings/api/group.py): 16 threads,
## as many as the connections each worker keeps (meetings/config.py).
WORKERS ?= 2
THREADS ?= 16
serve: install translations
	$(BIN)/flask --app meetings setup --no-demo
	$(BIN)/flask --app meetings jobs-worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/gunicorn -k gthread -w $(WORKERS) --threads $(THREADS) -b $(HOST):$(PORT) wsgi:app
