#!/usr/bin/env bash
# `npm start`: installs what is missing, starts the devstack (unless a cluster is configured),
# the three apps and a demo workload, and prints the dashboard URL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-node-modules.sh
exec node_modules/.bin/tsx scripts/start.ts "$@"
