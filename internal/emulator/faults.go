package emulator

import (
	"fmt"
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
	f.ConsistencyDelayMS = max(f.ConsistencyDelayMS, 0)
	e.faults = f
	// Every draw comes from this one generator, so a given seed and request
	// sequence always injects the same faults.
	e.rng = rand.New(rand.NewPCG(uint64(f.Seed), 0x5eed_f0_7a_0175))
}

func (f Faults) validate() error {
	for name, r := range map[string]float64{"throttle_rate": f.ThrottleRate, "error_rate": f.ErrorRate, "drop_create_response_rate": f.DropCreateResponseRate} {
		if r < 0 || r > 1 {
			return fmt.Errorf("%s %v: must be a probability from 0 to 1", name, r)
		}
	}
	if f.LatencyMS < 0 {
		return fmt.Errorf("latency_ms %d: must not be negative", f.LatencyMS)
	}
	if f.ConsistencyDelayMS < 0 {
		return fmt.Errorf("consistency_delay_ms %d: must not be negative", f.ConsistencyDelayMS)
	}
	return nil
}

func (e *Emulator) chance(rate float64) bool {
	return rate > 0 && e.rng.Float64() < rate
}

// injectFault decides, before a Personalize call runs, whether it is delayed
// and whether it fails instead of running.
func (e *Emulator) injectFault() (time.Duration, *apiError) {
	e.mu.Lock()
	defer e.mu.Unlock()
	latency := time.Duration(e.faults.LatencyMS) * time.Millisecond
	if e.chance(e.faults.ThrottleRate) {
		e.injected[FaultThrottled]++
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
