#!/usr/bin/env bash
# N app processes behind nginx on one machine: deploy/run-cluster.sh [N] [LISTEN]
#   N       app processes (default 2), on ports 8601…8600+N of 127.0.0.1
#   LISTEN  where nginx listens (default 127.0.0.1:8080)
# Every process gets this environment, so all read the same register and write the same store:
# set PLOVDIV_DATABASE_URL (PostgreSQL + PostGIS) for a shared store; without it they share the
# SQLite file under PLOVDIV_DATA_DIR (one machine only). Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-2}"
listen="${2:-127.0.0.1:8080}"
prefix="$(mktemp -d /tmp/plovdiv-nginx.XXXXXX)"
chmod 755 "$prefix"
pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait || true; rm -rf "$prefix"; }
trap stop EXIT INT TERM
servers=""
for i in $(seq 1 "$n"); do
  port=$((8600 + i))
  .venv/bin/streamlit run app.py --server.headless true --server.address 127.0.0.1 \
    --server.port "$port" --server.fileWatcherType none --browser.gatherUsageStats false \
    >"$prefix/app$i.log" 2>&1 &
  pids+=("$!")
  servers+="        server 127.0.0.1:$port;\n"
done
user=""
[ "$(id -u)" = 0 ] && user="user nobody nogroup;"
sed -e "s|{{USER}}|$user|" -e "s|{{PREFIX}}|$prefix|g" -e "s|{{LISTEN}}|$listen|" \
    -e "s|{{SERVERS}}|$servers|" deploy/nginx.conf.template >"$prefix/nginx.conf"
echo "$n app processes (logs in $prefix), nginx on http://$listen"
nginx -p "$prefix" -c "$prefix/nginx.conf" -g "daemon off;" &
pids+=("$!")
wait -n
