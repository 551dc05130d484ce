package personalize_test

import (
	"errors"
	"fmt"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
	tfpersonalize "github.com/tfpersonalize/terraform-provider-personalize/internal/personalize"
)

const (
	listSV      = "arn:aws:personalize:us-east-1:123456789012:solution/demo-user-personalization/1a2b3c4d"
	listOtherSV = "arn:aws:personalize:us-east-1:123456789012:solution/demo-personalized-ranking/9c0d1e2f"
)

// clock is an emulator clock the test moves by hand, so that creation
// times (and ties between them) are chosen, not left to chance.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// newListEmulator serves an emulator on its own clock, with no quota in
// the way of creating many jobs at once.
func newListEmulator(t *testing.T) (*emulator.Emulator, *personalize.Client, *clock) {
	t.Helper()
	clk := &clock{now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	em, err := emulator.New(emulator.Config{MaxRunningJobs: 1000, JobDuration: time.Hour, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(em)
	t.Cleanup(func() {
		srv.Close()
		em.Close()
	})
	return em, personalize.New(personalize.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
	}), clk
}

func createListedJob(t *testing.T, conn *personalize.Client, name, sv string) {
	t.Helper()
	_, err := conn.CreateBatchInferenceJob(t.Context(), &personalize.CreateBatchInferenceJobInput{
		JobName:            aws.String(name),
		SolutionVersionArn: aws.String(sv),
		RoleArn:            aws.String("arn:aws:iam::123456789012:role/PersonalizeBatch"),
		JobInput:           &awstypes.BatchInferenceJobInput{S3DataSource: &awstypes.S3DataConfig{Path: aws.String("s3://bucket/input/")}},
		JobOutput:          &awstypes.BatchInferenceJobOutput{S3DataDestination: &awstypes.S3DataConfig{Path: aws.String("s3://bucket/output/" + name + "/")}},
	})
	if err != nil {
		t.Fatalf("creating job %s: %s", name, err)
	}
}

func summaryNames(jobs []tfpersonalize.JobSummary) []string {
	names := make([]string, len(jobs))
	for i, j := range jobs {
		names[i] = j.Name
	}
	return names
}

func TestListBatchInferenceJobSummaries_followsEveryPage(t *testing.T) {
	t.Parallel()
	em, conn, clk := newListEmulator(t)
	start := clk.Now()
	var want, wantOther []string
	for i := range 250 {
		clk.Set(start.Add(time.Duration(i) * time.Second))
		name, sv := fmt.Sprintf("paged-%03d", i), listSV
		if i%5 == 0 {
			sv = listOtherSV
			wantOther = append(wantOther, name)
		}
		createListedJob(t, conn, name, sv)
		want = append(want, name)
	}
	ctx := t.Context()

	before := em.Stats().Calls["ListBatchInferenceJobs"]
	jobs, err := tfpersonalize.ListBatchInferenceJobSummaries(ctx, conn, tfpersonalize.JobFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if got := summaryNames(jobs); !slices.Equal(got, want) {
		t.Errorf("listed %d jobs %v…, want all %d oldest first", len(got), got[:min(5, len(got))], len(want))
	}
	if calls := em.Stats().Calls["ListBatchInferenceJobs"] - before; calls != 3 {
		t.Errorf("listing 250 jobs took %d calls, want 3 pages of at most 100", calls)
	}

	jobs, err = tfpersonalize.ListBatchInferenceJobSummaries(ctx, conn, tfpersonalize.JobFilter{ParentARN: listOtherSV})
	if err != nil {
		t.Fatal(err)
	}
	if got := summaryNames(jobs); !slices.Equal(got, wantOther) {
		t.Errorf("jobs of %s: got %v, want %v", listOtherSV, got, wantOther)
	}

	jobs, err = tfpersonalize.ListBatchInferenceJobSummaries(ctx, conn, tfpersonalize.JobFilter{
		ParentARN: listOtherSV, NameRegex: regexp.MustCompile(`-1[0-4][0-9]$`),
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := summaryNames(jobs), []string{"paged-100", "paged-105", "paged-110", "paged-115", "paged-120", "paged-125", "paged-130", "paged-135", "paged-140", "paged-145"}; !slices.Equal(got, want) {
		t.Errorf("name_regex and solution version together: got %v, want %v", got, want)
	}
}

func TestListBatchInferenceJobSummaries_ordersByCreationThenName(t *testing.T) {
	t.Parallel()
	_, conn, clk := newListEmulator(t)
	t0 := clk.Now()
	for _, j := range []struct {
		name string
		at   time.Duration
	}{
		{"zeta", 0}, {"beta", 2 * time.Second}, {"alpha", 2 * time.Second}, {"gamma", time.Second}, {"delta", 2 * time.Second},
	} {
		clk.Set(t0.Add(j.at))
		createListedJob(t, conn, j.name, listSV)
	}
	jobs, err := tfpersonalize.ListBatchInferenceJobSummaries(t.Context(), conn, tfpersonalize.JobFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := summaryNames(jobs), []string{"zeta", "gamma", "alpha", "beta", "delta"}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v (creation time, then name)", got, want)
	}
}

func TestListBatchInferenceJobSummaries_reportsServiceError(t *testing.T) {
	t.Parallel()
	_, conn, _ := newListEmulator(t)
	_, err := tfpersonalize.ListBatchInferenceJobSummaries(t.Context(), conn, tfpersonalize.JobFilter{ParentARN: "not-an-arn"})
	if err == nil {
		t.Fatal("listing with an invalid solution version ARN succeeded")
	}
	var invalid *awstypes.InvalidInputException
	if !errors.As(err, &invalid) {
		t.Errorf("error %q is not the service's InvalidInputException", err)
	}
	if want := "(solution_version_arn not-an-arn)"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not name the filter %s", err, want)
	}
}

func TestBatchInferenceJobFilter_Match(t *testing.T) {
	job := awstypes.BatchInferenceJobSummary{
		JobName:            aws.String("weekly-recs-7"),
		SolutionVersionArn: aws.String(listSV),
		Status:             aws.String("IN PROGRESS"),
	}
	themed := job
	themed.BatchInferenceJobMode = awstypes.BatchInferenceJobModeThemeGeneration
	for _, tc := range []struct {
		name   string
		filter tfpersonalize.JobFilter
		job    awstypes.BatchInferenceJobSummary
		want   bool
	}{
		{"zero filter", tfpersonalize.JobFilter{}, job, true},
		{"solution version", tfpersonalize.JobFilter{ParentARN: listSV}, job, true},
		{"other solution version", tfpersonalize.JobFilter{ParentARN: listOtherSV}, job, false},
		{"exact name", tfpersonalize.JobFilter{Name: "weekly-recs-7"}, job, true},
		{"name prefix is not the name", tfpersonalize.JobFilter{Name: "weekly-recs"}, job, false},
		{"status spelled as the service does", tfpersonalize.JobFilter{Status: "IN PROGRESS"}, job, true},
		{"other status", tfpersonalize.JobFilter{Status: "ACTIVE"}, job, false},
		{"no mode reported counts as batch inference", tfpersonalize.JobFilter{Mode: "BATCH_INFERENCE"}, job, true},
		{"no mode reported is not theme generation", tfpersonalize.JobFilter{Mode: "THEME_GENERATION"}, job, false},
		{"theme generation", tfpersonalize.JobFilter{Mode: "THEME_GENERATION"}, themed, true},
		{"regex anywhere in the name", tfpersonalize.JobFilter{NameRegex: regexp.MustCompile(`recs-\d`)}, job, true},
		{"anchored regex", tfpersonalize.JobFilter{NameRegex: regexp.MustCompile(`^recs`)}, job, false},
		{"every field must match", tfpersonalize.JobFilter{Status: "IN PROGRESS", Mode: "THEME_GENERATION"}, job, false},
	} {
		if got := tc.filter.Match(tfpersonalize.BatchInferenceJobSummary(tc.job)); got != tc.want {
			t.Errorf("%s: Match = %v, want %v", tc.name, got, tc.want)
		}
	}
}
