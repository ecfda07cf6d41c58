# Thin wrapper: the real work is in Maven and hack/. See README.md.
SHELL := /bin/bash
MVN ?= mvn -B

.PHONY: all deps build test demo sandbox-down clean

all: build

# Installs (idempotently, only what is missing) every system package the build and tests need.
deps:
	hack/install-deps

build: deps
	$(MVN) -DskipTests package

test: deps
	$(MVN) verify

demo: build
	hack/demo

sandbox-down:
	hack/sandbox down

clean:
	$(MVN) -q clean
