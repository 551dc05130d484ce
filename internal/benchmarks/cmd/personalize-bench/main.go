// Command personalize-bench measures the provider against terraform_data,
// against a minimal framework provider of the same schema and against the
// aws CLI, and writes the report, chart and raw figures.
//
//	go run ./internal/benchmarks/cmd/personalize-bench          # full run into docs/benchmarks/
//	go run ./internal/benchmarks/cmd/personalize-bench -smoke   # reduced run into a temporary directory
//
// It exits non-zero when the harness breaks (a build, a terraform command or
// the emulator fails), never because a target was missed.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/benchmarks"
	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "personalize-bench:", err)
		os.Exit(1)
	}
}

func run() error {
	smoke := flag.Bool("smoke", false, "run every scenario at reduced size (1–2 minutes) and write into a temporary directory")
	out := flag.String("out", "", "directory for README.md, chart.png and results.json (default docs/benchmarks, or a temporary directory with -smoke)")
	keep := flag.Bool("keep", false, "keep the Terraform working directories and their logs")
	provider := flag.String("provider", "", "an already built terraform-provider-personalize binary to measure instead of building this checkout")
	only := flag.String("only", "", "comma-separated scenarios to run (scale, latency, queue, peer, waiting, workspaces); default all")
	peerQueue := flag.Bool("peer-queue", false, "also run the queue scenario with the aws CLI peer (minutes more)")
	tfLog := flag.String("tf-log", "", "TF_LOG level for the provider's terraform runs (logs land beside them; use with -keep)")
	scaleN := flag.String("scale-n", "", "comma-separated job counts for the scale scenario instead of the plan's (e.g. 1000 with -profile)")
	scaleReps := flag.Int("scale-reps", 0, "repetitions per job count of the scale scenario instead of the plan's")
	profile := flag.String("profile", "", "directory for CPU and allocation profiles of the provider's processes in the scale scenario (go tool pprof)")
	render := flag.Bool("render", false, "only render README.md and chart.png again from -out's results.json and findings.md (after editing findings.md)")
	flag.Parse()

	if *render {
		dir := *out
		if dir == "" {
			dir = "docs/benchmarks"
		}
		return rerender(dir)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	cwd, err := os.Getwd()
	if err != nil {
		return err
	}
	root, err := benchmarks.ModuleRoot(cwd)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "personalize-bench-")
	if err != nil {
		return err
	}
	if *keep {
		fmt.Fprintln(os.Stderr, "working directories in", work)
	} else {
		defer os.RemoveAll(work)
	}
	if *out == "" {
		*out = filepath.Join(root, "docs", "benchmarks")
		if *smoke {
			*out = filepath.Join(work, "report")
			if !*keep {
				// The report of a smoke run outlives the scratch space.
				if *out, err = os.MkdirTemp("", "personalize-bench-report-"); err != nil {
					return err
				}
			}
		}
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}

	if *profile != "" {
		if *profile, err = filepath.Abs(*profile); err != nil {
			return err
		}
	}
	providerDir := filepath.Join(work, "bin")
	described := "built from this checkout at " + checkout(root)
	if *provider != "" {
		described = "the binary given with -provider: " + *provider
		if err := benchmarks.LinkProvider(*provider, providerDir); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(os.Stderr, "building the provider")
		if err := benchmarks.BuildProvider(ctx, root, providerDir); err != nil {
			return err
		}
	}
	fmt.Fprintln(os.Stderr, "building the minimal framework provider")
	if err := benchmarks.BuildFloor(ctx, root, providerDir); err != nil {
		return err
	}
	emu, err := emulator.New(emulator.Config{
		Region:         "us-east-1",
		AccountID:      "123456789012",
		MaxRunningJobs: 5,
	})
	if err != nil {
		return fmt.Errorf("starting the emulator: %w", err)
	}
	defer emu.Close()

	plan := benchmarks.FullPlan()
	if *smoke {
		plan = benchmarks.SmokePlan()
	}
	plan.PeerQueue = plan.PeerQueue || *peerQueue
	if *only != "" {
		if plan, err = plan.Only(strings.Split(*only, ",")); err != nil {
			return err
		}
	}
	if *scaleN != "" {
		plan.ScaleN = nil
		for _, s := range strings.Split(*scaleN, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || n < 1 {
				return fmt.Errorf("-scale-n %q: want positive job counts such as 10,1000", *scaleN)
			}
			plan.ScaleN = append(plan.ScaleN, n)
		}
	}
	if *scaleReps > 0 {
		plan.ScaleReps = map[int]int{}
		for _, n := range plan.ScaleN {
			plan.ScaleReps[n] = *scaleReps
		}
	}
	res, err := benchmarks.Run(ctx, benchmarks.Config{
		Plan:        plan,
		Smoke:       *smoke,
		Emulator:    emu,
		ProviderDir: providerDir,
		WorkDir:     work,
		Log:         os.Stderr,
		TFLog:       *tfLog,
		ProfileDir:  *profile,
	})
	res.Provider = described
	if err == nil {
		err = write(*out, res)
	}
	if err != nil {
		// What was measured is kept for diagnosis, away from the report
		// directory; -render can turn it into a report.
		if raw, jerr := json.MarshalIndent(res, "", "  "); jerr == nil {
			if f, ferr := os.CreateTemp("", "personalize-bench-results-*.json"); ferr == nil {
				_, _ = f.Write(raw)
				_ = f.Close()
				fmt.Fprintln(os.Stderr, "figures measured before the failure:", f.Name())
			}
		}
	}
	return err
}

// rerender rebuilds the report from the figures of an earlier run, so that
// the findings can be written after the run they explain.
func rerender(dir string) error {
	raw, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil {
		return fmt.Errorf("-render needs the results.json of an earlier run: %w", err)
	}
	var res benchmarks.Results
	if err := json.Unmarshal(raw, &res); err != nil {
		return fmt.Errorf("%s: %w", filepath.Join(dir, "results.json"), err)
	}
	return write(dir, res)
}

// checkout names the commit the provider was built from.
func checkout(root string) string {
	cmd := exec.Command("git", "describe", "--always", "--dirty")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		return "an unknown commit"
	}
	return strings.TrimSpace(string(out))
}

func write(dir string, res benchmarks.Results) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if notes, err := os.ReadFile(filepath.Join(dir, "findings.md")); err == nil {
		res.Notes = string(notes)
	}
	var chart []byte
	if len(res.Scale) > 0 || len(res.Latency) > 0 {
		var err error
		if chart, err = res.Chart(); err != nil {
			return fmt.Errorf("drawing the chart: %w", err)
		}
	}
	raw, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	files := map[string][]byte{
		"README.md":    []byte(res.Markdown()),
		"chart.png":    chart,
		"results.json": append(raw, '\n'),
	}
	for name, b := range files {
		if b == nil {
			continue // nothing to chart in a run of other scenarios
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	fmt.Println("report:", filepath.Join(dir, "README.md"))
	for _, line := range res.ScaleSummary() {
		fmt.Println("  " + line)
	}
	for _, v := range res.Verdicts() {
		mark := "PASS"
		if !v.Pass {
			mark = "MISS"
		}
		fmt.Printf("  %s  %s: %s\n", mark, v.Target, v.Measured)
	}
	return nil
}
