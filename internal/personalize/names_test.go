package personalize

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
)

// testRequest is a create request as Create expands it: no name yet.
func testRequest(numResults int32, tags ...string) *personalize.CreateBatchInferenceJobInput {
	in := &personalize.CreateBatchInferenceJobInput{
		SolutionVersionArn: aws.String("arn:aws:personalize:us-east-1:123456789012:solution/demo/1a2b3c4d"),
		RoleArn:            aws.String("arn:aws:iam::123456789012:role/Batch"),
		NumResults:         aws.Int32(numResults),
		JobInput:           &awstypes.BatchInferenceJobInput{S3DataSource: &awstypes.S3DataConfig{Path: aws.String("s3://bucket/in/")}},
		JobOutput:          &awstypes.BatchInferenceJobOutput{S3DataDestination: &awstypes.S3DataConfig{Path: aws.String("s3://bucket/out/")}},
	}
	for _, t := range tags {
		in.Tags = append(in.Tags, awstypes.Tag{TagKey: aws.String(t), TagValue: aws.String("v")})
	}
	return in
}

func mustName(t *testing.T, in *personalize.CreateBatchInferenceJobInput, prefix string, g int) string {
	t.Helper()
	name, err := jobNameFor(batchInferenceJobKind, in, prefix, g)
	if err != nil {
		t.Fatal(err)
	}
	return name
}

// A generated name is an idempotency key: the same prefix, arguments and
// generation give the same valid name in any process, whatever the job's
// tags or a name already set; anything else gives another.
func TestJobNameForIsAnIdempotencyKey(t *testing.T) {
	longest := strings.Repeat("p", jobNamePrefixMaxLen)
	for _, prefix := range []string{"nightly-", "a", longest} {
		name := mustName(t, testRequest(25), prefix, 0)
		if len(name) > jobNameMaxLen || !jobNameRegexp.MatchString(name) || !strings.HasPrefix(name, prefix) {
			t.Errorf("%q: not a valid job name of at most %d characters starting with %q", name, jobNameMaxLen, prefix)
		}
		if got, ok := prefixOfGeneratedName(name); !ok || got != prefix {
			t.Errorf("prefixOfGeneratedName(%q) = %q, %v; want %q back", name, got, ok, prefix)
		}
	}

	first := mustName(t, testRequest(25), "nightly-", 0)
	named := testRequest(25, "team", "cost")
	named.JobName = aws.String("set-before")
	if again := mustName(t, named, "nightly-", 0); again != first {
		t.Errorf("the same arguments named %q, then %q with tags and a name set: the next apply could not find the job", first, again)
	}
	if aws.ToString(named.JobName) != "set-before" || len(named.Tags) != 2 {
		t.Errorf("naming changed the request: name %q, %d tags", aws.ToString(named.JobName), len(named.Tags))
	}
	seen := map[string]string{first: "generation 0"}
	for what, name := range map[string]string{
		"generation 1":    mustName(t, testRequest(25), "nightly-", 1),
		"generation 2":    mustName(t, testRequest(25), "nightly-", 2),
		"other arguments": mustName(t, testRequest(10), "nightly-", 0),
		"other prefix":    mustName(t, testRequest(25), "weekly-", 0),
	} {
		if other, dup := seen[name]; dup {
			t.Errorf("%s and %s both name %q", what, other, name)
		}
		seen[name] = what
	}
	if segment, err := jobNameFor(batchSegmentJobKind, &personalize.CreateBatchSegmentJobInput{
		SolutionVersionArn: aws.String("arn:aws:personalize:us-east-1:123456789012:solution/demo/1a2b3c4d"),
	}, "nightly-", 0); err != nil || segment == first {
		t.Errorf("a segment job's name %q (%v) must be its own", segment, err)
	}
}

// Siblings of one provider process never take the same name; a name given
// back is free again.
func TestNameClaims(t *testing.T) {
	var c nameClaims
	if !c.claim("batch-inference-job", "n") || c.claim("batch-inference-job", "n") {
		t.Fatal("a name was claimed twice")
	}
	if !c.claim("batch-segment-job", "n") {
		t.Error("a segment job cannot take the name an inference job has: the kinds' names are apart")
	}
	c.release("batch-inference-job", "n")
	if !c.claim("batch-inference-job", "n") {
		t.Error("a released name cannot be claimed again")
	}
}

func TestRandomJobNameUniqueAndValid(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		name := randomJobName(strings.Repeat("p", jobNamePrefixMaxLen))
		if len(name) > jobNameMaxLen || !jobNameRegexp.MatchString(name) || seen[name] {
			t.Fatalf("%q is too long, invalid or seen before", name)
		}
		seen[name] = true
	}
}

func TestBatchInferenceJobARN(t *testing.T) {
	got := jobARNFor("aws-cn", "cn-north-1", "123456789012", "batch-inference-job", "job-1")
	if want := "arn:aws-cn:personalize:cn-north-1:123456789012:batch-inference-job/job-1"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if !jobARNRegexp.MatchString(got) {
		t.Errorf("%s is refused by import", got)
	}
}

func TestPollInterval(t *testing.T) {
	for _, c := range []struct{ elapsed, want time.Duration }{
		{0, time.Second},
		{5 * time.Second, time.Second},
		{30 * time.Second, 3 * time.Second},
		{5 * time.Minute, 30 * time.Second},
		{3 * time.Hour, time.Minute},
	} {
		if got := pollInterval(c.elapsed); got != c.want {
			t.Errorf("pollInterval(%s) = %s, want %s", c.elapsed, got, c.want)
		}
	}
}

func TestPrefixOfGeneratedName(t *testing.T) {
	for name, want := range map[string]string{
		"nightly-20261206055310000a1b2c3d": "nightly-", // as the first versions generated names
		"nightly-0123456789abcdef01234567": "nightly-",
		"x_1" + strings.Repeat("f", 24):    "x_1",
	} {
		if got, ok := prefixOfGeneratedName(name); !ok || got != want {
			t.Errorf("prefixOfGeneratedName(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
	for _, name := range []string{
		"weekly-recs-2024",                   // a name someone chose
		"20261206055310000a1b2c3d",           // a suffix with no prefix
		"nightly-20261206055310000A1B2C3D",   // upper-case hex is never generated
		"-bad-20261206055310000a1b2c3d",      // the prefix could not have been configured
		"nightly-20261206055310000a1b2c3d-x", // something after the suffix
	} {
		if got, ok := prefixOfGeneratedName(name); ok {
			t.Errorf("prefixOfGeneratedName(%q) = %q, want no prefix: the name was not generated", name, got)
		}
	}
}
