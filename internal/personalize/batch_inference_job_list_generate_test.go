package personalize_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
	tfpersonalize "github.com/tfpersonalize/terraform-provider-personalize/internal/personalize"
)

// On Terraform 1.14+, `terraform query -generate-config-out` turns jobs made
// outside Terraform into import and resource blocks that validate, import
// the jobs as they are, and plan no change afterwards: a user adopting
// existing jobs runs exactly these commands.
func TestAccBatchInferenceJobList_generateConfigImportsWithNoChanges(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("runs terraform: set TF_ACC=1")
	}
	t.Parallel()
	acctest.SkipUnlessTerraform(t, "1.14.0", "terraform query")
	env, _ := acctest.NewCLIEnv(t, emulator.Config{JobDuration: acctest.JobDuration})
	cli := acctest.NewCLI(t)
	tagged, plain := acctest.RandomName("adopt"), acctest.RandomName("adopt")
	other := acctest.RandomName("ignored")
	arns := createJobsWithSDK(t, env,
		sdkJob{name: tagged, tags: map[string]string{"team": "recs", "cost-center": "42"}},
		sdkJob{name: plain, sv: env.SimilarItemsSV, input: env.S3URL(acctest.ItemInputPrefix)},
		sdkJob{name: other})
	waitJobsFinished(t, env, arns...)

	cli.WriteConfig(env.ProviderConfig(""))
	query := filepath.Join(cli.Dir, "adopt.tfquery.hcl")
	list := `list "` + tfpersonalize.ResourceTypeName + `" "adopt" {
  provider         = personalize
  include_resource = true
  config {
    name_regex = "^adopt-"
  }
}
`
	if err := os.WriteFile(query, []byte(list), 0o644); err != nil {
		t.Fatal(err)
	}

	cli.MustRun(2*time.Minute, "query", "-no-color", "-generate-config-out=generated.tf")
	raw, err := os.ReadFile(filepath.Join(cli.Dir, "generated.tf"))
	if err != nil {
		t.Fatalf("terraform query -generate-config-out wrote no file: %s", err)
	}
	generated := string(raw)
	for _, name := range []string{tagged, plain} {
		if !strings.Contains(generated, `"`+name+`"`) {
			t.Errorf("generated.tf has no blocks for job %s:\n%s", name, generated)
		}
	}
	if strings.Contains(generated, other) {
		t.Errorf("generated.tf has job %s, which name_regex excludes:\n%s", other, generated)
	}
	if n := len(regexp.MustCompile(`(?m)^import \{`).FindAllString(generated, -1)); n != 2 {
		t.Errorf("generated.tf has %d import blocks, want 2:\n%s", n, generated)
	}
	// The query file stays, as it would in a user's directory: plan and
	// apply read only the .tf files.
	if r := cli.Run(time.Minute, "validate", "-no-color"); r.ExitCode != 0 {
		t.Fatalf("the generated configuration does not validate:\n%s\n--- generated.tf\n%s", r, generated)
	}
	plan := cli.Run(2*time.Minute, "plan", "-no-color", "-detailed-exitcode")
	if !strings.Contains(plan.Stdout, "Plan: 2 to import, 0 to add, 0 to change, 0 to destroy.") {
		t.Fatalf("the plan of the generated configuration does more than import the two jobs:\n%s\n--- generated.tf\n%s", plan, generated)
	}
	calls := env.Calls("CreateBatchInferenceJob")
	apply := cli.MustRun(2*time.Minute, "apply", "-no-color", "-auto-approve")
	if !strings.Contains(apply.Stdout, "Apply complete! Resources: 2 imported, 0 added, 0 changed, 0 destroyed.") {
		t.Fatalf("apply did not just import the two jobs:\n%s", apply)
	}
	if got := env.Calls("CreateBatchInferenceJob"); got != calls {
		t.Errorf("importing the generated configuration created %d jobs", got-calls)
	}
	state := map[string]acctest.StateResource{}
	for _, r := range cli.State() {
		state[r.Attributes["job_name"].(string)] = r
	}
	if len(state) != 2 || state[tagged].Attributes == nil || state[plain].Attributes == nil {
		t.Fatalf("state after import holds %v, want the jobs %s and %s", state, tagged, plain)
	}
	if tags, _ := state[tagged].Attributes["tags"].(map[string]any); tags["team"] != "recs" || tags["cost-center"] != "42" {
		t.Errorf("imported job %s has tags %v, want team = recs and cost-center = 42", tagged, state[tagged].Attributes["tags"])
	}
	if got := state[plain].Attributes["solution_version_arn"]; got != env.SimilarItemsSV {
		t.Errorf("imported job %s has solution_version_arn %v, want %s", plain, got, env.SimilarItemsSV)
	}
	if r := cli.Run(2*time.Minute, "plan", "-no-color", "-detailed-exitcode"); r.ExitCode != 0 {
		t.Errorf("the plan after importing the generated configuration is not empty (exit %d, want 0):\n%s", r.ExitCode, r)
	}
}
