package emulator

import (
	"net/http"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	"github.com/aws/aws-sdk-go-v2/service/personalize/types"
)

const (
	solutionUP         = "arn:aws:personalize:us-east-1:123456789012:solution/demo-user-personalization"
	fixtureUPOlder     = solutionUP + "/0a9b8c7d"
	fixtureUPFailed    = solutionUP + "/2e3f4a5b"
	fixtureAffinity    = "arn:aws:personalize:us-east-1:123456789012:solution/demo-item-affinity/3c4d5e6f"
	fixtureAttrAffnity = "arn:aws:personalize:us-east-1:123456789012:solution/demo-item-attribute-affinity/7a8b9c0d"
)

func (h *harness) describeVersion(arn string) *types.SolutionVersion {
	h.t.Helper()
	out, err := h.client.DescribeSolutionVersion(ctx, &personalize.DescribeSolutionVersionInput{SolutionVersionArn: aws.String(arn)})
	if err != nil {
		h.t.Fatalf("DescribeSolutionVersion %s: %v", arn, err)
	}
	return out.SolutionVersion
}

// listVersions pages through ListSolutionVersions with the SDK's paginator.
func (h *harness) listVersions(solution string, pageSize int32) []types.SolutionVersionSummary {
	h.t.Helper()
	in := &personalize.ListSolutionVersionsInput{MaxResults: aws.Int32(pageSize)}
	if solution != "" {
		in.SolutionArn = aws.String(solution)
	}
	var all []types.SolutionVersionSummary
	p := personalize.NewListSolutionVersionsPaginator(h.client, in)
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			h.t.Fatalf("ListSolutionVersions: %v", err)
		}
		if len(out.SolutionVersions) > int(pageSize) {
			h.t.Fatalf("page of %d versions, asked for %d", len(out.SolutionVersions), pageSize)
		}
		all = append(all, out.SolutionVersions...)
	}
	return all
}

func TestEmulator_describeSolutionVersion(t *testing.T) {
	h := newHarness(t, Config{})
	sv := h.describeVersion(fixtureUP)
	if aws.ToString(sv.Status) != "ACTIVE" || aws.ToString(sv.SolutionArn) != solutionUP ||
		aws.ToString(sv.RecipeArn) != "arn:aws:personalize:::recipe/aws-user-personalization" ||
		sv.TrainingMode != types.TrainingModeFull || sv.TrainingType != types.TrainingTypeManual ||
		sv.CreationDateTime == nil || !sv.LastUpdatedDateTime.After(*sv.CreationDateTime) ||
		sv.TrainingHours == nil || *sv.TrainingHours <= 0 || aws.ToString(sv.FailureReason) != "" {
		t.Errorf("ACTIVE fixture: %+v", sv)
	}
	failed := h.describeVersion(fixtureUPFailed)
	if aws.ToString(failed.Status) != "CREATE FAILED" || aws.ToString(failed.FailureReason) == "" || failed.TrainingHours != nil {
		t.Errorf("failed fixture: %+v", failed)
	}
	for arn, recipe := range map[string]string{fixtureAffinity: "aws-item-affinity", fixtureAttrAffnity: "aws-item-attribute-affinity", fixtureSIMS: "aws-similar-items"} {
		if got := aws.ToString(h.describeVersion(arn).RecipeArn); got != recipeARN(recipe) {
			t.Errorf("%s: recipe %s, want %s", arn, got, recipeARN(recipe))
		}
	}

	_, err := h.client.DescribeSolutionVersion(ctx, &personalize.DescribeSolutionVersionInput{SolutionVersionArn: aws.String(solutionUP + "/ffffffff")})
	wantAPIError(t, err, "ResourceNotFoundException", solutionUP+"/ffffffff")
	_, err = h.client.DescribeSolutionVersion(ctx, &personalize.DescribeSolutionVersionInput{SolutionVersionArn: aws.String("solution/x")})
	wantAPIError(t, err, "InvalidInputException", "'solutionVersionArn'")
}

func TestEmulator_listSolutionVersionsNewestFirst(t *testing.T) {
	h := newHarness(t, Config{})
	var arns []string
	var statuses []string
	for _, s := range h.listVersions(solutionUP, 1) {
		arns = append(arns, aws.ToString(s.SolutionVersionArn))
		statuses = append(statuses, aws.ToString(s.Status))
	}
	if want := []string{fixtureUPFailed, fixtureUP, fixtureUPOlder}; !slices.Equal(arns, want) {
		t.Fatalf("versions of %s: %v, want %v", solutionUP, arns, want)
	}
	if want := []string{"CREATE FAILED", "ACTIVE", "ACTIVE"}; !slices.Equal(statuses, want) {
		t.Errorf("statuses %v, want %v", statuses, want)
	}

	// The newest version is not the newest ACTIVE one.
	var latestActive string
	for _, s := range h.listVersions(solutionUP, 100) {
		if aws.ToString(s.Status) == "ACTIVE" {
			latestActive = aws.ToString(s.SolutionVersionArn)
			break
		}
	}
	if latestActive != fixtureUP {
		t.Errorf("latest ACTIVE version %s, want %s", latestActive, fixtureUP)
	}

	all := h.listVersions("", 3)
	if len(all) != 7 {
		t.Fatalf("all versions: %d, want the 7 fixtures", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i].CreationDateTime.After(*all[i-1].CreationDateTime) {
			t.Errorf("not newest first at %d: %s after %s", i, all[i].CreationDateTime, all[i-1].CreationDateTime)
		}
	}
	if s := all[0]; s.TrainingMode != types.TrainingModeFull || s.TrainingType != types.TrainingTypeManual || aws.ToString(s.FailureReason) == "" {
		t.Errorf("summary of the failed version: %+v", s)
	}
}

func TestEmulator_listSolutionVersionsErrors(t *testing.T) {
	h := newHarness(t, Config{})
	_, err := h.client.ListSolutionVersions(ctx, &personalize.ListSolutionVersionsInput{SolutionArn: aws.String("arn:aws:personalize:us-east-1:123456789012:solution/nothing")})
	wantAPIError(t, err, "ResourceNotFoundException", "solution/nothing")
	_, err = h.client.ListSolutionVersions(ctx, &personalize.ListSolutionVersionsInput{MaxResults: aws.Int32(101)})
	wantAPIError(t, err, "InvalidInputException", "'maxResults'", "less than or equal to 100")
	_, err = h.client.ListSolutionVersions(ctx, &personalize.ListSolutionVersionsInput{NextToken: aws.String("made.up")})
	wantAPIError(t, err, "InvalidNextTokenException")

	first, err := h.client.ListSolutionVersions(ctx, &personalize.ListSolutionVersionsInput{MaxResults: aws.Int32(1)})
	if err != nil || first.NextToken == nil {
		t.Fatalf("first page: %v %v", first, err)
	}
	// A token is only good for the listing it came from.
	_, err = h.client.ListSolutionVersions(ctx, &personalize.ListSolutionVersionsInput{NextToken: first.NextToken, SolutionArn: aws.String(solutionUP)})
	wantAPIError(t, err, "InvalidNextTokenException")
	_, err = h.client.ListBatchInferenceJobs(ctx, &personalize.ListBatchInferenceJobsInput{NextToken: first.NextToken})
	wantAPIError(t, err, "InvalidNextTokenException")
}

func TestControl_solutionVersionStatusAndDate(t *testing.T) {
	h := newHarness(t, Config{})
	training := solutionUP + "/9f8e7d6c"
	created := time.Date(2025, 5, 1, 8, 0, 0, 0, time.UTC)
	var out map[string]any
	if code := h.control("POST", "solution-versions", map[string]any{
		"arn": training, "recipe": "aws-user-personalization", "status": "CREATE IN_PROGRESS", "creation_date_time": created.Format(time.RFC3339),
	}, &out); code != http.StatusOK || out["status"] != "CREATE IN_PROGRESS" {
		t.Fatalf("POST solution-versions: %d %v", code, out)
	}
	sv := h.describeVersion(training)
	if aws.ToString(sv.Status) != "CREATE IN_PROGRESS" || !sv.CreationDateTime.Equal(created) {
		t.Errorf("added version: %s created %s", aws.ToString(sv.Status), sv.CreationDateTime)
	}
	if got := aws.ToString(h.listVersions(solutionUP, 10)[0].SolutionVersionArn); got != training {
		t.Errorf("newest version %s, want the added one", got)
	}

	in := validCreate("on-training")
	in.SolutionVersionArn = aws.String(training)
	_, err := h.client.CreateBatchInferenceJob(ctx, in)
	wantAPIError(t, err, "ResourceInUseException", "CREATE IN_PROGRESS")

	in.SolutionVersionArn = aws.String(fixtureUPFailed)
	_, err = h.client.CreateBatchInferenceJob(ctx, in)
	wantAPIError(t, err, "InvalidInputException", "CREATE FAILED")

	// Training finishes: the same ARN posted again as ACTIVE.
	if code := h.control("POST", "solution-versions", map[string]any{"arn": training, "recipe": "aws-user-personalization", "status": "ACTIVE", "creation_date_time": created.Format(time.RFC3339)}, &out); code != http.StatusOK {
		t.Fatalf("POST ACTIVE: %d %v", code, out)
	}
	in.SolutionVersionArn = aws.String(training)
	h.create(in)

	for _, bad := range []map[string]any{
		{"arn": training, "recipe": "aws-sims", "status": "DONE"},
		{"arn": training, "recipe": "aws-sims", "failure_reason": "x"},
		{"arn": training, "recipe": "aws-sims", "creation_date_time": "yesterday"},
	} {
		var e map[string]string
		if code := h.control("POST", "solution-versions", bad, &e); code != http.StatusBadRequest || e["error"] == "" {
			t.Errorf("POST %v: %d %v", bad, code, e)
		}
	}
}

func TestEmulator_addedSolutionVersionsSurviveRestart(t *testing.T) {
	stateFile := filepath.Join(t.TempDir(), "state.json")
	clock := newFakeClock()
	h := newHarness(t, Config{StateFile: stateFile, Now: clock.Now})
	added := solutionUP + "/77777777"
	if err := h.em.PutSolutionVersion(SolutionVersionSpec{Arn: added, Recipe: "aws-user-personalization", Status: "CREATE FAILED", FailureReason: "out of data"}); err != nil {
		t.Fatal(err)
	}
	h.srv.Close()
	if err := h.em.Close(); err != nil {
		t.Fatal(err)
	}
	again := newHarness(t, Config{StateFile: stateFile, Now: clock.Now})
	sv := again.describeVersion(added)
	if aws.ToString(sv.Status) != "CREATE FAILED" || aws.ToString(sv.FailureReason) != "out of data" || !sv.CreationDateTime.Equal(clock.Now()) {
		t.Errorf("after restart: %+v", sv)
	}
}

func TestEmulator_readsSolutionVersionsOfOlderStateFiles(t *testing.T) {
	stateFile := filepath.Join(t.TempDir(), "state.json")
	legacy := `{"version":1,"nextSeq":0,"jobs":[],"tags":{},"tokenKey":"MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",` +
		`"solutionVersions":{"arn:aws:personalize:us-east-1:123456789012:solution/old/1":"aws-similar-items"}}`
	writeFile(t, stateFile, legacy)
	h := newHarness(t, Config{StateFile: stateFile})
	sv := h.describeVersion("arn:aws:personalize:us-east-1:123456789012:solution/old/1")
	if aws.ToString(sv.Status) != "ACTIVE" || aws.ToString(sv.RecipeArn) != recipeARN("aws-similar-items") {
		t.Errorf("a version from an older state file: %+v", sv)
	}
	in := validCreate("on-old")
	in.SolutionVersionArn = sv.SolutionVersionArn
	h.create(in)
}
