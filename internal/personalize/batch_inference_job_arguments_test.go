package personalize_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
)

const kmsKey = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

// Every optional argument set, read back, and imported with nothing lost.
func TestAccBatchInferenceJob_allArguments(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	name := acctest.RandomName("all")
	output := env.OutputPrefix(name)
	body := fmt.Sprintf(`
  filter_arn  = %q
  num_results = 7
  batch_inference_job_mode = "BATCH_INFERENCE"
  batch_inference_job_config = {
    item_exploration_config = { explorationWeight = "0.4", explorationItemAgeCutOff = "14" }
    ranking_influence       = { POPULARITY = 0.5, FRESHNESS = 0.25 }
  }
  tags = { team = "recs", "cost:center" = "42" }
  wait_for_completion = true
  timeouts = { create = "10m", update = "20m" }
`, env.FilterARN)
	cfg := config(env, "", fmt.Sprintf(`resource %q "test" {
  job_name             = %q
  solution_version_arn = %q
  role_arn             = %q
  job_input  = { s3_data_source = { path = %q, kms_key_arn = %q } }
  job_output = { s3_data_destination = { path = %q, kms_key_arn = %q } }
%s
}`, acctest.ResourceType, name, env.UserPersonalizationSV, env.RoleARN, env.S3URL(acctest.UserInputPrefix), kmsKey, output, kmsKey, body))

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("status"), knownvalue.StringExact("ACTIVE")),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("filter_arn"), knownvalue.StringExact(env.FilterARN)),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("num_results"), knownvalue.Int64Exact(7)),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("batch_inference_job_config"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"item_exploration_config": knownvalue.MapExact(map[string]knownvalue.Check{
							"explorationWeight": knownvalue.StringExact("0.4"), "explorationItemAgeCutOff": knownvalue.StringExact("14"),
						}),
						"ranking_influence": knownvalue.MapExact(map[string]knownvalue.Check{
							"POPULARITY": knownvalue.Float64Exact(0.5), "FRESHNESS": knownvalue.Float64Exact(0.25),
						}),
					})),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("job_input").AtMapKey("s3_data_source").AtMapKey("kms_key_arn"), knownvalue.StringExact(kmsKey)),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("job_output").AtMapKey("s3_data_destination").AtMapKey("kms_key_arn"), knownvalue.StringExact(kmsKey)),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("tags_all"), knownvalue.MapExact(map[string]knownvalue.Check{
						"team": knownvalue.StringExact("recs"), "cost:center": knownvalue.StringExact("42"),
					})),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("timeouts").AtMapKey("create"), knownvalue.StringExact("10m")),
				},
				Check: checkOutputWritten(env, "output/"+name+"/users.jsonl.out"),
			},
			{
				ResourceName:      resourceName,
				ImportState:       true,
				ImportStateVerify: true,
				// timeouts configure this Terraform run, not the job: AWS has no value to import.
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
		},
	})
}

// A configuration generated from an imported job plans with no changes, so
// `terraform plan -generate-config-out` gives users a working starting point.
func TestAccBatchInferenceJob_importBlockGeneratesConfig(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	name := acctest.RandomName("gen")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		Steps: []resource.TestStep{
			{
				Config: config(env, "", jobArgs{name: name, output: env.OutputPrefix(name),
					body: fmt.Sprintf("  filter_arn = %q\n  tags = { owner = \"acc\" }\n", env.FilterARN)}.hcl(env, "test")),
			},
			{
				ResourceName:    resourceName,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				GenerateConfig:  true,
				ImportPlanChecks: resource.ImportPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("personalize_batch_inference_job.generated", plancheck.ResourceActionNoop),
						plancheck.ExpectKnownValue("personalize_batch_inference_job.generated", tfjsonpath.New("job_name"), knownvalue.StringExact(name)),
						plancheck.ExpectKnownValue("personalize_batch_inference_job.generated", tfjsonpath.New("tags"),
							knownvalue.MapExact(map[string]knownvalue.Check{"owner": knownvalue.StringExact("acc")})),
					},
				},
			},
		},
	})
}

func TestAccBatchInferenceJob_importRejectsNonARN(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	name := acctest.RandomName("badimport")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config(env, "", jobArgs{name: name, output: env.OutputPrefix(name)}.hcl(env, "test"))},
			{
				ResourceName:  resourceName,
				ImportState:   true,
				ImportStateId: name,
				ExpectError:   regexp.MustCompile(`(?s)is not a batch inference job ARN.*batch-inference-job/<job\s+name>`),
			},
		},
	})
}

func TestAccBatchInferenceJob_themeGeneration(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	plain := jobArgs{prefix: "themes-", sv: env.SimilarItemsSV, input: env.S3URL(acctest.ItemInputPrefix), output: env.OutputPrefix("themes")}
	themed := plain
	themed.body = `
  batch_inference_job_mode = "THEME_GENERATION"
  theme_generation_config = { fields_for_theme_generation = { item_name = "TITLE" } }
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(env, "", plain.hcl(env, "test")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("batch_inference_job_mode"), knownvalue.StringExact("BATCH_INFERENCE")),
				},
			},
			{
				Config: config(env, "", themed.hcl(env, "test")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("status"), knownvalue.StringExact("ACTIVE")),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("batch_inference_job_mode"), knownvalue.StringExact("THEME_GENERATION")),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("theme_generation_config"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"fields_for_theme_generation": knownvalue.ObjectExact(map[string]knownvalue.Check{"item_name": knownvalue.StringExact("TITLE")}),
					})),
				},
			},
		},
	})
}

func TestAccBatchInferenceJob_jobNamePrefix(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	prefix := "weekly-recs-"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config(env, "",
				jobArgs{prefix: prefix, output: env.OutputPrefix("prefix-a")}.hcl(env, "test"),
				jobArgs{prefix: prefix, output: env.OutputPrefix("prefix-b")}.hcl(env, "other")),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("job_name_prefix"), knownvalue.StringExact(prefix)),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("job_name"),
					knownvalue.StringRegexp(regexp.MustCompile(`^`+prefix+`[a-zA-Z0-9\-_]{1,`+fmt.Sprint(63-len(prefix))+`}$`))),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("status"), knownvalue.StringExact("ACTIVE")),
				// Two jobs from one prefix in one apply still get different names.
				statecheck.CompareValuePairs(resourceName, tfjsonpath.New("job_name"), "personalize_batch_inference_job.other", tfjsonpath.New("job_name"), compare.ValuesDiffer()),
			},
		}},
	})
}

// Each immutable argument, changed alone, replaces the job (and makes a new
// one); job_name_prefix keeps the replacements from colliding.
func TestAccBatchInferenceJob_immutableArgumentsReplace(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	secondSV := fmt.Sprintf("arn:aws:personalize:%s:%s:solution/demo-user-personalization/99999999", env.Region, env.AccountID)
	if env.Emulator != nil {
		if err := env.Emulator.AddSolutionVersion(secondSV, "aws-user-personalization"); err != nil {
			t.Fatal(err)
		}
	}
	base := jobArgs{prefix: "replace-", output: env.OutputPrefix("replace-1")}
	changes := []struct {
		what string
		edit func(j *jobArgs)
	}{
		{"role_arn", func(j *jobArgs) { j.role = fmt.Sprintf("arn:aws:iam::%s:role/PersonalizeBatchOther", env.AccountID) }},
		{"job_input", func(j *jobArgs) { j.input = env.S3URL(acctest.UserInputPrefix + "users.jsonl") }},
		{"job_output", func(j *jobArgs) { j.output = env.OutputPrefix("replace-2") }},
		{"filter_arn", func(j *jobArgs) { j.body += fmt.Sprintf("  filter_arn = %q\n", env.FilterARN) }},
		{"num_results", func(j *jobArgs) { j.body += "  num_results = 10\n" }},
		{"batch_inference_job_config", func(j *jobArgs) {
			j.body += "  batch_inference_job_config = { ranking_influence = { FRESHNESS = 1 } }\n"
		}},
		{"solution_version_arn", func(j *jobArgs) { j.sv = secondSV }},
		{"job_name_prefix", func(j *jobArgs) { j.prefix = "replaced-" }},
		{"job_name", func(j *jobArgs) { j.prefix, j.name = "", acctest.RandomName("fixed") }},
	}
	steps := []resource.TestStep{{Config: config(env, "", base.hcl(env, "test"))}}
	current := base
	for i, c := range changes {
		c.edit(&current)
		steps = append(steps, resource.TestStep{
			Config:   config(env, "", current.hcl(env, "test")),
			SkipFunc: func() (bool, error) { return c.what == "solution_version_arn" && env.Emulator == nil, nil },
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionDestroyBeforeCreate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("status"), knownvalue.StringExact("ACTIVE")),
			},
			Check: checkJobCount(env, i+2),
		})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories, Steps: steps})
}
