#!/bin/sh
# start.sh [PORT]  - run the test lab's ipmi_sim on udp 127.0.0.1:PORT (default:
# a free port) in the foreground, its fake SOL console on tcp PORT+1.
# Ctrl-C stops both. Options go before PORT: -kg KEY, -run DIR, -solport N.
cd "$(dirname "$0")/../.." && exec go run ./internal/peers/cmd/ipmisim "$@"
