package benchmarks

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// Markdown renders the report.
func (r Results) Markdown() string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	p("# Benchmarks\n\n")
	p("Measured on %s with the real `terraform` binary, the provider (see Machine) and the\n", r.Machine.Date.Format("2006-01-02 15:04 MST"))
	p("Personalize emulator running in the benchmark's own process on a\n")
	p("loopback port. Every figure is compared with a baseline measured in the same invocation,\n")
	p("so the ratios mean the same on a fast or a slow machine; absolute times are given for scale.\n\n")
	if r.Smoke {
		p("> **Smoke run**: reduced sizes, written to a temporary directory. Targets are judged at\n")
		p("> the sizes this run measured, not at the sizes they are defined for.\n\n")
	}
	p("![Scale ratios and completion latency](chart.png)\n\n")

	p("## Targets\n\n| target | measured | result |\n|---|---|---|\n")
	for _, v := range r.Verdicts() {
		res := "**MISS**"
		if v.Pass {
			res = "PASS"
		}
		p("| %s | %s | %s |\n", v.Target, v.Measured, res)
	}

	m := r.Machine
	p("\n## Machine\n\n| | |\n|---|---|\n")
	p("| CPUs | %d (%s) |\n", m.CPUs, orNA(m.CPUModel))
	p("| kernel | %s |\n", orNA(m.Kernel))
	p("| Go | %s |\n", orNA(m.Go))
	p("| Terraform | %s |\n", orNA(m.Terraform))
	p("| provider | %s |\n", orNA(r.Provider))
	p("| aws CLI (peer) | %s |\n", orNA(m.AWSCLI))
	p("| load average 1/5/15 min, start → end | %s → %s |\n", orNA(m.LoadStart), orNA(m.LoadEnd))
	p("| whole run | %s |\n", fmtDur(r.Wall.Round(time.Second)))
	p("\nThe machine is shared with builds and tests, so absolute times vary from run to run;\n")
	p("the order of the sides rotates with the repetition to spread that noise over all of them.\n")

	if len(r.Scale) > 0 {
		p("\n## 1. Scale: N jobs against two floors\n\n")
		p("`plan` on an empty state, `apply`, then `apply -refresh-only`, over N\n")
		p("`personalize_batch_inference_job` resources (jobs of duration 0, which finish at once),\n")
		p("over N `terraform_data` resources, Terraform's own floor, and over N resources of the\n")
		p("*minimal framework provider* (`internal/benchmarks/floorprovider`), the floor of any plugin\n")
		p("provider: a terraform-plugin-framework provider whose one resource has the same attributes,\n")
		p("types and nesting as `personalize_batch_inference_job` and does nothing (no validators, plan\n")
		p("modifiers, defaults or API calls). The three run one after another, in an order that rotates\n")
		p("with the repetition. Times are medians over the repetitions; API calls come from the\n")
		p("emulator's counters before and after each command. *CPU* is the user and system time of\n")
		p("`terraform` and the provider processes it ran (the emulator's is not in it): on a loaded\n")
		p("machine it is the steadier figure. Every N runs at Terraform's default `-parallelism=10` and,\n")
		p("above 10, at `-parallelism=N`; the provider's jobs run in two configurations, *documented*\n")
		p("(as the documentation's example: `num_results` and `batch_inference_job_config` left to the\n")
		p("service) and *stated* (both set); the minimal provider runs each configuration too.\n")
		p("`terraform_data` runs once per N and parallelism, so both configurations' rows show the same\n")
		p("`terraform_data` figures.\n\n")
		p("| N | operation | settings | -parallelism | runs | terraform_data | minimal provider | provider | provider / minimal | CPU: provider / minimal | provider / terraform_data | minimal / terraform_data | API calls per job | provider processes | peak RSS: provider / minimal |\n")
		p("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|\n")
		for _, row := range r.Scale {
			p("| %d | %s | %s | %d | %d | %s | %s | %s | %s | %s | %.2f× | %s | %s | %d | %s / %s |\n", row.N, row.Op, row.config(), row.parallelism(), len(row.Subject),
				fmtDur(Median(row.Baseline)), durOrNA(row.Floor), fmtDur(Median(row.Subject)), ratioOrNA(row.FloorRatio()), cpuCell(row),
				row.Ratio(), ratioOrNA(row.FloorOverBaseline()), callsCell(row.CallsPerJob()), row.Starts, fmtBytes(row.PeakRSS), fmtBytes(row.FloorPeakRSS))
		}
		p("\n*Provider processes* is how many times Terraform started the provider for one command\n")
		p("(the minimal provider is started as often).\n")
		p("Floor for API calls: create is 1 `CreateBatchInferenceJob` and a look at the job until it is\n")
		p("done (a share of one `ListBatchInferenceJobs` page here); refresh is 1 `ListTagsForResource` for a finished job (a job still running\n")
		p("is also described: 1 `DescribeBatchInferenceJob` more).\n")
	}

	if len(r.Latency) > 0 {
		p("\n## 2. Completion latency\n\n")
		p("One job per apply. The emulator makes the job ACTIVE exactly its duration after it accepted\n")
		p("the create; *noticed after* is the time from that moment to `terraform apply` returning,\n")
		p("split into the *poll gap* (until the first `DescribeBatchInferenceJob` or `ListBatchInferenceJobs`\n")
		p("answer that showed it ACTIVE)\n")
		p("and the *tail* (from that answer to the apply's exit: state, provider shutdown).\n\n")
		p("| job duration | runs | apply (median) | noticed after: median | worst | allowed | poll gap (worst run) | tail (worst run) | Describe + List calls per job |\n")
		p("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
		for _, row := range r.Latency {
			var walls, noticed []time.Duration
			describes := 0
			for _, s := range row.Samples {
				walls = append(walls, s.Wall)
				noticed = append(noticed, s.Noticed)
				describes += s.Describes
			}
			w := row.Worst()
			p("| %s | %d | %s | %s | %s | %s | %s | %s | %.1f |\n", fmtDur(row.Duration), len(row.Samples),
				fmtDur(Median(walls)), fmtDur(Median(noticed)), fmtDur(w.Noticed), fmtDur(r.Limits.Allowed(row.Duration)),
				fmtDur(w.PollGap), fmtDur(w.Tail), float64(describes)/float64(max(1, len(row.Samples))))
		}
		p("\nWhen the job's status was asked for (worst run, seconds after the create):\n\n")
		for _, row := range r.Latency {
			p("- %s job: %s\n", fmtDur(row.Duration), pollList(row.Worst().Polls))
		}
	}

	if len(r.Queue) > 0 {
		p("\n## 3. Queue throughput\n\n")
		p("More jobs than the quota of running jobs lets run at once; the emulator refuses the\n")
		p("excess creates with `LimitExceededException`. The lower bound is ceil(jobs / quota) × duration:\n")
		p("every slot busy all the time. *Makespan* is the apply's wall time; the *emulator span* runs from\n")
		p("the first accepted create to the last job becoming ACTIVE; *slot pickup* is how long a freed\n")
		p("slot stayed empty before the next create took it.\n\n")
		p("| who | jobs | quota | duration | bound | makespan | makespan / bound | emulator span | refused creates | slot pickup mean / max | Describe calls |\n")
		p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
		for _, q := range r.Queue {
			p("| %s | %d | %d | %s | %s | %s | %.2f× | %s | %d | %s / %s | %d |\n", whoName(q.Who), q.Jobs, q.Quota, fmtDur(q.Duration),
				fmtDur(q.Bound()), fmtDur(q.Makespan), q.Factor(), fmtDur(q.EmulatorSpan), q.LimitExceeded,
				fmtDur(q.Pickup.Mean), fmtDur(q.Pickup.Max), q.Describes)
		}
	}

	for _, q := range r.Queue {
		if len(q.Slowest) > 1 {
			p("\nCreate attempts of the job that waited longest (%s), seconds after the apply started: %s\n",
				whoName(q.Who), attemptList(q.Slowest))
		}
	}

	r.waitingMarkdown(p)

	if len(r.Peer) > 0 {
		p("\n## 5. Against the aws CLI\n\n")
		p("The way batch jobs are run from Terraform without this provider: `terraform_data` with a\n")
		p("`local-exec` provisioner running `aws personalize create-batch-inference-job` and a loop of\n")
		p("`aws personalize describe-batch-inference-job` (the shell script is in\n")
		p("`internal/benchmarks/configs.go`). The script sleeps only %s between calls, which favours\n", fmtDur(r.PeerPoll))
		p("the peer; both sides use Terraform's default parallelism of 10.\n\n")
		p("| scenario | jobs | provider | terraform_data + aws CLI | peer / provider | API calls by the CLI |\n")
		p("|---|---:|---:|---:|---:|---:|\n")
		for _, row := range r.Peer {
			p("| %s | %d | %s | %s | %.1f× | %d |\n", row.Scenario, row.N, fmtDur(Median(row.Provider)), fmtDur(Median(row.Peer)), row.Speedup(), row.PeerCLI)
		}
	}

	r.workspacesMarkdown(p)

	if strings.TrimSpace(r.Notes) != "" {
		p("\n## Findings\n\n%s\n", strings.TrimSpace(r.Notes))
	}

	p("\n## Reproduce\n\n```sh\n")
	p("make bench        # the full run (about 30 minutes); rewrites docs/benchmarks/\n")
	p("make bench-smoke  # every scenario at reduced size (1–2 minutes), into a temporary directory\n")
	p("go run ./internal/benchmarks/cmd/personalize-bench -h   # -only, -provider, -profile, -scale-n, -scale-reps, -keep, -tf-log, -render, …\n")
	p("```\n\n")
	p("Needs Go, `terraform` and the `aws` CLI on `PATH`; no AWS account. The raw figures are in\n")
	p("`results.json` beside this file. Notes in `findings.md` beside it are copied into the\n")
	p("Findings section above.\n")
	p("\nReliability at scale — 100 jobs applied while the API throttles, fails, loses create\n")
	p("responses and hides new jobs, behind the running-job quota — is measured by `make testfaults`:\n")
	p("[faults.md](faults.md).\n")
	return b.String()
}

// ScaleSummary is one line per scale row with both floors and the ratios,
// for the terminal.
func (r Results) ScaleSummary() []string {
	var out []string
	for _, row := range r.Scale {
		out = append(out, fmt.Sprintf("N=%-4d %-7s %-33s terraform_data %s, minimal provider %s, provider %s: %s the minimal provider (CPU %s), %.2f× terraform_data",
			row.N, row.Op, row.Variant(), fmtDur(Median(row.Baseline)), durOrNA(row.Floor), fmtDur(Median(row.Subject)),
			ratioOrNA(row.FloorRatio()), ratioOrNA(row.FloorCPURatio()), row.Ratio()))
	}
	return out
}

// callsCell prints "2.00 (Create 1.00, Describe 1.00)" with the API's
// operation names shortened.
func callsCell(perJob map[string]float64) string {
	total, ok := perJob[""]
	if !ok {
		return "n/a"
	}
	var parts []string
	for op, v := range perJob {
		if op != "" {
			parts = append(parts, fmt.Sprintf("%s %.2f", shortOp(op), v))
		}
	}
	sort.Strings(parts)
	if len(parts) == 0 {
		return fmt.Sprintf("%.2f", total)
	}
	return fmt.Sprintf("%.2f (%s)", total, strings.Join(parts, ", "))
}

func shortOp(op string) string {
	switch op {
	case "ListTagsForResource":
		return "ListTags"
	case "ListBatchInferenceJobs":
		return "List"
	}
	return strings.TrimSuffix(op, "BatchInferenceJob")
}

func pollList(polls []time.Duration) string {
	if len(polls) == 0 {
		return "none"
	}
	s := make([]string, len(polls))
	for i, d := range polls {
		s[i] = fmt.Sprintf("%.1f", d.Seconds())
	}
	return strings.Join(s, ", ")
}

func attemptList(as []Attempt) string {
	s := make([]string, len(as))
	for i, a := range as {
		mark := "accepted"
		if a.Refused {
			mark = "refused"
		}
		s[i] = fmt.Sprintf("%.1f %s", a.At.Seconds(), mark)
	}
	return strings.Join(s, ", ")
}

func whoName(who string) string {
	if who == whoPeer {
		return "terraform_data + aws CLI"
	}
	return who
}

// cpuCell is "1.10× (9.0 s / 8.2 s)", or n/a for runs that did not measure CPU.
func cpuCell(row ScaleRow) string {
	q := row.FloorCPURatio()
	if math.IsNaN(q) {
		return "n/a"
	}
	return fmt.Sprintf("%.2f× (%s / %s)", q, fmtDur(Median(row.SubjectCPU)), fmtDur(Median(row.FloorCPU)))
}

func durOrNA(ds []time.Duration) string {
	if len(ds) == 0 {
		return "n/a"
	}
	return fmtDur(Median(ds))
}

func ratioOrNA(q float64) string {
	if math.IsNaN(q) {
		return "n/a"
	}
	return fmt.Sprintf("%.2f×", q)
}

func orNA(s string) string {
	if s == "" {
		return "n/a"
	}
	return s
}
