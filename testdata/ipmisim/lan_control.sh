#!/bin/sh
# LAN configuration program for ipmi_sim (lan.conf `lan_config_program`):
#   lan_control.sh RUNDIR get PARM...              -> "PARM:VALUE" lines
#   lan_control.sh RUNDIR set|check PARM VALUE...
# Values live in RUNDIR/lan/PARM; the host network is never touched, so
# `ipmitool lan set 1 ipaddr ...` only changes what the simulated BMC reports.
[ -n "$1" ] || { echo "No state dir given"; exit 1; }
dir=$1/lan
op=$2
shift 2
mkdir -p "$dir"

default() {
    case $1 in
    ip_addr) echo 127.0.0.1 ;;
    ip_addr_src) echo static ;;
    mac_addr) echo 52:54:00:a1:b2:c3 ;;
    subnet_mask) echo 255.0.0.0 ;;
    default_gw_ip_addr) echo 0.0.0.0 ;;
    default_gw_mac_addr) echo 00:00:00:00:00:00 ;;
    backup_gw_ip_addr) echo 0.0.0.0 ;;
    backup_gw_mac_addr) echo 00:00:00:00:00:00 ;;
    *) return 1 ;;
    esac
}

case $op in
get)
    for p in "$@"; do
        d=$(default "$p") || { echo "Invalid parameter: $p"; exit 1; }
        if [ -f "$dir/$p" ]; then echo "$p:$(cat "$dir/$p")"; else echo "$p:$d"; fi
    done ;;
set)
    while [ $# -ge 2 ]; do
        default "$1" >/dev/null || { echo "Invalid parameter: $1"; exit 1; }
        echo "$2" > "$dir/$1"
        shift 2
    done ;;
check)
    while [ $# -ge 2 ]; do
        case $1 in
        ip_addr_src)
            case $2 in static|dhcp) ;; *) echo "Unsupported ip_addr_src $2"; exit 1 ;; esac ;;
        esac
        shift 2
    done ;;
*)
    echo "Unknown operation: $op"; exit 1 ;;
esac
exit 0
