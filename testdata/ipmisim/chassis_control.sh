#!/bin/sh
# Chassis control program for ipmi_sim (lan.conf `chassis_control`), run via popen():
#   chassis_control.sh RUNDIR get PARM...        -> "PARM:VALUE" lines
#   chassis_control.sh RUNDIR set PARM VALUE...  -> exit 0 on success
# PARM: power (0|1), reset, boot (none|pxe|default|cdrom|bios), shutdown,
# identify ("INTERVAL FORCE").  State lives in files under RUNDIR; every
# action is appended to RUNDIR/chassis.log.
dir=$1
[ -n "$dir" ] || { echo "No state dir given"; exit 1; }
op=$2
[ -n "$op" ] || { echo "No operation given"; exit 1; }
shift 2

log() { echo "$(date -u '+%Y-%m-%dT%H:%M:%S') $*" >> "$dir/chassis.log"; }
# value FILE DEFAULT: the shell's read builtin, not $(cat): ipmi_sim runs
# this for every Get Chassis Status, and a fork per call was most of its
# latency.
value() { v=$2; [ -f "$dir/$1" ] && read -r v < "$dir/$1"; echo "$v"; }

case $op in
get)
    for p in "$@"; do
        case $p in
        power) printf 'power:'; value power 1 ;;
        boot) printf 'boot:'; value boot none ;;
        *) echo "Invalid parameter: $p"; exit 1 ;;
        esac
    done
    ;;
set)
    while [ $# -gt 0 ]; do
        [ $# -ge 2 ] || { echo "No value present for parameter $1"; exit 1; }
        p=$1 v=$2
        shift 2
        case $p in
        power)
            case $v in
            0|1) echo "$v" > "$dir/power"; log "power $v" ;;
            *) echo "Invalid power value: $v"; exit 1 ;;
            esac ;;
        reset)
            n=$(value reset_count 0)
            echo $((n + 1)) > "$dir/reset_count"; log "reset" ;;
        shutdown)
            # The simulated OS powers off at once.
            echo 0 > "$dir/power"; log "soft shutdown" ;;
        boot)
            case $v in
            none|pxe|default|cdrom|bios) echo "$v" > "$dir/boot"; log "boot $v" ;;
            *) echo "Invalid boot value: $v"; exit 1 ;;
            esac ;;
        identify)
            echo "$v" > "$dir/identify"; log "identify $v" ;;
        *) echo "Invalid parameter: $p"; exit 1 ;;
        esac
    done
    ;;
check)
    # No VM connection: ipmi_sim then handles the request itself.
    exit 1 ;;
*)
    echo "Unknown operation: $op"; exit 1 ;;
esac
exit 0
