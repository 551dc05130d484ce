// Package benchmarks measures the provider against two floors, Terraform's
// own (terraform_data) and that of any plugin provider (floorprovider, a
// framework provider of the same schema that does nothing), and against the
// aws CLI driven from local-exec, with the
// real terraform binary and an in-process Personalize emulator. Every figure
// is a ratio against a baseline run in the same invocation, so that the
// report stays meaningful on a loaded or slow machine.
package benchmarks

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/pluginserve"
)

// Plan says what to measure and how often.
type Plan struct {
	ScaleN    []int       // job counts for the scale comparison
	ScaleReps map[int]int // repetitions per job count (1 when absent)
	Latency   []LatencySpec
	Queue     *QueueSpec
	PeerN     []int         // job counts for the comparison with the aws CLI
	PeerQueue bool          // also run the queue scenario with the aws CLI
	PeerPoll  time.Duration // the aws CLI script's sleep between calls
	Waiting   []WaitingSpec
	// Workspaces are runs of several applies at once on one account.
	Workspaces []WorkspacesSpec
}

// LatencySpec is a job duration and how many single-job applies to run.
type LatencySpec struct {
	Duration time.Duration
	Reps     int
}

// QueueSpec is the queue scenario: Jobs jobs of Duration against a quota of
// Quota running jobs.
type QueueSpec struct {
	Jobs, Quota int
	Duration    time.Duration
}

// FullPlan is what make bench runs; it takes about 30 minutes on two cores.
func FullPlan() Plan {
	return Plan{
		ScaleN:    []int{10, 200, 1000},
		ScaleReps: map[int]int{10: 3, 200: 2, 1000: 2},
		Latency: []LatencySpec{
			{Duration: 2 * time.Second, Reps: 3},
			{Duration: 10 * time.Second, Reps: 2},
			{Duration: 60 * time.Second, Reps: 1},
		},
		Queue: &QueueSpec{Jobs: 20, Quota: 5, Duration: 5 * time.Second},
		// Each aws CLI call costs over a second of CPU, so the peer at N = 100
		// alone takes minutes; its queue run is left to -peer-queue.
		PeerN:    []int{10, 100},
		PeerPoll: time.Second,
		Waiting: []WaitingSpec{
			{Jobs: 300, Duration: 20 * time.Second, Latency: 100 * time.Millisecond, Rate: 10, Config: configDocumented},
			{Jobs: 1000, Duration: time.Minute, Latency: 100 * time.Millisecond, Rate: 10, Config: configDocumented},
			{Jobs: 1000, Duration: time.Minute, Latency: 100 * time.Millisecond, Rate: 10, Config: configStated},
		},
		Workspaces: []WorkspacesSpec{
			{Workspaces: 3, Jobs: 20, Quota: 5, Duration: 3 * time.Second, Latency: 20 * time.Millisecond, Rate: 5},
			{Workspaces: 5, Jobs: 20, Quota: 5, Duration: 3 * time.Second, Latency: 20 * time.Millisecond, Rate: 5},
			{Workspaces: 3, Jobs: 20, Quota: 5, Duration: 3 * time.Second, Latency: 20 * time.Millisecond, Rate: 5, LimitCreates: true},
		},
	}
}

// Only keeps the named scenarios (scale, latency, queue, peer, waiting, workspaces).
func (p Plan) Only(names []string) (Plan, error) {
	keep := map[string]bool{}
	for _, n := range names {
		switch n {
		case scenarioScale, "latency", scenarioQueue, "peer", scenarioWaiting, scenarioWorkspaces:
			keep[n] = true
		default:
			return p, fmt.Errorf("unknown scenario %q: choose from scale, latency, queue, peer, waiting, workspaces", n)
		}
	}
	if !keep[scenarioScale] {
		p.ScaleN = nil
	}
	if !keep["latency"] {
		p.Latency = nil
	}
	if !keep[scenarioQueue] && !p.PeerQueue {
		p.Queue = nil
	}
	if !keep["peer"] {
		p.PeerN, p.PeerQueue = nil, false
	}
	if !keep[scenarioWaiting] {
		p.Waiting = nil
	}
	if !keep[scenarioWorkspaces] {
		p.Workspaces = nil
	}
	return p, nil
}

// SmokePlan exercises every scenario at a size that runs in a minute or two.
func SmokePlan() Plan {
	return Plan{
		// 20 jobs: Terraform's default -parallelism and -parallelism=N differ.
		ScaleN:   []int{1, 20},
		Latency:  []LatencySpec{{Duration: 2 * time.Second, Reps: 1}},
		Queue:    &QueueSpec{Jobs: 6, Quota: 2, Duration: time.Second},
		PeerN:    []int{5},
		PeerPoll: time.Second,
		Waiting:  []WaitingSpec{{Jobs: 20, Duration: 3 * time.Second, Latency: 100 * time.Millisecond, Rate: 10, Config: configDocumented}},
		Workspaces: []WorkspacesSpec{
			{Workspaces: 3, Jobs: 4, Quota: 2, Duration: 2 * time.Second, Latency: 20 * time.Millisecond, Rate: 5},
		},
	}
}

// Config is one invocation.
type Config struct {
	Plan        Plan
	Smoke       bool
	Emulator    http.Handler // served on a random loopback port
	ProviderDir string       // holds terraform-provider-personalize
	WorkDir     string       // scratch space for Terraform working directories
	Log         io.Writer    // progress lines
	TFLog       string       // TF_LOG level for the provider's runs, for diagnosis
	// ProfileDir, when set, receives CPU and allocation profiles of every
	// provider process of the scale scenario, one directory per command.
	ProfileDir string
}

// ProfileEnv is the variable that makes both providers write profiles (see
// internal/pluginserve); only the benchmark sets it.
const ProfileEnv = pluginserve.ProfileDirEnv

// profileEnv points the provider's profiles of one command at their own
// directory.
func (b *bench) profileEnv(label string) []string {
	if b.cfg.ProfileDir == "" {
		return nil
	}
	dir := filepath.Join(b.cfg.ProfileDir, label)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.logf("profiles of %s not written: %v", label, err)
		return nil
	}
	return []string{ProfileEnv + "=" + dir}
}

// bench holds what the scenarios share.
type bench struct {
	cfg   Config
	tf    *terraform
	emu   *server
	runID string
	seq   int
}

// Run measures everything in the plan.
func Run(ctx context.Context, cfg Config) (Results, error) {
	started := time.Now()
	res := Results{Smoke: cfg.Smoke, Limits: DefaultTargets, PeerPoll: cfg.Plan.PeerPoll}
	tf, err := newTerraform(cfg.WorkDir, cfg.ProviderDir)
	if err != nil {
		return res, err
	}
	emu, err := startServer(cfg.Emulator)
	if err != nil {
		return res, err
	}
	defer emu.Close()
	b := &bench{cfg: cfg, tf: tf, emu: emu, runID: started.Format("150405")}
	res.Machine = machineFacts(ctx, tf)
	b.logf("emulator at %s; terraform %s; %d CPUs; load %s", emu.URL, res.Machine.Terraform, res.Machine.CPUs, res.Machine.LoadStart)

	steps := []struct {
		name string
		fn   func(context.Context, *Results) error
	}{
		{"scale", b.scale},
		{"latency", b.latency},
		{"queue", b.queue},
		{"peer", b.peer},
		{scenarioWaiting, b.waiting},
		{scenarioWorkspaces, b.workspaces},
	}
	for _, s := range steps {
		if err := s.fn(ctx, &res); err != nil {
			return res, fmt.Errorf("%s: %w", s.name, err)
		}
	}
	res.Machine.LoadEnd = loadAverage()
	res.Wall = time.Since(started)
	return res, nil
}

// BuildProvider compiles the provider at the module root into dir.
func BuildProvider(ctx context.Context, root, dir string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(dir, providerBinary), ".")
	cmd.Dir = root
	cmd.Stdout = os.Stderr
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("building the provider in %s: %w", root, err)
	}
	return nil
}

// BuildFloor compiles the minimal framework provider into dir, beside the
// provider: the same dev_overrides directory serves both.
func BuildFloor(ctx context.Context, root, dir string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(dir, floorBinary), "./internal/benchmarks/floorprovider/cmd/terraform-provider-floor")
	cmd.Dir = root
	cmd.Stdout = os.Stderr
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("building the floor provider in %s: %w", root, err)
	}
	return nil
}

// LinkProvider makes an existing provider binary available in dir under
// the name Terraform looks for.
func LinkProvider(binary, dir string) error {
	abs, err := filepath.Abs(binary)
	if err != nil {
		return err
	}
	if _, err := os.Stat(abs); err != nil {
		return fmt.Errorf("-provider %s: %w", binary, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.Symlink(abs, filepath.Join(dir, providerBinary))
}

// ModuleRoot finds the directory holding go.mod at or above dir.
func ModuleRoot(dir string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod at or above %s: run from inside the repository", dir)
		}
	}
}

func (b *bench) logf(format string, args ...any) {
	if b.cfg.Log != nil {
		fmt.Fprintf(b.cfg.Log, "%s  %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
	}
}

// prefix is a job-name prefix unique within this invocation and across
// invocations against a long-lived emulator: names are unique for ever.
func (b *bench) prefix(scenario string) string {
	b.seq++
	return fmt.Sprintf("bench-%s-%s%d-", b.runID, scenario, b.seq)
}

// fresh starts a scenario from an empty account with the given job duration
// and quota.
func (b *bench) fresh(ctx context.Context, d time.Duration, quota int) error {
	if err := b.emu.Reset(ctx); err != nil {
		return err
	}
	return b.emu.Configure(ctx, d, quota)
}

// measured is a terraform run and the API calls it made.
type measured struct {
	run
	calls Stats
}

// Commands that reach the emulator go through here so that each gets its
// emulator delta, a deadline and, when asked for, a TF_LOG file. A command
// that overruns its deadline is a broken harness or a hung provider, and the
// error says which API errors the emulator answered meanwhile.
func (b *bench) terraform(ctx context.Context, deadline time.Duration, dir, log string, extraEnv []string, args ...string) (measured, error) {
	before, err := b.emu.Stats(ctx)
	if err != nil {
		return measured{}, err
	}
	if b.cfg.TFLog != "" {
		extraEnv = append(extraEnv, "TF_LOG="+b.cfg.TFLog, "TF_LOG_PATH="+filepath.Join(dir, log+".tflog"))
	}
	started := time.Now()
	cctx, cancel := context.WithTimeout(ctx, deadline)
	defer cancel()
	r, err := b.tf.Run(cctx, dir, log, extraEnv, args...)
	if err != nil {
		if cctx.Err() != nil && ctx.Err() == nil {
			err = fmt.Errorf("did not finish within %s, stopped: %w", deadline, err)
		}
		if summary := errorSummary(b.emu.rec.Since(started)); summary != "" {
			err = fmt.Errorf("%w\nAPI errors the emulator answered meanwhile: %s", err, summary)
		}
		return measured{run: r}, err
	}
	after, err := b.emu.Stats(ctx)
	if err != nil {
		return measured{run: r}, err
	}
	return measured{run: r, calls: after.Sub(before)}, nil
}

var (
	argsPlan    = []string{"plan"}
	argsApply   = []string{"apply", "-auto-approve"}
	argsRefresh = []string{"apply", "-refresh-only", "-auto-approve"}
)
