package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awspersonalize "github.com/aws/aws-sdk-go-v2/service/personalize"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// Terraform applies ten resources at a time through one configured client.
// Each concurrent call must send its own request body and read its own
// answer: a shared buffer in the SDK logging middleware once swapped bodies
// between calls, so that one job was recorded with another job's attributes.
func TestClient_concurrentCallsKeepTheirBodies(t *testing.T) {
	isolateEnv(t)
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			BatchInferenceJobArn string `json:"batchInferenceJobArn"`
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.BatchInferenceJobArn == "" {
			w.Header().Set("X-Amzn-ErrorType", "SerializationException")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"__type":"SerializationException","message":"malformed body: %v"}`, err)
			return
		}
		name := in.BatchInferenceJobArn[strings.LastIndex(in.BatchInferenceJobArn, "/")+1:]
		// A long answer, so that a reused buffer would be overwritten mid-read.
		fmt.Fprintf(w, `{"batchInferenceJob":{"batchInferenceJobArn":%q,"jobName":%q,"failureReason":%q}}`,
			in.BatchInferenceJobArn, name, strings.Repeat(name, 200))
	}))
	t.Cleanup(server.Close)

	// Logging at trace level, as under Terraform, where the SDK subsystem
	// logs at trace unless TF_LOG_SDK says otherwise: that is when the
	// middleware copies bodies.
	var logs lockedBuffer
	ctx := tflogtest.RootLogger(context.Background(), &logs)
	data, resp := configure(ctx, t, staticSettings(map[string]any{
		"endpoints": []any{map[string]any{"personalize": server.URL}},
	}))
	if resp.Diagnostics.HasError() {
		t.Fatalf("Configure failed: %s", diagText(resp.Diagnostics))
	}

	const workers, calls = 16, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*calls)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range calls {
				name := fmt.Sprintf("job-%02d-%02d-%s", w, c, strings.Repeat("x", 40))
				arn := "arn:aws:personalize:us-west-2:123456789012:batch-inference-job/" + name
				out, err := data.Client.DescribeBatchInferenceJob(ctx, &awspersonalize.DescribeBatchInferenceJobInput{BatchInferenceJobArn: aws.String(arn)})
				switch {
				case err != nil:
					errs <- fmt.Errorf("describe %s: %w", name, err)
				case out.BatchInferenceJob == nil:
					errs <- fmt.Errorf("describe %s: answer without a job", name)
				case aws.ToString(out.BatchInferenceJob.JobName) != name:
					errs <- fmt.Errorf("describe %s answered with job %s", name, aws.ToString(out.BatchInferenceJob.JobName))
				case aws.ToString(out.BatchInferenceJob.FailureReason) != strings.Repeat(name, 200):
					errs <- fmt.Errorf("describe %s: answer body corrupted", name)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	n := 0
	for err := range errs {
		if n < 5 {
			t.Error(err)
		}
		n++
	}
	if n > 0 {
		t.Errorf("%d of %d concurrent calls got someone else's or a corrupted body", n, workers*calls)
	}
	if !strings.Contains(logs.String(), "http.request.body") {
		t.Error("the SDK's body logging never ran, so this test proves nothing")
	}
}

// lockedBuffer is a log sink that concurrent calls can share.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
