# MAEX op Maat. `make help` lists the targets.
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PORT ?= 8000
export PORT

$(VENV)/.installed: requirements.txt requirements-dev.txt requirements.lock
	@test -x $(PY) || $$(platform/find-python) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt -c requirements.lock
	@touch $@

install: $(VENV)/.installed ## Create .venv and install every dependency
	@true

# Links (mail, index, sitemap) carry the port the platform is served on: pure configuration, passed explicitly.
run: export MAEX_LINK_PORT ?= $(PORT)
run: install ## Run the platform with demo data (embedded PostgreSQL unless DATABASE_URL is set)
	$(MANAGE) migrate_schemas --executor=multiprocessing
	$(MANAGE) sync_roles
	$(MANAGE) seed_demo
	$(MANAGE) sync_sign_on_clients
	$(MANAGE) run_platform --port $(PORT)

# The tests run in TEST_WORKERS parallel processes (pytest-xdist), each with a database of its own; most tests wait
# on PostgreSQL, a server or a worker, so more processes than cores pay (docs/decisions/0029). 0: one process.
TEST_WORKERS ?= 3
test: install ## Run every test (embedded PostgreSQL unless DATABASE_URL is set), in TEST_WORKERS processes
	@platform/ensure-chromium
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup $(ARGS)

lint: install ## ruff check and format check, the apps' layering, Django system checks, missing migrations
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	DJANGO_SETTINGS_MODULE=maex.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=maex.settings.dev $(MANAGE) check
	DJANGO_SETTINGS_MODULE=maex.settings.production DJANGO_SECRET_KEY=lint-only-$$(printf '%064d' 0) \
	  DJANGO_ALLOWED_HOSTS=maex.example DATABASE_URL=postgres://lint@127.0.0.1/lint REDIS_URL=redis://127.0.0.1:6379/0 \
	  EMAIL_URL=smtp+tls://lint:lint@mail.maex.example:587 MAEX_SIGN_ON_PRIVATE_KEY=lint-only \
	  $(MANAGE) check --deploy --fail-level WARNING
	DJANGO_SETTINGS_MODULE=maex.settings.test $(MANAGE) makemigrations --check --dry-run

format: install ## Format the code with ruff
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install ## Benchmark on a synthetic national dataset (separate database) and print a table
	$(MANAGE) bench $(ARGS)

messages: install ## Update and compile the translation files (needs GNU gettext)
	$(MANAGE) makemessages -l en --ignore=.venv --ignore=.run --ignore=tests
	$(MANAGE) compilemessages --ignore=.venv

# Says what it did or why it could not (stale handles removed, or the processes still using the server).
stop: ## Stop the embedded PostgreSQL of the zero-setup mode
	@if [ -x $(PY) ]; then $(PY) platform/stop-postgres .run/pgdata; \
	else echo "make stop: no $(VENV) in this folder, so no embedded PostgreSQL was started from it; nothing to stop."; fi

clean: stop ## Remove the virtualenv and all local state (.run: embedded database, broker, mail)
	rm -rf $(VENV) .run media staticfiles

help: ## Show this help
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-9s %s\n", $$1, $$2}'

.PHONY: install run test lint format bench messages stop clean help
