# Two commands from a fresh clone: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(PYTHON) -m uv
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
VENDOR := zwfw/core/static/vendor
# Each xdist worker gets its own test database; 2 workers suit the 2-core CI machine.
WORKERS ?= 2

.PHONY: uv run test test-all lint format install install-dev vendor system-deps migrate demo serve bench clean screenshots

uv:
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv

install: uv vendor
	$(UV) sync --frozen --no-dev

install-dev: uv vendor system-deps
	$(UV) sync --frozen

vendor: $(VENDOR)/htmx.min.js $(VENDOR)/echarts.min.js

$(VENDOR)/htmx.min.js $(VENDOR)/echarts.min.js: package.json
	npm install --no-audit --no-fund --silent
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/

# Debian's Chromium (browser tests) and CJK fonts (PDFs, screenshots), when missing and root.
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing$$missing"; apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing Debian packages:$$missing (browser tests will be skipped)"; fi; \
	fi

migrate: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v 0

demo: migrate
	$(PY) manage.py load_demo

run: demo
	@$(PY) manage.py demo_accounts
	@echo "Serving on http://$(HOST):$(PORT)/  (API docs: http://$(HOST):$(PORT)/api/v1/docs)"
	@echo "SMS (codes for public pages included) are printed here, not sent: [短信] …"
	@trap 'kill 0' EXIT; export NOTIFICATION_SENDER=zwfw.notifications.senders.ConsoleSender; \
	$(PY) manage.py run_huey --quiet & \
	$(VENV)/bin/gunicorn zwfw.wsgi:application --bind $(HOST):$(PORT) --workers 2 \
	  --access-logfile - --log-level warning

lint: install-dev
	$(VENV)/bin/ruff check zwfw tests bench

format:
	$(VENV)/bin/ruff format zwfw tests bench
	$(VENV)/bin/ruff check --fix zwfw tests bench

test: lint
	$(VENV)/bin/pytest -n $(WORKERS) -q $(PYTEST_ARGS)

# The whole suite on SQLite, the tests marked slow included (tests/slow.py).
test-all: lint
	ZWFW_SLOW=1 $(VENV)/bin/pytest -n $(WORKERS) -q $(PYTEST_ARGS)

# Main pages of the demo city per role, desktop and phone width, into var/screenshots/.
screenshots: install-dev
	ZWFW_SCREENSHOTS=1 $(VENV)/bin/pytest -q -p no:xdist tests/browser/test_screenshots.py

# bench/http.py needs wrk (Debian's package, installed here when missing and root) and
# DATABASE_URL=postgres://… (it says so and skips otherwise); small size here, 1 M by hand.
bench: install-dev
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing wrk"; apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else echo "missing Debian package: wrk (bench/http.py will be skipped)"; fi; }
	$(PY) bench/workdays.py
	$(PY) bench/cases.py --cases 500 --skip-million
	$(PY) bench/http.py --cases 20000 --seconds 5

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
