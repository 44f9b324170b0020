#!/usr/bin/env bash
# The test tiers, in the order that fails fastest:
#   scripts/test.sh quick    `npm run test:quick`: fmt, clippy (host and wasm32),
#                            the host tests (Rust, the contracts, the loader's
#                            node tests). No browser. A few minutes on a warm tree.
#   scripts/test.sh browser  `npm run test:browser`: the release build (sizes)
#                            and wasm-bindgen-test in Chromium and Firefox.
#   scripts/test.sh e2e      `npm run test:e2e`: schemathesis, the fuzz smoke,
#                            the consumers from the packed tarball, the soak,
#                            Playwright and Firefox against real servers (builds
#                            the widget first if pkg/ is missing).
#   scripts/test.sh          `npm test`: every tier, as CI runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never
tier=${1:-all}
case "$tier" in quick | browser | e2e | all) ;; *)
  echo "usage: scripts/test.sh [quick|browser|e2e]" >&2
  exit 2
  ;;
esac
# Fail-fast: the first failing step stops the run, and the closing line
# counts the steps that passed before it and the one that failed.
steps=0
current=""
started=$SECONDS
step() {
  [ -n "$current" ] && steps=$((steps + 1))
  current=$*
  printf '\n\033[1m== %s ==\033[0m\n' "$*"
}
finish() {
  local status=$?
  [ -n "$current" ] && [ "$status" -eq 0 ] && steps=$((steps + 1))
  echo
  echo "npm test ($tier): $((SECONDS - started)) s"
  if [ "$status" -eq 0 ]; then
    echo "npm test: $steps passed, 0 failed"
  else
    echo "npm test: failed at \"$current\"" >&2
    echo "npm test: $steps passed, 1 failed"
  fi
}
trap finish EXIT
runs() { [ "$tier" = all ] || [ "$tier" = "$1" ]; }

step "setup"
if [ "$tier" = quick ]; then bash scripts/setup.sh start; else bash scripts/setup.sh test; fi

if runs quick; then
  step "format"
  cargo fmt --all --check
  cargo fmt --manifest-path fuzz/Cargo.toml --check

  step "clippy (host)"
  cargo clippy --workspace --all-targets --quiet -- -D warnings
  step "clippy (wasm32)"
  cargo clippy -p keet-link --target wasm32-unknown-unknown --all-targets --quiet -- -D warnings
  # The link frame's own build (its tests are the in-page build's).
  cargo clippy -p keet-link --target wasm32-unknown-unknown --features frame-app --lib --quiet -- -D warnings
  cargo clippy -p keet-link-i18n --features words-on-demand --all-targets --quiet -- -D warnings

  step "host tests"
  cargo test --workspace --quiet
  cargo test -p keet-link-i18n --features words-on-demand --quiet
  # The loader's config checks against the same vectors as crates/flow/src/config.rs.
  node --test tests/host/
fi

if runs e2e; then
  step "schemathesis against the sandbox"
  cargo build --quiet -p keet-sandbox
  .venv/bin/python scripts/schemathesis.py

  step "fuzz smoke: each cargo-fuzz target for 30 s, from its committed seeds"
  bash scripts/fuzz.sh 30
fi

if runs browser || { [ "$tier" = e2e ] && [ ! -f pkg/frame/frame.html ]; }; then
  step "build the widget"
  bash scripts/build-widget.sh
fi

if runs browser; then
  step "browser tests (wasm-bindgen-test: Chromium, Firefox)"
  bash scripts/browser-tests.sh
fi

if runs e2e; then
  step "consumers: npm pack, install the tarball, Vite build, TypeScript (and a wrong type)"
  bash scripts/consumers.sh

  step "soak: 30,000 one-second link tokens and sessions; the sandbox's memory stays bounded"
  cargo build --release --quiet -p keet-sandbox
  node scripts/soak.mjs --items 30000 --first 10000

  step "flood: 16 link tokens x 120 submits of 6,000 unknown values; every answer stays small, and so does the sandbox"
  node scripts/flood.mjs

  step "Playwright (Chromium): the framed and in-page modes, the consumers, a hostile host, the frame under nginx, against real sandboxes"
  mkdir -p test-results/screenshots
  npx --no-install playwright test

  step "Firefox ESR (selenium-webdriver, geckodriver): the framed and in-page modes, the frame under nginx"
  node --test tests/firefox/
fi
