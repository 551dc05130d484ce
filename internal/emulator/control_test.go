package emulator

import (
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
)

func TestControl_faults(t *testing.T) {
	h := newHarness(t, Config{})
	var got Faults
	if code := h.control("POST", "faults", map[string]any{"throttle_rate": 1, "seed": 4}, &got); code != 200 || got.ThrottleRate != 1 || got.Seed != 4 {
		t.Fatalf("POST faults: %d %+v", code, got)
	}
	_, err := h.client.ListBatchInferenceJobs(ctx, &personalize.ListBatchInferenceJobsInput{})
	wantAPIError(t, err, "ThrottlingException")

	var e map[string]string
	for _, bad := range []map[string]any{{"throttle_rate": 1.5}, {"latency_ms": -1}, {"throttle": 0.5}} {
		if code := h.control("POST", "faults", bad, &e); code != http.StatusBadRequest || e["error"] == "" {
			t.Errorf("POST faults %v: %d %v", bad, code, e)
		}
	}
	h.control("POST", "faults", map[string]any{}, &got)
	if _, err := h.client.ListBatchInferenceJobs(ctx, &personalize.ListBatchInferenceJobsInput{}); err != nil {
		t.Errorf("faults not cleared by an empty POST: %v", err)
	}
}

func TestControl_solutionVersionsAndFilters(t *testing.T) {
	h := newHarness(t, Config{})
	sv := "arn:aws:personalize:us-east-1:123456789012:solution/mine/abc"
	var out map[string]any
	if code := h.control("POST", "solution-versions", map[string]string{"arn": sv, "recipe": "arn:aws:personalize:::recipe/aws-similar-items"}, &out); code != 200 {
		t.Fatalf("POST solution-versions: %d %v", code, out)
	}
	filter := "arn:aws:personalize:us-east-1:123456789012:filter/mine"
	if code := h.control("POST", "filters", map[string]string{"arn": filter}, &out); code != 200 {
		t.Fatalf("POST filters: %d %v", code, out)
	}
	in := validCreate("on-mine")
	in.SolutionVersionArn = aws.String(sv)
	in.FilterArn = aws.String(filter)
	h.create(in)

	if code := h.control("POST", "solution-versions", map[string]string{"arn": sv, "recipe": "aws-magic"}, &out); code != http.StatusBadRequest {
		t.Errorf("unknown recipe accepted: %d", code)
	}
	if code := h.control("POST", "solution-versions", map[string]string{"arn": "nope", "recipe": "aws-sims"}, &out); code != http.StatusBadRequest {
		t.Errorf("bad ARN accepted: %d", code)
	}
}

func TestControl_settings(t *testing.T) {
	h := newHarness(t, Config{JobDuration: 0})
	var s map[string]any
	if code := h.control("POST", "settings", map[string]int{"job_duration_ms": 0, "max_running_jobs": 1}, &s); code != 200 || s["max_running_jobs"] != 1.0 || s["job_duration_ms"] != 0.0 {
		t.Fatalf("POST settings: %d %v", code, s)
	}
	h.em.SetJobDuration(time.Hour)
	h.create(validCreate("one"))
	_, err := h.client.CreateBatchInferenceJob(ctx, validCreate("two"))
	wantAPIError(t, err, "LimitExceededException")
	if code := h.control("POST", "settings", map[string]int{"max_running_jobs": -1}, &s); code != http.StatusBadRequest {
		t.Errorf("negative quota accepted: %d", code)
	}
}

func TestControl_resetAndStats(t *testing.T) {
	h := newHarness(t, Config{})
	in := validCreate("before-reset")
	in.Tags = tagsFrom("a", "b")
	h.create(in)
	h.em.SetFaults(Faults{LatencyMS: 10})
	var ok map[string]string
	if code := h.control("POST", "reset", nil, &ok); code != 200 {
		t.Fatalf("POST reset: %d", code)
	}
	var st Stats
	h.control("GET", "stats", nil, &st)
	if st.Jobs != 0 || len(st.Calls) != 0 {
		t.Errorf("after reset: %+v", st)
	}
	var f Faults
	h.control("GET", "faults", nil, &f)
	if !reflect.DeepEqual(f, Faults{}) {
		t.Errorf("faults survive reset: %+v", f)
	}
	h.create(validCreate("before-reset"))
	if got := h.tagsOf(jobARNPrefix + "before-reset"); got != "" {
		t.Errorf("tags survive reset: %q", got)
	}
	h.create(s3Job("fixtures-kept", fixtureSIMS, "s3://a/b", "s3://c/d"))

	var e map[string]string
	if code := h.control("GET", "nothing-here", nil, &e); code != http.StatusNotFound || e["error"] == "" {
		t.Errorf("unknown endpoint: %d %v", code, e)
	}
	if code := h.control("GET", "reset", nil, &e); code != http.StatusNotFound {
		t.Errorf("GET reset: %d", code)
	}
}
