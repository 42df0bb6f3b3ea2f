#!/usr/bin/env bash
# Every benchmark in its quick mode, each figure on its own line as `<name>: <value> <unit>`.
set -euo pipefail
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) >/dev/null
  else
    echo "The benchmarks need the load generator wrk: sudo apt-get install -y wrk" >&2
    exit 2
  fi
fi
for script in bench/bench_*.py; do
  echo "# $script"
  .venv/bin/python "$script" --quick
done
