#!/usr/bin/env bash
# Builds the frontend into frontend/dist (installing dependencies first when needed).
# Runs from any directory.
set -euo pipefail

FRONTEND="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$FRONTEND"
# shellcheck source=deps.sh
source scripts/deps.sh

ensure_deps
echo "==> vite build -> $FRONTEND/dist"
npx --no-install vite build
