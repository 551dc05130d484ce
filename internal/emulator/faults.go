package emulator

import (
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"time"
)

func (e *Emulator) setFaultsLocked(f Faults) {
	clamp := func(r float64) float64 { return min(max(r, 0), 1) }
	f.ThrottleRate = clamp(f.ThrottleRate)
	f.ErrorRate = clamp(f.ErrorRate)
	f.DropCreateResponseRate = clamp(f.DropCreateResponseRate)
	f.LatencyMS = max(f.LatencyMS, 0)
	f.LatencyJitterMS = max(f.LatencyJitterMS, 0)
	f.ConsistencyDelayMS = max(f.ConsistencyDelayMS, 0)
	limits := make(map[string]float64, len(f.RateLimits))
	for op, rate := range f.RateLimits {
		if rate > 0 {
			limits[op] = rate
		}
	}
	if len(limits) == 0 {
		limits = nil
	}
	f.RateLimits = limits
	e.faults = f
	e.buckets = map[string]*tokenBucket{}
	// Every draw comes from this one generator, so a given seed and request
	// sequence always injects the same faults.
	e.rng = rand.New(rand.NewPCG(uint64(f.Seed), 0x5eed_f0_7a_0175))
}

// Validate reports the first setting out of range, naming it.
func (f Faults) Validate() error {
	for name, r := range map[string]float64{"throttle_rate": f.ThrottleRate, "error_rate": f.ErrorRate, "drop_create_response_rate": f.DropCreateResponseRate} {
		if r < 0 || r > 1 {
			return fmt.Errorf("%s %v: must be a probability from 0 to 1", name, r)
		}
	}
	if f.LatencyMS < 0 {
		return fmt.Errorf("latency_ms %d: must not be negative", f.LatencyMS)
	}
	if f.LatencyJitterMS < 0 {
		return fmt.Errorf("latency_jitter_ms %d: must not be negative", f.LatencyJitterMS)
	}
	if f.ConsistencyDelayMS < 0 {
		return fmt.Errorf("consistency_delay_ms %d: must not be negative", f.ConsistencyDelayMS)
	}
	for _, op := range sortedKeys(f.RateLimits) {
		if _, known := operations[op]; !known && op != "*" {
			return fmt.Errorf("rate_limits: unknown operation %q; use an operation name such as DescribeBatchInferenceJob, or \"*\" for every operation", op)
		}
		if rate := f.RateLimits[op]; rate < 0 || math.IsNaN(rate) || math.IsInf(rate, 0) {
			return fmt.Errorf("rate_limits[%q] %v: must be a number of calls per second above 0 (or 0 for no limit)", op, rate)
		}
	}
	return nil
}

// tokenBucket holds the calls an operation may still make at once; it
// refills at its rate, up to one second's worth (at least one call).
type tokenBucket struct {
	tokens float64
	last   time.Time
}

// takeLocked spends one call of op's rate limit, if it has one; false means
// the call is over the limit.
func (e *Emulator) takeLocked(op string, now time.Time) bool {
	rate, limited := e.faults.RateLimits[op]
	if !limited {
		rate, limited = e.faults.RateLimits["*"]
	}
	if !limited {
		return true
	}
	burst := max(1, rate)
	b := e.buckets[op]
	if b == nil {
		b = &tokenBucket{tokens: burst, last: now}
		e.buckets[op] = b
	}
	b.tokens = min(burst, b.tokens+now.Sub(b.last).Seconds()*rate)
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func (e *Emulator) chance(rate float64) bool {
	return rate > 0 && e.rng.Float64() < rate
}

// injectFault decides, before a Personalize call of op runs, whether it is
// delayed and whether it fails instead of running. Rate limits count calls
// in wall-clock time, whatever clock the jobs run on.
func (e *Emulator) injectFault(op string) (time.Duration, *apiError) {
	e.mu.Lock()
	defer e.mu.Unlock()
	latency := time.Duration(e.faults.LatencyMS) * time.Millisecond
	if j := e.faults.LatencyJitterMS; j > 0 {
		latency += time.Duration(e.rng.Int64N(int64(j)*int64(time.Millisecond) + 1))
	}
	limited := !e.takeLocked(op, time.Now())
	if limited || e.chance(e.faults.ThrottleRate) {
		e.throttled[op]++
		if limited {
			e.injected[FaultRateLimited]++
		} else {
			e.injected[FaultThrottled]++
		}
		return latency, newAPIError(http.StatusBadRequest, "ThrottlingException", "Rate exceeded")
	}
	if e.chance(e.faults.ErrorRate) {
		if e.rng.IntN(2) == 0 {
			e.injected[FaultInternalFailure]++
			return latency, errInternalFailure()
		}
		e.injected[FaultServiceUnavailable]++
		return latency, newAPIError(http.StatusServiceUnavailable, "ServiceUnavailable", "Service is unavailable. Please try again later.")
	}
	return latency, nil
}

// dropCreateResponseLocked decides whether a create that succeeded answers as
// if it had failed, as when a response is lost on the way back.
func (e *Emulator) dropCreateResponseLocked() bool {
	if !e.chance(e.faults.DropCreateResponseRate) {
		return false
	}
	e.injected[FaultDroppedCreate]++
	return true
}

// visibleLocked reports whether reads see j yet, counting a read that
// misses it.
func (e *Emulator) visibleLocked(j *job, now time.Time) bool {
	if j.visibleAt(now) {
		return true
	}
	e.injected[FaultNotYetVisible]++
	return false
}

func errInternalFailure() *apiError {
	return errInternal("We encountered an internal error. Please try again.")
}
