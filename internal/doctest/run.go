//go:build unix

package doctest

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"
	"time"
)

// DefaultTimeout is a block's time limit when its marker sets none: enough
// for a build of the provider with a cold cache on two cores.
const DefaultTimeout = 4 * time.Minute

// Runner runs documents.
type Runner struct {
	// Env is the environment of each document's shell.
	Env []string
	// ProviderDir holds the terraform-provider-personalize binary the
	// dev-overrides step points at; "" makes that step an error.
	ProviderDir string
	// CLI is what `terraform version` says the CLI in Env's PATH is,
	// "Terraform v1.11.4" or "OpenTofu v1.12.6", for needs markers.
	CLI string
	// Timeout is the time limit of a block without one of its own.
	Timeout time.Duration
	// Logf reports progress: each block as it runs, each skip and why.
	Logf func(format string, args ...any)
	// Isolate runs each document in a network namespace of its own where
	// the system allows it, so that the fixed addresses documents use
	// (the emulator's 127.0.0.1:4599) are the document's alone.
	Isolate bool
}

// Result counts what a document ran.
type Result struct {
	Ran     int
	Skipped []string // "README.md:91: why"
}

// Failure is a block that failed: where, what ran, and what it printed.
type Failure struct {
	Doc     string
	Line    int
	What    string // "sh block", "hidden block", "apply of main.tf"
	Err     error
	Command string
	Output  string
}

func (f *Failure) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d: %s failed: %v\n", f.Doc, f.Line, f.What, f.Err)
	b.WriteString("--- command\n")
	b.WriteString(indent(strings.TrimRight(f.Command, "\n")))
	b.WriteString("\n--- output")
	out := strings.TrimRight(stripANSI(f.Output), "\n")
	lines := strings.Split(out, "\n")
	const keep = 120
	if len(lines) > keep {
		fmt.Fprintf(&b, " (the last %d of %d lines)", keep, len(lines))
		lines = lines[len(lines)-keep:]
	}
	b.WriteString("\n")
	if out == "" {
		b.WriteString("    (none)")
	} else {
		b.WriteString(indent(strings.Join(lines, "\n")))
	}
	return b.String()
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*[A-Za-z]")

func stripANSI(s string) string { return ansi.ReplaceAllString(s, "") }

// Run runs doc's blocks in order in one shell whose directory is workDir;
// scratch keeps the blocks' files and logs. It stops at the first block
// that fails, with a *Failure.
func (r *Runner) Run(doc Document, workDir, scratch string) (Result, error) {
	var res Result
	d, err := r.Start(doc, workDir, scratch)
	if err != nil {
		return res, err
	}
	defer d.Close()
	for _, b := range doc.Blocks {
		if !b.Runs() {
			continue
		}
		skipped, err := d.Step(b)
		if err != nil {
			return res, err
		}
		if skipped != "" {
			res.Skipped = append(res.Skipped, fmt.Sprintf("%s:%d: %s", doc.Name, b.Line, skipped))
			continue
		}
		res.Ran++
	}
	return res, nil
}

// Session is a document being run: one shell, blocks sent to it in order.
type Session struct {
	r   *Runner
	doc Document
	s   *session
}

// Start opens the shell of a document run in workDir; scratch keeps the
// blocks' files and logs.
func (r *Runner) Start(doc Document, workDir, scratch string) (*Session, error) {
	if r.Logf == nil {
		r.Logf = func(string, ...any) {}
	}
	s, err := startSession(workDir, scratch, r.Env, r.Isolate)
	if err != nil {
		return nil, err
	}
	return &Session{r: r, doc: doc, s: s}, nil
}

// SharedNetwork says why the document's shell shares the machine's
// network, or is "" when it has a network namespace of its own.
func (d *Session) SharedNetwork() string { return d.s.sharedNetwork }

// Close stops what the document left running: its background blocks, the
// shell, and any process of the shell's process group.
func (d *Session) Close() { d.s.close() }

// Runs reports whether the harness does anything with the block: a block
// in another language than shell or Terraform does nothing unless a marker
// writes it to a file.
func (b Block) Runs() bool { return b.Kind != Other || b.File != "" }

// Step runs one block. It returns why it skipped the block, or a *Failure
// when the block failed; after a failure the rest of the document cannot
// run in this session.
func (d *Session) Step(b Block) (skipped string, err error) {
	r, s, doc := d.r, d.s, d.doc
	what := describe(b)
	if !b.Runs() {
		return "", nil
	}
	if b.Skip != "" {
		return b.Skip, nil
	}
	if why := r.unmet(b.Needs); why != "" {
		return why, nil
	}
	timeout := b.Timeout
	if timeout == 0 {
		timeout = r.Timeout
	}
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	start := time.Now()
	fail := func(err error, command, output string) error {
		if errors.Is(err, errTimeout) {
			err = fmt.Errorf("%w after %s (raise it with <!-- doctest: timeout DURATION -->)", err, timeout)
		}
		return &Failure{Doc: doc.Name, Line: b.Line, What: what, Err: err, Command: command, Output: output}
	}
	// script runs commands in the session: the block's, or the harness's
	// own for it.
	script := func(command string) error {
		file, err := s.blockFile(b.Line, ".sh", command)
		if err != nil {
			return err
		}
		offset := s.logSize()
		if err := s.run(file, timeout); err != nil {
			return fail(err, command, s.logSince(offset))
		}
		return nil
	}
	switch {
	case b.Kind == DevOverrides:
		if r.ProviderDir == "" {
			return "", fail(errors.New("no provider build to point dev_overrides at"), "", "")
		}
		cfg, err := s.blockFile(b.Line, ".tfrc", devOverrides(r.ProviderDir))
		if err != nil {
			return "", err
		}
		if err := script("cp " + shellQuote(cfg) + " ~/.terraformrc\n"); err != nil {
			return "", err
		}
		r.Logf("%s:%d: ~/.terraformrc: dev_overrides for tfpersonalize/personalize → %s", doc.Name, b.Line, r.ProviderDir)
	case b.Kind == Stop:
		s.stopBackground()
		r.Logf("%s:%d: stopped the background blocks", doc.Name, b.Line)
	case b.File != "":
		src, err := s.blockFile(b.Line, "-"+path.Base(b.File), b.Body)
		if err != nil {
			return "", err
		}
		if err := script(fmt.Sprintf("mkdir -p %s && cp %s %s\n", shellPath(path.Dir(b.File)), shellQuote(src), shellPath(b.File))); err != nil {
			return "", err
		}
		if b.Apply {
			dir := path.Dir(b.File)
			what = "apply of " + b.File + " (" + what + ")"
			if err := script(applyScript(dir)); err != nil {
				return "", err
			}
			r.Logf("%s:%d: applied %s with the files of %s/ (%s)", doc.Name, b.Line, b.File, dir, since(start))
		} else {
			r.Logf("%s:%d: wrote %s", doc.Name, b.Line, b.File)
		}
	case b.Until != "":
		// As in a terminal, the commands before the last run in the
		// session (what they export holds for the next blocks); the last
		// one is the server that keeps running.
		setup, last := splitLastCommand(b.Body)
		if strings.TrimSpace(setup) != "" {
			if err := script(setup); err != nil {
				return "", err
			}
		}
		file, err := s.blockFile(b.Line, ".sh", last)
		if err != nil {
			return "", err
		}
		bg, err := s.startBackground(file)
		if err != nil {
			return "", fail(err, b.Body, "")
		}
		out, err := bg.untilOutput(b.Until, timeout)
		if err != nil {
			return "", fail(err, b.Body, out)
		}
		if b.Background {
			r.Logf("%s:%d: %s running in the background: its output showed %q (%s)", doc.Name, b.Line, what, b.Until, since(start))
		} else {
			s.stop(bg)
			r.Logf("%s:%d: %s showed %q, stopped it (%s)", doc.Name, b.Line, what, b.Until, since(start))
		}
	case b.Kind == Shell:
		if err := script(b.Body); err != nil {
			return "", err
		}
		r.Logf("%s:%d: ran %s (%s)", doc.Name, b.Line, what, since(start))
	}
	return "", nil
}

// shellPath quotes a path of a file marker for bash, ~/ as the HOME.
func shellPath(p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		return `"$HOME"/` + shellQuote(rest)
	}
	return shellQuote(p)
}

func since(t time.Time) string { return time.Since(t).Round(100 * time.Millisecond).String() }

func describe(b Block) string {
	switch {
	case b.Kind == DevOverrides:
		return "dev-overrides step"
	case b.Kind == Stop:
		return "stop step"
	case b.Hidden:
		return "hidden block"
	case b.Lang == "":
		return "block"
	}
	return b.Lang + " block"
}

// applyScript applies the configuration in dir and checks that applying
// it again would change nothing.
func applyScript(dir string) string {
	return fmt.Sprintf(`(
  cd %s
  terraform apply -auto-approve -input=false -no-color
  status=0
  terraform plan -detailed-exitcode -input=false -no-color || status=$?
  if [ "$status" = 2 ]; then
    echo "doctest: the plan after the apply shows changes: applying this configuration again would change it" >&2
  fi
  exit "$status"
)
`, shellQuote(dir))
}

// devOverrides is a CLI configuration that takes the provider from dir,
// under both the Terraform and the OpenTofu address.
func devOverrides(dir string) string {
	return fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/tfpersonalize/personalize" = %[1]q
    "registry.opentofu.org/tfpersonalize/personalize" = %[1]q
  }
  direct {}
}
`, dir)
}

// unmet says why a block that needs Terraform minimum cannot run on the
// CLI, or "" when it can.
func (r *Runner) unmet(minimum string) string {
	if minimum == "" {
		return ""
	}
	have, ok := strings.CutPrefix(r.CLI, "Terraform v")
	if !ok || versionLess(have, minimum) {
		cli := r.CLI
		if cli == "" {
			cli = "an unknown CLI"
		}
		return fmt.Sprintf("needs Terraform %s or later, and the CLI is %s", minimum, cli)
	}
	return ""
}
