package benchmarks

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestStatsSub_countsOnlyWhatChanged(t *testing.T) {
	before := Stats{Calls: map[string]int{"CreateBatchInferenceJob": 3, "DescribeBatchInferenceJob": 7}, Jobs: 3}
	after := Stats{Calls: map[string]int{"CreateBatchInferenceJob": 13, "DescribeBatchInferenceJob": 7, "ListTagsForResource": 2}, Jobs: 13}
	d := after.Sub(before)
	if d.Jobs != 10 || d.Calls["CreateBatchInferenceJob"] != 10 || d.Calls["ListTagsForResource"] != 2 {
		t.Errorf("Sub = %+v", d)
	}
	if _, ok := d.Calls["DescribeBatchInferenceJob"]; ok {
		t.Error("an unchanged counter must not appear in the delta")
	}
	if d.Total() != 12 {
		t.Errorf("Total = %d, want 12", d.Total())
	}
	// Counters that vanished mean a reset in between, which must show.
	if d := (Stats{Calls: map[string]int{}}).Sub(before); d.Calls["DescribeBatchInferenceJob"] != -7 {
		t.Errorf("after a reset: %+v, want negative counts", d)
	}
}

func TestJobOf_readsNameFromEveryRequestShape(t *testing.T) {
	for body, want := range map[string]string{
		`{"jobName":"bench-1"}`: "bench-1",
		`{"batchInferenceJobArn":"arn:aws:personalize:us-east-1:123456789012:batch-inference-job/bench-2"}`: "bench-2",
		`{"resourceArn":"arn:aws:personalize:us-east-1:123456789012:batch-inference-job/bench-3"}`:          "bench-3",
		`{"maxResults":10}`: "",
		`not json`:          "",
	} {
		if got := jobOf([]byte(body)); got != want {
			t.Errorf("jobOf(%s) = %q, want %q", body, got, want)
		}
	}
}

// The recorder must time each API call and read the job's status and the
// error name from the answer, without changing what the client receives.
func TestRecorder_recordsStatusesAndErrors(t *testing.T) {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		switch {
		case strings.HasSuffix(r.Header.Get("X-Amz-Target"), "CreateBatchInferenceJob"):
			w.Header().Set("X-Amzn-ErrorType", "LimitExceededException:http://internal")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"__type":"LimitExceededException","message":"quota"}`)
		default:
			if !strings.Contains(string(body), "bench-7") {
				t.Errorf("the handler got a different body: %s", body)
			}
			_, _ = io.WriteString(w, `{"batchInferenceJob":{"status":"ACTIVE"}}`)
		}
	})
	rec := &recorder{next: api}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	start := time.Now()
	call := func(op, body string) string {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body))
		req.Header.Set("X-Amz-Target", "AmazonPersonalize."+op)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	if got := call("DescribeBatchInferenceJob", `{"batchInferenceJobArn":"arn:aws:personalize:us-east-1:123456789012:batch-inference-job/bench-7"}`); !strings.Contains(got, "ACTIVE") {
		t.Errorf("client got %q", got)
	}
	call("CreateBatchInferenceJob", `{"jobName":"bench-8"}`)

	calls := rec.Since(start)
	if len(calls) != 2 {
		t.Fatalf("recorded %d calls, want 2", len(calls))
	}
	if c := calls[0]; c.Op != "DescribeBatchInferenceJob" || c.Job != "bench-7" || c.JobStatus != "ACTIVE" || c.Error != "" || c.End.Before(c.Start) {
		t.Errorf("describe recorded as %+v", c)
	}
	if c := calls[1]; c.Op != "CreateBatchInferenceJob" || c.Job != "bench-8" || c.Status != 400 || c.Error != "LimitExceededException" {
		t.Errorf("create recorded as %+v", c)
	}
	if got := errorSummary(calls); got != "CreateBatchInferenceJob LimitExceededException ×1" {
		t.Errorf("errorSummary = %q", got)
	}
	if len(rec.Since(time.Now().Add(time.Hour))) != 0 {
		t.Error("Since must leave out earlier calls")
	}
}

func TestControl_sendsSettingsAndReadsStats(t *testing.T) {
	var settings map[string]int64
	ctl := http.NewServeMux()
	ctl.HandleFunc("POST /_emulator/settings", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewDecoder(r.Body).Decode(&settings)
		_, _ = io.WriteString(w, `{}`)
	})
	ctl.HandleFunc("GET /_emulator/stats", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"calls":{"CreateBatchInferenceJob":4},"jobs":4}`)
	})
	ctl.HandleFunc("POST /_emulator/reset", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"error":"boom"}`, http.StatusInternalServerError)
	})
	s, err := startServer(ctl)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := t.Context()
	if err := s.Configure(ctx, 2500*time.Millisecond, 5); err != nil {
		t.Fatal(err)
	}
	if settings["job_duration_ms"] != 2500 || settings["max_running_jobs"] != 5 {
		t.Errorf("settings sent: %v", settings)
	}
	st, err := s.Stats(ctx)
	if err != nil || st.Jobs != 4 || st.Calls["CreateBatchInferenceJob"] != 4 {
		t.Errorf("Stats = %+v, %v", st, err)
	}
	if err := s.Reset(ctx); err == nil || !strings.Contains(err.Error(), "HTTP 500") {
		t.Errorf("a failing control call must be an error naming the status, got %v", err)
	}
}
