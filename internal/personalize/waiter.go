package personalize

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Job statuses. The reference spells the running state "IN PROGRESS" while
// other Personalize resources say "CREATE IN_PROGRESS", so only the two
// terminal states are matched and anything else counts as running.
const (
	statusActive       = "ACTIVE"
	statusCreateFailed = "CREATE FAILED"
	// statusCreateStopped ends a training stopped before it finished, as
	// Describe spells it (the StopSolutionVersionCreation reference writes
	// CREATE_STOPPED, which is matched too).
	statusCreateStopped = "CREATE STOPPED"
)

// isTerminalStatus reports whether a job with this status will never change again.
func isTerminalStatus(status string) bool {
	return status == statusActive || status == statusCreateFailed || status == statusCreateStopped || status == "CREATE_STOPPED"
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

// outageWindow bounds how long a wait rides out an endpoint that stops
// answering (a restart, a network blip): the job runs on in the service
// meanwhile, and the wait picks it up again when the endpoint answers.
var outageWindow = 2 * time.Minute

func pollInterval(elapsed time.Duration) time.Duration {
	return min(max(elapsed/10, pollMinInterval), pollMaxInterval)
}

// jobStatus returns the job and its status; a job not (yet) visible gives
// nil and "" without error, since a job just created may take a moment to
// appear.
func jobStatus[J, In any](ctx context.Context, k *jobKind[J, In], conn *personalize.Client, arn string, optFns ...func(*personalize.Options)) (*J, string, error) {
	job, err := findJob(ctx, k, conn, arn, optFns...)
	if isNotFound(err) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	return job, k.view(job).Status, nil
}

// waitJob waits until done accepts the job, the context ends or the job
// cannot be found. It always returns the last job it saw (nil if none), so a
// caller that gives up can still record where the job was.
//
// Statuses come from the process's shared poller, which lists jobs a page at
// a time. Describe, paced with every other wait's, is for what a listing
// cannot tell: the job's arguments when known is nil (an adopted or resumed
// job, or a request whose defaults only the service knows), a job the
// listing does not show yet, and the reason of a job that failed.
func waitJob[J, In any](ctx context.Context, k *jobKind[J, In], pd *ProviderData, conn *personalize.Client, arn string, known *J, done func(jobView) bool) (*J, error) {
	w := &jobWaiter[J, In]{k: k, arn: arn, done: done, start: time.Now()}
	poller := pd.jobPoller(conn)
	describe := func() (*J, error) {
		job, _, err := jobStatus(ctx, k, conn, arn, poller.pacer(k.describeOperation).option)
		return job, err
	}
	for known == nil {
		job, err := describe()
		if err != nil {
			if err := w.unreachable(ctx, err); err != nil {
				return w.last, err
			}
			if !sleep(ctx, pollInterval(time.Since(w.start))) {
				return w.last, ctx.Err()
			}
			continue
		}
		if job != nil {
			if w.saw(ctx, job) {
				return job, nil
			}
			known = job
			break
		}
		if err := w.notSeen(ctx); err != nil {
			return nil, err
		}
		if !sleep(ctx, pollInterval(time.Since(w.start))) {
			return nil, ctx.Err()
		}
	}

	view := k.view(known)
	watch := poller.watch(listerOf(k), arn, view.ParentARN, aws.ToTime(view.CreationDateTime), w.start)
	defer poller.unwatch(watch)
	for {
		obs, err := watch.next(ctx)
		if err != nil {
			return w.last, err
		}
		var job *J
		if obs.Summary != nil {
			job = k.withSummary(known, *obs.Summary)
		} else {
			// The listing did not show the job: not listed yet (the service
			// is eventually consistent), or the listing failed.
			if obs.Err != nil {
				tflog.Debug(ctx, "listing "+k.noun+"s failed; describing the job instead", map[string]any{k.arnAttribute: arn, "error": obs.Err.Error()})
			}
			if job, err = describe(); err != nil {
				if err := w.unreachable(ctx, err); err != nil {
					return w.last, err
				}
				continue
			}
			if job == nil {
				if err := w.notSeen(ctx); err != nil {
					return w.last, err
				}
				continue
			}
			known = job
		}
		if !w.saw(ctx, job) {
			continue
		}
		if obs.Summary != nil && k.view(job).Status == statusCreateFailed {
			// A failure is reported with the reason Describe gives.
			if described, err := describe(); err == nil && described != nil {
				job = described
				w.last = job
			}
		}
		return job, nil
	}
}

// jobWaiter is what one wait knows of its job.
type jobWaiter[J, In any] struct {
	k     *jobKind[J, In]
	arn   string
	done  func(jobView) bool
	start time.Time

	last       *J // the latest sighting, nil before the first
	lastStatus string
	// unreachableSince is when the endpoint stopped answering, zero while
	// it answers.
	unreachableSince time.Time
}

// saw records a sighting of the job, logs a change of status and reports
// whether the wait is over.
func (w *jobWaiter[J, In]) saw(ctx context.Context, job *J) bool {
	w.unreachableSince = time.Time{}
	view := w.k.view(job)
	if view.Status != w.lastStatus {
		tflog.Info(ctx, w.k.noun+" status", map[string]any{
			w.k.arnAttribute:  w.arn,
			"status":          view.Status,
			"previous_status": w.lastStatus,
			"elapsed":         time.Since(w.start).Round(time.Second).String(),
		})
		w.lastStatus = view.Status
	}
	w.last = job
	return w.done(view)
}

// unreachable handles a look that failed: an error, unless the look never
// reached the service and the endpoint has not been silent for outageWindow
// yet, in which case the wait goes on.
func (w *jobWaiter[J, In]) unreachable(ctx context.Context, err error) error {
	if !neverReachedService(err) {
		return err
	}
	if w.unreachableSince.IsZero() {
		w.unreachableSince = time.Now()
		tflog.Warn(ctx, "the endpoint does not answer; still waiting for the "+w.k.noun, map[string]any{
			w.k.arnAttribute: w.arn, "gives_up_after": outageWindow.String(), "error": err.Error(),
		})
	}
	if silent := time.Since(w.unreachableSince); silent > outageWindow {
		return fmt.Errorf("%w (no answer for %s while waiting for %s)", err, silent.Round(time.Second), w.arn)
	}
	return nil
}

// notSeen handles a look that did not find the job: an error once it was
// seen before, or when it has stayed invisible too long.
func (w *jobWaiter[J, In]) notSeen(ctx context.Context) error {
	w.unreachableSince = time.Time{}
	switch {
	case w.last != nil:
		return fmt.Errorf("%s %s disappeared while waiting for it (it was %s)", w.k.noun, w.arn, w.lastStatus)
	case time.Since(w.start) > visibilityWindow:
		return fmt.Errorf("%s %s is still not found %s after it was submitted; check the provider's region and account", w.k.noun, w.arn, visibilityWindow)
	}
	tflog.Debug(ctx, w.k.noun+" not visible yet", map[string]any{w.k.arnAttribute: w.arn})
	return nil
}

func jobVisible(jobView) bool { return true }

func jobFinished(job jobView) bool { return isTerminalStatus(job.Status) }

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// jitter spreads retries of parallel creates (one apply often queues several
// jobs) over [d/2, d).
func jitter(d time.Duration) time.Duration {
	n := time.Now().UnixNano()
	return d/2 + time.Duration(n%int64(d/2+1))
}
