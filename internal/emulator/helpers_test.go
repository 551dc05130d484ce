package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	"github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

const (
	fixtureUP      = "arn:aws:personalize:us-east-1:123456789012:solution/demo-user-personalization/1a2b3c4d"
	fixtureSIMS    = "arn:aws:personalize:us-east-1:123456789012:solution/demo-similar-items/5e6f7a8b"
	fixtureRanking = "arn:aws:personalize:us-east-1:123456789012:solution/demo-personalized-ranking/9c0d1e2f"
	fixtureFilter  = "arn:aws:personalize:us-east-1:123456789012:filter/demo-filter"
	testRole       = "arn:aws:iam::123456789012:role/PersonalizeBatch"
	jobARNPrefix   = "arn:aws:personalize:us-east-1:123456789012:batch-inference-job/"
)

var ctx = context.Background()

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type harness struct {
	t      *testing.T
	em     *Emulator
	srv    *httptest.Server
	client *personalize.Client
	clock  *fakeClock
}

// newHarness starts an emulator behind a real HTTP server. Unless cfg brings
// its own clock, the emulator runs on a fake clock the test moves by hand.
func newHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	h := &harness{t: t}
	if cfg.Now == nil {
		h.clock = newFakeClock()
		cfg.Now = h.clock.Now
	}
	em, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	h.em = em
	h.srv = httptest.NewServer(em)
	t.Cleanup(func() {
		h.srv.Close()
		if err := em.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	h.client = h.newClient("AKIDTEST", "secret")
	return h
}

// newClient is the real SDK client, without retries unless a test asks for
// them, so that every error the emulator sends is seen as sent.
func (h *harness) newClient(accessKey, secretKey string, optFns ...func(*personalize.Options)) *personalize.Client {
	return personalize.New(personalize.Options{
		BaseEndpoint:     aws.String(h.srv.URL),
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider(accessKey, secretKey, ""),
		RetryMaxAttempts: 1,
	}, optFns...)
}

// withFastRetries retries like the standard retryer, minus the waiting.
func withFastRetries(attempts int) func(*personalize.Options) {
	return func(o *personalize.Options) {
		o.RetryMaxAttempts = attempts
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts = attempts
			so.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		})
	}
}

func validCreate(name string) *personalize.CreateBatchInferenceJobInput {
	return &personalize.CreateBatchInferenceJobInput{
		JobName:            aws.String(name),
		SolutionVersionArn: aws.String(fixtureUP),
		JobInput:           &types.BatchInferenceJobInput{S3DataSource: &types.S3DataConfig{Path: aws.String("s3://in/users/")}},
		JobOutput:          &types.BatchInferenceJobOutput{S3DataDestination: &types.S3DataConfig{Path: aws.String("s3://out/results/")}},
		RoleArn:            aws.String(testRole),
	}
}

func (h *harness) create(in *personalize.CreateBatchInferenceJobInput) string {
	h.t.Helper()
	out, err := h.client.CreateBatchInferenceJob(ctx, in)
	if err != nil {
		h.t.Fatalf("CreateBatchInferenceJob %s: %v", aws.ToString(in.JobName), err)
	}
	return aws.ToString(out.BatchInferenceJobArn)
}

func (h *harness) describe(arn string) *types.BatchInferenceJob {
	h.t.Helper()
	out, err := h.client.DescribeBatchInferenceJob(ctx, &personalize.DescribeBatchInferenceJobInput{BatchInferenceJobArn: aws.String(arn)})
	if err != nil {
		h.t.Fatalf("DescribeBatchInferenceJob %s: %v", arn, err)
	}
	return out.BatchInferenceJob
}

// wantAPIError checks the error name the SDK decoded and that the message
// says each of the given fragments.
func wantAPIError(t *testing.T, err error, code string, fragments ...string) {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("want %s, got %v", code, err)
	}
	if apiErr.ErrorCode() != code {
		t.Fatalf("want %s, got %s: %s", code, apiErr.ErrorCode(), apiErr.ErrorMessage())
	}
	for _, f := range fragments {
		if !strings.Contains(apiErr.ErrorMessage(), f) {
			t.Errorf("%s message %q does not mention %q", code, apiErr.ErrorMessage(), f)
		}
	}
}

func httpStatus(err error) int {
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

type rawResponse struct {
	status int
	header http.Header
	body   map[string]any
	text   string
}

// raw sends a hand-made Personalize request, for what the SDK cannot send.
func (h *harness) raw(target string, body string, header map[string]string) rawResponse {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.srv.URL+"/", strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", awsJSON)
	if target != "" {
		req.Header.Set("X-Amz-Target", target)
	}
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDTEST/20250601/us-east-1/personalize/aws4_request, SignedHeaders=host, Signature=00")
	for k, v := range header {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	return h.do(req)
}

func (h *harness) do(req *http.Request) rawResponse {
	h.t.Helper()
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	r := rawResponse{status: resp.StatusCode, header: resp.Header, text: string(data)}
	_ = json.Unmarshal(data, &r.body)
	return r
}

// control calls the control API and decodes its JSON answer into out.
func (h *harness) control(method, path string, in any, out any) int {
	h.t.Helper()
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, h.srv.URL+"/_emulator/"+path, body)
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			h.t.Fatalf("control %s %s: %v", method, path, err)
		}
	}
	return resp.StatusCode
}

func readCloser(s string) io.ReadCloser { return io.NopCloser(strings.NewReader(s)) }
