package personalize

import (
	"errors"
	"testing"
	"time"

	"github.com/aws/smithy-go"
)

// pacerWindowOf records n calls, throttled of them throttled, spread over a
// second from at. The first closes the window before; the window they open
// had calls waiting for their turn if waited is set.
func pacerWindowOf(pc *pacer, at time.Time, n, throttled int, waited bool) {
	throttle := &smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate exceeded"}
	for i := range n {
		var err error
		if i < throttled {
			err = throttle
		}
		pc.recordAt(err, at.Add(time.Duration(i)*time.Second/time.Duration(n)))
		if i == 0 && waited {
			pc.mu.Lock()
			pc.waited = true
			pc.mu.Unlock()
		}
	}
}

// Throttling that comes from the pace: halving the rate makes it fall away,
// and the lower rate stays; a clean window of waiting calls raises it again.
func TestPacer_backsOffFromARateLimit(t *testing.T) {
	t0 := time.Now()
	pc := &pacer{rate: pacerStartRate}
	sec := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Second) }
	pacerWindowOf(pc, sec(0), 10, 5, true) // window 1: half throttled
	pacerWindowOf(pc, sec(1), 10, 0, true) // closes window 1: halved
	if pc.rate != pacerStartRate/2 || pc.throttled != 5 {
		t.Fatalf("after a half-throttled window: rate %v, throttled %d; want %v, 5", pc.rate, pc.throttled, pacerStartRate/2)
	}
	pacerWindowOf(pc, sec(2), 6, 0, true) // closes window 2, the trial: it helped
	if pc.rate != pacerStartRate/2 {
		t.Fatalf("a halving that ended the throttling was undone: rate %v", pc.rate)
	}
	pacerWindowOf(pc, sec(3), 6, 0, false) // closes window 3: clean and waited; window 4 does not wait
	if want := pacerStartRate / 2 * pacerIncrease; pc.rate < want-1e-9 || pc.rate > want+1e-9 {
		t.Errorf("after a clean window of waiting calls: rate %v, want %v", pc.rate, want)
	}
	before := pc.rate
	pacerWindowOf(pc, sec(4), 6, 0, false) // closes window 4: clean, but no call waited
	if pc.rate != before {
		t.Errorf("a clean window whose calls never waited raised the rate from %v to %v: there was no demand above it", before, pc.rate)
	}
	pc.recordAt(errors.New("connection reset"), sec(10))
	if pc.throttled != 5 {
		t.Errorf("throttled %d: an error other than throttling was counted", pc.throttled)
	}
}

// Throttling that does not come from the pace (a share of calls whatever
// their rate): a halving that does not help is undone, and over minutes of
// it the rate stays where it was.
func TestPacer_keepsItsRateThroughThrottlingItCannotHelp(t *testing.T) {
	t0 := time.Now()
	pc := &pacer{rate: pacerStartRate}
	lowest := pc.rate
	for s := range 300 {
		pacerWindowOf(pc, t0.Add(time.Duration(s)*time.Second), 10, 3, true)
		lowest = min(lowest, pc.rate)
	}
	pc.recordAt(nil, t0.Add(301*time.Second))
	if pc.rate != pacerStartRate || lowest < pacerStartRate/2 {
		t.Errorf("after 5 minutes of 30 %% throttling: rate %v (lowest %v), want %v, never below %v", pc.rate, lowest, pacerStartRate, pacerStartRate/2)
	}
	// A few calls are too few to judge: 2 of 3 throttled changes nothing.
	few := &pacer{rate: pacerStartRate}
	pacerWindowOf(few, t0, 3, 2, true)
	few.recordAt(nil, t0.Add(6*time.Second))
	if few.rate != pacerStartRate {
		t.Errorf("rate %v after a window of 4 calls, want it unchanged", few.rate)
	}
}

// A fresh pacer does not hold a process to its start rate: each second of
// calls waiting for their turn without throttling doubles the rate, and the
// first throttling ends that, the rate then growing by a tenth at a time.
func TestPacer_rampsUpUntilTheFirstThrottling(t *testing.T) {
	t0 := time.Now()
	pc := newPacer()
	sec := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Second) }
	for s := range 3 {
		pacerWindowOf(pc, sec(s), 10, 0, true)
	}
	pc.recordAt(nil, sec(3))
	if want := pacerStartRate * 8; pc.rate != want {
		t.Fatalf("after three clean seconds of waiting calls: rate %v, want %v", pc.rate, want)
	}
	// One call in ten throttled: the limit is near.
	throttle := &smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate exceeded"}
	secondOf := func(s int, throttled bool) {
		for i := 1; i < 10; i++ {
			var err error
			if throttled && i == 1 {
				err = throttle
			}
			pc.recordAt(err, sec(s).Add(time.Duration(i)*100*time.Millisecond))
		}
		pc.mu.Lock()
		pc.waited = true
		pc.mu.Unlock()
		pc.recordAt(nil, sec(s+1))
	}
	secondOf(3, true)
	if pc.rate != pacerStartRate*8 {
		t.Fatalf("after a window with a little throttling: rate %v, want it kept at %v", pc.rate, pacerStartRate*8)
	}
	secondOf(4, false)
	if want := pacerStartRate * 8 * pacerIncrease; pc.rate < want-1e-9 || pc.rate > want+1e-9 {
		t.Errorf("once throttled, a clean window raised the rate to %v, want %v", pc.rate, want)
	}
}

// A bucket's worth of calls goes out at once (a few at first, a second's
// worth once refilled); beyond it calls are spaced at the rate.
func TestPacer_letsABurstThroughThenSpacesCalls(t *testing.T) {
	now := time.Now()
	pc := newPacer()
	for i := range pacerStartSamples {
		if d := pc.reserve(now); d != 0 {
			t.Fatalf("call %d of a fresh pacer's first few waits %s", i+1, d)
		}
	}
	if d := pc.reserve(now); d != 100*time.Millisecond {
		t.Errorf("the call after a fresh pacer's first few waits %s, want 1/rate = 100ms", d)
	}
	now = now.Add(5 * time.Second)
	for i := range int(pacerStartRate) {
		if d := pc.reserve(now); d != 0 {
			t.Fatalf("call %d of a refilled bucket's second's worth waits %s", i+1, d)
		}
	}
	if d := pc.reserve(now); d != 100*time.Millisecond {
		t.Errorf("the call after the burst waits %s, want 1/rate = 100ms", d)
	}
	if d := pc.reserve(now); d != 200*time.Millisecond {
		t.Errorf("the next waits %s, want 200ms", d)
	}
	if d := pc.reserve(now.Add(time.Second)); d != 0 {
		t.Errorf("a second later the bucket has refilled, yet a call waits %s", d)
	}
}
