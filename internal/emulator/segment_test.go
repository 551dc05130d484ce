package emulator

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	"github.com/aws/aws-sdk-go-v2/service/personalize/types"
)

const segmentARNPrefix = "arn:aws:personalize:us-east-1:123456789012:batch-segment-job/"

func validSegment(name string) *personalize.CreateBatchSegmentJobInput {
	return &personalize.CreateBatchSegmentJobInput{
		JobName:            aws.String(name),
		SolutionVersionArn: aws.String(fixtureAffinity),
		JobInput:           &types.BatchSegmentJobInput{S3DataSource: &types.S3DataConfig{Path: aws.String("s3://in/items/")}},
		JobOutput:          &types.BatchSegmentJobOutput{S3DataDestination: &types.S3DataConfig{Path: aws.String("s3://out/segments/")}},
		RoleArn:            aws.String(testRole),
	}
}

func (h *harness) createSegment(in *personalize.CreateBatchSegmentJobInput) string {
	h.t.Helper()
	out, err := h.client.CreateBatchSegmentJob(ctx, in)
	if err != nil {
		h.t.Fatalf("CreateBatchSegmentJob %s: %v", aws.ToString(in.JobName), err)
	}
	return aws.ToString(out.BatchSegmentJobArn)
}

func (h *harness) describeSegment(arn string) *types.BatchSegmentJob {
	h.t.Helper()
	out, err := h.client.DescribeBatchSegmentJob(ctx, &personalize.DescribeBatchSegmentJobInput{BatchSegmentJobArn: aws.String(arn)})
	if err != nil {
		h.t.Fatalf("DescribeBatchSegmentJob %s: %v", arn, err)
	}
	return out.BatchSegmentJob
}

func (h *harness) segmentNames(in *personalize.ListBatchSegmentJobsInput) ([]string, *string) {
	h.t.Helper()
	out, err := h.client.ListBatchSegmentJobs(ctx, in)
	if err != nil {
		h.t.Fatalf("ListBatchSegmentJobs: %v", err)
	}
	var names []string
	for _, s := range out.BatchSegmentJobs {
		names = append(names, aws.ToString(s.JobName))
	}
	return names, out.NextToken
}

func TestEmulator_segmentJobLifecycle(t *testing.T) {
	h := newHarness(t, Config{JobDuration: 8 * time.Second})
	created := h.clock.Now()
	in := validSegment("segments")
	in.FilterArn = aws.String(fixtureFilter)
	arn := h.createSegment(in)
	if arn != segmentARNPrefix+"segments" {
		t.Fatalf("ARN %s", arn)
	}
	for _, s := range []struct {
		advance time.Duration
		status  string
		updated time.Time
	}{
		{0, "PENDING", created},
		{2 * time.Second, "IN PROGRESS", created.Add(2 * time.Second)},
		{6 * time.Second, "ACTIVE", created.Add(8 * time.Second)},
	} {
		h.clock.Advance(s.advance)
		j := h.describeSegment(arn)
		if aws.ToString(j.Status) != s.status || !j.LastUpdatedDateTime.Equal(s.updated) || !j.CreationDateTime.Equal(created) {
			t.Fatalf("at +%s: %s updated %s", h.clock.Now().Sub(created), aws.ToString(j.Status), j.LastUpdatedDateTime)
		}
	}
	j := h.describeSegment(arn)
	if aws.ToString(j.JobName) != "segments" || aws.ToInt32(j.NumResults) != 25 || aws.ToString(j.SolutionVersionArn) != fixtureAffinity ||
		aws.ToString(j.FilterArn) != fixtureFilter || aws.ToString(j.RoleArn) != testRole ||
		aws.ToString(j.JobInput.S3DataSource.Path) != "s3://in/items/" || aws.ToString(j.JobOutput.S3DataDestination.Path) != "s3://out/segments/" {
		t.Errorf("describe does not echo the job with its defaults: %+v", j)
	}

	// A segment job is not a batch inference job, and the other way round.
	_, err := h.client.DescribeBatchInferenceJob(ctx, &personalize.DescribeBatchInferenceJobInput{BatchInferenceJobArn: aws.String(arn)})
	wantAPIError(t, err, "ResourceNotFoundException")
	inference := h.create(validCreate("segments")) // names are unique per kind
	_, err = h.client.DescribeBatchSegmentJob(ctx, &personalize.DescribeBatchSegmentJobInput{BatchSegmentJobArn: aws.String(inference)})
	wantAPIError(t, err, "ResourceNotFoundException", "batch segment job")
	if names, _ := h.listNames(&personalize.ListBatchInferenceJobsInput{}); !slices.Equal(names, []string{"segments"}) {
		t.Errorf("batch inference jobs listed: %v", names)
	}

	_, err = h.client.CreateBatchSegmentJob(ctx, validSegment("segments"))
	wantAPIError(t, err, "ResourceAlreadyExistsException", "batch segment job", segmentARNPrefix+"segments")

	st := h.em.Stats()
	if st.Jobs != 1 || st.SegmentJobs != 1 || st.Calls["CreateBatchSegmentJob"] != 2 || st.Calls["DescribeBatchSegmentJob"] != 5 {
		t.Errorf("stats %+v", st)
	}
}

func TestEmulator_segmentJobRecipeRules(t *testing.T) {
	h := newHarness(t, Config{})
	for _, sv := range []string{fixtureUP, fixtureSIMS, fixtureRanking} {
		in := validSegment("not-segmentation")
		in.SolutionVersionArn = aws.String(sv)
		_, err := h.client.CreateBatchSegmentJob(ctx, in)
		wantAPIError(t, err, "InvalidInputException", sv, "USER_SEGMENTATION", "aws-item-affinity")
	}
	for _, sv := range []string{fixtureAffinity, fixtureAttrAffnity} {
		in := validCreate("segmentation")
		in.SolutionVersionArn = aws.String(sv)
		_, err := h.client.CreateBatchInferenceJob(ctx, in)
		wantAPIError(t, err, "InvalidInputException", sv, "CreateBatchSegmentJob")
	}
	in := validSegment("attributes")
	in.SolutionVersionArn = aws.String(fixtureAttrAffnity)
	h.createSegment(in)

	in = validSegment("ghost")
	in.SolutionVersionArn = aws.String("arn:aws:personalize:us-east-1:123456789012:solution/demo-item-affinity/00000000")
	_, err := h.client.CreateBatchSegmentJob(ctx, in)
	wantAPIError(t, err, "ResourceNotFoundException", "solutionVersionArn")
	in = validSegment("no-filter")
	in.FilterArn = aws.String("arn:aws:personalize:us-east-1:123456789012:filter/none")
	_, err = h.client.CreateBatchSegmentJob(ctx, in)
	wantAPIError(t, err, "ResourceNotFoundException", "filterArn")
	if err := h.em.PutSolutionVersion(SolutionVersionSpec{Arn: fixtureAffinity + "x", Recipe: "aws-item-affinity", Status: "CREATE PENDING"}); err != nil {
		t.Fatal(err)
	}
	in = validSegment("pending-version")
	in.SolutionVersionArn = aws.String(fixtureAffinity + "x")
	_, err = h.client.CreateBatchSegmentJob(ctx, in)
	wantAPIError(t, err, "ResourceInUseException", "CREATE PENDING")
}

func TestEmulator_segmentJobValidation(t *testing.T) {
	h := newHarness(t, Config{})
	cases := []struct {
		name      string
		mutate    func(*personalize.CreateBatchSegmentJobInput)
		code      string
		fragments []string
	}{
		{"name pattern", func(in *personalize.CreateBatchSegmentJobInput) { in.JobName = aws.String("bad name") }, "InvalidInputException", []string{"'jobName'", "regular expression"}},
		{"name too long", func(in *personalize.CreateBatchSegmentJobInput) { in.JobName = aws.String(strings.Repeat("s", 64)) }, "InvalidInputException", []string{"'jobName'", "63"}},
		{"solution version pattern", func(in *personalize.CreateBatchSegmentJobInput) { in.SolutionVersionArn = aws.String("x") }, "InvalidInputException", []string{"'solutionVersionArn'"}},
		{"numResults zero", func(in *personalize.CreateBatchSegmentJobInput) { in.NumResults = aws.Int32(0) }, "InvalidInputException", []string{"'numResults'", "greater than or equal to 1"}},
		{"numResults above 5 million", func(in *personalize.CreateBatchSegmentJobInput) { in.NumResults = aws.Int32(5_000_001) }, "InvalidInputException", []string{"'numResults'", "5000000"}},
		{"input path", func(in *personalize.CreateBatchSegmentJobInput) {
			in.JobInput.S3DataSource.Path = aws.String("ftp://x")
		}, "InvalidInputException", []string{"'jobInput.s3DataSource.path'"}},
		{"kms key", func(in *personalize.CreateBatchSegmentJobInput) {
			in.JobOutput.S3DataDestination.KmsKeyArn = aws.String("key")
		}, "InvalidInputException", []string{"'jobOutput.s3DataDestination.kmsKeyArn'"}},
		{"role", func(in *personalize.CreateBatchSegmentJobInput) { in.RoleArn = aws.String("arn:aws:iam::1:role/x") }, "InvalidInputException", []string{"'roleArn'"}},
		{"51 tags", func(in *personalize.CreateBatchSegmentJobInput) { in.Tags = manyTags(51) }, "TooManyTagsException", []string{"50"}},
		{"reserved tag", func(in *personalize.CreateBatchSegmentJobInput) { in.Tags = tagsFrom("aws:x", "y") }, "InvalidInputException", []string{"tags.1.member.tagKey", "aws:"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := validSegment("v")
			c.mutate(in)
			_, err := h.client.CreateBatchSegmentJob(ctx, in)
			wantAPIError(t, err, c.code, c.fragments...)
		})
	}
	// Required members the SDK does not check itself, sent by hand.
	r := h.raw("AmazonPersonalize.CreateBatchSegmentJob", `{"jobName":"raw","batchInferenceJobMode":"THEME_GENERATION"}`, nil)
	if r.status != 400 || r.body["__type"] != "InvalidInputException" || !strings.Contains(r.text, "4 validation errors") {
		t.Errorf("missing members: %d %s", r.status, r.text)
	}
	if h.em.Stats().SegmentJobs != 0 {
		t.Errorf("an invalid request made a job")
	}
}

func TestEmulator_segmentJobsHaveTheirOwnQuota(t *testing.T) {
	h := newHarness(t, Config{JobDuration: time.Minute, MaxRunningJobs: 1, MaxRunningSegmentJobs: 2})
	h.create(validCreate("inference"))
	h.createSegment(validSegment("s1"))
	h.createSegment(validSegment("s2"))
	_, err := h.client.CreateBatchSegmentJob(ctx, validSegment("s3"))
	wantAPIError(t, err, "LimitExceededException", "batch segment jobs", "2")
	_, err = h.client.CreateBatchInferenceJob(ctx, validCreate("inference-2"))
	wantAPIError(t, err, "LimitExceededException", "batch inference jobs", "1")

	h.clock.Advance(time.Minute)
	h.createSegment(validSegment("s3"))
	h.em.SetMaxRunningSegmentJobs(0)
	_, err = h.client.CreateBatchSegmentJob(ctx, validSegment("s4"))
	wantAPIError(t, err, "LimitExceededException")
	h.create(validCreate("inference-2"))

	var s map[string]any
	if code := h.control("POST", "settings", map[string]int{"max_running_segment_jobs": 5}, &s); code != 200 || s["max_running_segment_jobs"] != 5.0 || s["max_running_jobs"] != 1.0 {
		t.Fatalf("POST settings: %d %v", code, s)
	}
	h.createSegment(validSegment("s4"))
}

func TestEmulator_listSegmentJobs(t *testing.T) {
	h := newHarness(t, Config{MaxRunningSegmentJobs: 100, JobDuration: time.Hour})
	for i := 1; i <= 5; i++ {
		in := validSegment(fmt.Sprintf("seg-%d", i))
		if i%2 == 0 {
			in.SolutionVersionArn = aws.String(fixtureAttrAffnity)
		}
		h.createSegment(in)
		h.create(validCreate(fmt.Sprintf("inf-%d", i)))
		h.clock.Advance(time.Second)
	}
	var all []string
	p := personalize.NewListBatchSegmentJobsPaginator(h.client, &personalize.ListBatchSegmentJobsInput{MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range out.BatchSegmentJobs {
			all = append(all, aws.ToString(s.JobName))
		}
	}
	if want := []string{"seg-5", "seg-4", "seg-3", "seg-2", "seg-1"}; !slices.Equal(all, want) {
		t.Errorf("paginator %v, want %v", all, want)
	}
	names, next := h.segmentNames(&personalize.ListBatchSegmentJobsInput{SolutionVersionArn: aws.String(fixtureAttrAffnity)})
	if !slices.Equal(names, []string{"seg-4", "seg-2"}) || next != nil {
		t.Errorf("filtered: %v %v", names, next)
	}
	out, err := h.client.ListBatchSegmentJobs(ctx, &personalize.ListBatchSegmentJobsInput{MaxResults: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	s := out.BatchSegmentJobs[0]
	if aws.ToString(s.BatchSegmentJobArn) != segmentARNPrefix+"seg-5" || aws.ToString(s.Status) != "PENDING" ||
		aws.ToString(s.SolutionVersionArn) != fixtureAffinity || s.CreationDateTime == nil || s.LastUpdatedDateTime == nil {
		t.Errorf("summary %+v", s)
	}
	// Tokens do not cross listings.
	_, err = h.client.ListBatchInferenceJobs(ctx, &personalize.ListBatchInferenceJobsInput{NextToken: out.NextToken})
	wantAPIError(t, err, "InvalidNextTokenException")
	_, err = h.client.ListBatchSegmentJobs(ctx, &personalize.ListBatchSegmentJobsInput{NextToken: out.NextToken, SolutionVersionArn: aws.String(fixtureAffinity)})
	wantAPIError(t, err, "InvalidNextTokenException")
	_, err = h.client.ListBatchSegmentJobs(ctx, &personalize.ListBatchSegmentJobsInput{MaxResults: aws.Int32(0)})
	wantAPIError(t, err, "InvalidInputException", "'maxResults'")
}

func TestEmulator_segmentJobTags(t *testing.T) {
	h := newHarness(t, Config{})
	in := validSegment("tagged")
	in.Tags = tagsFrom("team", "crm")
	arn := h.createSegment(in)
	if got := h.tagsOf(arn); got != "team=crm " {
		t.Fatalf("after create: %q", got)
	}
	if _, err := h.client.TagResource(ctx, &personalize.TagResourceInput{ResourceArn: aws.String(arn), Tags: tagsFrom("env", "prod")}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.UntagResource(ctx, &personalize.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"team"}}); err != nil {
		t.Fatal(err)
	}
	if got := h.tagsOf(arn); got != "env=prod " {
		t.Fatalf("after tag and untag: %q", got)
	}
	_, err := h.client.ListTagsForResource(ctx, &personalize.ListTagsForResourceInput{ResourceArn: aws.String(segmentARNPrefix + "ghost")})
	wantAPIError(t, err, "ResourceNotFoundException")
}

func TestEmulator_segmentJobsSurviveRestartAndReset(t *testing.T) {
	stateFile := filepath.Join(t.TempDir(), "state.json")
	clock := newFakeClock()
	h := newHarness(t, Config{StateFile: stateFile, JobDuration: 10 * time.Second, Now: clock.Now})
	in := validSegment("kept")
	in.Tags = tagsFrom("k", "v")
	in.NumResults = aws.Int32(1000)
	arn := h.createSegment(in)
	h.create(validCreate("kept"))
	h.srv.Close()
	if err := h.em.Close(); err != nil {
		t.Fatal(err)
	}

	again := newHarness(t, Config{StateFile: stateFile, JobDuration: 10 * time.Second, Now: clock.Now})
	j := again.describeSegment(arn)
	if aws.ToString(j.Status) != "PENDING" || aws.ToInt32(j.NumResults) != 1000 {
		t.Errorf("after restart: %+v", j)
	}
	if got := again.tagsOf(arn); got != "k=v " {
		t.Errorf("tags after restart: %q", got)
	}
	clock.Advance(10 * time.Second)
	if s := aws.ToString(again.describeSegment(arn).Status); s != "ACTIVE" {
		t.Errorf("timeline not kept: %s", s)
	}
	_, err := again.client.CreateBatchSegmentJob(ctx, validSegment("kept"))
	wantAPIError(t, err, "ResourceAlreadyExistsException")

	again.em.Reset()
	if st := again.em.Stats(); st.SegmentJobs != 0 || st.Jobs != 0 {
		t.Errorf("after reset: %+v", st)
	}
	again.createSegment(validSegment("kept"))
}

func TestEmulator_segmentJobFaults(t *testing.T) {
	h := newHarness(t, Config{})
	h.em.SetFaults(Faults{ThrottleRate: 1})
	_, err := h.client.CreateBatchSegmentJob(ctx, validSegment("throttled"))
	wantAPIError(t, err, "ThrottlingException")
	h.em.SetFaults(Faults{DropCreateResponseRate: 1})
	_, err = h.client.CreateBatchSegmentJob(ctx, validSegment("dropped"))
	wantAPIError(t, err, "InternalFailure")
	h.em.SetFaults(Faults{ConsistencyDelayMS: 2000})
	if j := h.describeSegment(segmentARNPrefix + "dropped"); aws.ToString(j.JobName) != "dropped" {
		t.Errorf("the job whose response was lost: %+v", j)
	}
	arn := h.createSegment(validSegment("late"))
	_, err = h.client.DescribeBatchSegmentJob(ctx, &personalize.DescribeBatchSegmentJobInput{BatchSegmentJobArn: aws.String(arn)})
	wantAPIError(t, err, "ResourceNotFoundException")
	h.clock.Advance(2 * time.Second)
	h.describeSegment(arn)
}

type segmentLine struct {
	Input  map[string]any `json:"input"`
	Output *struct {
		RecommendedUsers []string `json:"recommendedUsers"`
	} `json:"output"`
	Error *string `json:"error"`
}

func readSegments(t *testing.T, path string) []segmentLine {
	t.Helper()
	var out []segmentLine
	for _, l := range readResults(t, path) {
		var s segmentLine
		raw, _ := json.Marshal(l.raw)
		if err := json.Unmarshal(raw, &s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func (h *harness) runSegmentToEnd(in *personalize.CreateBatchSegmentJobInput) *types.BatchSegmentJob {
	h.t.Helper()
	arn := h.createSegment(in)
	h.clock.Advance(time.Hour)
	return untilFinished(h.t, func() (*types.BatchSegmentJob, string) {
		j := h.describeSegment(arn)
		return j, aws.ToString(j.Status)
	})
}

func segmentJob(name, sv, input, output string) *personalize.CreateBatchSegmentJobInput {
	in := validSegment(name)
	in.SolutionVersionArn = aws.String(sv)
	in.JobInput.S3DataSource.Path = aws.String(input)
	in.JobOutput.S3DataDestination.Path = aws.String(output)
	return in
}

func TestEmulator_itemAffinitySegments(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "in/segments/items.json"), `{"itemId":"105"}`+"\n"+`{"itemId":"106","filterValues":{"GENRES":"\"horror\""}}`+"\n"+`{"itemIds":["1"]}`+"\n")
	writeFile(t, filepath.Join(dir, "in/segments/more.json"), `{"itemId":"105"}`)
	writeFile(t, filepath.Join(dir, "out/.keep"), "")
	h := newHarness(t, Config{S3Dir: dir})

	if j := h.runSegmentToEnd(segmentJob("affinity", fixtureAffinity, "s3://in/segments/", "s3://out/users")); aws.ToString(j.Status) != "ACTIVE" {
		t.Fatalf("status %s: %s", aws.ToString(j.Status), aws.ToString(j.FailureReason))
	}
	lines := readSegments(t, filepath.Join(dir, "out/users/items.json.out"))
	more := readSegments(t, filepath.Join(dir, "out/users/more.json.out"))
	if len(lines) != 3 || len(more) != 1 {
		t.Fatalf("want 3 and 1 lines, got %d and %d", len(lines), len(more))
	}
	for i, l := range lines[:2] {
		if l.Error != nil || l.Output == nil || len(l.Output.RecommendedUsers) != 25 {
			t.Fatalf("line %d: %+v", i, l)
		}
		if len(slices.Compact(slices.Sorted(slices.Values(l.Output.RecommendedUsers)))) != 25 {
			t.Errorf("line %d repeats users: %v", i, l.Output.RecommendedUsers)
		}
	}
	if raw := readResults(t, filepath.Join(dir, "out/users/items.json.out"))[0].raw; string(raw["error"]) != "null" || !strings.HasPrefix(string(raw["output"]), `{"recommendedUsers":[`) {
		t.Errorf("line layout: %s", raw)
	}
	if lines[0].Input["itemId"] != "105" || lines[1].Input["filterValues"] == nil {
		t.Errorf("input not echoed: %+v %+v", lines[0].Input, lines[1].Input)
	}
	if l := lines[2]; l.Error == nil || !strings.Contains(*l.Error, "itemId") || l.Output != nil {
		t.Errorf("a line without itemId: %+v", l)
	}
	if !slices.Equal(lines[0].Output.RecommendedUsers, more[0].Output.RecommendedUsers) {
		t.Errorf("the same item got different segments")
	}
	if slices.Equal(lines[0].Output.RecommendedUsers, lines[1].Output.RecommendedUsers) {
		t.Errorf("two items got the same segment")
	}

	in := segmentJob("affinity-big", fixtureAffinity, "s3://in/segments/more.json", "s3://out/big/")
	in.NumResults = aws.Int32(60000)
	if j := h.runSegmentToEnd(in); aws.ToString(j.Status) != "ACTIVE" {
		t.Fatalf("a segment larger than the user base: status %s: %s", aws.ToString(j.Status), aws.ToString(j.FailureReason))
	}
	if got := readSegments(t, filepath.Join(dir, "out/big/more.json.out")); len(got[0].Output.RecommendedUsers) != userCount {
		t.Errorf("a segment larger than the user base: %d users", len(got[0].Output.RecommendedUsers))
	}
}

func TestEmulator_itemAttributeAffinitySegments(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "in/attrs.json"), `{"itemAttributes":"ITEMS.genres = \"Comedy\""}`+"\n"+
		`{"itemAttributes":"ITEMS.genres = \"Horror\" AND ITEMS.price < 10"}`+"\n"+
		`{"itemAttributes":"genres is Comedy"}`+"\n"+`{"itemId":"1"}`+"\n")
	writeFile(t, filepath.Join(dir, "out/.keep"), "")
	h := newHarness(t, Config{S3Dir: dir})
	in := segmentJob("attributes", fixtureAttrAffnity, "s3://in/attrs.json", "s3://out/")
	in.NumResults = aws.Int32(7)
	if j := h.runSegmentToEnd(in); aws.ToString(j.Status) != "ACTIVE" {
		t.Fatalf("status %s: %s", aws.ToString(j.Status), aws.ToString(j.FailureReason))
	}
	lines := readSegments(t, filepath.Join(dir, "out/attrs.json.out"))
	for i, l := range lines[:2] {
		if l.Error != nil || l.Output == nil || len(l.Output.RecommendedUsers) != 7 {
			t.Errorf("line %d: %+v", i, l)
		}
	}
	for i, want := range map[int]string{2: "ITEMS.<column>", 3: "itemAttributes"} {
		if l := lines[i]; l.Error == nil || !strings.Contains(*l.Error, want) {
			t.Errorf("line %d: want an error about %s, got %+v", i, want, l)
		}
	}
}

func TestEmulator_segmentJobFailures(t *testing.T) {
	dir := t.TempDir()
	var many strings.Builder
	for i := range 11 {
		fmt.Fprintf(&many, `{"itemAttributes":"ITEMS.genres = \"g%d\""}`+"\n", i)
	}
	writeFile(t, filepath.Join(dir, "in/eleven.json"), many.String())
	var items strings.Builder
	for i := range 501 {
		fmt.Fprintf(&items, `{"itemId":"%d"}`+"\n", i)
	}
	writeFile(t, filepath.Join(dir, "in/items-501.json"), items.String())
	writeFile(t, filepath.Join(dir, "out/.keep"), "")
	h := newHarness(t, Config{S3Dir: dir, MaxRunningSegmentJobs: 10})
	for _, c := range []struct{ name, sv, input, output, reason string }{
		{"missing-input", fixtureAffinity, "s3://in/nothing/", "s3://out/", "Invalid S3 input path"},
		{"missing-output-bucket", fixtureAffinity, "s3://in/items-501.json", "s3://nobucket/", "Invalid S3 output path"},
		{"too-many-attributes", fixtureAttrAffnity, "s3://in/eleven.json", "s3://out/", "at most 10"},
		{"too-many-items", fixtureAffinity, "s3://in/items-501.json", "s3://out/", "at most 500"},
	} {
		j := h.runSegmentToEnd(segmentJob(c.name, c.sv, c.input, c.output))
		if aws.ToString(j.Status) != "CREATE FAILED" || !strings.Contains(aws.ToString(j.FailureReason), c.reason) {
			t.Errorf("%s: %s %q, want CREATE FAILED with %q", c.name, aws.ToString(j.Status), aws.ToString(j.FailureReason), c.reason)
		}
	}
	out, err := h.client.ListBatchSegmentJobs(ctx, &personalize.ListBatchSegmentJobsInput{MaxResults: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	if s := out.BatchSegmentJobs[0]; !strings.Contains(aws.ToString(s.FailureReason), "at most 500") {
		t.Errorf("the summary carries the failure reason: %+v", s)
	}
}
