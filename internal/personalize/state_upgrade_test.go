package personalize_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
)

// State written by the first released version of each job type must plan
// with no change on the current provider: a user upgrading the provider must
// never see a job replaced (a second job run, its name burnt) or updated.
//
// No state upgrader exists, and none is needed: the schema version of both
// resources is still 0, and every attribute has kept its name, type and
// nesting since the version that introduced it (TestAccReliability_stateUpgrade
// compares the old and current schemas, and fails the day they differ under
// the same version).

// upgradeCase is a provider version whose state the current one must take
// over as it is.
type upgradeCase struct {
	commit string
	// segments: the version has personalize_batch_segment_job.
	segments bool
}

var upgradeCases = []upgradeCase{
	// The first version with personalize_batch_inference_job.
	{commit: "12b1759"},
	// The commit that introduced personalize_batch_segment_job.
	{commit: "1efbb29", segments: true},
	// The shared job lifecycle with one Describe path for both job types.
	{commit: "5022e0e", segments: true},
}

// upgradeTestdata is where the state the case's version wrote is kept:
// terraform.tfstate, and emulator-state.json holding the jobs it names.
func (c upgradeCase) testdata() string {
	return filepath.Join("testdata", "upgrade", c.commit)
}

// config is what was applied with the case's version: the main optional
// arguments that version's schema has, plus the bare minimum, for each job
// type it has, under the provider's default_tags. Job names are fixed and
// every ARN and path is the same in every environment NewCLIEnv makes, so
// the state it wrote fits any of them.
func (c upgradeCase) config(env *acctest.Env) string {
	name := func(label string) string { return "upgrade-" + c.commit + "-" + label }
	input := env.S3URL(acctest.UserInputPrefix)
	jobs := []string{
		fmt.Sprintf(`resource "personalize_batch_inference_job" "full" {
  job_name             = %q
  solution_version_arn = %q
  role_arn             = %q
  filter_arn           = %q
  num_results          = 10
  batch_inference_job_mode = "BATCH_INFERENCE"
  batch_inference_job_config = {
    item_exploration_config = { explorationWeight = "0.5", explorationItemAgeCutOff = "10" }
    ranking_influence       = { POPULARITY = 0.5, FRESHNESS = 0.25 }
  }
  job_input  = { s3_data_source = { path = %q, kms_key_arn = %q } }
  job_output = { s3_data_destination = { path = %q, kms_key_arn = %q } }
  tags                = { team = "recs", "cost:center" = "42" }
  wait_for_completion = true
  timeouts            = { create = "30m", update = "30m" }
}
`, name("full"), env.UserPersonalizationSV, env.RoleARN, env.FilterARN, input, kmsKey, env.OutputPrefix(name("full")), kmsKey),
		fmt.Sprintf(`resource "personalize_batch_inference_job" "themes" {
  job_name_prefix          = %q
  solution_version_arn     = %q
  role_arn                 = %q
  batch_inference_job_mode = "THEME_GENERATION"
  theme_generation_config  = { fields_for_theme_generation = { item_name = "TITLE" } }
  job_input  = { s3_data_source = { path = %q } }
  job_output = { s3_data_destination = { path = %q } }
}
`, name("themes-"), env.SimilarItemsSV, env.RoleARN, env.S3URL(acctest.ItemInputPrefix), env.OutputPrefix(name("themes"))),
		fmt.Sprintf(`resource "personalize_batch_inference_job" "minimal" {
  job_name             = %q
  solution_version_arn = %q
  role_arn             = %q
  job_input  = { s3_data_source = { path = %q } }
  job_output = { s3_data_destination = { path = %q } }
}
`, name("minimal"), env.UserPersonalizationSV, env.RoleARN, input, env.OutputPrefix(name("minimal"))),
	}
	if c.segments {
		segments := env.S3URL(acctest.SegmentInputPrefix)
		jobs = append(jobs,
			fmt.Sprintf(`resource "personalize_batch_segment_job" "full" {
  job_name_prefix      = %q
  solution_version_arn = %q
  role_arn             = %q
  filter_arn           = %q
  num_results          = 50
  job_input  = { s3_data_source = { path = %q, kms_key_arn = %q } }
  job_output = { s3_data_destination = { path = %q, kms_key_arn = %q } }
  tags                = { team = "segments" }
  wait_for_completion = true
  timeouts            = { create = "30m" }
}
`, name("segments-"), env.ItemAffinitySV, env.RoleARN, env.FilterARN, segments, kmsKey, env.OutputPrefix(name("segments")), kmsKey),
			fmt.Sprintf(`resource "personalize_batch_segment_job" "minimal" {
  job_name             = %q
  solution_version_arn = %q
  role_arn             = %q
  job_input  = { s3_data_source = { path = %q } }
  job_output = { s3_data_destination = { path = %q } }
}
`, name("segments-minimal"), env.ItemAffinitySV, env.RoleARN, segments, env.OutputPrefix(name("segments-minimal"))))
	}
	return env.ProviderConfig(`  default_tags {
    tags = { managed-by = "terraform", suite = "upgrade" }
  }`) + strings.Join(jobs, "\n")
}

// jobs is how many jobs the case's configuration has.
func (c upgradeCase) jobs() int {
	if c.segments {
		return 5
	}
	return 3
}

// requireCleanPlan plans the CLI's working directory, which holds state an
// older provider wrote, with the current provider: terraform must find
// nothing to do (exit 0 of -detailed-exitcode), every resource must plan
// as a no-op (no update, no replacement), and the refresh must read each
// job back exactly as the old version stored it.
func requireCleanPlan(t *testing.T, cli *acctest.CLI, env *acctest.Env, want int) {
	t.Helper()
	tagReads := env.Calls("ListTagsForResource")
	res := cli.Run(3*time.Minute, "plan", "-detailed-exitcode", "-no-color", "-input=false", "-out=upgrade.tfplan")
	if res.ExitCode != 0 {
		t.Fatalf("the current provider plans changes (or fails) on state an older version wrote; want exit 0 of -detailed-exitcode:\n%s", res)
	}
	show := cli.MustRun(time.Minute, "show", "-json", "upgrade.tfplan")
	var plan tfjson.Plan
	if err := json.Unmarshal([]byte(show.Stdout), &plan); err != nil {
		t.Fatalf("terraform show -json: %s\n%s", err, show.Stdout)
	}
	var problems []string
	managed := 0
	for _, rc := range plan.ResourceChanges {
		if rc.Mode != tfjson.ManagedResourceMode {
			continue
		}
		managed++
		if rc.Change == nil || !rc.Change.Actions.NoOp() {
			var actions tfjson.Actions
			if rc.Change != nil {
				actions = rc.Change.Actions
			}
			problems = append(problems, fmt.Sprintf("%s plans %v, want no-op (replace paths %v)", rc.Address, actions, replacePaths(rc)))
		}
	}
	if managed != want {
		problems = append(problems, fmt.Sprintf("the plan covers %d resources, want the %d jobs of the state", managed, want))
	}
	for _, d := range plan.ResourceDrift {
		problems = append(problems, fmt.Sprintf("refresh changed %s: %v", d.Address, changedAttributes(d.Change)))
	}
	if plan.PriorState == nil || plan.PriorState.Values == nil || plan.PriorState.Values.RootModule == nil {
		problems = append(problems, "the plan has no prior state")
	} else {
		for _, r := range plan.PriorState.Values.RootModule.Resources {
			if r.Mode != tfjson.ManagedResourceMode {
				continue
			}
			if r.SchemaVersion != 0 {
				problems = append(problems, fmt.Sprintf("%s has schema version %d", r.Address, r.SchemaVersion))
			}
			if status := r.AttributeValues["status"]; status != "ACTIVE" {
				problems = append(problems, fmt.Sprintf("%s is %v after the refresh, want ACTIVE", r.Address, status))
			}
		}
	}
	// The refresh of a finished job reads its tags; fewer reads than jobs
	// would mean the plan trusted the old state without asking the API.
	if n := env.Calls("ListTagsForResource") - tagReads; n < want {
		problems = append(problems, fmt.Sprintf("the refresh made %d ListTagsForResource calls for %d jobs: it did not read every job", n, want))
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		t.Fatalf("state an older provider wrote does not plan clean on the current one:\n%s\n\nplan output:\n%s", strings.Join(problems, "\n"), res.Stdout)
	}
}

func replacePaths(rc *tfjson.ResourceChange) any {
	if rc.Change == nil {
		return nil
	}
	return rc.Change.ReplacePaths
}

// changedAttributes names the top-level attributes whose values differ
// between a change's before and after.
func changedAttributes(c *tfjson.Change) []string {
	if c == nil {
		return nil
	}
	before, _ := c.Before.(map[string]any)
	after, _ := c.After.(map[string]any)
	var out []string
	for k := range before {
		if b, _ := json.Marshal(before[k]); string(b) != mustJSON(after[k]) {
			out = append(out, fmt.Sprintf("%s: %s -> %s", k, b, mustJSON(after[k])))
		}
	}
	for k := range after {
		if _, ok := before[k]; !ok {
			out = append(out, fmt.Sprintf("%s: (absent) -> %s", k, mustJSON(after[k])))
		}
	}
	sort.Strings(out)
	return out
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// copyFile copies src to dst, replacing in its text each old with its new.
func copyFile(t *testing.T, src, dst string, replace ...string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.NewReplacer(replace...).Replace(string(b))
	if err := os.WriteFile(dst, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// providerHostInState moves a state's provider address to the host the CLI
// under test gives tfpersonalize/personalize: OpenTofu's, when it runs.
func providerHostInState() []string {
	return []string{`provider[\"registry.terraform.io/tfpersonalize/personalize\"]`, `provider[\"` + acctest.ProviderHost() + `/tfpersonalize/personalize\"]`}
}

// The state each first version wrote, kept in testdata/upgrade/, with the
// emulator state holding its jobs: the current provider plans no change.
// TestAccReliability_stateUpgrade writes these files afresh from builds of
// those commits (see testdata/upgrade/README.md).
func TestAccStateUpgrade_firstVersionsPlanClean(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	for _, c := range upgradeCases {
		t.Run(c.commit, func(t *testing.T) {
			t.Parallel()
			stateFile := filepath.Join(t.TempDir(), "emulator-state.json")
			copyFile(t, filepath.Join(c.testdata(), "emulator-state.json"), stateFile)
			env, _ := acctest.NewCLIEnv(t, emulator.Config{StateFile: stateFile})
			if n := env.Jobs() + env.SegmentJobs(); n != c.jobs() {
				t.Fatalf("the emulator state of %s holds %d jobs, want %d", c.commit, n, c.jobs())
			}
			cli := acctest.NewCLI(t)
			copyFile(t, filepath.Join(c.testdata(), "terraform.tfstate"), filepath.Join(cli.Dir, "terraform.tfstate"), providerHostInState()...)
			cli.WriteConfig(c.config(env))
			requireCleanPlan(t, cli, env, c.jobs())
		})
	}
}
