package personalize_test

import (
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
)

// faultsReportVariable names a file the scale test writes its measurements
// to, as Markdown (docs/benchmarks/faults.md); a relative path is taken
// from the repository's root.
const faultsReportVariable = "PERSONALIZE_FAULTS_REPORT"

// scaleRun is what the scale test sets up and what it measured.
type scaleRun struct {
	jobs, quota, parallelism int
	jobDuration              time.Duration
	faults                   emulator.Faults

	apply, plan, calmPlan time.Duration // calmPlan: the same plan with no faults
	applyStats, planStats emulator.Stats
	// operation and outcome the provider saw → count, in the apply and in the plan
	applyAnswers, planAnswers map[string]int
	createsPerJob             map[int]int // successful or adopted creates per job → jobs
	lostResponses, queued     int         // jobs whose every create answer was lost; creates refused by the quota
	terraformVersion, build   string
}

// 100 jobs in one apply at -parallelism=100 behind a quota of 5, while the
// API throttles 30 % of calls, fails 10 % with 500 or 503, loses 20 % of
// create responses and hides new jobs for 2 s: every job is made once and is
// ACTIVE in state, the emulator holds exactly the jobs of the configuration,
// and the next plan (under the same faults) has nothing to do.
func TestAccReliability_scaleUnderFaults(t *testing.T) {
	requireFaultTests(t)
	t.Parallel()
	run := scaleRun{
		jobs: 100, quota: 5, parallelism: 100, jobDuration: 1500 * time.Millisecond,
		faults: emulator.Faults{
			ThrottleRate:           0.3,
			ErrorRate:              0.1,
			DropCreateResponseRate: 0.2,
			ConsistencyDelayMS:     2000,
			Seed:                   20261203,
		},
	}
	env, _ := acctest.NewCLIEnv(t, emulator.Config{JobDuration: run.jobDuration, MaxRunningJobs: run.quota})
	recorded, rec := recordingEnv(t, env)
	cli := acctest.NewCLI(t)
	name := acctest.RandomName("scale")
	cli.WriteConfig(countedJobs(recorded, name, run.jobs))
	want := map[string]bool{}
	for i := range run.jobs {
		want[fmt.Sprintf("%s-%d", name, i)] = true
	}

	env.Emulator.SetFaults(run.faults)
	before := env.Emulator.Stats()
	start := time.Now()
	res := cli.Run(15*time.Minute, "apply", "-auto-approve", "-no-color", "-input=false", fmt.Sprintf("-parallelism=%d", run.parallelism))
	run.apply = time.Since(start)
	run.applyStats = statsSince(env.Emulator.Stats(), before)
	t.Logf("apply of %d jobs under faults: %s, exit %d", run.jobs, run.apply.Round(time.Millisecond), res.ExitCode)
	if res.ExitCode != 0 {
		t.Fatalf("the apply failed under faults:\n%s\nanswers the provider got:\n%s", res, rec.summary())
	}
	requireScaleState(t, cli, env, want)
	run.applyAnswers = rec.tally()

	// The second plan meets the same faults while it refreshes every job.
	env.Emulator.SetFaults(run.faults)
	before = env.Emulator.Stats()
	start = time.Now()
	res = cli.Run(10*time.Minute, "plan", "-detailed-exitcode", "-no-color", "-input=false", fmt.Sprintf("-parallelism=%d", run.parallelism))
	run.plan = time.Since(start)
	run.planStats = statsSince(env.Emulator.Stats(), before)
	if res.ExitCode != 0 {
		t.Fatalf("the plan after the apply is not clean (want exit 0 of -detailed-exitcode):\n%s", res)
	}

	run.planAnswers = rec.tally()
	for k, v := range run.applyAnswers {
		if run.planAnswers[k] -= v; run.planAnswers[k] == 0 {
			delete(run.planAnswers, k)
		}
	}
	// The same plan once more without faults, for what they cost it.
	env.Emulator.SetFaults(emulator.Faults{})
	start = time.Now()
	if res = cli.Run(10*time.Minute, "plan", "-detailed-exitcode", "-no-color", "-input=false", fmt.Sprintf("-parallelism=%d", run.parallelism)); res.ExitCode != 0 {
		t.Fatalf("the plan without faults is not clean:\n%s", res)
	}
	run.calmPlan = time.Since(start)

	run.createsPerJob = map[int]int{}
	for job, outcomes := range rec.outcomesByJob("CreateBatchInferenceJob") {
		made := 0
		for _, o := range outcomes {
			if o == "OK" || o == "ResourceAlreadyExistsException" {
				made++
			}
		}
		run.createsPerJob[strings.Count(strings.Join(outcomes, " "), "OK")]++
		if !slices.Contains(outcomes, "OK") && slices.Contains(outcomes, "ResourceAlreadyExistsException") {
			run.lostResponses++
		}
		if made == 0 {
			t.Errorf("job %s: no create succeeded and none found it made (answers %v)", job, outcomes)
		}
	}
	if n := run.createsPerJob[1] + run.createsPerJob[0]; n != run.jobs || len(run.createsPerJob) > 2 {
		t.Errorf("creates that succeeded per job: %v (count → jobs), want each of the %d jobs created once at most", run.createsPerJob, run.jobs)
	}
	run.queued = rec.count("CreateBatchInferenceJob", "LimitExceededException")
	t.Logf("answers the provider got:\n%s", rec.summary())
	t.Logf("faults injected during the apply: %v; during the plan: %v", run.applyStats.Faults, run.planStats.Faults)

	// A pass must mean the provider met every fault, not that none happened.
	for kind, seen := range map[string]int{
		"throttled calls":                    run.applyStats.Faults[emulator.FaultThrottled],
		"500 answers":                        run.applyStats.Faults[emulator.FaultInternalFailure],
		"503 answers":                        run.applyStats.Faults[emulator.FaultServiceUnavailable],
		"lost create responses":              run.applyStats.Faults[emulator.FaultDroppedCreate],
		"reads of invisible jobs":            run.applyStats.Faults[emulator.FaultNotYetVisible],
		"creates queued (quota 5)":           run.queued,
		"jobs adopted after a lost response": run.lostResponses,
		"faults during the plan": run.planStats.Faults[emulator.FaultThrottled] +
			run.planStats.Faults[emulator.FaultInternalFailure] + run.planStats.Faults[emulator.FaultServiceUnavailable],
	} {
		if seen == 0 {
			t.Errorf("the run met no %s: that fault was not exercised", kind)
		}
	}

	if path := os.Getenv(faultsReportVariable); path != "" && !t.Failed() {
		run.terraformVersion = acctest.CLIVersion()
		run.build = gitDescribe()
		writeFaultsReport(t, path, run)
	}
}

// requireScaleState checks that state holds exactly the wanted jobs, each
// once and ACTIVE, and that the emulator holds exactly those jobs: it names
// every job lost, duplicated, or made and not in state.
func requireScaleState(t *testing.T, cli *acctest.CLI, env *acctest.Env, want map[string]bool) {
	t.Helper()
	var problems []string
	inState := map[string]string{} // job name → address
	for _, r := range cli.State() {
		name, _ := r.Attributes["job_name"].(string)
		if prev, ok := inState[name]; ok {
			problems = append(problems, fmt.Sprintf("duplicated in state: %s is both %s and %s", name, prev, r.Address))
		}
		inState[name] = r.Address
		if r.Attributes["status"] != "ACTIVE" || r.Tainted {
			problems = append(problems, fmt.Sprintf("%s (%s) is %v in state (tainted %v), want ACTIVE", r.Address, name, r.Attributes["status"], r.Tainted))
		}
		if !want[name] {
			problems = append(problems, fmt.Sprintf("unexpected in state: %s (%s)", name, r.Address))
		}
	}
	// The listing must see every job, whatever faults the run injected.
	env.Emulator.SetFaults(emulator.Faults{})
	held := map[string]bool{}
	for arn, status := range emulatorJobARNs(t, env) {
		_, name, _ := strings.Cut(arn, ":batch-inference-job/")
		held[name] = true
		if status != "ACTIVE" {
			problems = append(problems, fmt.Sprintf("the emulator reports %s as %s, want ACTIVE", name, status))
		}
		if !want[name] {
			problems = append(problems, "made but not in the configuration (orphaned): "+name)
		}
	}
	for name := range want {
		if _, ok := inState[name]; !ok {
			problems = append(problems, "lost from state: "+name)
		}
		if !held[name] {
			problems = append(problems, "never made (the emulator does not hold it): "+name)
		}
	}
	if n := env.Jobs(); n != len(want) {
		problems = append(problems, fmt.Sprintf("the emulator holds %d jobs, want exactly %d", n, len(want)))
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		t.Fatalf("%d problems after the apply:\n%s", len(problems), strings.Join(problems, "\n"))
	}
}

// statsSince is the emulator's counters after less those before.
func statsSince(after, before emulator.Stats) emulator.Stats {
	d := emulator.Stats{Calls: map[string]int{}, Faults: map[string]int{}, Jobs: after.Jobs - before.Jobs}
	for k, v := range after.Calls {
		if v -= before.Calls[k]; v != 0 {
			d.Calls[k] = v
		}
	}
	for k, v := range after.Faults {
		if v -= before.Faults[k]; v != 0 {
			d.Faults[k] = v
		}
	}
	return d
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// tally is how many answers of each operation had each outcome.
func (r *recorder) tally() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]int{}
	for _, a := range r.answers {
		out[a.operation+" "+a.outcome]++
	}
	return out
}

func gitDescribe() string {
	out, err := exec.Command("git", "describe", "--always", "--dirty").Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}

// writeFaultsReport writes the run's measurements as Markdown to path.
func writeFaultsReport(t *testing.T, path string, run scaleRun) {
	t.Helper()
	if !filepath.IsAbs(path) {
		root := gitRoot(t)
		path = filepath.Join(root, path)
	}
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) }
	p("# Reliability under faults: %d jobs\n\n", run.jobs)
	p("Written by `TestAccReliability_scaleUnderFaults` (`make testfaults`) on %s, with\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	p("`%s=docs/benchmarks/faults.md`. One `terraform apply` of %d\n", faultsReportVariable, run.jobs)
	p("`personalize_batch_inference_job` resources (`count`) against the emulator, which injects\n")
	p("the faults below into every Personalize call, then `terraform plan -detailed-exitcode` under\n")
	p("the same faults. The test fails unless every job is ACTIVE in state, the emulator holds\n")
	p("exactly the %d jobs of the configuration (none lost, none made twice, none orphaned) and\n", run.jobs)
	p("the plan is clean.\n\n")

	p("## Set-up\n\n| | |\n|---|---|\n")
	p("| jobs | %d, batch inference |\n", run.jobs)
	p("| `terraform -parallelism` | %d |\n", run.parallelism)
	p("| running-job quota (`LimitExceededException` beyond it) | %d |\n", run.quota)
	p("| job duration | %s |\n", ms(run.jobDuration))
	p("| throttling (`throttle_rate`) | %.0f %% of calls |\n", run.faults.ThrottleRate*100)
	p("| 500 / 503 (`error_rate`) | %.0f %% of calls |\n", run.faults.ErrorRate*100)
	p("| lost create responses (`drop_create_response_rate`) | %.0f %% of creates that made their job |\n", run.faults.DropCreateResponseRate*100)
	p("| visibility lag (`consistency_delay_ms`) | %s |\n", ms(time.Duration(run.faults.ConsistencyDelayMS)*time.Millisecond))
	p("| seed | %d |\n", run.faults.Seed)
	p("| machine | %d CPUs, %s/%s, %s, shared with other work |\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version())
	p("| CLI | %s |\n", run.terraformVersion)
	p("| provider | built from this checkout at %s |\n\n", run.build)

	floor := time.Duration(run.jobs/run.quota) * run.jobDuration
	p("## Results\n\n| | apply | second plan |\n|---|---:|---:|\n")
	p("| wall time | %s | %s |\n", ms(run.apply), ms(run.plan))
	p("| API calls (emulator `/_emulator/stats`) | %d | %d |\n", total(run.applyStats.Calls), total(run.planStats.Calls))
	p("| API calls per job | %.1f | %.1f |\n", float64(total(run.applyStats.Calls))/float64(run.jobs), float64(total(run.planStats.Calls))/float64(run.jobs))
	p("| faults injected | %d | %d |\n\n", total(run.applyStats.Faults), total(run.planStats.Faults))
	p("With a quota of %d and %s jobs, no client can finish %d jobs in less than %s; the apply took\n", run.quota, ms(run.jobDuration), run.jobs, ms(floor))
	p("%.1f× that. Of the apply's %d calls, %d were creates the quota refused while the\n", run.apply.Seconds()/floor.Seconds(), total(run.applyStats.Calls), run.queued)
	p("jobs queued behind it (each retried after half to all of a tenth of its time queued, at least 0.5 s) and\n")
	p("%d were answered with an injected fault; the SDK retried those, and the provider\n", total(run.applyStats.Faults)-run.applyStats.Faults[emulator.FaultNotYetVisible]-run.applyStats.Faults[emulator.FaultDroppedCreate])
	p("adopted the %d jobs whose create answers were all lost by finding them by name. The\n", run.lostResponses)
	p("second plan refreshes each finished job with one `ListTagsForResource`; the same plan with\n")
	p("no faults took %s, so the rest of its time is the SDK's back-off between retries of\n", ms(run.calmPlan))
	p("the calls that met faults.\n\n")

	p("### Calls per operation\n\n| operation | apply | second plan |\n|---|---:|---:|\n")
	ops := slices.Sorted(maps.Keys(run.applyStats.Calls))
	for op := range run.planStats.Calls {
		if !slices.Contains(ops, op) {
			ops = append(ops, op)
		}
	}
	for _, op := range ops {
		p("| %s | %d | %d |\n", op, run.applyStats.Calls[op], run.planStats.Calls[op])
	}

	p("\n### Faults injected (emulator counters)\n\n| fault | apply | second plan |\n|---|---:|---:|\n")
	for _, k := range []string{emulator.FaultThrottled, emulator.FaultInternalFailure, emulator.FaultServiceUnavailable, emulator.FaultDroppedCreate, emulator.FaultNotYetVisible} {
		p("| `%s` | %d | %d |\n", k, run.applyStats.Faults[k], run.planStats.Faults[k])
	}

	p("\n### Creates\n\n| | |\n|---|---:|\n")
	p("| creates refused by the quota (`LimitExceededException`), retried later | %d |\n", run.queued)
	p("| jobs whose every create answer was lost, adopted by name | %d |\n", run.lostResponses)
	p("| jobs created by exactly one successful `CreateBatchInferenceJob` | %d |\n", run.createsPerJob[1])
	p("| jobs created twice | %d |\n", run.jobs-run.createsPerJob[1]-run.createsPerJob[0])

	p("\n### Every answer the provider got\n\n| operation | outcome | apply | second plan |\n|---|---|---:|---:|\n")
	keys := slices.Sorted(maps.Keys(run.applyAnswers))
	for k := range run.planAnswers {
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	for _, k := range keys {
		op, outcome, _ := strings.Cut(k, " ")
		p("| %s | %s | %d | %d |\n", op, outcome, run.applyAnswers[k], run.planAnswers[k])
	}

	p("\n## Reproduce\n\n```sh\n")
	p("%s=docs/benchmarks/faults.md make testfaults TESTARGS='-run TestAccReliability_scaleUnderFaults -v'\n", faultsReportVariable)
	p("```\n\nThe machine is shared, so wall times vary from run to run; the fault counts follow the\n")
	p("seed and the order in which requests arrive, which parallel goroutines vary too.\n")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatalf("writing the report: %s", err)
	}
	t.Logf("wrote %s", path)
}
