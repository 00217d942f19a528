# The two commands: `make run` and `make test`. Only python3 (3.11+) and make needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install run test lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# The pages' translations (gettext catalogues), compiled from the .po files.
PO_FILES := $(wildcard medsam_match/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

%.mo: %.po $(BIN)/.installed
	$(BIN)/pybabel compile --statistics -i $< -o $@

install: $(BIN)/.installed $(MO_FILES)

run: install
	$(BIN)/medsam-match db upgrade
	$(BIN)/medsam-match demo --if-empty
	$(BIN)/medsam-match serve --host $(HOST) --port $(PORT) --admin-token

test: install
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
