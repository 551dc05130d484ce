package personalize

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
)

// waiterEmulator is an emulator whose jobs run for an hour, and a client for it.
func waiterEmulator(t *testing.T) (*emulator.Emulator, *personalize.Client) {
	t.Helper()
	return pollerEmulator(t, time.Hour, 0)
}

// A job that never shows up must not hold an apply for the whole create
// timeout: after the visibility window the wait ends with an error saying so.
func TestWaitBatchInferenceJob_givesUpOnAJobThatNeverAppears(t *testing.T) {
	_, conn := waiterEmulator(t)
	old := visibilityWindow
	visibilityWindow = 1500 * time.Millisecond
	t.Cleanup(func() { visibilityWindow = old })

	start := time.Now()
	job, err := waitJob(t.Context(), batchInferenceJobKind, nil, conn, "arn:aws:personalize:us-east-1:123456789012:batch-inference-job/never-made", nil, jobFinished)
	if job != nil || err == nil || !strings.Contains(err.Error(), "still not found") {
		t.Fatalf("wait for a job that never appears: job %v, error %v; want no job and a not-found error", job, err)
	}
	if waited := time.Since(start); waited > 10*time.Second {
		t.Errorf("waited %s for a job that never appears, want about the visibility window", waited)
	}
}

// A job that was seen and then vanishes ends the wait at once.
func TestWaitBatchInferenceJob_reportsAJobThatDisappears(t *testing.T) {
	em, conn := waiterEmulator(t)
	_, err := conn.CreateBatchInferenceJob(t.Context(), &personalize.CreateBatchInferenceJobInput{
		JobName:            aws.String("vanishing"),
		SolutionVersionArn: aws.String("arn:aws:personalize:us-east-1:123456789012:solution/demo-user-personalization/1a2b3c4d"),
		RoleArn:            aws.String("arn:aws:iam::123456789012:role/PersonalizeBatch"),
		JobInput:           &awstypes.BatchInferenceJobInput{S3DataSource: &awstypes.S3DataConfig{Path: aws.String("s3://bucket/input/")}},
		JobOutput:          &awstypes.BatchInferenceJobOutput{S3DataDestination: &awstypes.S3DataConfig{Path: aws.String("s3://bucket/output/")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	arn := "arn:aws:personalize:us-east-1:123456789012:batch-inference-job/vanishing"

	done := make(chan error, 1)
	go func() {
		_, err := waitJob(t.Context(), batchInferenceJobKind, nil, conn, arn, nil, jobFinished)
		done <- err
	}()
	time.Sleep(300 * time.Millisecond) // the first Describe sees the job running
	em.Reset()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "disappeared") {
			t.Fatalf("wait ended with %v, want an error saying the job disappeared", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the wait went on after the job disappeared")
	}
}
