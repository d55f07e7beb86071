#!/bin/bash
# Interleaved A/B runs of `examples/throughput` builds, for a VM whose speed
# drifts: each binary runs once per round, in turn, and the best and median
# rates over the rounds are printed. Copy a build aside before changing the
# code (cp target/release/examples/throughput /tmp/tp_before), then e.g.
#   bash benches/ab.sh 8 1000 1 300 -- /tmp/tp_before target/release/examples/throughput
# THREADS=2 sets RAYON_NUM_THREADS (default 1).
set -euo pipefail
usage() {
    echo "usage: $0 ROUNDS PEOPLE CAMERAS STEPS -- BINARY... ($1)" >&2
    exit 2
}
[ $# -ge 4 ] || usage "too few arguments"
rounds=$1
[[ $rounds =~ ^[1-9][0-9]*$ ]] || usage "ROUNDS must be a whole number >= 1, got '$rounds'"
shift
args=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    args+=("$1")
    shift
done
[ $# -ge 2 ] || usage "'--' and at least one binary expected after the arguments"
shift
for b in "$@"; do
    [ -x "$b" ] || usage "not an executable: $b"
done
declare -A rates
for _ in $(seq "$rounds"); do
    for b in "$@"; do
        out=$(RAYON_NUM_THREADS=${THREADS:-1} "$b" "${args[@]}") || usage "$b failed"
        r=$(echo "$out" | grep -o "[0-9.]* M detections/s" | cut -d' ' -f1) || usage "no rate in the output of $b"
        rates[$b]+="$r "
    done
done
for b in "$@"; do
    sorted=$(echo "${rates[$b]}" | tr ' ' '\n' | grep . | sort -g)
    n=$(echo "$sorted" | wc -l)
    echo "$b: best $(echo "$sorted" | tail -1) median $(echo "$sorted" | sed -n "$(((n + 1) / 2))p") M det/s over $n runs"
done
