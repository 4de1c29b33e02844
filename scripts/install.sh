#!/usr/bin/env bash
# Builds handoff with the Swift runtime linked in (a set-group-id binary must not load libraries from
# outside the system) and installs it: scripts/install.sh --prefix /usr/local --admin ada [--data DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --static-swift-stdlib
if [ "$(id -u)" -eq 0 ]; then
  exec .build/release/handoff install "$@"
fi
exec sudo .build/release/handoff install "$@"
