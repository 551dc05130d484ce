package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is written by the server goroutine and read by the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var listening = regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+)\n`)

// waitListening returns the URL once run has printed its listening line.
func waitListening(t *testing.T, stdout, stderr *syncBuffer) string {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if m := listening.FindStringSubmatch(stdout.String()); m != nil {
			return m[1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("no listening line; stdout %q stderr %q", stdout.String(), stderr.String())
		}
	}
}

func TestRun_servesUntilCancelled(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.json")
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var stdout, stderr syncBuffer
	exit := make(chan int, 1)
	go func() {
		exit <- run(ctx, []string{"--listen", "127.0.0.1:0", "--job-duration", "0s", "--region", "us-west-2", "--state-file", state}, &stdout, &stderr)
	}()

	url := waitListening(t, &stdout, &stderr)
	resp, err := http.Get(url + "/_emulator/health")
	if err != nil {
		t.Fatal(err)
	}
	var health map[string]string
	_ = json.NewDecoder(resp.Body).Decode(&health)
	resp.Body.Close()
	if health["status"] != "ok" || health["region"] != "us-west-2" {
		t.Errorf("health %v", health)
	}
	resp, err = http.Get(url + "/_emulator/settings")
	if err != nil {
		t.Fatal(err)
	}
	var settings map[string]float64
	_ = json.NewDecoder(resp.Body).Decode(&settings)
	resp.Body.Close()
	if settings["job_duration_ms"] != 0 {
		t.Errorf("--job-duration 0s must mean instant jobs: %v", settings)
	}
	req, _ := http.NewRequest(http.MethodPost, url+"/", strings.NewReader("{}"))
	req.Header.Set("X-Amz-Target", "AmazonPersonalize.ListBatchInferenceJobs")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	cancel()
	select {
	case code := <-exit:
		if code != 0 {
			t.Errorf("exit %d; stderr %s", code, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("did not shut down")
	}
	if !strings.Contains(stderr.String(), "POST ListBatchInferenceJobs 403 ") || !strings.Contains(stderr.String(), "MissingAuthenticationTokenException") {
		t.Errorf("request log: %s", stderr.String())
	}
	if _, err := os.Stat(state); err != nil {
		t.Errorf("state file not written: %v", err)
	}
}

func TestRun_refusesBadStart(t *testing.T) {
	corrupt := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(corrupt, []byte("{oops"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"--state-file", corrupt, "--listen", "127.0.0.1:0"}, 1, corrupt},
		{[]string{"--access-key", "only-one", "--listen", "127.0.0.1:0"}, 1, "secret key"},
		{[]string{"--no-such-flag"}, 2, "no-such-flag"},
		{[]string{"stray"}, 2, "unexpected arguments"},
		{[]string{"--rate-limit", "ListBatchInferenceJobs"}, 2, "OPERATION=CALLS_PER_SECOND"},
		{[]string{"--rate-limit", "ListBatchInferenceJobs=fast"}, 2, "not a number"},
		{[]string{"--rate-limit", "ListJobs=3"}, 2, `unknown operation "ListJobs"`},
		{[]string{"--latency-jitter", "-1s"}, 2, "latency_jitter_ms"},
		{[]string{"--training-duration", "-1s", "--listen", "127.0.0.1:0"}, 1, "training duration"},
		{[]string{"--max-running-imports", "-2", "--listen", "127.0.0.1:0"}, 1, "max running import jobs"},
	} {
		var stdout, stderr syncBuffer
		if code := run(t.Context(), c.args, &stdout, &stderr); code != c.code || !strings.Contains(stderr.String(), c.says) {
			t.Errorf("%v: exit %d, stderr %q; want %d mentioning %q", c.args, code, stderr.String(), c.code, c.says)
		}
		if strings.Contains(stdout.String(), "listening") {
			t.Errorf("%v: claimed to listen", c.args)
		}
	}
}

func TestRun_latencyAndRateLimitFlags(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var stdout, stderr syncBuffer
	exit := make(chan int, 1)
	go func() {
		exit <- run(ctx, []string{"--listen", "127.0.0.1:0", "--latency", "100ms", "--latency-jitter", "20ms",
			"--rate-limit", "DescribeBatchInferenceJob=10", "--rate-limit", "*=2.5"}, &stdout, &stderr)
	}()
	url := waitListening(t, &stdout, &stderr)
	resp, err := http.Get(url + "/_emulator/faults")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		LatencyMS       int                `json:"latency_ms"`
		LatencyJitterMS int                `json:"latency_jitter_ms"`
		RateLimits      map[string]float64 `json:"rate_limits"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&got)
	_ = resp.Body.Close()
	if got.LatencyMS != 100 || got.LatencyJitterMS != 20 || got.RateLimits["DescribeBatchInferenceJob"] != 10 || got.RateLimits["*"] != 2.5 {
		t.Errorf("faults after the flags: %+v", got)
	}
	cancel()
	if code := <-exit; code != 0 {
		t.Errorf("exit %d; stderr %q", code, stderr.String())
	}
}

func TestRun_importAndTrainingFlags(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var stdout, stderr syncBuffer
	exit := make(chan int, 1)
	go func() {
		exit <- run(ctx, []string{"--listen", "127.0.0.1:0", "--import-duration", "0s", "--max-running-imports", "0",
			"--training-duration", "90s", "--max-running-trainings", "3"}, &stdout, &stderr)
	}()
	url := waitListening(t, &stdout, &stderr)
	resp, err := http.Get(url + "/_emulator/settings")
	if err != nil {
		t.Fatal(err)
	}
	var settings map[string]float64
	_ = json.NewDecoder(resp.Body).Decode(&settings)
	_ = resp.Body.Close()
	if settings["import_duration_ms"] != 0 || settings["max_running_import_jobs"] != 0 ||
		settings["training_duration_ms"] != 90_000 || settings["max_running_trainings"] != 3 || settings["job_duration_ms"] != 2000 {
		t.Errorf("settings after the flags (an explicit 0 is kept, not replaced by the default): %v", settings)
	}
	cancel()
	if code := <-exit; code != 0 {
		t.Errorf("exit %d; stderr %q", code, stderr.String())
	}
}
