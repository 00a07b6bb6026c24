# zwfw-credit: `make run` serves the embedded default; `make test` runs every gate.
# Both install the exact versions of the lock files (`make lock` refreshes them).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The lock files: runtime, and runtime with the test extras. Resolved on Python 3.11 from PyPI.
LOCK := requirements.lock
TEST_LOCK := requirements-test.lock
# The installer of the virtual environment, and the resolver that writes the locks.
PIP_VERSION := 26.3
PIP_TOOLS_VERSION := 7.7.0
LOCK_INDEX_URL ?= https://pypi.org/simple
LOCK_TOOLS := var/lock-tools
# Development secret for the embedded default only; set your own in any real deployment.
export ZWFW_JWT_SECRET ?= dev-only-secret-change-me-0123456789abcdef
# Development keys for personal data at rest (AES-256 and the blind index); never reuse them.
export ZWFW_DATA_KEY ?= dev1:ZGV2LW9ubHktZGF0YS1rZXktMzItYnl0ZXMtbG9uZyE=
export ZWFW_BLIND_INDEX_KEY ?= ZGV2LW9ubHktYmxpbmQtaW5kZXgta2V5LTMyLWJ5dGVz

.PHONY: run test lint typecheck pytest openapi contract token clean bench bench-clean fuzz lock

# A new lock empties the environment: it then holds exactly what the lock pins, nothing left over.
$(BIN)/activate: $(LOCK) $(TEST_LOCK)
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --quiet pip==$(PIP_VERSION)
	touch $(BIN)/activate

# The lock with hashes (the build backend is in it), then the project itself without
# resolving anything; `pip check` fails when pyproject.toml declares what the lock lacks.
define install_locked
	$(BIN)/python -m pip install --quiet --require-hashes -r $(1)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@$(BIN)/python -m pip check >/dev/null || { $(BIN)/python -m pip check; \
	  echo "pyproject.toml asks for what $(1) does not pin: run make lock"; exit 1; }
	$(BIN)/python .ci/check_lock.py $(2)
endef

# After `make test` the environment holds the test lock, a superset of the runtime one.
$(VENV)/.installed: $(BIN)/activate pyproject.toml $(LOCK)
	$(call install_locked,$(LOCK),$(if $(wildcard $(VENV)/.installed-test),$(TEST_LOCK),$(LOCK)))
	touch $@

$(VENV)/.installed-test: $(BIN)/activate pyproject.toml $(TEST_LOCK)
	$(call install_locked,$(TEST_LOCK),$(TEST_LOCK))
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

# Refresh both locks from pyproject.toml: pins already in a lock stay unless they no longer fit,
# so a re-run after a merge only adds what is new. UPGRADE=1 moves everything to the newest.
# The test lock is resolved first, the runtime lock within it: the runtime pins are the same
# versions in both. Only PyPI is asked (this machine's pip configuration is left out).
LOCK_ENV := env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PIP_CONSTRAINT \
	PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND="make lock"
LOCK_FLAGS := --quiet --generate-hashes --allow-unsafe --strip-extras --all-build-deps \
	--no-emit-index-url --no-emit-find-links --index-url $(LOCK_INDEX_URL) $(if $(UPGRADE),--upgrade)
$(LOCK_TOOLS)/.pip-tools-$(PIP_TOOLS_VERSION):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
	  { echo "make lock resolves for Python 3.11: run it as make lock PYTHON=python3.11"; exit 2; }
	$(PYTHON) -m venv --clear $(LOCK_TOOLS)
	$(LOCK_ENV) $(LOCK_TOOLS)/bin/python -m pip install --quiet --index-url $(LOCK_INDEX_URL) \
	  pip==$(PIP_VERSION) pip-tools==$(PIP_TOOLS_VERSION)
	touch $@

lock: $(LOCK_TOOLS)/.pip-tools-$(PIP_TOOLS_VERSION)
	$(LOCK_ENV) $(LOCK_TOOLS)/bin/pip-compile $(LOCK_FLAGS) --extra test \
	  --output-file $(TEST_LOCK) pyproject.toml
	$(LOCK_ENV) $(LOCK_TOOLS)/bin/pip-compile $(LOCK_FLAGS) --constraint $(TEST_LOCK) \
	  --output-file $(LOCK) pyproject.toml

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
