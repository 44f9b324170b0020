#!/usr/bin/env bash
# `npm test`: every check, in the order that fails fastest.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never
# Fail-fast: the first failing step stops the run, and the closing line
# counts the steps that passed before it and the one that failed.
steps=0
current=""
step() {
  [ -n "$current" ] && steps=$((steps + 1))
  current=$*
  printf '\n\033[1m== %s ==\033[0m\n' "$*"
}
finish() {
  local status=$?
  [ -n "$current" ] && [ "$status" -eq 0 ] && steps=$((steps + 1))
  echo
  if [ "$status" -eq 0 ]; then
    echo "npm test: $steps passed, 0 failed"
  else
    echo "npm test: failed at \"$current\"" >&2
    echo "npm test: $steps passed, 1 failed"
  fi
}
trap finish EXIT

step "setup"
bash scripts/setup.sh test

step "format"
cargo fmt --all --check
cargo fmt --manifest-path fuzz/Cargo.toml --check

step "clippy (host)"
cargo clippy --workspace --all-targets --quiet -- -D warnings
step "clippy (wasm32)"
cargo clippy -p keet-link --target wasm32-unknown-unknown --all-targets --quiet -- -D warnings

step "host tests"
cargo test --workspace --quiet
# The loader's config checks against the same vectors as src/config.rs.
node --test tests/host/

step "schemathesis against the sandbox"
.venv/bin/python scripts/schemathesis.py

step "fuzz smoke: each cargo-fuzz target for 30 s, from its committed seeds"
bash scripts/fuzz.sh 30

step "build the widget"
bash scripts/build-widget.sh

step "browser tests (wasm-bindgen-test: Chromium, Firefox)"
bash scripts/browser-tests.sh

step "consumers: npm pack, install the tarball, Vite build, TypeScript (and a wrong type)"
bash scripts/consumers.sh

step "soak: 30,000 one-second link tokens and sessions; the sandbox's memory stays bounded"
cargo build --release --quiet -p keet-sandbox
node scripts/soak.mjs --items 30000 --first 10000

step "Playwright (Chromium): the framed and in-page modes, the consumers, a hostile host, against real sandboxes"
cargo build --release --quiet -p keet-sandbox
mkdir -p test-results/screenshots
npx --no-install playwright test

step "Firefox ESR (selenium-webdriver, geckodriver): the framed and in-page modes"
node --test tests/firefox/
