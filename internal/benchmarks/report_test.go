package benchmarks

import (
	"bytes"
	"image/png"
	"strings"
	"testing"
	"time"
)

func sampleResults() Results {
	return Results{
		Limits:   DefaultTargets,
		PeerPoll: time.Second,
		Machine:  Machine{Date: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC), CPUs: 2, Terraform: "Terraform v1.11.4", Go: "go1.26.8"},
		Scale: []ScaleRow{
			{N: 1000, Op: OpPlan, Baseline: []time.Duration{4 * time.Second}, Floor: []time.Duration{4 * time.Second}, Subject: []time.Duration{5 * time.Second}, PeakRSS: 60 << 20},
			{N: 1000, Op: OpApply, Baseline: []time.Duration{8 * time.Second}, Floor: []time.Duration{10 * time.Second}, Subject: []time.Duration{16 * time.Second},
				FloorCPU: []time.Duration{8 * time.Second}, SubjectCPU: []time.Duration{9 * time.Second},
				Calls: map[string]int{"CreateBatchInferenceJob": 1000, "DescribeBatchInferenceJob": 1000}, PeakRSS: 80 << 20, FloorPeakRSS: 50 << 20, Starts: 2},
			{N: 1000, Op: OpRefresh, Baseline: []time.Duration{4 * time.Second}, Subject: []time.Duration{5 * time.Second},
				Calls: map[string]int{"DescribeBatchInferenceJob": 1000, "ListTagsForResource": 1000}},
		},
		Latency: []LatencyRow{{Duration: 10 * time.Second, Samples: []LatencySample{
			{Wall: 11 * time.Second, Noticed: 700 * time.Millisecond, PollGap: 500 * time.Millisecond, Tail: 200 * time.Millisecond, Describes: 4,
				Polls: []time.Duration{time.Second, 3 * time.Second, 10500 * time.Millisecond}},
		}}},
		Queue: []QueueRow{{Who: whoProvider, Jobs: 20, Quota: 5, Duration: 5 * time.Second, Makespan: 30 * time.Second, LimitExceeded: 40,
			Slowest: []Attempt{{At: time.Second, Refused: true}, {At: 3 * time.Second}}}},
		Peer:     []PeerRow{{Scenario: scenarioScale, N: 100, Provider: []time.Duration{4 * time.Second}, Peer: []time.Duration{60 * time.Second}, PeerCLI: 200}},
		Notes:    "The apply at N = 1000 waits in X.",
		Provider: "built from this checkout at abc1234",
	}
}

func TestMarkdown_reportsFiguresAndVerdicts(t *testing.T) {
	md := sampleResults().Markdown()
	for _, want := range []string{
		"| scale: apply of 1000 jobs ≤ 1.3× the minimal framework provider | 1.60× | **MISS** |",
		"| scale: plan of 1000 jobs ≤ 1.3× the minimal framework provider | 1.25× | PASS |",
		"| scale: apply of 1000 jobs ≤ 1.5× terraform_data | 2.00× (the minimal framework provider: 1.25×) | **MISS** |",
		"| scale: plan of 1000 jobs ≤ 1.5× terraform_data | 1.25× (the minimal framework provider: 1.00×) | PASS |",
		"| 1000 | apply | documented | 10 | 1 | 8.00 s | 10.0 s | 16.0 s | 1.60× | 1.12× (9.00 s / 8.00 s) | 2.00× | 1.25× | 2.00 (Create 1.00, Describe 1.00) | 2 | 80 MiB / 50 MiB |",
		// A row without the floor (results of an older run) still renders.
		"| 1000 | refresh | documented | 10 | 1 | 4.00 s | n/a | 5.00 s | n/a | n/a | 1.25× | n/a | 2.00 (Describe 1.00, ListTags 1.00) | 0 | n/a / n/a |",
		"| 10.0 s | 1 | 11.0 s | 700 ms | 700 ms | 1.00 s | 500 ms | 200 ms | 4.0 |",
		"- 10.0 s job: 1.0, 3.0, 10.5",
		"| provider | 20 | 5 | 5.00 s | 20.0 s | 30.0 s | 1.50× |",
		"| scale | 100 | 4.00 s | 60.0 s | 15.0× | 200 |",
		"waited longest (provider), seconds after the apply started: 1.0 refused, 3.0 accepted",
		"## Findings\n\nThe apply at N = 1000 waits in X.",
		"| CPUs | 2 (n/a) |",
		"| provider | built from this checkout at abc1234 |",
		"2026-11-28 12:00 UTC",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(md, "Smoke run") {
		t.Error("a full run must not be labelled a smoke run")
	}
	r := sampleResults()
	r.Smoke = true
	if !strings.Contains(r.Markdown(), "Smoke run") {
		t.Error("a smoke run must say so")
	}
}

func TestScaleSummary_printsBothFloorsAndTheRatios(t *testing.T) {
	lines := sampleResults().ScaleSummary()
	want := "N=1000 apply   documented, -parallelism=10       terraform_data 8.00 s, minimal provider 10.0 s, provider 16.0 s: 1.60× the minimal provider (CPU 1.12×), 2.00× terraform_data"
	if len(lines) != 3 || lines[1] != want {
		t.Errorf("summary %q, want the apply line %q", lines, want)
	}
}

func TestChart_isAPNGOfBothPanels(t *testing.T) {
	b, err := sampleResults().Chart()
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if w, h := img.Bounds().Dx(), img.Bounds().Dy(); w <= h {
		t.Errorf("two panels side by side should be wider than tall, got %d×%d", w, h)
	}
	if _, err := (Results{}).Chart(); err == nil {
		t.Error("charting nothing must be an error")
	}
}
