package emulator

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
)

func (h *harness) listNames(in *personalize.ListBatchInferenceJobsInput) ([]string, *string) {
	h.t.Helper()
	out, err := h.client.ListBatchInferenceJobs(ctx, in)
	if err != nil {
		h.t.Fatalf("ListBatchInferenceJobs: %v", err)
	}
	var names []string
	for _, s := range out.BatchInferenceJobs {
		names = append(names, aws.ToString(s.JobName))
	}
	return names, out.NextToken
}

func TestEmulator_listPagesNewestFirst(t *testing.T) {
	h := newHarness(t, Config{MaxRunningJobs: 100, JobDuration: time.Hour})
	for i := 1; i <= 7; i++ {
		in := validCreate(fmt.Sprintf("job-%d", i))
		if i%3 == 0 {
			in.SolutionVersionArn = aws.String(fixtureRanking)
		}
		h.create(in)
		h.clock.Advance(time.Second)
	}

	var pages [][]string
	var token *string
	for {
		names, next := h.listNames(&personalize.ListBatchInferenceJobsInput{MaxResults: aws.Int32(3), NextToken: token})
		pages = append(pages, names)
		if next == nil {
			break
		}
		if len(pages) == 1 {
			h.create(validCreate("job-late")) // a create between pages shifts nothing
		}
		token = next
	}
	want := [][]string{{"job-7", "job-6", "job-5"}, {"job-4", "job-3", "job-2"}, {"job-1"}}
	if fmt.Sprint(pages) != fmt.Sprint(want) {
		t.Errorf("pages %v, want %v", pages, want)
	}

	// The SDK's paginator sees every job once, newest first.
	var all []string
	p := personalize.NewListBatchInferenceJobsPaginator(h.client, &personalize.ListBatchInferenceJobsInput{MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range out.BatchInferenceJobs {
			all = append(all, aws.ToString(s.JobName))
		}
	}
	if want := []string{"job-late", "job-7", "job-6", "job-5", "job-4", "job-3", "job-2", "job-1"}; !slices.Equal(all, want) {
		t.Errorf("paginator %v, want %v", all, want)
	}

	names, next := h.listNames(&personalize.ListBatchInferenceJobsInput{SolutionVersionArn: aws.String(fixtureRanking)})
	if !slices.Equal(names, []string{"job-6", "job-3"}) || next != nil {
		t.Errorf("filtered by solution version: %v %v", names, next)
	}
	names, _ = h.listNames(&personalize.ListBatchInferenceJobsInput{SolutionVersionArn: aws.String("arn:aws:personalize:us-east-1:123456789012:solution/none/1")})
	if len(names) != 0 {
		t.Errorf("unknown solution version lists %v", names)
	}
}

func TestEmulator_listSummaries(t *testing.T) {
	h := newHarness(t, Config{JobDuration: 4 * time.Second})
	created := h.clock.Now()
	h.create(validCreate("summary"))
	h.clock.Advance(time.Second + 500*time.Millisecond)
	out, err := h.client.ListBatchInferenceJobs(ctx, &personalize.ListBatchInferenceJobsInput{})
	if err != nil {
		t.Fatal(err)
	}
	s := out.BatchInferenceJobs[0]
	if aws.ToString(s.BatchInferenceJobArn) != jobARNPrefix+"summary" || aws.ToString(s.Status) != "IN PROGRESS" ||
		aws.ToString(s.SolutionVersionArn) != fixtureUP || s.BatchInferenceJobMode != "BATCH_INFERENCE" ||
		!s.CreationDateTime.Equal(created) || !s.LastUpdatedDateTime.Equal(created.Add(time.Second)) {
		t.Errorf("summary %+v", s)
	}
}

func TestEmulator_listDefaultsToHundred(t *testing.T) {
	h := newHarness(t, Config{MaxRunningJobs: 200})
	for i := range 101 {
		h.create(validCreate(fmt.Sprintf("n%03d", i)))
	}
	names, next := h.listNames(&personalize.ListBatchInferenceJobsInput{})
	if len(names) != 100 || next == nil || names[0] != "n100" {
		t.Fatalf("first page: %d jobs from %s, token %v", len(names), names[0], next)
	}
	names, next = h.listNames(&personalize.ListBatchInferenceJobsInput{NextToken: next})
	if !slices.Equal(names, []string{"n000"}) || next != nil {
		t.Errorf("second page: %v %v", names, next)
	}
}

func TestEmulator_listRejectsTokensItDidNotIssue(t *testing.T) {
	h := newHarness(t, Config{})
	for i := range 3 {
		h.create(validCreate(fmt.Sprintf("t%d", i)))
	}
	_, token := h.listNames(&personalize.ListBatchInferenceJobsInput{MaxResults: aws.Int32(1)})
	if token == nil {
		t.Fatal("no token")
	}
	for name, bad := range map[string]string{
		"made up":      "eyJhZnRlciI6Mn0",
		"tampered":     "X" + (*token)[1:],
		"other filter": *token,
	} {
		in := &personalize.ListBatchInferenceJobsInput{NextToken: aws.String(bad)}
		if name == "other filter" {
			in.SolutionVersionArn = aws.String(fixtureUP)
		}
		_, err := h.client.ListBatchInferenceJobs(ctx, in)
		wantAPIError(t, err, "InvalidNextTokenException", "nextToken")
	}
	// A token from another emulator is not one this emulator issued.
	other := newHarness(t, Config{})
	_, err := other.client.ListBatchInferenceJobs(ctx, &personalize.ListBatchInferenceJobsInput{NextToken: token})
	wantAPIError(t, err, "InvalidNextTokenException")
}
