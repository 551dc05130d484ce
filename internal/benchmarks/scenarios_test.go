package benchmarks

import (
	"slices"
	"testing"
	"time"
)

func TestLatencySample_splitsPollGapAndTail(t *testing.T) {
	t0 := time.Unix(5000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	calls := []Call{
		{Op: opCreate, Job: "j0", Start: at(0), End: at(5), Status: 400, Error: "LimitExceededException"},
		{Op: opCreate, Job: "j0", Start: at(100), End: at(105), Status: 200},
		{Op: opDescribe, Job: "other", Start: at(150), End: at(151), JobStatus: "ACTIVE"},
		{Op: opDescribe, Job: "j0", Start: at(1100), End: at(1102), JobStatus: "IN PROGRESS"},
		{Op: opDescribe, Job: "j0", Start: at(2600), End: at(2602), JobStatus: "ACTIVE"},
		{Op: opDescribe, Job: "j0", Start: at(2700), End: at(2702), JobStatus: "ACTIVE"},
	}
	// Created at 100 ms, 2 s long: ACTIVE at 2.1 s; the apply returned at 3 s.
	s, err := latencySample(calls, "j0", 2*time.Second, at(3000))
	if err != nil {
		t.Fatal(err)
	}
	if s.Noticed != 900*time.Millisecond || s.PollGap != 500*time.Millisecond || s.Tail != 398*time.Millisecond {
		t.Errorf("noticed %s, poll gap %s, tail %s; want 900ms, 500ms, 398ms", s.Noticed, s.PollGap, s.Tail)
	}
	if len(s.Polls) != 3 || s.Polls[0] != time.Second {
		t.Errorf("polls %v, want three, the first 1 s after the accepted create", s.Polls)
	}
	if _, err := latencySample(calls[:1], "j0", time.Second, at(3000)); err == nil {
		t.Error("a job whose create was never accepted must be an error, not a figure")
	}
	if _, err := latencySample(calls[:4], "j0", time.Second, at(3000)); err == nil {
		t.Error("an apply that returned before any Describe saw ACTIVE must be an error")
	}
}

func TestPlans_smokeIsSmallerThanFull(t *testing.T) {
	full, smoke := FullPlan(), SmokePlan()
	if last := full.ScaleN[len(full.ScaleN)-1]; last != 1000 {
		t.Errorf("the full plan must reach N = 1000 (the scale target), got %d", last)
	}
	if len(smoke.ScaleN) == 0 || smoke.ScaleN[len(smoke.ScaleN)-1] > 20 || smoke.Queue.Jobs > 6 || smoke.PeerN[0] > 5 {
		t.Errorf("the smoke plan must stay small: %+v", smoke)
	}
	if q := full.Queue; QueueBound(q.Jobs, q.Quota, q.Duration) != 20*time.Second {
		t.Errorf("full queue bound %s, want 20 jobs / quota 5 × 5 s = 20 s", QueueBound(q.Jobs, q.Quota, q.Duration))
	}
}

func TestSlowestAttempts_showsTheRetryScheduleOfTheLongestWait(t *testing.T) {
	t0 := time.Unix(7000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	refused := func(job string, ms int) Call {
		return Call{Op: opCreate, Job: job, Start: at(ms), Status: 400, Error: "LimitExceededException"}
	}
	accepted := func(job string, ms int) Call { return Call{Op: opCreate, Job: job, Start: at(ms), Status: 200} }
	calls := []Call{
		accepted("a", 100),
		refused("b", 200), refused("c", 250),
		{Op: opDescribe, Job: "b", Start: at(900)},
		refused("b", 1200), accepted("c", 1300), refused("b", 3200), accepted("b", 7200),
	}
	got := SlowestAttempts(calls, t0)
	want := []Attempt{{200 * time.Millisecond, true}, {1200 * time.Millisecond, true}, {3200 * time.Millisecond, true}, {7200 * time.Millisecond, false}}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want job b's four creates", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("attempt %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestPlanOnly_keepsTheNamedScenarios(t *testing.T) {
	p, err := FullPlan().Only([]string{"latency"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Latency) == 0 || p.ScaleN != nil || p.Queue != nil || p.PeerN != nil {
		t.Errorf("only latency: %+v", p)
	}
	full := FullPlan()
	full.PeerQueue = true
	if p, _ := full.Only([]string{"peer"}); p.Queue == nil || !p.PeerQueue {
		t.Error("the peer's queue run needs the provider's queue run to compare with")
	}
	if _, err := FullPlan().Only([]string{"latncy"}); err == nil {
		t.Error("a misspelt scenario must be an error")
	}
}

func TestRotate_eachSideGoesFirstInTurn(t *testing.T) {
	sides := []string{"terraform_data", "floor", "provider"}
	for rep, want := range [][]string{
		{"terraform_data", "floor", "provider"},
		{"floor", "provider", "terraform_data"},
		{"provider", "terraform_data", "floor"},
		{"terraform_data", "floor", "provider"},
	} {
		if got := rotate(sides, rep); !slices.Equal(got, want) {
			t.Errorf("rotate(rep %d) = %v, want %v", rep, got, want)
		}
	}
	if sides[0] != "terraform_data" {
		t.Error("rotate changed its argument")
	}
}

// A listing that shows the job counts as a poll, and one showing it ACTIVE
// ends the poll gap, as a Describe does.
func TestLatencySample_countsListingsThatShowTheJob(t *testing.T) {
	t0 := time.Unix(5000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	calls := []Call{
		{Op: opCreate, Job: "j0", Start: at(0), End: at(5), Status: 200},
		{Op: opDescribe, Job: "j0", Start: at(10), End: at(12), JobStatus: "PENDING"},
		{Op: opList, Start: at(1000), End: at(1010), Listed: map[string]string{"j0": "IN PROGRESS"}},
		{Op: opList, Start: at(1500), End: at(1510), Listed: map[string]string{"other": "ACTIVE"}},
		{Op: opList, Start: at(2200), End: at(2210), Listed: map[string]string{"j0": "ACTIVE", "other": "ACTIVE"}},
	}
	s, err := latencySample(calls, "j0", 2*time.Second, at(2500))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Polls) != 3 || s.PollGap != 200*time.Millisecond || s.Tail != 290*time.Millisecond {
		t.Errorf("polls %v, poll gap %s, tail %s; want 3 polls, 200ms, 290ms", s.Polls, s.PollGap, s.Tail)
	}
}

func TestScheduledPolls_followsThePollingSchedule(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want int
	}{
		{0, 1},
		{500 * time.Millisecond, 1},
		{3 * time.Second, 3},
		{10 * time.Second, 10},
		// 1 s steps to 10 s, then 10 % steps: 11, 12.1, 13.31, …
		{11 * time.Second, 11},
		{12 * time.Second, 12},
	} {
		if got := scheduledPolls(c.d); got != c.want {
			t.Errorf("scheduledPolls(%s) = %d, want %d", c.d, got, c.want)
		}
	}
	if n := scheduledPolls(time.Minute); n < 25 || n > 32 {
		t.Errorf("a 60 s job gets %d looks, want about 29", n)
	}
}

func TestWaitingRow_judgesTheTargets(t *testing.T) {
	w := WaitingRow{WaitingSpec: WaitingSpec{Jobs: 100, Duration: time.Minute, Rate: 10},
		Makespan: 90 * time.Second, Noticed: 66 * time.Second, ApplyWall: 95 * time.Second, FloorApply: 90 * time.Second,
		WaitingCalls: map[string]int{opList: 290}, Rounds: 2900}
	r := Results{Limits: DefaultTargets, Waiting: []WaitingRow{w}}
	vs := r.waitingVerdicts()
	if len(vs) != 4 || !vs[0].Pass || !vs[1].Pass || !vs[2].Pass || !vs[3].Pass {
		t.Fatalf("verdicts %+v: want four passes", vs)
	}
	w.Surfaced, w.Noticed, w.ApplyWall, w.WaitingCalls[opDescribe] = 1, 70*time.Second, 104*time.Second, 2900
	r.Waiting = []WaitingRow{w}
	vs = r.waitingVerdicts()
	if vs[0].Pass || vs[1].Pass || vs[2].Pass || vs[3].Pass {
		t.Fatalf("verdicts %+v: want four misses (1.1 calls per job round, a surfaced throttle, 1.17×, 1.16× the floor)", vs)
	}
	w.Noticed, w.FloorApply = 0, 0
	r.Waiting = []WaitingRow{w}
	if vs = r.waitingVerdicts(); vs[2].Pass || vs[3].Pass {
		t.Fatalf("verdicts %+v: a run that measured neither completion nor floor must not pass", vs)
	}
}
