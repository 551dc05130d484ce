package personalize

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
)

// Pacing: calls of one operation draw on a bucket of tokens refilled at rate
// per second and holding up to a second's worth, so that the calls of one
// moment go out at once and a stream of them at rate. The rate adapts to what a
// window of calls (at least pacerSamples of them, over pacerWindow or more)
// met.
//
// A fresh pacer does not know the service's limit, so it starts slowly but
// not for long: each short window (pacerStartWindow, pacerStartSamples
// calls) whose calls had to wait for their turn and met no throttling
// doubles the rate, until the first throttling ends that start; from then on
// a window of waiting calls free of throttling raises the rate by a tenth. A window in which a quarter
// or more of the calls were throttled halves the rate, and the next window
// tells whether that helped: throttling that comes from the pace falls away
// with it, and the lower rate stays. When it did not help (the service
// throttles a share of calls whatever their pace), the rate goes back to
// what it was and stays there for pacerCooldown, so that such throttling
// cannot talk the rate down to nothing; the SDK retries those calls.
const (
	pacerStartRate    = 10.0
	pacerMinRate      = 0.5
	pacerMaxRate      = 200.0
	pacerBurst        = time.Second
	pacerWindow       = time.Second
	pacerStartWindow  = 100 * time.Millisecond
	pacerStartSamples = 3
	pacerMaxWindow    = 5 * time.Second
	pacerSamples      = 6
	pacerBackOff      = 0.25
	pacerClean        = 0.05
	pacerIncrease     = 1.1
	pacerCooldown     = 30 * time.Second
)

type pacer struct {
	mu   sync.Mutex
	rate float64
	// tokens is the bucket at refilled (negative while calls wait for
	// tokens already promised to them).
	tokens   float64
	refilled time.Time
	// steady is set by the first throttling: the rate then grows by a
	// tenth at a time instead of doubling.
	steady bool
	// The current window: when it began, its calls, how many were
	// throttled and whether any waited for its turn.
	windowStart      time.Time
	calls, throttles int
	waited           bool
	// A halving on trial: the rate before it and the share throttled then.
	trialRate, trialShare float64
	// noBackOffUntil is the end of the cooldown after a halving that did
	// not help.
	noBackOffUntil time.Time
	throttled      int // every throttled call, for tests and logs
}

// newPacer starts with a few calls' worth of tokens: enough for the calls
// of one moment, few enough that a service allowing much less than
// pacerStartRate throttles only a few before the pacer hears of it.
func newPacer() *pacer {
	return &pacer{rate: pacerStartRate, tokens: pacerStartSamples}
}

func (pc *pacer) currentRate() float64 {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	return pc.rate
}

// wait blocks until the next call may be sent.
func (pc *pacer) wait(ctx context.Context) error {
	d := pc.reserve(time.Now())
	if d > 0 && !sleep(ctx, d) {
		return ctx.Err()
	}
	return nil
}

// reserve takes a token and returns how long the call must wait for it.
func (pc *pacer) reserve(now time.Time) time.Duration {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	burst := max(1, pc.rate*pacerBurst.Seconds())
	if !pc.refilled.IsZero() {
		pc.tokens = min(burst, pc.tokens+now.Sub(pc.refilled).Seconds()*pc.rate)
	}
	pc.refilled = now
	pc.tokens--
	if pc.tokens >= 0 {
		return 0
	}
	pc.waited = true
	return time.Duration(-pc.tokens / pc.rate * float64(time.Second))
}

// record counts a call's outcome and, at the end of a window, adapts the
// rate to the window.
func (pc *pacer) record(err error) {
	pc.recordAt(err, time.Now())
}

func (pc *pacer) recordAt(err error, now time.Time) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.windowStart.IsZero() {
		pc.windowStart = now
	}
	pc.calls++
	if isThrottling(err) {
		pc.throttles++
		pc.throttled++
		pc.steady = true
	}
	age, window, samples := now.Sub(pc.windowStart), pacerWindow, pacerSamples
	if !pc.steady {
		window, samples = pacerStartWindow, pacerStartSamples
	}
	if age < window || (pc.calls < samples && age < pacerMaxWindow) {
		return
	}
	if pc.calls >= samples {
		pc.adaptLocked(float64(pc.throttles)/float64(pc.calls), now)
	}
	pc.windowStart, pc.calls, pc.throttles, pc.waited = now, 0, 0, false
}

// adaptLocked sets the rate after a window in which share of the calls were
// throttled.
func (pc *pacer) adaptLocked(share float64, now time.Time) {
	old := pc.rate
	defer func() {
		// Tokens promised at the old rate are owed at the new one.
		if pc.tokens < 0 && old != pc.rate {
			pc.tokens *= pc.rate / old
		}
	}()
	if pc.trialRate > 0 {
		if share > pc.trialShare/2 {
			// Halving did not help: the throttling is not the pace's.
			pc.rate = pc.trialRate
			pc.noBackOffUntil = now.Add(pacerCooldown)
		}
		pc.trialRate = 0
		return
	}
	switch {
	case share >= pacerBackOff && !now.Before(pc.noBackOffUntil) && pc.rate > pacerMinRate:
		pc.trialRate, pc.trialShare = pc.rate, share
		pc.rate = max(pc.rate/2, pacerMinRate)
	case share <= pacerClean && pc.waited && !pc.steady:
		pc.rate = min(pc.rate*2, pacerMaxRate)
	case share <= pacerClean && pc.waited:
		pc.rate = min(pc.rate*pacerIncrease, pacerMaxRate)
	}
}

// pacedRetryMaxBackoff caps the SDK's backoff between attempts of a paced
// call that failed for another reason than throttling (a connection lost
// mid-answer): such a call should not hold every job of the round for the
// seconds of the SDK's own backoff. Throttled attempts keep the SDK's
// backoff, which together with the pacer keeps them few.
const pacedRetryMaxBackoff = 100 * time.Millisecond

// option paces every attempt of a call, the SDK's retries included, and
// learns from each attempt's outcome.
func (pc *pacer) option(o *personalize.Options) {
	if o.Retryer != nil {
		o.Retryer = quickRetries{wrappedRetryer{o.Retryer}}
	}
	o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
		return stack.Finalize.Add(middleware.FinalizeMiddlewareFunc("PersonalizeWaitPacing",
			func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
				if err := pc.wait(ctx); err != nil {
					return middleware.FinalizeOutput{}, middleware.Metadata{}, err
				}
				out, md, err := next.HandleFinalize(ctx, in)
				pc.record(err)
				return out, md, err
			}), middleware.After)
	})
}

// wrappedRetryer is the retryer it embeds, a RetryerV2 as the SDK's own
// are: a wrapper that embeds only aws.Retryer would hide GetAttemptToken,
// and the SDK would then fall back to its older token handling.
type wrappedRetryer struct{ aws.Retryer }

func (w wrappedRetryer) GetAttemptToken(ctx context.Context) (func(error) error, error) {
	if v2, ok := w.Retryer.(aws.RetryerV2); ok {
		return v2.GetAttemptToken(ctx)
	}
	return w.GetInitialToken(), nil
}

var (
	_ aws.RetryerV2 = quickRetries{}
	_ aws.RetryerV2 = notRetried{}
)

// quickRetries is a retryer whose backoff after anything but throttling is
// at most pacedRetryMaxBackoff.
type quickRetries struct{ wrappedRetryer }

func (q quickRetries) RetryDelay(attempt int, err error) (time.Duration, error) {
	d, derr := q.Retryer.RetryDelay(attempt, err)
	if isThrottling(err) {
		return d, derr
	}
	return min(d, pacedRetryMaxBackoff), derr
}

func isThrottling(err error) bool {
	var apiErr smithy.APIError
	return errors.As(err, &apiErr) && apiErr.ErrorCode() == "ThrottlingException"
}
