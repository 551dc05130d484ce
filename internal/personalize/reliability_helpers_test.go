package personalize_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
)

// faultsVariable turns on the reliability tests that take long: faults,
// quota, interrupt, restart and secrets (make testfaults).
const faultsVariable = "PERSONALIZE_TEST_FAULTS"

// requireFaultTests skips the long reliability tests unless they were asked for.
func requireFaultTests(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skipf("acceptance test: set TF_ACC=1 and %s=1 to run it (make testfaults)", faultsVariable)
	}
	if os.Getenv(faultsVariable) != "1" {
		t.Skipf("long reliability test: set %s=1 (with TF_ACC=1) to run it, or run make testfaults", faultsVariable)
	}
}

// requireAcc skips a test that runs terraform unless TF_ACC is set.
func requireAcc(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 to run it")
	}
}

// answer is one Personalize call as the client saw it: the operation, the
// job it named (when it named one) and the outcome, "OK" or the error type.
type answer struct {
	operation, jobName, outcome string
}

// recorder sits between the provider and the emulator and notes every
// answer, so a test can prove which faults the provider actually met.
type recorder struct {
	next http.Handler
	// serving counts the requests being served, whose answers are not
	// recorded yet.
	serving atomic.Int64

	mu      sync.Mutex
	answers []answer
}

// settle waits until every request the recorder has received is answered
// and recorded: those of a killed client can still be in the emulator.
func (r *recorder) settle(t *testing.T) {
	t.Helper()
	acctest.WaitFor(t, time.Minute, "the requests in flight to be answered", func() bool { return r.serving.Load() == 0 })
}

// recordingEnv returns env with its endpoint moved to a recorder in front of
// its emulator.
func recordingEnv(t *testing.T, env *acctest.Env) (*acctest.Env, *recorder) {
	t.Helper()
	rec := &recorder{next: env.RequireEmulator(t)}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	recorded := *env
	recorded.Endpoint = srv.URL
	return &recorded, rec
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.serving.Add(1)
	defer r.serving.Add(-1)
	body, _ := io.ReadAll(req.Body)
	req.Body = io.NopCloser(bytes.NewReader(body))
	op, isAPI := strings.CutPrefix(req.Header.Get("X-Amz-Target"), "AmazonPersonalize.")
	if !isAPI {
		r.next.ServeHTTP(w, req)
		return
	}
	var named struct {
		JobName              string `json:"jobName"`
		BatchInferenceJobArn string `json:"batchInferenceJobArn"`
		ResourceArn          string `json:"resourceArn"`
	}
	_ = json.Unmarshal(body, &named)
	name := named.JobName
	for _, arn := range []string{named.BatchInferenceJobArn, named.ResourceArn} {
		if _, n, ok := strings.Cut(arn, ":batch-inference-job/"); ok {
			name = n
		}
	}
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	r.next.ServeHTTP(sw, req)
	outcome := "OK"
	if sw.status != http.StatusOK {
		outcome = sw.Header().Get("X-Amzn-ErrorType")
		if outcome == "" {
			outcome = fmt.Sprintf("HTTP %d", sw.status)
		}
	}
	r.mu.Lock()
	r.answers = append(r.answers, answer{operation: op, jobName: name, outcome: outcome})
	r.mu.Unlock()
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// count is how many answers of operation (any operation when "") had outcome.
func (r *recorder) count(operation, outcome string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, a := range r.answers {
		if (operation == "" || a.operation == operation) && a.outcome == outcome {
			n++
		}
	}
	return n
}

// outcomesByJob lists, per job name, the outcomes of operation in order.
func (r *recorder) outcomesByJob(operation string) map[string][]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string][]string{}
	for _, a := range r.answers {
		if a.operation == operation {
			out[a.jobName] = append(out[a.jobName], a.outcome)
		}
	}
	return out
}

// summary is the tally of outcomes per operation, for failure messages.
func (r *recorder) summary() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	tally := map[string]int{}
	for _, a := range r.answers {
		tally[a.operation+" "+a.outcome]++
	}
	keys := make([]string, 0, len(tally))
	for k := range tally {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s: %d\n", k, tally[k])
	}
	return b.String()
}

// emulatorJobARNs lists every job the environment's emulator holds, straight
// from the emulator (no faults, no recorder in between).
func emulatorJobARNs(t *testing.T, env *acctest.Env) map[string]string {
	t.Helper()
	client := env.Client(t)
	jobs := map[string]string{}
	var token *string
	for {
		out, err := client.ListBatchInferenceJobs(context.Background(), &personalize.ListBatchInferenceJobsInput{NextToken: token, MaxResults: aws.Int32(100)})
		if err != nil {
			t.Fatalf("listing the emulator's jobs: %s", err)
		}
		for _, j := range out.BatchInferenceJobs {
			jobs[aws.ToString(j.BatchInferenceJobArn)] = aws.ToString(j.Status)
		}
		if aws.ToString(out.NextToken) == "" {
			return jobs
		}
		token = out.NextToken
	}
}
