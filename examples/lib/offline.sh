# Shared by the example scripts that run against the Personalize emulator
# with no AWS account (source it; bash only): builds the provider and the
# emulator into a temporary directory, starts the emulator with a local S3
# directory, and points terraform at the provider just built through
# dev_overrides. Everything lives in $work, removed on exit.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=emulator.sh
source "$root/examples/lib/emulator.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/personalize-example.XXXXXX")
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
  command -v "$tool" >/dev/null || { echo "$(basename "$0") needs $tool on PATH" >&2; exit 1; }
done

# build_offline builds the provider and the emulator. The emulator is built
# rather than started with `go run`, whose child process would outlive a kill
# of `go run` itself and keep the port.
build_offline() {
  step "Building the provider and the emulator"
  mkdir -p "$work/bin" "$work/s3"
  (cd "$root" && go build -o "$work/bin/terraform-provider-personalize" . &&
    go build -o "$work/bin/personalize-emulator" ./internal/emulator/cmd/personalize-emulator)
}

# start_emulator starts the emulator on a free port with $work/s3 as its S3,
# passing its arguments on, and exports its address as TF_VAR_endpoint.
start_emulator() {
  step "Starting the emulator"
  launch_emulator "$work/bin/personalize-emulator" "$work" --s3-dir "$work/s3" "$@"
  echo "emulator at $endpoint"
  export TF_VAR_endpoint="$endpoint"
}

# use_local_provider makes terraform use the provider just built instead of
# looking for it in the registry, which also keeps the run offline; and
# copies the configuration in $1 to $work/tf, where tf runs.
use_local_provider() {
  cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "tfpersonalize/personalize" = "$work/bin"
  }
  direct {}
}
RC
  export TF_CLI_CONFIG_FILE="$work/terraformrc"
  export CHECKPOINT_DISABLE=1
  export TF_IN_AUTOMATION=1
  mkdir -p "$work/tf"
  cp "$1"/*.tf "$work/tf/"
}

# No `terraform init`: under dev_overrides there is nothing to install, and
# Terraform itself advises skipping init (which would try to reach the
# registry for the overridden provider and fail offline).
tf() { terraform -chdir="$work/tf" "$@"; }

# expect_job_output FILE LINES fails unless the configuration's job_status
# output is ACTIVE and the job wrote FILE, and shows FILE's first LINES lines.
expect_job_output() {
  local status
  status=$(tf output -raw job_status)
  [[ "$status" == "ACTIVE" ]] || { echo "expected the batch job to be ACTIVE, it is $status" >&2; exit 1; }
  [[ -s "$1" ]] || { echo "the batch job wrote no output at $1" >&2; exit 1; }
  head -n "$2" "$1"
}
