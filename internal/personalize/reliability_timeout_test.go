package personalize_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
)

func timeoutsHCL(create, update string) string {
	return fmt.Sprintf("  timeouts = { create = %q, update = %q }", create, update)
}

func rewriteJob(env *acctest.Env, cli *acctest.CLI, arn, body string) {
	name := arn[strings.LastIndex(arn, "/")+1:]
	cli.WriteConfig(config(env, "", jobArgs{name: name, output: env.OutputPrefix(name), body: body}.hcl(env, "test")))
}

// A job that outlasts timeouts.create: the apply warns, naming the job and
// how it resumes, and keeps the job in state untainted. A resume that runs
// out of timeouts.update is an error naming the job; the next apply with a
// longer timeout finishes the same job.
func TestAccReliability_timeoutNamesJobAndResumes(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	env, _, cli, clock, arn := cliJob(t, emulator.Config{}, timeoutsHCL("2s", "2s"))

	create := cli.Run(2*time.Minute, "apply", "-auto-approve", "-no-color")
	t.Logf("apply that outlasts timeouts.create:\n%s", create)
	if create.ExitCode != 0 {
		// An error would taint the job, and the next plan would replace it.
		t.Errorf("a create timeout must be a warning (exit 0), got exit %d", create.ExitCode)
	}
	if !words("Warning: Stopped waiting for the batch inference job",
		"timeouts.create (2s) ran out while batch inference job "+arn+" was",
		"saved in the Terraform state", "next apply waits for it again instead of starting another job").MatchString(create.Output()) {
		t.Errorf("the create timeout warning does not name the job, the timeout and the resume:\n%s", create)
	}
	if status, _ := onlyJob(t, cli, arn).Attributes["status"].(string); !runningStatus.MatchString(status) {
		t.Errorf("status in state = %q, want the job still running", status)
	}

	plan := cli.Run(time.Minute, "plan", "-detailed-exitcode", "-no-color")
	if plan.ExitCode != 2 || !strings.Contains(plan.Stdout, "will be updated in-place") || strings.Contains(plan.Stdout, "must be replaced") {
		t.Errorf("the plan after a create timeout must update the job in place (resume waiting), not replace it:\n%s", plan)
	}

	resume := cli.Run(2*time.Minute, "apply", "-auto-approve", "-no-color")
	t.Logf("resume that outlasts timeouts.update:\n%s", resume)
	if resume.ExitCode == 0 {
		t.Errorf("a resumed wait that runs out of timeouts.update must fail the apply, so scripts know the job has not finished")
	}
	if !words("Error: Stopped waiting for the batch inference job",
		"timeouts.update (2s) ran out while batch inference job "+arn+" was",
		"next apply waits for it again").MatchString(resume.Output()) {
		t.Errorf("the update timeout error does not name the job, the timeout and the resume:\n%s", resume)
	}
	onlyJob(t, cli, arn)

	rewriteJob(env, cli, arn, timeoutsHCL("2s", "10m"))
	resumeAndFinish(t, env, cli, clock, arn)
	if n := env.Calls("CreateBatchInferenceJob"); n != 1 {
		t.Errorf("the emulator got %d creates, want 1", n)
	}
}

var raiseAdvice = regexp.MustCompile(`raise\s+(timeouts\.(create|update))`)

// The warning of a create timeout tells the user which timeout to raise for
// the job to finish; doing just that must let the next apply finish it.
func TestAccReliability_createTimeoutAdviceWorks(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	env, _, cli, clock, arn := cliJob(t, emulator.Config{}, timeoutsHCL("2s", "2s"))

	create := cli.Run(2*time.Minute, "apply", "-auto-approve", "-no-color")
	m := raiseAdvice.FindStringSubmatch(create.Output())
	if m == nil {
		t.Fatalf("the create timeout warning names no timeout to raise:\n%s", create)
	}
	advised := m[1]
	if advised == "timeouts.create" {
		rewriteJob(env, cli, arn, timeoutsHCL("10m", "2s"))
	} else {
		rewriteJob(env, cli, arn, timeoutsHCL("2s", "10m"))
	}
	p := cli.Start("apply", "-auto-approve", "-no-color")
	acctest.WaitFor(t, time.Minute, "the next apply to resume waiting", func() bool {
		return strings.Contains(p.Output(), "Modifying...") || isDone(p)
	})
	// The job finishes only after the 2s the timeout left alone would allow.
	time.Sleep(3 * time.Second)
	clock.finishJobs()
	if res := waitProcess(t, p, 2*time.Minute); res.ExitCode != 0 {
		t.Errorf("after raising %s as the create timeout warning advises, the next apply still does not finish the job: "+
			"the resumed wait is bounded by timeouts.update, so the warning should name timeouts.update.\n%s", advised, res)
	}
}
