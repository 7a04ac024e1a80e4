# Sourced by build.sh and test.sh (not run on its own).
# ensure_deps: `npm ci` when node_modules is missing or package-lock.json changed since the
# last install (a hash of the lock file is kept inside node_modules).

ensure_deps() {
  local stamp=node_modules/.wenji-lock-hash
  local want
  want="$(sha256sum package-lock.json | cut -d' ' -f1)"
  if [[ -d node_modules && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    return 0
  fi
  echo "==> npm ci (node $(node --version), npm $(npm --version 2>/dev/null))"
  npm ci --no-audit --no-fund
  echo "$want" >"$stamp"
}
