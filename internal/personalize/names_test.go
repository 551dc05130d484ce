package personalize

import (
	"strings"
	"testing"
	"time"
)

func TestGenerateJobNameUniqueAndValid(t *testing.T) {
	prefix := strings.Repeat("p", JobNamePrefixMaxLen)
	now := time.Now()
	seen := map[string]bool{}
	for range 1000 {
		name := generateJobName(prefix, now) // same instant: only the suffix can tell names apart
		if len(name) > jobNameMaxLen {
			t.Fatalf("%q is %d characters, more than %d", name, len(name), jobNameMaxLen)
		}
		if !jobNameRegexp.MatchString(name) {
			t.Fatalf("%q does not match the job name pattern", name)
		}
		if !strings.HasPrefix(name, prefix) {
			t.Fatalf("%q lost its prefix", name)
		}
		if seen[name] {
			t.Fatalf("%q generated twice", name)
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
