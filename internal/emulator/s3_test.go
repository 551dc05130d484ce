package emulator

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	"github.com/aws/aws-sdk-go-v2/service/personalize/types"
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

type resultLine struct {
	Input  json.RawMessage `json:"input"`
	Output *struct {
		RecommendedItems          []string  `json:"recommendedItems"`
		Scores                    []float64 `json:"scores"`
		Theme                     *string   `json:"theme"`
		ItemsThemeRelevanceScores []float64 `json:"itemsThemeRelevanceScores"`
	} `json:"output"`
	Error *string `json:"error"`
	raw   map[string]json.RawMessage
}

func readResults(t *testing.T, path string) []resultLine {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("output: %v", err)
	}
	defer f.Close()
	var lines []resultLine
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l resultLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("output line %q: %v", sc.Text(), err)
		}
		_ = json.Unmarshal(sc.Bytes(), &l.raw)
		lines = append(lines, l)
	}
	return lines
}

// runToEnd creates the job and moves the clock past its end.
func (h *harness) runToEnd(in *personalize.CreateBatchInferenceJobInput) *types.BatchInferenceJob {
	h.t.Helper()
	arn := h.create(in)
	h.clock.Advance(time.Hour)
	return untilFinished(h.t, func() (*types.BatchInferenceJob, string) {
		j := h.describe(arn)
		return j, aws.ToString(j.Status)
	})
}

// untilFinished describes a job whose time has come until it is ACTIVE or
// CREATE FAILED, as every kind ends: the emulator's own loop may be writing
// its output or reading its data at that moment, and the job runs until it
// is done.
func untilFinished[J any](t *testing.T, describe func() (J, string)) J {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		j, status := describe()
		if status == statusActive || status == statusCreateFailed || time.Now().After(deadline) {
			return j
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func s3Job(name, sv, input, output string) *personalize.CreateBatchInferenceJobInput {
	in := validCreate(name)
	in.SolutionVersionArn = aws.String(sv)
	in.JobInput.S3DataSource.Path = aws.String(input)
	in.JobOutput.S3DataDestination.Path = aws.String(output)
	return in
}

func TestEmulator_userPersonalizationOutput(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "in/batch/users-a.json"), `{"userId":"4638"}`+"\n"+`{"userId":"663", "filterValues": {"GENRES": "\"horror\""}}`+"\n\n"+`{"userId": 5}`+"\n"+`{not json`+"\n"+`{"itemId":"1"}`+"\n")
	writeFile(t, filepath.Join(dir, "in/batch/users-b.json"), `{"userId":"4638"}`)
	writeFile(t, filepath.Join(dir, "in/elsewhere/ignored.json"), `{"userId":"1"}`)
	if err := os.Mkdir(filepath.Join(dir, "out"), 0o755); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, Config{S3Dir: dir})
	in := s3Job("up", fixtureUP, "s3://in/batch/users", "s3://out/results")
	in.NumResults = aws.Int32(7)
	if j := h.runToEnd(in); aws.ToString(j.Status) != "ACTIVE" {
		t.Fatalf("status %s: %s", aws.ToString(j.Status), aws.ToString(j.FailureReason))
	}

	a := readResults(t, filepath.Join(dir, "out/results/users-a.json.out"))
	b := readResults(t, filepath.Join(dir, "out/results/users-b.json.out"))
	if _, err := os.Stat(filepath.Join(dir, "out/results/ignored.json.out")); !os.IsNotExist(err) {
		t.Errorf("an object outside the input prefix was read: %v", err)
	}
	if len(a) != 5 || len(b) != 1 {
		t.Fatalf("want 5 and 1 output lines, got %d and %d", len(a), len(b))
	}
	for i, l := range a[:2] {
		if l.Error != nil || l.Output == nil || len(l.Output.RecommendedItems) != 7 || len(l.Output.Scores) != 7 {
			t.Fatalf("line %d: %+v", i, l)
		}
		if string(l.raw["error"]) != "null" {
			t.Errorf("line %d: error is %s, want null", i, l.raw["error"])
		}
		if !slices.IsSortedFunc(l.Output.Scores, func(x, y float64) int { return int(math.Copysign(1, y-x)) }) {
			t.Errorf("line %d: scores not descending: %v", i, l.Output.Scores)
		}
		if len(slices.Compact(slices.Sorted(slices.Values(l.Output.RecommendedItems)))) != 7 {
			t.Errorf("line %d: repeated items %v", i, l.Output.RecommendedItems)
		}
	}
	if string(a[1].Input) != `{"userId":"663","filterValues":{"GENRES":"\"horror\""}}` {
		t.Errorf("input not echoed: %s", a[1].Input)
	}
	for i, want := range map[int]string{2: "userId must be a string", 3: "Invalid JSON", 4: "Missing required field userId"} {
		if l := a[i]; l.Error == nil || !strings.Contains(*l.Error, want) || l.Output != nil {
			t.Errorf("line %d: want error %q, got %+v", i, want, l)
		}
	}
	// Same user, same solution version: same recommendations.
	if !slices.Equal(a[0].Output.RecommendedItems, b[0].Output.RecommendedItems) {
		t.Errorf("not deterministic: %v vs %v", a[0].Output.RecommendedItems, b[0].Output.RecommendedItems)
	}
	if slices.Equal(a[0].Output.RecommendedItems, a[1].Output.RecommendedItems) {
		t.Errorf("two users got the same items")
	}

	// Another solution version of the same recipe recommends differently.
	other := "arn:aws:personalize:us-east-1:123456789012:solution/other/1"
	if err := h.em.AddSolutionVersion(other, "arn:aws:personalize:::recipe/aws-user-personalization"); err != nil {
		t.Fatal(err)
	}
	in = s3Job("up-other", other, "s3://in/batch/users-b.json", "s3://out/other/")
	in.NumResults = aws.Int32(7)
	h.runToEnd(in)
	c := readResults(t, filepath.Join(dir, "out/other/users-b.json.out"))
	if slices.Equal(c[0].Output.RecommendedItems, b[0].Output.RecommendedItems) {
		t.Errorf("a different solution version gave identical items")
	}
}

func TestEmulator_similarItemsThemes(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "in/items.json"), `{"itemId":"105"}`+"\n"+`{"itemId":"40"}`+"\n")
	writeFile(t, filepath.Join(dir, "out/.keep"), "")
	h := newHarness(t, Config{S3Dir: dir})

	in := s3Job("sims", fixtureSIMS, "s3://in/items.json", "s3://out/plain/")
	in.NumResults = aws.Int32(10)
	h.runToEnd(in)
	plain := readResults(t, filepath.Join(dir, "out/plain/items.json.out"))
	for _, l := range plain {
		if l.Output == nil || len(l.Output.RecommendedItems) != 10 || l.raw["output"] == nil {
			t.Fatalf("similar items line %+v", l)
		}
		if strings.Contains(string(l.raw["output"]), "scores") || strings.Contains(string(l.raw["output"]), "theme") {
			t.Errorf("Similar-Items without themes has no scores or theme: %s", l.raw["output"])
		}
	}
	if slices.Contains(plain[0].Output.RecommendedItems, "105") {
		t.Errorf("item 105 recommended as similar to itself")
	}

	in = s3Job("themes", fixtureSIMS, "s3://in/items.json", "s3://out/themes/")
	in.NumResults = aws.Int32(10)
	in.BatchInferenceJobMode = types.BatchInferenceJobModeThemeGeneration
	in.ThemeGenerationConfig = themeConfig("title")
	h.runToEnd(in)
	themed := readResults(t, filepath.Join(dir, "out/themes/items.json.out"))
	for _, l := range themed {
		if l.Output.Theme == nil || *l.Output.Theme == "" || len(l.Output.ItemsThemeRelevanceScores) != 10 {
			t.Errorf("theme line without theme or relevance scores: %+v", l.Output)
		}
	}

	var many strings.Builder
	for i := range 101 {
		fmt.Fprintf(&many, `{"itemId":"%d"}`+"\n", i)
	}
	writeFile(t, filepath.Join(dir, "in/many.json"), many.String())
	in = s3Job("too-many-themes", fixtureSIMS, "s3://in/many.json", "s3://out/many/")
	in.BatchInferenceJobMode = types.BatchInferenceJobModeThemeGeneration
	in.ThemeGenerationConfig = themeConfig("title")
	if j := h.runToEnd(in); aws.ToString(j.Status) != "CREATE FAILED" || !strings.Contains(aws.ToString(j.FailureReason), "100") {
		t.Errorf("101 theme items: %s %q", aws.ToString(j.Status), aws.ToString(j.FailureReason))
	}
}

func TestEmulator_personalizedRankingOutput(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "in/rank.json"), `{"userId":"891","itemList":["27","886","101","5"]}`+"\n"+`{"userId":"891","itemList":[]}`+"\n")
	writeFile(t, filepath.Join(dir, "out/.keep"), "")
	h := newHarness(t, Config{S3Dir: dir})
	h.runToEnd(s3Job("rank", fixtureRanking, "s3://in/rank.json", "s3://out/"))
	lines := readResults(t, filepath.Join(dir, "out/rank.json.out"))
	got := lines[0].Output
	if !slices.Equal(slices.Sorted(slices.Values(got.RecommendedItems)), []string{"101", "27", "5", "886"}) {
		t.Fatalf("ranking must re-order the item list: %v", got.RecommendedItems)
	}
	sum := 0.0
	for i, s := range got.Scores {
		sum += s
		if i > 0 && s > got.Scores[i-1] {
			t.Errorf("scores not descending: %v", got.Scores)
		}
	}
	if len(got.Scores) != 4 || math.Abs(sum-1) > 1e-5 {
		t.Errorf("ranking scores %v sum to %v", got.Scores, sum)
	}
	if lines[1].Error == nil || !strings.Contains(*lines[1].Error, "itemList") {
		t.Errorf("empty itemList: %+v", lines[1])
	}
}

func TestEmulator_jobFailsOnBadS3Paths(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "in/users.json"), `{"userId":"1"}`)
	writeFile(t, filepath.Join(dir, "out/.keep"), "")
	h := newHarness(t, Config{S3Dir: dir})
	h.em.SetMaxRunningJobs(20)
	cases := []struct{ name, input, output, reason string }{
		{"no-such-prefix", "s3://in/missing/", "s3://out/", "Invalid S3 input path"},
		{"no-such-bucket", "s3://nobucket/users.json", "s3://out/", "Invalid S3 input path"},
		{"https-input", "https://in/users.json", "s3://out/", "Invalid S3 input path"},
		{"escape-input", "s3://in/../in/users.json", "s3://out/", "Invalid S3 input path"},
		{"no-output-bucket", "s3://in/users.json", "s3://gone/results/", "Invalid S3 output path"},
		{"escape-output", "s3://in/users.json", "s3://out/../../x/", "Invalid S3 output path"},
	}
	for _, c := range cases {
		j := h.runToEnd(s3Job(c.name, fixtureUP, c.input, c.output))
		if aws.ToString(j.Status) != "CREATE FAILED" || aws.ToString(j.FailureReason) != c.reason {
			t.Errorf("%s: %s %q, want CREATE FAILED %q", c.name, aws.ToString(j.Status), aws.ToString(j.FailureReason), c.reason)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "gone")); !os.IsNotExist(err) {
		t.Errorf("a missing output bucket was created")
	}
	out, err := h.client.ListBatchInferenceJobs(ctx, &personalize.ListBatchInferenceJobsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if s := out.BatchInferenceJobs[0]; aws.ToString(s.FailureReason) != "Invalid S3 output path" {
		t.Errorf("the summary carries the failure reason: %+v", s)
	}
}

func TestEmulator_outputExistsWhenActive(t *testing.T) {
	dir := t.TempDir()
	var users strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&users, `{"userId":"u%d"}`+"\n", i)
	}
	writeFile(t, filepath.Join(dir, "in/users.json"), users.String())
	writeFile(t, filepath.Join(dir, "out/.keep"), "")
	h := newHarness(t, Config{S3Dir: dir, JobDuration: 30 * time.Millisecond, Now: time.Now})
	in := s3Job("real-clock", fixtureUP, "s3://in/users.json", "s3://out/")
	in.NumResults = aws.Int32(100)
	arn := h.create(in)
	seen := map[string]bool{}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		status := aws.ToString(h.describe(arn).Status)
		seen[status] = true
		if status == "ACTIVE" {
			if lines := readResults(t, filepath.Join(dir, "out/users.json.out")); len(lines) != 2000 {
				t.Fatalf("ACTIVE with %d of 2000 output lines", len(lines))
			}
			if !seen["IN PROGRESS"] && !seen["PENDING"] {
				t.Errorf("never saw the job running: %v", seen)
			}
			return
		}
	}
	t.Fatalf("job did not become ACTIVE: %v", seen)
}

func TestEmulator_withoutS3DirJobsSucceed(t *testing.T) {
	h := newHarness(t, Config{})
	j := h.runToEnd(s3Job("no-s3", fixtureUP, "s3://nowhere/x", "s3://nowhere/y/"))
	if aws.ToString(j.Status) != "ACTIVE" {
		t.Fatalf("status %s %s", aws.ToString(j.Status), aws.ToString(j.FailureReason))
	}
}

// --s3-dir ./s3 on a fresh checkout names a directory that does not exist
// yet: the emulator makes it, and a job with no input there fails as it
// would on the service.
func TestEmulator_createsMissingS3Dir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "s3")
	h := newHarness(t, Config{S3Dir: dir})
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		t.Fatalf("the S3 directory was not made: %v", err)
	}
	j := h.runToEnd(s3Job("fresh", fixtureUP, "s3://demo/input/", "s3://demo/output/"))
	if aws.ToString(j.Status) != "CREATE FAILED" || aws.ToString(j.FailureReason) != reasonInvalidInput {
		t.Errorf("status %s (%s), want CREATE FAILED with %q", aws.ToString(j.Status), aws.ToString(j.FailureReason), reasonInvalidInput)
	}
}

func TestEmulator_s3DirThatIsAFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "s3")
	writeFile(t, file, "not a directory")
	_, err := New(Config{S3Dir: file})
	if err == nil || !strings.Contains(err.Error(), "S3 directory "+file+": not a directory") {
		t.Errorf("New with a file as S3 directory: %v", err)
	}
}
