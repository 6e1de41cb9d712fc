#!/usr/bin/env bash
# SLURM integration test: starts a single-node SLURM on localhost (Debian slurm-wlm 22.05 and munge,
# plain daemons, no systemd or cgroups), plans a tiny FUSION loop as a job array with
# `fusion loop --plan slurm`, submits it, waits, and checks the table that `fusion report` aggregates.
# Needs root (it installs the packages with apt when missing and runs munged as the munge user).
# Usage: .ci/slurm-test.sh            (exit 0 = pass; the daemons are stopped on exit)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

if ! command -v slurmctld >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
  echo "slurm-test: installing slurmctld slurmd slurm-client munge"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq slurmctld slurmd slurm-client munge >/dev/null
fi

work=$(mktemp -d /tmp/fusion-slurm.XXXXXX)
chmod 755 "$work"
host=$(hostname -s)
cpus=$(nproc)
mkdir -p "$work/state" "$work/spool" /run/munge /var/log/munge /var/lib/munge /etc/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge /etc/munge
if [[ ! -s /etc/munge/munge.key ]]; then
  dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
  chown munge:munge /etc/munge/munge.key
  chmod 400 /etc/munge/munge.key
fi

cat > "$work/slurm.conf" <<CONF
ClusterName=fusion
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
ReturnToService=2
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$work/slurm.conf

cleanup() {
  [[ -f $work/slurmd.pid ]] && kill "$(cat "$work/slurmd.pid")" 2>/dev/null || true
  [[ -f $work/slurmctld.pid ]] && kill "$(cat "$work/slurmctld.pid")" 2>/dev/null || true
}
trap cleanup EXIT

pgrep -x munged >/dev/null || runuser -u munge -- /usr/sbin/munged
slurmctld
slurmd
for _ in $(seq 1 50); do
  sinfo -h -o %T 2>/dev/null | grep -qE 'idle|mixed' && break
  sleep 0.2
done
sinfo

# The tiny sweep: unpruned + fusion, random, uncertainty at 40 %, one seed: 4 cells.
sweep=$work/sweep
./fusion loop --config configs/quickstart.yaml --output "$sweep" --plan slurm --cpus-per-task 1 --time 00:20:00 \
  --set surrogate.train.epochs=1 --set surrogate.model.hidden=8 --set surrogate.model.embedding=8 \
  --set surrogate.model.alignn_layers=1 --set surrogate.model.gcn_layers=1 \
  --set target.train.epochs=1 --set target.model.hidden=8 --set target.model.embedding=8 \
  --set scores.n_max=3 --set scores.l_max=2 --set scores.r_cut=4.0 \
  --set 'methods=[fusion, random, uncertainty]' --set 'ratios=[0.4]' --set 'seeds=[0]'
grep -q -- '--array=0-3' "$sweep/slurm/cells.sbatch"
start=$(date +%s)
bash "$sweep/slurm/submit.sh"
while squeue -h | grep -q .; do
  if (($(date +%s) - start > 900)); then
    echo "slurm-test: jobs still queued after 15 min"; squeue; exit 1
  fi
  sleep 2
done
echo "slurm-test: jobs finished in $(($(date +%s) - start)) s"
cells=$(find "$sweep/cells" -name '*.json' | wc -l)
if [[ $cells -ne 4 ]]; then
  echo "slurm-test: expected 4 cell results, found $cells"; tail -n 20 "$sweep"/slurm/*.out; exit 1
fi
./fusion report --run "$sweep" | tee "$work/table.md"
for row in none fusion random uncertainty; do
  grep -q "| $row |" "$work/table.md" || { echo "slurm-test: no '$row' row in the table"; exit 1; }
done
# Resubmitting is safe: every task finds its result and exits.
bash "$sweep/slurm/submit.sh"
while squeue -h | grep -q .; do sleep 1; done
[[ $(find "$sweep/cells" -name '*.json' | wc -l) -eq 4 ]]
grep -h "cells computed now" "$sweep"/slurm/cell-*.out | sort | uniq -c

# Sharded fingerprints: a 3-task array writes one slice each, a merge job after it joins them; the
# merged store must equal the one a single process writes, byte for byte.
fp=$work/fingerprints
mkdir -p "$fp"
small=(--n-max 3 --l-max 2 --r-cut 4)
cat > "$fp/slices.sbatch" <<SB
#!/usr/bin/env bash
#SBATCH --job-name=fusion-fp-slices
#SBATCH --output=$fp/slice-%a.out
#SBATCH --array=0-2
#SBATCH --cpus-per-task=1
set -euo pipefail
$repo/fusion fingerprint ${small[*]} --store $fp/part-\$SLURM_ARRAY_TASK_ID.fps --slice \$SLURM_ARRAY_TASK_ID/3 --threads 1
SB
cat > "$fp/merge.sbatch" <<SB
#!/usr/bin/env bash
#SBATCH --job-name=fusion-fp-merge
#SBATCH --output=$fp/merge.out
#SBATCH --cpus-per-task=1
set -euo pipefail
$repo/fusion fingerprint --merge $fp/part-0.fps $fp/part-1.fps $fp/part-2.fps --store $fp/merged.fps
SB
array=$(sbatch --parsable "$fp/slices.sbatch")
sbatch --parsable --dependency=afterok:"${array%%;*}" "$fp/merge.sbatch" >/dev/null
./fusion fingerprint "${small[@]}" --store "$fp/single.fps" --threads 1
start=$(date +%s)
while squeue -h | grep -q .; do
  if (($(date +%s) - start > 600)); then
    echo "slurm-test: fingerprint jobs still queued after 10 min"; squeue; exit 1
  fi
  sleep 2
done
if ! cmp "$fp/single.fps" "$fp/merged.fps"; then
  echo "slurm-test: the merged slices differ from the single-process store"
  tail -n 20 "$fp"/*.out; exit 1
fi
echo "slurm-test: sharded fingerprints equal the single-process store ($(stat -c %s "$fp/merged.fps") bytes)"
echo "slurm-test: PASS"
