#!/usr/bin/env bash
# `npm start`: installs what is missing, builds the widget, and serves the
# sandbox API with the demo page on http://127.0.0.1:8080 (PORT to change it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh start
bash scripts/build-widget.sh
cargo build --release -p keet-sandbox --quiet
exec ./target/release/keet-sandbox --host 127.0.0.1 --port "${PORT:-8080}" --www www --pkg pkg "$@"
