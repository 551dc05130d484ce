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

func TestPrefixOfGeneratedName(t *testing.T) {
	now := time.Date(2026, 12, 6, 5, 53, 10, 0, time.UTC)
	for _, prefix := range []string{"nightly-", "a", "x_1", strings.Repeat("p", JobNamePrefixMaxLen)} {
		got, ok := prefixOfGeneratedName(generateJobName(prefix, now))
		if !ok || got != prefix {
			t.Errorf("prefixOfGeneratedName(generateJobName(%q)) = %q, %v; want the prefix back", prefix, got, ok)
		}
	}
	for _, name := range []string{
		"weekly-recs-2024",                   // a name someone chose
		"20261206055310000a1b2c3d",           // a suffix with no prefix
		"nightly-20261306055310000a1b2c3d",   // month 13: not a timestamp
		"nightly-20261206055310000A1B2C3D",   // upper-case hex is never generated
		"-bad-20261206055310000a1b2c3d",      // the prefix could not have been configured
		"nightly-20261206055310000a1b2c3d-x", // something after the suffix
	} {
		if got, ok := prefixOfGeneratedName(name); ok {
			t.Errorf("prefixOfGeneratedName(%q) = %q, want no prefix: the name was not generated", name, got)
		}
	}
}
