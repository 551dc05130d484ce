package benchmarks

import (
	"context"
	"fmt"
	"slices"
	"time"
)

const (
	whoProvider   = "provider"
	whoPeer       = "peer"
	scenarioScale = "scale"
	scenarioQueue = "queue"

	opCreate   = "CreateBatchInferenceJob"
	opDescribe = "DescribeBatchInferenceJob"
	opList     = "ListBatchInferenceJobs"
	statusDone = "ACTIVE"
)

// defaultParallelism is Terraform's -parallelism when none is given.
const defaultParallelism = 10

// scaleParallelisms are the -parallelism values the scale scenario runs N
// jobs at: Terraform's default, and N itself when that is more.
func scaleParallelisms(n int) []int {
	if n > defaultParallelism {
		return []int{defaultParallelism, n}
	}
	return []int{defaultParallelism}
}

// scale runs plan, apply and refresh over N jobs, in the documented
// configuration and in the fully stated one, over N terraform_data
// resources and over N resources of the minimal framework provider, at
// Terraform's default -parallelism and at -parallelism=N, rotating which
// side goes first so that a burst of load elsewhere on the machine does not
// always land on the same side.
func (b *bench) scale(ctx context.Context, res *Results) error {
	ops := []scaleOp{{OpPlan, argsPlan}, {OpApply, argsApply}, {OpRefresh, argsRefresh}}
	configs := []string{configDocumented, configStated}
	for _, n := range b.cfg.Plan.ScaleN {
		for _, par := range scaleParallelisms(n) {
			rows := make([][]ScaleRow, len(ops)) // by operation, then configuration
			for i, op := range ops {
				for _, c := range configs {
					rows[i] = append(rows[i], ScaleRow{N: n, Op: op.name, Parallelism: par, Config: c, Calls: map[string]int{}})
				}
			}
			if err := b.scaleAt(ctx, n, par, configs, ops, rows); err != nil {
				return err
			}
			for _, r := range rows {
				res.Scale = append(res.Scale, r...)
			}
		}
	}
	return nil
}

// scaleOp is one Terraform command of the scale scenario.
type scaleOp struct {
	name string
	args []string
}

// scaleAt measures every operation at one N and -parallelism into rows (by
// operation, then configuration).
func (b *bench) scaleAt(ctx context.Context, n, par int, configs []string, ops []scaleOp, rows [][]ScaleRow) error {
	reps := max(1, b.cfg.Plan.ScaleReps[n])
	deadline := 2*time.Minute + time.Duration(n)*200*time.Millisecond
	parArg := fmt.Sprintf("-parallelism=%d", par)
	for rep := range reps {
		// Jobs of duration 0 finish at once and the quota is out of the
		// way: what is left is Terraform, the provider and its calls.
		if err := b.fresh(ctx, 0, len(configs)*n+5); err != nil {
			return err
		}
		prefix := b.prefix("s")
		label := fmt.Sprintf("scale-%d-p%d-%d", n, par, rep)
		base, err := workspace(b.cfg.WorkDir, label+"-data", baselineConfig(prefix, n), "")
		if err != nil {
			return err
		}
		subj, floor := make([]string, len(configs)), make([]string, len(configs))
		for k, c := range configs {
			if subj[k], err = workspace(b.cfg.WorkDir, label+"-"+c, configFor(c, b.emu.URL, fmt.Sprintf("%s%s-", prefix, c), n), ""); err != nil {
				return err
			}
			if floor[k], err = workspace(b.cfg.WorkDir, label+"-"+c+"-floor", floorConfigFor(c, prefix, n), ""); err != nil {
				return err
			}
		}
		for i, op := range ops {
			args := append(slices.Clone(op.args), parArg)
			var bt run
			ft := make([]run, len(configs))
			st := make([]measured, len(configs))
			local := func(dir string, env []string, into *run) func() error {
				return func() (err error) {
					cctx, cancel := context.WithTimeout(ctx, deadline)
					defer cancel()
					*into, err = b.tf.Run(cctx, dir, op.name, env, args...)
					return err
				}
			}
			sides := []func() error{local(base, nil, &bt)}
			for k, c := range configs {
				sides = append(sides, local(floor[k], b.profileEnv(fmt.Sprintf("%s-%s-%s-floor", label, op.name, c)), &ft[k]), func() (err error) {
					st[k], err = b.terraform(ctx, deadline, subj[k], op.name, b.profileEnv(fmt.Sprintf("%s-%s-%s", label, op.name, c)), args...)
					return err
				})
			}
			for _, side := range rotate(sides, rep) {
				if err := side(); err != nil {
					return err
				}
			}
			for k := range configs {
				if op.name == OpApply && st[k].calls.Jobs != n {
					return fmt.Errorf("apply of %d jobs created %d in the emulator (%s)", n, st[k].calls.Jobs, subj[k])
				}
				r := &rows[i][k]
				r.Baseline = append(r.Baseline, bt.Wall())
				r.Floor = append(r.Floor, ft[k].Wall())
				r.Subject = append(r.Subject, st[k].Wall())
				r.BaselineCPU = append(r.BaselineCPU, bt.CPU)
				r.FloorCPU = append(r.FloorCPU, ft[k].CPU)
				r.SubjectCPU = append(r.SubjectCPU, st[k].CPU)
				for op, v := range st[k].calls.Calls {
					r.Calls[op] += v
				}
				r.PeakRSS = max(r.PeakRSS, st[k].PeakRSS)
				r.Starts = st[k].Starts
				r.FloorStarts = ft[k].Starts
				r.FloorPeakRSS = max(r.FloorPeakRSS, ft[k].PeakRSS)
				if op.name == OpApply {
					b.logf("first looks after the create: %s", firstLooks(b.emu.rec.Since(st[k].Start), st[k].End))
				}
				b.logf("scale N=%d -parallelism=%d %s rep %d/%d %-7s terraform_data %s, floor provider %s, provider %s (%.2f× the floor, %.2f× terraform_data; CPU %s, %s, %s: %.2f× the floor), %d calls %v, %d provider processes, RSS %s",
					n, par, r.Config, rep+1, reps, op.name, fmtDur(bt.Wall()), fmtDur(ft[k].Wall()), fmtDur(st[k].Wall()), ratio(st[k].Wall(), ft[k].Wall()), ratio(st[k].Wall(), bt.Wall()),
					fmtDur(bt.CPU), fmtDur(ft[k].CPU), fmtDur(st[k].CPU), ratio(st[k].CPU, ft[k].CPU),
					st[k].calls.Total(), opCounts(st[k].calls.Calls), st[k].Starts, fmtBytes(st[k].PeakRSS))
			}
		}
	}
	return nil
}

// firstLooks sums up, over the jobs created by calls until end, the time
// from each create's answer to the first status call that showed the job.
func firstLooks(calls []Call, end time.Time) string {
	created := map[string]time.Time{}
	var gaps []time.Duration
	for _, c := range calls {
		if c.Start.After(end) {
			break
		}
		switch {
		case c.Op == opCreate && c.Status < 300:
			created[c.Job] = c.End
		case c.Op == opDescribe:
			if at, ok := created[c.Job]; ok {
				gaps = append(gaps, c.Start.Sub(at))
				delete(created, c.Job)
			}
		case c.Op == opList:
			for job := range c.Listed {
				if at, ok := created[job]; ok {
					gaps = append(gaps, c.Start.Sub(at))
					delete(created, job)
				}
			}
		}
	}
	if len(gaps) == 0 {
		return "none"
	}
	slices.Sort(gaps)
	return fmt.Sprintf("median %s, 90th percentile %s, max %s over %d jobs", fmtDur(gaps[len(gaps)/2]), fmtDur(gaps[len(gaps)*9/10]), fmtDur(gaps[len(gaps)-1]), len(gaps))
}

// rotate returns sides starting at rep modulo their number, so that each
// side goes first as often as the others over the repetitions.
func rotate[T any](sides []T, rep int) []T {
	k := rep % len(sides)
	return append(append([]T(nil), sides[k:]...), sides[:k]...)
}

// latency applies single jobs of each duration and measures how long after
// the job became ACTIVE the apply returned. The emulator's job becomes
// ACTIVE exactly Duration after it accepted the create.
func (b *bench) latency(ctx context.Context, res *Results) error {
	for _, spec := range b.cfg.Plan.Latency {
		row := LatencyRow{Duration: spec.Duration}
		for rep := range max(1, spec.Reps) {
			if err := b.fresh(ctx, spec.Duration, 5); err != nil {
				return err
			}
			prefix := b.prefix("l")
			dir, err := workspace(b.cfg.WorkDir, fmt.Sprintf("latency-%s-%d", spec.Duration, rep), providerConfig(b.emu.URL, prefix, 1), "")
			if err != nil {
				return err
			}
			m, err := b.terraform(ctx, spec.Duration+2*time.Minute, dir, OpApply, nil, argsApply...)
			if err != nil {
				return err
			}
			s, err := latencySample(b.emu.rec.Since(m.Start), prefix+"0", spec.Duration, m.End)
			if err != nil {
				return fmt.Errorf("%w (%s)", err, dir)
			}
			s.Wall = m.Wall()
			s.Describes = m.calls.Calls[opDescribe] + m.calls.Calls[opList]
			row.Samples = append(row.Samples, s)
			b.logf("latency %s rep %d/%d: apply %s, noticed %s after ACTIVE (poll gap %s, tail %s), %d describes",
				fmtDur(spec.Duration), rep+1, spec.Reps, fmtDur(s.Wall), fmtDur(s.Noticed), fmtDur(s.PollGap), fmtDur(s.Tail), s.Describes)
		}
		res.Latency = append(res.Latency, row)
	}
	return nil
}

// latencySample reads one job's timeline from the recorded calls: a poll is
// a Describe of the job or a listing that showed it.
func latencySample(calls []Call, job string, d time.Duration, applyEnd time.Time) (LatencySample, error) {
	var created time.Time
	for _, c := range calls {
		if c.Job == job && c.Op == opCreate && c.Error == "" && c.Status < 300 {
			created = c.Start
		}
	}
	if created.IsZero() {
		return LatencySample{}, fmt.Errorf("no successful %s for job %s was recorded", opCreate, job)
	}
	active := created.Add(d)
	s := LatencySample{Noticed: applyEnd.Sub(active)}
	seen := false
	for _, c := range calls {
		status := c.JobStatus
		switch {
		case c.Op == opDescribe && c.Job == job:
		case c.Op == opList && c.Listed[job] != "":
			status = c.Listed[job]
		default:
			continue
		}
		s.Polls = append(s.Polls, c.Start.Sub(created))
		if !seen && status == statusDone {
			seen = true
			s.PollGap = c.Start.Sub(active)
			s.Tail = applyEnd.Sub(c.End)
		}
	}
	if !seen {
		return s, fmt.Errorf("no %s or %s reported job %s %s", opDescribe, opList, job, statusDone)
	}
	return s, nil
}

// queue applies more jobs than the quota lets run at once.
func (b *bench) queue(ctx context.Context, res *Results) error {
	q := b.cfg.Plan.Queue
	if q == nil {
		return nil
	}
	row, err := b.queueRun(ctx, whoProvider, *q)
	if err != nil {
		return err
	}
	res.Queue = append(res.Queue, row)
	return nil
}

func (b *bench) queueRun(ctx context.Context, who string, q QueueSpec) (QueueRow, error) {
	if err := b.fresh(ctx, q.Duration, q.Quota); err != nil {
		return QueueRow{}, err
	}
	prefix := b.prefix("q")
	config, script := providerConfig(b.emu.URL, prefix, q.Jobs), ""
	var env []string
	if who == whoPeer {
		config, script, env = peerConfig(prefix, q.Jobs), peerScript(b.emu.URL, b.cfg.Plan.PeerPoll.Seconds()), peerEnv(b.cfg.WorkDir)
	}
	dir, err := workspace(b.cfg.WorkDir, "queue-"+who, config, script)
	if err != nil {
		return QueueRow{}, err
	}
	m, err := b.terraform(ctx, 3*QueueBound(q.Jobs, q.Quota, q.Duration)+2*time.Minute, dir, OpApply, env, argsApply...)
	if err != nil {
		return QueueRow{}, err
	}
	if m.calls.Jobs != q.Jobs {
		return QueueRow{}, fmt.Errorf("%s apply of %d jobs created %d in the emulator (%s)", who, q.Jobs, m.calls.Jobs, dir)
	}
	row := QueueRow{
		Who: who, Jobs: q.Jobs, Quota: q.Quota, Duration: q.Duration,
		Makespan:  m.Wall(),
		Creates:   m.calls.Calls[opCreate],
		Describes: m.calls.Calls[opDescribe],
	}
	calls := b.emu.rec.Since(m.Start)
	var created, active []time.Time
	created, active, row.LimitExceeded = createSlots(calls, q.Duration)
	if len(created) > 0 {
		first, last := created[0], active[0]
		for i := range created {
			first = minTime(first, created[i])
			last = maxTime(last, active[i])
		}
		row.EmulatorSpan = last.Sub(first)
	}
	row.Pickup = SlotPickup(created, active, q.Quota)
	row.Slowest = SlowestAttempts(calls, m.Start)
	b.logf("queue %s: %d jobs quota %d of %s: makespan %s (bound %s, %.2f×), %d creates refused, slot pickup mean %s max %s, %d describes",
		who, q.Jobs, q.Quota, fmtDur(q.Duration), fmtDur(row.Makespan), fmtDur(row.Bound()), row.Factor(), row.LimitExceeded, fmtDur(row.Pickup.Mean), fmtDur(row.Pickup.Max), row.Describes)
	return row, nil
}

// peer applies the same jobs with the provider and with terraform_data +
// local-exec + aws CLI.
func (b *bench) peer(ctx context.Context, res *Results) error {
	for _, n := range b.cfg.Plan.PeerN {
		if err := b.fresh(ctx, 0, n+5); err != nil {
			return err
		}
		row := PeerRow{Scenario: scenarioScale, N: n}
		prefix := b.prefix("p")
		subj, err := workspace(b.cfg.WorkDir, fmt.Sprintf("peer-%d-provider", n), providerConfig(b.emu.URL, prefix+"tf-", n), "")
		if err != nil {
			return err
		}
		peer, err := workspace(b.cfg.WorkDir, fmt.Sprintf("peer-%d-cli", n), peerConfig(prefix+"cli-", n), peerScript(b.emu.URL, b.cfg.Plan.PeerPoll.Seconds()))
		if err != nil {
			return err
		}
		// The aws CLI may need seconds per call on a loaded machine.
		deadline := 2*time.Minute + time.Duration(n)*15*time.Second
		m, err := b.terraform(ctx, deadline, subj, OpApply, nil, argsApply...)
		if err != nil {
			return err
		}
		p, err := b.terraform(ctx, deadline, peer, OpApply, peerEnv(b.cfg.WorkDir), argsApply...)
		if err != nil {
			return err
		}
		if m.calls.Jobs != n || p.calls.Jobs != n {
			return fmt.Errorf("peer scenario at N=%d: the provider created %d jobs, the aws CLI %d (%s, %s)", n, m.calls.Jobs, p.calls.Jobs, subj, peer)
		}
		row.Provider = append(row.Provider, m.Wall())
		row.Peer = append(row.Peer, p.Wall())
		row.PeerCLI = p.calls.Total()
		res.Peer = append(res.Peer, row)
		b.logf("peer N=%d: provider %s, aws CLI %s (%.1f× slower), %d CLI calls",
			n, fmtDur(m.Wall()), fmtDur(p.Wall()), row.Speedup(), row.PeerCLI)
	}
	if b.cfg.Plan.PeerQueue && b.cfg.Plan.Queue != nil {
		q, err := b.queueRun(ctx, whoPeer, *b.cfg.Plan.Queue)
		if err != nil {
			return err
		}
		res.Queue = append(res.Queue, q)
		for _, prov := range res.Queue {
			if prov.Who == whoProvider {
				res.Peer = append(res.Peer, PeerRow{Scenario: scenarioQueue, N: q.Jobs,
					Provider: []time.Duration{prov.Makespan}, Peer: []time.Duration{q.Makespan}, PeerCLI: q.Creates + q.Describes})
			}
		}
	}
	return nil
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func fmtBytes(n int64) string {
	if n <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
}
