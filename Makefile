# Two commands: `make site` builds the bundled study into site/; `make test` runs the suite.
# Both bootstrap the machine first (idempotent: see scripts/bootstrap.sh).
VENV := .venv/bin

.PHONY: bootstrap site test lint lock clean deid-bench bench bench-smoke python-floor

bootstrap:
	@bash scripts/bootstrap.sh

site: bootstrap
	$(VENV)/build-site build casestudies --out site
	@echo "To preview while you edit: $(VENV)/build-site serve casestudies --out site"

lint: bootstrap
	$(VENV)/ruff check build_site tests bench
	$(VENV)/mypy build_site

test: lint
	$(VENV)/pytest

lock:
	{ echo "# Every dependency, transitive ones included, pinned. Regenerate with: make lock"; \
	  $(VENV)/pip list --format=freeze --exclude-editable | grep -v -i -E "^(build-site|pip)=="; \
	} > requirements.lock

# The lock must install on the oldest Python the README promises (a dry run; see the script).
python-floor:
	@bash scripts/check-python-floor.sh

clean:
	rm -rf site .site.build .site.*.tmp

deid-bench: bootstrap
	$(VENV)/python -m build_site.deidentify.bench
	$(VENV)/python -m build_site.deidentify.bench --gold

bench: bootstrap
	$(VENV)/python bench/bench.py

bench-smoke: bootstrap
	$(VENV)/python bench/bench.py --quick
