# The README's two commands: `make serve` and `make test` (DESIGN.md "Make targets").
# Each installs what is missing first (scripts/setup.sh is idempotent and quick when done).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

HOST ?= 127.0.0.1
PORT ?= 8787
export HOST PORT

# JS tests run by `node --test`. Listed as files: given a folder named test/, Node 20 would also
# run every helper module in it (harness.mjs, core.mjs, ...). tests/js holds only test files.
JS_TESTS := $(wildcard worker/test/*.test.mjs) $(wildcard tests/js)

.PHONY: all setup wasm serve test lint test-rust test-types test-js test-browser bench bench-worker

all: test

setup:
	bash scripts/setup.sh

wasm: setup
	bash scripts/build-wasm.sh

## Serve the page + worker API on http://$(HOST):$(PORT) until interrupted.
serve: wasm
	bash scripts/serve.sh

## Every test: Rust, wasm type definitions, JS/worker, browser.
test: setup lint test-rust test-types test-js test-browser
	@echo "make test: all suites passed"

## Clippy on every target, warnings as errors (issue 9: the tree stays clippy-clean).
lint: setup
	cargo clippy --profile ci-test --all-targets -- -D warnings

test-rust: setup
	cargo test --profile ci-test

test-types: wasm
	node_modules/.bin/tsc -p tests/types

test-js: wasm
	node --test $(JS_TESTS)

test-browser: wasm
	node --test tests/browser/

## Benchmarks (scripts/bench.sh, results in bench/RESULTS.md); the worker load test runs on its own too.
bench: wasm
	bash scripts/bench.sh

bench-worker: wasm
	node worker/bench/load.mjs
