package emulator

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
)

func TestEmulator_throttling(t *testing.T) {
	h := newHarness(t, Config{})
	h.em.SetFaults(Faults{ThrottleRate: 1})
	_, err := h.client.CreateBatchInferenceJob(ctx, validCreate("throttled"))
	wantAPIError(t, err, "ThrottlingException")
	if httpStatus(err) != http.StatusBadRequest {
		t.Errorf("HTTP %d", httpStatus(err))
	}
	st := h.em.Stats()
	if st.Jobs != 0 || st.Calls["CreateBatchInferenceJob"] != 1 {
		t.Errorf("a throttled create must not run but is counted: %+v", st)
	}
}

// faultSequence records which of 40 list calls fail, and how.
func faultSequence(h *harness) []string {
	var seq []string
	for range 40 {
		_, err := h.client.ListBatchInferenceJobs(ctx, &personalize.ListBatchInferenceJobsInput{})
		if err == nil {
			seq = append(seq, "ok")
		} else {
			seq = append(seq, fmt.Sprint(httpStatus(err)))
		}
	}
	return seq
}

func TestEmulator_errorsAreDeterministicUnderSeed(t *testing.T) {
	h := newHarness(t, Config{})
	h.em.SetFaults(Faults{ErrorRate: 1, Seed: 7})
	first := faultSequence(h)
	if !slices.Contains(first, "500") || !slices.Contains(first, "503") || slices.Contains(first, "ok") {
		t.Fatalf("error_rate 1 should give both 500s and 503s: %v", first)
	}
	h.em.SetFaults(Faults{ErrorRate: 1, Seed: 7})
	if again := faultSequence(h); !slices.Equal(first, again) {
		t.Errorf("same seed, different faults:\n%v\n%v", first, again)
	}

	h.em.SetFaults(Faults{ThrottleRate: 0.5, Seed: 3})
	mixed := faultSequence(h)
	if !slices.Contains(mixed, "ok") || !slices.Contains(mixed, "400") {
		t.Errorf("throttle_rate 0.5: %v", mixed)
	}
	h.em.SetFaults(Faults{ThrottleRate: 0.5, Seed: 3})
	if again := faultSequence(h); !slices.Equal(mixed, again) {
		t.Errorf("same seed, different throttling:\n%v\n%v", mixed, again)
	}

	// The status and the error name agree.
	h.em.SetFaults(Faults{ErrorRate: 1, Seed: 1})
	_, err := h.client.ListBatchInferenceJobs(ctx, &personalize.ListBatchInferenceJobsInput{})
	if code := httpStatus(err); code == 500 {
		wantAPIError(t, err, "InternalFailure")
	} else {
		wantAPIError(t, err, "ServiceUnavailable")
	}
}

func TestEmulator_latency(t *testing.T) {
	h := newHarness(t, Config{})
	h.em.SetFaults(Faults{LatencyMS: 80})
	start := time.Now()
	if _, err := h.client.ListBatchInferenceJobs(ctx, &personalize.ListBatchInferenceJobsInput{}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 80*time.Millisecond {
		t.Errorf("answered in %s despite 80ms latency", d)
	}
}

func TestEmulator_eventualConsistencyAfterCreate(t *testing.T) {
	h := newHarness(t, Config{JobDuration: time.Hour})
	h.em.SetFaults(Faults{ConsistencyDelayMS: 2000})
	in := validCreate("lagging")
	in.Tags = tagsFrom("a", "b")
	arn := h.create(in)

	_, err := h.client.DescribeBatchInferenceJob(ctx, &personalize.DescribeBatchInferenceJobInput{BatchInferenceJobArn: aws.String(arn)})
	wantAPIError(t, err, "ResourceNotFoundException")
	_, err = h.client.ListTagsForResource(ctx, &personalize.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	wantAPIError(t, err, "ResourceNotFoundException")
	if names, _ := h.listNames(&personalize.ListBatchInferenceJobsInput{}); len(names) != 0 {
		t.Errorf("listed before it is visible: %v", names)
	}
	// The job exists all the same: its name is taken and it holds a quota place.
	_, err = h.client.CreateBatchInferenceJob(ctx, validCreate("lagging"))
	wantAPIError(t, err, "ResourceAlreadyExistsException")

	h.clock.Advance(2 * time.Second)
	h.describe(arn)
	if names, _ := h.listNames(&personalize.ListBatchInferenceJobsInput{}); !slices.Equal(names, []string{"lagging"}) {
		t.Errorf("after the delay: %v", names)
	}
	if got := h.tagsOf(arn); got != "a=b " {
		t.Errorf("tags after the delay: %q", got)
	}
}

func TestEmulator_droppedCreateResponse(t *testing.T) {
	h := newHarness(t, Config{})
	h.em.SetFaults(Faults{DropCreateResponseRate: 1})
	_, err := h.client.CreateBatchInferenceJob(ctx, validCreate("dropped"))
	wantAPIError(t, err, "InternalFailure")
	if httpStatus(err) != http.StatusInternalServerError {
		t.Errorf("HTTP %d", httpStatus(err))
	}
	h.em.SetFaults(Faults{})
	if j := h.describe(jobARNPrefix + "dropped"); aws.ToString(j.JobName) != "dropped" {
		t.Fatalf("the job behind a dropped response must exist: %+v", j)
	}

	// The SDK retries the 500; the retry finds the name taken.
	h.em.SetFaults(Faults{DropCreateResponseRate: 1})
	retrying := h.newClient("a", "b", withFastRetries(3))
	_, err = retrying.CreateBatchInferenceJob(ctx, validCreate("dropped-retried"))
	wantAPIError(t, err, "ResourceAlreadyExistsException", "dropped-retried")
	if st := h.em.Stats(); st.Jobs != 2 || st.Calls["CreateBatchInferenceJob"] != 3 {
		t.Errorf("stats %+v", st)
	}
}

func TestEmulator_countsEveryCallPerOperation(t *testing.T) {
	h := newHarness(t, Config{})
	h.em.SetFaults(Faults{ThrottleRate: 1})
	var status map[string]any
	if code := h.control("GET", "health", nil, &status); code != 200 || status["status"] != "ok" {
		t.Fatalf("control API faulted: %d %v", code, status)
	}
	h.em.SetFaults(Faults{})
	arn := h.create(validCreate("counted"))
	h.describe(arn)
	h.describe(arn)
	h.tagsOf(arn)
	h.raw("AmazonPersonalize.ListBatchInferenceJobs", "{}", map[string]string{"Authorization": ""})
	h.raw("AmazonPersonalize.CreateCampaign", "{}", nil)
	if _, err := h.stsClient("a", "b").GetCallerIdentity(ctx, nil); err != nil {
		t.Fatal(err)
	}
	var stats Stats
	h.control("GET", "stats", nil, &stats)
	want := map[string]int{"CreateBatchInferenceJob": 1, "DescribeBatchInferenceJob": 2, "ListTagsForResource": 1, "ListBatchInferenceJobs": 1, "CreateCampaign": 1, "GetCallerIdentity": 1}
	if fmt.Sprint(stats.Calls) != fmt.Sprint(want) || stats.Jobs != 1 {
		t.Errorf("stats %+v, want calls %v and 1 job", stats, want)
	}
}

func TestEmulator_rateLimitIsATokenBucketPerOperation(t *testing.T) {
	h := newHarness(t, Config{})
	h.em.SetFaults(Faults{RateLimits: map[string]float64{"ListBatchInferenceJobs": 3, "*": 1}})

	// A burst of one second's worth passes; the call after it is throttled
	// as the service throttles, with HTTP 400 ThrottlingException.
	for i := range 3 {
		if _, err := h.client.ListBatchInferenceJobs(ctx, &personalize.ListBatchInferenceJobsInput{}); err != nil {
			t.Fatalf("list %d within the burst of 3: %v", i+1, err)
		}
	}
	_, err := h.client.ListBatchInferenceJobs(ctx, &personalize.ListBatchInferenceJobsInput{})
	wantAPIError(t, err, "ThrottlingException", "Rate exceeded")
	if httpStatus(err) != http.StatusBadRequest {
		t.Errorf("throttled list: HTTP %d, want 400", httpStatus(err))
	}

	// Other operations have buckets of their own, at the "*" rate.
	if _, err := h.client.ListBatchSegmentJobs(ctx, &personalize.ListBatchSegmentJobsInput{}); err != nil {
		t.Fatalf("first segment list under its own limit: %v", err)
	}
	_, err = h.client.ListBatchSegmentJobs(ctx, &personalize.ListBatchSegmentJobsInput{})
	wantAPIError(t, err, "ThrottlingException")

	st := h.em.Stats()
	if st.Throttled["ListBatchInferenceJobs"] != 1 || st.Throttled["ListBatchSegmentJobs"] != 1 {
		t.Errorf("throttled counts %v, want one per listing operation", st.Throttled)
	}
	if st.Faults[FaultRateLimited] != 2 || st.Faults[FaultThrottled] != 0 {
		t.Errorf("faults %v: want 2 rate_limited and no throttle_rate throttles", st.Faults)
	}
	if st.Calls["ListBatchInferenceJobs"] != 4 {
		t.Errorf("a throttled call still counts as a call: %v", st.Calls)
	}
}

func TestEmulator_rateLimitRefillsAtItsRate(t *testing.T) {
	e, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	e.SetFaults(Faults{RateLimits: map[string]float64{"DescribeBatchInferenceJob": 10}})
	start := time.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	passed := 0
	// Ten calls a second for 3 s on a clock of our own: the burst of 10,
	// then one call per 100 ms.
	for ms := 0; ms < 3000; ms++ {
		if e.takeLocked("DescribeBatchInferenceJob", start.Add(time.Duration(ms)*time.Millisecond)) {
			passed++
		}
	}
	if passed < 39 || passed > 41 {
		t.Errorf("%d calls passed in 3 s at 10/s with a burst of 10, want 40", passed)
	}
	if !e.takeLocked("CreateBatchInferenceJob", start) {
		t.Error("an operation without a limit was throttled")
	}
}

func TestEmulator_latencyJitterStaysInRange(t *testing.T) {
	e, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	e.SetFaults(Faults{LatencyMS: 100, LatencyJitterMS: 50, Seed: 3})
	seen := map[time.Duration]bool{}
	for range 200 {
		d, fault := e.injectFault("DescribeBatchInferenceJob")
		if fault != nil {
			t.Fatalf("latency alone injected %v", fault)
		}
		if d < 100*time.Millisecond || d > 150*time.Millisecond {
			t.Fatalf("latency %v outside 100 ms + 0…50 ms", d)
		}
		seen[d] = true
	}
	if len(seen) < 50 {
		t.Errorf("only %d distinct latencies in 200 calls: the jitter is not drawn per call", len(seen))
	}
}

func TestFaults_validateNamesTheSetting(t *testing.T) {
	for _, tc := range []struct {
		faults Faults
		want   string
	}{
		{Faults{LatencyJitterMS: -1}, "latency_jitter_ms"},
		{Faults{RateLimits: map[string]float64{"DescribeJob": 1}}, `unknown operation "DescribeJob"`},
		{Faults{RateLimits: map[string]float64{"ListBatchInferenceJobs": -2}}, `rate_limits["ListBatchInferenceJobs"] -2`},
	} {
		err := tc.faults.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate(%+v) = %v, want an error naming %s", tc.faults, err, tc.want)
		}
	}
	if err := (Faults{RateLimits: map[string]float64{"*": 5, "ListBatchSegmentJobs": 0}}).Validate(); err != nil {
		t.Errorf("valid limits refused: %v", err)
	}
}

// Every injected fault is counted by kind, so a test can report how hard an
// apply was hit; a reset starts the count again.
func TestEmulator_statsCountInjectedFaults(t *testing.T) {
	h := newHarness(t, Config{JobDuration: time.Hour})
	h.em.SetFaults(Faults{ThrottleRate: 1})
	_, err := h.client.ListBatchInferenceJobs(ctx, &personalize.ListBatchInferenceJobsInput{})
	wantAPIError(t, err, "ThrottlingException")

	h.em.SetFaults(Faults{ErrorRate: 1, Seed: 7})
	seq := faultSequence(h)
	want500, want503 := 0, 0
	for _, s := range seq {
		switch s {
		case "500":
			want500++
		case "503":
			want503++
		}
	}

	h.em.SetFaults(Faults{DropCreateResponseRate: 1})
	_, err = h.client.CreateBatchInferenceJob(ctx, validCreate("dropped"))
	wantAPIError(t, err, "InternalFailure")

	h.em.SetFaults(Faults{ConsistencyDelayMS: 2000})
	arn := h.create(validCreate("lagging"))
	_, err = h.client.DescribeBatchInferenceJob(ctx, &personalize.DescribeBatchInferenceJobInput{BatchInferenceJobArn: aws.String(arn)})
	wantAPIError(t, err, "ResourceNotFoundException")
	_, err = h.client.ListTagsForResource(ctx, &personalize.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	wantAPIError(t, err, "ResourceNotFoundException")
	if names, _ := h.listNames(&personalize.ListBatchInferenceJobsInput{}); slices.Contains(names, "lagging") {
		t.Fatalf("listed before it is visible: %v", names)
	}

	want := map[string]int{
		FaultThrottled: 1, FaultInternalFailure: want500, FaultServiceUnavailable: want503,
		FaultDroppedCreate: 1, FaultNotYetVisible: 3,
	}
	var stats Stats
	h.control("GET", "stats", nil, &stats)
	if want500 == 0 || want503 == 0 || fmt.Sprint(stats.Faults) != fmt.Sprint(want) {
		t.Errorf("faults counted %v, want %v", stats.Faults, want)
	}
	h.em.Reset()
	if st := h.em.Stats(); len(st.Faults) != 0 {
		t.Errorf("faults after a reset: %v", st.Faults)
	}
}
