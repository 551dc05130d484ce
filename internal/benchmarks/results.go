package benchmarks

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
)

// Results is everything one invocation measured; the report, the chart and
// results.json are rendered from it alone.
type Results struct {
	Smoke   bool    `json:"smoke"`
	Machine Machine `json:"machine"`
	// Provider says which provider binary was measured.
	Provider string       `json:"provider"`
	Scale    []ScaleRow   `json:"scale"`
	Latency  []LatencyRow `json:"latency"`
	Queue    []QueueRow   `json:"queue"`
	Peer     []PeerRow    `json:"peer"`
	Waiting  []WaitingRow `json:"waiting"`
	// Workspaces are the runs of several applies at once on one account.
	Workspaces []WorkspacesRow `json:"workspaces,omitempty"`
	Notes      string          `json:"-"` // hand-written findings, rendered verbatim
	// PeerPoll is the aws CLI script's sleep between calls.
	PeerPoll time.Duration  `json:"peer_poll_ns"`
	Wall     time.Duration  `json:"wall_ns"`
	Limits   TargetSettings `json:"targets"`
}

// TargetSettings are the thresholds the report judges against.
type TargetSettings struct {
	ScaleOverhead      float64       `json:"scale_overhead"` // provider / terraform_data wall time
	FloorOverhead      float64       `json:"floor_overhead"` // provider / minimal framework provider wall time
	RefreshCallsPerJob float64       `json:"refresh_calls_per_job"`
	LatencyFloor       time.Duration `json:"latency_floor_ns"` // completion noticed within max(floor, fraction·duration)
	LatencyFraction    float64       `json:"latency_fraction"`
	MakespanFactor     float64       `json:"makespan_factor"` // makespan / ceil(jobs/quota)·duration
	PeerSpeedup        float64       `json:"peer_speedup"`    // peer wall / provider wall
}

// DefaultTargets are the project's performance goals.
var DefaultTargets = TargetSettings{
	ScaleOverhead:      1.5,
	FloorOverhead:      1.3,
	RefreshCallsPerJob: 2,
	LatencyFloor:       time.Second,
	LatencyFraction:    0.10,
	MakespanFactor:     1.15,
	PeerSpeedup:        5,
}

// Operation names used in the scale table, in the order they run.
const (
	OpPlan    = "plan"
	OpApply   = "apply"
	OpRefresh = "refresh"
)

// ScaleRow compares one Terraform operation over N jobs with the same
// operation over N terraform_data resources and over N resources of the
// minimal framework provider.
type ScaleRow struct {
	N  int    `json:"n"`
	Op string `json:"op"`
	// Parallelism is terraform's -parallelism (0 in older results: the
	// default, 10); Config is configDocumented or configStated (empty in
	// older results: the documented one).
	Parallelism int             `json:"parallelism,omitempty"`
	Config      string          `json:"config,omitempty"`
	Baseline    []time.Duration `json:"baseline_ns"` // terraform_data, one per repetition
	Floor       []time.Duration `json:"floor_ns"`    // floor_batch_inference_job, one per repetition
	Subject     []time.Duration `json:"subject_ns"`  // personalize_batch_inference_job
	// CPU time of each side's command (terraform and the provider
	// processes), one per repetition.
	BaselineCPU []time.Duration `json:"baseline_cpu_ns,omitempty"`
	FloorCPU    []time.Duration `json:"floor_cpu_ns,omitempty"`
	SubjectCPU  []time.Duration `json:"subject_cpu_ns,omitempty"`
	// Calls is the emulator's call count delta per operation name, summed
	// over repetitions; CallsPerJob divides by N and the repetitions.
	Calls   map[string]int `json:"calls"`
	PeakRSS int64          `json:"provider_peak_rss_bytes"` // largest VmHWM of any provider process
	Starts  int            `json:"provider_starts"`         // provider processes per command (last repetition)
	// The same for the minimal framework provider.
	FloorPeakRSS int64 `json:"floor_peak_rss_bytes"`
	FloorStarts  int   `json:"floor_starts"`
}

// Ratio is the provider's median wall time over terraform_data's.
func (r ScaleRow) Ratio() float64 { return ratio(Median(r.Subject), Median(r.Baseline)) }

// FloorRatio is the provider's median wall time over the minimal framework
// provider's; NaN when the floor was not measured.
func (r ScaleRow) FloorRatio() float64 { return ratio(Median(r.Subject), Median(r.Floor)) }

// FloorCPURatio is the provider's median CPU time over the minimal
// framework provider's; NaN when not measured.
func (r ScaleRow) FloorCPURatio() float64 {
	if len(r.FloorCPU) == 0 || len(r.SubjectCPU) == 0 {
		return math.NaN()
	}
	return ratio(Median(r.SubjectCPU), Median(r.FloorCPU))
}

// FloorOverBaseline is what any plugin provider of this schema costs over
// terraform_data: the part of Ratio no provider can remove.
func (r ScaleRow) FloorOverBaseline() float64 {
	if len(r.Floor) == 0 {
		return math.NaN()
	}
	return ratio(Median(r.Floor), Median(r.Baseline))
}

// CallsPerJob is the mean number of API calls per job and repetition, by
// operation name and in total (key "").
func (r ScaleRow) CallsPerJob() map[string]float64 {
	out := map[string]float64{}
	reps := len(r.Subject)
	if r.N == 0 || reps == 0 {
		return out
	}
	total := 0
	for op, n := range r.Calls {
		out[op] = float64(n) / float64(r.N*reps)
		total += n
	}
	out[""] = float64(total) / float64(r.N*reps)
	return out
}

// LatencySample is one apply of a single job of a given duration.
type LatencySample struct {
	Wall      time.Duration   `json:"wall_ns"`     // the whole apply
	Noticed   time.Duration   `json:"noticed_ns"`  // from the job becoming ACTIVE to the apply returning
	PollGap   time.Duration   `json:"poll_gap_ns"` // from ACTIVE to the first Describe that reported it
	Tail      time.Duration   `json:"tail_ns"`     // from that Describe to the apply returning
	Describes int             `json:"describes"`   // DescribeBatchInferenceJob calls (emulator stats)
	Polls     []time.Duration `json:"polls_ns"`    // each Describe, relative to the job's creation
}

// LatencyRow gathers the samples for one job duration.
type LatencyRow struct {
	Duration time.Duration   `json:"duration_ns"`
	Samples  []LatencySample `json:"samples"`
}

// Allowed is how late completion may be noticed under the target.
func (t TargetSettings) Allowed(d time.Duration) time.Duration {
	return max(t.LatencyFloor, time.Duration(float64(d)*t.LatencyFraction))
}

// Worst is the sample that noticed completion latest.
func (r LatencyRow) Worst() LatencySample {
	var w LatencySample
	for i, s := range r.Samples {
		if i == 0 || s.Noticed > w.Noticed {
			w = s
		}
	}
	return w
}

// QueueRow is one apply of Jobs jobs against a quota of Quota running jobs.
type QueueRow struct {
	Who           string        `json:"who"` // "provider" or "peer"
	Jobs          int           `json:"jobs"`
	Quota         int           `json:"quota"`
	Duration      time.Duration `json:"duration_ns"`
	Makespan      time.Duration `json:"makespan_ns"`      // the apply's wall time
	EmulatorSpan  time.Duration `json:"emulator_span_ns"` // first create to last ACTIVE
	LimitExceeded int           `json:"limit_exceeded"`   // rejected creates
	Creates       int           `json:"creates"`          // CreateBatchInferenceJob calls, rejected ones included
	Describes     int           `json:"describes"`
	Pickup        Pickup        `json:"pickup"`
	// Slowest is the create attempts of the job that waited longest for a
	// slot, relative to the apply's start: the retry schedule at work.
	Slowest []Attempt `json:"slowest_job_attempts"`
}

// Attempt is one CreateBatchInferenceJob call.
type Attempt struct {
	At      time.Duration `json:"at_ns"`
	Refused bool          `json:"refused"`
}

// SlowestAttempts picks, from each job's create calls, those of the job
// whose accepted create came latest after its first attempt.
func SlowestAttempts(calls []Call, since time.Time) []Attempt {
	byJob := map[string][]Call{}
	for _, c := range calls {
		if c.Op == opCreate {
			byJob[c.Job] = append(byJob[c.Job], c)
		}
	}
	var slowest []Call
	var worst time.Duration = -1
	for _, cs := range byJob {
		if wait := cs[len(cs)-1].Start.Sub(cs[0].Start); wait > worst || (wait == worst && cs[0].Job < slowest[0].Job) {
			worst, slowest = wait, cs
		}
	}
	out := make([]Attempt, len(slowest))
	for i, c := range slowest {
		out[i] = Attempt{At: c.Start.Sub(since), Refused: c.Error != "" || c.Status >= 300}
	}
	return out
}

// Bound is the makespan of a perfect scheduler: every slot busy all the time.
func (q QueueRow) Bound() time.Duration { return QueueBound(q.Jobs, q.Quota, q.Duration) }

// Factor is the makespan over the bound.
func (q QueueRow) Factor() float64 { return ratio(q.Makespan, q.Bound()) }

// QueueBound is ceil(jobs/quota)·duration.
func QueueBound(jobs, quota int, d time.Duration) time.Duration {
	if quota <= 0 {
		return 0
	}
	waves := (jobs + quota - 1) / quota
	return time.Duration(waves) * d
}

// Pickup describes how quickly freed quota slots were taken again.
type Pickup struct {
	Count int           `json:"count"`   // creates that had to wait for a slot
	Mean  time.Duration `json:"mean_ns"` // from the slot freeing to the create that took it
	Max   time.Duration `json:"max_ns"`
}

// SlotPickup measures, for a schedule of successful creates and the times
// their jobs became ACTIVE, how long each create beyond the first quota
// waited after a slot had freed. The k-th create (0-based, k ≥ quota) can
// at best start when the (k-quota+1)-th earliest job finished.
func SlotPickup(created, active []time.Time, quota int) Pickup {
	if quota <= 0 || len(created) <= quota {
		return Pickup{}
	}
	c := append([]time.Time(nil), created...)
	a := append([]time.Time(nil), active...)
	sort.Slice(c, func(i, j int) bool { return c[i].Before(c[j]) })
	sort.Slice(a, func(i, j int) bool { return a[i].Before(a[j]) })
	var p Pickup
	var sum time.Duration
	for k := quota; k < len(c) && k-quota < len(a); k++ {
		d := c[k].Sub(a[k-quota])
		if d < 0 {
			d = 0
		}
		sum += d
		p.Max = max(p.Max, d)
		p.Count++
	}
	if p.Count > 0 {
		p.Mean = sum / time.Duration(p.Count)
	}
	return p
}

// PeerRow compares the provider with terraform_data + local-exec + aws CLI
// making the same jobs.
type PeerRow struct {
	Scenario string          `json:"scenario"` // "scale" or "queue"
	N        int             `json:"n"`
	Provider []time.Duration `json:"provider_ns"`
	Peer     []time.Duration `json:"peer_ns"`
	PeerCLI  int             `json:"peer_cli_calls"` // API calls the peer made (emulator stats)
}

// Speedup is the peer's median wall time over the provider's.
func (p PeerRow) Speedup() float64 { return ratio(Median(p.Peer), Median(p.Provider)) }

// Median of a set of durations; zero for none.
func Median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func ratio(a, b time.Duration) float64 {
	if b <= 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

// Verdict is one target line of the report.
type Verdict struct {
	Target   string `json:"target"`
	Measured string `json:"measured"`
	Pass     bool   `json:"pass"`
}

// judgedScaleN is the smallest N whose scale rows are judged against the
// minimal provider: N = 200 and up, or the largest N of a smaller run.
const judgedScaleN = 200

// Verdicts judges the results against the targets. The scale targets are
// judged at every N from judgedScaleN up (the largest N of a smaller run),
// one verdict per operation and N on the worst of its configurations and
// parallelisms; the others at the largest size measured, so a smoke run
// reports on its own sizes.
func (r Results) Verdicts() []Verdict {
	t := r.Limits
	var out []Verdict
	for _, n := range r.scaleNs() {
		if n < min(judgedScaleN, r.maxScaleN()) {
			continue
		}
		for _, op := range []string{OpPlan, OpApply, OpRefresh} {
			rows := r.scaleRows(n, op, true)
			if len(rows) == 0 {
				continue
			}
			worst := slices.MaxFunc(rows, func(a, b ScaleRow) int { return cmp.Compare(a.FloorRatio(), b.FloorRatio()) })
			measured := fmt.Sprintf("%.2f×", worst.FloorRatio())
			if len(rows) > 1 {
				parts := make([]string, len(rows))
				for i, row := range rows {
					parts[i] = fmt.Sprintf("%s: %.2f×", row.Variant(), row.FloorRatio())
				}
				measured += " worst of " + strings.Join(parts, "; ")
			}
			out = append(out, Verdict{
				Target:   fmt.Sprintf("scale: %s of %d jobs ≤ %.2g× the minimal framework provider", op, n, t.FloorOverhead),
				Measured: measured,
				Pass:     worst.FloorRatio() <= t.FloorOverhead,
			})
		}
	}
	for _, op := range []string{OpPlan, OpApply, OpRefresh} {
		rows := r.scaleRows(r.maxScaleN(), op, false)
		if len(rows) == 0 {
			continue
		}
		row := slices.MaxFunc(rows, func(a, b ScaleRow) int { return cmp.Compare(a.Ratio(), b.Ratio()) })
		q := row.Ratio()
		out = append(out, Verdict{
			Target:   fmt.Sprintf("scale: %s of %d jobs ≤ %.2g× terraform_data", row.Op, row.N, t.ScaleOverhead),
			Measured: fmt.Sprintf("%.2f× (the minimal framework provider: %.2f×)", q, row.FloorOverBaseline()),
			Pass:     q <= t.ScaleOverhead,
		})
	}
	worst, worstN := -1.0, 0
	for _, row := range r.Scale {
		if row.Op != OpRefresh {
			continue
		}
		if c := row.CallsPerJob()[""]; c > worst {
			worst, worstN = c, row.N
		}
	}
	if worst >= 0 {
		out = append(out, Verdict{
			Target:   fmt.Sprintf("refresh: ≤ %g API calls per job (every N)", t.RefreshCallsPerJob),
			Measured: fmt.Sprintf("%.2f (worst, N = %d)", worst, worstN),
			Pass:     worst <= t.RefreshCallsPerJob,
		})
	}
	for _, row := range r.Latency {
		w := row.Worst()
		allowed := t.Allowed(row.Duration)
		out = append(out, Verdict{
			Target:   fmt.Sprintf("completion of a %s job noticed within %s", fmtDur(row.Duration), fmtDur(allowed)),
			Measured: fmt.Sprintf("%s (worst of %d)", fmtDur(w.Noticed), len(row.Samples)),
			Pass:     w.Noticed <= allowed,
		})
	}
	for _, q := range r.Queue {
		if q.Who != whoProvider {
			continue
		}
		f := q.Factor()
		out = append(out, Verdict{
			Target:   fmt.Sprintf("queue: %d jobs, quota %d, %s each: makespan ≤ %.2f× %s", q.Jobs, q.Quota, fmtDur(q.Duration), t.MakespanFactor, fmtDur(q.Bound())),
			Measured: fmt.Sprintf("%s = %.2f×", fmtDur(q.Makespan), f),
			Pass:     f <= t.MakespanFactor,
		})
	}
	out = append(out, r.waitingVerdicts()...)
	out = append(out, r.workspacesVerdicts()...)
	var peer *PeerRow
	for i := range r.Peer {
		if r.Peer[i].Scenario == scenarioScale && (peer == nil || r.Peer[i].N > peer.N) {
			peer = &r.Peer[i]
		}
	}
	if peer != nil {
		s := peer.Speedup()
		out = append(out, Verdict{
			Target:   fmt.Sprintf("peer: ≥ %g× faster than terraform_data + aws CLI at N = %d", t.PeerSpeedup, peer.N),
			Measured: fmt.Sprintf("%.1f×", s),
			Pass:     s >= t.PeerSpeedup,
		})
	}
	return out
}

func (r Results) maxScaleN() int {
	n := 0
	for _, row := range r.Scale {
		n = max(n, row.N)
	}
	return n
}

// scaleNs are the job counts of the scale rows, in order.
func (r Results) scaleNs() []int {
	var ns []int
	for _, row := range r.Scale {
		if !slices.Contains(ns, row.N) {
			ns = append(ns, row.N)
		}
	}
	return ns
}

// scaleRows are the rows of one N and operation, only those measured
// against the minimal provider when withFloor is set.
func (r Results) scaleRows(n int, op string, withFloor bool) []ScaleRow {
	var out []ScaleRow
	for _, row := range r.Scale {
		if row.N == n && row.Op == op && (!withFloor || len(row.Floor) > 0) {
			out = append(out, row)
		}
	}
	return out
}

// Variant names the row's configuration and parallelism:
// "documented, -parallelism=10".
func (r ScaleRow) Variant() string {
	return fmt.Sprintf("%s, -parallelism=%d", r.config(), r.parallelism())
}

// config is the row's configuration; rows of reports from before it was
// recorded measured the documented one.
func (r ScaleRow) config() string {
	if r.Config == "" {
		return configDocumented
	}
	return r.Config
}

func (r ScaleRow) parallelism() int {
	if r.Parallelism == 0 {
		return defaultParallelism
	}
	return r.Parallelism
}

// fmtDur prints durations at a precision a reader can compare at a glance.
func fmtDur(d time.Duration) string {
	switch {
	case d == 0:
		return "0 s"
	case d < 10*time.Millisecond && d > -10*time.Millisecond:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	case d < time.Second && d > -time.Second:
		return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
	case d < 10*time.Second && d > -10*time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	default:
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
}
