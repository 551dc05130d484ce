package emulator

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
)

func TestEmulator_lifecyclePendingInProgressActive(t *testing.T) {
	h := newHarness(t, Config{JobDuration: 8 * time.Second})
	created := h.clock.Now()
	arn := h.create(validCreate("life"))
	if arn != jobARNPrefix+"life" {
		t.Fatalf("ARN %s", arn)
	}

	steps := []struct {
		advance     time.Duration
		status      string
		lastUpdated time.Time
	}{
		{0, "PENDING", created},
		{1 * time.Second, "PENDING", created},
		{1 * time.Second, "IN PROGRESS", created.Add(2 * time.Second)},
		{5 * time.Second, "IN PROGRESS", created.Add(2 * time.Second)},
		{1 * time.Second, "ACTIVE", created.Add(8 * time.Second)},
		{time.Hour, "ACTIVE", created.Add(8 * time.Second)},
	}
	for _, s := range steps {
		h.clock.Advance(s.advance)
		j := h.describe(arn)
		if aws.ToString(j.Status) != s.status || !j.LastUpdatedDateTime.Equal(s.lastUpdated) || !j.CreationDateTime.Equal(created) {
			t.Fatalf("at +%s: status %q updated %s created %s; want %q updated %s",
				h.clock.Now().Sub(created), aws.ToString(j.Status), j.LastUpdatedDateTime, j.CreationDateTime, s.status, s.lastUpdated)
		}
	}
	j := h.describe(arn)
	if aws.ToInt32(j.NumResults) != 25 || j.BatchInferenceJobMode != "BATCH_INFERENCE" || aws.ToString(j.RoleArn) != testRole ||
		aws.ToString(j.JobInput.S3DataSource.Path) != "s3://in/users/" || aws.ToString(j.FailureReason) != "" {
		t.Errorf("describe does not echo the job with its defaults: %+v", j)
	}
}

func TestEmulator_createRejectsDuplicateName(t *testing.T) {
	h := newHarness(t, Config{JobDuration: time.Second})
	h.create(validCreate("once"))
	_, err := h.client.CreateBatchInferenceJob(ctx, validCreate("once"))
	wantAPIError(t, err, "ResourceAlreadyExistsException", `"once"`, jobARNPrefix+"once")

	h.clock.Advance(time.Minute) // finished jobs keep their names for ever
	if s := aws.ToString(h.describe(jobARNPrefix + "once").Status); s != "ACTIVE" {
		t.Fatalf("status %s", s)
	}
	_, err = h.client.CreateBatchInferenceJob(ctx, validCreate("once"))
	wantAPIError(t, err, "ResourceAlreadyExistsException")
}

func TestEmulator_runningJobsQuota(t *testing.T) {
	h := newHarness(t, Config{JobDuration: 10 * time.Second, MaxRunningJobs: 2})
	h.create(validCreate("q1"))
	h.clock.Advance(5 * time.Second) // q1 now IN PROGRESS: still counts
	h.create(validCreate("q2"))
	_, err := h.client.CreateBatchInferenceJob(ctx, validCreate("q3"))
	wantAPIError(t, err, "LimitExceededException", "2")

	h.clock.Advance(5 * time.Second) // q1 done, q2 still running
	h.create(validCreate("q3"))
	_, err = h.client.CreateBatchInferenceJob(ctx, validCreate("q4"))
	wantAPIError(t, err, "LimitExceededException")

	h.em.SetMaxRunningJobs(3)
	h.create(validCreate("q4"))

	h.em.SetMaxRunningJobs(0)
	h.clock.Advance(time.Hour)
	_, err = h.client.CreateBatchInferenceJob(ctx, validCreate("q5"))
	wantAPIError(t, err, "LimitExceededException")
}

func TestEmulator_jobDurationAppliesToNewJobs(t *testing.T) {
	h := newHarness(t, Config{JobDuration: time.Minute})
	slow := h.create(validCreate("slow"))
	h.em.SetJobDuration(0)
	fast := h.create(validCreate("fast"))
	if s := aws.ToString(h.describe(fast).Status); s != "ACTIVE" {
		t.Errorf("zero-duration job: %s", s)
	}
	if s := aws.ToString(h.describe(slow).Status); s != "PENDING" {
		t.Errorf("job created before the change: %s", s)
	}
}

func TestEmulator_describeUnknownJob(t *testing.T) {
	h := newHarness(t, Config{})
	_, err := h.client.DescribeBatchInferenceJob(ctx, &personalize.DescribeBatchInferenceJobInput{BatchInferenceJobArn: aws.String(jobARNPrefix + "ghost")})
	wantAPIError(t, err, "ResourceNotFoundException", jobARNPrefix+"ghost")
}

func TestEmulator_jobsCompleteWithoutPolling(t *testing.T) {
	h := newHarness(t, Config{JobDuration: 20 * time.Millisecond, Now: time.Now})
	h.create(validCreate("unwatched"))
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		h.em.mu.Lock()
		status := h.em.jobs[jobARNPrefix+"unwatched"].Status
		h.em.mu.Unlock()
		if status == statusActive {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the job did not finish in the background")
}
