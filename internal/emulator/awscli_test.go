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
