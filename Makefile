# Two commands: `make site` builds the bundled study into site/; `make test` runs the suite.
# Both bootstrap the machine first (idempotent: see scripts/bootstrap.sh). `make site` needs only
# the runtime lock (requirements.lock); `make test` the development lock (requirements-dev.lock).
VENV := .venv/bin

.PHONY: bootstrap bootstrap-runtime site test lint lock clean deid-bench bench bench-smoke python-floor

bootstrap:
	@bash scripts/bootstrap.sh dev

bootstrap-runtime:
	@bash scripts/bootstrap.sh runtime

site: bootstrap-runtime
	$(VENV)/build-site build casestudies --out site
	@echo "To preview while you edit: $(VENV)/build-site serve casestudies --out site"

lint: bootstrap
	$(VENV)/ruff check build_site tests bench
	$(VENV)/mypy build_site

test: lint
	$(VENV)/pytest

# Exact versions with hashes, resolved for the Python floor from the ranges in pyproject.toml.
# Versions already locked are kept; `make lock UPGRADE=--upgrade` moves to the newest in range.
# The development lock is constrained by the runtime lock, so the two never disagree.
UV_COMPILE = $(VENV)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes \
	--custom-compile-command "make lock" --quiet $(UPGRADE)
lock: bootstrap
	$(UV_COMPILE) -o requirements.lock
	$(UV_COMPILE) --extra dev -c requirements.lock -o requirements-dev.lock

# The lock must install on the oldest Python the README promises (a dry run; see the script).
python-floor:
	@bash scripts/check-python-floor.sh

clean:
	rm -rf site .site.build .site.*.tmp

deid-bench: bootstrap-runtime
	$(VENV)/python -m build_site.deidentify.bench
	$(VENV)/python -m build_site.deidentify.bench --gold

bench: bootstrap
	$(VENV)/python bench/bench.py

bench-smoke: bootstrap
	$(VENV)/python bench/bench.py --quick
