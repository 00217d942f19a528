# The two commands: `make run` and `make test`. Only python3 (3.11+) and make needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install run test lint bench clean secret-key

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# The pages' translations (gettext catalogues), compiled from the .po files.
# Both domains: messages (the pages) and mail (the messages and their link pages).
PO_FILES := $(wildcard medsam_match/translations/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

%.mo: %.po $(BIN)/.installed
	$(BIN)/pybabel compile --statistics -i $< -o $@

install: $(BIN)/.installed $(MO_FILES)

# Development only: a random secret key made once and kept (0600, in a 0700
# folder) for the next start. Production sets MEDSAM_SECRET_KEY itself.
DEV_SECRET_KEY ?= instance/secret_key

secret-key:
	@test -s $(DEV_SECRET_KEY) || ( umask 077 && mkdir -p $(dir $(DEV_SECRET_KEY)) \
	  && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(48))" > $(DEV_SECRET_KEY) \
	  && echo "made a development secret key in $(DEV_SECRET_KEY)" )

# Unless MEDSAM_SECRET_KEY is set, `make run` uses the development key.
ifeq ($(strip $(MEDSAM_SECRET_KEY)$(MEDSAM_SECRET_KEY_FILE)),)
run: export MEDSAM_SECRET_KEY_FILE = $(abspath $(DEV_SECRET_KEY))
endif
# The first start loads the demo and plans each of its centres once (at most
# DEMO_PLAN_SECONDS each) before serving; every start prints the URL, the
# port, the demo coordinator's e-mail with a fresh password, and an admin token.
DEMO_PLAN_SECONDS ?= 10
run: install secret-key
	$(BIN)/medsam-match db upgrade
	$(BIN)/medsam-match demo --if-empty --plan $(DEMO_PLAN_SECONDS) --no-tokens
	$(BIN)/medsam-match serve --host $(HOST) --port $(PORT) --admin-token --demo-coordinator

# axe-core for the browser tests' accessibility check (from the npm registry).
AXE := tests/web/axe/node_modules/axe-core/axe.min.js

$(AXE): tests/web/axe/package.json tests/web/axe/package-lock.json
	npm ci --prefix tests/web/axe --no-audit --no-fund --loglevel=error
	touch $@

test: install $(AXE)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy solver

# The benchmarks of bench/README.md (long: up to two hours on 2 cores).
bench: install
	$(BIN)/python -m bench.sizes
	$(BIN)/python -m bench.smptsp --time-limit 60
	$(BIN)/python -m bench.repair

clean:
	rm -rf $(VENV) instance/ .pytest_cache
