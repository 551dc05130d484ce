package acctest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
)

// The CLI harness applies through the built provider and reports the state
// terraform wrote; a plan of the same configuration is then empty.
func TestCLI_appliesWithTheBuiltProvider(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("runs terraform: set TF_ACC=1")
	}
	t.Parallel()
	env, _ := NewCLIEnv(t, emulator.Config{JobDuration: 200 * time.Millisecond})
	cli := NewCLI(t)
	name := RandomName("cli")
	cli.WriteConfig(env.ProviderConfig("") + fmt.Sprintf(`
resource %q "test" {
  job_name             = %q
  solution_version_arn = %q
  role_arn             = %q
  job_input  = { s3_data_source = { path = %q } }
  job_output = { s3_data_destination = { path = %q } }
}
`, ResourceType, name, env.UserPersonalizationSV, env.RoleARN, env.S3URL(UserInputPrefix), env.OutputPrefix(name)))

	apply := cli.MustRun(2*time.Minute, "apply", "-auto-approve", "-no-color")
	if !strings.Contains(apply.Stdout, "Apply complete! Resources: 1 added") {
		t.Fatalf("apply did not add the job:\n%s", apply)
	}
	if !strings.Contains(apply.Output(), "Provider development overrides are in effect") {
		t.Errorf("terraform did not use the dev_overrides of the CLI configuration:\n%s", apply)
	}
	state := cli.State()
	if len(state) != 1 || state[0].Address != ResourceType+".test" {
		t.Fatalf("state holds %+v, want %s.test", state, ResourceType)
	}
	if got := state[0].Attributes["status"]; got != "ACTIVE" {
		t.Errorf("status in state = %v, want ACTIVE", got)
	}
	if got, want := state[0].Attributes["batch_inference_job_arn"], fmt.Sprintf("arn:aws:personalize:%s:%s:batch-inference-job/%s", env.Region, env.AccountID, name); got != want {
		t.Errorf("batch_inference_job_arn in state = %v, want %s", got, want)
	}
	plan := cli.Run(time.Minute, "plan", "-detailed-exitcode", "-no-color")
	if plan.ExitCode != 0 {
		t.Errorf("plan after apply is not empty (exit %d, want 0):\n%s", plan.ExitCode, plan)
	}
}

// A server stopped and started again answers on the same address, and with
// the same state file still knows the jobs it had.
func TestEmulatorServer_restartsOnTheSameAddressWithItsJobs(t *testing.T) {
	t.Parallel()
	stateFile := filepath.Join(t.TempDir(), "state.json")
	first := StartEmulatorServer(t, "127.0.0.1:0", emulator.Config{StateFile: stateFile, JobDuration: time.Hour})
	client := personalize.New(personalize.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(first.URL),
		Credentials:      credentials.NewStaticCredentialsProvider("acctest", "acctest", ""),
		RetryMaxAttempts: 1,
	})
	ctx := context.Background()
	out, err := client.CreateBatchInferenceJob(ctx, &personalize.CreateBatchInferenceJobInput{
		JobName:            aws.String("survives-restart"),
		SolutionVersionArn: aws.String("arn:aws:personalize:us-east-1:123456789012:solution/demo-user-personalization/1a2b3c4d"),
		RoleArn:            aws.String("arn:aws:iam::123456789012:role/Batch"),
		JobInput:           &awstypes.BatchInferenceJobInput{S3DataSource: &awstypes.S3DataConfig{Path: aws.String("s3://bucket/in/")}},
		JobOutput:          &awstypes.BatchInferenceJobOutput{S3DataDestination: &awstypes.S3DataConfig{Path: aws.String("s3://bucket/out/")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	first.Stop()
	if _, err := client.DescribeBatchInferenceJob(ctx, &personalize.DescribeBatchInferenceJobInput{BatchInferenceJobArn: out.BatchInferenceJobArn}); err == nil {
		t.Fatal("a stopped server still answered")
	}

	second := StartEmulatorServer(t, first.Addr, emulator.Config{StateFile: stateFile, JobDuration: time.Hour})
	if second.URL != first.URL {
		t.Fatalf("restarted on %s, want %s", second.URL, first.URL)
	}
	got, err := client.DescribeBatchInferenceJob(ctx, &personalize.DescribeBatchInferenceJobInput{BatchInferenceJobArn: out.BatchInferenceJobArn})
	if err != nil {
		t.Fatalf("the restarted emulator lost the job: %s", err)
	}
	if s := aws.ToString(got.BatchInferenceJob.Status); s != "PENDING" && s != "IN PROGRESS" {
		t.Errorf("status after restart = %q, want the job still running", s)
	}
}
