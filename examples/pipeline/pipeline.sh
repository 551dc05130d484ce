#!/usr/bin/env bash
# Runs the nightly batch pipeline of examples/pipeline against the local
# Personalize emulator, with no AWS account: two nights in a row (each loads
# its interactions, trains a new model and scores every user with it), then a
# night whose model fails the quality gate, so that no job scores with it.
set -euo pipefail

# shellcheck source=../lib/offline.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/offline.sh"

build_offline

# A night's interactions, as Amazon Personalize imports them: CSV whose first
# line names the columns of the dataset's schema.
interactions() {
  mkdir -p "$work/s3/pipeline-bucket/interactions/$1"
  {
    echo "USER_ID,ITEM_ID,TIMESTAMP"
    for user in 4638 891 105 27; do
      for item in 1 2 3; do echo "$user,$((user % 7 + item)),$2"; done
    done
  } >"$work/s3/pipeline-bucket/interactions/$1/interactions.csv"
}
interactions 2026-12-05 1796425200
mkdir -p "$work/s3/pipeline-bucket/users"
printf '{"userId":"%s"}\n' 4638 891 105 27 >"$work/s3/pipeline-bucket/users/users.jsonl"

start_emulator --import-duration 2s --training-duration 4s --job-duration 2s
use_local_provider "$root/examples/pipeline"

# expect_active DATE: the night's batch job is ACTIVE and wrote its recommendations.
expect_active() { expect_job_output "$work/s3/pipeline-bucket/recommendations/$1/users.jsonl.out" 2; }

step "Night of 2026-12-05: import, train, gate, score (about 10 seconds)"
tf apply -auto-approve -input=false -no-color -var run_date=2026-12-05

expect_active 2026-12-05
first_model=$(tf output -raw solution_version_arn)

step "Applied again: nothing to do, nothing runs twice"
tf plan -detailed-exitcode -input=false -no-color -var run_date=2026-12-05 >/dev/null ||
  { echo "a second plan for the same night is not empty" >&2; exit 1; }
echo "No changes."

step "Night of 2026-12-06: new data, a new model, new recommendations"
interactions 2026-12-06 1796511600
tf apply -auto-approve -input=false -no-color -var run_date=2026-12-06

expect_active 2026-12-06
[[ "$(tf output -raw solution_version_arn)" != "$first_model" ]] || { echo "the second night did not train a new model" >&2; exit 1; }

step "Night of 2026-12-07 with a bar no model reaches: the gate stops the apply"
interactions 2026-12-07 1796598000
if tf apply -auto-approve -input=false -no-color -var run_date=2026-12-07 -var min_ndcg_at_10=0.6 >"$work/gate.log" 2>&1; then
  echo "the apply passed a gate no model can pass" >&2
  exit 1
fi
grep -A6 "Resource postcondition failed" "$work/gate.log"
[[ ! -e "$work/s3/pipeline-bucket/recommendations/2026-12-07" ]] || { echo "a batch job scored with the model that failed the gate" >&2; exit 1; }
echo "No recommendations were written for 2026-12-07; the 2026-12-06 ones are still there."
echo "In the state now (the night's import and the model that failed the gate; no batch job):"
tf state list

step "terraform destroy (imports, models and jobs cannot be deleted: this forgets them)"
tf destroy -auto-approve -input=false -no-color -var run_date=2026-12-07 -var min_ndcg_at_10=0.6 >/dev/null
echo "Destroyed."

step "Done: the emulator is stopped and $work removed"
