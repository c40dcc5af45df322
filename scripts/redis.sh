#!/usr/bin/env bash
# Make sure a Redis server answers on 127.0.0.1:6379 (rate-limit counters in the tests).
set -euo pipefail
ready() { (exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && head -c 5 <&3 | grep -q PONG) 2>/dev/null; }
ready && exit 0
if ! command -v redis-server >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi
mkdir -p /var/lib/redis /var/log/redis
redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
  --dir /var/lib/redis --logfile /var/log/redis/ci.log
for _ in $(seq 20); do ready && exit 0; sleep 0.5; done
echo "Redis did not start" >&2
exit 1
