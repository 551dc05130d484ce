package personalize_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
)

// What plan promises about a job, checked the way a user sees it: the real
// terraform binary, its default flags, and what it prints.

// cliJobKind is what these tests need to know of a job kind to make a job
// outside Terraform and to configure one.
type cliJobKind struct {
	typeName, arnAttribute string
	// create makes a job outside Terraform and waits until it is ACTIVE.
	create func(t *testing.T, env *acctest.Env, name string) string
	// sv and input are the solution version and input create uses.
	sv, input func(env *acctest.Env) string
}

// hcl configures a job like create's under label, named by nameLine.
func (k cliJobKind) hcl(env *acctest.Env, label, nameLine, output string) string {
	return fmt.Sprintf(`resource %q %q {
  %s
  solution_version_arn = %q
  role_arn             = %q
  job_input  = { s3_data_source = { path = %q } }
  job_output = { s3_data_destination = { path = %q } }
}
`, k.typeName, label, nameLine, k.sv(env), env.RoleARN, k.input(env), output)
}

var cliJobKinds = []cliJobKind{
	{
		typeName: "personalize_batch_inference_job", arnAttribute: "batch_inference_job_arn",
		sv:    func(env *acctest.Env) string { return env.UserPersonalizationSV },
		input: func(env *acctest.Env) string { return env.S3URL(acctest.UserInputPrefix) },
		create: func(t *testing.T, env *acctest.Env, name string) string {
			arn := createJobsWithSDK(t, env, sdkJob{name: name})[0]
			waitJobsFinished(t, env, arn)
			return arn
		},
	},
	{
		typeName: "personalize_batch_segment_job", arnAttribute: "batch_segment_job_arn",
		sv:    func(env *acctest.Env) string { return env.ItemAffinitySV },
		input: func(env *acctest.Env) string { return env.S3URL(acctest.SegmentInputPrefix) },
		create: func(t *testing.T, env *acctest.Env, name string) string {
			out, err := env.Client(t).CreateBatchSegmentJob(t.Context(), &personalize.CreateBatchSegmentJobInput{
				JobName: aws.String(name), SolutionVersionArn: aws.String(env.ItemAffinitySV), RoleArn: aws.String(env.RoleARN),
				JobInput:  &awstypes.BatchSegmentJobInput{S3DataSource: &awstypes.S3DataConfig{Path: aws.String(env.S3URL(acctest.SegmentInputPrefix))}},
				JobOutput: &awstypes.BatchSegmentJobOutput{S3DataDestination: &awstypes.S3DataConfig{Path: aws.String(env.OutputPrefix(name))}},
			})
			if err != nil {
				t.Fatalf("creating segment job %s: %s", name, err)
			}
			arn := aws.ToString(out.BatchSegmentJobArn)
			acctest.WaitFor(t, 20*acctest.JobDuration, "segment job "+name+" to finish", func() bool {
				d, err := env.Client(t).DescribeBatchSegmentJob(t.Context(), &personalize.DescribeBatchSegmentJobInput{BatchSegmentJobArn: aws.String(arn)})
				return err == nil && aws.ToString(d.BatchSegmentJob.Status) == "ACTIVE"
			})
			return arn
		},
	},
}

func requireCLITests(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("runs terraform: set TF_ACC=1")
	}
}

// unwrapped is what terraform printed with its line wrapping undone.
func unwrapped(r *acctest.Result) string {
	return strings.Join(strings.Fields(r.Output()), " ")
}

// generatedLookingName is a name as job_name_prefix generates it: the
// prefix, a UTC timestamp, a counter and random hex.
func generatedLookingName(prefix string, n int) string {
	return fmt.Sprintf("%s%s%04x%06x", prefix, time.Now().UTC().Format("20060102150405"), n, 0xa1b2c3+n)
}

// A job named from job_name_prefix, imported into its job_name_prefix
// configuration, is taken over as it is: no replacement, no second job. This
// is how an orphan is adopted or state moved, by import ID (and, on
// Terraform 1.12+, by identity).
func TestAccJobImport_generatedNameIntoPrefixConfiguration(t *testing.T) {
	requireCLITests(t)
	t.Parallel()
	for i, kind := range cliJobKinds {
		for _, by := range []string{"id", "identity", "generated configuration"} {
			t.Run(kind.typeName+"/"+by, func(t *testing.T) {
				if by == "identity" {
					acctest.SkipUnlessTerraform(t, "1.12.0", "import blocks by identity")
				}
				env, _ := acctest.NewCLIEnv(t, emulator.Config{JobDuration: acctest.JobDuration})
				cli := acctest.NewCLI(t)
				name := generatedLookingName("adopt-", i)
				arn := kind.create(t, env, name)
				target := fmt.Sprintf("id = %q", arn)
				if by == "identity" {
					target = fmt.Sprintf("identity = { %s = %q }", kind.arnAttribute, arn)
				}
				resource := kind.hcl(env, "adopted", `job_name_prefix = "adopt-"`, env.OutputPrefix(name))
				if by == "generated configuration" {
					// -generate-config-out writes both job_name and the
					// job_name_prefix import derived, which must validate.
					resource = ""
				}
				cli.WriteConfig(env.ProviderConfig("") + resource + fmt.Sprintf("\nimport {\n  to = %s.adopted\n  %s\n}\n", kind.typeName, target))
				if by == "generated configuration" {
					cli.MustRun(2*time.Minute, "plan", "-no-color", "-generate-config-out=generated.tf")
				}

				plan := cli.MustRun(2*time.Minute, "plan", "-no-color")
				if !strings.Contains(plan.Stdout, "Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.") {
					t.Fatalf("importing %s into job_name_prefix = \"adopt-\" does more than import it:\n%s", name, plan)
				}
				cli.MustRun(2*time.Minute, "apply", "-no-color", "-auto-approve")
				if r := cli.Run(2*time.Minute, "plan", "-no-color", "-detailed-exitcode"); r.ExitCode != 0 {
					t.Fatalf("the plan after the import is not empty (exit %d):\n%s", r.ExitCode, r)
				}
				if jobs := env.Jobs() + env.SegmentJobs(); jobs != 1 {
					t.Errorf("the emulator holds %d jobs after the import, want the one imported", jobs)
				}
			})
		}
	}
}

// A replacement that keeps a fixed job_name could never create its job:
// plan refuses it, naming job_name and the fix, and the job stays in state.
// With a job_name_prefix the same change plans a replacement, and warns that
// the new job overwrites the output of the one it replaces.
func TestAccJob_replacementPromisesAtPlan(t *testing.T) {
	requireCLITests(t)
	t.Parallel()
	for _, kind := range cliJobKinds {
		t.Run(kind.typeName, func(t *testing.T) {
			env, _ := acctest.NewCLIEnv(t, emulator.Config{JobDuration: acctest.JobDuration})
			cli := acctest.NewCLI(t)
			name := acctest.RandomName("fixed")
			output := env.OutputPrefix(name)
			address := kind.typeName + ".job"
			cli.WriteConfig(env.ProviderConfig("") + kind.hcl(env, "job", fmt.Sprintf("job_name = %q", name), output))
			cli.MustRun(2*time.Minute, "apply", "-no-color", "-auto-approve")

			// Another output path forces a replacement.
			cli.WriteConfig(env.ProviderConfig("") + kind.hcl(env, "job", fmt.Sprintf("job_name = %q", name), output+"v2/"))
			for _, command := range [][]string{{"plan", "-no-color"}, {"apply", "-no-color", "-auto-approve"}} {
				r := cli.Run(2*time.Minute, command...)
				if r.ExitCode == 0 {
					t.Fatalf("terraform %s accepted a replacement under the fixed job_name %q:\n%s", command[0], name, r)
				}
				for _, want := range []string{"Replacement cannot reuse a job name", "job_name", `job_name_prefix = "` + name + `-"`} {
					if !strings.Contains(unwrapped(r), want) {
						t.Errorf("terraform %s's error does not say %q:\n%s", command[0], want, r)
					}
				}
			}
			if state := cli.MustRun(time.Minute, "state", "list"); strings.TrimSpace(state.Stdout) != address {
				t.Errorf("after the refused replacement the state holds %q, want the job %s", state.Stdout, address)
			}

			// The same change under job_name_prefix plans; writing where the
			// old job wrote, it warns that the old output is overwritten.
			cli.WriteConfig(env.ProviderConfig("") + kind.hcl(env, "job", `job_name_prefix = "fixed-"`, output))
			r := cli.MustRun(2*time.Minute, "plan", "-no-color")
			for _, want := range []string{"must be replaced", "Replacement overwrites the old job's output", output} {
				if !strings.Contains(unwrapped(r), want) {
					t.Errorf("the plan of a replacement writing to %s does not say %q:\n%s", output, want, r)
				}
			}
		})
	}
}

// The plan of a destroy, and so the prompt of `terraform destroy`, says that
// destroy only forgets the job and what stays in AWS.
func TestAccJob_destroyPlanSaysWhatStays(t *testing.T) {
	requireCLITests(t)
	t.Parallel()
	for _, kind := range cliJobKinds {
		t.Run(kind.typeName, func(t *testing.T) {
			env, _ := acctest.NewCLIEnv(t, emulator.Config{JobDuration: acctest.JobDuration})
			cli := acctest.NewCLI(t)
			output := env.OutputPrefix(acctest.RandomName("forget"))
			cli.WriteConfig(env.ProviderConfig("") + kind.hcl(env, "job", `job_name_prefix = "forget-"`, output))
			cli.MustRun(2*time.Minute, "apply", "-no-color", "-auto-approve")

			plan := cli.MustRun(2*time.Minute, "plan", "-destroy", "-no-color")
			for _, want := range []string{"Destroy only forgets", "can never be used again", output, "Plan: 0 to add, 0 to change, 1 to destroy."} {
				if !strings.Contains(unwrapped(plan), want) {
					t.Errorf("the destroy plan does not say %q:\n%s", want, plan)
				}
			}
			cli.MustRun(2*time.Minute, "destroy", "-no-color", "-auto-approve")
			if jobs := env.Jobs() + env.SegmentJobs(); jobs != 1 {
				t.Errorf("the emulator holds %d jobs after destroy, want the one job, forgotten but not deleted", jobs)
			}
		})
	}
}
