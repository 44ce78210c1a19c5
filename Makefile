# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell sha256sum requirements.txt | cut -c1-12)
REPORT ?= $(or $(PLOVDIV_REPORT),../shared/seed/000_c7612c71fe12c5f9.txt)
EXTRACTION_SOURCES := $(shell find extraction pipeline -name '*.py' -o -name '*.toml')

.PHONY: run test bench data install lint clean assets browser

install: $(STAMP)

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

# The register is rebuilt when the report or the extraction code is newer than it.
data/projects.geojson: $(STAMP) $(wildcard $(REPORT)) $(EXTRACTION_SOURCES)
	$(PY) -m pipeline --report "$(REPORT)"

data: data/projects.geojson

# Leaflet, Bootstrap, Font Awesome … from the npm registry into static/vendor (git-ignored),
# so the map works with no internet (dashboard/assets/).
assets: $(STAMP)
	$(PY) -m dashboard.assets.install

# Debian's Chromium for the browser tests: installed when missing (needs root).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "error: chromium is missing; install it (apt-get install chromium) and rerun" >&2; exit 2; fi; }

run: data assets
	$(VENV)/bin/streamlit run app.py

lint: install
	$(PY) -m ruff check .

test: install assets browser data lint
	$(PY) -m pytest -q

bench: install
	$(PY) -m benchmarks

clean:
	rm -rf data/projects.geojson .pytest_cache
