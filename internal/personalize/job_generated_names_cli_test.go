package personalize_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
)

// A name job_name_prefix generates is found again by the next apply, yet
// every change that means a new job still runs one, and no two resource
// instances ever share a job: instances alike in every argument, added in
// one apply or in a later one, a -replace, a destroy and apply, and an
// instance removed and added back.
func TestAccGeneratedNames_newJobWhereOneIsMeant(t *testing.T) {
	requireCLITests(t)
	t.Parallel()
	for _, kind := range cliJobKinds {
		t.Run(kind.typeName, func(t *testing.T) {
			env, _ := acctest.NewCLIEnv(t, emulator.Config{JobDuration: acctest.JobDuration})
			cli := acctest.NewCLI(t)
			output := env.OutputPrefix(acctest.RandomName("alike"))
			configure := func(count int) {
				cli.WriteConfig(env.ProviderConfig("") + kind.hcl(env, "alike", fmt.Sprintf("count = %d\n  job_name_prefix = \"alike-\"", count), output))
			}
			jobs := func() int { return env.Jobs() + env.SegmentJobs() }
			step := func(what string, wantJobs, wantInState int, args ...string) {
				t.Helper()
				res := cli.Run(3*time.Minute, args...)
				if res.ExitCode != 0 {
					t.Fatalf("%s: terraform %s failed:\n%s", what, args[0], res)
				}
				if got := jobs(); got != wantJobs {
					t.Errorf("%s: the emulator holds %d jobs, want %d", what, got, wantJobs)
				}
				names := map[string]string{}
				for _, r := range cli.State() {
					name, _ := r.Attributes["job_name"].(string)
					if other, shared := names[name]; shared {
						t.Errorf("%s: %s and %s share the job %s", what, other, r.Address, name)
					}
					names[name] = r.Address
					if !strings.HasPrefix(name, "alike-") {
						t.Errorf("%s: %s is named %q, not from its prefix", what, r.Address, name)
					}
				}
				if len(names) != wantInState {
					t.Errorf("%s: the state holds %d jobs, want %d", what, len(names), wantInState)
				}
			}
			apply := []string{"apply", "-auto-approve", "-no-color"}

			configure(2)
			step("two instances alike", 2, 2, apply...)
			configure(3)
			step("a third alike, in a later apply", 3, 3, apply...)
			step("-replace of one", 4, 3, append(apply, "-replace="+kind.typeName+".alike[0]")...)
			step("destroy", 4, 0, "destroy", "-auto-approve", "-no-color")
			step("apply after the destroy", 7, 3, apply...)
			configure(2)
			step("an instance removed", 7, 2, apply...)
			configure(3)
			step("the instance added back", 8, 3, apply...)
			if r := cli.Run(2*time.Minute, "plan", "-no-color", "-detailed-exitcode"); r.ExitCode != 0 {
				t.Errorf("the plan at the end is not empty (exit %d):\n%s", r.ExitCode, r)
			}
		})
	}
}

// -replace (and taint) are not shown to the provider when it plans, so a
// replacement under a fixed job_name reaches the create, whose name the
// job it replaces still holds for ever: the apply keeps that job, says
// plainly that nothing ran again and how to run a new job, and leaves the
// state as it was.
func TestAccGeneratedNames_replaceUnderFixedNameSaysNothingRanAgain(t *testing.T) {
	requireCLITests(t)
	t.Parallel()
	for _, kind := range cliJobKinds {
		t.Run(kind.typeName, func(t *testing.T) {
			env, _ := acctest.NewCLIEnv(t, emulator.Config{JobDuration: acctest.JobDuration})
			cli := acctest.NewCLI(t)
			name := acctest.RandomName("fixed")
			cli.WriteConfig(env.ProviderConfig("") + kind.hcl(env, "job", fmt.Sprintf("job_name = %q", name), env.OutputPrefix(name)))
			cli.MustRun(2*time.Minute, "apply", "-auto-approve", "-no-color")

			res := cli.MustRun(2*time.Minute, "apply", "-auto-approve", "-no-color", "-replace="+kind.typeName+".job")
			for _, want := range []string{"was not run again", "nothing ran again", "use job_name_prefix"} {
				if !strings.Contains(unwrapped(res), want) {
					t.Errorf("the apply of -replace does not say %q:\n%s", want, res)
				}
			}
			if jobs := env.Jobs() + env.SegmentJobs(); jobs != 1 {
				t.Errorf("the emulator holds %d jobs, want the one job", jobs)
			}
			if state := cli.State(); len(state) != 1 || state[0].Attributes["job_name"] != name {
				t.Errorf("the state holds %+v, want the job %s", state, name)
			}
			if r := cli.Run(2*time.Minute, "plan", "-no-color", "-detailed-exitcode"); r.ExitCode != 0 {
				t.Errorf("the plan after the -replace is not empty (exit %d):\n%s", r.ExitCode, r)
			}
		})
	}
}

// A job named from a prefix that ended CREATE FAILED is replaced by a new
// job on the next apply, though the arguments, and so the name's first
// generation, are the same: the failed job is never adopted back.
func TestAccGeneratedNames_failedJobIsReplacedByANewOne(t *testing.T) {
	requireCLITests(t)
	t.Parallel()
	for _, kind := range cliJobKinds {
		t.Run(kind.typeName, func(t *testing.T) {
			env, _ := acctest.NewCLIEnv(t, emulator.Config{JobDuration: acctest.JobDuration})
			cli := acctest.NewCLI(t)
			// An input path that matches no file fails the job.
			failing := strings.Replace(kind.hcl(env, "job", `job_name_prefix = "fails-"`, env.OutputPrefix("fails")),
				kind.input(env), env.S3URL("missing/"), 1)
			cli.WriteConfig(env.ProviderConfig("") + failing)
			for i, want := range []string{"first apply", "second apply"} {
				res := cli.Run(3*time.Minute, "apply", "-auto-approve", "-no-color")
				if res.ExitCode == 0 || !strings.Contains(unwrapped(res), "CREATE FAILED") {
					t.Fatalf("%s: want the job to fail with CREATE FAILED:\n%s", want, res)
				}
				if jobs := env.Jobs() + env.SegmentJobs(); jobs != i+1 {
					t.Errorf("%s: the emulator holds %d jobs, want %d: a failed job must be replaced by a new one, not adopted back", want, jobs, i+1)
				}
			}
		})
	}
}
