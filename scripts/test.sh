#!/usr/bin/env bash
# `npm test`: installs what is missing, brings the devstack up if it is not running, runs every
# unit and integration test, and stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-node-modules.sh
exec node_modules/.bin/tsx scripts/test.ts "$@"
