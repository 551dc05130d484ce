package benchmarks

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// The emulator's fixtures: a solution version it knows and a role it accepts.
const (
	solutionVersionARN = "arn:aws:personalize:us-east-1:123456789012:solution/demo-user-personalization/1a2b3c4d"
	roleARN            = "arn:aws:iam::123456789012:role/PersonalizeBatch"
	inputPath          = "s3://bench/input/"
	outputPath         = "s3://bench/output/"
)

// providerConfig is n batch inference jobs named prefix0…prefix(n-1).
func providerConfig(endpoint, prefix string, n int) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    personalize = { source = "tfpersonalize/personalize" }
  }
}

provider "personalize" {
  region                      = "us-east-1"
  access_key                  = "bench"
  secret_key                  = "bench"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  endpoints {
    personalize = %q
  }
}

resource "personalize_batch_inference_job" "j" {
  count                = %d
  job_name             = "%s${count.index}"
  solution_version_arn = %q
  role_arn             = %q
  job_input            = { s3_data_source = { path = %q } }
  job_output           = { s3_data_destination = { path = %q } }
}
`, endpoint, n, prefix, solutionVersionARN, roleARN, inputPath, outputPath)
}

// Job configurations of the scale and waiting scenarios: the one the
// documentation shows, which leaves num_results and
// batch_inference_job_config to the service, and one that states them.
const (
	configDocumented = "documented"
	configStated     = "stated"
)

// configFor is providerConfig, or statedConfig for configStated.
func configFor(config, endpoint, prefix string, n int) string {
	if config == configStated {
		return statedConfig(endpoint, prefix, n)
	}
	return providerConfig(endpoint, prefix, n)
}

// statedConfig is providerConfig with every argument the service would
// otherwise default set, so that the provider knows each job from its
// request alone.
func statedConfig(endpoint, prefix string, n int) string {
	return strings.Replace(providerConfig(endpoint, prefix, n), "  job_output ", statedSettings+"  job_output ", 1)
}

// statedSettings are the arguments the documented configuration leaves to
// the service.
const statedSettings = `  num_results          = 25
  batch_inference_job_config = {
    item_exploration_config = { explorationWeight = "0.3", explorationItemAgeCutOff = "30" }
  }
`

// floorConfig is the same n jobs as providerConfig, for the minimal
// framework provider: the same arguments, no provider settings (it has none).
func floorConfig(prefix string, n int) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    floor = { source = "tfpersonalize/floor" }
  }
}

resource "floor_batch_inference_job" "j" {
  count                = %d
  job_name             = "%s${count.index}"
  solution_version_arn = %q
  role_arn             = %q
  job_input            = { s3_data_source = { path = %q } }
  job_output           = { s3_data_destination = { path = %q } }
}
`, n, prefix, solutionVersionARN, roleARN, inputPath, outputPath)
}

// floorConfigFor is floorConfig in the given configuration: the minimal
// provider's resource takes the same arguments.
func floorConfigFor(config, prefix string, n int) string {
	if config == configStated {
		return strings.Replace(floorConfig(prefix, n), "  job_output ", statedSettings+"  job_output ", 1)
	}
	return floorConfig(prefix, n)
}

// baselineConfig is Terraform's own floor: n resources with no provider
// process and no API behind them.
func baselineConfig(prefix string, n int) string {
	return fmt.Sprintf(`resource "terraform_data" "j" {
  count = %d
  input = "%s${count.index}"
}
`, n, prefix)
}

// peerConfig is how batch jobs are run from Terraform without this
// provider: terraform_data with a local-exec provisioner that submits the
// job with the aws CLI and polls until it finishes.
func peerConfig(prefix string, n int) string {
	return fmt.Sprintf(`resource "terraform_data" "j" {
  count = %d
  input = "%s${count.index}"

  provisioner "local-exec" {
    command = "sh ${path.module}/run-job.sh ${self.input}"
  }
}
`, n, prefix)
}

// peerScript submits one job and waits for it. A LimitExceededException
// is retried (after the CLI's own retries) as a queue; the poll interval is
// the shortest a script would sensibly use, so that the peer is judged on
// the cost of its calls rather than on a long sleep.
func peerScript(endpoint string, poll float64) string {
	return fmt.Sprintf(`#!/bin/sh
set -eu
name=$1
ep=%q
err=$(mktemp)
trap 'rm -f "$err"' EXIT
while :; do
  if arn=$(aws personalize create-batch-inference-job --endpoint-url "$ep" \
      --job-name "$name" \
      --solution-version-arn %q \
      --role-arn %q \
      --job-input 's3DataSource={path=%s}' \
      --job-output 's3DataDestination={path=%s}' \
      --query batchInferenceJobArn --output text 2>"$err"); then
    break
  fi
  grep -q LimitExceededException "$err" || { cat "$err" >&2; exit 1; }
  sleep %g
done
while :; do
  status=$(aws personalize describe-batch-inference-job --endpoint-url "$ep" \
    --batch-inference-job-arn "$arn" --query batchInferenceJob.status --output text)
  case "$status" in
    ACTIVE) exit 0 ;;
    "CREATE FAILED") echo "job $name failed" >&2; exit 1 ;;
  esac
  sleep %g
done
`, endpoint, solutionVersionARN, roleARN, inputPath, outputPath, poll, poll)
}

// peerEnv gives the aws CLI dummy credentials and keeps it off the network
// and away from the caller's profile.
func peerEnv(dir string) []string {
	return []string{
		"AWS_ACCESS_KEY_ID=bench",
		"AWS_SECRET_ACCESS_KEY=bench",
		"AWS_DEFAULT_REGION=us-east-1",
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE=" + filepath.Join(dir, "aws-config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(dir, "aws-credentials"),
	}
}

// workspace creates a fresh directory holding main.tf and, for the peer,
// its script.
func workspace(parent, name, config, script string) (string, error) {
	dir := filepath.Join(parent, name)
	if err := os.RemoveAll(dir); err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o644); err != nil {
		return "", err
	}
	if script != "" {
		if err := os.WriteFile(filepath.Join(dir, "run-job.sh"), []byte(script), 0o755); err != nil {
			return "", err
		}
	}
	return dir, nil
}
