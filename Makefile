# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
export DO_NOT_TRACK := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false

.PHONY: install demo test lint emulator bench deploy worker clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(VENV)/bin/easrg demo

lint: install
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy alicloud policies emulator

test: install lint
	$(PY) -m pytest -q -p no:cacheprovider -rs -n 2 --dist loadfile

emulator: install
	mkdir -p .easrg && $(PY) -m emulator serve --host 127.0.0.1 --port 8765 --pace realistic --state-file .easrg/emulator-state.json

deploy: install
	$(VENV)/bin/prefect work-pool create easrg-process --type process || true
	$(VENV)/bin/prefect --no-prompt deploy --all

worker: install
	$(VENV)/bin/prefect worker start --pool easrg-process --type process

bench: install
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
