package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// awsCLI runs the aws CLI (an independent client: botocore's own model and
// serializers) against the emulator, with dummy credentials and nothing from
// the caller's profile. It returns the parsed JSON output, or the error text.
type awsCLI struct {
	t        *testing.T
	endpoint string
	env      []string
}

func newAWSCLI(t *testing.T, endpoint string) *awsCLI {
	t.Helper()
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the aws CLI is not on PATH")
	}
	dir := t.TempDir()
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"AWS_ACCESS_KEY_ID=AKIDCLI",
		"AWS_SECRET_ACCESS_KEY=cli-secret",
		"AWS_DEFAULT_REGION=us-east-1",
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE=" + filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(dir, "credentials"),
		"AWS_PAGER=",
	}
	for _, k := range []string{"HOME", "PYENV_ROOT", "PYENV_VERSION", "PYTHONPATH", "VIRTUAL_ENV"} { // how aws finds its Python
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return &awsCLI{t: t, endpoint: endpoint, env: env}
}

func (c *awsCLI) run(args ...string) (map[string]any, string, error) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "aws", append([]string{"personalize", "--endpoint-url", c.endpoint, "--output", "json"}, args...)...)
	cmd.Env = c.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		return nil, stderr.String(), err
	}
	var out map[string]any
	if stdout.Len() > 0 {
		if jerr := json.Unmarshal(stdout.Bytes(), &out); jerr != nil {
			c.t.Fatalf("aws %s: output is not JSON: %v\n%s", strings.Join(args, " "), jerr, stdout.String())
		}
	}
	return out, stderr.String(), nil
}

func (c *awsCLI) ok(args ...string) map[string]any {
	c.t.Helper()
	out, stderr, err := c.run(args...)
	if err != nil {
		c.t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	return out
}

func field(m any, path ...string) any {
	for _, p := range path {
		obj, ok := m.(map[string]any)
		if !ok {
			return nil
		}
		m = obj[p]
	}
	return m
}

func TestEmulator_awsCLISegmentJobsAndSolutionVersions(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "in/items.json"), `{"itemId":"105"}`+"\n"+`{"itemId":"106"}`+"\n")
	writeFile(t, filepath.Join(dir, "out/.keep"), "")
	h := newHarness(t, Config{S3Dir: dir, JobDuration: 300 * time.Millisecond, Now: time.Now})
	cli := newAWSCLI(t, h.srv.URL)

	created := cli.ok("create-batch-segment-job", "--job-name", "cli-segments",
		"--solution-version-arn", fixtureAffinity, "--num-results", "12",
		"--job-input", "s3DataSource={path=s3://in/items.json}",
		"--job-output", "s3DataDestination={path=s3://out/cli/}",
		"--role-arn", testRole, "--tags", "tagKey=team,tagValue=crm")
	arn, _ := created["batchSegmentJobArn"].(string)
	if arn != segmentARNPrefix+"cli-segments" {
		t.Fatalf("create-batch-segment-job: %v", created)
	}

	var job any
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		job = cli.ok("describe-batch-segment-job", "--batch-segment-job-arn", arn)["batchSegmentJob"]
		if field(job, "status") == "ACTIVE" {
			break
		}
		if s := field(job, "status"); (s != "PENDING" && s != "IN PROGRESS") || time.Now().After(deadline) {
			t.Fatalf("describe-batch-segment-job: status %v: %v", s, job)
		}
	}
	if field(job, "numResults") != 12.0 || field(job, "jobInput", "s3DataSource", "path") != "s3://in/items.json" ||
		field(job, "solutionVersionArn") != fixtureAffinity || field(job, "creationDateTime") == nil {
		t.Errorf("describe-batch-segment-job: %v", job)
	}
	if lines := readSegments(t, filepath.Join(dir, "out/cli/items.json.out")); len(lines) != 2 || len(lines[0].Output.RecommendedUsers) != 12 {
		t.Errorf("output of the job the CLI created: %+v", lines)
	}

	listed := cli.ok("list-batch-segment-jobs", "--solution-version-arn", fixtureAffinity)
	jobs, _ := listed["batchSegmentJobs"].([]any)
	if len(jobs) != 1 || field(jobs[0], "batchSegmentJobArn") != arn || field(jobs[0], "status") != "ACTIVE" {
		t.Errorf("list-batch-segment-jobs: %v", listed)
	}

	versions, _ := cli.ok("list-solution-versions", "--solution-arn", solutionUP)["solutionVersions"].([]any)
	var got []string
	for _, v := range versions {
		got = append(got, field(v, "solutionVersionArn").(string)+" "+field(v, "status").(string))
	}
	if want := []string{fixtureUPFailed + " CREATE FAILED", fixtureUP + " ACTIVE", fixtureUPOlder + " ACTIVE"}; strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("list-solution-versions:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	sv := cli.ok("describe-solution-version", "--solution-version-arn", fixtureAttrAffnity)["solutionVersion"]
	if field(sv, "recipeArn") != recipeARN("aws-item-attribute-affinity") || field(sv, "status") != "ACTIVE" ||
		field(sv, "solutionArn") != "arn:aws:personalize:us-east-1:123456789012:solution/demo-item-attribute-affinity" {
		t.Errorf("describe-solution-version: %v", sv)
	}

	_, stderr, err := cli.run("create-batch-segment-job", "--job-name", "cli-wrong-recipe",
		"--solution-version-arn", fixtureUP,
		"--job-input", "s3DataSource={path=s3://in/items.json}",
		"--job-output", "s3DataDestination={path=s3://out/cli/}", "--role-arn", testRole)
	if err == nil || !strings.Contains(stderr, "(InvalidInputException)") || !strings.Contains(stderr, "USER_SEGMENTATION") {
		t.Errorf("a segment job on a User-Personalization version: %v %s", err, stderr)
	}
	if n := h.em.Stats().Calls["CreateBatchSegmentJob"]; n != 2 {
		t.Errorf("the emulator saw %d CreateBatchSegmentJob calls, want 2", n)
	}
}

// The aws CLI imports a CSV file into the demo Interactions dataset, trains
// a version of a demo solution on it, reads the version's metrics, and stops
// a second training.
func TestEmulator_awsCLIImportsAndTraining(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "data/interactions.csv"), interactionsCSV)
	h := newHarness(t, Config{S3Dir: dir, ImportDuration: 300 * time.Millisecond, TrainingDuration: 300 * time.Millisecond, Now: time.Now})
	cli := newAWSCLI(t, h.srv.URL)
	until := func(status func() any, want string) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); status() != want; time.Sleep(100 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("still %v, want %s", status(), want)
			}
		}
	}

	datasets, _ := cli.ok("list-datasets", "--dataset-group-arn", fixtureGroup)["datasets"].([]any)
	if len(datasets) != 2 {
		t.Fatalf("list-datasets: %v", datasets)
	}
	created := cli.ok("create-dataset-import-job", "--job-name", "cli-import", "--dataset-arn", fixtureInteractions,
		"--data-source", "dataLocation=s3://data/interactions.csv", "--role-arn", testRole, "--import-mode", "FULL")
	importArn, _ := created["datasetImportJobArn"].(string)
	if importArn != importARNPrefix+"cli-import" {
		t.Fatalf("create-dataset-import-job: %v", created)
	}
	describeImport := func() any {
		return field(cli.ok("describe-dataset-import-job", "--dataset-import-job-arn", importArn), "datasetImportJob", "status")
	}
	until(describeImport, "ACTIVE")
	listed, _ := cli.ok("list-dataset-import-jobs", "--dataset-arn", fixtureInteractions)["datasetImportJobs"].([]any)
	if len(listed) != 1 || field(listed[0], "importMode") != "FULL" || field(listed[0], "status") != "ACTIVE" {
		t.Errorf("list-dataset-import-jobs: %v", listed)
	}

	trained, _ := cli.ok("create-solution-version", "--solution-arn", solutionUP, "--name", "cli-trained")["solutionVersionArn"].(string)
	if !strings.HasPrefix(trained, solutionUP+"/") {
		t.Fatalf("create-solution-version: %s", trained)
	}
	until(func() any {
		return field(cli.ok("describe-solution-version", "--solution-version-arn", trained), "solutionVersion", "status")
	}, "ACTIVE")
	metrics := cli.ok("get-solution-metrics", "--solution-version-arn", trained)
	if v, ok := field(metrics, "metrics", "precision_at_10").(float64); !ok || v <= 0 || v > 1 || field(metrics, "solutionVersionArn") != trained {
		t.Errorf("get-solution-metrics: %v", metrics)
	}

	h.em.SetTrainingDuration(time.Hour)
	stopped, _ := cli.ok("create-solution-version", "--solution-arn", solutionUP, "--training-mode", "UPDATE")["solutionVersionArn"].(string)
	cli.ok("stop-solution-version-creation", "--solution-version-arn", stopped)
	if s := field(cli.ok("describe-solution-version", "--solution-version-arn", stopped), "solutionVersion", "status"); s != "CREATE STOPPED" {
		t.Errorf("after stop-solution-version-creation: %v", s)
	}
	_, stderr, err := cli.run("get-solution-metrics", "--solution-version-arn", stopped)
	if err == nil || !strings.Contains(stderr, "(InvalidInputException)") {
		t.Errorf("metrics of a stopped version: %v %s", err, stderr)
	}
	_, stderr, err = cli.run("create-dataset-import-job", "--job-name", "cli-import", "--dataset-arn", fixtureItems,
		"--data-source", "dataLocation=s3://data/interactions.csv")
	if err == nil || !strings.Contains(stderr, "(ResourceAlreadyExistsException)") {
		t.Errorf("a second import named cli-import: %v %s", err, stderr)
	}
}
