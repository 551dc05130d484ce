package benchmarks

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

const scenarioWorkspaces = "workspaces"

// WorkspacesSpec is the workspaces scenario: Workspaces separate terraform
// processes apply Jobs jobs each at once, at Terraform's default
// -parallelism and in the documented configuration, against one account:
// one quota of Quota running jobs, Describe and List (and Create when
// LimitCreates is set) each limited to Rate calls per second, every call
// taking Latency.
type WorkspacesSpec struct {
	Workspaces   int           `json:"workspaces"`
	Jobs         int           `json:"jobs_per_workspace"`
	Quota        int           `json:"quota"`
	Duration     time.Duration `json:"duration_ns"`
	Latency      time.Duration `json:"latency_ns"`
	Rate         float64       `json:"rate"`
	LimitCreates bool          `json:"limit_creates,omitempty"`
}

// Limited names the operations limited to Rate.
func (s WorkspacesSpec) Limited() []string {
	if s.LimitCreates {
		return []string{opCreate, opDescribe, opList}
	}
	return []string{opDescribe, opList}
}

// Total is the jobs of every workspace.
func (s WorkspacesSpec) Total() int { return s.Workspaces * s.Jobs }

// Bound is ceil(total/quota)·duration: every slot busy all the time.
func (s WorkspacesSpec) Bound() time.Duration { return QueueBound(s.Total(), s.Quota, s.Duration) }

// WorkspacesRow is one run of the workspaces scenario.
type WorkspacesRow struct {
	WorkspacesSpec
	// Makespan runs from the applies' start to the last one returning.
	Makespan time.Duration `json:"makespan_ns"`
	// Applies are each workspace's apply, in workspace order.
	Applies []time.Duration `json:"applies_ns"`
	// Created is the jobs in the emulator afterwards; Accepted the creates
	// it accepted: both equal Total when each job ran once.
	Created       int            `json:"created"`
	Accepted      int            `json:"accepted"`
	LimitExceeded int            `json:"limit_exceeded"`
	Throttled     map[string]int `json:"throttled"`
	Calls         map[string]int `json:"calls"`
	Pickup        Pickup         `json:"pickup"`
	// Surfaced counts throttling, quota and error messages in the applies'
	// output: what a user would see.
	Surfaced int `json:"surfaced"`
}

// Factor is the makespan over the bound.
func (w WorkspacesRow) Factor() float64 { return ratio(w.Makespan, w.Bound()) }

// Workspaces target: makespan over the bound.
const workspacesMakespanFactor = 1.2

func (b *bench) workspaces(ctx context.Context, res *Results) error {
	for _, spec := range b.cfg.Plan.Workspaces {
		row, err := b.workspacesRun(ctx, spec)
		if err != nil {
			return err
		}
		res.Workspaces = append(res.Workspaces, row)
	}
	return nil
}

func (b *bench) workspacesRun(ctx context.Context, spec WorkspacesSpec) (WorkspacesRow, error) {
	row := WorkspacesRow{WorkspacesSpec: spec}
	if err := b.fresh(ctx, spec.Duration, spec.Quota); err != nil {
		return row, err
	}
	limits := map[string]float64{}
	for _, op := range spec.Limited() {
		limits[op] = spec.Rate
	}
	if err := b.emu.SetFaults(ctx, map[string]any{"latency_ms": spec.Latency.Milliseconds(), "rate_limits": limits}); err != nil {
		return row, err
	}
	defer func() { _ = b.emu.SetFaults(context.WithoutCancel(ctx), map[string]any{}) }()

	dirs := make([]string, spec.Workspaces)
	for k := range dirs {
		var err error
		name := fmt.Sprintf("workspaces-%d-of-%d", k, spec.Workspaces)
		if dirs[k], err = workspace(b.cfg.WorkDir, name, providerConfig(b.emu.URL, b.prefix(fmt.Sprintf("k%d-", k)), spec.Jobs), ""); err != nil {
			return row, err
		}
	}
	before, err := b.emu.Stats(ctx)
	if err != nil {
		return row, err
	}
	deadline := 3*spec.Bound() + 2*time.Minute
	cctx, cancel := context.WithTimeout(ctx, deadline)
	defer cancel()
	runs := make([]run, spec.Workspaces)
	errs := make([]error, spec.Workspaces)
	start := time.Now()
	var wg sync.WaitGroup
	for k, dir := range dirs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runs[k], errs[k] = b.tf.Run(cctx, dir, OpApply, nil, argsApply...)
		}()
	}
	wg.Wait()
	for k, err := range errs {
		if err != nil {
			if summary := errorSummary(b.emu.rec.Since(start)); summary != "" {
				err = fmt.Errorf("%w\nAPI errors the emulator answered meanwhile: %s", err, summary)
			}
			return row, fmt.Errorf("workspace %d of %d: %w", k+1, spec.Workspaces, err)
		}
	}
	after, err := b.emu.Stats(ctx)
	if err != nil {
		return row, err
	}
	d := after.Sub(before)
	row.Created, row.Calls, row.Throttled = d.Jobs, d.Calls, d.Throttled
	var last time.Time
	for _, r := range runs {
		row.Applies = append(row.Applies, r.Wall())
		last = maxTime(last, r.End)
	}
	row.Makespan = last.Sub(start)
	created, active, refused := createSlots(b.emu.rec.Since(start), spec.Duration)
	row.LimitExceeded, row.Accepted = refused, len(created)
	row.Pickup = SlotPickup(created, active, spec.Quota)
	for _, dir := range dirs {
		out, err := os.ReadFile(filepath.Join(dir, OpApply+".log"))
		if err != nil {
			return row, err
		}
		row.Surfaced += surfaced(string(out))
	}
	if row.Created != spec.Total() || row.Accepted != spec.Total() {
		return row, fmt.Errorf("%d workspaces of %d jobs: %d jobs in the emulator, %d creates accepted (%s)", spec.Workspaces, spec.Jobs, row.Created, row.Accepted, strings.Join(dirs, ", "))
	}
	b.logf("workspaces: %d applies of %d jobs of %s, quota %d, %g calls/s for %s, %s latency: makespan %s (bound %s, %.2f×), applies %s, %d creates refused, slot pickup mean %s max %s, calls %s, %d throttled %v, %d surfaced",
		spec.Workspaces, spec.Jobs, fmtDur(spec.Duration), spec.Quota, spec.Rate, shortOps(spec.Limited()), fmtDur(spec.Latency), fmtDur(row.Makespan), fmtDur(spec.Bound()), row.Factor(),
		durList(row.Applies), row.LimitExceeded, fmtDur(row.Pickup.Mean), fmtDur(row.Pickup.Max), opCounts(row.Calls), sum(row.Throttled), row.Throttled, row.Surfaced)
	return row, nil
}

// surfaced counts what a user would read as the service pushing back:
// throttling, the quota, and any error.
func surfaced(output string) int {
	n := 0
	for _, s := range []string{"ThrottlingException", "Rate exceeded", "LimitExceededException", "Error:"} {
		n += strings.Count(output, s)
	}
	return n
}

// shortOps is "Create, Describe, List".
func shortOps(ops []string) string {
	s := make([]string, len(ops))
	for i, op := range ops {
		s[i] = shortOp(op)
	}
	return strings.Join(s, ", ")
}

// createSlots reads the creates among calls: when each accepted one started
// and when its job of duration d then ended, and how many were refused at
// the running-jobs quota (LimitExceededException).
func createSlots(calls []Call, d time.Duration) (created, active []time.Time, refused int) {
	for _, c := range calls {
		if c.Op != opCreate {
			continue
		}
		switch {
		case c.Error == "LimitExceededException":
			refused++
		case c.Status < 300:
			created = append(created, c.Start)
			active = append(active, c.Start.Add(d))
		}
	}
	return created, active, refused
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func durList(ds []time.Duration) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = fmtDur(d)
	}
	return strings.Join(s, ", ")
}

func (r Results) workspacesVerdicts() []Verdict {
	var out []Verdict
	for _, w := range r.Workspaces {
		out = append(out, Verdict{
			Target: fmt.Sprintf("workspaces: %d applies of %d jobs on one account (quota %d, %s at %g calls/s): makespan ≤ %.2g× %s, nothing surfaced, each job run once",
				w.Workspaces, w.Jobs, w.Quota, shortOps(w.Limited()), w.Rate, workspacesMakespanFactor, fmtDur(w.Bound())),
			Measured: fmt.Sprintf("%s = %.2f×; %d surfaced; %d jobs from %d accepted creates", fmtDur(w.Makespan), w.Factor(), w.Surfaced, w.Created, w.Accepted),
			Pass:     w.Factor() <= workspacesMakespanFactor && w.Surfaced == 0 && w.Created == w.Total() && w.Accepted == w.Total(),
		})
	}
	return out
}

func (r Results) workspacesMarkdown(p func(string, ...any)) {
	if len(r.Workspaces) == 0 {
		return
	}
	p("\n## 6. Several workspaces on one account\n\n")
	p("Separate `terraform apply` processes started together, each over its own jobs in the\n")
	p("documented configuration at Terraform's default `-parallelism`, against one account: they\n")
	p("share its quota of running jobs and the rate limits of Describe and List (and, in the runs that\n")
	p("say so, of Create). The bound is\n")
	p("ceil(all jobs / quota) × duration; *makespan* runs from the start of the applies to the last\n")
	p("one returning; *slot pickup* is how long a freed slot stayed empty before a create took it.\n\n")
	p("| workspaces | jobs each | quota | duration | limit | limited | bound | makespan | makespan / bound | applies | refused creates | slot pickup mean / max | calls | throttled answers | surfaced |\n")
	p("|---:|---:|---:|---:|---:|---|---:|---:|---:|---|---:|---:|---|---:|---:|\n")
	for _, w := range r.Workspaces {
		p("| %d | %d | %d | %s | %g/s | %s | %s | %s | %.2f× | %s | %d | %s / %s | %s | %s | %d |\n", w.Workspaces, w.Jobs, w.Quota, fmtDur(w.Duration), w.Rate, shortOps(w.Limited()),
			fmtDur(w.Bound()), fmtDur(w.Makespan), w.Factor(), durList(w.Applies), w.LimitExceeded, fmtDur(w.Pickup.Mean), fmtDur(w.Pickup.Max),
			opCounts(w.Calls), opCounts(w.Throttled), w.Surfaced)
	}
}
