# b2bbridge: the two commands are `make run` and `make test`.
# Both create .venv on first use and reuse it afterwards (the stamp tracks pyproject.toml).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
CONFIG ?= b2bbridge.toml
EXAMPLE_INBOX := var/partners/acme/inbox

.PHONY: install run test lint typecheck clean-var bench sshd

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## run: install, seed the example partner's inbox and process it once on the embedded default
run: install
	mkdir -p $(EXAMPLE_INBOX)
	cp -np examples/inbox/* $(EXAMPLE_INBOX)/
	$(BIN)/b2bbridge --config $(CONFIG) run --once

## sshd: the SFTP integration tests run a real OpenSSH server on loopback (Debian package)
sshd:
	test -x /usr/sbin/sshd || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends openssh-server)
	mkdir -p -m 0755 /run/sshd

## test: install and run the whole suite: pytest, ruff, mypy and the import contracts
test: install sshd
	$(BIN)/python -m pytest -q -p no:cacheprovider
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

bench: install
	$(BIN)/python bench/edi_read.py

clean-var:
	rm -rf var
