package personalize_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/aws/smithy-go"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
	tfpersonalize "github.com/tfpersonalize/terraform-provider-personalize/internal/personalize"
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

// crashPrefixedConfig is perKind batch inference jobs and perKind batch
// segment jobs named from the prefixes <name>-inference- and <name>-segment-,
// the jobs of a kind all alike: the same arguments, the same output.
func crashPrefixedConfig(env *acctest.Env, name string, perKind int) string {
	fixed := crashConfig(env, name, perKind)
	for _, kind := range []string{"inference", "segment"} {
		fixed = strings.Replace(fixed, fmt.Sprintf(`job_name             = "%s-%s-${count.index}"`, name, kind),
			fmt.Sprintf(`job_name_prefix      = "%s-%s-"`, name, kind), 1)
		fixed = strings.Replace(fixed, kind+"-${count.index}/", kind+"/", 1)
	}
	return fixed
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
	for _, list := range []func(context.Context, *personalize.Client, tfpersonalize.JobFilter) ([]tfpersonalize.JobSummary, error){
		tfpersonalize.ListBatchInferenceJobSummaries, tfpersonalize.ListBatchSegmentJobSummaries,
	} {
		jobs, err := list(ctx, client, tfpersonalize.JobFilter{})
		if err != nil {
			return nil, err
		}
		for _, j := range jobs {
			held[j.Name]++
		}
	}
	return held, nil
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

// killPoint is when in an apply terraform is killed.
type killPoint int

const (
	// afterEveryCreate: all the creates reached the emulator.
	afterEveryCreate killPoint = iota
	// amidCreates: half of them did.
	amidCreates
	// whileQueued: with a running-jobs quota of one per kind, one job of each
	// kind runs and the others wait for a free slot.
	whileQueued
)

// killTerraformMidApply applies perKind jobs of each kind, with fixed names
// or (prefixed) names job_name_prefix generates for jobs all alike, and
// kills terraform (and its provider) with SIGKILL at point, while every job
// it made still runs. Then it applies again (with the quota lifted): that
// apply must adopt each job the killed one made, make each of the others
// once, wait for them all and leave a plan with nothing to do.
func killTerraformMidApply(t *testing.T, perKind int, point killPoint, prefixed bool) {
	t.Helper()
	queued := point == whileQueued
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
	config := crashConfig(env, name, perKind)
	if prefixed {
		config = crashPrefixedConfig(env, name, perKind)
	}
	cli.WriteConfig(config)

	killWhen, killAfter := "every create to reach the emulator", len(want)
	switch point {
	case amidCreates:
		killWhen, killAfter = "half of the creates to reach the emulator", len(want)/2
	case whileQueued:
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
	rec.settle(t)
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
		if prefixed {
			// The names are the provider's to choose: count the jobs. The
			// creates alone say too little: the one that finds a generated
			// name held by the killed apply's job is refused, and adopts it.
			return direct.Jobs()+direct.SegmentJobs() >= len(want)
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
	clock.finishJobs()
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
	if prefixed {
		// The names the provider generated: one job per instance, each in
		// state once, and every job the killed apply made among them.
		want = nil
		for _, r := range cli.State() {
			want = append(want, r.Attributes["job_name"].(string))
		}
		sort.Strings(want)
		if len(want) != 2*perKind {
			t.Fatalf("the state holds %d jobs after the recovery, want %d: %v", len(want), 2*perKind, want)
		}
		for name := range made {
			if !slices.Contains(want, name) {
				t.Errorf("job %s, made by the killed apply, was not adopted: it is no resource's, and runs for nothing", name)
			}
		}
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
	killTerraformMidApply(t, 1, afterEveryCreate, false)
}

// The same with names job_name_prefix generates, for two jobs of each kind
// alike: the next apply finds the names the killed one submitted, adopts
// those jobs, and gives each instance a job of its own.
func TestAccReliability_crashTerraformKilledQuickPrefixed(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	killTerraformMidApply(t, 2, afterEveryCreate, true)
}

// terraform is killed with SIGKILL when half of six jobs named from prefixes
// are submitted.
func TestAccReliability_crashTerraformKilledAmidCreatesPrefixed(t *testing.T) {
	requireFaultTests(t)
	t.Parallel()
	killTerraformMidApply(t, 3, amidCreates, true)
}

// terraform is killed with SIGKILL while one job of each kind named from a
// prefix runs and the others wait for the quota.
func TestAccReliability_crashTerraformKilledWhileQueuedPrefixed(t *testing.T) {
	requireFaultTests(t)
	t.Parallel()
	killTerraformMidApply(t, 3, whileQueued, true)
}

// terraform is killed with SIGKILL once all of six jobs (three of each kind)
// are submitted and running.
func TestAccReliability_crashTerraformKilledAfterEveryCreate(t *testing.T) {
	requireFaultTests(t)
	t.Parallel()
	killTerraformMidApply(t, 3, afterEveryCreate, false)
}

// terraform is killed with SIGKILL while one job of each kind runs and the
// four others wait for the quota: the next apply adopts the two and makes
// the four, each once.
func TestAccReliability_crashTerraformKilledWhileQueued(t *testing.T) {
	requireFaultTests(t)
	t.Parallel()
	killTerraformMidApply(t, 3, whileQueued, false)
}

// stateFileJobs reads the emulator's state file the way any program could,
// and lists the job names in it; a file that does not parse fails the test.
func stateFileJobs(t *testing.T, path string) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading the emulator's state file: %s", err)
	}
	var st struct {
		Version int `json:"version"`
		Jobs    []struct {
			Request struct {
				JobName string `json:"jobName"`
			} `json:"request"`
		} `json:"jobs"`
	}
	if err := json.Unmarshal(data, &st); err != nil || st.Version == 0 {
		tail := data[max(0, len(data)-200):]
		t.Fatalf("the emulator's state file is corrupt after a SIGKILL (version %d, %v); %d bytes, ending in:\n%s", st.Version, err, len(data), tail)
	}
	names := map[string]bool{}
	for _, j := range st.Jobs {
		names[j.Request.JobName] = true
	}
	return names
}

// rawClient reaches the emulator with no retries, so that each create's
// outcome is exactly what the emulator answered, or the broken connection.
func rawClient(env *acctest.Env) *personalize.Client {
	return personalize.New(personalize.Options{
		Region:       env.Region,
		BaseEndpoint: aws.String(env.Endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider("acctest", "acctest", ""),
		Retryer:      aws.NopRetryer{},
		HTTPClient:   &http.Client{Timeout: 10 * time.Second},
	})
}

// createStorm creates jobs of both kinds from several clients at once until
// ctx ends, noting every name it asked for and every name whose create was
// acknowledged (a 200 with the job's ARN).
type createStorm struct {
	mu          sync.Mutex
	asked       map[string]bool
	acked       map[string]bool
	interrupted int      // creates whose connection broke after they were sent
	refused     []string // definite error answers, which no create here should get
}

func (s *createStorm) run(ctx context.Context, env *acctest.Env, workers int) *sync.WaitGroup {
	s.asked, s.acked = map[string]bool{}, map[string]bool{}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			client := rawClient(env)
			for i := 0; ctx.Err() == nil; i++ {
				name := fmt.Sprintf("storm-%d-%d", w, i)
				s.mu.Lock()
				s.asked[name] = true
				s.mu.Unlock()
				var jobARN string
				var err error
				if i%2 == 0 {
					var out *personalize.CreateBatchInferenceJobOutput
					out, err = client.CreateBatchInferenceJob(ctx, &personalize.CreateBatchInferenceJobInput{
						JobName: aws.String(name), SolutionVersionArn: aws.String(env.UserPersonalizationSV), RoleArn: aws.String(env.RoleARN),
						JobInput:  &awstypes.BatchInferenceJobInput{S3DataSource: &awstypes.S3DataConfig{Path: aws.String(env.S3URL(acctest.UserInputPrefix))}},
						JobOutput: &awstypes.BatchInferenceJobOutput{S3DataDestination: &awstypes.S3DataConfig{Path: aws.String(env.OutputPrefix(name))}},
					})
					if err == nil {
						jobARN = aws.ToString(out.BatchInferenceJobArn)
					}
				} else {
					var out *personalize.CreateBatchSegmentJobOutput
					out, err = client.CreateBatchSegmentJob(ctx, &personalize.CreateBatchSegmentJobInput{
						JobName: aws.String(name), SolutionVersionArn: aws.String(env.ItemAffinitySV), RoleArn: aws.String(env.RoleARN),
						JobInput:  &awstypes.BatchSegmentJobInput{S3DataSource: &awstypes.S3DataConfig{Path: aws.String(env.S3URL(acctest.SegmentInputPrefix))}},
						JobOutput: &awstypes.BatchSegmentJobOutput{S3DataDestination: &awstypes.S3DataConfig{Path: aws.String(env.OutputPrefix(name))}},
					})
					if err == nil {
						jobARN = aws.ToString(out.BatchSegmentJobArn)
					}
				}
				var apiErr smithy.APIError
				s.mu.Lock()
				switch {
				case err == nil && strings.HasSuffix(jobARN, "/"+name):
					s.acked[name] = true
				case err == nil:
					s.refused = append(s.refused, fmt.Sprintf("%s: acknowledged with ARN %q", name, jobARN))
				case errors.As(err, &apiErr):
					s.refused = append(s.refused, fmt.Sprintf("%s: %s", name, err))
				case !errors.Is(err, syscall.ECONNREFUSED) && ctx.Err() == nil:
					s.interrupted++
				}
				s.mu.Unlock()
				if err != nil {
					time.Sleep(10 * time.Millisecond) // the emulator is down: do not spin
				}
			}
		})
	}
	return &wg
}

// acknowledged is a copy of the names acknowledged so far.
func (s *createStorm) acknowledged() map[string]bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.acked)
}

// missing lists the names of want that have is lacks, sorted.
func missing(want, have map[string]bool) []string {
	var out []string
	for name := range want {
		if !have[name] {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// killEmulatorDuringCreates runs a storm of creates against an emulator
// process with a state file and kills it with SIGKILL kills times, at
// random moments, starting it again on the same address and file after each:
// the file must parse after every kill and hold every job acknowledged before
// it, and after the last restart the emulator must hold every acknowledged
// job and nothing that was never asked for.
func killEmulatorDuringCreates(t *testing.T, kills int) {
	t.Helper()
	stateFile := filepath.Join(t.TempDir(), "emulator-state.json")
	env, em := acctest.NewProcessEnv(t, "--state-file", stateFile, "--job-duration", "1h",
		"--max-running-jobs", "1000000", "--max-running-segment-jobs", "1000000")
	ctx, stop := context.WithCancel(t.Context())
	storm := &createStorm{}
	wg := storm.run(ctx, env, 6)
	defer func() { stop(); wg.Wait() }()

	for kill := range kills {
		acctest.WaitFor(t, 30*time.Second, "the storm to get creates acknowledged", func() bool {
			return len(storm.acknowledged()) > 0
		})
		time.Sleep(time.Duration(20+rand.IntN(300)) * time.Millisecond)
		em.Kill()
		// Every answer the client has now was sent before the kill.
		acked := storm.acknowledged()
		inFile := stateFileJobs(t, stateFile)
		if lost := missing(acked, inFile); len(lost) > 0 {
			t.Fatalf("kill %d: the state file lacks %d acknowledged jobs: %s", kill+1, len(lost), strings.Join(lost, ", "))
		}
		t.Logf("kill %d: %d jobs acknowledged, %d in the state file", kill+1, len(acked), len(inFile))
		time.Sleep(time.Duration(rand.IntN(200)) * time.Millisecond)
		em.Restart() // fails the test if the emulator refuses its state file
	}
	time.Sleep(200 * time.Millisecond)
	stop()
	wg.Wait()

	held, err := heldJobs(t.Context(), env.Client(t))
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for name := range held {
		have[name] = true
	}
	acked := storm.acknowledged()
	if lost := missing(acked, have); len(lost) > 0 {
		t.Errorf("after %d kills the emulator lacks %d acknowledged jobs: %s", kills, len(lost), strings.Join(lost, ", "))
	}
	if phantom := missing(have, storm.asked); len(phantom) > 0 {
		t.Errorf("the emulator holds jobs nobody asked for: %s", strings.Join(phantom, ", "))
	}
	unacked := len(have) - len(acked)
	t.Logf("%d kills: %d creates acknowledged, %d cut off in flight, %d jobs held (%d saved but never acknowledged)",
		kills, len(acked), storm.interrupted, len(have), unacked)
	if len(storm.refused) > 0 {
		t.Errorf("creates refused or answered wrongly:\n%s", strings.Join(storm.refused, "\n"))
	}
	if storm.interrupted == 0 {
		t.Errorf("no create was in flight at any of the %d kills: the kills landed only between writes and prove little", kills)
	}
}

// The emulator is killed twice during a storm of creates, in plain make test.
func TestAccReliability_crashEmulatorKilledDuringCreatesQuick(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	killEmulatorDuringCreates(t, 2)
}

// The emulator is killed ten times during a storm of creates.
func TestAccReliability_crashEmulatorKilledDuringCreates(t *testing.T) {
	requireFaultTests(t)
	t.Parallel()
	killEmulatorDuringCreates(t, 10)
}

// An apply of three jobs of each kind against an emulator process that is
// killed with SIGKILL at random moments while the creates go out and the
// jobs run, and restarted each time on the same address and state file
// after a short outage: the apply rides out every outage and finishes, each
// job exists once, and a plan afterwards has nothing to do.
func TestAccReliability_crashEmulatorKilledMidApply(t *testing.T) {
	requireFaultTests(t)
	t.Parallel()
	const perKind, kills = 3, 4
	stateFile := filepath.Join(t.TempDir(), "emulator-state.json")
	// Jobs outlast the kills: at most 1.5 s apart, each down at most 1.2 s,
	// plus the restarts, which take seconds on a loaded machine.
	env, em := acctest.NewProcessEnv(t, "--state-file", stateFile, "--job-duration", "45s")
	cli := acctest.NewCLI(t)
	name := acctest.RandomName("crash")
	want := crashJobNames(name, perKind)
	cli.WriteConfig(crashConfig(env, name, perKind))

	p := cli.Start("apply", "-auto-approve", "-no-color")
	acctest.WaitFor(t, time.Minute, "the first create to reach the emulator", func() bool {
		if isDone(p) {
			t.Fatalf("terraform ended before the emulator was killed:\n%s", p.Wait())
		}
		st, err := em.Stats()
		return err == nil && st.Calls["CreateBatchInferenceJob"]+st.Calls["CreateBatchSegmentJob"] > 0
	})
	for kill := range kills {
		if kill > 0 {
			time.Sleep(time.Duration(rand.IntN(1500)) * time.Millisecond)
		}
		if isDone(p) {
			t.Fatalf("the apply finished after %d of %d kills; the jobs are too quick for the test:\n%s", kill, kills, p.Wait())
		}
		em.Kill()
		jobs := stateFileJobs(t, stateFile)
		t.Logf("kill %d: the state file holds %d jobs", kill+1, len(jobs))
		time.Sleep(time.Duration(200+rand.IntN(1000)) * time.Millisecond)
		em.Restart()
	}

	res := waitProcess(t, p, 4*time.Minute)
	t.Logf("the apply across %d kills of the emulator:\n%s", kills, res)
	if res.ExitCode != 0 {
		t.Fatalf("the apply did not ride out the emulator's restarts:\n%s\nemulator log:\n%s", res, em.Output())
	}
	if added := fmt.Sprintf("Resources: %d added, 0 changed, 0 destroyed", len(want)); !strings.Contains(res.Stdout, added) {
		t.Errorf("want %q in\n%s", added, res.Stdout)
	}
	if st, err := em.Stats(); err != nil || st.Calls["DescribeBatchInferenceJob"]+st.Calls["DescribeBatchSegmentJob"]+
		st.Calls["ListBatchInferenceJobs"]+st.Calls["ListBatchSegmentJobs"] == 0 {
		t.Errorf("the apply never asked the emulator started last about its jobs (%+v, %v): it did not wait across the restarts", st, err)
	}
	checkHeldExactly(t, env, want)
	checkStateHolds(t, cli, want)
	checkPlanClean(t, cli)
}
