# Thin wrapper: the real work is in Maven and hack/. See README.md.
SHELL := /bin/bash
MVN ?= mvn -B

.PHONY: all deps build test bench bench-quick demo sandbox-down clean

all: build

# Installs (idempotently, only what is missing) every system package the build and tests need.
deps:
	hack/install-deps

build: deps
	$(MVN) -DskipTests package

test: deps
	$(MVN) verify
	@if ls */target/sandbox-incidents.log >/dev/null 2>&1; then \
	  echo "sandboxes rebuilt after a daemon died (testkit; see hack/README.md, JUnit):"; \
	  cat */target/sandbox-incidents.log; fi
	hack/test-launcher

demo: build
	hack/demo

# Benchmarks (not part of test): writes docs/benchmarks.md and docs/benchmarks/raw/. Needs root;
# takes ~10 min (bench-quick: ~4 min, fewer runs). BENCH_ARGS e.g. "--only B1,B2".
bench: build
	hack/bench $(BENCH_ARGS)

bench-quick: build
	hack/bench --quick $(BENCH_ARGS)

sandbox-down:
	hack/sandbox down

clean:
	$(MVN) -q clean

# Long fuzz runs of every parser (jqwik; short runs of the same properties are part of `make test`).
# FUZZ_TRIES reaches jqwik as a JVM system property, which JUnit reads before junit-platform.properties.
FUZZ_TRIES ?= 200000
.PHONY: fuzz
fuzz: deps
	$(MVN) -q -DskipTests -Dspotless.check.skip=true install -pl agent -am
	$(MVN) test -pl agent,aggregator -Dtest='*FuzzTest' -Dsurefire.failIfNoSpecifiedTests=false \
	  -Djqwik.tries.default=$(FUZZ_TRIES) -Djqwik.reporting.onlyfailures=false
