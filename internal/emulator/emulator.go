// Package emulator is a local stand-in for the Amazon Personalize API of batch
// inference and batch segment jobs, the solution versions they run on (and
// their training), and the dataset import jobs that feed them: an awsJson
// 1.1 server with the service's validation, lifecycles, quotas, pagination
// and tags, optionally backed by a directory that plays S3 and a state file
// that survives restarts.
package emulator

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

// Config configures an Emulator. Zero values take the documented defaults.
type Config struct {
	Region         string        // default "us-east-1"
	AccountID      string        // default "123456789012"
	JobDuration    time.Duration // create → ACTIVE; default 2s
	MaxRunningJobs int           // batch inference jobs PENDING or IN PROGRESS at once; default 5
	// MaxRunningSegmentJobs is the separate quota of batch segment jobs
	// PENDING or IN PROGRESS at once; default 5.
	MaxRunningSegmentJobs int
	// ImportDuration is the time from CreateDatasetImportJob to ACTIVE;
	// default 2s. MaxRunningImportJobs is the quota of dataset import jobs
	// CREATE PENDING or CREATE IN_PROGRESS at once; default 5.
	ImportDuration       time.Duration
	MaxRunningImportJobs int
	// TrainingDuration is the time from CreateSolutionVersion to ACTIVE;
	// default 2s. MaxRunningTrainings is the quota of solution versions
	// CREATE PENDING or CREATE IN_PROGRESS at once; default 20.
	TrainingDuration    time.Duration
	MaxRunningTrainings int
	S3Dir               string // optional local S3 root: s3://bucket/key is S3Dir/bucket/key
	StateFile           string // optional persistence of jobs and tags
	// AccessKey and SecretKey, when set, make the emulator verify SigV4
	// signatures; otherwise it only requires that requests are signed.
	AccessKey, SecretKey string
	Now                  func() time.Time // optional clock for tests; default time.Now
}

// Faults are failures the emulator injects into Personalize calls, so that
// clients' retries and waiters can be exercised. Rates are probabilities.
type Faults struct {
	ThrottleRate float64 `json:"throttle_rate"`
	ErrorRate    float64 `json:"error_rate"`
	LatencyMS    int     `json:"latency_ms"`
	// LatencyJitterMS adds a uniformly drawn 0…LatencyJitterMS to each
	// call's latency.
	LatencyJitterMS int `json:"latency_jitter_ms"`
	// RateLimits caps calls per second per operation with a token bucket
	// (burst: one second's worth, at least one call), answering
	// ThrottlingException beyond it as the service does. The key "*" sets
	// the limit of every operation without a key of its own.
	RateLimits             map[string]float64 `json:"rate_limits,omitempty"`
	ConsistencyDelayMS     int                `json:"consistency_delay_ms"`
	DropCreateResponseRate float64            `json:"drop_create_response_rate"`
	Seed                   int64              `json:"seed"`
}

// Stats counts the API requests received, per operation, and the jobs held.
type Stats struct {
	Calls map[string]int `json:"calls"`
	// Throttled counts, per operation, the calls answered with
	// ThrottlingException: by a rate limit or by the throttle_rate fault.
	Throttled         map[string]int `json:"throttled"`
	Jobs              int            `json:"jobs"`                // batch inference jobs
	SegmentJobs       int            `json:"segment_jobs"`        // batch segment jobs
	DatasetImportJobs int            `json:"dataset_import_jobs"` // dataset import jobs
	// TrainedSolutionVersions counts the versions CreateSolutionVersion made.
	TrainedSolutionVersions int `json:"trained_solution_versions"`
	// Faults counts the faults injected since the last reset, by kind (see
	// the Fault… constants), so that a test can tell how hard it was hit.
	Faults map[string]int `json:"faults"`
}

// Kinds of injected fault, the keys of Stats.Faults.
const (
	FaultThrottled          = "throttled"               // ThrottlingException instead of the call (throttle_rate)
	FaultRateLimited        = "rate_limited"            // ThrottlingException beyond a rate limit (rate_limits)
	FaultInternalFailure    = "internal_failure"        // HTTP 500 instead of the call
	FaultServiceUnavailable = "service_unavailable"     // HTTP 503 instead of the call
	FaultDroppedCreate      = "dropped_create_response" // a create that made its job answered 500
	FaultNotYetVisible      = "not_yet_visible"         // a read that missed a job still inside consistency_delay_ms
)

// Emulator serves the Personalize batch job API and its control API.
type Emulator struct {
	cfg       Config
	partition string

	mu                  sync.Mutex
	jobs                map[string]*job // by ARN
	order               []*job          // creation order, oldest first
	nextSeq             int64
	tags                map[string]map[string]string    // resource ARN → key → value
	solutionVersions    map[string]*solutionVersionInfo // by ARN
	addedVersions       map[string]bool                 // those added at run time, persisted
	nextVersionSeq      int64
	filters             map[string]bool
	addedFilters        map[string]bool
	catalog             *catalog // dataset groups, datasets and schemas
	jobDuration         time.Duration
	maxRunning          int
	maxRunningSeg       int
	importDuration      time.Duration
	maxRunningImports   int
	trainingDuration    time.Duration
	maxRunningTrainings int
	faults              Faults
	rng                 *rand.Rand
	calls               map[string]int
	throttled           map[string]int
	buckets             map[string]*tokenBucket // by operation, for Faults.RateLimits
	injected            map[string]int
	tokenKey            []byte

	kick      chan struct{}
	stop      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
	closeErr  error
}

// New builds an emulator with its fixtures, loads the state file if one is
// configured, and starts the background work that completes jobs on time.
func New(cfg Config) (*Emulator, error) {
	orDefault(&cfg.Region, "us-east-1")
	orDefault(&cfg.AccountID, "123456789012")
	orDefault(&cfg.JobDuration, 2*time.Second)
	orDefault(&cfg.MaxRunningJobs, 5)
	orDefault(&cfg.MaxRunningSegmentJobs, 5)
	orDefault(&cfg.ImportDuration, 2*time.Second)
	orDefault(&cfg.MaxRunningImportJobs, 5)
	orDefault(&cfg.TrainingDuration, 2*time.Second)
	orDefault(&cfg.MaxRunningTrainings, 20)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	for _, c := range []struct {
		name     string
		negative bool
		value    any
	}{
		{"job duration", cfg.JobDuration < 0, cfg.JobDuration},
		{"max running jobs", cfg.MaxRunningJobs < 0, cfg.MaxRunningJobs},
		{"max running segment jobs", cfg.MaxRunningSegmentJobs < 0, cfg.MaxRunningSegmentJobs},
		{"import duration", cfg.ImportDuration < 0, cfg.ImportDuration},
		{"max running import jobs", cfg.MaxRunningImportJobs < 0, cfg.MaxRunningImportJobs},
		{"training duration", cfg.TrainingDuration < 0, cfg.TrainingDuration},
		{"max running trainings", cfg.MaxRunningTrainings < 0, cfg.MaxRunningTrainings},
	} {
		if c.negative {
			return nil, fmt.Errorf("%s %v: must not be negative", c.name, c.value)
		}
	}
	switch {
	case !accountPattern.MatchString(cfg.AccountID):
		return nil, fmt.Errorf("account id %q: must be 12 digits", cfg.AccountID)
	case !regionPattern.MatchString(cfg.Region):
		return nil, fmt.Errorf("region %q: must look like us-east-1", cfg.Region)
	case (cfg.AccessKey == "") != (cfg.SecretKey == ""):
		return nil, errors.New("access key and secret key: set both to verify signatures, or neither")
	}
	if err := prepareS3Dir(cfg.S3Dir); err != nil {
		return nil, err
	}
	e := &Emulator{
		cfg:                 cfg,
		partition:           partitionFor(cfg.Region),
		jobDuration:         cfg.JobDuration,
		maxRunning:          cfg.MaxRunningJobs,
		maxRunningSeg:       cfg.MaxRunningSegmentJobs,
		importDuration:      cfg.ImportDuration,
		maxRunningImports:   cfg.MaxRunningImportJobs,
		trainingDuration:    cfg.TrainingDuration,
		maxRunningTrainings: cfg.MaxRunningTrainings,
		kick:                make(chan struct{}, 1),
		stop:                make(chan struct{}),
		done:                make(chan struct{}),
	}
	e.clearLocked()
	e.catalog = e.fixtureCatalog()
	e.solutionVersions = e.fixtureSolutionVersions()
	e.nextVersionSeq = int64(len(e.solutionVersions))
	e.addedVersions = map[string]bool{}
	e.filters = map[string]bool{}
	for _, f := range e.fixtureFilters() {
		e.filters[f] = true
	}
	e.addedFilters = map[string]bool{}
	e.tokenKey = randomKey()
	if err := e.loadState(); err != nil {
		return nil, err
	}
	go e.run()
	return e, nil
}

func (e *Emulator) now() time.Time { return e.cfg.Now() }

// orDefault fills in a Config field left at its zero value.
func orDefault[T comparable](field *T, def T) {
	var zero T
	if *field == zero {
		*field = def
	}
}

// clearLocked forgets jobs, tags, faults and counters.
func (e *Emulator) clearLocked() {
	e.jobs = map[string]*job{}
	e.order = nil
	e.tags = map[string]map[string]string{}
	e.calls = map[string]int{}
	e.throttled = map[string]int{}
	e.injected = map[string]int{}
	e.setFaultsLocked(Faults{})
}

// SetFaults replaces the injected faults; rates are clamped to [0, 1].
func (e *Emulator) SetFaults(f Faults) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.setFaultsLocked(f)
}

// SetJobDuration sets the create → ACTIVE time of batch jobs created from
// now on; jobs already submitted keep their timeline.
func (e *Emulator) SetJobDuration(d time.Duration) { setSetting(e, &e.jobDuration, d) }

// SetImportDuration sets the create → ACTIVE time of dataset import jobs
// created from now on.
func (e *Emulator) SetImportDuration(d time.Duration) { setSetting(e, &e.importDuration, d) }

// SetTrainingDuration sets the create → ACTIVE time of solution versions
// created from now on.
func (e *Emulator) SetTrainingDuration(d time.Duration) { setSetting(e, &e.trainingDuration, d) }

// SetMaxRunningJobs sets how many batch inference jobs may be PENDING or
// IN PROGRESS at once.
func (e *Emulator) SetMaxRunningJobs(n int) { setSetting(e, &e.maxRunning, n) }

// SetMaxRunningSegmentJobs sets how many batch segment jobs may be PENDING or
// IN PROGRESS at once (a quota of its own, apart from batch inference jobs).
func (e *Emulator) SetMaxRunningSegmentJobs(n int) { setSetting(e, &e.maxRunningSeg, n) }

// SetMaxRunningImportJobs sets how many dataset import jobs may be CREATE
// PENDING or CREATE IN_PROGRESS at once.
func (e *Emulator) SetMaxRunningImportJobs(n int) { setSetting(e, &e.maxRunningImports, n) }

// SetMaxRunningTrainings sets how many solution versions may be CREATE
// PENDING or CREATE IN_PROGRESS at once.
func (e *Emulator) SetMaxRunningTrainings(n int) { setSetting(e, &e.maxRunningTrainings, n) }

// setSetting changes a duration or quota under the lock (a negative value
// counts as 0), then wakes the background work, whose next step may move.
func setSetting[T int | time.Duration](e *Emulator, field *T, v T) {
	e.mu.Lock()
	*field = max(v, 0)
	e.mu.Unlock()
	e.wake()
}

// Stats reports the calls received per operation and the number of jobs of
// each kind.
func (e *Emulator) Stats() Stats {
	e.mu.Lock()
	defer e.mu.Unlock()
	calls := make(map[string]int, len(e.calls))
	for k, v := range e.calls {
		calls[k] = v
	}
	throttled := make(map[string]int, len(e.throttled))
	for k, v := range e.throttled {
		throttled[k] = v
	}
	st := Stats{Calls: calls, Throttled: throttled, Faults: make(map[string]int, len(e.injected))}
	for k, v := range e.injected {
		st.Faults[k] = v
	}
	for _, j := range e.order {
		switch j.Kind {
		case kindSegment:
			st.SegmentJobs++
		case kindImport:
			st.DatasetImportJobs++
		default:
			st.Jobs++
		}
	}
	for _, sv := range e.solutionVersions {
		if sv.DueAt != nil {
			st.TrainedSolutionVersions++
		}
	}
	return st
}

// Reset forgets jobs, solution versions CreateSolutionVersion made, tags,
// faults and counters; fixtures (including solution versions and filters
// added through the control API) and settings stay.
func (e *Emulator) Reset() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.clearLocked()
	for arn, sv := range e.solutionVersions {
		if sv.DueAt != nil {
			delete(e.solutionVersions, arn)
			delete(e.addedVersions, arn)
		}
	}
	_ = e.persistLocked()
}

// AddSolutionVersion makes an ACTIVE solution version known, trained with
// recipe (a recipe ARN or its name, such as aws-user-personalization).
func (e *Emulator) AddSolutionVersion(arn, recipe string) error {
	return e.PutSolutionVersion(SolutionVersionSpec{Arn: arn, Recipe: recipe})
}

// AddFilter makes a filter ARN known, so jobs may use it as filterArn.
func (e *Emulator) AddFilter(arn string) error {
	if !patterns[patArn].MatchString(arn) || len(arn) > 256 {
		return fmt.Errorf("filter ARN %q: must match %s and be at most 256 characters", arn, patArn)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.filters[arn] = true
	e.addedFilters[arn] = true
	return e.persistLocked()
}

// Close stops the background work and writes the state file one last time.
func (e *Emulator) Close() error {
	e.closeOnce.Do(func() {
		close(e.stop)
		<-e.done
		e.mu.Lock()
		defer e.mu.Unlock()
		e.closeErr = e.persistLocked()
	})
	return e.closeErr
}
