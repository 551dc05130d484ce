package personalize_test

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
)

func stringMap(m map[string]string) knownvalue.Check {
	checks := map[string]knownvalue.Check{}
	for k, v := range m {
		checks[k] = knownvalue.StringExact(v)
	}
	return knownvalue.MapExact(checks)
}

// checkAPITags compares the tags the job has in AWS (or the emulator).
func checkAPITags(t *testing.T, env *acctest.Env, want map[string]string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[resourceName]
		if !ok {
			return fmt.Errorf("%s not in state", resourceName)
		}
		out, err := env.Client(t).ListTagsForResource(context.Background(), &personalize.ListTagsForResourceInput{
			ResourceArn: aws.String(rs.Primary.Attributes["batch_inference_job_arn"]),
		})
		if err != nil {
			return err
		}
		got := map[string]string{}
		for _, tag := range out.Tags {
			got[aws.ToString(tag.TagKey)] = aws.ToString(tag.TagValue)
		}
		// The provider's own mark of a job a state holds is not one of the
		// tags Terraform manages for the user.
		delete(got, "tfpersonalize:recorded")
		if !maps.Equal(got, want) {
			return fmt.Errorf("job has tags %v, want %v", got, want)
		}
		return nil
	}
}

func TestAccBatchInferenceJob_tagsUpdateInPlace(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	job := jobArgs{name: acctest.RandomName("tags"), output: env.OutputPrefix("tags")}
	withTags := func(body string) string { j := job; j.body = body; return config(env, "", j.hcl(env, "test")) }
	update := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate)}}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: withTags(`  tags = { a = "1", b = "2" }`),
				Check:  checkAPITags(t, env, map[string]string{"a": "1", "b": "2"}),
			},
			{
				Config:           withTags(`  tags = { a = "10", c = "3" }`),
				ConfigPlanChecks: update,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("tags_all"), stringMap(map[string]string{"a": "10", "c": "3"})),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkAPITags(t, env, map[string]string{"a": "10", "c": "3"}),
					checkCallCount(env, "UntagResource", 1),
					checkCallCount(env, "TagResource", 1),
				),
			},
			{
				Config:           withTags(""),
				ConfigPlanChecks: update,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("tags"), knownvalue.Null()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("tags_all"), knownvalue.MapExact(map[string]knownvalue.Check{})),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkAPITags(t, env, map[string]string{}),
					checkCallCount(env, "CreateBatchInferenceJob", 1),
					checkJobCount(env, 1),
				),
			},
		},
	})
}

func TestAccBatchInferenceJob_defaultTagsAndIgnoreTags(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	job := jobArgs{name: acctest.RandomName("deftags"), output: env.OutputPrefix("deftags"),
		body: `  tags = { team = "recs", app = "batch" }`}
	providerTags := func(env string) string {
		return fmt.Sprintf(`  default_tags {
    tags = { env = %q, team = "platform" }
  }
  ignore_tags {
    key_prefixes = ["external:"]
  }`, env)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(env, providerTags("acc"), job.hcl(env, "test")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("tags"), stringMap(map[string]string{"team": "recs", "app": "batch"})),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("tags_all"), stringMap(map[string]string{"env": "acc", "team": "recs", "app": "batch"})),
				},
				Check: checkAPITags(t, env, map[string]string{"env": "acc", "team": "recs", "app": "batch"}),
			},
			{
				// A tag someone else adds under an ignored prefix shows no diff…
				PreConfig: func() {
					arn := fmt.Sprintf("arn:aws:personalize:%s:%s:batch-inference-job/%s", env.Region, env.AccountID, job.name)
					if _, err := env.Client(t).TagResource(context.Background(), &personalize.TagResourceInput{
						ResourceArn: aws.String(arn), Tags: []awstypes.Tag{{TagKey: aws.String("external:owner"), TagValue: aws.String("ops")}},
					}); err != nil {
						t.Fatal(err)
					}
				},
				Config: config(env, providerTags("acc"), job.hcl(env, "test")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("tags_all"), stringMap(map[string]string{"env": "acc", "team": "recs", "app": "batch"})),
				},
			},
			{
				// …and survives a change of default_tags, which is made in place.
				Config: config(env, providerTags("prod"), job.hcl(env, "test")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("tags_all"), stringMap(map[string]string{"env": "prod", "team": "recs", "app": "batch"})),
				},
				Check: checkAPITags(t, env, map[string]string{"env": "prod", "team": "recs", "app": "batch", "external:owner": "ops"}),
			},
		},
	})
}

// A job that is gone from AWS leaves the state, and the plan makes it again.
func TestAccBatchInferenceJob_disappears(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	em := env.RequireEmulator(t)
	cfg := config(env, "", jobArgs{name: acctest.RandomName("gone"), output: env.OutputPrefix("gone")}.hcl(env, "test"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: em.Reset,
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionCreate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(checkJobCount(env, 1), checkCallCount(env, "CreateBatchInferenceJob", 1)),
			},
		},
	})
}

// CREATE FAILED is an error quoting the reason; the failed job stays in state
// (tainted), so the next apply replaces it instead of forgetting it.
func TestAccBatchInferenceJob_createFailedReportsReason(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	job := jobArgs{prefix: "fails-", input: env.S3URL("missing/"), output: env.OutputPrefix("fails")}
	fixed := job
	fixed.input = ""
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      config(env, "", job.hcl(env, "test")),
				ExpectError: regexp.MustCompile(`(?s)Batch inference job failed.*CREATE FAILED.*Invalid S3 input path`),
			},
			{
				Config: config(env, "", fixed.hcl(env, "test")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("status"), knownvalue.StringExact("ACTIVE")),
				},
				Check: checkJobCount(env, 2),
			},
		},
	})
}

// wait_for_completion = false returns while the job runs; turning it back on
// makes the next apply wait for that same job, with no second create.
func TestAccBatchInferenceJob_waitForCompletionFalseThenResume(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	// Long enough that the job still runs when step 2 plans, even on a busy machine.
	env.RequireEmulator(t).SetJobDuration(15 * time.Second)
	job := jobArgs{name: acctest.RandomName("nowait"), output: env.OutputPrefix("nowait")}
	noWait := job
	noWait.body = "  wait_for_completion = false"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(env, "", noWait.hcl(env, "test")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("status"), knownvalue.StringRegexp(regexp.MustCompile(`^(PENDING|IN PROGRESS)$`))),
				},
			},
			{
				Config: config(env, "", job.hcl(env, "test")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(resourceName, tfjsonpath.New("status")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("status"), knownvalue.StringExact("ACTIVE")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(checkCallCount(env, "CreateBatchInferenceJob", 1), checkJobCount(env, 1)),
			},
		},
	})
}

// A create that runs out of time keeps the running job in state (with a
// warning, not a taint), and the next apply resumes the wait.
func TestAccBatchInferenceJob_createTimeoutResumes(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	// Long enough that the job still runs when step 2 plans, even on a busy machine.
	env.RequireEmulator(t).SetJobDuration(15 * time.Second)
	job := jobArgs{name: acctest.RandomName("timeout"), output: env.OutputPrefix("timeout")}
	short := job
	short.body = `  timeouts = { create = "1s" }`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(env, "", short.hcl(env, "test")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("status"), knownvalue.StringRegexp(regexp.MustCompile(`^(PENDING|IN PROGRESS)$`))),
				},
				// The job still runs, so the next plan resumes waiting for it.
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config(env, "", job.hcl(env, "test")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("status"), knownvalue.StringExact("ACTIVE")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(checkCallCount(env, "CreateBatchInferenceJob", 1), checkJobCount(env, 1)),
			},
		},
	})
}

// The service made the job but its answer was lost: the SDK's retry meets
// ResourceAlreadyExistsException and the job is adopted, not duplicated. A
// job of the same name with other arguments is someone else's and refused.
func TestAccBatchInferenceJob_lostCreateResponseAdopted(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	em := env.RequireEmulator(t)
	job := jobArgs{name: acctest.RandomName("lost"), output: env.OutputPrefix("lost")}
	clash := job
	clash.output = env.OutputPrefix("elsewhere")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() { em.SetFaults(emulator.Faults{DropCreateResponseRate: 1}) },
				Config:    config(env, "", job.hcl(env, "test")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("status"), knownvalue.StringExact("ACTIVE")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkCallCount(env, "CreateBatchInferenceJob", 2), // the lost one and the retry
					checkJobCount(env, 1),
				),
			},
			{
				PreConfig:   func() { em.SetFaults(emulator.Faults{}) },
				Config:      config(env, "", job.hcl(env, "test"), clash.hcl(env, "clash")),
				ExpectError: regexp.MustCompile(`(?s)Job name already taken.*job_output\.s3_data_destination\.path.*job_name_prefix`),
				Check:       checkJobCount(env, 1),
			},
		},
	})
}

// More jobs than the running-job quota in one apply: the extra creates
// queue and retry until slots free up, and every job runs exactly once.
func TestAccBatchInferenceJob_queuesBeyondQuota(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	env.RequireEmulator(t).SetMaxRunningJobs(2)
	const jobs = 7
	cfg := config(env, "", fmt.Sprintf(`resource %q "test" {
  count                = %d
  job_name_prefix      = "queued-${count.index}-"
  solution_version_arn = %q
  role_arn             = %q
  job_input  = { s3_data_source = { path = %q } }
  job_output = { s3_data_destination = { path = "%s${count.index}/" } }
}`, acctest.ResourceType, jobs, env.UserPersonalizationSV, env.RoleARN, env.S3URL(acctest.UserInputPrefix), env.OutputPrefix("queued")))
	checks := []resource.TestCheckFunc{
		checkJobCount(env, jobs),
		func(*terraform.State) error {
			if n := env.Calls("CreateBatchInferenceJob"); n <= jobs {
				return fmt.Errorf("%d create calls for %d jobs over a quota of 2: nothing was queued", n, jobs)
			}
			return nil
		},
	}
	for i := range jobs {
		checks = append(checks, resource.TestCheckResourceAttr(fmt.Sprintf("%s.test.%d", acctest.ResourceType, i), "status", "ACTIVE"))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{{Config: cfg, Check: resource.ComposeAggregateTestCheckFunc(checks...)}},
	})
}

// A new job the service does not show yet (eventual consistency) is waited
// for, not reported missing.
func TestAccBatchInferenceJob_newJobNotYetVisible(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	env.RequireEmulator(t).SetFaults(emulator.Faults{ConsistencyDelayMS: 1500})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config(env, "", jobArgs{name: acctest.RandomName("late"), output: env.OutputPrefix("late")}.hcl(env, "test")),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("status"), knownvalue.StringExact("ACTIVE")),
			},
			Check: checkCallCount(env, "CreateBatchInferenceJob", 1),
		}},
	})
}
