package benchmarks

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

const (
	providerBinary = "terraform-provider-personalize"
	floorBinary    = "terraform-provider-floor"
)

// terraform runs the terraform CLI with the dev-overridden provider.
type terraform struct {
	bin string
	env []string
}

// run is one terraform command as measured.
type run struct {
	Start, End time.Time
	PeakRSS    int64 // bytes; the largest VmHWM of any provider process it started
	Starts     int   // provider processes it started
	// CPU is the user and system time of terraform and of the processes it
	// waited for (the provider's among them): unlike wall time, it hardly
	// changes with what else the machine is doing.
	CPU time.Duration
}

func (r run) Wall() time.Duration { return r.End.Sub(r.Start) }

// newTerraform writes a CLI configuration that points the provider's address
// at providerDir, so that no terraform init is needed.
func newTerraform(workDir, providerDir string) (*terraform, error) {
	cli := filepath.Join(workDir, "cli.tfrc")
	conf := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/tfpersonalize/personalize" = %q
    "registry.terraform.io/tfpersonalize/floor"       = %q
  }
  direct {}
}
`, providerDir, providerDir)
	if err := os.WriteFile(cli, []byte(conf), 0o644); err != nil {
		return nil, err
	}
	bin, err := exec.LookPath("terraform")
	if err != nil {
		return nil, fmt.Errorf("terraform is not on PATH: %w", err)
	}
	env := []string{"TF_CLI_CONFIG_FILE=" + cli, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0"}
	for _, kv := range os.Environ() {
		// A TF_LOG or plugin cache from the caller's shell would change what is measured.
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "TF_") || k == "CHECKPOINT_DISABLE" {
			continue
		}
		env = append(env, kv)
	}
	return &terraform{bin: bin, env: env}, nil
}

// Run runs terraform in dir; its output goes to dir/<log>.log. extraEnv adds
// variables for this command only.
func (t *terraform) Run(ctx context.Context, dir, log string, extraEnv []string, args ...string) (run, error) {
	args = append(args, "-input=false", "-no-color")
	out, err := os.OpenFile(filepath.Join(dir, log+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return run{}, err
	}
	defer out.Close()
	var tail bytes.Buffer
	cmd := exec.CommandContext(ctx, t.bin, args...)
	cmd.Dir = dir
	cmd.Env = append(append([]string(nil), t.env...), extraEnv...)
	cmd.Stdout = out
	cmd.Stderr = &tailWriter{w: out, tail: &tail}
	// Its own process group, so that stopping it also stops the provider and
	// the peer's local-exec shells and aws CLI processes.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var r run
	r.Start = time.Now()
	if err := cmd.Start(); err != nil {
		return r, err
	}
	w := watchRSS(cmd.Process.Pid, providerBinary, floorBinary)
	err = cmd.Wait()
	r.End = time.Now()
	r.PeakRSS, r.Starts = w.Stop()
	if ps := cmd.ProcessState; ps != nil {
		r.CPU = ps.UserTime() + ps.SystemTime()
	}
	if err != nil {
		return r, fmt.Errorf("terraform %s in %s: %w\n%s(full output in %s)", strings.Join(args, " "), dir, err, lastLines(tail.String(), 20), out.Name())
	}
	return r, nil
}

// Version is the first line of terraform version.
func (t *terraform) Version(ctx context.Context) string {
	cmd := exec.CommandContext(ctx, t.bin, "version")
	cmd.Env = t.env
	b, _ := cmd.Output()
	first, _, _ := strings.Cut(string(b), "\n")
	return strings.TrimSpace(first)
}

// tailWriter copies to w and keeps stderr for error messages.
type tailWriter struct {
	w    *os.File
	tail *bytes.Buffer
}

func (t *tailWriter) Write(p []byte) (int, error) {
	t.tail.Write(p)
	return t.w.Write(p)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	if len(lines) == 1 && lines[0] == "" {
		return ""
	}
	return strings.Join(lines, "\n") + "\n"
}

// rssWatcher polls /proc for children of one process that run a given
// binary and keeps their largest VmHWM. Terraform starts the provider as a
// direct child; filtering on the parent keeps other terraform runs on the
// machine out of the figure.
type rssWatcher struct {
	stop  chan struct{}
	done  chan struct{}
	mu    sync.Mutex
	peak  int64
	procs map[int]bool
}

func watchRSS(parent int, binaries ...string) *rssWatcher {
	w := &rssWatcher{stop: make(chan struct{}), done: make(chan struct{}), procs: map[int]bool{}}
	go func() {
		defer close(w.done)
		seen := map[int]bool{} // pid → is a provider child
		tick := time.NewTicker(25 * time.Millisecond)
		defer tick.Stop()
		for {
			for pid, ours := range scanChildren(parent, binaries, seen) {
				if !ours {
					continue
				}
				hwm := readVmHWM(pid)
				w.mu.Lock()
				w.procs[pid] = true
				w.peak = max(w.peak, hwm)
				w.mu.Unlock()
			}
			select {
			case <-w.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return w
}

// Stop ends the polling and returns the peak in bytes and the number of
// processes seen. A process that lived less than one polling interval may
// be missed.
func (w *rssWatcher) Stop() (int64, int) {
	close(w.stop)
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.peak, len(w.procs)
}

// scanChildren classifies the processes not seen before and returns the
// map; each /proc/PID/stat is read once per process.
func scanChildren(parent int, binaries []string, seen map[int]bool) map[int]bool {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return seen
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if _, ok := seen[pid]; ok {
			continue
		}
		seen[pid] = false
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil || parentOf(stat) != parent {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil {
			// Not yet exec'd or already gone: look again next time.
			delete(seen, pid)
			continue
		}
		argv0, _, _ := bytes.Cut(cmdline, []byte{0})
		if slices.Contains(binaries, filepath.Base(string(argv0))) {
			seen[pid] = true
		} else {
			// A child that has forked but not yet exec'd the provider.
			delete(seen, pid)
		}
	}
	return seen
}

// parentOf reads the ppid from /proc/PID/stat; the command name in
// parentheses may itself hold spaces and parentheses.
func parentOf(stat []byte) int {
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return -1
	}
	f := strings.Fields(string(stat[i+1:]))
	if len(f) < 2 {
		return -1
	}
	ppid, err := strconv.Atoi(f[1])
	if err != nil {
		return -1
	}
	return ppid
}

func readVmHWM(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	return parseVmHWM(b)
}

// parseVmHWM reads "VmHWM:   12345 kB" from /proc/PID/status, in bytes.
func parseVmHWM(status []byte) int64 {
	for _, line := range strings.Split(string(status), "\n") {
		rest, ok := strings.CutPrefix(line, "VmHWM:")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) == 0 {
			return 0
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0
		}
		return kb * 1024
	}
	return 0
}
