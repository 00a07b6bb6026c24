# zwfw-credit: `make run` serves the embedded default; `make test` runs every gate.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Development secret for the embedded default only; set your own in any real deployment.
export ZWFW_JWT_SECRET ?= dev-only-secret-change-me-0123456789abcdef
# Development keys for personal data at rest (AES-256 and the blind index); never reuse them.
export ZWFW_DATA_KEY ?= dev1:ZGV2LW9ubHktZGF0YS1rZXktMzItYnl0ZXMtbG9uZyE=
export ZWFW_BLIND_INDEX_KEY ?= ZGV2LW9ubHktYmxpbmQtaW5kZXgta2V5LTMyLWJ5dGVz

.PHONY: run test lint typecheck pytest openapi contract token clean bench bench-clean fuzz

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	touch $(BIN)/activate

$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/activate pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/zwfw-credit serve --demo --worker --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy app tests migrations
	$(BIN)/pytest

# The long OpenAPI-driven fuzz (`make test` runs the same tests with 10 examples on SQLite).
FUZZ_EXAMPLES ?= 500
FUZZ_SEED ?= 20260930
FUZZ_STEPS ?= 12
FUZZ_BACKENDS ?= sqlite,postgresql
fuzz: $(VENV)/.installed-test
	ZWFW_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) ZWFW_FUZZ_SEED=$(FUZZ_SEED) \
	ZWFW_FUZZ_STATEFUL_STEPS=$(FUZZ_STEPS) ZWFW_FUZZ_BACKENDS=$(FUZZ_BACKENDS) \
	$(BIN)/pytest -p no:cacheprovider tests/test_openapi_fuzz.py

openapi: $(VENV)/.installed
	$(BIN)/zwfw-credit openapi > openapi/openapi.json

# The document as client generators and linters see it (also part of `make test`):
# openapi-python-client, and openapi-typescript and Redocly CLI from tools/contract
# (installed with `npm ci` from its package-lock.json into ~/.cache/zwfw-credit).
contract: $(VENV)/.installed-test
	$(BIN)/pytest -q tests/test_openapi_contract.py tests/test_openapi_tools.py tests/test_problem_codes.py

token: $(VENV)/.installed
	@$(BIN)/zwfw-credit token --role $(or $(ROLE),clerk) --department $(or $(DEPARTMENT),371400-SPJ) --sub $(or $(SUB),alice) --ttl $(or $(TTL),3600)

# Performance benchmark against the PostgreSQL at 127.0.0.1:5432 (needs wrk: apt-get install
# wrk); writes bench/RESULTS.md. Knobs: BENCH_* variables, see README (Benchmark).
bench: $(VENV)/.installed
	@command -v wrk >/dev/null || { echo "make bench needs wrk (apt-get install wrk)"; exit 2; }
	$(BIN)/python -m bench.run

bench-clean: $(VENV)/.installed
	$(BIN)/python -m bench.seed --drop

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
