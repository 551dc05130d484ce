package emulator

import (
	"time"
)

// The statuses, spelled as the API reference spells them.
const (
	statusPending      = "PENDING"
	statusInProgress   = "IN PROGRESS"
	statusActive       = "ACTIVE"
	statusCreateFailed = "CREATE FAILED"
)

// job is one job of any kind. Its timeline is fixed when it is created
// (and survives restarts): PENDING until StartedAt, IN PROGRESS until DueAt,
// then ACTIVE or CREATE FAILED once its output has been produced.
type job struct {
	Seq       int64      `json:"seq"`
	Kind      jobKind    `json:"kind,omitempty"`
	Arn       string     `json:"arn"`
	Request   jobRequest `json:"request"`
	Recipe    string     `json:"recipe"`
	CreatedAt time.Time  `json:"createdAt"`
	StartedAt time.Time  `json:"startedAt"`
	DueAt     time.Time  `json:"dueAt"`
	VisibleAt time.Time  `json:"visibleAt"` // eventual consistency: reads miss it until then
	// Status and FailureReason are set once the job has settled.
	Status        string `json:"status,omitempty"`
	FailureReason string `json:"failureReason,omitempty"`

	claimed bool // its output is being produced right now
}

func (j *job) name() string { return *j.Request.JobName }

// statusAt reports the job's status and last update time as seen at now.
func (j *job) statusAt(now time.Time) (string, time.Time) {
	switch {
	case j.Status != "":
		return j.Status, j.DueAt
	case !now.Before(j.StartedAt):
		return j.Kind.spec().inProgress, j.StartedAt
	}
	return j.Kind.spec().pending, j.CreatedAt
}

// jobSeen is a job as one read saw it, under the lock: what settles later
// (status, failure reason) is copied; the rest never changes.
type jobSeen struct {
	job           *job
	status        string
	failureReason string
	updated       time.Time
}

func (j *job) seenAt(now time.Time) jobSeen {
	status, updated := j.statusAt(now)
	return jobSeen{job: j, status: status, failureReason: j.FailureReason, updated: updated}
}

func (j *job) running() bool { return j.Status == "" }

func (j *job) visibleAt(now time.Time) bool { return !now.Before(j.VisibleAt) }

// runningLocked counts the jobs of a kind that hold a place in its
// running-jobs quota.
func (e *Emulator) runningLocked(kind jobKind) int {
	n := 0
	for _, j := range e.order {
		if j.Kind == kind && j.running() {
			n++
		}
	}
	return n
}

// settle finishes every job whose time has come. Producing output can take a
// while, so it runs outside the lock; a job stays IN PROGRESS until its output
// exists, so a Describe never reports ACTIVE before the files are there.
func (e *Emulator) settle() {
	e.mu.Lock()
	now := e.now()
	if e.settleTrainingsLocked(now) {
		_ = e.persistLocked()
	}
	var due []*job
	for _, j := range e.order {
		if j.running() && !j.claimed && !now.Before(j.DueAt) {
			j.claimed = true
			due = append(due, j)
		}
	}
	e.mu.Unlock()
	if len(due) == 0 {
		return
	}
	type outcome struct{ status, reason string }
	outcomes := make([]outcome, len(due))
	for i, j := range due {
		outcomes[i].status, outcomes[i].reason = j.Kind.spec().run(e, j)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for i, j := range due {
		j.claimed = false
		if e.jobs[j.Arn] == j { // a Reset may have forgotten it meanwhile
			j.Status, j.FailureReason = outcomes[i].status, outcomes[i].reason
		}
	}
	_ = e.persistLocked()
}

// run completes jobs on time even when nobody is polling, so output files
// appear when they are due.
func (e *Emulator) run() {
	defer close(e.done)
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-e.stop:
			return
		case <-e.kick:
		case <-timer.C:
		}
		e.settle()
		timer.Reset(e.nextWake())
	}
}

// nextWake is the time until the next job falls due, within bounds that keep
// an injected test clock (which moves without timers) noticed promptly.
func (e *Emulator) nextWake() time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	wait := time.Second
	now := e.now()
	for _, j := range e.order {
		if j.running() {
			wait = min(wait, j.DueAt.Sub(now))
		}
	}
	return max(e.nextTrainingStepLocked(now, wait), 5*time.Millisecond)
}

func (e *Emulator) wake() {
	select {
	case e.kick <- struct{}{}:
	default:
	}
}
