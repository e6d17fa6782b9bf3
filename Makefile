# Two commands for a new user: `make build` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: build test lint bench fuzz validate schema clean pages-large

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/itreport build content --out output

validate: $(STAMP)
	$(BIN)/itreport validate content

schema: $(STAMP)
	$(BIN)/itreport schema content

lint: $(STAMP)
	$(BIN)/ruff check --no-cache itreport tests bench
	$(BIN)/ruff format --no-cache --check itreport tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -q

# Thousands of new cases (minutes); a crash is saved as tests/fixtures/fuzz/<base>-<hash>/.
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz ITREPORT_FUZZ_KEEP=1 $(BIN)/pytest -q -x tests/test_fuzz_fields.py tests/test_fuzz_mutation.py tests/test_loader_differential.py tests/test_fuzz_incremental.py

$(VENV)/.bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $(VENV)/.bench

bench: $(VENV)/.bench
	$(BIN)/python bench/example.py; status=$$?; $(BIN)/python bench/serve_latency.py || status=1; \
	$(BIN)/python -m tests.pages_large || status=1; \
	$(BIN)/python bench/run.py && exit $$status

# The page check on every edition of the large generated division (400 projects), en and sv (minutes).
pages-large: $(STAMP)
	$(BIN)/python -m tests.pages_large

clean:
	rm -rf $(VENV) output
