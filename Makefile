# Recruit: two commands do all set-up on a fresh machine (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi:app

.PHONY: run test test-browser lint assets translations install install-dev chromium clean

$(BIN)/flask: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev: $(BIN)/flask
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/flask
install-dev: $(VENV)/.dev

static/nhsuk/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf static/nhsuk
	cp -r node_modules/nhsuk-frontend/dist/nhsuk static/nhsuk
	touch $@

assets: static/nhsuk/.installed

# Message catalogues for the self-referral form: the .po files are ours, .mo files are built.
PO_FILES := $(wildcard recruit/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)
%.mo: %.po $(BIN)/flask
	$(BIN)/pybabel --quiet compile -i $< -o $@

translations: $(MO_FILES)

run: install assets translations
	$(BIN)/flask db upgrade
	$(BIN)/flask demo seed
	$(BIN)/flask run --host 127.0.0.1 --port 5000

lint: install-dev
	$(BIN)/ruff check .

test: install-dev assets translations lint
	$(BIN)/pytest -q tests --ignore=tests/browser
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL =="; \
		DATABASE_URL="$$TEST_DATABASE_URL" $(BIN)/pytest -q tests --ignore=tests/browser; \
	fi

# Browser tests drive Debian's Chromium (a browser download is not possible everywhere).
chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

test-browser: install-dev assets translations chromium
	$(BIN)/pytest -q tests/browser -p no:cacheprovider

clean:
	rm -rf $(VENV) node_modules static/nhsuk .pytest_cache .ruff_cache
