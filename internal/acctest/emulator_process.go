package acctest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

var emulatorBuild struct {
	once sync.Once
	path string
	err  error
}

// buildEmulator builds the emulator command once per test binary, next to
// the provider build (and cleaned up with it).
func buildEmulator() (string, error) {
	emulatorBuild.once.Do(func() {
		dir, err := buildProvider()
		if err != nil {
			emulatorBuild.err = err
			return
		}
		path := filepath.Join(dir, "personalize-emulator")
		cmd := exec.Command("go", "build", "-o", path, "github.com/tfpersonalize/terraform-provider-personalize/internal/emulator/cmd/personalize-emulator")
		if out, err := cmd.CombinedOutput(); err != nil {
			emulatorBuild.err = fmt.Errorf("go build: %w\n%s", err, out)
			return
		}
		emulatorBuild.path = path
	})
	return emulatorBuild.path, emulatorBuild.err
}

// EmulatorProcess is the emulator command running as a process of its own,
// which a test can kill with SIGKILL, in the middle of whatever it is doing,
// and start again on the same address with the same flags (and so the same
// state file), as a machine that loses power and reboots would.
type EmulatorProcess struct {
	// Addr and URL stay the same across restarts.
	Addr string
	URL  string

	bin    string
	args   []string
	cmd    *exec.Cmd
	exited chan struct{}
	output lockedBuffer // every run's stdout and stderr, for failure messages
	t      *testing.T
}

var listeningLine = regexp.MustCompile(`listening on http://(\S+)\n`)

// StartEmulatorProcess runs the emulator command with args (its flags but
// --listen) on a free loopback port. The test's cleanup kills it.
func StartEmulatorProcess(t *testing.T, args ...string) *EmulatorProcess {
	t.Helper()
	bin, err := buildEmulator()
	if err != nil {
		t.Fatalf("building the emulator: %s", err)
	}
	p := &EmulatorProcess{bin: bin, args: args, t: t}
	p.start("127.0.0.1:0")
	t.Cleanup(func() { p.Kill() })
	return p
}

// start runs the emulator on addr and waits until it listens. The port of a
// process just killed can take a moment to be free again, so a start that
// cannot listen is tried again for a while.
func (p *EmulatorProcess) start(addr string) {
	p.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		cmd := exec.Command(p.bin, append([]string{"--listen", addr}, p.args...)...)
		run := &lockedBuffer{}
		out := io.MultiWriter(run, &p.output)
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			p.t.Fatalf("starting the emulator: %s", err)
		}
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }()
		for !isClosed(exited) && time.Now().Before(deadline) {
			if m := listeningLine.FindStringSubmatch(run.String()); m != nil {
				p.cmd, p.exited = cmd, exited
				p.Addr, p.URL = m[1], "http://"+m[1]
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		if !isClosed(exited) {
			_ = cmd.Process.Kill()
			<-exited
		}
		if !strings.Contains(run.String(), "address already in use") || time.Now().After(deadline) {
			p.t.Fatalf("the emulator did not start on %s:\n%s", addr, run.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func isClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// Kill ends the emulator with SIGKILL, so that it writes nothing more, and
// returns once it is gone. Killing a stopped emulator does nothing.
func (p *EmulatorProcess) Kill() {
	if p.cmd == nil {
		return
	}
	_ = p.cmd.Process.Kill()
	<-p.exited
	p.cmd = nil
}

// Restart starts the emulator again on the same address with the same flags;
// the one running is killed first.
func (p *EmulatorProcess) Restart() {
	p.t.Helper()
	p.Kill()
	p.start(p.Addr)
}

// Output is what every run of the emulator printed, its request log included.
func (p *EmulatorProcess) Output() string { return p.output.String() }

// Stats is the running emulator's GET /_emulator/stats answer.
func (p *EmulatorProcess) Stats() (EmulatorStats, error) {
	var st EmulatorStats
	client := http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(p.URL + "/_emulator/stats")
	if err != nil {
		return st, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return st, fmt.Errorf("GET /_emulator/stats: %s", resp.Status)
	}
	return st, json.NewDecoder(resp.Body).Decode(&st)
}

// EmulatorStats counts the calls an emulator served since it started, and
// the jobs it holds.
type EmulatorStats struct {
	Calls       map[string]int `json:"calls"`
	Jobs        int            `json:"jobs"`
	SegmentJobs int            `json:"segment_jobs"`
}

// NewProcessEnv is an environment whose emulator is a process of its own
// (see EmulatorProcess), started with the environment's region, account and
// seeded local S3, plus args. Env.Emulator is nil: the test reaches the
// emulator through Env.Endpoint and the EmulatorProcess.
func NewProcessEnv(t *testing.T, args ...string) (*Env, *EmulatorProcess) {
	t.Helper()
	if TargetAWS() {
		t.Skip("needs an emulator it can kill and restart, which AWS does not offer")
	}
	env := emulatorEnv(t)
	p := StartEmulatorProcess(t, append([]string{"--region", env.Region, "--account-id", env.AccountID, "--s3-dir", env.S3Dir}, args...)...)
	env.Endpoint = p.URL
	return env, p
}
