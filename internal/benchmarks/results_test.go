package benchmarks

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestQueueBound_roundsWavesUp(t *testing.T) {
	for _, tc := range []struct {
		jobs, quota int
		d, want     time.Duration
	}{
		{20, 5, 5 * time.Second, 20 * time.Second},
		{21, 5, 5 * time.Second, 25 * time.Second},
		{6, 2, time.Second, 3 * time.Second},
		{1, 5, 2 * time.Second, 2 * time.Second},
		{5, 0, time.Second, 0},
	} {
		if got := QueueBound(tc.jobs, tc.quota, tc.d); got != tc.want {
			t.Errorf("QueueBound(%d, %d, %s) = %s, want %s", tc.jobs, tc.quota, tc.d, got, tc.want)
		}
	}
}

func TestMedian_oddEvenAndUnsortedInput(t *testing.T) {
	if got := Median([]time.Duration{3, 1, 2}); got != 2 {
		t.Errorf("odd: got %d", got)
	}
	if got := Median([]time.Duration{4, 1, 3, 2}); got != 2 {
		t.Errorf("even: got %d, want the mean of the middle two (2)", got)
	}
	in := []time.Duration{3, 1, 2}
	Median(in)
	if in[0] != 3 {
		t.Error("Median reordered its argument")
	}
	if Median(nil) != 0 {
		t.Error("empty: want 0")
	}
}

func TestScaleRow_ratioOfMediansAndCallsPerJob(t *testing.T) {
	row := ScaleRow{
		N:        10,
		Baseline: []time.Duration{time.Second, 2 * time.Second, 3 * time.Second},
		Subject:  []time.Duration{3 * time.Second, 4 * time.Second, 9 * time.Second},
		Calls:    map[string]int{"DescribeBatchInferenceJob": 30, "ListTagsForResource": 30},
	}
	if got := row.Ratio(); got != 2 {
		t.Errorf("Ratio = %v, want median 4 s over median 2 s = 2", got)
	}
	per := row.CallsPerJob()
	if per[""] != 2 || per["DescribeBatchInferenceJob"] != 1 || per["ListTagsForResource"] != 1 {
		t.Errorf("CallsPerJob = %v, want 1 Describe + 1 ListTags = 2 per job over 3 repetitions", per)
	}
	row.Floor = []time.Duration{time.Second, 5 * time.Second, 2 * time.Second}
	if got := row.FloorRatio(); got != 2 {
		t.Errorf("FloorRatio = %v, want median 4 s over the floor's median 2 s = 2", got)
	}
	if got := row.FloorOverBaseline(); got != 1 {
		t.Errorf("FloorOverBaseline = %v, want the floor's median 2 s over terraform_data's 2 s = 1", got)
	}
	row.FloorCPU, row.SubjectCPU = []time.Duration{2 * time.Second}, []time.Duration{3 * time.Second}
	if got := row.FloorCPURatio(); got != 1.5 {
		t.Errorf("FloorCPURatio = %v, want 3 s over 2 s = 1.5", got)
	}
	if !math.IsNaN(ScaleRow{Subject: row.Subject}.FloorRatio()) || !math.IsNaN(ScaleRow{Subject: row.Subject}.FloorCPURatio()) {
		t.Error("a row whose floor was not measured must not claim a ratio to it")
	}
	if !math.IsNaN(ScaleRow{}.Ratio()) {
		t.Error("a row with no baseline must not claim a ratio")
	}
}

func TestAllowed_isTenPercentWithAOneSecondFloor(t *testing.T) {
	tg := DefaultTargets
	for d, want := range map[time.Duration]time.Duration{
		2 * time.Second:  time.Second,
		10 * time.Second: time.Second,
		60 * time.Second: 6 * time.Second,
		time.Hour:        6 * time.Minute,
	} {
		if got := tg.Allowed(d); got != want {
			t.Errorf("Allowed(%s) = %s, want %s", d, got, want)
		}
	}
}

func TestSlotPickup_measuresIdleSlots(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	// Quota 2, jobs of 1 s: the first two start at 0 and finish at 1; the
	// third starts at 1.5 (0.5 s late), the fourth at 1.0 (on time).
	created := []time.Time{at(0), at(0), at(1.5), at(1.0)}
	active := []time.Time{at(1), at(1), at(2.5), at(2.0)}
	p := SlotPickup(created, active, 2)
	if p.Count != 2 || p.Max != 500*time.Millisecond || p.Mean != 250*time.Millisecond {
		t.Errorf("SlotPickup = %+v, want 2 pickups, max 500ms, mean 250ms", p)
	}
	if p := SlotPickup(created[:2], active[:2], 2); p.Count != 0 {
		t.Errorf("no create waited for a slot, got %+v", p)
	}
}

func TestVerdicts_judgeEachTargetAtTheLargestSize(t *testing.T) {
	r := Results{
		Limits: DefaultTargets,
		Scale: []ScaleRow{
			{N: 10, Op: OpApply, Baseline: []time.Duration{time.Second}, Subject: []time.Duration{5 * time.Second}},
			{N: 10, Op: OpRefresh, Baseline: []time.Duration{time.Second}, Subject: []time.Duration{time.Second},
				Calls: map[string]int{"DescribeBatchInferenceJob": 10, "ListTagsForResource": 10, "ListBatchInferenceJobs": 5}},
			{N: 1000, Op: OpApply, Baseline: []time.Duration{10 * time.Second}, Floor: []time.Duration{11 * time.Second}, Subject: []time.Duration{14 * time.Second}},
			{N: 1000, Op: OpRefresh, Baseline: []time.Duration{10 * time.Second}, Floor: []time.Duration{12 * time.Second}, Subject: []time.Duration{16 * time.Second},
				Calls: map[string]int{"DescribeBatchInferenceJob": 1000, "ListTagsForResource": 1000}},
		},
		Latency: []LatencyRow{
			{Duration: 2 * time.Second, Samples: []LatencySample{{Noticed: 300 * time.Millisecond}, {Noticed: 1200 * time.Millisecond}}},
			{Duration: 60 * time.Second, Samples: []LatencySample{{Noticed: 5 * time.Second}}},
		},
		Queue: []QueueRow{
			{Who: whoProvider, Jobs: 20, Quota: 5, Duration: 5 * time.Second, Makespan: 22 * time.Second},
			{Who: whoPeer, Jobs: 20, Quota: 5, Duration: 5 * time.Second, Makespan: 90 * time.Second},
		},
		Peer: []PeerRow{
			{Scenario: scenarioScale, N: 10, Provider: []time.Duration{time.Second}, Peer: []time.Duration{2 * time.Second}},
			{Scenario: scenarioScale, N: 100, Provider: []time.Duration{2 * time.Second}, Peer: []time.Duration{20 * time.Second}},
		},
	}
	want := []struct {
		prefix string
		pass   bool
	}{
		{"scale: apply of 1000 jobs ≤ 1.3× the minimal", true},       // 14/11 = 1.27×
		{"scale: refresh of 1000 jobs ≤ 1.3× the minimal", false},    // 16/12 = 1.33×
		{"scale: apply of 1000 jobs ≤ 1.5× terraform_data", true},    // 1.4×
		{"scale: refresh of 1000 jobs ≤ 1.5× terraform_data", false}, // 1.6×
		{"refresh: ≤ 2 API calls per job", false},
		{"completion of a 2.00 s job", false}, // worst sample 1.2 s > 1 s
		{"completion of a 60.0 s job", true},
		{"queue: 20 jobs", true}, // 22/20 = 1.1×; the peer's row is not judged
		{"peer: ≥ 5× faster than terraform_data + aws CLI at N = 100", true},
	}
	got := r.Verdicts()
	if len(got) != len(want) {
		t.Fatalf("got %d verdicts, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if !strings.HasPrefix(got[i].Target, w.prefix) || got[i].Pass != w.pass {
			t.Errorf("verdict %d = %q pass=%v (%s), want prefix %q pass=%v", i, got[i].Target, got[i].Pass, got[i].Measured, w.prefix, w.pass)
		}
	}
	if m := got[4].Measured; !strings.Contains(m, "2.50") || !strings.Contains(m, "N = 10") {
		t.Errorf("refresh calls: measured %q, want the worst row (2.50 at N = 10)", m)
	}
}

func TestVerdicts_judgeEveryScaleVariantFrom200Jobs(t *testing.T) {
	row := func(n, par int, config string, op string, subject time.Duration) ScaleRow {
		return ScaleRow{N: n, Op: op, Parallelism: par, Config: config,
			Baseline: []time.Duration{time.Second}, Floor: []time.Duration{10 * time.Second}, Subject: []time.Duration{subject}}
	}
	r := Results{Limits: DefaultTargets, Scale: []ScaleRow{
		row(10, 10, configDocumented, OpApply, 40*time.Second), // below 200: not judged
		row(200, 10, configDocumented, OpApply, 14*time.Second),
		row(200, 10, configStated, OpApply, 11*time.Second),
		row(200, 200, configDocumented, OpApply, 12*time.Second),
		row(1000, 10, configDocumented, OpApply, 12*time.Second),
		row(1000, 1000, configStated, OpApply, 13*time.Second),
	}}
	var scale []Verdict
	for _, v := range r.Verdicts() {
		if strings.Contains(v.Target, "minimal framework provider") {
			scale = append(scale, v)
		}
	}
	if len(scale) != 2 {
		t.Fatalf("got %d scale verdicts, want one per judged N (200, 1000): %+v", len(scale), scale)
	}
	if v := scale[0]; v.Pass || !strings.HasPrefix(v.Measured, "1.40×") || !strings.Contains(v.Measured, "stated, -parallelism=10: 1.10×") {
		t.Errorf("N = 200: %+v, want a miss on the worst variant (documented at -parallelism=10, 1.40×) naming every variant", v)
	}
	if v := scale[1]; !v.Pass || !strings.HasPrefix(v.Measured, "1.30×") {
		t.Errorf("N = 1000: %+v, want a pass at 1.30×", v)
	}
}

func TestWorkspacesVerdict_needsMakespanNothingSurfacedAndEachJobOnce(t *testing.T) {
	spec := WorkspacesSpec{Workspaces: 3, Jobs: 20, Quota: 5, Duration: 3 * time.Second}
	good := WorkspacesRow{WorkspacesSpec: spec, Makespan: 42 * time.Second, Created: 60, Accepted: 60}
	if spec.Bound() != 36*time.Second {
		t.Fatalf("bound %s, want ceil(60/5) × 3 s = 36 s", spec.Bound())
	}
	for _, c := range []struct {
		name string
		edit func(*WorkspacesRow)
		pass bool
	}{
		{"within 1.2×", func(*WorkspacesRow) {}, true},
		{"too slow", func(w *WorkspacesRow) { w.Makespan = 44 * time.Second }, false},
		{"surfaced", func(w *WorkspacesRow) { w.Surfaced = 1 }, false},
		{"a job twice", func(w *WorkspacesRow) { w.Created, w.Accepted = 61, 61 }, false},
	} {
		w := good
		c.edit(&w)
		vs := Results{Workspaces: []WorkspacesRow{w}}.workspacesVerdicts()
		if len(vs) != 1 || vs[0].Pass != c.pass {
			t.Errorf("%s: %+v, want pass=%v", c.name, vs, c.pass)
		}
	}
}

func TestSurfaced_countsWhatAUserWouldRead(t *testing.T) {
	out := "Apply complete!\nWarning: something\n│ Error: creating: ThrottlingException: Rate exceeded\n"
	if n := surfaced(out); n != 3 {
		t.Errorf("surfaced = %d, want 3 (the error, its code and its message)", n)
	}
	if n := surfaced("Apply complete! Resources: 20 added, 0 changed, 0 destroyed.\n"); n != 0 {
		t.Errorf("a clean apply surfaced %d", n)
	}
}
