package benchmarks

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/benchmarks/floorprovider"
)

const (
	scenarioWaiting  = "waiting"
	floorCreateDelay = floorprovider.CreateDelayEnv
)

// WaitingSpec is the waiting scenario: Jobs jobs of Duration applied at
// once (quota and -parallelism raised to Jobs) while every call takes
// Latency and each Describe and List operation is limited to Rate calls per
// second, as the service limits them per account. Config is
// configDocumented (settings left to the service) or configStated (empty in
// older results).
type WaitingSpec struct {
	Jobs     int           `json:"jobs"`
	Duration time.Duration `json:"duration_ns"`
	Latency  time.Duration `json:"latency_ns"`
	Rate     float64       `json:"rate"`
	Config   string        `json:"config,omitempty"`
}

// Settings names the configuration: older results stated every setting.
func (w WaitingSpec) Settings() string {
	if w.Config == "" {
		return configStated
	}
	return w.Config
}

// WaitingRow is one apply of the waiting scenario.
type WaitingRow struct {
	WaitingSpec
	Created   int           `json:"created"`     // jobs in the emulator afterwards
	ApplyWall time.Duration `json:"apply_ns"`    // the whole apply, plan included
	Makespan  time.Duration `json:"makespan_ns"` // first create sent to the apply returning
	// Noticed is from the first create sent to the last job's first status
	// answer (List or Describe) that showed it ACTIVE.
	Noticed time.Duration `json:"noticed_ns"`
	// FloorApply is the same apply with the minimal framework provider whose
	// creates each take Duration: Terraform's own cost of N long creates.
	FloorApply time.Duration `json:"floor_apply_ns"`
	// CreateSpread is from the first to the last accepted create: how long
	// Terraform took to hand every create to the provider.
	CreateSpread time.Duration `json:"create_spread_ns"`
	// WaitingCalls are the Describe and List calls made during the apply.
	WaitingCalls map[string]int `json:"waiting_calls"`
	// Rounds is the poll rounds of every job's schedule (a look after
	// max(1 s, 10 % of the time waited)) from its create until it finished:
	// the calls one Describe per job and round would make.
	Rounds    int            `json:"rounds"`
	Throttled map[string]int `json:"throttled"` // ThrottlingException answers, by operation
	// Surfaced counts mentions of throttling in Terraform's output: errors
	// or warnings the user would see.
	Surfaced int `json:"surfaced"`
}

// Waiting is the total of WaitingCalls.
func (w WaitingRow) Waiting() int { return sum(w.WaitingCalls) }

// PerJobRound is the waiting calls per job and poll round.
func (w WaitingRow) PerJobRound() float64 {
	if w.Rounds == 0 {
		return 0
	}
	return float64(w.Waiting()) / float64(w.Rounds)
}

// Bound is ceil(jobs/quota)·duration with the quota raised to the jobs.
func (w WaitingRow) Bound() time.Duration { return QueueBound(w.Jobs, w.Jobs, w.Duration) }

// Factor is the makespan over the bound.
func (w WaitingRow) Factor() float64 { return ratio(w.Makespan, w.Bound()) }

// NoticedFactor is the time to the last completion seen over the bound:
// the makespan of the provider's part of the work.
func (w WaitingRow) NoticedFactor() float64 { return ratio(w.Noticed, w.Bound()) }

// FloorFactor is the apply over the same apply with the minimal provider.
func (w WaitingRow) FloorFactor() float64 { return ratio(w.ApplyWall, w.FloorApply) }

// ThrottledTotal is every ThrottlingException answer.
func (w WaitingRow) ThrottledTotal() int { return sum(w.Throttled) }

// Waiting-cost target: calls per job and poll round.
const waitingCallsPerJobRound = 0.2

// scheduledPolls is how many looks a job that finishes after d gets on the
// provider's polling schedule: the next look comes max(1 s, 10 % of the time
// waited, at most 60 s) after the last, until one comes after the job ended.
func scheduledPolls(d time.Duration) int {
	n := 0
	for t := time.Duration(0); t < d; n++ {
		t += min(max(t/10, time.Second), time.Minute)
	}
	return max(n, 1)
}

// waiting applies many long jobs at once against the service's pace.
func (b *bench) waiting(ctx context.Context, res *Results) error {
	for _, spec := range b.cfg.Plan.Waiting {
		row, err := b.waitingRun(ctx, spec)
		if err != nil {
			return err
		}
		res.Waiting = append(res.Waiting, row)
	}
	return nil
}

func (b *bench) waitingRun(ctx context.Context, spec WaitingSpec) (WaitingRow, error) {
	if err := b.fresh(ctx, spec.Duration, spec.Jobs); err != nil {
		return WaitingRow{}, err
	}
	limits := map[string]float64{}
	for _, op := range []string{opDescribe, opList, "DescribeBatchSegmentJob", "ListBatchSegmentJobs"} {
		limits[op] = spec.Rate
	}
	if err := b.emu.SetFaults(ctx, map[string]any{"latency_ms": spec.Latency.Milliseconds(), "rate_limits": limits}); err != nil {
		return WaitingRow{}, err
	}
	defer func() { _ = b.emu.SetFaults(context.WithoutCancel(ctx), map[string]any{}) }()

	prefix := b.prefix("w")
	dir, err := workspace(b.cfg.WorkDir, fmt.Sprintf("waiting-%d-%s", spec.Jobs, spec.Settings()), configFor(spec.Settings(), b.emu.URL, prefix, spec.Jobs), "")
	if err != nil {
		return WaitingRow{}, err
	}
	args := append(slices.Clone(argsApply), fmt.Sprintf("-parallelism=%d", spec.Jobs))
	m, err := b.terraform(ctx, 3*spec.Duration+time.Duration(spec.Jobs)*200*time.Millisecond+2*time.Minute, dir, OpApply, nil, args...)
	if err != nil {
		return WaitingRow{}, err
	}
	row := WaitingRow{WaitingSpec: spec, Created: m.calls.Jobs, ApplyWall: m.Wall(), Throttled: m.calls.Throttled, WaitingCalls: map[string]int{}}
	for op, n := range m.calls.Calls {
		if strings.HasPrefix(op, "Describe") || strings.HasPrefix(op, "List") {
			if op != "ListTagsForResource" {
				row.WaitingCalls[op] = n
			}
		}
	}
	if row.Created != spec.Jobs {
		return row, fmt.Errorf("waiting apply of %d jobs created %d in the emulator (%s)", spec.Jobs, row.Created, dir)
	}
	var first, last time.Time
	calls := b.emu.rec.Since(m.Start)
	for _, c := range calls {
		if c.Op != opCreate || c.Status >= 300 {
			continue
		}
		if first.IsZero() || c.Start.Before(first) {
			first = c.Start
		}
		last = maxTime(last, c.Start)
		// The wait starts when the create returns; the job ends Duration
		// after the emulator accepted it.
		row.Rounds += scheduledPolls(c.Start.Add(spec.Duration).Sub(c.End))
	}
	row.Makespan, row.CreateSpread = m.End.Sub(first), last.Sub(first)
	if seen := firstSeenActive(calls); len(seen) == spec.Jobs {
		for _, at := range seen {
			row.Noticed = max(row.Noticed, at.Sub(first))
		}
	} else {
		b.logf("waiting: only %d of %d jobs were seen ACTIVE by a status call", len(seen), spec.Jobs)
	}

	floorDir, err := workspace(b.cfg.WorkDir, fmt.Sprintf("waiting-%d-%s-floor", spec.Jobs, spec.Settings()), floorConfig(prefix, spec.Jobs), "")
	if err != nil {
		return row, err
	}
	fctx, cancel := context.WithTimeout(ctx, 3*spec.Duration+2*time.Minute)
	defer cancel()
	ft, err := b.tf.Run(fctx, floorDir, OpApply, []string{floorCreateDelay + "=" + spec.Duration.String()}, args...)
	if err != nil {
		return row, err
	}
	row.FloorApply = ft.Wall()
	out, err := os.ReadFile(filepath.Join(dir, OpApply+".log"))
	if err != nil {
		return row, err
	}
	row.Surfaced = strings.Count(string(out), "ThrottlingException") + strings.Count(string(out), "Rate exceeded")
	b.logf("waiting: %d jobs (%s settings) of %s at %s latency and %g calls/s: apply %s (the minimal provider sleeping as long in each create: %s), makespan %s (bound %s, %.2f×; creates spread over %s, last completion seen after %s), %d waiting calls %v = %.3f per job per poll round, %d throttled %v, %d surfaced",
		spec.Jobs, spec.Settings(), fmtDur(spec.Duration), fmtDur(spec.Latency), spec.Rate, fmtDur(row.ApplyWall), fmtDur(row.FloorApply), fmtDur(row.Makespan), fmtDur(row.Bound()), row.Factor(),
		fmtDur(row.CreateSpread), fmtDur(row.Noticed), row.Waiting(), row.WaitingCalls, row.PerJobRound(), row.ThrottledTotal(), row.Throttled, row.Surfaced)
	return row, nil
}

// firstSeenActive is, by job name, when a status call first answered that
// the job was ACTIVE.
func firstSeenActive(calls []Call) map[string]time.Time {
	seen := map[string]time.Time{}
	note := func(job string, at time.Time) {
		if _, ok := seen[job]; !ok {
			seen[job] = at
		}
	}
	for _, c := range calls {
		switch {
		case c.Op == opDescribe && c.JobStatus == statusDone:
			note(c.Job, c.End)
		case c.Op == opList:
			for job, status := range c.Listed {
				if status == statusDone {
					note(job, c.End)
				}
			}
		}
	}
	return seen
}

func (r Results) waitingVerdicts() []Verdict {
	var out []Verdict
	for _, w := range r.Waiting {
		out = append(out,
			Verdict{
				Target:   fmt.Sprintf("waiting: %d jobs of %s (%s settings) at %g calls/s: ≤ %g calls per job per poll round", w.Jobs, fmtDur(w.Duration), w.Settings(), w.Rate, waitingCallsPerJobRound),
				Measured: fmt.Sprintf("%.3f (%d calls, %d rounds)", w.PerJobRound(), w.Waiting(), w.Rounds),
				Pass:     w.PerJobRound() <= waitingCallsPerJobRound,
			},
			Verdict{
				Target:   fmt.Sprintf("waiting: %d jobs (%s): no throttling error surfaced", w.Jobs, w.Settings()),
				Measured: fmt.Sprintf("%d surfaced (%d throttled answers received)", w.Surfaced, w.ThrottledTotal()),
				Pass:     w.Surfaced == 0,
			},
			Verdict{
				Target: fmt.Sprintf("waiting: %d jobs (%s): every completion seen within %.2f× %s of the first create", w.Jobs, w.Settings(), r.Limits.MakespanFactor, fmtDur(w.Bound())),
				Measured: fmt.Sprintf("%s = %.2f× (apply returned after %s = %.2f×, the minimal provider's after %s)",
					fmtDur(w.Noticed), w.NoticedFactor(), fmtDur(w.Makespan), w.Factor(), fmtDur(w.FloorApply)),
				Pass: w.Noticed > 0 && w.NoticedFactor() <= r.Limits.MakespanFactor,
			},
			Verdict{
				Target:   fmt.Sprintf("waiting: %d jobs (%s): apply ≤ %.2f× the minimal provider whose creates take %s", w.Jobs, w.Settings(), r.Limits.MakespanFactor, fmtDur(w.Duration)),
				Measured: fmt.Sprintf("%s / %s = %.2f×", fmtDur(w.ApplyWall), fmtDur(w.FloorApply), w.FloorFactor()),
				Pass:     w.FloorApply > 0 && w.FloorFactor() <= r.Limits.MakespanFactor,
			})
	}
	return out
}

func (r Results) waitingMarkdown(p func(string, ...any)) {
	if len(r.Waiting) == 0 {
		return
	}
	p("\n## 4. Waiting at scale\n\n")
	p("Many long jobs at once against the service's pace: every call takes the latency given, and\n")
	p("each Describe and List operation is limited to the rate given, beyond which the emulator\n")
	p("answers `ThrottlingException` as the service does. The quota and `-parallelism` are raised to\n")
	p("the number of jobs, so the bound is one job's duration. *Settings* says whether the jobs\n")
	p("leave `num_results` and `batch_inference_job_config` to the service, as the documentation's\n")
	p("example does (*documented*), or state them (*stated*).\n")
	p("*Makespan* runs from the first create sent to the apply returning; *create spread* is how long\n")
	p("Terraform took to hand every create to the provider. *Poll rounds* are the looks each job's\n")
	p("schedule (after max(1 s, 10 %% of the time waited)) makes until it finished, summed over the\n")
	p("jobs: the calls one Describe per job and round would cost.\n\n")
	p("*Last seen* is from the first create to the first status answer that showed the last job\n")
	p("ACTIVE. *Floor apply* is the same apply with the minimal framework provider, each of whose\n")
	p("creates sleeps the jobs' duration: what Terraform itself needs to run that many long creates.\n")
	p("The makespan target is judged on the last completion seen, the part the provider controls;\n")
	p("what Terraform adds after it is judged against the floor apply.\n\n")
	p("| jobs | settings | duration | latency | limit | apply | floor apply | apply / floor | makespan | bound | makespan / bound | create spread | last seen | waiting calls | poll rounds | calls per job per round | throttled answers | surfaced |\n")
	p("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|\n")
	for _, w := range r.Waiting {
		p("| %d | %s | %s | %s | %g/s | %s | %s | %s | %s | %s | %.2f× | %s | %s | %s | %d | %.3f | %s | %d |\n", w.Jobs, w.Settings(), fmtDur(w.Duration), fmtDur(w.Latency), w.Rate,
			fmtDur(w.ApplyWall), durOrNA([]time.Duration{w.FloorApply}), ratioOrNA(ratio(w.ApplyWall, w.FloorApply)),
			fmtDur(w.Makespan), fmtDur(w.Bound()), w.Factor(), fmtDur(w.CreateSpread), fmtDur(w.Noticed),
			opCounts(w.WaitingCalls), w.Rounds, w.PerJobRound(), opCounts(w.Throttled), w.Surfaced)
	}
}

// opCounts renders calls per operation, largest first: "List 120, Describe 3".
func opCounts(m map[string]int) string {
	if len(m) == 0 {
		return "0"
	}
	ops := slices.Sorted(maps.Keys(m))
	slices.SortStableFunc(ops, func(a, b string) int { return m[b] - m[a] })
	parts := make([]string, len(ops))
	for i, op := range ops {
		parts[i] = fmt.Sprintf("%s %d", op, m[op])
	}
	return strings.Join(parts, ", ")
}
