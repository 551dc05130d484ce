package provider

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awspersonalize "github.com/aws/aws-sdk-go-v2/service/personalize"
	"github.com/aws/smithy-go"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/personalize"
)

// closedEndpoint is the URL of a loopback port nothing listens on.
func closedEndpoint(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

func refusedError(t *testing.T) error {
	t.Helper()
	resp, err := http.Get(closedEndpoint(t))
	if err == nil {
		resp.Body.Close()
		t.Fatal("something answers at the closed endpoint")
	}
	return err
}

func TestRetryBackoff(t *testing.T) {
	t.Run("a refused connection is retried quickly, then given up", func(t *testing.T) {
		b := newRetryBackoff()
		refused := refusedError(t)
		var total time.Duration
		for attempt := 1; attempt <= len(refusedRetryDelays); attempt++ {
			d, err := b.BackoffDelay(attempt, refused)
			if err != nil {
				t.Fatalf("attempt %d: gave up: %v", attempt, err)
			}
			if d > 2*time.Second {
				t.Errorf("attempt %d: waits %s, want at most 2s", attempt, d)
			}
			total += d
		}
		if total < 5*time.Second || total > 10*time.Second {
			t.Errorf("refused connections are retried for %s in all, want 5-10s: long enough for a restart, short enough to fail fast", total)
		}
		_, err := b.BackoffDelay(len(refusedRetryDelays)+1, refused)
		if err == nil {
			t.Fatal("a connection refused on every attempt is retried for ever")
		}
		if f, ok := personalize.FindConnectFailure(err); !ok || !f.Refused {
			t.Errorf("giving up lost the refusal: %v", err)
		}
	})
	t.Run("an endpoint that refused a whole call gets no retries for a while", func(t *testing.T) {
		b := newRetryBackoff()
		clock := time.Now()
		b.dead.now = func() time.Time { return clock }
		dead, other := refusedError(t), refusedError(t)
		if _, err := b.BackoffDelay(len(refusedRetryDelays)+1, dead); err == nil {
			t.Fatal("the first call was not given up")
		}
		if _, err := b.BackoffDelay(1, dead); err == nil {
			t.Error("the next call to the endpoint that refused a whole call waits out its retries again")
		}
		if _, err := b.BackoffDelay(1, other); err != nil {
			t.Errorf("another endpoint lost its retries: %v", err)
		}
		clock = clock.Add(deadEndpointMemory)
		if _, err := b.BackoffDelay(1, dead); err != nil {
			t.Errorf("the endpoint still gets no retries %s later: %v", deadEndpointMemory, err)
		}
	})
	t.Run("an endpoint that answers again gets its retries back", func(t *testing.T) {
		b := newRetryBackoff()
		refused := refusedError(t)
		if _, err := b.BackoffDelay(len(refusedRetryDelays)+1, refused); err == nil {
			t.Fatal("the first call was not given up")
		}
		b.dead.forget() // what a call that connected does
		if _, err := b.BackoffDelay(1, refused); err != nil {
			t.Errorf("an endpoint that restarted still gets no retries: %v", err)
		}
	})
	t.Run("throttling and server faults keep the SDK's backoff", func(t *testing.T) {
		b := newRetryBackoff()
		for _, err := range []error{
			&smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate exceeded"},
			&smithy.GenericAPIError{Code: "InternalFailure", Fault: smithy.FaultServer},
			errors.New("read tcp 127.0.0.1:1->127.0.0.1:2: read: connection reset by peer"),
		} {
			for attempt := 1; attempt <= defaultMaxAttempts; attempt++ {
				if _, gaveUp := b.BackoffDelay(attempt, err); gaveUp != nil {
					t.Fatalf("%v: gave up at attempt %d: %v", err, attempt, gaveUp)
				}
			}
		}
	})
}

func TestConfigure_deadPersonalizeEndpointFailsFast(t *testing.T) {
	isolateEnv(t)
	endpoint := closedEndpoint(t)
	data := mustConfigure(t, staticSettings(map[string]any{
		"max_retries": nil, // the default of 25 attempts
		"endpoints":   []any{map[string]any{"personalize": endpoint}},
	}))
	start := time.Now()
	err := describeError(data)
	elapsed := time.Since(start)
	t.Logf("failed after %s: %v", elapsed, err)
	var unreachable *personalize.EndpointUnreachableError
	if !errors.As(err, &unreachable) {
		t.Fatalf("got %v, want an EndpointUnreachableError", err)
	}
	if elapsed > 15*time.Second {
		t.Errorf("a refused endpoint took %s to report, want well under 15s", elapsed)
	}
	if unreachable.Attempts < 2 || unreachable.Attempts >= defaultMaxAttempts {
		t.Errorf("%d attempts, want a few quick retries (a restart may be under way), not all %d", unreachable.Attempts, defaultMaxAttempts)
	}
	for _, want := range []string{endpoint, "endpoints.personalize in the provider block", "connection refused", "never reached the service"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %s", want, err)
		}
	}
}

func TestConfigure_deadPersonalizeEndpointNamesItsSetting(t *testing.T) {
	for _, variable := range []string{"AWS_ENDPOINT_URL_PERSONALIZE", "AWS_ENDPOINT_URL"} {
		t.Run(variable, func(t *testing.T) {
			isolateEnv(t)
			endpoint := closedEndpoint(t)
			t.Setenv(variable, endpoint)
			err := describeError(mustConfigure(t, staticSettings(nil)))
			for _, want := range []string{endpoint, "the environment variable " + variable, "point " + variable + " at"} {
				if !strings.Contains(fmt.Sprint(err), want) {
					t.Errorf("error lacks %q: %v", want, err)
				}
			}
		})
	}
}

func describeError(data *personalize.ProviderData) error {
	_, err := data.Client.DescribeBatchInferenceJob(context.Background(), &awspersonalize.DescribeBatchInferenceJobInput{
		BatchInferenceJobArn: aws.String(testJobARN),
	})
	return err
}

// Failures that may be passing (server faults, resets after the request
// was sent) are retried as before: the same client rides them out.
func TestConfigure_transientFailuresStillRetried(t *testing.T) {
	isolateEnv(t)
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch calls.Add(1) {
		case 1:
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte(`{"__type":"InternalFailure","message":"boom"}`))
		case 2:
			// The request arrived; the connection dies before an answer.
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		default:
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			_, _ = w.Write([]byte(`{"batchInferenceJob":{"jobName":"survived"}}`))
		}
	}))
	t.Cleanup(srv.Close)
	data := mustConfigure(t, staticSettings(map[string]any{
		"max_retries": nil,
		"endpoints":   []any{map[string]any{"personalize": srv.URL}},
	}))
	out, err := data.Client.DescribeBatchInferenceJob(context.Background(), &awspersonalize.DescribeBatchInferenceJobInput{
		BatchInferenceJobArn: aws.String(testJobARN),
	})
	if err != nil {
		t.Fatalf("a 500 and a dropped connection were not ridden out: %v", err)
	}
	if got := aws.ToString(out.BatchInferenceJob.JobName); got != "survived" || calls.Load() != 3 {
		t.Errorf("got job %q after %d calls, want \"survived\" on the third", got, calls.Load())
	}
}
