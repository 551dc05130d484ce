package personalize_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
)

// The action runs a job from `terraform apply -invoke` and from an
// action_trigger, with the real terraform: each invocation one new job,
// ACTIVE when the apply returns, progress shown to the user; an apply with
// nothing to trigger runs none.
func TestAccBatchInferenceJobAction_invokeAndTrigger(t *testing.T) {
	env, _ := acctest.NewCLIEnv(t, emulator.Config{JobDuration: time.Second})
	acctest.SkipUnlessTerraform(t, "1.14.0", "terraform apply -invoke (actions)")
	cli := acctest.NewCLI(t)
	cli.WriteConfig(env.ProviderConfig("") + fmt.Sprintf(`
action "personalize_batch_inference_job" "run" {
  config {
    job_name_prefix      = "invoked-"
    solution_version_arn = %q
    role_arn             = %q
    tags                 = { started_by = "action" }
    job_input  = { s3_data_source = { path = %q } }
    job_output = { s3_data_destination = { path = %q } }
  }
}

resource "terraform_data" "input" {
  input = "v1"
  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.personalize_batch_inference_job.run]
    }
  }
}
`, env.UserPersonalizationSV, env.RoleARN, env.S3URL(acctest.UserInputPrefix), env.OutputPrefix("invoked")))

	res := cli.MustRun(5*time.Minute, "apply", "-auto-approve", "-input=false", "-no-color", "-invoke=action.personalize_batch_inference_job.run")
	for _, want := range []string{"Started arn:aws:personalize:", "batch-inference-job/invoked-", "ACTIVE after"} {
		if !strings.Contains(res.Output(), want) {
			t.Errorf("apply -invoke output does not show %q:\n%s", want, res.Output())
		}
	}
	if n := env.Jobs(); n != 1 {
		t.Fatalf("after apply -invoke the emulator holds %d jobs, want 1", n)
	}
	conn := env.Client(t)
	job := describeOnlyJob(t, conn)
	if got := *job.Status; got != "ACTIVE" {
		t.Errorf("the invoked job is %s when apply returns, want ACTIVE", got)
	}

	// The trigger: creating terraform_data.input runs the action once more.
	cli.MustRun(5*time.Minute, "apply", "-auto-approve", "-input=false", "-no-color")
	if n := env.Jobs(); n != 2 {
		t.Errorf("after the apply that creates the trigger the emulator holds %d jobs, want 2", n)
	}
	// Nothing changed: nothing triggers, no job starts.
	cli.MustRun(5*time.Minute, "apply", "-auto-approve", "-input=false", "-no-color")
	if n := env.Jobs(); n != 2 {
		t.Errorf("an apply with no changes left %d jobs, want still 2", n)
	}
	if calls := env.Calls("CreateBatchInferenceJob"); calls != 2 {
		t.Errorf("%d create calls, want 2", calls)
	}
}
