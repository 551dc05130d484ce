package personalize_test

import (
	"cmp"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
)

// sdkJob is a job the test makes with the SDK, not with Terraform: many
// jobs are set up in milliseconds, and the data sources must find jobs
// Terraform never managed.
type sdkJob struct {
	name, sv, input, mode string
	tags                  map[string]string
}

// createJobsWithSDK creates jobs in order and returns their ARNs.
func createJobsWithSDK(t *testing.T, env *acctest.Env, jobs ...sdkJob) []string {
	t.Helper()
	conn := env.Client(t)
	arns := make([]string, 0, len(jobs))
	for _, j := range jobs {
		in := &personalize.CreateBatchInferenceJobInput{
			JobName:            aws.String(j.name),
			SolutionVersionArn: aws.String(cmp.Or(j.sv, env.UserPersonalizationSV)),
			RoleArn:            aws.String(env.RoleARN),
			JobInput:           &awstypes.BatchInferenceJobInput{S3DataSource: &awstypes.S3DataConfig{Path: aws.String(cmp.Or(j.input, env.S3URL(acctest.UserInputPrefix)))}},
			JobOutput:          &awstypes.BatchInferenceJobOutput{S3DataDestination: &awstypes.S3DataConfig{Path: aws.String(env.OutputPrefix(j.name))}},
		}
		if j.mode == "THEME_GENERATION" {
			in.BatchInferenceJobMode = awstypes.BatchInferenceJobModeThemeGeneration
			in.ThemeGenerationConfig = &awstypes.ThemeGenerationConfig{FieldsForThemeGeneration: &awstypes.FieldsForThemeGeneration{ItemName: aws.String("TITLE")}}
		}
		for _, k := range slices.Sorted(maps.Keys(j.tags)) {
			in.Tags = append(in.Tags, awstypes.Tag{TagKey: aws.String(k), TagValue: aws.String(j.tags[k])})
		}
		out, err := conn.CreateBatchInferenceJob(t.Context(), in)
		if err != nil {
			t.Fatalf("creating job %s: %s", j.name, err)
		}
		arns = append(arns, aws.ToString(out.BatchInferenceJobArn))
	}
	return arns
}

// waitJobsFinished waits until the jobs are ACTIVE or CREATE FAILED, so that what
// the data sources report no longer changes while a test step runs.
func waitJobsFinished(t *testing.T, env *acctest.Env, arns ...string) {
	t.Helper()
	conn := env.Client(t)
	deadline := time.Now().Add(20 * acctest.JobDuration)
	for _, arn := range arns {
		for {
			out, err := conn.DescribeBatchInferenceJob(t.Context(), &personalize.DescribeBatchInferenceJobInput{BatchInferenceJobArn: aws.String(arn)})
			if err != nil {
				t.Fatalf("describing %s: %s", arn, err)
			}
			if s := aws.ToString(out.BatchInferenceJob.Status); s == "ACTIVE" || s == "CREATE FAILED" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("job %s still %s", arn, aws.ToString(out.BatchInferenceJob.Status))
			}
			time.Sleep(acctest.JobDuration / 10)
		}
	}
}

// resourceArgumentsOnly are resource attributes that say how Terraform manages a job,
// not what the job is; the data source has no use for them.
var resourceArgumentsOnly = []string{"job_name_prefix", "tags", "timeouts", "wait_for_completion"}

// checkSameAsResource compares every attribute of a data source with the
// resource's (the data source's tags are all the job's tags: the resource's
// tags_all), and checks that the data source leaves none of the resource's
// out.
func checkSameAsResource(dataSource, res string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		ds, ok := s.RootModule().Resources[dataSource]
		if !ok {
			return fmt.Errorf("%s not in state", dataSource)
		}
		rs, ok := s.RootModule().Resources[res]
		if !ok {
			return fmt.Errorf("%s not in state", res)
		}
		var checks []resource.TestCheckFunc
		for k := range ds.Primary.Attributes {
			if k == "%" { // the attribute count: the resource has its arguments too
				continue
			}
			rk := k
			if rest, ok := strings.CutPrefix(k, "tags."); ok {
				rk = "tags_all." + rest
			}
			checks = append(checks, resource.TestCheckResourceAttrPair(dataSource, k, res, rk))
		}
		for k := range rs.Primary.Attributes {
			top, _, _ := strings.Cut(k, ".")
			if slices.Contains(resourceArgumentsOnly, top) || top == "tags_all" {
				continue
			}
			if _, ok := ds.Primary.Attributes[k]; !ok {
				return fmt.Errorf("%s has %s = %q, %s does not have it", res, k, rs.Primary.Attributes[k], dataSource)
			}
		}
		if len(checks) < 20 {
			return fmt.Errorf("%s holds only %d attributes: %v", dataSource, len(checks), ds.Primary.Attributes)
		}
		return resource.ComposeAggregateTestCheckFunc(checks...)(s)
	}
}

func TestAccBatchInferenceJobDataSource_byARN(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	// A job with every optional argument; KMS keys only on the emulator,
	// which needs no real key.
	kms := ""
	if env.Emulator != nil {
		kms = fmt.Sprintf(", kms_key_arn = %q", fmt.Sprintf("arn:aws:kms:%s:%s:key/1234abcd-12ab-34cd-56ef-1234567890ab", env.Region, env.AccountID))
	}
	fullName := acctest.RandomName("ds-full")
	full := fmt.Sprintf(`resource %[1]q "full" {
  job_name             = %[2]q
  solution_version_arn = %[3]q
  role_arn             = %[4]q
  filter_arn           = %[5]q
  num_results          = 12
  job_input  = { s3_data_source = { path = %[6]q%[8]s } }
  job_output = { s3_data_destination = { path = %[7]q%[8]s } }
  batch_inference_job_config = {
    item_exploration_config = { explorationWeight = "0.4", explorationItemAgeCutOff = "14" }
    ranking_influence       = { POPULARITY = 0.5 }
  }
  tags = { owner = "acc", team = "data" }
}
`, acctest.ResourceType, fullName, env.UserPersonalizationSV, env.RoleARN, env.FilterARN, env.S3URL(acctest.UserInputPrefix), env.OutputPrefix(fullName), kms)
	themed := jobArgs{name: acctest.RandomName("ds-themes"), sv: env.SimilarItemsSV, input: env.S3URL(acctest.ItemInputPrefix), output: env.OutputPrefix("ds-themes"), body: `
  batch_inference_job_mode = "THEME_GENERATION"
  theme_generation_config  = { fields_for_theme_generation = { item_name = "TITLE" } }
`}
	dataSources := `
data "personalize_batch_inference_job" "full" {
  batch_inference_job_arn = personalize_batch_inference_job.full.batch_inference_job_arn
}
data "personalize_batch_inference_job" "themed" {
  batch_inference_job_arn = personalize_batch_inference_job.themed.batch_inference_job_arn
}
`
	providerTags := `  default_tags {
    tags = { team = "platform", env = "acc" }
  }`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config(env, providerTags, full, themed.hcl(env, "themed"), dataSources),
			Check: resource.ComposeAggregateTestCheckFunc(
				checkSameAsResource("data.personalize_batch_inference_job.full", "personalize_batch_inference_job.full"),
				checkSameAsResource("data.personalize_batch_inference_job.themed", "personalize_batch_inference_job.themed"),
			),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.personalize_batch_inference_job.full", tfjsonpath.New("tags"),
					stringMap(map[string]string{"owner": "acc", "team": "data", "env": "acc"})),
				statecheck.ExpectKnownValue("data.personalize_batch_inference_job.full", tfjsonpath.New("num_results"), knownvalue.Int64Exact(12)),
				statecheck.ExpectKnownValue("data.personalize_batch_inference_job.full", tfjsonpath.New("batch_inference_job_config").AtMapKey("ranking_influence"),
					knownvalue.MapExact(map[string]knownvalue.Check{"POPULARITY": knownvalue.Float64Exact(0.5)})),
				statecheck.ExpectKnownValue("data.personalize_batch_inference_job.full", tfjsonpath.New("creation_date_time"), knownvalue.StringRegexp(rfc3339Regexp)),
				statecheck.ExpectKnownValue("data.personalize_batch_inference_job.themed", tfjsonpath.New("theme_generation_config"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"fields_for_theme_generation": knownvalue.ObjectExact(map[string]knownvalue.Check{"item_name": knownvalue.StringExact("TITLE")}),
				})),
				statecheck.ExpectKnownValue("data.personalize_batch_inference_job.themed", tfjsonpath.New("batch_inference_job_mode"), knownvalue.StringExact("THEME_GENERATION")),
				statecheck.ExpectKnownValue("data.personalize_batch_inference_job.themed", tfjsonpath.New("status"), knownvalue.StringExact("ACTIVE")),
				statecheck.ExpectKnownValue("data.personalize_batch_inference_job.themed", tfjsonpath.New("tags"),
					stringMap(map[string]string{"team": "platform", "env": "acc"})),
			},
		}},
	})
}

func TestAccBatchInferenceJobDataSource_byName(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	env.RequireEmulator(t)
	name := acctest.RandomName("ds-by-name")
	arns := createJobsWithSDK(t, env,
		sdkJob{name: acctest.RandomName("ds-other"), sv: env.PersonalizedRankingSV, input: env.S3URL(acctest.RankingInputPrefix)},
		sdkJob{name: name, tags: map[string]string{"owner": "acc", "ignored": "x", "external:ci": "run-7"}},
	)
	waitJobsFinished(t, env, arns...)
	arn := arns[1]
	ignoreTags := `  ignore_tags {
    keys         = ["ignored"]
    key_prefixes = ["external:"]
  }`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config(env, ignoreTags, fmt.Sprintf(`
data "personalize_batch_inference_job" "by_name" {
  job_name = %[1]q
}
data "personalize_batch_inference_job" "by_name_and_version" {
  job_name             = %[1]q
  solution_version_arn = %[2]q
}
data "personalize_batch_inference_job" "by_arn" {
  batch_inference_job_arn = %[3]q
}
`, name, env.UserPersonalizationSV, arn)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.personalize_batch_inference_job.by_name", tfjsonpath.New("batch_inference_job_arn"), knownvalue.StringExact(arn)),
				statecheck.ExpectKnownValue("data.personalize_batch_inference_job.by_name", tfjsonpath.New("id"), knownvalue.StringExact(arn)),
				statecheck.ExpectKnownValue("data.personalize_batch_inference_job.by_name", tfjsonpath.New("solution_version_arn"), knownvalue.StringExact(env.UserPersonalizationSV)),
				statecheck.ExpectKnownValue("data.personalize_batch_inference_job.by_name", tfjsonpath.New("status"), knownvalue.StringExact("ACTIVE")),
				statecheck.ExpectKnownValue("data.personalize_batch_inference_job.by_name", tfjsonpath.New("num_results"), knownvalue.Int64Exact(25)),
				statecheck.ExpectKnownValue("data.personalize_batch_inference_job.by_name", tfjsonpath.New("tags"), stringMap(map[string]string{"owner": "acc"})),
				statecheck.ExpectKnownValue("data.personalize_batch_inference_job.by_name", tfjsonpath.New("job_input"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"s3_data_source": knownvalue.ObjectExact(map[string]knownvalue.Check{
						"path": knownvalue.StringExact(env.S3URL(acctest.UserInputPrefix)), "kms_key_arn": knownvalue.Null(),
					}),
				})),
				statecheck.ExpectKnownValue("data.personalize_batch_inference_job.by_name_and_version", tfjsonpath.New("batch_inference_job_arn"), knownvalue.StringExact(arn)),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				checkSameAsDataSource("data.personalize_batch_inference_job.by_name", "data.personalize_batch_inference_job.by_arn"),
				checkSameAsDataSource("data.personalize_batch_inference_job.by_name_and_version", "data.personalize_batch_inference_job.by_arn"),
			),
		}},
	})
}

// checkSameAsDataSource compares every attribute of two data sources.
func checkSameAsDataSource(a, b string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		ra, ok := s.RootModule().Resources[a]
		if !ok {
			return fmt.Errorf("%s not in state", a)
		}
		rb, ok := s.RootModule().Resources[b]
		if !ok {
			return fmt.Errorf("%s not in state", b)
		}
		if !maps.Equal(ra.Primary.Attributes, rb.Primary.Attributes) {
			return fmt.Errorf("%s and %s differ:\n%v\n%v", a, b, ra.Primary.Attributes, rb.Primary.Attributes)
		}
		return nil
	}
}

func TestAccBatchInferenceJobDataSource_notFound(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	env.RequireEmulator(t)
	name := acctest.RandomName("ds-elsewhere")
	createJobsWithSDK(t, env, sdkJob{name: name, sv: env.SimilarItemsSV, input: env.S3URL(acctest.ItemInputPrefix)})
	missingARN := fmt.Sprintf("arn:aws:personalize:%s:%s:batch-inference-job/never-created", env.Region, env.AccountID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      config(env, "", fmt.Sprintf("data %q \"test\" {\n  batch_inference_job_arn = %q\n}\n", acctest.ResourceType, missingARN)),
				ExpectError: words(fmt.Sprintf("No batch inference job has batch_inference_job_arn %q in %s", missingARN, env.Region)),
			},
			{
				Config:      config(env, "", fmt.Sprintf("data %q \"test\" {\n  job_name = %q\n}\n", acctest.ResourceType, "never-created")),
				ExpectError: words(fmt.Sprintf("No batch inference job has job_name %q in %s", "never-created", env.Region)),
			},
			{
				// The job exists, but not for this solution version.
				Config: config(env, "", fmt.Sprintf("data %q \"test\" {\n  job_name = %q\n  solution_version_arn = %q\n}\n",
					acctest.ResourceType, name, env.UserPersonalizationSV)),
				ExpectError: words(fmt.Sprintf("No batch inference job has job_name %q and solution_version_arn %q in %s", name, env.UserPersonalizationSV, env.Region)),
			},
		},
	})
}

func TestAccBatchInferenceJobDataSource_invalidLookupAtPlan(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	ds := func(body string) string {
		return config(env, "", fmt.Sprintf("data %q \"test\" {\n%s\n}\n", acctest.ResourceType, body))
	}
	arn := fmt.Sprintf("arn:aws:personalize:%s:%s:batch-inference-job/some-job", env.Region, env.AccountID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      ds(fmt.Sprintf("  batch_inference_job_arn = %q\n  job_name = \"some-job\"", arn)),
				ExpectError: words("Both batch_inference_job_arn and job_name are set: set exactly one of them"),
			},
			{
				Config:      ds(""),
				ExpectError: words("Neither batch_inference_job_arn nor job_name is set: set exactly one of them"),
			},
			{
				Config:      ds(fmt.Sprintf("  batch_inference_job_arn = %q\n  solution_version_arn = %q", arn, env.UserPersonalizationSV)),
				ExpectError: words("solution_version_arn narrows a lookup by job_name"),
			},
			{
				Config: ds(fmt.Sprintf("  batch_inference_job_arn = %q", env.UserPersonalizationSV)),
				ExpectError: words(fmt.Sprintf("batch_inference_job_arn %q is a solution version ARN, not a batch inference job ARN: use the ARN of a batch inference job,", env.UserPersonalizationSV),
					fmt.Sprintf("arn:aws:personalize:%s:%s:batch-inference-job/<job name>.", env.Region, env.AccountID)),
			},
			{
				Config:      ds(`  job_name = "weekly recs"`),
				ExpectError: regexp.MustCompile(`(?s)job_name.*must start with a letter or digit`),
			},
		},
	})
	if env.Emulator != nil {
		for _, op := range []string{"DescribeBatchInferenceJob", "ListBatchInferenceJobs"} {
			if n := env.Calls(op); n != 0 {
				t.Errorf("invalid lookups reached the API: %d %s calls, want none", n, op)
			}
		}
	}
}
