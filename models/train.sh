#!/usr/bin/env bash
# Trains the pretrained models that `fusion predict --model NAME` finds in this folder, each from a
# committed configuration, each into models/NAME. A model folder keeps model.json + model.params (the
# model, with its training domain), provenance.json (dataset SHA-256, resolved configuration, test
# MAE, SHA-256 of model.params), config.yaml, metrics.jsonl, result.json and predictions.csv (test
# part); the checkpoint files, needed only to resume, are removed once a run has finished.
#
#   models/train.sh                  # every model below
#   models/train.sh alignn-jdft2d    # one of them
#
# An interrupted run resumes from its checkpoint when started again. Times: docs/performance.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
cd "$root" # data paths in the configurations are relative to the repository root

# name -> configuration (70/15/15, test seed 42; jdft2d embedded, perovskites from ../shared/data)
declare -A configs=(
  [alignn-jdft2d]=configs/jdft2d-alignn-small.yaml
  [alignn-perovskites]=configs/perovskites-alignn-small.yaml
  [cgcnn-jdft2d]=configs/jdft2d-cgcnn.yaml
  [schnet-jdft2d]=configs/jdft2d-schnet.yaml
)

# extra --set settings per model: the perovskites model trains a one-cycle schedule over 60 epochs
# (its configuration's 300 with early stopping take 2 h or more on 2 cores)
declare -A settings=(
  [alignn-perovskites]="train.epochs=60"
)

names=("$@")
if [[ ${#names[@]} -eq 0 ]]; then
  mapfile -t names < <(printf '%s\n' "${!configs[@]}" | sort)
fi
for name in "${names[@]}"; do
  config="${configs[$name]:-}"
  if [[ -z $config ]]; then
    echo "models/train.sh: unknown model '$name'; known: $(printf '%s\n' "${!configs[@]}" | sort | paste -sd ' ')" >&2
    exit 2
  fi
  out="$here/$name"
  extra=()
  for kv in ${settings[$name]:-}; do
    extra+=(--set "$kv")
  done
  "$root/fusion" train --config "$root/$config" "${extra[@]}" --output "$out"
  rm -f "$out"/checkpoint.bin "$out"/best.params
  echo "models/train.sh: $name -> $out" >&2
done
