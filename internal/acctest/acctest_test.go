package acctest

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	"github.com/aws/aws-sdk-go-v2/service/personalize/types"
)

// The harness gives each test a running emulator with a seeded bucket and a
// provider block that reaches it.
func TestNewStartsSeededEmulator(t *testing.T) {
	if TargetAWS() {
		t.Skip("checks the emulator harness")
	}
	env := New(t)

	resp, err := http.Get(env.Endpoint + "/_emulator/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("health: %s", resp.Status)
	}

	for key := range seedFiles {
		if body, err := env.ReadObject(env.Bucket, key); err != nil || body == "" {
			t.Errorf("seeded input %s: %q, %v", key, body, err)
		}
	}

	cfg := env.ProviderConfig(`  default_tags { tags = { a = "b" } }`)
	for _, want := range []string{`personalize = "` + env.Endpoint + `"`, `sts         = "` + env.Endpoint + `"`, "default_tags"} {
		if !strings.Contains(cfg, want) {
			t.Errorf("provider config lacks %s:\n%s", want, cfg)
		}
	}

	// The fixtures the tests use exist in the emulator: a job on them runs.
	_, err = env.Client(t).CreateBatchInferenceJob(context.Background(), &personalize.CreateBatchInferenceJobInput{
		JobName:            aws.String(RandomName("harness")),
		SolutionVersionArn: aws.String(env.UserPersonalizationSV),
		FilterArn:          aws.String(env.FilterARN),
		RoleArn:            aws.String(env.RoleARN),
		JobInput:           jobInput(env.S3URL(UserInputPrefix)),
		JobOutput:          jobOutput(env.OutputPrefix("harness")),
	})
	if err != nil {
		t.Fatalf("creating a job on the fixtures: %s", err)
	}
	if got := env.Calls("CreateBatchInferenceJob"); got != 1 {
		t.Errorf("Calls = %d, want 1", got)
	}
}

func jobInput(path string) *types.BatchInferenceJobInput {
	return &types.BatchInferenceJobInput{S3DataSource: &types.S3DataConfig{Path: aws.String(path)}}
}

func jobOutput(path string) *types.BatchInferenceJobOutput {
	return &types.BatchInferenceJobOutput{S3DataDestination: &types.S3DataConfig{Path: aws.String(path)}}
}
