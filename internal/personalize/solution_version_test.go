package personalize_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
)

const svResourceName = "personalize_solution_version.test"

// solutionOf is the solution of a fixture's solution version.
func solutionOfVersion(versionARN string) string {
	return versionARN[:strings.LastIndex(versionARN, "/")]
}

// trainedVersion is the configuration of solution version "test": the env's
// User-Personalization solution unless solution says otherwise; body is
// extra HCL inside the resource block.
func trainedVersion(env *acctest.Env, prefix, solution, body string) string {
	if solution == "" {
		solution = solutionOfVersion(env.UserPersonalizationSV)
	}
	return fmt.Sprintf(`resource "personalize_solution_version" "test" {
  name_prefix  = %q
  solution_arn = %q
%s
}
`, prefix, solution, body)
}

// gatedBatchJob is a batch inference job on the trained version, which a
// postcondition on the version's metrics gates.
func gatedBatchJob(env *acctest.Env, name string, minNDCG float64) string {
	return fmt.Sprintf(`resource "personalize_batch_inference_job" "gated" {
  job_name             = %[1]q
  solution_version_arn = personalize_solution_version.test.solution_version_arn
  role_arn             = %[2]q
  job_input  = { s3_data_source = { path = %[3]q } }
  job_output = { s3_data_destination = { path = %[4]q } }

  lifecycle {
    precondition {
      condition     = personalize_solution_version.test.metrics["normalized_discounted_cumulative_gain_at_10"] >= %[5]g
      error_message = "The model is not good enough: NDCG@10 is below %[5]g."
    }
  }
}
`, name, env.RoleARN, env.S3URL(acctest.UserInputPrefix), env.OutputPrefix(name), minNDCG)
}

var (
	svARNRegexp = regexp.MustCompile(`^arn:aws:personalize:us-east-1:123456789012:solution/demo-user-personalization/[0-9a-f]{8}$`)
	metricNames = []string{
		"coverage", "mean_reciprocal_rank_at_25",
		"normalized_discounted_cumulative_gain_at_5", "normalized_discounted_cumulative_gain_at_10", "normalized_discounted_cumulative_gain_at_25",
		"precision_at_5", "precision_at_10", "precision_at_25",
	}
)

// checkMetricsPlausible: every metric is there, within [0, 1], and NDCG
// grows with k while precision falls, as for a real model.
func checkMetricsPlausible(name string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		attrs := s.RootModule().Resources[name].Primary.Attributes
		values := map[string]float64{}
		for _, m := range metricNames {
			var v float64
			if _, err := fmt.Sscan(attrs["metrics."+m], &v); err != nil {
				return fmt.Errorf("metrics.%s = %q: %w", m, attrs["metrics."+m], err)
			}
			if v < 0 || v > 1 {
				return fmt.Errorf("metrics.%s = %g, want a value within [0, 1]", m, v)
			}
			values[m] = v
		}
		if attrs["metrics.%"] != fmt.Sprint(len(metricNames)) {
			return fmt.Errorf("metrics has %s entries, want %d", attrs["metrics.%"], len(metricNames))
		}
		ndcg, precision := "normalized_discounted_cumulative_gain_at_", "precision_at_"
		if !(values[ndcg+"5"] <= values[ndcg+"10"] && values[ndcg+"10"] <= values[ndcg+"25"]) {
			return fmt.Errorf("NDCG should grow with k: %v", values)
		}
		if !(values[precision+"5"] >= values[precision+"10"] && values[precision+"10"] >= values[precision+"25"]) {
			return fmt.Errorf("precision should fall with k: %v", values)
		}
		return nil
	}
}

// versionStatus is what the emulator reports of a version, straight from it.
func versionStatus(t *testing.T, env *acctest.Env, arn string) string {
	t.Helper()
	out, err := env.Client(t).DescribeSolutionVersion(context.Background(), &personalize.DescribeSolutionVersionInput{SolutionVersionArn: aws.String(arn)})
	if err != nil {
		t.Fatalf("describing %s: %s", arn, err)
	}
	return aws.ToString(out.SolutionVersion.Status)
}

// trainedSince lists the versions of solution the emulator holds beyond its
// fixtures (those created after the fixtures' year), by ARN with status.
func trainedSince(t *testing.T, env *acctest.Env, solution string) map[string]string {
	t.Helper()
	out, err := env.Client(t).ListSolutionVersions(context.Background(), &personalize.ListSolutionVersionsInput{SolutionArn: aws.String(solution), MaxResults: aws.Int32(100)})
	if err != nil {
		t.Fatalf("listing the versions of %s: %s", solution, err)
	}
	versions := map[string]string{}
	cutoff := time.Now().Add(-time.Hour)
	for _, v := range out.SolutionVersions {
		if aws.ToTime(v.CreationDateTime).After(cutoff) {
			versions[aws.ToString(v.SolutionVersionArn)] = aws.ToString(v.Status)
		}
	}
	return versions
}

// A version trains to ACTIVE with its metrics; a batch job of the same
// configuration runs on it once a gate on the metrics passes, and the
// solution's latest ACTIVE version, as the data source finds it, is the new
// one. Tags change in place, and import reads the same version back.
func TestAccSolutionVersion_trainsAndGatesBatchJob(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	env.RequireEmulator(t)
	prefix := acctest.RandomName("train") + "-"
	jobName := acctest.RandomName("gated")
	latest := `
data "personalize_solution_version" "latest" {
  solution_arn = personalize_solution_version.test.solution_arn
  depends_on   = [personalize_solution_version.test]
}
`
	version := func(tags string) string {
		return trainedVersion(env, prefix, "", "  tags = { "+tags+" }\n"+`  lifecycle {
    postcondition {
      condition     = self.metrics["normalized_discounted_cumulative_gain_at_10"] >= 0.1
      error_message = "NDCG@10 below 0.1."
    }
  }`)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(env, "", version(`team = "recs"`), gatedBatchJob(env, jobName, 0.1), latest),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(svResourceName, tfjsonpath.New("solution_version_arn"), knownvalue.StringRegexp(svARNRegexp)),
					statecheck.CompareValuePairs(svResourceName, tfjsonpath.New("id"), svResourceName, tfjsonpath.New("solution_version_arn"), compare.ValuesSame()),
					statecheck.ExpectKnownValue(svResourceName, tfjsonpath.New("name"), knownvalue.StringRegexp(regexp.MustCompile("^"+regexp.QuoteMeta(prefix)+"[0-9a-f]{24}$"))),
					statecheck.ExpectKnownValue(svResourceName, tfjsonpath.New("status"), knownvalue.StringExact("ACTIVE")),
					statecheck.ExpectKnownValue(svResourceName, tfjsonpath.New("failure_reason"), knownvalue.Null()),
					statecheck.ExpectKnownValue(svResourceName, tfjsonpath.New("training_mode"), knownvalue.StringExact("FULL")),
					statecheck.ExpectKnownValue(svResourceName, tfjsonpath.New("training_type"), knownvalue.StringExact("MANUAL")),
					statecheck.ExpectKnownValue(svResourceName, tfjsonpath.New("training_hours"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(svResourceName, tfjsonpath.New("recipe_arn"), knownvalue.StringExact("arn:aws:personalize:::recipe/aws-user-personalization")),
					statecheck.ExpectKnownValue(svResourceName, tfjsonpath.New("dataset_group_arn"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(svResourceName, tfjsonpath.New("perform_hpo"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(svResourceName, tfjsonpath.New("creation_date_time"), knownvalue.StringRegexp(rfc3339Regexp)),
					statecheck.ExpectKnownValue(svResourceName, tfjsonpath.New("tags_all"), knownvalue.MapExact(map[string]knownvalue.Check{"team": knownvalue.StringExact("recs")})),
					// The batch job ran on the new version, which is now the
					// solution's latest ACTIVE one.
					statecheck.CompareValuePairs("personalize_batch_inference_job.gated", tfjsonpath.New("solution_version_arn"), svResourceName, tfjsonpath.New("solution_version_arn"), compare.ValuesSame()),
					statecheck.ExpectKnownValue("personalize_batch_inference_job.gated", tfjsonpath.New("status"), knownvalue.StringExact("ACTIVE")),
					statecheck.CompareValuePairs("data.personalize_solution_version.latest", tfjsonpath.New("solution_version_arn"), svResourceName, tfjsonpath.New("solution_version_arn"), compare.ValuesSame()),
					statecheck.CompareValuePairs("data.personalize_solution_version.latest", tfjsonpath.New("training_hours"), svResourceName, tfjsonpath.New("training_hours"), compare.ValuesSame()),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkMetricsPlausible(svResourceName),
					checkCallCount(env, "CreateSolutionVersion", 1),
					checkCallCount(env, "CreateBatchInferenceJob", 1),
				),
			},
			{
				// Tags change in place: nothing trains again.
				Config: config(env, "", version(`team = "recs", cost = "ml"`), gatedBatchJob(env, jobName, 0.1), latest),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(svResourceName, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(svResourceName, "tags.cost", "ml"),
					checkCallCount(env, "CreateSolutionVersion", 1),
				),
			},
			{
				ResourceName:            svResourceName,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
		},
	})
}

// A gate on the metrics that the model misses stops the apply with the
// gate's message before the batch job that depends on it starts.
func TestAccSolutionVersion_failingGateStopsBatchJob(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	env.RequireEmulator(t)
	jobName := acctest.RandomName("ungated")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(env, "", trainedVersion(env, acctest.RandomName("gate")+"-", "", `  lifecycle {
    postcondition {
      condition     = self.metrics["normalized_discounted_cumulative_gain_at_10"] >= 0.99
      error_message = "The model is not good enough to run: NDCG@10 is below 0.99."
    }
  }`), gatedBatchJob(env, jobName, 0)),
				ExpectError: regexp.MustCompile(`The model is not good enough to run: NDCG@10 is below 0.99`),
				Check:       checkCallCount(env, "CreateBatchInferenceJob", 0),
			},
		},
		CheckDestroy: func(*terraform.State) error {
			if n := env.Calls("CreateBatchInferenceJob"); n != 0 {
				return fmt.Errorf("the emulator got %d batch inference job creates, want none: the gate must stop the job", n)
			}
			if n := env.Calls("CreateSolutionVersion"); n != 1 {
				return fmt.Errorf("the emulator got %d trainings, want 1", n)
			}
			return nil
		},
	})
}

// Every argument a plan can check is checked before any call: a solution
// version's ARN where the solution's is needed gets the solution's ARN as
// the fix.
func TestAccSolutionVersion_badArgumentsStopPlan(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	env.RequireEmulator(t)
	solution := solutionOfVersion(env.UserPersonalizationSV)
	cases := []struct {
		name, hcl string
		want      *regexp.Regexp
	}{
		{"version ARN", trainedVersion(env, "bad-", env.UserPersonalizationSV, ""),
			words(`is a solution version ARN, not a solution ARN: use the solution's ARN, ` + solution)},
		{"other region", trainedVersion(env, "bad-", strings.Replace(solution, "us-east-1", "eu-west-1", 1), ""),
			words(`is in eu-west-1, but the provider's region is us-east-1`)},
		{"no ARN", trainedVersion(env, "bad-", "demo-user-personalization", ""), words(`must be a solution ARN`)},
		{"training mode", trainedVersion(env, "bad-", "", `  training_mode = "PARTIAL"`), words(`training_mode "PARTIAL": must be "FULL" or "UPDATE"`)},
		{"training mode misspelt", trainedVersion(env, "bad-", "", `  training_mode = "FUL"`), words(`training_mode "FUL": must be "FULL" or "UPDATE"`, `Did you mean "FULL"?`)},
		{"autotrain", trainedVersion(env, "bad-", "", `  training_mode = "AUTOTRAIN"`), words(`training_mode "AUTOTRAIN" is the mode of the versions Personalize trains by itself`)},
		{"no name", fmt.Sprintf("resource \"personalize_solution_version\" \"test\" {\n  solution_arn = %q\n}\n", solution), words(`Exactly one of these attributes must be configured: [name,name_prefix]`)},
		{"bad name", fmt.Sprintf("resource \"personalize_solution_version\" \"test\" {\n  name = \"weekly model\"\n  solution_arn = %q\n}\n", solution), regexp.MustCompile(`(?s)name.*must start with a letter or digit`)},
	}
	steps := make([]resource.TestStep, 0, len(cases))
	for _, c := range cases {
		steps = append(steps, resource.TestStep{Config: config(env, "", c.hcl), PlanOnly: true, ExpectError: c.want})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps:                    steps,
		CheckDestroy: func(*terraform.State) error {
			for _, op := range []string{"CreateSolutionVersion", "ListSolutionVersions", "DescribeSolutionVersion"} {
				if n := env.Calls(op); n != 0 {
					return fmt.Errorf("%d %s calls for configurations the plan refuses, want none", n, op)
				}
			}
			return nil
		},
	})
}

// Every create answer is lost and one call in five throttled: each version
// (one per solution) still trains once, and the state holds exactly those.
func TestAccSolutionVersion_lostCreateResponsesTrainOnce(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	em := env.RequireEmulator(t)
	em.SetFaults(emulator.Faults{DropCreateResponseRate: 1, ThrottleRate: 0.2, Seed: 7})
	solutions := []string{solutionOfVersion(env.UserPersonalizationSV), solutionOfVersion(env.SimilarItemsSV), solutionOfVersion(env.PersonalizedRankingSV)}
	prefix := acctest.RandomName("lost") + "-"
	hcl := fmt.Sprintf(`resource "personalize_solution_version" "test" {
  count        = %d
  name_prefix  = %q
  solution_arn = %s[count.index]
}
`, len(solutions), prefix, hclList(solutions))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(env, "  max_retries = 10", hcl),
				Check: func(s *terraform.State) error {
					em.SetFaults(emulator.Faults{})
					if dropped := em.Stats().Faults[emulator.FaultDroppedCreate]; dropped < len(solutions) {
						return fmt.Errorf("%d create answers dropped, want every one of the %d", dropped, len(solutions))
					}
					for i, solution := range solutions {
						trained := trainedSince(t, env, solution)
						if len(trained) != 1 {
							return fmt.Errorf("solution %s trained %d versions, want 1: %v", solution, len(trained), trained)
						}
						for arn, status := range trained {
							r := s.RootModule().Resources[fmt.Sprintf("personalize_solution_version.test.%d", i)]
							if r == nil || r.Primary.Attributes["solution_version_arn"] != arn || status != "ACTIVE" {
								return fmt.Errorf("state does not hold the one ACTIVE version %s (%s) of %s", arn, status, solution)
							}
						}
					}
					return nil
				},
			},
		},
	})
}

func hclList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// A version with the planned name and arguments that no state recorded (an
// apply killed after its create) is adopted instead of trained again.
func TestAccSolutionVersion_adoptsUnrecordedVersionOfTheName(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	env.RequireEmulator(t)
	name := acctest.RandomName("orphan")
	solution := solutionOfVersion(env.SimilarItemsSV)
	var orphan string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					out, err := env.Client(t).CreateSolutionVersion(context.Background(), &personalize.CreateSolutionVersionInput{Name: aws.String(name), SolutionArn: aws.String(solution)})
					if err != nil {
						t.Fatal(err)
					}
					orphan = aws.ToString(out.SolutionVersionArn)
				},
				Config: config(env, "", fmt.Sprintf("resource \"personalize_solution_version\" \"test\" {\n  name = %q\n  solution_arn = %q\n}\n", name, solution)),
				Check: resource.ComposeAggregateTestCheckFunc(
					func(s *terraform.State) error {
						if got := s.RootModule().Resources[svResourceName].Primary.Attributes["solution_version_arn"]; got != orphan {
							return fmt.Errorf("state holds %s, want the version the killed apply started, %s", got, orphan)
						}
						return nil
					},
					resource.TestCheckResourceAttr(svResourceName, "status", "ACTIVE"),
					checkCallCount(env, "CreateSolutionVersion", 1),
				),
			},
		},
	})
}

// On Terraform 1.12+, an import block by identity imports the version a
// first step trained, name prefix included, with no change planned.
func TestAccSolutionVersion_importBlockByIdentity(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	env.RequireEmulator(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		Steps: []resource.TestStep{
			{
				Config: config(env, "", trainedVersion(env, acctest.RandomName("ident")+"-", "", `  tags = { owner = "acc" }`)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(svResourceName, map[string]knownvalue.Check{"solution_version_arn": knownvalue.StringRegexp(svARNRegexp)}),
				},
			},
			{
				ResourceName:    svResourceName,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
				ImportPlanChecks: resource.ImportPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(svResourceName, plancheck.ResourceActionNoop),
						plancheck.ExpectKnownValue(svResourceName, tfjsonpath.New("status"), knownvalue.StringExact("ACTIVE")),
						plancheck.ExpectKnownValue(svResourceName, tfjsonpath.New("metrics").AtMapKey("coverage"), knownvalue.NotNull()),
						plancheck.ExpectKnownValue(svResourceName, tfjsonpath.New("tags"), knownvalue.MapExact(map[string]knownvalue.Check{"owner": knownvalue.StringExact("acc")})),
					},
				},
			},
		},
	})
}

// On Terraform 1.14+, `terraform query` lists the versions of a solution,
// filtered by status, each named by its name once described, else by the
// end of its ARN.
func TestAccSolutionVersionList_query(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	env.RequireEmulator(t)
	solution := solutionOfVersion(env.PersonalizedRankingSV)
	list := func(label, body string) string {
		return fmt.Sprintf("list \"personalize_solution_version\" %q {\n  provider = personalize\n%s\n}\n", label, body)
	}
	var trained, trainedName string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{
			acctest.SkipOnOpenTofu("terraform query (list blocks)"),
			tfversion.SkipBelow(tfversion.Version1_14_0),
		},
		Steps: []resource.TestStep{
			{
				Config: config(env, "", trainedVersion(env, acctest.RandomName("query")+"-", solution, "")),
				Check: func(s *terraform.State) error {
					attrs := s.RootModule().Resources[svResourceName].Primary.Attributes
					trained, trainedName = attrs["solution_version_arn"], attrs["name"]
					return nil
				},
			},
			{
				Query: true,
				Config: list("all", fmt.Sprintf("  config {\n    solution_arn = %q\n    status = \"ACTIVE\"\n  }", solution)) +
					list("full", fmt.Sprintf("  include_resource = true\n  config {\n    solution_arn = %q\n  }", solution)),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("personalize_solution_version.all", 2),
					querycheck.ExpectIdentity("personalize_solution_version.all", map[string]knownvalue.Check{"solution_version_arn": knownvalue.StringExact(env.PersonalizedRankingSV)}),
					querycheck.ExpectResourceDisplayName("personalize_solution_version.all",
						queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"solution_version_arn": knownvalue.StringExact(env.PersonalizedRankingSV)}),
						knownvalue.StringExact(env.PersonalizedRankingSV[strings.LastIndex(env.PersonalizedRankingSV, "/")+1:])),
					querycheck.ExpectResourceDisplayName("personalize_solution_version.full",
						queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"solution_version_arn": knownvalue.StringFunc(func(v string) error {
							if v != trained {
								return fmt.Errorf("%s is not the trained version", v)
							}
							return nil
						})}),
						knownvalue.StringFunc(func(v string) error {
							if v != trainedName {
								return fmt.Errorf("display name %q, want the version's name %q", v, trainedName)
							}
							return nil
						})),
				},
			},
		},
	})
}

// cliTraining starts an environment whose trainings take an hour on a clock
// the test moves, and a terraform working directory.
func cliTraining(t *testing.T) (*acctest.Env, *acctest.CLI, *jobClock) {
	t.Helper()
	requireAcc(t)
	clock := &jobClock{}
	env, _ := acctest.NewCLIEnv(t, emulator.Config{TrainingDuration: longJob, Now: clock.Now})
	return env, acctest.NewCLI(t), clock
}

// onlyVersion is the one solution version in the CLI's state, untainted.
func onlyVersion(t *testing.T, cli *acctest.CLI) map[string]any {
	t.Helper()
	state := cli.State()
	if len(state) != 1 || state[0].Type != "personalize_solution_version" {
		t.Fatalf("state holds %+v, want one solution version", state)
	}
	if state[0].Tainted {
		t.Errorf("the version is tainted in state: the next apply would train another")
	}
	return state[0].Attributes
}

// Destroying a version still training stops it, and both the plan and the
// apply say so.
func TestAccSolutionVersion_destroyStopsTraining(t *testing.T) {
	t.Parallel()
	env, cli, clock := cliTraining(t)
	cli.WriteConfig(config(env, "", trainedVersion(env, "stopped-", "", "  wait_for_completion = false")))
	cli.MustRun(2*time.Minute, "apply", "-auto-approve", "-no-color")
	arn, _ := onlyVersion(t, cli)["solution_version_arn"].(string)
	clock.offset.Add(int64(longJob / 2)) // past CREATE PENDING: training

	plan := cli.MustRun(time.Minute, "plan", "-destroy", "-no-color")
	if !words("Destroy stops the solution version", "Terraform stops it first, and it is billed for the time it ran").MatchString(plan.Output()) {
		t.Errorf("the destroy plan does not say that it stops the training:\n%s", plan)
	}
	res := cli.MustRun(time.Minute, "destroy", "-auto-approve", "-no-color")
	if !words("Solution version stopped", arn+" was CREATE IN_PROGRESS: it was stopped").MatchString(res.Output()) {
		t.Errorf("destroy does not say that it stopped the training:\n%s", res)
	}
	if got := versionStatus(t, env, arn); got != "CREATE STOPPING" {
		t.Errorf("the emulator reports the destroyed version %s, want CREATE STOPPING", got)
	}
	clock.finishJobs()
	if got := versionStatus(t, env, arn); got != "CREATE STOPPED" {
		t.Errorf("the emulator reports the destroyed version %s once stopping ends, want CREATE STOPPED", got)
	}
	if n := env.Calls("StopSolutionVersionCreation"); n != 1 {
		t.Errorf("%d StopSolutionVersionCreation calls, want 1", n)
	}
}

// Replacing a version still training stops it; the new version waits for
// the solution, which trains one version at a time, and then trains.
func TestAccSolutionVersion_replacementStopsTraining(t *testing.T) {
	t.Parallel()
	env, cli, clock := cliTraining(t)
	version := func(mode string) string {
		return config(env, "", trainedVersion(env, "replaced-", "", fmt.Sprintf("  training_mode = %q\n  wait_for_completion = false", mode)))
	}
	cli.WriteConfig(version("FULL"))
	cli.MustRun(2*time.Minute, "apply", "-auto-approve", "-no-color")
	old, _ := onlyVersion(t, cli)["solution_version_arn"].(string)
	clock.offset.Add(int64(longJob / 2))

	cli.WriteConfig(version("UPDATE"))
	plan := cli.MustRun(time.Minute, "plan", "-no-color")
	if !words("Replacement leaves the old solution version in AWS", "Terraform stops it first").MatchString(plan.Output()) {
		t.Errorf("the plan does not say that the replacement stops the old training:\n%s", plan)
	}
	p := cli.Start("apply", "-auto-approve", "-no-color")
	acctest.WaitFor(t, time.Minute, "the old version to be stopping", func() bool {
		return isDone(p) || versionStatus(t, env, old) == "CREATE STOPPING"
	})
	clock.finishJobs() // the stop ends, and the solution is free again
	res := waitProcess(t, p, 2*time.Minute)
	if res.ExitCode != 0 {
		t.Fatalf("the replacing apply failed:\n%s", res)
	}
	if !words("Solution version stopped").MatchString(res.Output()) {
		t.Errorf("the apply does not say that it stopped the old version:\n%s", res)
	}
	attrs := onlyVersion(t, cli)
	if attrs["solution_version_arn"] == old || attrs["training_mode"] != "UPDATE" {
		t.Errorf("state holds %v (%v), want a new UPDATE version", attrs["solution_version_arn"], attrs["training_mode"])
	}
	if got := versionStatus(t, env, old); got != "CREATE STOPPED" {
		t.Errorf("the old version is %s, want CREATE STOPPED", got)
	}
	if n := env.Calls("CreateSolutionVersion"); n < 2 {
		t.Errorf("%d creates, want the first version's and the replacement's", n)
	}
	if trained := trainedSince(t, env, solutionOfVersion(env.UserPersonalizationSV)); len(trained) != 2 {
		t.Errorf("the solution has %d new versions, want 2 (the stopped one and its replacement): %v", len(trained), trained)
	}
}

// Ctrl-C while terraform waits for a training: the version is saved in
// state, untainted; the next apply waits for it, reads its metrics, and
// trains nothing more.
func TestAccSolutionVersion_interruptKeepsTrainingAndResumes(t *testing.T) {
	t.Parallel()
	env, cli, clock := cliTraining(t)
	cli.WriteConfig(config(env, "", trainedVersion(env, "resumed-", "", "")))
	p := cli.Start("apply", "-auto-approve", "-no-color")
	acctest.WaitFor(t, time.Minute, "the provider to start training and wait for it", func() bool {
		if isDone(p) {
			t.Fatalf("terraform ended before training started:\n%s", p.Wait())
		}
		return env.Calls("CreateSolutionVersion") == 1 && env.Calls("DescribeSolutionVersion") >= 1
	})
	if err := p.Interrupt(); err != nil {
		t.Fatalf("interrupting terraform: %s", err)
	}
	res := waitProcess(t, p, time.Minute)
	attrs := onlyVersion(t, cli)
	arn, _ := attrs["solution_version_arn"].(string)
	if status := attrs["status"]; status != "CREATE PENDING" && status != "CREATE IN_PROGRESS" {
		t.Errorf("status in state = %v, want the version still training", status)
	}
	if attrs["metrics"] != nil {
		t.Errorf("metrics of a version still training = %v, want null", attrs["metrics"])
	}
	if !words("Terraform was interrupted while solution version "+arn, "next apply waits for it again").MatchString(res.Output()) {
		t.Errorf("terraform's output does not say the interrupted training is kept and resumed:\n%s", res)
	}

	p = cli.Start("apply", "-auto-approve", "-no-color")
	acctest.WaitFor(t, time.Minute, "the next apply to resume waiting", func() bool {
		return strings.Contains(p.Output(), "Modifying...") || isDone(p)
	})
	clock.finishJobs()
	res = waitProcess(t, p, 2*time.Minute)
	if res.ExitCode != 0 || !strings.Contains(res.Stdout, "Resources: 0 added, 1 changed, 0 destroyed") {
		t.Fatalf("the resuming apply should wait for the version in place:\n%s", res)
	}
	attrs = onlyVersion(t, cli)
	if attrs["solution_version_arn"] != arn || attrs["status"] != "ACTIVE" {
		t.Errorf("state holds %v (%v), want %s ACTIVE", attrs["solution_version_arn"], attrs["status"], arn)
	}
	if metrics, _ := attrs["metrics"].(map[string]any); len(metrics) != len(metricNames) {
		t.Errorf("metrics after the resumed wait = %v, want all %d", attrs["metrics"], len(metricNames))
	}
	if n := env.Calls("CreateSolutionVersion"); n != 1 {
		t.Errorf("%d trainings started, want the interrupted apply's one", n)
	}
	cli.MustRun(time.Minute, "plan", "-detailed-exitcode", "-no-color")
}
