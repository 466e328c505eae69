#!/usr/bin/env bash
# Installs the npm dependencies when node_modules is missing or older than package-lock.json.
# Plain bash because it must run before anything from node_modules (tsx, TypeScript) exists.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null 2>&1; then
  echo "Node.js 20 or newer is needed: install it (e.g. apt-get install -y nodejs npm) and run this again." >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "Node.js $(node --version) is too old: Doflamingo needs Node.js 20 or newer." >&2
  exit 1
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[setup] installing npm dependencies (about a minute on first run)…"
  # `npm install`, not `npm ci`: the lock file cannot list the optional per-platform packages
  # (swc, resolver bindings) that a partial registry mirror does not serve, and `npm ci` then refuses
  # to install at all. `npm install` follows the lock file for everything else.
  if ! npm install --no-audit --no-fund --loglevel=error; then
    echo "npm ci failed: check that the npm registry is reachable, then run this again." >&2
    exit 1
  fi
fi
