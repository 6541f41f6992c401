#!/usr/bin/env bash
# make demo: start a simulated BMC on a free loopback port, take a short
# tour of it with ipmictl over RMCP+ (lanplus), and stop it.
#
#   bash testdata/demo.sh [path/to/ipmictl]
set -euo pipefail

BIN=${1:-./ipmictl}
if [[ ! -x $BIN ]]; then
	echo "demo: $BIN is not an executable; run 'make build' first" >&2
	exit 1
fi

log=$(mktemp)
# Port 0: the kernel picks a free port; the simulator prints which.
"$BIN" sim --listen 127.0.0.1:0 >"$log" 2>&1 &
sim=$!
cleanup() {
	kill "$sim" 2>/dev/null || true
	wait "$sim" 2>/dev/null || true
	rm -f "$log"
}
trap cleanup EXIT

for _ in $(seq 100); do
	grep -q 'listening on' "$log" && break
	if ! kill -0 "$sim" 2>/dev/null; then
		echo "demo: the simulator exited:" >&2
		cat "$log" >&2
		exit 1
	fi
	sleep 0.1
done
addr=$(sed -n 's/.*listening on \([0-9.]*:[0-9]*\).*/\1/p' "$log" | head -n 1)
if [[ -z $addr ]]; then
	echo "demo: the simulator did not start within 10 s:" >&2
	cat "$log" >&2
	exit 1
fi
host=${addr%:*}
port=${addr##*:}
echo "== a simulated BMC is listening on $host port $port (user admin, password password)"

# The password travels in IPMI_PASSWORD (-E), never on the command line.
export IPMI_PASSWORD=password
tour() {
	echo
	echo "\$ ipmictl -I lanplus -H $host -p $port -U admin -E $*"
	"$BIN" -I lanplus -H "$host" -p "$port" -U admin -E "$@"
}
tour mc info
tour chassis power status
tour sensor list
tour sel elist
tour fru print
echo
echo "== done; the simulator stops now. Serve 1000 BMCs with: ipmictl sim --listen 127.0.0.1:6230 --count 1000"
