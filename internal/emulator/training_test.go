package emulator

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	"github.com/aws/aws-sdk-go-v2/service/personalize/types"
)

func (h *harness) train(in *personalize.CreateSolutionVersionInput) string {
	h.t.Helper()
	out, err := h.client.CreateSolutionVersion(ctx, in)
	if err != nil {
		h.t.Fatalf("CreateSolutionVersion %s: %v", aws.ToString(in.SolutionArn), err)
	}
	return aws.ToString(out.SolutionVersionArn)
}

func (h *harness) stopTraining(arn string) error {
	_, err := h.client.StopSolutionVersionCreation(ctx, &personalize.StopSolutionVersionCreationInput{SolutionVersionArn: aws.String(arn)})
	return err
}

func (h *harness) metrics(arn string) (map[string]float64, error) {
	out, err := h.client.GetSolutionMetrics(ctx, &personalize.GetSolutionMetricsInput{SolutionVersionArn: aws.String(arn)})
	if err != nil {
		return nil, err
	}
	return out.Metrics, nil
}

var versionID = regexp.MustCompile(`^[0-9a-f]{8}$`)

func TestEmulator_solutionVersionTraining(t *testing.T) {
	h := newHarness(t, Config{TrainingDuration: 4 * time.Hour})
	start := h.clock.Now()
	arn := h.train(&personalize.CreateSolutionVersionInput{SolutionArn: aws.String(solutionUP), Name: aws.String("weekly"), Tags: tagsFrom("run", "1")})
	id, ok := strings.CutPrefix(arn, solutionUP+"/")
	if !ok || !versionID.MatchString(id) {
		t.Fatalf("version ARN %s: want %s/<8 hex digits>", arn, solutionUP)
	}
	sv := h.describeVersion(arn)
	if aws.ToString(sv.Status) != "CREATE PENDING" || aws.ToString(sv.Name) != "weekly" || sv.TrainingMode != types.TrainingModeFull ||
		sv.TrainingType != types.TrainingTypeManual || aws.ToString(sv.RecipeArn) != recipeARN("aws-user-personalization") ||
		aws.ToString(sv.SolutionArn) != solutionUP || aws.ToString(sv.DatasetGroupArn) != fixtureGroup ||
		!sv.CreationDateTime.Equal(start) || sv.TrainingHours != nil {
		t.Fatalf("just created: %+v", sv)
	}
	// While it trains, batch jobs cannot run on it and it has no metrics.
	h.clock.Advance(time.Hour)
	if sv := h.describeVersion(arn); aws.ToString(sv.Status) != "CREATE IN_PROGRESS" || !sv.LastUpdatedDateTime.Equal(start.Add(time.Hour)) {
		t.Fatalf("after an hour: %s updated %s", aws.ToString(sv.Status), sv.LastUpdatedDateTime)
	}
	in := validCreate("on-training")
	in.SolutionVersionArn = aws.String(arn)
	_, err := h.client.CreateBatchInferenceJob(ctx, in)
	wantAPIError(t, err, "ResourceInUseException", "CREATE IN_PROGRESS")
	_, err = h.metrics(arn)
	wantAPIError(t, err, "ResourceInUseException", arn)
	_, err = h.client.CreateSolutionVersion(ctx, &personalize.CreateSolutionVersionInput{SolutionArn: aws.String(solutionUP)})
	wantAPIError(t, err, "ResourceInUseException", arn, "one version at a time")

	h.clock.Advance(3 * time.Hour)
	sv = h.describeVersion(arn)
	if aws.ToString(sv.Status) != "ACTIVE" || aws.ToFloat64(sv.TrainingHours) != 4 || !sv.LastUpdatedDateTime.Equal(start.Add(4*time.Hour)) {
		t.Fatalf("trained: %s, %v hours", aws.ToString(sv.Status), aws.ToFloat64(sv.TrainingHours))
	}
	// It is now the solution's newest ACTIVE version, which batch jobs accept
	// and a lookup of the latest ACTIVE version finds first.
	versions := h.listVersions(solutionUP, 2)
	if len(versions) != 4 || aws.ToString(versions[0].SolutionVersionArn) != arn || aws.ToString(versions[0].Status) != "ACTIVE" || versions[0].TrainingMode != types.TrainingModeFull {
		t.Errorf("ListSolutionVersions: newest %+v of %d", versions[0], len(versions))
	}
	if j := h.describe(h.create(in)); aws.ToString(j.SolutionVersionArn) != arn {
		t.Errorf("batch job on the trained version: %+v", j)
	}
	if got := h.tagsOf(arn); got != "run=1 " {
		t.Errorf("tags: %q", got)
	}
	if st := h.em.Stats(); st.TrainedSolutionVersions != 1 || st.Calls["CreateSolutionVersion"] != 2 {
		t.Errorf("stats: %+v", st)
	}

	// The recipe rules of its solution apply: an Item-Affinity version runs
	// batch segment jobs only.
	affinity := h.train(&personalize.CreateSolutionVersionInput{SolutionArn: aws.String(solutionARN(fixtureAffinity))})
	h.clock.Advance(4 * time.Hour)
	in = validCreate("affinity-inference")
	in.SolutionVersionArn = aws.String(affinity)
	_, err = h.client.CreateBatchInferenceJob(ctx, in)
	wantAPIError(t, err, "InvalidInputException", "USER_SEGMENTATION")
	seg := validSegment("affinity-segments")
	seg.SolutionVersionArn = aws.String(affinity)
	h.createSegment(seg)
}

func TestEmulator_solutionVersionTrainingModes(t *testing.T) {
	h := newHarness(t, Config{})
	for _, c := range []struct {
		name, solution string
		mode           types.TrainingMode
		code           string
		wants          []string
	}{
		{"unknown solution", solutionUP + "-gone", "", "ResourceNotFoundException", []string{"solutionArn", solutionUP + "-gone"}},
		{"enum", solutionUP, "PARTIAL", "InvalidInputException", []string{"Value 'PARTIAL' at 'trainingMode'", "[FULL, UPDATE, AUTOTRAIN]"}},
		{"update needs User-Personalization", solutionARN(fixtureSIMS), types.TrainingModeUpdate, "InvalidInputException", []string{"trainingMode UPDATE", "aws-similar-items", "use trainingMode FULL"}},
		{"autotrain is the service's", solutionUP, types.TrainingModeAutotrain, "InvalidInputException", []string{"AUTOTRAIN"}},
		{"a version ARN is no solution", fixtureUP, "", "ResourceNotFoundException", []string{"solutionArn"}},
	} {
		_, err := h.client.CreateSolutionVersion(ctx, &personalize.CreateSolutionVersionInput{SolutionArn: aws.String(c.solution), TrainingMode: c.mode})
		t.Run(c.name, func(t *testing.T) { wantAPIError(t, err, c.code, c.wants...) })
	}
	_, err := h.client.CreateSolutionVersion(ctx, &personalize.CreateSolutionVersionInput{SolutionArn: aws.String(solutionUP), Name: aws.String("no spaces allowed")})
	wantAPIError(t, err, "InvalidInputException", "'name'")

	// UPDATE builds on an ACTIVE version trained with FULL, which the
	// User-Personalization fixture has.
	arn := h.train(&personalize.CreateSolutionVersionInput{SolutionArn: aws.String(solutionUP), TrainingMode: types.TrainingModeUpdate})
	h.clock.Advance(time.Minute)
	if sv := h.describeVersion(arn); sv.TrainingMode != types.TrainingModeUpdate || aws.ToString(sv.Status) != "ACTIVE" {
		t.Errorf("UPDATE version: %+v", sv)
	}
	// A solution whose versions all failed has nothing to update.
	failedOnly := "arn:aws:personalize:us-east-1:123456789012:solution/failed-only"
	if err := h.em.PutSolutionVersion(SolutionVersionSpec{Arn: failedOnly + "/1", Recipe: "aws-user-personalization", Status: "CREATE FAILED"}); err != nil {
		t.Fatal(err)
	}
	_, err = h.client.CreateSolutionVersion(ctx, &personalize.CreateSolutionVersionInput{SolutionArn: aws.String(failedOnly), TrainingMode: types.TrainingModeUpdate})
	wantAPIError(t, err, "InvalidInputException", "no ACTIVE version trained with FULL")
}

func TestEmulator_stopSolutionVersionCreation(t *testing.T) {
	h := newHarness(t, Config{TrainingDuration: 100 * time.Minute})
	pending := h.train(&personalize.CreateSolutionVersionInput{SolutionArn: aws.String(solutionUP)})
	if err := h.stopTraining(pending); err != nil {
		t.Fatal(err)
	}
	if sv := h.describeVersion(pending); aws.ToString(sv.Status) != "CREATE STOPPED" {
		t.Fatalf("a pending version stops at once: %s", aws.ToString(sv.Status))
	}
	wantAPIError(t, h.stopTraining(pending), "InvalidInputException", "CREATE STOPPED", "CREATE PENDING or CREATE IN_PROGRESS")

	running := h.train(&personalize.CreateSolutionVersionInput{SolutionArn: aws.String(solutionUP)})
	h.clock.Advance(30 * time.Minute)
	if err := h.stopTraining(running); err != nil {
		t.Fatal(err)
	}
	if sv := h.describeVersion(running); aws.ToString(sv.Status) != "CREATE STOPPING" {
		t.Fatalf("a training version stops in a while: %s", aws.ToString(sv.Status))
	}
	wantAPIError(t, h.stopTraining(running), "ResourceInUseException", "CREATE STOPPING")
	h.clock.Advance(10 * time.Minute)
	if sv := h.describeVersion(running); aws.ToString(sv.Status) != "CREATE STOPPED" || !sv.LastUpdatedDateTime.Equal(h.clock.Now()) {
		t.Fatalf("ten minutes later: %s updated %s", aws.ToString(sv.Status), sv.LastUpdatedDateTime)
	}
	h.clock.Advance(time.Hour) // past where training would have ended: stopped stays stopped
	if sv := h.describeVersion(running); aws.ToString(sv.Status) != "CREATE STOPPED" {
		t.Fatalf("a stopped version: %s", aws.ToString(sv.Status))
	}
	_, err := h.metrics(running)
	wantAPIError(t, err, "InvalidInputException", "CREATE STOPPED")
	wantAPIError(t, h.stopTraining(fixtureUP), "InvalidInputException", "ACTIVE")
	wantAPIError(t, h.stopTraining(solutionUP+"/ffffffff"), "ResourceNotFoundException", "solutionVersionArn")
	// A stopped training frees the solution for the next one.
	h.train(&personalize.CreateSolutionVersionInput{SolutionArn: aws.String(solutionUP)})
}

func TestEmulator_getSolutionMetrics(t *testing.T) {
	h := newHarness(t, Config{})
	m, err := h.metrics(fixtureUP)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range metricNames {
		if v, ok := m[name]; !ok || v < 0 || v > 1 {
			t.Errorf("%s = %v (present %v), want a value in [0, 1]", name, v, ok)
		}
	}
	if len(m) != len(metricNames) {
		t.Errorf("metrics %v", m)
	}
	ndcg := func(k string) float64 { return m["normalized_discounted_cumulative_gain_at_"+k] }
	precision := func(k string) float64 { return m["precision_at_"+k] }
	if ndcg("5") > ndcg("10") || ndcg("10") > ndcg("25") || precision("5") < precision("10") || precision("10") < precision("25") {
		t.Errorf("NDCG should grow with k and precision fall with k: %v", m)
	}
	again, _ := h.metrics(fixtureUP)
	other, _ := h.metrics(fixtureUPOlder)
	if ndcg("10") != again["normalized_discounted_cumulative_gain_at_10"] || other["normalized_discounted_cumulative_gain_at_10"] == ndcg("10") {
		t.Errorf("metrics are stable per version and differ between versions: %v %v %v", m, again, other)
	}
	_, err = h.metrics(fixtureUPFailed)
	wantAPIError(t, err, "InvalidInputException", "CREATE FAILED")
	_, err = h.metrics(solutionUP + "/00000000")
	wantAPIError(t, err, "ResourceNotFoundException")
}

// "Total number of pending or in progress solution versions: 20 (adjustable)"
// per region (developer guide, endpoints and quotas).
func TestEmulator_solutionVersionTrainingQuota(t *testing.T) {
	h := newHarness(t, Config{TrainingDuration: time.Hour})
	var settings map[string]int
	h.control("GET", "settings", nil, &settings)
	if settings["max_running_trainings"] != 20 || settings["training_duration_ms"] != 3_600_000 {
		t.Fatalf("settings: %v", settings)
	}
	h.control("POST", "settings", map[string]int{"max_running_trainings": 2}, nil)
	h.train(&personalize.CreateSolutionVersionInput{SolutionArn: aws.String(solutionUP)})
	h.train(&personalize.CreateSolutionVersionInput{SolutionArn: aws.String(solutionARN(fixtureSIMS))})
	_, err := h.client.CreateSolutionVersion(ctx, &personalize.CreateSolutionVersionInput{SolutionArn: aws.String(solutionARN(fixtureRanking))})
	wantAPIError(t, err, "LimitExceededException", "At most 2 solution versions")
	h.clock.Advance(time.Hour)
	h.train(&personalize.CreateSolutionVersionInput{SolutionArn: aws.String(solutionARN(fixtureRanking))})
}

// Injected faults reach the new operations as they reach batch jobs: a
// create whose answer is lost made its resource all the same.
func TestEmulator_faultsReachImportsAndTraining(t *testing.T) {
	h := newHarness(t, Config{})
	h.em.SetFaults(Faults{DropCreateResponseRate: 1})
	_, err := h.client.CreateDatasetImportJob(ctx, importInput("lost-answer", fixtureInteractions, "s3://data/x.csv"))
	wantAPIError(t, err, "InternalFailure")
	_, err = h.client.CreateSolutionVersion(ctx, &personalize.CreateSolutionVersionInput{SolutionArn: aws.String(solutionUP)})
	wantAPIError(t, err, "InternalFailure")
	h.em.SetFaults(Faults{})
	if j := h.describeImport(importARNPrefix + "lost-answer"); aws.ToString(j.JobName) != "lost-answer" {
		t.Errorf("the import whose answer was lost: %+v", j)
	}
	_, err = h.client.CreateDatasetImportJob(ctx, importInput("lost-answer", fixtureInteractions, "s3://data/x.csv"))
	wantAPIError(t, err, "ResourceAlreadyExistsException")
	if versions := h.listVersions(solutionUP, 10); len(versions) != 4 || aws.ToString(versions[0].Status) != "CREATE PENDING" {
		t.Errorf("the training whose answer was lost: %+v", versions)
	}
	if st := h.em.Stats(); st.Faults[FaultDroppedCreate] != 2 {
		t.Errorf("faults: %v", st.Faults)
	}

	h.em.SetFaults(Faults{ThrottleRate: 1})
	for name, call := range map[string]func() error{
		"GetSolutionMetrics": func() error { _, err := h.metrics(fixtureUP); return err },
		"ListDatasetImportJobs": func() error {
			_, err := h.client.ListDatasetImportJobs(ctx, &personalize.ListDatasetImportJobsInput{})
			return err
		},
		"DescribeDataset": func() error {
			_, err := h.client.DescribeDataset(ctx, &personalize.DescribeDatasetInput{DatasetArn: aws.String(fixtureItems)})
			return err
		},
	} {
		wantAPIError(t, call(), "ThrottlingException")
		if n := h.em.Stats().Throttled[name]; n != 1 {
			t.Errorf("%s: throttled %d times, want 1", name, n)
		}
	}
}
