package personalize

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/personalize"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Job statuses. The reference spells the running state "IN PROGRESS" while
// other Personalize resources say "CREATE IN_PROGRESS", so only the two
// terminal states are matched and anything else counts as running.
const (
	StatusActive       = "ACTIVE"
	StatusCreateFailed = "CREATE FAILED"
)

// IsTerminalStatus reports whether a job with this status will never change again.
func IsTerminalStatus(status string) bool {
	return status == StatusActive || status == StatusCreateFailed
}

// Polling bounds: the first look comes after about a second, and the interval
// then grows with the time already waited (a tenth of it), so a job is seen to
// finish within about 10 % of its run time without polling an hours-long job
// every second. AWS's own sample polls every 60 s, the ceiling here.
var (
	pollMinInterval = time.Second
	pollMaxInterval = 60 * time.Second
)

// visibilityWindow bounds how long a job may stay invisible to Describe while
// waiting for it: long enough for the service's eventual consistency after a
// create, short enough that a job that is really gone does not hold an apply
// for the whole create timeout.
var visibilityWindow = 2 * time.Minute

func pollInterval(elapsed time.Duration) time.Duration {
	return min(max(elapsed/10, pollMinInterval), pollMaxInterval)
}

// jobStatus returns the job and its status; a job not (yet) visible gives
// nil and "" without error, since a job just created may take a moment to
// appear.
func jobStatus[J, In any](ctx context.Context, k *jobKind[J, In], conn *personalize.Client, arn string) (*J, string, error) {
	job, err := findJob(ctx, k, conn, arn)
	if IsNotFound(err) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	return job, k.view(job).Status, nil
}

// waitJob polls until done accepts the job, the context ends or Describe
// fails. It always returns the last job it saw (nil if none), so a caller
// that gives up can still record where the job was.
func waitJob[J, In any](ctx context.Context, k *jobKind[J, In], conn *personalize.Client, arn string, done func(jobView) bool) (*J, error) {
	start := time.Now()
	var last *J
	lastStatus := ""
	for {
		job, status, err := jobStatus(ctx, k, conn, arn)
		if err != nil {
			return last, err
		}
		if job != nil {
			last = job
			if status != lastStatus {
				tflog.Info(ctx, k.noun+" status", map[string]any{
					k.arnAttribute:    arn,
					"status":          status,
					"previous_status": lastStatus,
					"elapsed":         time.Since(start).Round(time.Second).String(),
				})
				lastStatus = status
			}
			if done(k.view(job)) {
				return job, nil
			}
		} else {
			switch {
			case last != nil:
				return last, fmt.Errorf("%s %s disappeared while waiting for it (it was %s)", k.noun, arn, lastStatus)
			case time.Since(start) > visibilityWindow:
				return nil, fmt.Errorf("%s %s is still not found %s after it was submitted; check the provider's region and account", k.noun, arn, visibilityWindow)
			}
			tflog.Debug(ctx, k.noun+" not visible yet", map[string]any{k.arnAttribute: arn})
		}

		timer := time.NewTimer(pollInterval(time.Since(start)))
		select {
		case <-ctx.Done():
			timer.Stop()
			return last, ctx.Err()
		case <-timer.C:
		}
	}
}

func jobVisible(jobView) bool { return true }

func jobFinished(job jobView) bool { return IsTerminalStatus(job.Status) }
