# Shot Studio. `make run` and `make test` are all a fresh clone needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-deps test-fast lint format bench check-deploy lock clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	@scripts/run.sh

# google-genai 3.x refuses Veo on the Gemini API with an API key; the Gemini conformance test
# drives the 2.x SDK from a virtualenv of its own.
GENAI2 := var/sdk/genai2/bin/python
$(GENAI2):
	$(PYTHON) -m venv var/sdk/genai2
	var/sdk/genai2/bin/python -m pip install --quiet "google-genai==2.34.0"

# In parallel: the suite mostly waits (on Celery workers, Chromium, simulated providers), so
# four processes fit two cores. Each process has its own test database and broker queues.
# worksteal, because the slowest tests (real workers) sit together at the end of the order.
PYTEST_WORKERS ?= 4
test: test-deps
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

# What the suite needs installed; .ci/run makes it once before its passes start together.
test-deps: $(STAMP) $(GENAI2)

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser and not services" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python -m scripts.check_tests  # tests that check nothing

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check-deploy: $(STAMP)
	SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
	STUDIO_ENCRYPTION_KEY=$$(head -c 48 /dev/urandom | base64) DEBUG=0 SECURE_SSL_REDIRECT=1 \
	SECURE_HSTS_SECONDS=31536000 ALLOWED_HOSTS=studio.example.org \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

# Previz render time against the ffmpeg command line doing the same move, side by side.
bench: $(STAMP)
	$(BIN)/python -m scripts.bench

# Re-pin after changing dependencies in pyproject.toml.
lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^shot-studio' > constraints.txt

clean:
	rm -rf var .pytest_cache
