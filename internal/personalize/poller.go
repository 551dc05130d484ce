package personalize

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/personalize"
)

// jobPoller learns the statuses of every job the provider process waits
// for from the List operations, which report up to listPageSize jobs per
// call, instead of one Describe per job and poll. An apply waiting on a
// thousand jobs then costs a handful of calls per poll round, which keeps it
// under the service's per-operation rate limits.
//
// Each watched job keeps its own schedule (lookInterval of the time waited),
// and a round lists the pages that hold the jobs due; every job those pages
// show is brought up to date, due or not. The service lists newest first, so
// the jobs of one apply sit on the first pages and a round stops paging once
// it has seen the jobs it came for.
//
// A job's first look comes as soon as the poller is free, together with
// those of every job submitted meanwhile: a job that finishes at once is
// reported at once, and a stream of creates costs one listing per round, not
// one call per job.
type jobPoller struct {
	conn *personalize.Client

	mu      sync.Mutex
	watches map[string][]*jobWatch // by job ARN
	running bool
	kick    chan struct{}
	// cancelRound ends the round under way, if any.
	cancelRound context.CancelFunc
	// lastRound is when the latest round began.
	lastRound time.Time
	pacers    map[string]*pacer // by operation
	// shapes is what the service fills in, by request shape (see
	// waitSubmitted).
	shapes map[string]*learnedShape
}

func newJobPoller(conn *personalize.Client) *jobPoller {
	return &jobPoller{conn: conn, watches: map[string][]*jobWatch{}, kick: make(chan struct{}, 1), pacers: map[string]*pacer{}, shapes: map[string]*learnedShape{}}
}

// jobLister is how the poller lists one type of job.
type jobLister struct {
	// operation names the List operation, which has its own rate limit.
	operation string
	list      func(ctx context.Context, conn *personalize.Client, solutionVersionARN string, page func([]JobSummary) bool, optFns ...func(*personalize.Options)) error
}

func listerOf[J, In any](k *jobKind[J, In]) jobLister {
	return jobLister{operation: k.listOperation, list: k.list}
}

// jobWatch is one job being waited for.
type jobWatch struct {
	lister             jobLister
	arn                string
	solutionVersionARN string
	// createdAt is the job's creation time when known: listing can stop at
	// older jobs.
	createdAt time.Time
	// start is when the wait began; the poll interval grows with the time since.
	start time.Time
	due   time.Time
	// updates holds the latest observation the waiter has not read yet.
	updates chan jobObservation
}

// jobObservation is what a round learned about a watched job: its summary,
// or nil when the pages listed did not show it (not visible to List yet, or
// the listing failed with Err).
type jobObservation struct {
	Summary *JobSummary
	Err     error
}

// pollGather is how long a round waits for more jobs due at about the same
// time, such as the first looks of creates Terraform runs in parallel; a
// round takes every job due within it.
const pollGather = 5 * time.Millisecond

// lookInterval is the time from one look at a watched job to the next: a
// job waited for less than half of pollMinInterval is looked at again after
// twice that time, so that one that finishes within moments (or shows its
// end a moment late) is seen to within moments, while the looks of young
// jobs still share rounds; after that, pollInterval's schedule.
func lookInterval(waited time.Duration) time.Duration {
	if waited < pollMinInterval/2 {
		return max(2*waited, pollGather)
	}
	return pollInterval(waited)
}

// listOrderSlack allows for jobs listed slightly out of creation order and
// for the service's clock running ahead of this machine's.
const listOrderSlack = 5 * time.Minute

// watch starts following a job. solutionVersionARN narrows the listing;
// createdAt (zero when unknown) lets it stop early.
func (p *jobPoller) watch(l jobLister, arn, solutionVersionARN string, createdAt, start time.Time) *jobWatch {
	w := &jobWatch{lister: l, arn: arn, solutionVersionARN: solutionVersionARN, createdAt: createdAt, start: start,
		due: time.Now().Add(pollGather), updates: make(chan jobObservation, 1)}
	if createdAt.IsZero() {
		// Not known yet: the job was created before the wait began.
		w.createdAt = start
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.watches[arn] = append(p.watches[arn], w)
	if !p.running {
		p.running = true
		go p.run()
	} else {
		p.poke()
	}
	return w
}

// unwatch stops following a job; the poller ends when it follows none,
// abandoning a round under way.
func (p *jobPoller) unwatch(w *jobWatch) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.watches[w.arn] = slices.DeleteFunc(p.watches[w.arn], func(o *jobWatch) bool { return o == w })
	if len(p.watches[w.arn]) == 0 {
		delete(p.watches, w.arn)
	}
	if len(p.watches) == 0 && p.cancelRound != nil {
		p.cancelRound()
	}
	p.poke()
}

func (p *jobPoller) poke() {
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

// next waits for the poller's next observation of the job.
func (w *jobWatch) next(ctx context.Context) (jobObservation, error) {
	select {
	case <-ctx.Done():
		return jobObservation{}, ctx.Err()
	case obs := <-w.updates:
		return obs, nil
	}
}

// deliverLocked hands w its newest observation, replacing one not yet read,
// and schedules its next poll.
func (w *jobWatch) deliverLocked(obs jobObservation, now time.Time) {
	select {
	case <-w.updates:
	default:
	}
	w.updates <- obs
	w.due = now.Add(lookInterval(now.Sub(w.start)))
}

func (p *jobPoller) run() {
	for {
		p.mu.Lock()
		if len(p.watches) == 0 {
			p.running = false
			p.mu.Unlock()
			return
		}
		var next time.Time
		for _, ws := range p.watches {
			for _, w := range ws {
				if next.IsZero() || w.due.Before(next) {
					next = w.due
				}
			}
		}
		early := false
		if interval, ok := p.earlyIntervalLocked(); ok && !p.lastRound.IsZero() {
			if at := p.lastRound.Add(interval); at.Before(next) {
				next, early = at, true
			}
		}
		p.mu.Unlock()

		if d := time.Until(next); d > 0 {
			t := time.NewTimer(d)
			select {
			case <-t.C:
			case <-p.kick:
				t.Stop()
				continue
			}
		}
		p.round(early)
	}
}

// Early rounds: when many jobs share each page, a round costs so little per
// job that the poller lists every watched job more often than their
// schedules ask, so that completions are noticed sooner. An early round
// comes only when a page serves at least 1/earlyCostPerJob jobs, at most
// earlyFactor times as often as the youngest job's schedule, and spends at
// most earlyShare of the listing's learned rate.
const (
	earlyCostPerJob = 0.02
	earlyFactor     = 3
	earlyShare      = 0.5
)

// earlyIntervalLocked is the time between early rounds, if they are cheap
// enough to run.
func (p *jobPoller) earlyIntervalLocked() (time.Duration, bool) {
	watched := map[string]int{}
	var youngest time.Time
	jobs := 0
	for _, ws := range p.watches {
		for _, w := range ws {
			watched[w.lister.operation]++
			jobs++
			if w.start.After(youngest) {
				youngest = w.start
			}
		}
	}
	pages, rate := 0, pacerMaxRate
	for op, n := range watched {
		pages += (n + listPageSize - 1) / listPageSize
		if pc := p.pacers[op]; pc != nil {
			rate = min(rate, pc.currentRate())
		} else {
			rate = min(rate, pacerStartRate)
		}
	}
	if jobs == 0 || float64(pages) > earlyCostPerJob*float64(jobs) {
		return 0, false
	}
	interval := time.Duration(float64(pages) / (earlyShare * rate) * float64(time.Second))
	return max(interval, pollMinInterval, pollInterval(time.Since(youngest))/earlyFactor), true
}

// listGroup is one listing of a round: the jobs of one lister, of one
// solution version unless solutionVersionARN is empty.
type listGroup struct {
	lister             jobLister
	solutionVersionARN string
	wanted             map[string]bool
	// oldest is the earliest creation time of the wanted jobs, zero when one
	// of them has none known (then only the last page ends the listing).
	oldest time.Time
}

// roundTimeout bounds one round's listing, so that a hung call cannot stall
// every wait in the process.
const roundTimeout = 2 * time.Minute

// round lists the pages that show the jobs due (every job, in an early
// round) and delivers what they show.
func (p *jobPoller) round(early bool) {
	now := time.Now()
	groups := p.dueGroups(now, early)
	ctx, cancel := context.WithTimeout(context.Background(), roundTimeout)
	p.mu.Lock()
	p.cancelRound, p.lastRound = cancel, now
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		p.cancelRound = nil
		p.mu.Unlock()
		cancel()
	}()
	for _, g := range groups {
		if ctx.Err() != nil {
			return
		}
		p.list(ctx, g)
	}
}

// dueGroups sorts the jobs due (all of them if all is set) into listings. Jobs of several solution
// versions are listed per version when that needs no more calls than one
// listing of them all would.
func (p *jobPoller) dueGroups(now time.Time, all bool) []*listGroup {
	p.mu.Lock()
	defer p.mu.Unlock()
	type key struct {
		operation string
		sv        string
	}
	bySV := map[key]*listGroup{}
	watched := map[string]int{}
	var order []key
	for _, ws := range p.watches {
		for _, w := range ws {
			watched[w.lister.operation]++
			if !all && w.due.After(now.Add(pollGather)) {
				continue
			}
			k := key{w.lister.operation, w.solutionVersionARN}
			g := bySV[k]
			if g == nil {
				g = &listGroup{lister: w.lister, solutionVersionARN: w.solutionVersionARN, wanted: map[string]bool{}, oldest: w.createdAt}
				bySV[k] = g
				order = append(order, k)
			}
			g.wanted[w.arn] = true
			if w.createdAt.IsZero() || g.oldest.IsZero() {
				g.oldest = time.Time{}
			} else if w.createdAt.Before(g.oldest) {
				g.oldest = w.createdAt
			}
		}
	}
	versions := map[string]int{}
	for _, k := range order {
		versions[k.operation]++
	}
	var out []*listGroup
	merged := map[string]*listGroup{}
	for _, k := range order {
		g := bySV[k]
		pagesForAll := (watched[k.operation] + listPageSize - 1) / listPageSize
		if k.sv != "" && versions[k.operation] <= max(pagesForAll, 1) {
			out = append(out, g)
			continue
		}
		m := merged[k.operation]
		if m == nil {
			m = &listGroup{lister: g.lister, wanted: map[string]bool{}, oldest: g.oldest}
			merged[k.operation] = m
			out = append(out, m)
		}
		for arn := range g.wanted {
			m.wanted[arn] = true
		}
		if g.oldest.IsZero() || m.oldest.IsZero() {
			m.oldest = time.Time{}
		} else if g.oldest.Before(m.oldest) {
			m.oldest = g.oldest
		}
	}
	return out
}

// list pages through one listing until it has shown every wanted job, or
// has gone past the oldest of them, or has no more pages; wanted jobs it did
// not show are delivered as not seen.
func (p *jobPoller) list(ctx context.Context, g *listGroup) {
	remaining := make(map[string]bool, len(g.wanted))
	for arn := range g.wanted {
		remaining[arn] = true
	}
	// Stopping at older jobs relies on the newest-first order; a listing
	// seen out of that order is followed to its end.
	newestFirst := true
	var previous *time.Time
	err := g.lister.list(ctx, p.conn, g.solutionVersionARN, func(page []JobSummary) bool {
		now := time.Now()
		p.mu.Lock()
		for i := range page {
			s := page[i]
			for _, w := range p.watches[s.ARN] {
				w.deliverLocked(jobObservation{Summary: &s}, now)
			}
			delete(remaining, s.ARN)
			if c := s.CreationDateTime; c != nil {
				if previous != nil && c.After(previous.Add(listOrderSlack)) {
					newestFirst = false
				}
				previous = c
			}
		}
		p.mu.Unlock()
		if len(remaining) == 0 || len(page) == 0 {
			return false
		}
		last := page[len(page)-1].CreationDateTime
		return !newestFirst || g.oldest.IsZero() || last == nil || !last.Before(g.oldest.Add(-listOrderSlack))
	}, p.pacer(g.lister.operation).option)
	if errors.Is(err, context.Canceled) {
		return
	}
	now := time.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	for arn := range remaining {
		for _, w := range p.watches[arn] {
			w.deliverLocked(jobObservation{Err: err}, now)
		}
	}
}

// pacer returns the operation's pacer, which every call of that operation
// the waiters make goes through.
func (p *jobPoller) pacer(operation string) *pacer {
	p.mu.Lock()
	defer p.mu.Unlock()
	pc := p.pacers[operation]
	if pc == nil {
		pc = newPacer()
		p.pacers[operation] = pc
	}
	return pc
}
