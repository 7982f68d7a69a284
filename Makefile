# Weizhi — every target explains itself: `make help`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 8000
# make test runs the suite in this many processes (pytest-xdist), each test file whole in one,
# in the order collected, the files with a transactional test last (tests/conftest.py); 1: one
# process, no xdist.
TEST_WORKERS ?= 2
PYTEST_PROCESSES := $(if $(filter-out 1,$(TEST_WORKERS)),-n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder,-p no:xdist)
# The project's own Chinese for what Wagtail's catalogue lacks, compiled without GNU gettext.
MESSAGES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
# Apache ECharts for the public pages' charts, committed under ECHARTS_DIR.
ECHARTS_VERSION ?= 6.1.0
ECHARTS_DIR := cms/static/vendor/echarts
# CodeMirror 5 with its YAML mode for the admin's configuration editor, committed under CODEMIRROR_DIR.
CODEMIRROR_VERSION ?= 5.65.18
CODEMIRROR_DIR := cms/static/vendor/codemirror
export DJANGO_SETTINGS_MODULE ?= cms.settings.dev

.DEFAULT_GOAL := help
.PHONY: help install messages vendor-echarts vendor-codemirror lock lint format check test test-smoke run worker migrate demo bench bench-feed bench-district graphql-schema clean

help: ## List the targets and what each does
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-15s %s\n", $$1, $$2}'

$(BIN)/.installed: pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $@

install: $(BIN)/.installed messages ## Create .venv, install the pinned dependencies, compile translations

messages: $(MESSAGES) ## Compile locale/*/LC_MESSAGES/*.po (the admin's Chinese) to .mo with polib

locale/%.mo: locale/%.po $(BIN)/.installed
	$(BIN)/python -c 'import sys, polib; polib.pofile(sys.argv[1]).save_as_mofile(sys.argv[2])' $< $@

vendor-echarts: ## Refresh cms/static/vendor/echarts/ (committed) from the npm registry with npm
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
		npm pack --silent --pack-destination "$$tmp" echarts@$(ECHARTS_VERSION) >/dev/null && \
		tar -xzf "$$tmp"/echarts-$(ECHARTS_VERSION).tgz -C "$$tmp" && \
		mkdir -p $(ECHARTS_DIR) && \
		cp "$$tmp"/package/dist/echarts.min.js "$$tmp"/package/LICENSE "$$tmp"/package/NOTICE $(ECHARTS_DIR)/ && \
		cp "$$tmp"/package/licenses/LICENSE-d3 $(ECHARTS_DIR)/ && \
		echo $(ECHARTS_VERSION) > $(ECHARTS_DIR)/VERSION && \
		echo "ECharts $(ECHARTS_VERSION) -> $(ECHARTS_DIR)/"

vendor-codemirror: ## Refresh cms/static/vendor/codemirror/ (committed) from the npm registry with npm
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
		npm pack --silent --pack-destination "$$tmp" codemirror@$(CODEMIRROR_VERSION) >/dev/null && \
		tar -xzf "$$tmp"/codemirror-$(CODEMIRROR_VERSION).tgz -C "$$tmp" && \
		mkdir -p $(CODEMIRROR_DIR) && \
		cp "$$tmp"/package/lib/codemirror.js "$$tmp"/package/lib/codemirror.css \
			"$$tmp"/package/mode/yaml/yaml.js "$$tmp"/package/LICENSE $(CODEMIRROR_DIR)/ && \
		echo $(CODEMIRROR_VERSION) > $(CODEMIRROR_DIR)/VERSION && \
		echo "CodeMirror $(CODEMIRROR_VERSION) -> $(CODEMIRROR_DIR)/"

lock: ## Re-pin requirements.lock to what is installed now (after changing pyproject.toml)
	$(BIN)/python -m pip freeze --exclude-editable --exclude weizhi | sort > requirements.lock

lint: install ## ruff: lint and format; import-linter: layers, no cycles; mypy: types (django-stubs)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/mypy

format: install ## ruff: fix what it can and format
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install ## Django system checks and the migrations-match-models check
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

test: lint check ## Lint, checks and the whole pytest suite (PostgreSQL/Redis when DATABASE_URL/CELERY_BROKER_URL are set)
	@if [ ! -x "$(CHROMIUM)" ]; then \
		echo "################################################################"; \
		echo "#  Chromium not found at $(CHROMIUM): BROWSER TESTS WILL BE SKIPPED."; \
		echo "#  Install Debian's package 'chromium' to run them."; \
		echo "################################################################"; \
	fi
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/pytest $(PYTEST_PROCESSES) --durations=20
	@case "$${DATABASE_URL:-sqlite}" in sqlite*) ;; *) $(MAKE) --no-print-directory test-smoke ;; esac

test-smoke: install ## A smoke run on the embedded default (SQLite, file-system broker)
	env -u DATABASE_URL -u CELERY_BROKER_URL DJANGO_SETTINGS_MODULE=cms.settings.test \
		WEIZHI_TEST_SQLITE=var/smoke-test.sqlite3 $(BIN)/pytest -m smoke -q

migrate: install ## Apply database migrations
	$(BIN)/python manage.py migrate --noinput

demo: migrate ## Load the demo street, its logins and a year of content; print the demo screens' addresses
	$(BIN)/python manage.py load_demo --base-url http://$(HOST):$(PORT)

worker: install ## Run the Celery worker with beat in the foreground
	$(BIN)/celery -A cms worker --beat --loglevel=INFO --concurrency=2

run: demo ## Set everything up and serve Weizhi at http://127.0.0.1:8000 with the worker
	@mkdir -p var/log
	@$(BIN)/celery -A cms worker --beat --loglevel=INFO --concurrency=2 \
		--logfile=var/log/celery.log --schedule=var/celerybeat-schedule >/dev/null & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	echo ""; \
	echo "  微治已启动（后台任务 worker + beat 已运行，日志：var/log/celery.log）"; \
	echo "  管理后台   http://$(HOST):$(PORT)/admin/"; \
	echo "  GraphQL    http://$(HOST):$(PORT)/graphql/"; \
	echo "  公开页面   http://$(HOST):$(PORT)/"; \
	$(BIN)/python manage.py load_demo --addresses-only --base-url http://$(HOST):$(PORT); \
	echo "  演示账号见 README.md（密码均为 weizhi-demo）"; \
	echo ""; \
	$(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

bench: migrate ## Run the benchmarks in benchmarks/ and write their JSON results to benchmarks/results/
	@command -v wrk >/dev/null || { echo "wrk not found: the HTTP benchmarks need it (sudo apt-get install -y wrk)"; exit 2; }
	$(BIN)/python -m benchmarks.voting_tally
	$(BIN)/python -m benchmarks.site_config_apply
	$(BIN)/python -m benchmarks.admin_scale
	$(BIN)/python -m benchmarks.units_import
	$(BIN)/python -m benchmarks.fast_paths
	$(BIN)/python -m benchmarks.district_scale

bench-feed: migrate ## Only the screen feed and its fast paths (fast_paths.json, screen_feed.json)
	@command -v wrk >/dev/null || { echo "wrk not found: the HTTP benchmarks need it (sudo apt-get install -y wrk)"; exit 2; }
	$(BIN)/python -m benchmarks.fast_paths

bench-district: migrate ## Only the district: its screens and its admin (district_scale.json, admin_scale.*.json)
	@command -v wrk >/dev/null || { echo "wrk not found: the HTTP benchmarks need it (sudo apt-get install -y wrk)"; exit 2; }
	$(BIN)/python -m benchmarks.admin_scale
	$(BIN)/python -m benchmarks.district_scale

graphql-schema: install ## Regenerate graphql/schema.graphql from the code in api/
	$(BIN)/python manage.py graphql_schema --out graphql/schema.graphql

clean: ## Remove the virtual environment and everything in var/
	rm -rf $(VENV) var
