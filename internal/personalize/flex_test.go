package personalize

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func fullJob() *awstypes.BatchInferenceJob {
	created := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	return &awstypes.BatchInferenceJob{
		BatchInferenceJobArn: aws.String("arn:aws:personalize:us-east-1:123456789012:batch-inference-job/weekly"),
		JobName:              aws.String("weekly"),
		SolutionVersionArn:   aws.String("arn:aws:personalize:us-east-1:123456789012:solution/demo/1a2b3c4d"),
		RoleArn:              aws.String("arn:aws:iam::123456789012:role/Batch"),
		FilterArn:            aws.String("arn:aws:personalize:us-east-1:123456789012:filter/demo-filter"),
		NumResults:           aws.Int32(50),
		JobInput: &awstypes.BatchInferenceJobInput{S3DataSource: &awstypes.S3DataConfig{
			Path: aws.String("s3://bucket/in/"), KmsKeyArn: aws.String("arn:aws:kms:us-east-1:123456789012:key/abc"),
		}},
		JobOutput: &awstypes.BatchInferenceJobOutput{S3DataDestination: &awstypes.S3DataConfig{Path: aws.String("s3://bucket/out/")}},
		BatchInferenceJobConfig: &awstypes.BatchInferenceJobConfig{
			ItemExplorationConfig: map[string]string{"explorationWeight": "0.5"},
			RankingInfluence:      map[string]float64{"POPULARITY": 0.25},
		},
		BatchInferenceJobMode: awstypes.BatchInferenceJobModeThemeGeneration,
		ThemeGenerationConfig: &awstypes.ThemeGenerationConfig{FieldsForThemeGeneration: &awstypes.FieldsForThemeGeneration{ItemName: aws.String("TITLE")}},
		Status:                aws.String("ACTIVE"),
		CreationDateTime:      &created,
		LastUpdatedDateTime:   aws.Time(created.Add(90 * time.Second)),
	}
}

// A job flattened and expanded again must ask for exactly the same job: this
// is what import and the adoption of a lost create rely on.
func TestFlattenExpandRoundTrip(t *testing.T) {
	ctx := context.Background()
	job := fullJob()
	var m batchInferenceJobAttributes
	if d := m.Flatten(ctx, job); d.HasError() {
		t.Fatal(d)
	}
	in, d := m.expand(ctx)
	if d.HasError() {
		t.Fatal(d)
	}
	want := &awstypes.BatchInferenceJob{
		JobName: job.JobName, SolutionVersionArn: job.SolutionVersionArn, RoleArn: job.RoleArn, FilterArn: job.FilterArn,
		NumResults: job.NumResults, JobInput: job.JobInput, JobOutput: job.JobOutput, BatchInferenceJobConfig: job.BatchInferenceJobConfig,
		BatchInferenceJobMode: job.BatchInferenceJobMode, ThemeGenerationConfig: job.ThemeGenerationConfig,
	}
	got := &awstypes.BatchInferenceJob{
		JobName: in.JobName, SolutionVersionArn: in.SolutionVersionArn, RoleArn: in.RoleArn, FilterArn: in.FilterArn,
		NumResults: in.NumResults, JobInput: in.JobInput, JobOutput: in.JobOutput, BatchInferenceJobConfig: in.BatchInferenceJobConfig,
		BatchInferenceJobMode: in.BatchInferenceJobMode, ThemeGenerationConfig: in.ThemeGenerationConfig,
	}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(awstypes.BatchInferenceJob{}, awstypes.BatchInferenceJobInput{},
		awstypes.BatchInferenceJobOutput{}, awstypes.S3DataConfig{}, awstypes.BatchInferenceJobConfig{}, awstypes.ThemeGenerationConfig{},
		awstypes.FieldsForThemeGeneration{})); diff != "" {
		t.Errorf("expand(flatten(job)) differs (-want +got):\n%s", diff)
	}
	if diffs := batchInferenceJobKind.differences(in, job); len(diffs) != 0 {
		t.Errorf("a job compared with its own arguments reports differences: %v", diffs)
	}

	if got, want := m.CreationDateTime.ValueString(), "2024-05-01T10:00:00Z"; got != want {
		t.Errorf("creation_date_time = %q, want %q", got, want)
	}
	if got, want := m.LastUpdatedDateTime.ValueString(), "2024-05-01T10:01:30Z"; got != want {
		t.Errorf("last_updated_date_time = %q, want %q", got, want)
	}
	if m.Status.ValueString() != "ACTIVE" || m.NumResults.ValueInt64() != 50 {
		t.Errorf("status/num_results = %s/%d", m.Status, m.NumResults.ValueInt64())
	}
}

func TestFlattenMinimalJob(t *testing.T) {
	ctx := context.Background()
	job := fullJob()
	job.FilterArn, job.NumResults, job.BatchInferenceJobConfig, job.ThemeGenerationConfig = nil, nil, &awstypes.BatchInferenceJobConfig{}, nil
	job.BatchInferenceJobMode = ""
	job.JobInput.S3DataSource.KmsKeyArn = nil
	var m batchInferenceJobAttributes
	if d := m.Flatten(ctx, job); d.HasError() {
		t.Fatal(d)
	}
	if !m.FilterARN.IsNull() || !m.NumResults.IsNull() || !m.BatchInferenceJobConfig.IsNull() || !m.ThemeGenerationConfig.IsNull() {
		t.Errorf("absent members must flatten to null: filter %v, num_results %v, config %v, theme %v", m.FilterARN, m.NumResults, m.BatchInferenceJobConfig, m.ThemeGenerationConfig)
	}
	if m.BatchInferenceJobMode.ValueString() != jobModeBatchInference {
		t.Errorf("a job without a mode flattens to %q, want BATCH_INFERENCE", m.BatchInferenceJobMode)
	}
	in, _ := m.expand(ctx)
	if in.FilterArn != nil || in.NumResults != nil || in.BatchInferenceJobConfig != nil || in.ThemeGenerationConfig != nil || in.JobInput.S3DataSource.KmsKeyArn != nil {
		t.Errorf("null arguments must be left out of the request: %+v", in)
	}
}

func TestJobArgumentDifferencesNamesAttributes(t *testing.T) {
	ctx := context.Background()
	var m batchInferenceJobAttributes
	m.Flatten(ctx, fullJob())
	in, _ := m.expand(ctx)
	other := fullJob()
	other.RoleArn = aws.String("arn:aws:iam::123456789012:role/Other")
	other.JobOutput.S3DataDestination.Path = aws.String("s3://bucket/elsewhere/")
	other.NumResults = aws.Int32(10)
	diffs := batchInferenceJobKind.differences(in, other)
	joined := strings.Join(diffs, "\n")
	for _, name := range []string{"role_arn", "job_output.s3_data_destination.path", "num_results"} {
		if !strings.Contains(joined, name) {
			t.Errorf("differences %q do not name %s", joined, name)
		}
	}
	if len(diffs) != 3 {
		t.Errorf("got %d differences, want 3: %v", len(diffs), diffs)
	}
}
