package emulator

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
)

func TestEmulator_stateSurvivesRestart(t *testing.T) {
	stateFile := filepath.Join(t.TempDir(), "state.json")
	clock := newFakeClock()
	start := clock.Now()
	h := newHarness(t, Config{StateFile: stateFile, JobDuration: 10 * time.Second, Now: clock.Now})
	in := validCreate("kept")
	in.Tags = tagsFrom("env", "dev")
	arn := h.create(in)
	h.create(validCreate("kept-2"))
	extra := "arn:aws:personalize:us-east-1:123456789012:solution/added/1"
	if err := h.em.AddSolutionVersion(extra, "aws-personalized-ranking"); err != nil {
		t.Fatal(err)
	}
	_, token := h.listNames(&personalize.ListBatchInferenceJobsInput{MaxResults: aws.Int32(1)})
	clock.Advance(time.Second)
	h.srv.Close()
	if err := h.em.Close(); err != nil {
		t.Fatal(err)
	}

	// The same file, a new emulator: the job is mid-flight and keeps its timeline.
	h2 := newHarness(t, Config{StateFile: stateFile, JobDuration: time.Hour, Now: clock.Now})
	j := h2.describe(arn)
	if aws.ToString(j.Status) != "PENDING" || !j.CreationDateTime.Equal(start) {
		t.Fatalf("after restart: %s created %s", aws.ToString(j.Status), j.CreationDateTime)
	}
	clock.Advance(4 * time.Second)
	if s := aws.ToString(h2.describe(arn).Status); s != "IN PROGRESS" {
		t.Fatalf("at +5s: %s", s)
	}
	clock.Advance(5 * time.Second)
	if j := h2.describe(arn); aws.ToString(j.Status) != "ACTIVE" || !j.LastUpdatedDateTime.Equal(start.Add(10*time.Second)) {
		t.Fatalf("at +10s: %s updated %s", aws.ToString(j.Status), j.LastUpdatedDateTime)
	}
	if got := h2.tagsOf(arn); got != "env=dev " {
		t.Errorf("tags after restart: %q", got)
	}
	_, err := h2.client.CreateBatchInferenceJob(ctx, validCreate("kept"))
	wantAPIError(t, err, "ResourceAlreadyExistsException")
	names, _ := h2.listNames(&personalize.ListBatchInferenceJobsInput{MaxResults: aws.Int32(1), NextToken: token})
	if len(names) != 1 || names[0] != "kept" {
		t.Errorf("a token issued before the restart: %v", names)
	}
	in = validCreate("on-added-version")
	in.SolutionVersionArn = aws.String(extra)
	h2.create(in)
}

func TestEmulator_stateWritesAreAtomic(t *testing.T) {
	dir := t.TempDir()
	stateFile := filepath.Join(dir, "state.json")
	h := newHarness(t, Config{StateFile: stateFile})
	for _, name := range []string{"a1", "a2", "a3"} {
		h.create(validCreate(name))
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "state.json" {
		t.Errorf("temporary files left behind: %v", entries)
	}
	var st persistedState
	data, _ := os.ReadFile(stateFile)
	if err := json.Unmarshal(data, &st); err != nil || len(st.Jobs) != 3 {
		t.Fatalf("state file: %v, %d jobs", err, len(st.Jobs))
	}
}

func TestEmulator_corruptStateFileStopsStartUp(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"garbage":        "{not json",
		"future version": `{"version": 99, "jobs": []}`,
		"foreign field":  `{"version": 1, "jobz": []}`,
		"bad job":        `{"version": 1, "nextSeq": 1, "tokenKey": "AAAAAAAAAAAAAAAAAAAAAA==", "jobs": [{"seq": 1, "arn": "x"}]}`,
	} {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".json")
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		em, err := New(Config{StateFile: path})
		if err == nil {
			em.Close()
			t.Errorf("%s: New accepted a corrupt state file", name)
			continue
		}
		if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "never overwrites") {
			t.Errorf("%s: unclear error %q", name, err)
		}
		if after, _ := os.ReadFile(path); string(after) != content {
			t.Errorf("%s: the corrupt file was changed to %q", name, after)
		}
	}
}

func TestEmulator_emptyStateFileStartsFresh(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, Config{StateFile: path})
	h.create(validCreate("first"))
	if data, _ := os.ReadFile(path); !strings.Contains(string(data), "first") {
		t.Errorf("state not written: %s", data)
	}
}

func TestEmulator_resetForgetsJobsAndPersistsIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	h := newHarness(t, Config{StateFile: path})
	h.create(validCreate("gone"))
	h.em.Reset()
	h.srv.Close()
	h.em.Close()
	h2 := newHarness(t, Config{StateFile: path})
	if n := h2.em.Stats().Jobs; n != 0 {
		t.Fatalf("%d jobs after reset and restart", n)
	}
	h2.create(validCreate("gone")) // the name is free again
}

// A state write is durable only when the directory holding the renamed file
// is synced after the rename: at that moment the file already holds the new
// job, and a failed sync fails the create rather than acknowledging a job a
// power loss could take back.
func TestEmulator_stateWriteSyncsTheDirectoryAfterTheRename(t *testing.T) {
	dir := t.TempDir()
	stateFile := filepath.Join(dir, "state.json")
	h := newHarness(t, Config{StateFile: stateFile})
	sync := syncDir
	t.Cleanup(func() { syncDir = sync })
	type dirSync struct {
		dir         string
		holdsNewJob bool
	}
	var synced []dirSync
	syncDir = func(d string) error {
		data, err := os.ReadFile(stateFile)
		if err != nil {
			t.Errorf("syncing %s before the state file is in place: %v", d, err)
		}
		synced = append(synced, dirSync{d, strings.Contains(string(data), `"durable"`)})
		return sync(d)
	}
	h.create(validCreate("durable"))
	if want := []dirSync{{dir, true}}; !slices.Equal(synced, want) {
		t.Errorf("directory syncs during the create: %+v, want %+v (the state file's directory, once the file holds the job)", synced, want)
	}

	syncDir = func(string) error { return errors.New("input/output error") }
	_, err := h.client.CreateBatchInferenceJob(ctx, validCreate("not-durable"))
	wantAPIError(t, err, "InternalFailure")
	if err == nil || !strings.Contains(err.Error(), stateFile) || !strings.Contains(err.Error(), "input/output error") {
		t.Errorf("a failed directory sync should fail the create naming the state file and the cause: %v", err)
	}
	syncDir = sync
}

// A state file written before the job store held requests of every kind in
// one neutral type still loads: its jobs keep their requests, statuses and
// tags, and their names stay taken.
func TestEmulator_loadsStateFileOfEarlierLayout(t *testing.T) {
	old, err := os.ReadFile(filepath.Join("testdata", "state-batch-jobs-v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(path, old, 0o600); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, Config{StateFile: path})

	j := h.describe(jobARNPrefix + "old-inference")
	if aws.ToString(j.Status) != "ACTIVE" || aws.ToInt32(j.NumResults) != 7 || aws.ToString(j.RoleArn) != testRole ||
		j.BatchInferenceJobMode != "BATCH_INFERENCE" || aws.ToString(j.JobInput.S3DataSource.Path) != "s3://in/users/" {
		t.Errorf("batch inference job from the old file: %+v", j)
	}
	seg := h.describeSegment(segmentARNPrefix + "old-segment")
	if aws.ToString(seg.Status) != "ACTIVE" || aws.ToInt32(seg.NumResults) != 25 || aws.ToString(seg.SolutionVersionArn) != fixtureAffinity ||
		aws.ToString(seg.JobOutput.S3DataDestination.Path) != "s3://out/seg/" {
		t.Errorf("batch segment job from the old file: %+v", seg)
	}
	if got := h.tagsOf(jobARNPrefix + "old-inference"); got != "env=dev " {
		t.Errorf("tags from the old file: %q", got)
	}
	_, err = h.client.CreateBatchInferenceJob(ctx, validCreate("old-inference"))
	wantAPIError(t, err, "ResourceAlreadyExistsException")
	if n := h.create(validCreate("after-upgrade")); n != jobARNPrefix+"after-upgrade" {
		t.Errorf("create after loading: %s", n)
	}
}

// Dataset import jobs and trained solution versions survive a restart on
// their timelines, with their tags.
func TestEmulator_stateKeepsImportsAndTrainings(t *testing.T) {
	stateFile := filepath.Join(t.TempDir(), "state.json")
	clock := newFakeClock()
	start := clock.Now()
	h := newHarness(t, Config{StateFile: stateFile, ImportDuration: 10 * time.Second, TrainingDuration: time.Hour, Now: clock.Now})
	in := importInput("kept-import", fixtureInteractions, "s3://data/x.csv")
	in.Tags = tagsFrom("env", "dev")
	imported := h.createImport(in)
	trained := h.train(&personalize.CreateSolutionVersionInput{SolutionArn: aws.String(solutionUP), Name: aws.String("kept"), TrainingMode: "UPDATE"})
	clock.Advance(time.Second)
	h.srv.Close()
	if err := h.em.Close(); err != nil {
		t.Fatal(err)
	}

	h2 := newHarness(t, Config{StateFile: stateFile, Now: clock.Now})
	if j := h2.describeImport(imported); aws.ToString(j.Status) != "CREATE PENDING" || !j.CreationDateTime.Equal(start) {
		t.Fatalf("import after restart: %+v", j)
	}
	if got := h2.tagsOf(imported); got != "env=dev " {
		t.Errorf("import tags after restart: %q", got)
	}
	if sv := h2.describeVersion(trained); aws.ToString(sv.Status) != "CREATE PENDING" || aws.ToString(sv.Name) != "kept" || sv.TrainingMode != "UPDATE" {
		t.Fatalf("training after restart: %+v", sv)
	}
	clock.Advance(time.Hour)
	if j := h2.describeImport(imported); aws.ToString(j.Status) != "ACTIVE" || !j.LastUpdatedDateTime.Equal(start.Add(10*time.Second)) {
		t.Errorf("import done after restart: %s %s", aws.ToString(j.Status), j.LastUpdatedDateTime)
	}
	if sv := h2.describeVersion(trained); aws.ToString(sv.Status) != "ACTIVE" || !sv.LastUpdatedDateTime.Equal(start.Add(time.Hour)) {
		t.Errorf("training done after restart: %s %s", aws.ToString(sv.Status), sv.LastUpdatedDateTime)
	}
	_, err := h2.client.CreateDatasetImportJob(ctx, importInput("kept-import", fixtureItems, "s3://data/x.csv"))
	wantAPIError(t, err, "ResourceAlreadyExistsException")

	// Reset forgets both, as it forgets batch jobs.
	h2.em.Reset()
	if st := h2.em.Stats(); st.DatasetImportJobs != 0 || st.TrainedSolutionVersions != 0 {
		t.Errorf("after reset: %+v", st)
	}
	_, err = h2.client.DescribeSolutionVersion(ctx, &personalize.DescribeSolutionVersionInput{SolutionVersionArn: aws.String(trained)})
	wantAPIError(t, err, "ResourceNotFoundException")
}
