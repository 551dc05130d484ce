package personalize

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
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

// refusedPost is the error the HTTP client gives for a request to endpoint
// when nothing listens there.
func refusedPost(t *testing.T, endpoint string) error {
	t.Helper()
	resp, err := http.Post(endpoint+"/", "application/json", strings.NewReader("{}"))
	if err == nil {
		resp.Body.Close()
		t.Fatalf("something answers at %s", endpoint)
	}
	return err
}

func TestFindConnectFailure(t *testing.T) {
	endpoint := closedEndpoint(t)
	t.Run("refused", func(t *testing.T) {
		f, ok := FindConnectFailure(refusedPost(t, endpoint))
		if !ok || !f.Refused || f.Endpoint != endpoint || !strings.Contains(f.Problem, "connection refused") {
			t.Errorf("got %+v, %v; want a refused connection to %s", f, ok, endpoint)
		}
	})
	t.Run("host that does not resolve", func(t *testing.T) {
		err := &url.Error{Op: "Post", URL: "https://emulator.invalid:4599/", Err: &net.OpError{Op: "dial", Net: "tcp",
			Err: &net.DNSError{Err: "no such host", Name: "emulator.invalid", IsNotFound: true}}}
		f, ok := FindConnectFailure(err)
		if !ok || f.Refused || f.Endpoint != "https://emulator.invalid:4599" || !strings.Contains(f.Problem, "does not resolve") {
			t.Errorf("got %+v, %v; want an unresolvable host", f, ok)
		}
	})
	// These may have reached the service: they are not connect failures.
	for name, err := range map[string]error{
		"reset after sending": &url.Error{Op: "Post", URL: endpoint, Err: &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}},
		"response cut short":  &url.Error{Op: "Post", URL: endpoint, Err: io.ErrUnexpectedEOF},
		"plain error":         errors.New("connection refused by policy"),
	} {
		t.Run(name, func(t *testing.T) {
			if f, ok := FindConnectFailure(err); ok {
				t.Errorf("FindConnectFailure(%v) = %+v, want none", err, f)
			}
		})
	}
}

func TestCreateOutcomeUnknown_requestThatNeverLeft(t *testing.T) {
	refused := refusedPost(t, closedEndpoint(t))
	if createOutcomeUnknown(&EndpointUnreachableError{Err: refused}) {
		t.Error("a create none of whose attempts connected counts as possibly made: an adoption lookup would be spent on it")
	}
	// Refused on its last attempt only: an earlier attempt may have made the job.
	if !createOutcomeUnknown(refused) {
		t.Error("a create refused only on its last attempt counts as not made: a lost create response would not be adopted")
	}
}

// scriptedTransport answers each attempt with the next of its outcomes: a
// status code, or a refused connection (0).
type scriptedTransport struct {
	outcomes []int
	calls    atomic.Int32
}

func (s *scriptedTransport) Do(req *http.Request) (*http.Response, error) {
	n := int(s.calls.Add(1)) - 1
	code := s.outcomes[min(n, len(s.outcomes)-1)]
	if code == 0 {
		return nil, &url.Error{Op: "Post", URL: req.URL.String(),
			Err: &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}}
	}
	return &http.Response{StatusCode: code, Header: http.Header{"Content-Type": {"application/x-amz-json-1.1"}},
		Body: io.NopCloser(strings.NewReader(`{"__type":"InternalFailure","message":"boom"}`)), Request: req}, nil
}

func scriptedClient(setting string, attempts int, outcomes ...int) (*personalize.Client, *scriptedTransport) {
	transport := &scriptedTransport{outcomes: outcomes}
	return personalize.New(personalize.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String("http://127.0.0.1:4599"),
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		HTTPClient:   transport,
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = attempts
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		}),
	}, ReportUnreachableEndpoint(setting, nil)), transport
}

func TestReportUnreachableEndpoint(t *testing.T) {
	describe := func(c *personalize.Client) error {
		_, err := c.DescribeBatchInferenceJob(context.Background(), &personalize.DescribeBatchInferenceJobInput{
			BatchInferenceJobArn: aws.String("arn:aws:personalize:us-east-1:123456789012:batch-inference-job/x"),
		})
		return err
	}

	t.Run("every attempt refused", func(t *testing.T) {
		client, transport := scriptedClient("endpoints.personalize", 3, 0)
		err := describe(client)
		var unreachable *EndpointUnreachableError
		if !errors.As(err, &unreachable) {
			t.Fatalf("got %v, want an EndpointUnreachableError", err)
		}
		if unreachable.Attempts != 3 || transport.calls.Load() != 3 {
			t.Errorf("Attempts = %d after %d calls, want 3", unreachable.Attempts, transport.calls.Load())
		}
		for _, want := range []string{"http://127.0.0.1:4599", "endpoints.personalize in the provider block", "connection refused",
			"never reached the service", "--listen 127.0.0.1:4599"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error lacks %q: %s", want, err)
			}
		}
	})

	t.Run("endpoint from the environment", func(t *testing.T) {
		client, _ := scriptedClient("AWS_ENDPOINT_URL_PERSONALIZE", 1, 0)
		if err := describe(client); !strings.Contains(err.Error(), "the environment variable AWS_ENDPOINT_URL_PERSONALIZE") {
			t.Errorf("error does not name the variable: %s", err)
		}
	})

	t.Run("an attempt that reached the service", func(t *testing.T) {
		client, _ := scriptedClient("endpoints.personalize", 3, 500, 0)
		err := describe(client)
		if neverReachedService(err) {
			t.Errorf("a call whose first attempt got a 500 is reported as never reaching the service: %v", err)
		}
	})
}
