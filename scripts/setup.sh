#!/usr/bin/env bash
# Installs what keet-link needs, and nothing that is already there.
#   scripts/setup.sh start   what `npm start` needs (Rust wasm tools, npm packages)
#   scripts/setup.sh test    that, plus browsers, drivers and schemathesis
# Idempotent: a second run only checks versions, in seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-test}

WASM_PACK_VERSION=0.15.1
GECKODRIVER_VERSION=0.37.1
SCHEMATHESIS_VERSION=4.32.5
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

# --- Rust ---------------------------------------------------------------------
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in clippy rustfmt; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "adding $component"
    rustup component add "$component"
  fi
done
# The pinned nightly: the release wasm rebuilds std with it (build-std), and
# cargo-fuzz needs it. Everything else stays on stable.
NIGHTLY=$(cat scripts/nightly-toolchain)
if ! rustup toolchain list | grep -q "^$NIGHTLY"; then
  say "installing the pinned $NIGHTLY (release wasm with build-std, cargo-fuzz)"
  rustup toolchain install "$NIGHTLY" --profile minimal --component rust-src --target wasm32-unknown-unknown
fi
if [ "$(wasm-pack --version 2>/dev/null)" != "wasm-pack $WASM_PACK_VERSION" ]; then
  say "installing wasm-pack $WASM_PACK_VERSION (about 4 minutes)"
  cargo install wasm-pack --version "$WASM_PACK_VERSION" --locked
fi
# wasm-pack only uses a wasm-bindgen from PATH whose version is exactly the
# lockfile's; otherwise it tries a download, which cannot work here. No
# --locked: the CLI's own lockfile pins a crate the registry lacks.
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# --- npm (binaryen's wasm-opt, Playwright, Vite, TypeScript) --------------------
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund
fi

[ "$mode" = start ] && exit 0

# --- browsers and drivers (root only: apt) ------------------------------------
need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
command -v firefox-esr >/dev/null || need_apt+=(firefox-esr)
command -v brotli >/dev/null || need_apt+=(brotli)
# The link frame under a real web server, from the package's template.
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need_apt+=(nginx)
# Its brotli_static (ngx_brotli), which the template uses: the .br files.
[ -e /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ] || need_apt+=(libnginx-mod-http-brotli-static)
command -v envsubst >/dev/null || need_apt+=(gettext-base)
# A Japanese font, so the ja screenshots show text rather than boxes (3.5 MB).
# Only the screenshots need it: without root it is a warning, not a failure.
if ! fc-list :lang=ja 2>/dev/null | grep -q .; then
  if [ "$(id -u)" = 0 ]; then need_apt+=(fonts-ipafont-gothic)
  else say "no Japanese font: the ja screenshots will show boxes (apt install fonts-ipafont-gothic)" >&2
  fi
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    say "installing ${need_apt[*]} with apt"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    say "missing ${need_apt[*]}: install them with apt (needs root)" >&2
    exit 1
  fi
fi
if [ "$(geckodriver --version 2>/dev/null | head -n 1 | awk '{print $2}')" != "$GECKODRIVER_VERSION" ]; then
  say "installing geckodriver $GECKODRIVER_VERSION"
  cargo install geckodriver --version "$GECKODRIVER_VERSION" --locked
fi

# --- fuzzing: cargo-fuzz (crates.io), on the pinned nightly ------------------------
CARGO_FUZZ_VERSION=0.13.2
if [ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
  say "installing cargo-fuzz $CARGO_FUZZ_VERSION (about 2 minutes)"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

# --- schemathesis (PyPI, in a project venv) -------------------------------------
if [ "$(.venv/bin/schemathesis --version 2>/dev/null)" != "schemathesis, version $SCHEMATHESIS_VERSION" ]; then
  say "installing schemathesis $SCHEMATHESIS_VERSION into .venv"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
