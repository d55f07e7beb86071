#!/bin/bash
# Interleaved A/B runs of `examples/throughput` builds, for a VM whose speed
# drifts: each binary runs once per round, in turn, and the best and median
# rates over the rounds are printed. Copy a build aside before changing the
# code (cp target/release/examples/throughput /tmp/tp_before), then e.g.
#   bash benches/ab.sh 8 1000 1 300 -- /tmp/tp_before target/release/examples/throughput
# THREADS=2 sets RAYON_NUM_THREADS (default 1); BINARY@N runs that binary
# on N threads instead, so one build can be compared with itself, e.g.
#   bash benches/ab.sh 10 10000 500 40 2 -- tp@1 tp@2   # 2 shards, 1 vs 2 threads
# With exactly two binaries, the median of the per-round ratios (second
# over first) is printed too: rounds are back to back, so the ratio is
# steadier than the ratio of the medians when the VM's speed drifts.
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
    bin=${b%@*}
    [ -x "$bin" ] || usage "not an executable: $bin"
    if [ "$bin" != "$b" ]; then
        [[ ${b##*@} =~ ^[1-9][0-9]*$ ]] || usage "threads after @ must be a whole number >= 1: $b"
    fi
done
declare -A rates
ratios=""
for _ in $(seq "$rounds"); do
    round=()
    for b in "$@"; do
        bin=${b%@*}
        threads=${THREADS:-1}
        [ "$bin" != "$b" ] && threads=${b##*@}
        out=$(RAYON_NUM_THREADS=$threads "$bin" "${args[@]}") || usage "$b failed"
        r=$(echo "$out" | grep -o "[0-9.]* M detections/s" | cut -d' ' -f1) || usage "no rate in the output of $b"
        rates[$b]+="$r "
        round+=("$r")
    done
    if [ $# -eq 2 ]; then
        ratios+="$(awk -v a="${round[0]}" -v b="${round[1]}" 'BEGIN { printf "%.3f", b / a }') "
    fi
done
for b in "$@"; do
    sorted=$(echo "${rates[$b]}" | tr ' ' '\n' | grep . | sort -g)
    n=$(echo "$sorted" | wc -l)
    echo "$b: best $(echo "$sorted" | tail -1) median $(echo "$sorted" | sed -n "$(((n + 1) / 2))p") M det/s over $n runs"
done
if [ $# -eq 2 ]; then
    sorted=$(echo "$ratios" | tr ' ' '\n' | grep . | sort -g)
    n=$(echo "$sorted" | wc -l)
    echo "ratio $2 / $1 per round: median $(echo "$sorted" | sed -n "$(((n + 1) / 2))p"), range $(echo "$sorted" | head -1)-$(echo "$sorted" | tail -1) over $n rounds"
fi
