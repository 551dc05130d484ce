package personalize_test

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
)

// jobClock is the emulator's clock in CLI tests: jobs take an hour on it, so
// terraform finds them running for as long as the test needs, and the test
// moves it forward to finish them without sleeping.
type jobClock struct{ offset atomic.Int64 }

func (c *jobClock) Now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

// finishJobs moves the clock on by a job's duration: every job running now
// is then due.
func (c *jobClock) finishJobs() { c.offset.Add(int64(longJob)) }

const longJob = time.Hour

// cliJob starts an environment with a job clock, and a terraform working
// directory whose configuration is one job with the extra HCL in it.
func cliJob(t *testing.T, cfg emulator.Config, body string) (*acctest.Env, *acctest.EmulatorServer, *acctest.CLI, *jobClock, string) {
	t.Helper()
	clock := &jobClock{}
	cfg.JobDuration, cfg.Now = longJob, clock.Now
	env, srv := acctest.NewCLIEnv(t, cfg)
	cli := acctest.NewCLI(t)
	name := acctest.RandomName("cli")
	cli.WriteConfig(config(env, "", jobArgs{name: name, output: env.OutputPrefix(name), body: body}.hcl(env, "test")))
	return env, srv, cli, clock, fmt.Sprintf("arn:aws:personalize:%s:%s:batch-inference-job/%s", env.Region, env.AccountID, name)
}

// onlyJob is the one job in the CLI's state, checked to be arn and untainted.
func onlyJob(t *testing.T, cli *acctest.CLI, arn string) acctest.StateResource {
	t.Helper()
	state := cli.State()
	if len(state) != 1 {
		t.Fatalf("state holds %d resources, want the one job: %+v", len(state), state)
	}
	job := state[0]
	if got := job.Attributes["batch_inference_job_arn"]; got != arn {
		t.Fatalf("state holds job %v, want %s", got, arn)
	}
	if job.Tainted {
		t.Errorf("the job is tainted in state: the next apply would replace it and run a second job")
	}
	return job
}

var runningStatus = regexp.MustCompile(`^(PENDING|IN PROGRESS)$`)

// waitForPolling waits until the provider has created the job and polls it.
func waitForPolling(t *testing.T, env *acctest.Env, p *acctest.Process) {
	t.Helper()
	acctest.WaitFor(t, time.Minute, "the provider to create the job and wait for it", func() bool {
		select {
		case <-p.Done():
			t.Fatalf("terraform ended before the job was created:\n%s", p.Wait())
		default:
		}
		return env.Calls("CreateBatchInferenceJob") == 1 && env.Calls("DescribeBatchInferenceJob") >= 1
	})
}

// resumeAndFinish runs the next apply, lets the job finish while that apply
// waits for it, and checks it waited for the same job instead of making one.
func resumeAndFinish(t *testing.T, env *acctest.Env, cli *acctest.CLI, clock *jobClock, arn string) {
	t.Helper()
	p := cli.Start("apply", "-auto-approve", "-no-color")
	acctest.WaitFor(t, time.Minute, "the next apply to resume waiting", func() bool {
		return strings.Contains(p.Output(), "Modifying...") || isDone(p)
	})
	clock.finishJobs()
	res := waitProcess(t, p, 2*time.Minute)
	if res.ExitCode != 0 {
		t.Fatalf("the apply that resumes the wait failed:\n%s", res)
	}
	if !strings.Contains(res.Stdout, "Resources: 0 added, 1 changed, 0 destroyed") {
		t.Errorf("the resuming apply should change the job in place (waiting for it), adding nothing:\n%s", res)
	}
	if got := onlyJob(t, cli, arn).Attributes["status"]; got != "ACTIVE" {
		t.Errorf("status after the resumed wait = %v, want ACTIVE", got)
	}
	if n := env.Jobs(); n != 1 {
		t.Errorf("the emulator holds %d jobs, want 1", n)
	}
}

func isDone(p *acctest.Process) bool {
	select {
	case <-p.Done():
		return true
	default:
		return false
	}
}

func waitProcess(t *testing.T, p *acctest.Process, timeout time.Duration) *acctest.Result {
	t.Helper()
	select {
	case <-p.Done():
		return p.Wait()
	case <-time.After(timeout):
		t.Fatalf("terraform did not finish within %s:\n%s", timeout, p.Output())
		return nil
	}
}

// Ctrl-C while terraform waits for a job: the job is saved in state, still
// running and untainted; the next apply waits for that job and makes none.
func TestAccReliability_interruptKeepsJobAndResumes(t *testing.T) {
	requireFaultTests(t)
	t.Parallel()
	env, _, cli, clock, arn := cliJob(t, emulator.Config{}, "")

	p := cli.Start("apply", "-auto-approve", "-no-color")
	waitForPolling(t, env, p)
	if err := p.Interrupt(); err != nil {
		t.Fatalf("interrupting terraform: %s", err)
	}
	res := waitProcess(t, p, time.Minute)
	t.Logf("interrupted apply:\n%s", res)
	if !strings.Contains(res.Output(), "Interrupt received") {
		t.Fatalf("terraform did not see the interrupt:\n%s", res)
	}
	job := onlyJob(t, cli, arn)
	if status, _ := job.Attributes["status"].(string); !runningStatus.MatchString(status) {
		t.Errorf("status in state = %q, want the job still PENDING or IN PROGRESS", status)
	}
	if !words("Terraform was interrupted while batch inference job "+arn, "next apply waits for it again").MatchString(res.Output()) {
		t.Errorf("terraform's output does not say the interrupted job is kept and resumed:\n%s", res)
	}

	resumeAndFinish(t, env, cli, clock, arn)
	if n := env.Calls("CreateBatchInferenceJob"); n != 1 {
		t.Errorf("the emulator got %d creates, want the one of the interrupted apply", n)
	}
}

// The API goes away in the middle of an apply and comes back on the same
// address with its state file: terraform rides out the outage, no job is
// lost, and no second one is made.
func TestAccReliability_emulatorRestartMidApply(t *testing.T) {
	requireFaultTests(t)
	t.Parallel()
	stateFile := filepath.Join(t.TempDir(), "emulator-state.json")
	env, first, cli, clock, arn := cliJob(t, emulator.Config{StateFile: stateFile}, "")

	p := cli.Start("apply", "-auto-approve", "-no-color")
	waitForPolling(t, env, p)
	first.Stop()
	// Long enough for at least one poll (every second at first) to fail.
	time.Sleep(2500 * time.Millisecond)
	second := acctest.StartEmulatorServer(t, first.Addr, emulator.Config{
		Region: env.Region, AccountID: env.AccountID, S3Dir: env.S3Dir, StateFile: stateFile,
		JobDuration: longJob, Now: clock.Now,
	})
	env.Emulator = second.Emulator
	clock.finishJobs()

	res := waitProcess(t, p, 3*time.Minute)
	t.Logf("apply across the restart:\n%s", res)
	job := onlyJob(t, cli, arn)
	if res.ExitCode == 0 && job.Attributes["status"] == "ACTIVE" {
		if !strings.Contains(res.Stdout, "Resources: 1 added") {
			t.Errorf("apply did not add the job:\n%s", res)
		}
	} else {
		// Giving up on the outage is acceptable only with the job in state,
		// for the next apply to finish.
		t.Logf("the apply did not finish across the restart (exit %d, status %v); the next apply must", res.ExitCode, job.Attributes["status"])
		next := cli.Run(2*time.Minute, "apply", "-auto-approve", "-no-color")
		if next.ExitCode != 0 || onlyJob(t, cli, arn).Attributes["status"] != "ACTIVE" {
			t.Fatalf("the next apply did not finish the job:\n%s", next)
		}
	}
	if n := first.Emulator.Stats().Calls["CreateBatchInferenceJob"]; n != 1 {
		t.Errorf("the first emulator got %d creates, want 1", n)
	}
	if n := second.Emulator.Stats().Calls["CreateBatchInferenceJob"]; n != 0 {
		t.Errorf("the restarted emulator got %d creates, want none: the job was made again", n)
	}
	if n := second.Emulator.Stats().Jobs; n != 1 {
		t.Errorf("the restarted emulator holds %d jobs, want 1", n)
	}
	if calls := second.Emulator.Stats().Calls; calls["DescribeBatchInferenceJob"]+calls["ListBatchInferenceJobs"] == 0 {
		t.Errorf("terraform never asked the restarted emulator about the job (neither Describe nor List): %v", calls)
	}
}
