package personalize_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
)

// Many jobs of both kinds in one apply while every call takes its time and
// Describe and List allow one call every two seconds each, less than one
// listing a second: the apply meets throttling, yet succeeds with every job
// ACTIVE; the jobs that tell every argument are never described, and the
// listing costs a fraction of a call per job and poll.
func TestAccBatchJobs_waitUnderLatencyAndRateLimits(t *testing.T) {
	requireAcc(t)
	env := acctest.New(t)
	em := env.RequireEmulator(t)
	const inference, segment = 40, 10
	em.SetMaxRunningJobs(inference)
	em.SetMaxRunningSegmentJobs(segment)
	em.SetJobDuration(4 * time.Second)
	name := acctest.RandomName("paced")
	limits := map[string]float64{}
	for _, op := range []string{"DescribeBatchInferenceJob", "ListBatchInferenceJobs", "DescribeBatchSegmentJob", "ListBatchSegmentJobs"} {
		limits[op] = 0.5
	}
	jobs := fmt.Sprintf(`resource "personalize_batch_inference_job" "test" {
  count                = %d
  job_name             = "%s-${count.index}"
  solution_version_arn = %q
  role_arn             = %q
  num_results          = 10
  batch_inference_job_config = { item_exploration_config = { explorationWeight = "0.5" } }
  job_input  = { s3_data_source = { path = %q } }
  job_output = { s3_data_destination = { path = "%s${count.index}/" } }
}

resource "personalize_batch_segment_job" "test" {
  count                = %d
  job_name             = "%s-segment-${count.index}"
  solution_version_arn = %q
  role_arn             = %q
  num_results          = 100
  job_input  = { s3_data_source = { path = %q } }
  job_output = { s3_data_destination = { path = "%ssegment-${count.index}/" } }
}
`, inference, name, env.UserPersonalizationSV, env.RoleARN, env.S3URL(acctest.UserInputPrefix), env.OutputPrefix(name),
		segment, name, env.ItemAffinitySV, env.RoleARN, env.S3URL(acctest.SegmentInputPrefix), env.OutputPrefix(name))

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				em.SetFaults(emulator.Faults{LatencyMS: 50, LatencyJitterMS: 50, RateLimits: limits, Seed: 17})
			},
			Config: config(env, "", jobs),
			Check: resource.ComposeAggregateTestCheckFunc(
				checkStateMatchesEmulator(t, env, inference),
				func(s *terraform.State) error {
					st := em.Stats()
					t.Logf("calls %v, throttled %v", st.Calls, st.Throttled)
					active := 0
					for _, rs := range s.RootModule().Resources {
						if rs.Type == "personalize_batch_segment_job" && rs.Primary.Attributes["status"] == "ACTIVE" {
							active++
						}
					}
					if active != segment || st.SegmentJobs != segment {
						return fmt.Errorf("%d batch segment jobs ACTIVE in state, %d in the emulator; want %d", active, st.SegmentJobs, segment)
					}
					for _, op := range []string{"DescribeBatchInferenceJob", "DescribeBatchSegmentJob"} {
						if st.Calls[op] != 0 {
							return fmt.Errorf("%d %s calls: jobs whose requests tell every argument are followed by listing alone", st.Calls[op], op)
						}
					}
					// A 4 s job gets about 4 looks: one call per job and look
					// would be 200 inference and 50 segment calls.
					if n := st.Calls["ListBatchInferenceJobs"]; n == 0 || n > 40 {
						return fmt.Errorf("%d ListBatchInferenceJobs calls for %d jobs of 4 s, want a few per poll round", n, inference)
					}
					if n := st.Calls["ListBatchSegmentJobs"]; n == 0 || n > 20 {
						return fmt.Errorf("%d ListBatchSegmentJobs calls for %d jobs of 4 s, want a few per poll round", n, segment)
					}
					if st.Throttled["ListBatchInferenceJobs"] == 0 {
						return fmt.Errorf("no listing was throttled (%v): the rate limit was not exercised", st.Throttled)
					}
					return nil
				},
			),
		}},
	})
}
