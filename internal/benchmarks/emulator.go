package benchmarks

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Stats is the emulator's GET /_emulator/stats answer.
type Stats struct {
	Calls     map[string]int `json:"calls"`
	Throttled map[string]int `json:"throttled"` // calls answered ThrottlingException
	Jobs      int            `json:"jobs"`
}

// Sub is the change from before to s: the calls an operation made and the
// jobs it created.
func (s Stats) Sub(before Stats) Stats {
	d := Stats{Calls: map[string]int{}, Throttled: map[string]int{}, Jobs: s.Jobs - before.Jobs}
	for op, n := range s.Calls {
		if n -= before.Calls[op]; n != 0 {
			d.Calls[op] = n
		}
	}
	for op, n := range s.Throttled {
		if n -= before.Throttled[op]; n != 0 {
			d.Throttled[op] = n
		}
	}
	// An operation absent afterwards can only mean the counters were reset;
	// reporting it as negative would hide that.
	for op, n := range before.Calls {
		if _, ok := s.Calls[op]; !ok && n != 0 {
			d.Calls[op] = -n
		}
	}
	return d
}

// Total is the number of calls of every operation.
func (s Stats) Total() int { return sum(s.Calls) }

// Call is one API request as the recorder in front of the emulator saw it.
type Call struct {
	Op        string    // operation name, e.g. DescribeBatchInferenceJob
	Job       string    // job name, from jobName or the job's ARN
	Start     time.Time // request reached the emulator
	End       time.Time // response written
	Status    int
	Error     string // error __type, empty on success
	JobStatus string // status in a DescribeBatchInferenceJob answer
	// Listed is the status of each job a ListBatchInferenceJobs answer
	// showed, by job name.
	Listed map[string]string
}

// recorder sits in front of the emulator and keeps a timed log of API calls:
// the emulator's stats count calls, but latency and queue figures need to
// know when each one happened and what it answered.
type recorder struct {
	next  http.Handler
	mu    sync.Mutex
	calls []Call
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	target := req.Header.Get("X-Amz-Target")
	if target == "" {
		r.next.ServeHTTP(w, req)
		return
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	cw := &captureWriter{ResponseWriter: w, status: http.StatusOK}
	c := Call{Op: target[strings.LastIndex(target, ".")+1:], Job: jobOf(body), Start: time.Now()}
	r.next.ServeHTTP(cw, req)
	c.End = time.Now()
	c.Status = cw.status
	var answer struct {
		Type string `json:"__type"`
		Job  struct {
			Status string `json:"status"`
		} `json:"batchInferenceJob"`
		Listed []struct {
			Name   string `json:"jobName"`
			Status string `json:"status"`
		} `json:"batchInferenceJobs"`
	}
	_ = json.Unmarshal(cw.body.Bytes(), &answer)
	if c.Status >= 300 {
		c.Error = cw.Header().Get("X-Amzn-ErrorType")
		if c.Error == "" {
			c.Error = answer.Type
		}
		// Some servers qualify the name ("…#LimitExceededException").
		c.Error = c.Error[strings.LastIndex(c.Error, "#")+1:]
		c.Error, _, _ = strings.Cut(c.Error, ":")
	}
	c.JobStatus = answer.Job.Status
	if len(answer.Listed) > 0 {
		c.Listed = make(map[string]string, len(answer.Listed))
		for _, s := range answer.Listed {
			c.Listed[s.Name] = s.Status
		}
	}
	r.mu.Lock()
	r.calls = append(r.calls, c)
	r.mu.Unlock()
}

// Since returns the calls that started at or after t.
func (r *recorder) Since(t time.Time) []Call {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Call
	for _, c := range r.calls {
		if !c.Start.Before(t) {
			out = append(out, c)
		}
	}
	return out
}

// errorSummary counts error answers by operation and error name, e.g.
// "CreateBatchInferenceJob SerializationException ×3".
func errorSummary(calls []Call) string {
	counts := map[string]int{}
	var keys []string
	for _, c := range calls {
		if c.Error == "" && c.Status < 300 {
			continue
		}
		k := c.Op + " " + c.Error
		if counts[k] == 0 {
			keys = append(keys, k)
		}
		counts[k]++
	}
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s ×%d", k, counts[k])
	}
	return strings.Join(parts, ", ")
}

// jobOf names the job a request is about.
func jobOf(body []byte) string {
	var in struct {
		JobName     string `json:"jobName"`
		JobARN      string `json:"batchInferenceJobArn"`
		ResourceARN string `json:"resourceArn"`
	}
	if json.Unmarshal(body, &in) != nil {
		return ""
	}
	if in.JobName != "" {
		return in.JobName
	}
	for _, arn := range []string{in.JobARN, in.ResourceARN} {
		if _, name, ok := strings.Cut(arn, ":batch-inference-job/"); ok {
			return name
		}
	}
	return ""
}

type captureWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (w *captureWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

func (w *captureWriter) Write(p []byte) (int, error) {
	w.body.Write(p)
	return w.ResponseWriter.Write(p)
}

// server serves an emulator on a random loopback port.
type server struct {
	URL string
	rec *recorder
	srv *http.Server
	hc  *http.Client
}

func startServer(h http.Handler) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listening for the emulator: %w", err)
	}
	s := &server{
		URL: "http://" + ln.Addr().String(),
		rec: &recorder{next: h},
		hc:  &http.Client{Timeout: 30 * time.Second},
	}
	s.srv = &http.Server{Handler: s.rec, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

func (s *server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return s.srv.Shutdown(ctx)
}

// Stats reads the emulator's counters.
func (s *server) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	err := s.control(ctx, http.MethodGet, "stats", nil, &st)
	return st, err
}

// Configure sets the job duration and the running-jobs quota for the jobs
// created from now on.
func (s *server) Configure(ctx context.Context, d time.Duration, quota int) error {
	return s.control(ctx, http.MethodPost, "settings", map[string]int64{
		"job_duration_ms":  d.Milliseconds(),
		"max_running_jobs": int64(quota),
	}, nil)
}

// SetFaults replaces the emulator's injected faults (latency, rate limits…).
func (s *server) SetFaults(ctx context.Context, faults map[string]any) error {
	return s.control(ctx, http.MethodPost, "faults", faults, nil)
}

// Reset forgets every job, so that each scenario starts from an empty
// account and its list and quota figures are its own.
func (s *server) Reset(ctx context.Context) error {
	return s.control(ctx, http.MethodPost, "reset", nil, nil)
}

func (s *server) control(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.URL+"/_emulator/"+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.hc.Do(req)
	if err != nil {
		return fmt.Errorf("emulator control %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("emulator control %s %s: HTTP %d: %s", method, path, resp.StatusCode, strings.TrimSpace(string(b)))
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("emulator control %s %s: decoding %q: %w", method, path, b, err)
		}
	}
	return nil
}
