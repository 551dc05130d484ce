package acctest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
)

// ProviderAddress is the provider's source address under the CLI under
// test, the key of dev_overrides: "tfpersonalize/personalize" means
// registry.terraform.io/tfpersonalize/personalize to Terraform and
// registry.opentofu.org/tfpersonalize/personalize to OpenTofu.
func ProviderAddress() string {
	return ProviderHost() + "/tfpersonalize/personalize"
}

// CLI drives the terraform binary as a subprocess, the way a user runs it:
// with a provider binary built from this module, reached through a CLI
// configuration with dev_overrides. terraform-plugin-testing cannot send
// an interrupt or let a test stop the API in the middle of an apply; this can.
type CLI struct {
	// Dir is the working directory: main.tf, terraform.tfstate, plans.
	Dir string
	// Env is the environment of every terraform run; tests may append to it.
	Env []string

	bin       string
	cliConfig string
	t         *testing.T
}

var providerBuild struct {
	once sync.Once
	dir  string
	err  error
}

// NewCLI returns a terraform runner with a working directory of its own. It
// skips the test when terraform is not on PATH, and fails it when the
// provider does not build. The provider is built once per test binary.
func NewCLI(t *testing.T) *CLI {
	t.Helper()
	bin, err := Binary()
	if err != nil {
		t.Skipf("%s: the CLI tests need terraform or OpenTofu (https://developer.hashicorp.com/terraform/install)", err)
	}
	pluginDir, err := buildProvider()
	if err != nil {
		t.Fatalf("building the provider: %s", err)
	}
	home := t.TempDir()
	cliConfig := filepath.Join(home, "terraform.rc")
	if err := writeOverride(cliConfig, pluginDir); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(home, "work")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// Without a source address the type name would mean hashicorp/personalize.
	versions := "terraform {\n  required_providers {\n    personalize = { source = \"tfpersonalize/personalize\" }\n  }\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "versions.tf"), []byte(versions), 0o644); err != nil {
		t.Fatal(err)
	}
	return &CLI{Dir: dir, Env: cliEnviron(cliConfig), bin: bin, cliConfig: cliConfig, t: t}
}

// writeOverride writes a CLI configuration that takes the provider from the
// binary terraform-provider-personalize in pluginDir.
func writeOverride(cliConfig, pluginDir string) error {
	rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", ProviderAddress(), pluginDir)
	return os.WriteFile(cliConfig, []byte(rc), 0o644)
}

// UseProvider makes the next terraform runs take the provider from the
// terraform-provider-personalize binary in pluginDir, such as one built from
// an older commit, instead of this module's build.
func (c *CLI) UseProvider(pluginDir string) {
	c.t.Helper()
	if err := writeOverride(c.cliConfig, pluginDir); err != nil {
		c.t.Fatal(err)
	}
}

// UseCurrentProvider switches the next terraform runs back to the provider
// built from this module.
func (c *CLI) UseCurrentProvider() {
	c.t.Helper()
	pluginDir, err := buildProvider()
	if err != nil {
		c.t.Fatalf("building the provider: %s", err)
	}
	c.UseProvider(pluginDir)
}

// cliEnviron is this process's environment without what would change how
// terraform or the provider behave (logging, other CLI configuration, AWS
// settings of the machine), plus the CLI configuration with the override.
func cliEnviron(cliConfig string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(name, "TF_"), strings.HasPrefix(name, "AWS_"), strings.HasPrefix(name, "CHECKPOINT_"):
			continue
		}
		env = append(env, kv)
	}
	dir := filepath.Dir(cliConfig)
	return append(env,
		"TF_CLI_CONFIG_FILE="+cliConfig,
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"CHECKPOINT_DISABLE=1",
		// The machine's AWS files must not lend the provider credentials.
		"AWS_CONFIG_FILE="+filepath.Join(dir, "no-aws-config"),
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "no-aws-credentials"),
		"AWS_EC2_METADATA_DISABLED=true",
	)
}

// buildProvider builds the provider into a directory named after this
// process, removing the directories that processes no longer running left
// behind (a test binary has no hook to clean up after its last test).
func buildProvider() (string, error) {
	providerBuild.once.Do(func() {
		pattern := filepath.Join(os.TempDir(), "personalize-acctest-provider-*")
		if stale, err := filepath.Glob(pattern); err == nil {
			for _, d := range stale {
				pid, err := strconv.Atoi(strings.TrimPrefix(filepath.Base(d), "personalize-acctest-provider-"))
				if err == nil && pid != os.Getpid() && !processAlive(pid) {
					os.RemoveAll(d)
				}
			}
		}
		dir := filepath.Join(os.TempDir(), fmt.Sprintf("personalize-acctest-provider-%d", os.Getpid()))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			providerBuild.err = err
			return
		}
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-personalize"),
			"-ldflags", "-X main.version=acctest", "github.com/tfpersonalize/terraform-provider-personalize")
		if out, err := cmd.CombinedOutput(); err != nil {
			providerBuild.err = fmt.Errorf("go build: %w\n%s", err, out)
			return
		}
		providerBuild.dir = dir
	})
	return providerBuild.dir, providerBuild.err
}

func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	return p.Signal(syscall.Signal(0)) == nil
}

// WriteConfig replaces the working directory's main.tf (versions.tf beside
// it already requires the provider).
func (c *CLI) WriteConfig(hcl string) {
	c.t.Helper()
	if err := os.WriteFile(filepath.Join(c.Dir, "main.tf"), []byte(hcl), 0o644); err != nil {
		c.t.Fatal(err)
	}
}

// Result is what a finished terraform run printed and how it exited.
type Result struct {
	Args     []string
	Stdout   string
	Stderr   string
	ExitCode int
}

// Output is stdout and stderr together, for matching messages wherever
// terraform prints them.
func (r *Result) Output() string { return r.Stdout + r.Stderr }

func (r *Result) String() string {
	return fmt.Sprintf("terraform %s exited %d\n--- stdout\n%s\n--- stderr\n%s", strings.Join(r.Args, " "), r.ExitCode, r.Stdout, r.Stderr)
}

// Run runs terraform with args to the end, within timeout.
func (c *CLI) Run(timeout time.Duration, args ...string) *Result {
	c.t.Helper()
	p := c.Start(args...)
	select {
	case <-p.done:
	case <-time.After(timeout):
		p.kill()
		c.t.Fatalf("terraform %s did not finish within %s\n%s", strings.Join(args, " "), timeout, p.Wait())
	}
	return p.Wait()
}

// MustRun is Run that fails the test unless terraform exits 0.
func (c *CLI) MustRun(timeout time.Duration, args ...string) *Result {
	c.t.Helper()
	r := c.Run(timeout, args...)
	if r.ExitCode != 0 {
		c.t.Fatalf("%s", r)
	}
	return r
}

// Process is a terraform run in progress.
type Process struct {
	cmd            *exec.Cmd
	args           []string
	stdout, stderr lockedBuffer
	done           chan struct{}
	result         *Result
}

// Start starts terraform with args; the test's cleanup kills it if it is
// still running then.
func (c *CLI) Start(args ...string) *Process {
	c.t.Helper()
	p := &Process{args: args, done: make(chan struct{})}
	p.cmd = exec.Command(c.bin, args...)
	p.cmd.Dir = c.Dir
	p.cmd.Env = c.Env
	p.cmd.Stdout = &p.stdout
	p.cmd.Stderr = &p.stderr
	ownProcessGroup(p.cmd)
	if err := p.cmd.Start(); err != nil {
		c.t.Fatalf("starting %s: %s", c.bin, err)
	}
	go func() {
		err := p.cmd.Wait()
		code := 0
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitCode()
		} else if err != nil {
			code = -1
		}
		p.result = &Result{Args: args, Stdout: p.stdout.String(), Stderr: p.stderr.String(), ExitCode: code}
		close(p.done)
	}()
	c.t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			p.kill()
			<-p.done
		}
	})
	return p
}

func (p *Process) kill() { _ = killProcessGroup(p.cmd) }

// Kill ends terraform and the providers it started with SIGKILL, as a
// machine that loses power or an OOM killer does: nothing gets to clean up,
// not the state lock, not the state of resources still being created. It
// returns once terraform is gone.
func (p *Process) Kill() error {
	err := killProcessGroup(p.cmd)
	<-p.done
	return err
}

// Interrupt sends terraform what Ctrl-C sends it. A terminal would signal the
// provider too; go-plugin providers ignore that and stop when terraform tells
// them to, which is the path this exercises.
func (p *Process) Interrupt() error {
	return p.cmd.Process.Signal(os.Interrupt)
}

// Output is what terraform has printed so far.
func (p *Process) Output() string { return p.stdout.String() + p.stderr.String() }

// Done is closed when terraform has exited.
func (p *Process) Done() <-chan struct{} { return p.done }

// Wait waits for terraform to exit.
func (p *Process) Wait() *Result {
	<-p.done
	return p.result
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// StateResource is one resource instance in a state file.
type StateResource struct {
	Address    string
	Type       string
	Tainted    bool
	Attributes map[string]any
}

// State reads the working directory's terraform.tfstate; it returns nothing
// when there is no state yet, or the file is empty.
func (c *CLI) State() []StateResource {
	c.t.Helper()
	raw, err := os.ReadFile(filepath.Join(c.Dir, "terraform.tfstate"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		c.t.Fatal(err)
	}
	// The local backend creates the file empty when it takes the lock, and
	// an apply killed before its first snapshot leaves it so: no state.
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil
	}
	var st struct {
		Resources []struct {
			Mode      string `json:"mode"`
			Type      string `json:"type"`
			Name      string `json:"name"`
			Instances []struct {
				IndexKey   any            `json:"index_key"`
				Status     string         `json:"status"`
				Attributes map[string]any `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		c.t.Fatalf("terraform.tfstate: %s", err)
	}
	var out []StateResource
	for _, r := range st.Resources {
		if r.Mode != "managed" {
			continue
		}
		for _, inst := range r.Instances {
			addr := r.Type + "." + r.Name
			switch k := inst.IndexKey.(type) {
			case float64:
				addr += fmt.Sprintf("[%d]", int(k))
			case string:
				addr += fmt.Sprintf("[%q]", k)
			}
			out = append(out, StateResource{Address: addr, Type: r.Type, Tainted: inst.Status == "tainted", Attributes: inst.Attributes})
		}
	}
	return out
}

// EmulatorServer is an emulator served on a loopback address that stays the
// same when the server is stopped and started again, as a service that
// restarts under a running terraform does.
type EmulatorServer struct {
	Emulator *emulator.Emulator
	Addr     string
	URL      string

	srv *http.Server
}

// StartEmulatorServer serves a new emulator with cfg on addr ("127.0.0.1:0"
// picks a free port). The test's cleanup stops it.
func StartEmulatorServer(t *testing.T, addr string, cfg emulator.Config) *EmulatorServer {
	t.Helper()
	em, err := emulator.New(cfg)
	if err != nil {
		t.Fatalf("starting the emulator: %s", err)
	}
	var ln net.Listener
	// The port of a server just stopped can take a moment to be free again.
	for deadline := time.Now().Add(10 * time.Second); ; {
		ln, err = net.Listen("tcp", addr)
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		em.Close()
		t.Fatalf("listening on %s: %s", addr, err)
	}
	s := &EmulatorServer{Emulator: em, Addr: ln.Addr().String(), srv: &http.Server{Handler: em, ReadHeaderTimeout: 10 * time.Second}}
	s.URL = "http://" + s.Addr
	go func() { _ = s.srv.Serve(ln) }()
	t.Cleanup(s.Stop)
	return s
}

// Stop closes the listener and every open connection, then the emulator,
// which writes its state file a last time. Stopping twice is harmless.
func (s *EmulatorServer) Stop() {
	_ = s.srv.Close()
	_ = s.Emulator.Close()
}

// ClosedEndpoint is the URL of a loopback port that nothing listens on: a
// connection to it is refused, as to an emulator that is not running.
func ClosedEndpoint(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return "http://" + addr
}

// NewCLIEnv is the environment New makes, for CLI tests that need to choose
// the emulator's configuration and to stop and restart its server: the
// emulator gets cfg with the environment's region, account and seeded local
// S3 filled in, on a free loopback port.
func NewCLIEnv(t *testing.T, cfg emulator.Config) (*Env, *EmulatorServer) {
	t.Helper()
	if TargetAWS() {
		t.Skip("needs an emulator it can configure, stop and restart, which AWS does not offer")
	}
	env := emulatorEnv(t)
	cfg.Region, cfg.AccountID, cfg.S3Dir = env.Region, env.AccountID, env.S3Dir
	srv := StartEmulatorServer(t, "127.0.0.1:0", cfg)
	env.Emulator, env.Endpoint = srv.Emulator, srv.URL
	return env, srv
}

// WaitFor polls cond until it holds, failing the test after timeout.
func WaitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		case <-tick.C:
		}
	}
}
