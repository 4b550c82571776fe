# Quartiers Cafés — `make run` serves the demo site, `make test` runs the suite.
# Type `make help` for the list.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The site's base URL in emailed links and the demo's Wagtail Site (home/links.py): where
# `make run` serves, unless WAGTAILADMIN_BASE_URL is set in the environment.
WAGTAILADMIN_BASE_URL ?= http://$(HOST):$(PORT)
DEV := DJANGO_SETTINGS_MODULE=config.settings.dev WAGTAILADMIN_BASE_URL=$(WAGTAILADMIN_BASE_URL)

.DEFAULT_GOAL := help
.PHONY: help run install install-dev messages compilemessages migrate demo test test-e2e lint bench bench-search bench-pages bench-load clean

help: ## Show this help
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-16s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime-installed

node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm introuvable : axe-core et le validateur HTML ne sont pas installés."; fi

install: $(VENV)/.runtime-installed ## Install the runtime dependencies in .venv

install-dev: $(VENV)/.dev-installed node_modules/.installed ## Install the test and tooling dependencies

compilemessages: ## Compile the French catalogue (skipped with a notice when msgfmt is missing)
	@if command -v msgfmt >/dev/null 2>&1; then \
		$(DEV) $(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v0; \
	else echo "msgfmt introuvable (paquet gettext) : catalogue non compilé, le site reste en français."; fi

PO := locale/fr/LC_MESSAGES/django.po

messages: ## Rebuild the French catalogue from the code (msgids are French, msgstr = msgid)
	@# Rebuilt from scratch: merging would add fuzzy guesses (« thèmes » for « Tous les thèmes »).
	rm -f $(PO)
	$(DEV) $(BIN)/python manage.py makemessages -l fr --ignore=.venv --ignore=node_modules --ignore=staticfiles --no-obsolete
	msgen --no-wrap $(PO) -o $(PO).tmp && mv $(PO).tmp $(PO)
	sed -i -e 's/^"Language: \\n"/"Language: fr\\n"/' $(PO)
	msgattrib --clear-fuzzy --no-wrap $(PO) -o $(PO)

migrate: install
	$(DEV) $(BIN)/python manage.py migrate --noinput

demo: migrate ## Load the demo content (idempotent)
	$(DEV) $(BIN)/python manage.py load_demo_content
	$(DEV) $(BIN)/python manage.py ensure_dev_superuser

run: install compilemessages demo ## Install, migrate, load the demo content and serve on HOST:PORT
	@echo ""
	@echo "  Site :            http://$(HOST):$(PORT)/"
	@echo "  Administration :  http://$(HOST):$(PORT)/admin/  (admin / changeme)"
	@echo ""
	$(DEV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install-dev compilemessages ## Install the test dependencies and run the whole suite
	@if [ -x /usr/bin/chromium ]; then echo "Chromium trouvé : les parcours navigateur (tests/e2e) sont lancés."; \
	else echo "*** Chromium absent (/usr/bin/chromium) : les parcours navigateur sont IGNORÉS. apt-get install chromium pour les lancer. ***"; fi
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest $(PYTEST_ARGS)

test-e2e: install-dev ## Run only the browser journeys
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest tests/e2e $(PYTEST_ARGS)

lint: install-dev ## ruff, the import contracts (lint-imports), Django's checks and the migrations check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(DEV) $(BIN)/python manage.py check
	$(DEV) $(BIN)/python manage.py makemigrations --check --dry-run

bench: bench-search bench-pages ## Run every benchmark (see bench/README.md)

bench-search: install-dev ## Search and story-index timings at 1 000 and 10 000 stories
	$(BIN)/python bench/search.py

bench-pages: install-dev ## Pages under gunicorn, cached and uncached, as shares of a trivial view (needs wrk)
	$(BIN)/python bench/pages.py

bench-load: install-dev ## 1 000 applications from 20 clients under gunicorn, SQLite and PostgreSQL, with faults (COUNT=200 for a quick run)
	$(BIN)/python bench/load.py --count $(or $(COUNT),1000)

clean: ## Remove the virtualenv, the database and generated files
	rm -rf $(VENV) node_modules db.sqlite3* media private_media staticfiles .test-media artefacts
