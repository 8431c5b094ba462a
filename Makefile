# LeadIntake: build, run on the bundled fixtures, test, benchmark.
# Every target installs the Debian packages it needs first, and only the missing ones.

SWIFT ?= swift
STORE ?= sqlite:data/leads.sqlite
APT_PACKAGES := pkg-config libxml2-dev libsqlite3-dev libicu-dev libpsl-dev libphonenumber-dev

.PHONY: deps build release run test bench clean accuracy

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

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-xctest

bench: deps
	$(SWIFT) run -c release leadintake-bench $(or $(N),100000)

clean:
	rm -rf .build data

# Matching accuracy on a messy synthetic lead set with known truth (release build): precision, recall, F1.
accuracy: deps
	$(SWIFT) run -c release match-accuracy $(or $(PEOPLE),5000)
