#!/usr/bin/env bash
# Wall time of a prepared loop's cells with 1 and 2 workers (`fusion loop --workers`), alternating
# 1, 2, 2, 1, for the quickstart's ALIGNN target and for CGCNN; one `bench loop_workers` line per
# run, and the ratio of the mean 1-worker to the mean 2-worker time. Run from the repository root on
# an otherwise idle machine; about 10 minutes on 2 cores. docs/performance.md, "Cells side by side".
set -euo pipefail
work=${1:-$(mktemp -d)}
common=(--config configs/quickstart.yaml --threads 2 --set surrogate.train.epochs=3
  --set 'methods=[fusion, random]' --set 'seeds=[0]')
cgcnn=(--set 'target.model={type: cgcnn, conv_layers: 3, features: 64, hidden: 128, cutoff: 8.0, head: regression}'
  --set target.train.epochs=30 --set target.train.learning_rate=0.001)
for target in alignn cgcnn; do
  extra=()
  [[ $target == cgcnn ]] && extra=("${cgcnn[@]}")
  ./fusion loop "${common[@]}" "${extra[@]}" --output "$work/$target" --prepare -q 2>/dev/null
  declare -A sum=([1]=0 [2]=0)
  for w in 1 2 2 1; do
    rm -rf "$work/run" && cp -r "$work/$target" "$work/run"
    start=$(date +%s.%N)
    ./fusion loop "${common[@]}" "${extra[@]}" --output "$work/run" --workers $w -q >/dev/null 2>&1
    wall=$(echo "$(date +%s.%N) - $start" | bc)
    sum[$w]=$(echo "${sum[$w]} + $wall" | bc)
    printf 'bench loop_workers target=%s workers=%d cells=%d wall_s=%.2f\n' \
      "$target" "$w" "$(ls "$work/run/cells" | wc -l)" "$wall"
  done
  printf 'bench loop_workers_ratio target=%s speedup_2_over_1=%.3f\n' "$target" \
    "$(echo "${sum[1]} / ${sum[2]}" | bc -l)"
done
