package personalize

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
)

const (
	pollerSolutionVersion = "arn:aws:personalize:us-east-1:123456789012:solution/demo-user-personalization/1a2b3c4d"
	pollerOtherVersion    = "arn:aws:personalize:us-east-1:123456789012:solution/demo-user-personalization/0a9b8c7d"
)

// pollerEmulator is an emulator whose jobs take d, and a client for it that
// makes attempts attempts per call.
func pollerEmulator(t *testing.T, d time.Duration, attempts int) (*emulator.Emulator, *personalize.Client) {
	t.Helper()
	em, err := emulator.New(emulator.Config{JobDuration: d, MaxRunningJobs: 1000})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(em)
	t.Cleanup(func() {
		srv.Close()
		_ = em.Close()
	})
	return em, personalize.New(personalize.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(srv.URL),
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		RetryMaxAttempts: attempts,
	})
}

// pollerRequest is a create request that tells every argument, so that a
// wait can follow the job from List summaries alone.
func pollerRequest(name, solutionVersion string) *personalize.CreateBatchInferenceJobInput {
	return &personalize.CreateBatchInferenceJobInput{
		JobName:                 aws.String(name),
		SolutionVersionArn:      aws.String(solutionVersion),
		RoleArn:                 aws.String("arn:aws:iam::123456789012:role/PersonalizeBatch"),
		NumResults:              aws.Int32(10),
		BatchInferenceJobConfig: &awstypes.BatchInferenceJobConfig{ItemExplorationConfig: map[string]string{"explorationWeight": "0.3"}},
		JobInput:                &awstypes.BatchInferenceJobInput{S3DataSource: &awstypes.S3DataConfig{Path: aws.String("s3://bucket/in/" + name + ".json")}},
		JobOutput:               &awstypes.BatchInferenceJobOutput{S3DataDestination: &awstypes.S3DataConfig{Path: aws.String("s3://bucket/out/")}},
	}
}

// createJobs creates n jobs named prefix-0… and returns their ARNs and requests.
func createJobs(t *testing.T, conn *personalize.Client, prefix string, n int, solutionVersions ...string) ([]string, []*personalize.CreateBatchInferenceJobInput) {
	t.Helper()
	arns := make([]string, n)
	reqs := make([]*personalize.CreateBatchInferenceJobInput, n)
	for i := range n {
		reqs[i] = pollerRequest(fmt.Sprintf("%s-%d", prefix, i), solutionVersions[i%len(solutionVersions)])
		out, err := conn.CreateBatchInferenceJob(t.Context(), reqs[i])
		if err != nil {
			t.Fatalf("creating job %d: %v", i, err)
		}
		arns[i] = aws.ToString(out.BatchInferenceJobArn)
	}
	return arns, reqs
}

// waitAll waits for every job at once through one ProviderData, as the jobs
// of one apply do, and returns what each wait ended with.
func waitAll(ctx context.Context, pd *ProviderData, conn *personalize.Client, arns []string, reqs []*personalize.CreateBatchInferenceJobInput) ([]*awstypes.BatchInferenceJob, []error) {
	jobs := make([]*awstypes.BatchInferenceJob, len(arns))
	errs := make([]error, len(arns))
	var wg sync.WaitGroup
	for i := range arns {
		wg.Go(func() {
			var known *awstypes.BatchInferenceJob
			if reqs != nil {
				if job, complete := batchInferenceJobKind.fromRequest(reqs[i]); complete {
					known = job
				}
			}
			jobs[i], errs[i] = waitJob(ctx, batchInferenceJobKind, pd, conn, arns[i], known, jobFinished)
		})
	}
	wg.Wait()
	return jobs, errs
}

// requireAsDescribed fails unless each job a wait ended with is what
// Describe says of it; check, when not nil, looks at each description too.
func requireAsDescribed(t *testing.T, conn *personalize.Client, arns []string, jobs []*awstypes.BatchInferenceJob, check func(i int, described *awstypes.BatchInferenceJob)) {
	t.Helper()
	for i, job := range jobs {
		if job == nil {
			continue
		}
		described, err := findJob(t.Context(), batchInferenceJobKind, conn, arns[i])
		if err != nil {
			t.Fatal(err)
		}
		if check != nil {
			check(i, described)
		}
		if !reflect.DeepEqual(normalizedTimes(*job), normalizedTimes(*described)) {
			t.Errorf("job %s after the wait differs from Describe:\n%+v\n%+v", arns[i], job, described)
		}
	}
}

func requireAllActive(t *testing.T, arns []string, jobs []*awstypes.BatchInferenceJob, errs []error) {
	t.Helper()
	for i, arn := range arns {
		switch {
		case errs[i] != nil:
			t.Errorf("%s: wait failed: %v", arn, errs[i])
		case jobs[i] == nil:
			t.Errorf("%s: wait ended without the job", arn)
		case aws.ToString(jobs[i].Status) != statusActive || aws.ToString(jobs[i].BatchInferenceJobArn) != arn:
			t.Errorf("%s: wait ended with %s %s", arn, aws.ToString(jobs[i].BatchInferenceJobArn), aws.ToString(jobs[i].Status))
		}
	}
}

// Waits on 250 jobs (three pages) learn their statuses from List pages: no
// Describe at all, a handful of List calls per poll round, and every job's
// final state as Describe would report it.
func TestJobPoller_followsManyJobsFromListPages(t *testing.T) {
	em, conn := pollerEmulator(t, 3*time.Second, 3)
	arns, reqs := createJobs(t, conn, "paged", 250, pollerSolutionVersion)

	pd := &ProviderData{}
	jobs, errs := waitAll(t.Context(), pd, conn, arns, reqs)
	requireAllActive(t, arns, jobs, errs)

	st := em.Stats()
	if n := st.Calls["DescribeBatchInferenceJob"]; n != 0 {
		t.Errorf("%d Describe calls; jobs whose requests tell every argument need none", n)
	}
	// A 3 s job is polled about 3 times (1 s interval) at 3 pages a round,
	// after the quick looks of its first half second (at 2× its age).
	lists := st.Calls["ListBatchInferenceJobs"]
	if lists == 0 || lists > 40 {
		t.Errorf("%d List calls for 250 jobs of 3 s, want about 3 + 5 rounds of 3 pages", lists)
	}
	if perJobRound := float64(lists) / 250 / 3; perJobRound > 0.2 {
		t.Errorf("%.3f calls per job per poll round, want at most 0.2", perJobRound)
	}
	requireAsDescribed(t, conn, arns, jobs, func(i int, described *awstypes.BatchInferenceJob) {
		if diffs := batchInferenceJobKind.differences(reqs[i], described); len(diffs) > 0 {
			t.Fatalf("the emulator does not hold the request: %v", diffs)
		}
	})
}

// A job waited for without its arguments is described once, then followed
// by the listing.
func TestJobPoller_describesOnceWhenOnlyTheServiceKnowsTheArguments(t *testing.T) {
	em, conn := pollerEmulator(t, 2*time.Second, 3)
	arns, _ := createJobs(t, conn, "resumed", 20, pollerSolutionVersion)
	jobs, errs := waitAll(t.Context(), &ProviderData{}, conn, arns, nil)
	requireAllActive(t, arns, jobs, errs)
	if n := em.Stats().Calls["DescribeBatchInferenceJob"]; n != len(arns) {
		t.Errorf("%d Describe calls for %d jobs, want one each", n, len(arns))
	}
}

// The service is eventually consistent: a job not listed yet is described
// instead, and the wait goes on until it shows.
func TestJobPoller_describesAJobTheListingDoesNotShowYet(t *testing.T) {
	em, conn := pollerEmulator(t, 3*time.Second, 3)
	em.SetFaults(emulator.Faults{ConsistencyDelayMS: 1500})
	arns, reqs := createJobs(t, conn, "lagging", 5, pollerSolutionVersion)
	jobs, errs := waitAll(t.Context(), &ProviderData{}, conn, arns, reqs)
	requireAllActive(t, arns, jobs, errs)
	if n := em.Stats().Calls["DescribeBatchInferenceJob"]; n < len(arns) {
		t.Errorf("%d Describe calls: the jobs the first listing missed were not described", n)
	}
}

// When listing fails (here every List call but the first is throttled and
// the client does not retry), each wait falls back to Describe and still
// sees its job finish.
func TestJobPoller_fallsBackToDescribeWhenListingFails(t *testing.T) {
	em, conn := pollerEmulator(t, 2*time.Second, 1)
	arns, reqs := createJobs(t, conn, "unlisted", 3, pollerSolutionVersion)
	em.SetFaults(emulator.Faults{RateLimits: map[string]float64{"ListBatchInferenceJobs": 0.001}})
	jobs, errs := waitAll(t.Context(), &ProviderData{}, conn, arns, reqs)
	requireAllActive(t, arns, jobs, errs)
	st := em.Stats()
	if st.Throttled["ListBatchInferenceJobs"] == 0 || st.Calls["DescribeBatchInferenceJob"] < len(arns) {
		t.Errorf("stats %+v: want throttled listings and Describe calls instead", st)
	}
}

// Jobs of one solution version are listed with the service's filter, so
// other versions' jobs cost no pages; jobs of many versions, few enough for
// one page, share one unfiltered listing.
func TestJobPoller_groupsListingsBySolutionVersion(t *testing.T) {
	p := newJobPoller(nil)
	now := time.Now()
	l := listerOf(batchInferenceJobKind)
	add := func(n int, sv string) {
		for i := range n {
			w := &jobWatch{lister: l, arn: fmt.Sprintf("%s/%d", sv, i), solutionVersionARN: sv, createdAt: now, due: now, updates: make(chan jobObservation, 1)}
			p.watches[w.arn] = append(p.watches[w.arn], w)
		}
	}
	add(150, pollerSolutionVersion)
	groups := p.dueGroups(now, false)
	if len(groups) != 1 || groups[0].solutionVersionARN != pollerSolutionVersion || len(groups[0].wanted) != 150 {
		t.Fatalf("one version: %d groups, first %+v", len(groups), groups[0].solutionVersionARN)
	}
	add(150, pollerOtherVersion) // 300 jobs: 3 pages; 2 versions, 2 listings of 2 pages each
	if groups := p.dueGroups(now, false); len(groups) != 2 || groups[0].solutionVersionARN == "" || groups[1].solutionVersionARN == "" {
		t.Fatalf("two versions of many jobs: %d groups", len(groups))
	}

	q := newJobPoller(nil)
	p = q
	add(3, "sv-a")
	add(3, "sv-b")
	add(3, "sv-c")
	if groups := q.dueGroups(now, false); len(groups) != 1 || groups[0].solutionVersionARN != "" || len(groups[0].wanted) != 9 {
		t.Fatalf("three versions of nine jobs: want one unfiltered listing, got %d groups", len(groups))
	}
	later := newJobPoller(nil)
	p = later
	add(2, pollerSolutionVersion)
	for _, ws := range later.watches {
		ws[0].due = now.Add(time.Minute)
	}
	if groups := later.dueGroups(now, false); len(groups) != 0 {
		t.Fatalf("jobs not due yet were listed: %d groups", len(groups))
	}
	if groups := later.dueGroups(now, true); len(groups) != 1 || len(groups[0].wanted) != 2 {
		t.Fatalf("an early round must list every watched job: %d groups", len(groups))
	}
}

// A cancelled wait returns at once, and the poller stops once no wait is
// left.
func TestJobPoller_cancelledWaitStopsThePoller(t *testing.T) {
	_, conn := pollerEmulator(t, time.Hour, 3)
	arns, reqs := createJobs(t, conn, "cancelled", 3, pollerSolutionVersion)
	pd := &ProviderData{}
	ctx, cancel := context.WithCancel(t.Context())
	result := make(chan []error, 1)
	go func() {
		_, errs := waitAll(ctx, pd, conn, arns, reqs)
		result <- errs
	}()
	time.Sleep(1500 * time.Millisecond) // past the first poll round
	cancel()
	select {
	case errs := <-result:
		for i, err := range errs {
			if !errors.Is(err, context.Canceled) {
				t.Errorf("%s: wait ended with %v, want context.Canceled", arns[i], err)
			}
		}
	case <-time.After(5 * time.Second):
		t.Fatal("cancelled waits did not return")
	}
	poller := pd.jobPoller(conn)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		poller.mu.Lock()
		running, watched := poller.running, len(poller.watches)
		poller.mu.Unlock()
		if !running && watched == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("poller still running with %d watched jobs after every wait ended", watched)
		}
	}
}

// Early rounds run only when a page serves many jobs, no more often than
// their schedules allow three times over, and within half the listing rate.
func TestJobPoller_earlyRoundsOnlyWhenCheapPerJob(t *testing.T) {
	l := listerOf(batchInferenceJobKind)
	withJobs := func(n int, started time.Time) *jobPoller {
		p := newJobPoller(nil)
		for i := range n {
			w := &jobWatch{lister: l, arn: fmt.Sprint(i), start: started, updates: make(chan jobObservation, 1)}
			p.watches[w.arn] = append(p.watches[w.arn], w)
		}
		return p
	}
	if _, ok := withJobs(20, time.Now()).earlyIntervalLocked(); ok {
		t.Error("20 jobs on one page: an early round costs 0.05 calls per job, yet it was allowed")
	}
	p := withJobs(1000, time.Now().Add(-time.Minute))
	interval, ok := p.earlyIntervalLocked()
	// 10 pages at half of 10 calls/s: 2 s; the schedule (6 s) / 3: 2 s.
	if !ok || interval < 1900*time.Millisecond || interval > 2100*time.Millisecond {
		t.Errorf("1000 jobs waited on for a minute: early rounds every %s (allowed %v), want 2 s", interval, ok)
	}
	p = withJobs(1000, time.Now().Add(-time.Hour))
	if interval, _ := p.earlyIntervalLocked(); interval != 20*time.Second {
		t.Errorf("1000 jobs waited on for an hour: early rounds every %s, want the 60 s schedule / 3", interval)
	}
	p = withJobs(100, time.Now())
	p.pacers["ListBatchInferenceJobs"] = &pacer{rate: 0.5}
	if interval, _ := p.earlyIntervalLocked(); interval != 4*time.Second {
		t.Errorf("a listing slowed to 0.5 calls/s: early rounds every %s, want 4 s (1 page at 0.25/s)", interval)
	}
}

// normalizedTimes is job with its times as instants, for comparing.
func normalizedTimes(job awstypes.BatchInferenceJob) awstypes.BatchInferenceJob {
	for _, t := range []**time.Time{&job.CreationDateTime, &job.LastUpdatedDateTime} {
		if *t != nil {
			*t = aws.Time(time.UnixMilli((*t).UnixMilli()).UTC())
		}
	}
	return job
}

// A create queued behind the quota is woken when the poller sees a job of
// its kind finish, whichever process's job it was, not when its own retry
// schedule comes round.
func TestJobPoller_wakesAQueuedCreateWhenAJobOfItsKindFinishes(t *testing.T) {
	em, conn := pollerEmulator(t, 2*time.Second, 3)
	em.SetMaxRunningJobs(1)
	arns, _ := createJobs(t, conn, "holder", 1, pollerSolutionVersion)
	p := newJobPoller(conn)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	// Queued for an hour: a retry on its own schedule would come 30 s or
	// more from now, long after the 2 s job ends.
	if !p.awaitSlot(ctx, listerOf(batchInferenceJobKind), time.Now().Add(-time.Hour)) {
		t.Fatalf("the queued create was never woken: %v", ctx.Err())
	}
	job, err := findJob(t.Context(), batchInferenceJobKind, conn, arns[0])
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(job.Status) != statusActive {
		t.Fatalf("woken while the job holding the slot is %s", aws.ToString(job.Status))
	}
	if _, err := conn.CreateBatchInferenceJob(t.Context(), pollerRequest("queued", pollerSolutionVersion)); err != nil {
		t.Errorf("the woken create was refused: %v", err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if st := p.slots["ListBatchInferenceJobs"]; st == nil || len(st.queued) != 0 || len(st.durations) != 1 {
		t.Errorf("after the wake: %+v, want no create queued and the finished job's run learned", st)
	}
}

// With no finish to see, the oldest queued create alone is retried, on the
// schedule a lone create would retry on; the others go on waiting.
func TestJobPoller_retriesOnlyTheOldestQueuedCreate(t *testing.T) {
	_, conn := pollerEmulator(t, time.Hour, 3)
	p := newJobPoller(conn)
	l := listerOf(batchInferenceJobKind)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	younger := make(chan bool, 1)
	go func() { younger <- p.awaitSlot(ctx, l, time.Now()) }()
	for {
		p.mu.Lock()
		n := len(p.slotState(l).queued)
		p.mu.Unlock()
		if n == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if !p.awaitSlot(ctx, l, time.Now().Add(-time.Second)) {
		t.Fatalf("the oldest queued create was never retried: %v", ctx.Err())
	}
	select {
	case <-younger:
		t.Fatal("the younger create was woken with the oldest, though no job finished")
	default:
	}
	cancel()
	if <-younger {
		t.Error("a create whose context ended reported a wake")
	}
}

// A young job is looked at again after twice its age, and the last of those
// quick looks leads to the look at one second, from where the schedule goes
// on as it would have; a listing the service throttled gets no quick looks.
func TestLookInterval_quickLooksLeadToTheOneSecondSchedule(t *testing.T) {
	schedule := func(quick bool) []time.Duration {
		var looks []time.Duration
		for at := pollGather; at <= 3*time.Second; at += lookInterval(at, quick) {
			looks = append(looks, at.Round(time.Millisecond))
		}
		return looks
	}
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, n := range v {
			out[i] = time.Duration(n) * time.Millisecond
		}
		return out
	}
	if got, want := schedule(true), ms(5, 15, 45, 135, 405, 1000, 2000, 3000); !reflect.DeepEqual(got, want) {
		t.Errorf("quick looks at %v, want %v", got, want)
	}
	// Looks come a little after they are due; the quick ones still lead to
	// a look at about one second.
	var late []time.Duration
	for at := 12 * time.Millisecond; at <= 2*time.Second; at += lookInterval(at, true) + 3*time.Millisecond {
		late = append(late, at.Round(time.Millisecond))
	}
	if !slices.ContainsFunc(late, func(d time.Duration) bool { return d >= time.Second && d <= 1010*time.Millisecond }) {
		t.Errorf("looks that come 3 ms late at %v, want one at about one second", late)
	}
	if got, want := schedule(false), ms(5, 1005, 2005); !reflect.DeepEqual(got, want) {
		t.Errorf("looks without quick ones at %v, want %v", got, want)
	}
}
