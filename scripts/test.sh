#!/usr/bin/env bash
# `npm test`: every check, in the order that fails fastest.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never
steps=0
step() { steps=$((steps + 1)); printf '\n\033[1m== %s ==\033[0m\n' "$*"; }

step "setup"
bash scripts/setup.sh test

step "format"
cargo fmt --all --check

step "clippy (host)"
cargo clippy --workspace --all-targets --quiet -- -D warnings
step "clippy (wasm32)"
cargo clippy -p keet-link --target wasm32-unknown-unknown --all-targets --quiet -- -D warnings

step "host tests"
cargo test --workspace --quiet

step "schemathesis against the sandbox"
.venv/bin/python scripts/schemathesis.py

step "build the widget"
bash scripts/build-widget.sh

step "browser tests (wasm-bindgen-test: Chromium, Firefox)"
bash scripts/browser-tests.sh

step "consumers: npm pack, install the tarball, Vite build, TypeScript (and a wrong type)"
bash scripts/consumers.sh

step "Playwright: the demo, the React sample, classic and module pages, against real sandboxes"
cargo build --release --quiet -p keet-sandbox
mkdir -p test-results/screenshots
npx --no-install playwright test

echo
echo "npm test: $steps passed, 0 failed"
