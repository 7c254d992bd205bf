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

.PHONY: setup browser node plan test demo churn-demo churn-seed engagement-demo bench catalogue config-reference clean

$(VENV)/.installed: requirements.txt requirements-personalize.txt requirements-dev.txt policy/requirements.txt
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

# Node tools of the test suite, when package.json lists any (the workflow lint is a Python package now).
node:
	@if [ -f package.json ]; then npm ci --no-audit --no-fund --loglevel=error; fi

# The gate: a preview (what `pulumi preview --policy-pack` sees) and an update with plausible outputs, so rules
# that need values unknown before deployment run too.
plan: setup
	$(PY) -m tools.plan --stack $(STACK)
	$(PY) -m tools.plan --stack $(STACK) --mode update --quiet

test: setup browser node
	$(PY) -m pytest

demo: setup
	$(PY) -m tools.events_demo --out out/demo-lake

# Predictive segmentation end to end: generated customers and events -> events transform -> lake -> the real
# state machine (moto) -> training, gate, scoring; scores, audience and the model report under out/churn.
churn-demo: setup
	$(PY) -m tools.churn_local --generate 3000 --out out/churn

# The same on the seed's real sample (3,500 endpoints, 30 churners; tests/fixtures/seed/README.md).
churn-seed: setup
	$(PY) -m tools.seed_churn_sample --out out/seed-churn
	$(PY) -m tools.churn_local --attributes out/seed-churn/SampleImport.csv --lake out/seed-churn/lake \
		--as-of 2019-10-25 --out out/churn-seed

# Predictive user engagement end to end on this machine (implicit ALS standing in for Personalize).
engagement-demo: setup
	$(PY) -m tools.predictive_engagement_local --out out/engagement

# Every benchmark script in bench/, each run even when an earlier one misses its target; fails if any did.
bench: setup
	@status=0; for script in bench/*.py; do echo "== $$script"; $(PY) $$script || status=1; done; exit $$status

catalogue: setup
	$(PY) -m tools.policy_catalogue

config-reference: setup
	$(PY) -m tools.config_reference --write

clean:
	rm -rf $(VENV) node_modules .build out .pytest_cache

# --- Deploying and CI (README "Deploying with the Pulumi CLI", "CI setup") ---
.PHONY: policy-venv lint-workflows check-policy-config
POLICY_VENV := policy/venv

# The policy pack's own virtual environment, where PulumiPolicy.yaml (runtime.options.virtualenv) tells the CLI
# to look. The CLI does not create it for a local pack; `pulumi install` run in policy/ does the same as this.
policy-venv: $(POLICY_VENV)/.installed

$(POLICY_VENV)/.installed: policy/requirements.txt
	$(PYTHON) -m venv $(POLICY_VENV)
	$(POLICY_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r policy/requirements.txt
	touch $@

# actionlint (with shellcheck for run: scripts) on .github/workflows and the local actions; `make test` runs it too.
lint-workflows: setup
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/actionlint

# Rule names and settings of the policy configs, which `pulumi policy validate-config` does not fully check.
check-policy-config: setup
	$(PY) -m tools.check_policy_config policy/config/*.json
