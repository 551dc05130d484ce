package personalize

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sync"
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
	// The running states of imports and trainings, as the service spells
	// them (a batch job's are PENDING and IN PROGRESS).
	statusCreatePending    = "CREATE PENDING"
	statusCreateInProgress = "CREATE IN_PROGRESS"
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
	return waitJobFrom(ctx, k, pd, conn, arn, known, done, nil)
}

// waitJobFrom is waitJob that, when it describes the job first (known is
// nil), hands that description to described before it waits on.
func waitJobFrom[J, In any](ctx context.Context, k *jobKind[J, In], pd *ProviderData, conn *personalize.Client, arn string, known *J, done func(jobView) bool, described func(*J)) (*J, error) {
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
			if described != nil {
				described(job)
			}
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

// unreachable handles a look that failed: an error, unless the look got no
// answer from the service and the endpoint has not been silent for
// outageWindow yet, in which case the wait goes on.
func (w *jobWaiter[J, In]) unreachable(ctx context.Context, err error) error {
	if !unanswered(err) {
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

// waitSubmitted waits for a job this process just submitted from in (or
// adopted, when adopted is set), as waitJob does, knowing the job's
// arguments from the request wherever it can so that the wait follows the
// job from List summaries alone.
//
// A request that leaves arguments to the service (num_results,
// batch_inference_job_config) is only fully known from Describe. What the
// service fills in is learned once per request shape — the request less the
// job's name, input and output — from the first jobs of that shape: two of
// them are described, and when each one's description is what its request
// completed by the other's gives, every later job of the shape is completed
// the same way instead of described. When they disagree, every job of the
// shape is described.
func waitSubmitted[J, In any](ctx context.Context, k *jobKind[J, In], pd *ProviderData, conn *personalize.Client, arn string, in *In, adopted bool, done func(jobView) bool) (*J, error) {
	if adopted {
		return waitJob(ctx, k, pd, conn, arn, nil, done)
	}
	// A request that says everything is the job as far as a wait needs.
	requested, complete := k.fromRequest(in)
	if complete {
		return waitJob(ctx, k, pd, conn, arn, requested, done)
	}
	shape, err := requestShape(k, requested)
	if err != nil {
		return waitJob(ctx, k, pd, conn, arn, nil, done)
	}
	learned := pd.jobPoller(conn).shape(shape)
	for {
		template, sample, changed := learned.next()
		switch {
		case template != nil:
			return waitJob(ctx, k, pd, conn, arn, completedJob(k, requested, template.(*J)), done)
		case sample:
			gave := false
			job, err := waitJobFrom(ctx, k, pd, conn, arn, nil, done, func(described *J) {
				gave = true
				learned.add(shapeSample{requested: requested, described: described}, samplesAgree(k))
			})
			if !gave {
				learned.abandon()
			}
			return job, err
		case changed == nil:
			return waitJob(ctx, k, pd, conn, arn, nil, done)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-changed:
		}
	}
}

// shapeSamples is how many jobs of one request shape are described before
// the rest are completed from them.
const shapeSamples = 2

// learnedShape is what the service filled in for the jobs of one request
// shape.
type learnedShape struct {
	mu       sync.Mutex
	samples  []shapeSample
	sampling int // waits describing a sample now
	// template is a sample's description once the samples agreed; failed is
	// set when they did not.
	template any
	failed   bool
	// changed is closed, and replaced, whenever the above changes.
	changed chan struct{}
}

// shapeSample is a job's request (as the job it describes, *J) and the
// job's description (*J).
type shapeSample struct{ requested, described any }

// next says what a wait of this shape does: complete its job from template
// when the shape is learned; describe it as a sample when sample is set;
// describe it as any job when changed is nil (the shape cannot be learned);
// otherwise wait for changed and ask again.
func (l *learnedShape) next() (template any, sample bool, changed <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.template != nil:
		return l.template, false, nil
	case l.failed:
		return nil, false, nil
	case len(l.samples)+l.sampling < shapeSamples:
		l.sampling++
		return nil, true, nil
	}
	return nil, false, l.changed
}

// add records a sample; with enough of them, agree tells whether the shape
// is learned.
func (l *learnedShape) add(s shapeSample, agree func(a, b shapeSample) bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sampling--
	l.samples = append(l.samples, s)
	if len(l.samples) == shapeSamples {
		if agree(l.samples[0], l.samples[1]) {
			l.template = l.samples[0].described
		} else {
			l.failed = true
		}
	}
	l.changedLocked()
}

// abandon gives up a sample whose wait ended before describing its job, so
// that another wait takes its place.
func (l *learnedShape) abandon() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sampling--
	l.changedLocked()
}

func (l *learnedShape) changedLocked() {
	close(l.changed)
	l.changed = make(chan struct{})
}

// shape is the process's learning of one request shape.
func (p *jobPoller) shape(key string) *learnedShape {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := p.shapes[key]
	if l == nil {
		l = &learnedShape{changed: make(chan struct{})}
		p.shapes[key] = l
	}
	return l
}

// perJobFields are the fields of a job that name its own data, which what
// the service fills in does not depend on: requests that differ only in them
// are of one shape.
var perJobFields = []string{"JobName", "JobInput", "JobOutput"}

// requestShape is the key of the request whose job (as fromRequest made it)
// is requested: the job type and every argument but perJobFields.
func requestShape[J, In any](k *jobKind[J, In], requested *J) (string, error) {
	masked := reflect.ValueOf(requested).Elem()
	c := reflect.New(masked.Type()).Elem()
	c.Set(masked)
	for _, name := range perJobFields {
		if f := c.FieldByName(name); f.IsValid() && f.CanSet() {
			f.SetZero()
		}
	}
	b, err := json.Marshal(c.Interface())
	if err != nil {
		return "", err
	}
	return k.typeName + " " + string(b), nil
}

// summaryFields are the fields of J that withSummary sets from a List
// summary: what every look at the job reports anyway, so never learned.
func summaryFields[J, In any](k *jobKind[J, In]) map[int]bool {
	t := time.Unix(1, 0)
	probe := reflect.ValueOf(k.withSummary(new(J), jobSummary{ARN: "arn", Status: "status", FailureReason: "reason",
		CreationDateTime: &t, LastUpdatedDateTime: &t, Mode: "mode"})).Elem()
	out := map[int]bool{}
	for i := range probe.NumField() {
		if !probe.Field(i).IsZero() {
			out[i] = true
		}
	}
	return out
}

// completedJob is the job of requested with every argument the request left
// out taken from template, the description of a job of the same shape.
func completedJob[J, In any](k *jobKind[J, In], requested, template *J) *J {
	job := *requested
	v, from := reflect.ValueOf(&job).Elem(), reflect.ValueOf(template).Elem()
	skip := summaryFields(k)
	for i := range v.NumField() {
		if f := v.Field(i); !skip[i] && f.CanSet() && f.IsZero() {
			f.Set(from.Field(i))
		}
	}
	return &job
}

// samplesAgree reports whether each of two samples is described as its
// request completed from the other's description predicts.
func samplesAgree[J, In any](k *jobKind[J, In]) func(a, b shapeSample) bool {
	return func(a, b shapeSample) bool {
		return predicts(k, a.requested.(*J), b.described.(*J), a.described.(*J)) &&
			predicts(k, b.requested.(*J), a.described.(*J), b.described.(*J))
	}
}

// predicts reports whether the job of requested, completed from template,
// is described as described, but for what List summaries report.
func predicts[J, In any](k *jobKind[J, In], requested, template, described *J) bool {
	got, want := reflect.ValueOf(completedJob(k, requested, template)).Elem(), reflect.ValueOf(described).Elem()
	skip := summaryFields(k)
	for i := range got.NumField() {
		if !skip[i] && got.Type().Field(i).IsExported() && !reflect.DeepEqual(got.Field(i).Interface(), want.Field(i).Interface()) {
			return false
		}
	}
	return true
}
