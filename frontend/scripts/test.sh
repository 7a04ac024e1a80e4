#!/usr/bin/env bash
# Every frontend check, in order: type-check, unit tests, API-types drift, build, end-to-end
# (with axe). Runs from any directory. The end-to-end tests need the server binary (see
# e2e/lib/server.mjs: WENJI_BIN, else $CARGO_TARGET_DIR/debug/wenji, else
# ~/.cache/wenji-target/debug/wenji) and Chromium at /usr/bin/chromium (installed with
# apt-get when missing and running as root).
set -euo pipefail

FRONTEND="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$FRONTEND"
# shellcheck source=deps.sh
source scripts/deps.sh

started=$SECONDS
step() {
  local name=$1
  shift
  local t0=$SECONDS
  echo
  echo "==> $name"
  "$@"
  echo "<== $name: ok ($((SECONDS - t0)) s)"
}

ensure_chromium() {
  local chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
  if [[ -x "$chromium" ]]; then
    return 0
  fi
  if [[ $(id -u) -ne 0 ]]; then
    echo "Chromium is missing at $chromium; install Debian's chromium package (as root: apt-get install -y chromium)." >&2
    return 1
  fi
  echo "Chromium is missing at $chromium: installing Debian's chromium package"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
}

# The tour's screenshots (docs/tour/) show Chinese pages: without a CJK font they would
# show boxes, and the tour journey refuses to save them.
ensure_cjk_font() {
  if fc-list :lang=zh 2>/dev/null | grep -q .; then
    return 0
  fi
  if [[ $(id -u) -ne 0 ]]; then
    echo "No Chinese font found; install Debian's fonts-noto-cjk (as root: apt-get install -y fonts-noto-cjk)." >&2
    return 1
  fi
  echo "No Chinese font found: installing Debian's fonts-noto-cjk package"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y fonts-noto-cjk
}

check_server_binary() {
  local bin=${WENJI_BIN:-${CARGO_TARGET_DIR:-$HOME/.cache/wenji-target}/debug/wenji}
  if [[ ! -x "$bin" ]]; then
    echo "No Wenji server binary at $bin. Build it first, from the repository root:" >&2
    echo "  CARGO_TARGET_DIR=\${CARGO_TARGET_DIR:-\$HOME/.cache/wenji-target} cargo build --bin wenji" >&2
    echo "or point WENJI_BIN at one." >&2
    return 1
  fi
}

step "dependencies" ensure_deps
step "chromium" ensure_chromium
step "Chinese font" ensure_cjk_font
step "server binary" check_server_binary
step "type-check (vue-tsc, strict)" npm run --silent typecheck
step "unit tests (vitest)" npx --no-install vitest run
step "API types drift (openapi-typescript)" node --test tests/drift/
step "build" bash scripts/build.sh
step "end-to-end and accessibility (playwright-core + axe-core, Chromium)" node --test --test-concurrency=1 e2e/

echo
echo "All frontend checks passed in $((SECONDS - started)) s."
