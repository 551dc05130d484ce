#!/usr/bin/env bash
# Runs a batch inference job end to end with no AWS account: builds the
# provider, starts the Personalize emulator with a local S3 directory holding
# an input file, applies examples/demo with the provider installed through
# dev_overrides, and prints the job and the first recommendations it wrote.
# Everything lives in a temporary directory that is removed on exit.
set -euo pipefail

# shellcheck source=../lib/offline.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/offline.sh"

build_offline
mkdir -p "$work/s3/demo-bucket/input"
cat >"$work/s3/demo-bucket/input/users.jsonl" <<'EOF'
{"userId":"4638"}
{"userId":"891"}
{"userId":"105"}
{"userId":"27"}
EOF
start_emulator --job-duration 3s
use_local_provider "$root/examples/demo"

step "terraform apply (the job takes about 3 seconds)"
tf apply -auto-approve -input=false -no-color

step "The job"
tf output -no-color
tf state show -no-color personalize_batch_inference_job.demo

step "First recommendations (s3://demo-bucket/output/users.jsonl.out)"
expect_job_output "$work/s3/demo-bucket/output/users.jsonl.out" 3

step "terraform destroy (jobs cannot be deleted: this only forgets it)"
tf destroy -auto-approve -input=false -no-color

step "Done: the emulator is stopped and $work removed"
