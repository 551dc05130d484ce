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
	// slots is what the listings tell of each kind's running jobs, by List
	// operation, for the creates queued behind the quota (see awaitSlot).
	slots map[string]*slotState
}

func newJobPoller(conn *personalize.Client) *jobPoller {
	return &jobPoller{conn: conn, watches: map[string][]*jobWatch{}, kick: make(chan struct{}, 1), pacers: map[string]*pacer{}, shapes: map[string]*learnedShape{}, slots: map[string]*slotState{}}
}

// jobLister is how the poller lists one type of job.
type jobLister struct {
	// operation names the List operation, which has its own rate limit.
	operation string
	list      func(ctx context.Context, conn *personalize.Client, solutionVersionARN string, page func([]jobSummary) bool, optFns ...func(*personalize.Options)) error
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
	Summary *jobSummary
	Err     error
}

// pollGather is how long a round waits for more jobs due at about the same
// time, such as the first looks of creates Terraform runs in parallel; a
// round takes every job due within it.
const pollGather = 5 * time.Millisecond

// lookInterval is the time from one look at a watched job to the next: a
// job waited for less than pollMinInterval is looked at again after twice
// that time (up to the look at pollMinInterval), so that one that
// finishes within moments (or shows its end a moment late) is seen to within
// moments, while the looks of young jobs still share rounds; after that, or
// when quick is not set (the service
// has throttled the listing: it has no calls to spare), pollInterval's
// schedule.
func lookInterval(waited time.Duration, quick bool) time.Duration {
	if quick && waited < pollMinInterval-pollGather {
		// The last quick look leads to the look at pollMinInterval, where
		// the schedule would have begun without them.
		return min(max(2*waited, pollGather), pollMinInterval-waited)
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
	p.wakeLocked()
	return w
}

// wakeLocked has the poller look at what it follows now: it starts the
// poller when it is not running, and pokes it when it is.
func (p *jobPoller) wakeLocked() {
	if !p.running {
		p.running = true
		go p.run()
		return
	}
	p.poke()
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
	if len(p.watches) == 0 && !p.queuedLocked() && p.cancelRound != nil {
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
func (w *jobWatch) deliverLocked(obs jobObservation, now time.Time, quick bool) {
	select {
	case <-w.updates:
	default:
	}
	w.updates <- obs
	w.due = now.Add(lookInterval(now.Sub(w.start), quick))
}

func (p *jobPoller) run() {
	for {
		p.mu.Lock()
		if len(p.watches) == 0 && !p.queuedLocked() {
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
		for _, st := range p.slots {
			if at, ok := st.nextLookLocked(); ok && (next.IsZero() || at.Before(next)) {
				next = at
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
	p.slotRetries(now)
	groups := p.dueGroups(now, early)
	groups = append(groups, p.slotGroups(now, groups)...)
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
		// A queued create needs to see every job of the kind finish.
		queued := p.slots[k.operation] != nil && len(p.slots[k.operation].queued) > 0
		if k.sv != "" && versions[k.operation] <= max(pagesForAll, 1) && !queued {
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
	err := g.lister.list(ctx, p.conn, g.solutionVersionARN, func(page []jobSummary) bool {
		now := time.Now()
		p.mu.Lock()
		p.slotState(g.lister).sawLocked(page, g.solutionVersionARN == "", now)
		quick := p.quickLooksLocked(g.lister.operation)
		for i := range page {
			s := page[i]
			for _, w := range p.watches[s.ARN] {
				w.deliverLocked(jobObservation{Summary: &s}, now, quick)
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
	quick := p.quickLooksLocked(g.lister.operation)
	for arn := range remaining {
		for _, w := range p.watches[arn] {
			w.deliverLocked(jobObservation{Err: err}, now, quick)
		}
	}
}

// quickLooksLocked reports whether young jobs may be looked at more often
// than once a second: while the service has never throttled the listing.
func (p *jobPoller) quickLooksLocked(operation string) bool {
	pc := p.pacers[operation]
	if pc == nil {
		return true
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	return !pc.steady
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

// Creates queued behind the running-job quota wait in awaitSlot, which the
// poller wakes, oldest first, when a listing shows a job of their kind
// finish: a slot is free, whichever workspace's job held it. Listings are
// the poller's rounds, which also run for the queue alone: when the next
// running job is due to finish, judging by how long the jobs seen finishing
// ran, and at least every slotLookInterval. Should no listing show a finish
// (a job that ran between two looks, or while new jobs were not listed
// yet), the oldest create is woken anyway, a tenth of the time since the
// queue last moved (jittered): one create at a time, since creates have a
// rate limit of their own that the whole queue retrying would run into. A
// woken create that gets its slot wakes the next (leftQueue): there may be
// more slots free.
const (
	slotLookInterval = time.Second
	// slotLookMargin is how long after its predicted end a running job is
	// looked at.
	slotLookMargin = 50 * time.Millisecond
	// slotDurations is how many runs of recent jobs predict the next ones'.
	slotDurations = 5
)

// slotState is what the listings tell of one kind's running jobs.
type slotState struct {
	lister jobLister
	// running are the jobs last seen PENDING or IN PROGRESS, with their
	// creation times; looked is set for those whose predicted end a round
	// has looked at already.
	running map[string]runningJob
	// durations are the runs of the latest jobs seen finishing.
	durations []time.Duration
	// queued are the creates waiting for a slot, oldest first; retryAt is
	// when the oldest is woken if no finish is seen before; moved is when
	// the queue last moved: a finish seen or a create leaving it.
	queued  []queuedCreate
	retryAt time.Time
	moved   time.Time
	// listed is when the latest listing of every job of the kind began.
	listed time.Time
}

type runningJob struct {
	created time.Time
	looked  bool
}

// dueAt is when a look should see the job finished, for jobs that typically
// run for typical.
func (r runningJob) dueAt(typical time.Duration) time.Time {
	return r.created.Add(typical + slotLookMargin)
}

type queuedCreate struct {
	since time.Time
	woken chan struct{}
}

func (p *jobPoller) slotState(l jobLister) *slotState {
	st := p.slots[l.operation]
	if st == nil {
		st = &slotState{lister: l, running: map[string]runningJob{}}
		p.slots[l.operation] = st
	}
	return st
}

func (p *jobPoller) queuedLocked() bool {
	for _, st := range p.slots {
		if len(st.queued) > 0 {
			return true
		}
	}
	return false
}

// awaitSlot waits, for a create of l's kind queued since then, until the
// poller wakes it (true) or the context ends (false).
func (p *jobPoller) awaitSlot(ctx context.Context, l jobLister, since time.Time) bool {
	q := queuedCreate{since: since, woken: make(chan struct{})}
	p.mu.Lock()
	st := p.slotState(l)
	at, _ := slices.BinarySearchFunc(st.queued, since, func(c queuedCreate, t time.Time) int { return c.since.Compare(t) })
	st.queued = slices.Insert(st.queued, at, q)
	if at == 0 {
		st.retryLocked(time.Now())
	}
	p.wakeLocked()
	p.mu.Unlock()
	select {
	case <-ctx.Done():
		p.mu.Lock()
		defer p.mu.Unlock()
		st.queued = slices.DeleteFunc(st.queued, func(c queuedCreate) bool { return c.woken == q.woken })
		select {
		case <-q.woken:
		default:
			return false
		}
		// Woken as the context ended: the wake goes to the next create.
		st.wakeLocked(1, time.Now())
		return false
	case <-q.woken:
		return true
	}
}

// wakeLocked wakes the n oldest queued creates.
func (st *slotState) wakeLocked(n int, now time.Time) {
	for ; n > 0 && len(st.queued) > 0; n-- {
		close(st.queued[0].woken)
		st.queued = st.queued[1:]
	}
	st.retryLocked(now)
}

// retryLocked schedules the wake of the oldest queued create should no
// finish be seen: jittered, a tenth of the time since the queue last moved.
func (st *slotState) retryLocked(now time.Time) {
	if len(st.queued) > 0 {
		since := st.queued[0].since
		if st.moved.After(since) {
			since = st.moved
		}
		st.retryAt = now.Add(jitter(pollInterval(now.Sub(since))))
	}
}

// leftQueue tells the poller that a create of l's kind that queued got its
// slot, so that the next queued create tries at once.
func (p *jobPoller) leftQueue(l jobLister) {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := p.slotState(l)
	now := time.Now()
	st.moved = now
	st.wakeLocked(1, now)
}

// slotRetries wakes the oldest queued create of each kind whose retry is
// due.
func (p *jobPoller) slotRetries(now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, st := range p.slots {
		if len(st.queued) > 0 && !st.retryAt.After(now) {
			st.wakeLocked(1, now)
		}
	}
}

// sawLocked brings the kind's running jobs up to date with a page listed
// (of every job of the kind when all is set) and wakes a queued create for
// each job it shows finished since it was seen running.
func (st *slotState) sawLocked(page []jobSummary, all bool, now time.Time) {
	if all {
		st.listed = now
	}
	freed := 0
	for _, s := range page {
		if !isTerminalStatus(s.Status) {
			if _, ok := st.running[s.ARN]; !ok && s.CreationDateTime != nil {
				st.running[s.ARN] = runningJob{created: *s.CreationDateTime}
			}
			continue
		}
		if _, ok := st.running[s.ARN]; !ok {
			continue
		}
		delete(st.running, s.ARN)
		freed++
		if s.CreationDateTime != nil && s.LastUpdatedDateTime != nil {
			st.durations = append(st.durations, s.LastUpdatedDateTime.Sub(*s.CreationDateTime))
			if len(st.durations) > slotDurations {
				st.durations = st.durations[1:]
			}
		}
	}
	if freed > 0 {
		st.moved = now
		st.wakeLocked(freed, now)
	}
}

// typicalLocked is the median run of the latest jobs seen finishing.
func (st *slotState) typicalLocked() (time.Duration, bool) {
	if len(st.durations) == 0 {
		return 0, false
	}
	d := slices.Clone(st.durations)
	slices.Sort(d)
	return d[len(d)/2], true
}

// nextLookLocked is when creates queued for the kind want a round: the
// predicted end of the first running job not looked at since,
// slotLookInterval after the latest listing, or the oldest create's retry.
func (st *slotState) nextLookLocked() (time.Time, bool) {
	if len(st.queued) == 0 {
		return time.Time{}, false
	}
	next := st.listed.Add(slotLookInterval)
	if st.retryAt.Before(next) {
		next = st.retryAt
	}
	if typical, ok := st.typicalLocked(); ok {
		for _, r := range st.running {
			if at := r.dueAt(typical); !r.looked && at.Before(next) {
				next = at
			}
		}
	}
	return next, true
}

// predictedLocked reports whether a running job not looked at yet is due
// to have finished by now.
func (st *slotState) predictedLocked(now time.Time) bool {
	typical, ok := st.typicalLocked()
	if !ok {
		return false
	}
	for _, r := range st.running {
		if !r.looked && r.dueAt(typical).Before(now.Add(pollGather)) {
			return true
		}
	}
	return false
}

// slotGroups are the listings a round makes for queued creates: one of
// every job of each kind whose queue wants a look by now, unless the round
// lists every job of the kind already. The running jobs it comes for are
// marked looked at.
func (p *jobPoller) slotGroups(now time.Time, groups []*listGroup) []*listGroup {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []*listGroup
	for op, st := range p.slots {
		listDue := !st.listed.Add(slotLookInterval).After(now.Add(pollGather))
		if len(st.queued) == 0 || !listDue && !st.predictedLocked(now) {
			continue
		}
		if typical, ok := st.typicalLocked(); ok {
			for arn, r := range st.running {
				if r.dueAt(typical).Before(now.Add(pollGather)) {
					r.looked = true
					st.running[arn] = r
				}
			}
		}
		if !slices.ContainsFunc(groups, func(g *listGroup) bool { return g.lister.operation == op && g.solutionVersionARN == "" }) {
			// Wanting nothing, the listing reads the first page only: the
			// newest jobs, among which the running ones are.
			out = append(out, &listGroup{lister: st.lister, wanted: map[string]bool{}})
		}
	}
	return out
}
