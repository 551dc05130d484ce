package personalize_test

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
)

// countedJobs is a configuration of n jobs named <name>-<index>, each with
// an output prefix of its own.
func countedJobs(env *acctest.Env, name string, n int) string {
	return config(env, "", fmt.Sprintf(`resource %q "test" {
  count                = %d
  job_name             = "%s-${count.index}"
  solution_version_arn = %q
  role_arn             = %q
  job_input  = { s3_data_source = { path = %q } }
  job_output = { s3_data_destination = { path = "%s${count.index}/" } }
}`, acctest.ResourceType, n, name, env.UserPersonalizationSV, env.RoleARN, env.S3URL(acctest.UserInputPrefix), env.OutputPrefix(name)))
}

// checkStateMatchesEmulator proves that every job in state is ACTIVE, and
// that the jobs in state are exactly the jobs the emulator holds: none run
// twice, none made and forgotten.
func checkStateMatchesEmulator(t *testing.T, env *acctest.Env, want int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		// The listing must see every job, whatever faults the test injected.
		env.Emulator.SetFaults(emulator.Faults{})
		inState := map[string]bool{}
		var problems []string
		for addr, rs := range s.RootModule().Resources {
			if rs.Type != acctest.ResourceType {
				continue
			}
			arn, status := rs.Primary.Attributes["batch_inference_job_arn"], rs.Primary.Attributes["status"]
			if status != "ACTIVE" {
				problems = append(problems, fmt.Sprintf("%s (%s) is %q in state, want ACTIVE", addr, arn, status))
			}
			if inState[arn] {
				problems = append(problems, fmt.Sprintf("%s has the ARN %s of another resource", addr, arn))
			}
			inState[arn] = true
		}
		if len(inState) != want {
			problems = append(problems, fmt.Sprintf("state holds %d jobs, want %d", len(inState), want))
		}
		held := emulatorJobARNs(t, env)
		if n := env.Jobs(); n != want {
			problems = append(problems, fmt.Sprintf("emulator holds %d jobs, want %d", n, want))
		}
		for arn := range held {
			if !inState[arn] {
				problems = append(problems, "orphaned: the emulator holds "+arn+", which is not in state")
			}
		}
		for arn := range inState {
			if _, ok := held[arn]; !ok {
				problems = append(problems, "state holds "+arn+", which the emulator does not")
			}
		}
		if len(problems) > 0 {
			sort.Strings(problems)
			return fmt.Errorf("%s", strings.Join(problems, "\n"))
		}
		return nil
	}
}

// 25 jobs in one apply while the API throttles, fails, lags, hides new jobs
// and loses create responses: every job is created once, reaches ACTIVE and
// is in state; the emulator holds exactly those jobs.
func TestAccReliability_faultMatrix(t *testing.T) {
	requireFaultTests(t)
	t.Parallel()
	const jobs = 25
	env := acctest.New(t)
	em := env.RequireEmulator(t)
	// The quota has a test of its own; here it must not hide the faults.
	em.SetMaxRunningJobs(jobs)
	recorded, rec := recordingEnv(t, env)
	name := acctest.RandomName("faults")

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				em.SetFaults(emulator.Faults{
					ThrottleRate:       0.3,
					ErrorRate:          0.1,
					LatencyMS:          20,
					ConsistencyDelayMS: 2000,
					// How calls interleave decides which creates draw a drop, so
					// the seed does not fix them: at 0.35, the chance that none
					// of the 25 loses its answer is 2e-5.
					DropCreateResponseRate: 0.35,
					Seed:                   20240501,
				})
			},
			Config: countedJobs(recorded, name, jobs),
			Check: resource.ComposeAggregateTestCheckFunc(
				checkStateMatchesEmulator(t, env, jobs),
				checkFaultsMet(t, rec),
			),
		}},
	})
}

// checkFaultsMet proves the apply met every kind of fault, so that a pass
// means the provider handled them rather than that none happened.
func checkFaultsMet(t *testing.T, rec *recorder) resource.TestCheckFunc {
	return func(*terraform.State) error {
		t.Logf("answers the provider got:\n%s", rec.summary())
		var missing []string
		for _, want := range []struct{ what, op, outcome string }{
			{"throttled calls", "", "ThrottlingException"},
			{"500 answers", "", "InternalFailure"},
			{"503 answers", "", "ServiceUnavailable"},
			{"new jobs not yet visible", "DescribeBatchInferenceJob", "ResourceNotFoundException"},
			{"creates retried after their job was made", "CreateBatchInferenceJob", "ResourceAlreadyExistsException"},
		} {
			if rec.count(want.op, want.outcome) == 0 {
				missing = append(missing, want.what)
			}
		}
		// A lost response: a create that failed, for a job that exists and
		// whose name never got a successful create.
		lost := 0
		for _, outcomes := range rec.outcomesByJob("CreateBatchInferenceJob") {
			if !slices.Contains(outcomes, "OK") && slices.Contains(outcomes, "ResourceAlreadyExistsException") {
				lost++
			}
		}
		if lost == 0 {
			missing = append(missing, "jobs whose every create answer was lost")
		}
		if len(missing) > 0 {
			return fmt.Errorf("the apply met no %s; the faults were not exercised. Answers seen:\n%s", strings.Join(missing, ", no "), rec.summary())
		}
		return nil
	}
}

// Four times more jobs than the running-job quota in one apply: the creates
// beyond it are refused with LimitExceededException, wait and retry, and
// every job runs once and completes.
func TestAccReliability_quotaQueue(t *testing.T) {
	requireFaultTests(t)
	t.Parallel()
	const jobs, quota = 12, 3
	env := acctest.New(t)
	env.RequireEmulator(t).SetMaxRunningJobs(quota)
	recorded, rec := recordingEnv(t, env)
	name := acctest.RandomName("quota")

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: countedJobs(recorded, name, jobs),
			Check: resource.ComposeAggregateTestCheckFunc(
				checkStateMatchesEmulator(t, env, jobs),
				func(*terraform.State) error {
					t.Logf("answers the provider got:\n%s", rec.summary())
					if rec.count("CreateBatchInferenceJob", "LimitExceededException") == 0 {
						return fmt.Errorf("no create met LimitExceededException: %d jobs never queued behind a quota of %d", jobs, quota)
					}
					for jobName, outcomes := range rec.outcomesByJob("CreateBatchInferenceJob") {
						if n := strings.Count(strings.Join(outcomes, " "), "OK"); n != 1 {
							return fmt.Errorf("job %s was created %d times (answers %v), want once", jobName, n, outcomes)
						}
					}
					for arn, status := range emulatorJobARNs(t, env) {
						if status != "ACTIVE" {
							return fmt.Errorf("the emulator reports %s as %q, want ACTIVE", arn, status)
						}
					}
					return nil
				},
			),
		}},
	})
}
