package personalize_test

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
)

const jobsDataSource = "personalize_batch_inference_jobs"

func arnList(arns ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(arns))
	for i, a := range arns {
		checks[i] = knownvalue.StringExact(a)
	}
	return knownvalue.ListExact(checks)
}

func TestAccBatchInferenceJobsDataSource_filters(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	em := env.RequireEmulator(t)

	// Names sort like creation order, so the expected order holds even when
	// two jobs share a creation time.
	finished := createJobsWithSDK(t, env,
		sdkJob{name: "f1-user-active"},
		sdkJob{name: "f2-theme-active", sv: env.SimilarItemsSV, input: env.S3URL(acctest.ItemInputPrefix), mode: "THEME_GENERATION"},
		sdkJob{name: "f3-user-failed", input: env.S3URL("no-such-input/")},
	)
	waitJobsFinished(t, env, finished...)
	em.SetJobDuration(time.Hour)
	pending := createJobsWithSDK(t, env, sdkJob{name: "f4-ranking-pending", sv: env.PersonalizedRankingSV, input: env.S3URL(acctest.RankingInputPrefix)})
	up, theme, failed, running := finished[0], finished[1], finished[2], pending[0]

	ds := func(label, body string) string {
		return fmt.Sprintf("data %q %q {\n%s\n}\n", jobsDataSource, label, body)
	}
	arns := func(label string, want ...string) statecheck.StateCheck {
		return statecheck.ExpectKnownValue("data."+jobsDataSource+"."+label, tfjsonpath.New("arns"), arnList(want...))
	}
	all := "data." + jobsDataSource + ".all"
	first := tfjsonpath.New("batch_inference_jobs").AtSliceIndex(0)
	third := tfjsonpath.New("batch_inference_jobs").AtSliceIndex(2)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config(env, "",
				ds("all", ""),
				ds("user_personalization", fmt.Sprintf("  solution_version_arn = %q", env.UserPersonalizationSV)),
				ds("active", `  status = "ACTIVE"`),
				ds("failed", `  status = "CREATE FAILED"`),
				ds("pending", `  status = "PENDING"`),
				ds("themes", `  batch_inference_job_mode = "THEME_GENERATION"`),
				ds("recommendations", `  batch_inference_job_mode = "BATCH_INFERENCE"`),
				ds("regex", `  name_regex = "^f[13]-"`),
				ds("unanchored_regex", `  name_regex = "active"`),
				ds("combined", fmt.Sprintf("  solution_version_arn = %q\n  status = \"ACTIVE\"", env.UserPersonalizationSV)),
				ds("none", `  name_regex = "^nothing-matches$"`),
			),
			ConfigStateChecks: []statecheck.StateCheck{
				arns("all", up, theme, failed, running),
				arns("user_personalization", up, failed),
				arns("active", up, theme),
				arns("failed", failed),
				arns("pending", running),
				arns("themes", theme),
				arns("recommendations", up, failed, running),
				arns("regex", up, failed),
				arns("unanchored_regex", up, theme),
				arns("combined", up),
				arns("none"),
				statecheck.ExpectKnownValue("data."+jobsDataSource+".none", tfjsonpath.New("batch_inference_jobs"), knownvalue.ListExact(nil)),
				statecheck.ExpectKnownValue(all, tfjsonpath.New("id"), knownvalue.StringExact(env.Region)),
				statecheck.ExpectKnownValue(all, tfjsonpath.New("batch_inference_jobs"), knownvalue.ListSizeExact(4)),
				statecheck.ExpectKnownValue(all, first, knownvalue.ObjectExact(map[string]knownvalue.Check{
					"batch_inference_job_arn":  knownvalue.StringExact(up),
					"job_name":                 knownvalue.StringExact("f1-user-active"),
					"status":                   knownvalue.StringExact("ACTIVE"),
					"batch_inference_job_mode": knownvalue.StringExact("BATCH_INFERENCE"),
					"solution_version_arn":     knownvalue.StringExact(env.UserPersonalizationSV),
					"failure_reason":           knownvalue.Null(),
					"creation_date_time":       knownvalue.StringRegexp(rfc3339Regexp),
					"last_updated_date_time":   knownvalue.StringRegexp(rfc3339Regexp),
				})),
				statecheck.ExpectKnownValue(all, third.AtMapKey("status"), knownvalue.StringExact("CREATE FAILED")),
				statecheck.ExpectKnownValue(all, third.AtMapKey("failure_reason"), knownvalue.StringExact("Invalid S3 input path")),
				statecheck.ExpectKnownValue(all, tfjsonpath.New("batch_inference_jobs").AtSliceIndex(1).AtMapKey("batch_inference_job_mode"), knownvalue.StringExact("THEME_GENERATION")),
				statecheck.ExpectKnownValue(all, tfjsonpath.New("batch_inference_jobs").AtSliceIndex(3).AtMapKey("status"), knownvalue.StringExact("PENDING")),
			},
		}},
	})
}

// More jobs than one page holds: the list follows every page, keeps the
// creation order, and a lookup by name finds a job on the last page.
func TestAccBatchInferenceJobsDataSource_pages(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	em := env.RequireEmulator(t)
	em.SetMaxRunningJobs(200)
	jobs := make([]sdkJob, 105)
	for i := range jobs {
		jobs[i] = sdkJob{name: fmt.Sprintf("paged-%03d", i)}
	}
	arns := createJobsWithSDK(t, env, jobs...)
	every := func(step int) []string {
		var out []string
		for i := 0; i < len(arns); i += step {
			out = append(out, arns[i])
		}
		return out
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config(env, "", fmt.Sprintf(`
data %[1]q "all" {}
data %[1]q "every_tenth" {
  name_regex = "0$"
}
data %[2]q "oldest" {
  job_name = "paged-000"
}
`, jobsDataSource, acctest.ResourceType)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data."+jobsDataSource+".all", tfjsonpath.New("arns"), arnList(arns...)),
				statecheck.ExpectKnownValue("data."+jobsDataSource+".all", tfjsonpath.New("batch_inference_jobs"), knownvalue.ListSizeExact(105)),
				statecheck.ExpectKnownValue("data."+jobsDataSource+".all", tfjsonpath.New("batch_inference_jobs").AtSliceIndex(104).AtMapKey("job_name"),
					knownvalue.StringExact("paged-104")),
				statecheck.ExpectKnownValue("data."+jobsDataSource+".every_tenth", tfjsonpath.New("arns"), arnList(every(10)...)),
				statecheck.ExpectKnownValue("data."+acctest.ResourceType+".oldest", tfjsonpath.New("batch_inference_job_arn"), knownvalue.StringExact(arns[0])),
			},
		}},
	})
}

func TestAccBatchInferenceJobsDataSource_invalidFiltersAtPlan(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	ds := func(body string) string {
		return config(env, "", fmt.Sprintf("data %q \"test\" {\n%s\n}\n", jobsDataSource, body))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: ds(`  name_regex = "weekly-(recs"`),
				ExpectError: regexp.MustCompile(`(?s)Invalid name_regex.*name_regex "weekly-\(recs" is not a valid regular\s+expression:\s+"error\s+parsing\s+regexp:\s+missing\s+closing\s+\):\s+` +
					"`weekly-\\(recs`\""),
			},
			{
				Config:      ds(`  batch_inference_job_mode = "THEMES"`),
				ExpectError: regexp.MustCompile(`(?s)batch_inference_job_mode.*BATCH_INFERENCE.*THEME_GENERATION`),
			},
			{
				Config:      ds(`  solution_version_arn = "my-solution"`),
				ExpectError: regexp.MustCompile(`(?s)solution_version_arn.*must be an Amazon Personalize ARN`),
			},
		},
	})
	if env.Emulator != nil {
		if n := env.Calls("ListBatchInferenceJobs"); n != 0 {
			t.Errorf("invalid filters reached the API: %d ListBatchInferenceJobs calls, want none", n)
		}
	}
}
