# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
PG_URL ?= postgresql://root@127.0.0.1:5432/test
PORT ?= 8000
EMULATOR_PORT ?= 8081

# Rich menu images draw Thai with libraqm and a Thai font (bot/menu_images.py): Debian packages, installed once.
SYSTEM_PACKAGES := libraqm0 fonts-thai-tlwg
# The browser tests (tests/browser/) drive Debian's Chromium through Playwright (with an emoji font for the
# screenshots): only `make test` needs them.
BROWSER_PACKAGES := chromium fonts-noto-color-emoji

.PHONY: install system-packages browser-packages run test faults test-pg lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# Debian packages, installed with apt when missing (an update first only if the install fails without one).
define apt_ensure
	@dpkg -s $(1) >/dev/null 2>&1 || { \
	  sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$sudo apt-get install -y $(1) || $$sudo sh -c 'apt-get update && apt-get install -y $(1)'; }
endef

system-packages:
	$(call apt_ensure,$(SYSTEM_PACKAGES))

browser-packages:
	$(call apt_ensure,$(BROWSER_PACKAGES))

install: system-packages $(STAMP)

run: install
	$(BIN)/coordbot serve --demo --port $(PORT) --emulator-port $(EMULATOR_PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy bot handlers storage scheduler tests bench
	$(BIN)/lint-imports

# The fault scenarios (real processes killed at random moments, minutes long) are left to `make faults`. The rest
# runs on two pytest-xdist workers (each test has its own database and ports): 3-3.8 minutes instead of 4.7 here.
TEST_WORKERS ?= 2
test: lint browser-packages
	$(BIN)/pytest -q -n $(TEST_WORKERS) -m "not faults"

# The fault scenarios in their bounded form (bench/faults.py runs them longer); CI runs them after `make test`.
faults: install
	$(BIN)/pytest -q -m faults

# The whole suite, fault scenarios included, against PostgreSQL (CI runs it when the server answers).
test-pg: install browser-packages
	COORDBOT_TEST_DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -n $(TEST_WORKERS) -m "not faults"
	COORDBOT_TEST_DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -m faults

bench: install
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
