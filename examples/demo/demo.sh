#!/usr/bin/env bash
# Runs a batch inference job end to end with no AWS account: builds the
# provider, starts the Personalize emulator with a local S3 directory holding
# an input file, applies examples/demo with the provider installed through
# dev_overrides, and prints the job and the first recommendations it wrote.
# Everything lives in a temporary directory that is removed on exit.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/personalize-demo.XXXXXX")
emulator_pid=""

cleanup() {
  if [[ -n "$emulator_pid" ]] && kill -0 "$emulator_pid" 2>/dev/null; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() { printf '\n==> %s\n' "$*"; }

for tool in go terraform; do
  command -v "$tool" >/dev/null || { echo "demo.sh needs $tool on PATH" >&2; exit 1; }
done

step "Building the provider and the emulator"
mkdir -p "$work/bin"
# The emulator is built rather than started with `go run`, whose child process
# would outlive a kill of `go run` itself and keep the port.
(cd "$root" && go build -o "$work/bin/terraform-provider-personalize" . &&
  go build -o "$work/bin/personalize-emulator" ./internal/emulator/cmd/personalize-emulator)

step "Starting the emulator"
mkdir -p "$work/s3/demo-bucket/input"
cat >"$work/s3/demo-bucket/input/users.jsonl" <<'EOF'
{"userId":"4638"}
{"userId":"891"}
{"userId":"105"}
{"userId":"27"}
EOF
"$work/bin/personalize-emulator" --listen 127.0.0.1:0 --s3-dir "$work/s3" --job-duration 3s \
  >"$work/emulator.out" 2>"$work/emulator.log" &
emulator_pid=$!
endpoint=""
for _ in $(seq 1 100); do
  endpoint=$(sed -n 's/^listening on \(http:\/\/[^ ]*\).*/\1/p' "$work/emulator.out" | head -n 1)
  [[ -n "$endpoint" ]] && break
  if ! kill -0 "$emulator_pid" 2>/dev/null; then
    echo "the emulator exited:" >&2
    cat "$work/emulator.log" >&2
    exit 1
  fi
  sleep 0.1
done
[[ -n "$endpoint" ]] || { echo "the emulator did not report its address within 10s" >&2; cat "$work/emulator.log" >&2; exit 1; }
echo "emulator at $endpoint"

# dev_overrides makes terraform use the provider just built instead of
# looking for it in the registry, which also keeps the demo offline.
cat >"$work/terraformrc" <<EOF
provider_installation {
  dev_overrides {
    "tfpersonalize/personalize" = "$work/bin"
  }
  direct {}
}
EOF
export TF_CLI_CONFIG_FILE="$work/terraformrc"
export CHECKPOINT_DISABLE=1
export TF_IN_AUTOMATION=1
export TF_VAR_endpoint="$endpoint"

mkdir -p "$work/tf"
cp "$root/examples/demo/main.tf" "$work/tf/"
tf() { terraform -chdir="$work/tf" "$@"; }

# No `terraform init`: under dev_overrides there is nothing to install, and
# Terraform itself advises skipping init (which would try to reach the
# registry for the overridden provider and fail offline).
step "terraform apply (the job takes about 3 seconds)"
tf apply -auto-approve -input=false -no-color

step "The job"
tf output -no-color
tf state show -no-color personalize_batch_inference_job.demo

status=$(tf output -raw job_status)
if [[ "$status" != "ACTIVE" ]]; then
  echo "expected the job to be ACTIVE, it is $status" >&2
  exit 1
fi

step "First recommendations (s3://demo-bucket/output/users.jsonl.out)"
out="$work/s3/demo-bucket/output/users.jsonl.out"
[[ -s "$out" ]] || { echo "the job wrote no output at $out" >&2; exit 1; }
head -n 3 "$out"

step "terraform destroy (jobs cannot be deleted: this only forgets it)"
tf destroy -auto-approve -input=false -no-color

step "Done: the emulator is stopped and $work removed"
