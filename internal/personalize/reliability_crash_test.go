package personalize_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
)

// crashConfig is perKind batch inference jobs and perKind batch segment jobs,
// named <name>-inference-<i> and <name>-segment-<i>, each writing to an
// output prefix of its own.
func crashConfig(env *acctest.Env, name string, perKind int) string {
	return env.ProviderConfig("") + fmt.Sprintf(`
resource "personalize_batch_inference_job" "crash" {
  count                = %[1]d
  job_name             = "%[2]s-inference-${count.index}"
  solution_version_arn = %[3]q
  role_arn             = %[4]q
  job_input  = { s3_data_source = { path = %[5]q } }
  job_output = { s3_data_destination = { path = "%[6]sinference-${count.index}/" } }
}

resource "personalize_batch_segment_job" "crash" {
  count                = %[1]d
  job_name             = "%[2]s-segment-${count.index}"
  solution_version_arn = %[7]q
  role_arn             = %[4]q
  job_input  = { s3_data_source = { path = %[8]q } }
  job_output = { s3_data_destination = { path = "%[6]ssegment-${count.index}/" } }
}
`, perKind, name, env.UserPersonalizationSV, env.RoleARN, env.S3URL(acctest.UserInputPrefix),
		env.OutputPrefix(name), env.ItemAffinitySV, env.S3URL(acctest.SegmentInputPrefix))
}

// crashJobNames are the job names crashConfig configures.
func crashJobNames(name string, perKind int) []string {
	var names []string
	for _, kind := range []string{"inference", "segment"} {
		for i := range perKind {
			names = append(names, fmt.Sprintf("%s-%s-%d", name, kind, i))
		}
	}
	sort.Strings(names)
	return names
}

// heldJobs lists the name of every job of both kinds the emulator behind
// client holds, with how many jobs carry it.
func heldJobs(ctx context.Context, client *personalize.Client) (map[string]int, error) {
	held := map[string]int{}
	var token *string
	for {
		out, err := client.ListBatchInferenceJobs(ctx, &personalize.ListBatchInferenceJobsInput{NextToken: token, MaxResults: aws.Int32(100)})
		if err != nil {
			return nil, fmt.Errorf("listing batch inference jobs: %w", err)
		}
		for _, j := range out.BatchInferenceJobs {
			held[aws.ToString(j.JobName)]++
		}
		if token = out.NextToken; aws.ToString(token) == "" {
			break
		}
	}
	token = nil
	for {
		out, err := client.ListBatchSegmentJobs(ctx, &personalize.ListBatchSegmentJobsInput{NextToken: token, MaxResults: aws.Int32(100)})
		if err != nil {
			return nil, fmt.Errorf("listing batch segment jobs: %w", err)
		}
		for _, j := range out.BatchSegmentJobs {
			held[aws.ToString(j.JobName)]++
		}
		if token = out.NextToken; aws.ToString(token) == "" {
			return held, nil
		}
	}
}

// checkHeldExactly fails the test unless the emulator holds each of want
// once and no other job, naming the jobs lost, doubled and unexpected.
func checkHeldExactly(t *testing.T, env *acctest.Env, want []string) {
	t.Helper()
	held, err := heldJobs(t.Context(), env.Client(t))
	if err != nil {
		t.Fatal(err)
	}
	var lost, doubled, unexpected []string
	for _, name := range want {
		switch held[name] {
		case 0:
			lost = append(lost, name)
		case 1:
		default:
			doubled = append(doubled, fmt.Sprintf("%s (%d jobs)", name, held[name]))
		}
	}
	for name := range held {
		if !slices.Contains(want, name) {
			unexpected = append(unexpected, name)
		}
	}
	sort.Strings(unexpected)
	if len(lost) > 0 {
		t.Errorf("jobs lost: the emulator holds no job named %s", strings.Join(lost, ", "))
	}
	if len(doubled) > 0 {
		t.Errorf("jobs made twice: %s", strings.Join(doubled, ", "))
	}
	if len(unexpected) > 0 {
		t.Errorf("jobs nobody configured: %s", strings.Join(unexpected, ", "))
	}
}

// checkStateHolds fails the test unless terraform's state holds exactly the
// jobs named in want, each once, untainted and ACTIVE.
func checkStateHolds(t *testing.T, cli *acctest.CLI, want []string) {
	t.Helper()
	inState := map[string][]string{}
	for _, r := range cli.State() {
		name, _ := r.Attributes["job_name"].(string)
		inState[name] = append(inState[name], r.Address)
		if r.Tainted {
			t.Errorf("%s (%s) is tainted: the next apply would replace it and run another job", r.Address, name)
		}
		if status := r.Attributes["status"]; status != "ACTIVE" {
			t.Errorf("%s (%s) is %v in state, want ACTIVE", r.Address, name, status)
		}
	}
	for _, name := range want {
		if len(inState[name]) == 0 {
			t.Errorf("job %s is missing from terraform's state", name)
		}
		if len(inState[name]) > 1 {
			t.Errorf("job %s is in terraform's state %d times: %v", name, len(inState[name]), inState[name])
		}
	}
	for name, addrs := range inState {
		if !slices.Contains(want, name) {
			t.Errorf("terraform's state holds %v, job %q, which is not configured", addrs, name)
		}
	}
}

// checkPlanClean fails the test unless a plan finds nothing to do.
func checkPlanClean(t *testing.T, cli *acctest.CLI) {
	t.Helper()
	plan := cli.Run(2*time.Minute, "plan", "-detailed-exitcode", "-no-color")
	if plan.ExitCode != 0 {
		t.Errorf("plan after the recovery exited %d, want 0 (no changes):\n%s", plan.ExitCode, plan)
	}
}

// lockInfoFile is where the local backend records who holds the state lock;
// the lock itself is an flock on terraform.tfstate, which the kernel drops
// with the process.
const lockInfoFile = ".terraform.tfstate.lock.info"

// createOutcomes is, per job name, the answers to the creates of both kinds
// the recorder saw.
func createOutcomes(rec *recorder) map[string][]string {
	out := rec.outcomesByJob("CreateBatchInferenceJob")
	for name, outcomes := range rec.outcomesByJob("CreateBatchSegmentJob") {
		out[name] = append(out[name], outcomes...)
	}
	return out
}

// killTerraformMidApply applies perKind jobs of each kind and kills
// terraform (and its provider) with SIGKILL while every job it made still
// runs: once all the creates reached the emulator or, with a running-jobs
// quota of one per kind, once one job of each kind runs and the others wait
// for a free slot. Then it applies again (with the quota lifted): that apply
// must adopt each job the killed one made, make each of the others once,
// wait for them all and leave a plan with nothing to do.
func killTerraformMidApply(t *testing.T, perKind int, queued bool) {
	t.Helper()
	clock := &jobClock{}
	cfg := emulator.Config{JobDuration: longJob, Now: clock.Now}
	if queued {
		cfg.MaxRunningJobs, cfg.MaxRunningSegmentJobs = 1, 1
	}
	direct, _ := acctest.NewCLIEnv(t, cfg)
	env, rec := recordingEnv(t, direct)
	cli := acctest.NewCLI(t)
	name := acctest.RandomName("crash")
	want := crashJobNames(name, perKind)
	cli.WriteConfig(crashConfig(env, name, perKind))

	killWhen, killAfter := "every create to reach the emulator", len(want)
	if queued {
		killWhen, killAfter = "one job of each kind to run and another to queue", 2
	}
	p := cli.Start("apply", "-auto-approve", "-no-color")
	acctest.WaitFor(t, time.Minute, killWhen, func() bool {
		if isDone(p) {
			t.Fatalf("terraform ended before it was killed:\n%s", p.Wait())
		}
		return direct.Jobs()+direct.SegmentJobs() >= killAfter &&
			(!queued || rec.count("", "LimitExceededException") > 0)
	})
	if err := p.Kill(); err != nil {
		t.Fatalf("killing terraform: %s", err)
	}
	t.Logf("killed terraform; it had printed:\n%s", p.Output())
	if strings.Contains(p.Output(), "Apply complete") {
		t.Fatalf("terraform finished before it was killed: the kill tests nothing")
	}
	if _, err := os.Stat(filepath.Join(cli.Dir, lockInfoFile)); err != nil {
		t.Errorf("the killed apply left no %s (%v); the documentation says it does", lockInfoFile, err)
	}
	if inState := cli.State(); len(inState) > 0 {
		t.Errorf("the killed apply left %d resources in state, want none (no job had finished): %v", len(inState), inState)
	}
	// A create the provider had sent when it died may still be served.
	time.Sleep(200 * time.Millisecond)
	made, err := heldJobs(t.Context(), direct.Client(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the killed apply made %d of the %d jobs: %v", len(made), len(want), made)
	if queued && len(made) != 2 {
		t.Fatalf("the killed apply made %d jobs; with a quota of one job of each kind it can make 2", len(made))
	}
	before := createOutcomes(rec)
	direct.Emulator.SetMaxRunningJobs(perKind)
	direct.Emulator.SetMaxRunningSegmentJobs(perKind)

	// The local backend's lock died with terraform: the stale lock info file
	// blocks nothing, and the next apply replaces it.
	next := cli.Start("apply", "-auto-approve", "-no-color")
	acctest.WaitFor(t, time.Minute, "the next apply to submit every job", func() bool {
		if isDone(next) {
			return true
		}
		sent := createOutcomes(rec)
		for _, name := range want {
			if len(sent[name]) == len(before[name]) {
				return false
			}
		}
		return true
	})
	// The jobs were running all along; now they finish, while the apply
	// that adopted them waits.
	clock.advance(longJob)
	res := waitProcess(t, next, 3*time.Minute)
	t.Logf("the apply after the kill:\n%s", res)
	if res.ExitCode != 0 {
		t.Fatalf("the apply after the kill failed:\n%s", res)
	}
	if added := fmt.Sprintf("Resources: %d added, 0 changed, 0 destroyed", len(want)); !strings.Contains(res.Stdout, added) {
		t.Errorf("the apply after the kill should add every job (adopting those the killed apply made): want %q in\n%s", added, res.Stdout)
	}
	if _, err := os.Stat(filepath.Join(cli.Dir, lockInfoFile)); err == nil {
		t.Errorf("the apply after the kill left %s behind", lockInfoFile)
	}
	after := createOutcomes(rec)
	for _, name := range want {
		outcomes := after[name][len(before[name]):]
		oks := strings.Count(strings.Join(outcomes, " "), "OK")
		switch {
		case made[name] > 0 && (oks > 0 || !slices.Contains(outcomes, "ResourceAlreadyExistsException")):
			t.Errorf("job %s, made by the killed apply, got the creates %v from the next apply; want ResourceAlreadyExistsException and adoption", name, outcomes)
		case made[name] == 0 && oks != 1:
			t.Errorf("job %s, which the killed apply did not make, got the creates %v from the next apply; want one OK", name, outcomes)
		}
	}
	checkHeldExactly(t, direct, want)
	checkStateHolds(t, cli, want)
	checkPlanClean(t, cli)
}

// terraform is killed with SIGKILL after submitting one job of each kind, in
// plain make test: the next apply adopts both and makes neither again.
func TestAccReliability_crashTerraformKilledQuick(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	killTerraformMidApply(t, 1, false)
}

// terraform is killed with SIGKILL once all of six jobs (three of each kind)
// are submitted and running.
func TestAccReliability_crashTerraformKilledAfterEveryCreate(t *testing.T) {
	requireFaultTests(t)
	t.Parallel()
	killTerraformMidApply(t, 3, false)
}

// terraform is killed with SIGKILL while one job of each kind runs and the
// four others wait for the quota: the next apply adopts the two and makes
// the four, each once.
func TestAccReliability_crashTerraformKilledWhileQueued(t *testing.T) {
	requireFaultTests(t)
	t.Parallel()
	killTerraformMidApply(t, 3, true)
}
