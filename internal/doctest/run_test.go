//go:build unix

package doctest

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runDoc parses src and runs it with a HOME and a working directory of its
// own, and a PATH whose first directory is bin (for fake commands).
func runDoc(t *testing.T, src string, configure ...func(*Runner)) (Result, string, error) {
	t.Helper()
	doc, err := Parse("guide.md", src)
	if err != nil {
		t.Fatal(err)
	}
	base := t.TempDir()
	work, home, scratch, bin := filepath.Join(base, "work"), filepath.Join(base, "home"), filepath.Join(base, "scratch"), filepath.Join(base, "bin")
	for _, d := range []string{work, home, scratch, bin} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	r := &Runner{
		Env:     []string{"HOME=" + home, "PATH=" + bin + ":" + os.Getenv("PATH")},
		Timeout: 20 * time.Second,
		Logf:    t.Logf,
	}
	for _, c := range configure {
		c(r)
	}
	res, err := r.Run(doc, work, scratch)
	return res, base, err
}

func TestRun_blocksShareOneShell(t *testing.T) {
	res, base, err := runDoc(t, "```sh\nmkdir sub && cd sub\nexport GREETING=hello\nname=doc\n```\n"+
		"Then:\n\n```console\n$ echo \"$GREETING $name\" > out.txt\n$ pwd >> out.txt\n```\n")
	if err != nil {
		t.Fatal(err)
	}
	if res.Ran != 2 {
		t.Errorf("ran %d blocks, want 2", res.Ran)
	}
	got, _ := os.ReadFile(filepath.Join(base, "work/sub/out.txt"))
	if want := "hello doc\n" + filepath.Join(base, "work/sub") + "\n"; string(got) != want {
		t.Errorf("out.txt = %q, want %q", got, want)
	}
}

// A failing command stops the document and the failure says where, what
// ran and what it printed; nothing after it runs.
func TestRun_failureNamesDocumentLineCommandAndOutput(t *testing.T) {
	src := "# Guide\n\n```sh\necho first\n```\n\n```sh\necho about to fail\nls /nonexistent-doctest-dir\necho not reached\n```\n\n```sh\ntouch later-block-ran\n```\n"
	res, base, err := runDoc(t, src)
	var f *Failure
	if !errors.As(err, &f) {
		t.Fatalf("want a *Failure, got %v", err)
	}
	msg := f.Error()
	for _, want := range []string{
		"guide.md:7: sh block failed: exit status 2",
		"--- command\n    echo about to fail\n    ls /nonexistent-doctest-dir\n    echo not reached",
		"about to fail",
		"/nonexistent-doctest-dir",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("failure does not say %q:\n%s", want, msg)
		}
	}
	if strings.Contains(f.Output, "first") {
		t.Errorf("the failure's output has an earlier block's output:\n%s", f.Output)
	}
	if strings.Contains(f.Output, "not reached") {
		t.Errorf("the block went on after the failing command:\n%s", f.Output)
	}
	if res.Ran != 1 {
		t.Errorf("ran %d blocks before the failure, want 1", res.Ran)
	}
	if _, err := os.Stat(filepath.Join(base, "work/later-block-ran")); err == nil {
		t.Error("a block after the failure ran")
	}
}

func TestRun_blocksReadNoInput(t *testing.T) {
	// A command that waits for input would otherwise hang, or swallow the
	// harness's next commands.
	_, base, err := runDoc(t, "```sh\ncat > got.txt\n```\n```sh\necho next > next.txt\n```\n")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(base, "work/got.txt")); len(got) != 0 {
		t.Errorf("the block read %q", got)
	}
	if got, _ := os.ReadFile(filepath.Join(base, "work/next.txt")); string(got) != "next\n" {
		t.Errorf("the next block did not run: %q", got)
	}
}

func TestRun_timeout(t *testing.T) {
	start := time.Now()
	_, _, err := runDoc(t, "<!-- doctest: timeout 1s -->\n```sh\necho sleeping\nsleep 30\n```\n")
	var f *Failure
	if !errors.As(err, &f) || !strings.Contains(f.Error(), "guide.md:2: sh block failed: timed out after 1s") || !strings.Contains(f.Output, "sleeping") {
		t.Fatalf("want a timeout failure with the output so far, got %v", err)
	}
	if d := time.Since(start); d > 15*time.Second {
		t.Errorf("a timed-out document took %s to stop", d)
	}
}

// alive reports whether pid runs: a zombie, dead but not yet reaped by
// process 1, does not.
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return syscall.Kill(pid, 0) == nil
	}
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	return len(f) > 0 && f[0] != "Z"
}

// runningSh is alive in shell, for checks between blocks.
const runningSh = "running() { s=$(cut -d' ' -f3 /proc/$1/stat 2>/dev/null) && [ \"$s\" != Z ]; }\n"

func readPID(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

// A background block keeps running for the blocks after it and is stopped,
// with what it started, at the end of the document.
func TestRun_backgroundRunsUntilTheDocumentEnds(t *testing.T) {
	src := "<!-- doctest: background until \"ready\" -->\n```sh\nexport STARTED_BY=doc\nbash -c 'sleep 300 & echo $! > child.pid; echo ready; wait'\n```\n" +
		"```sh\n" + runningSh + "running \"$(cat child.pid)\"\necho \"$STARTED_BY\" > checked.txt\n```\n"
	_, base, err := runDoc(t, src)
	if err != nil {
		t.Fatal(err)
	}
	// The commands before the last ran in the session, as in a terminal.
	if got, err := os.ReadFile(filepath.Join(base, "work/checked.txt")); err != nil || string(got) != "doc\n" {
		t.Errorf("the block after the background block did not see it running, or what it exported: %q %v", got, err)
	}
	child := readPID(t, filepath.Join(base, "work/child.pid"))
	if alive(child) {
		_ = syscall.Kill(child, syscall.SIGKILL)
		t.Errorf("the background block's child %d outlived the document", child)
	}
}

func TestRun_untilStopsTheBlockOnceItIsReady(t *testing.T) {
	src := "<!-- doctest: until \"listening\" -->\n```sh\nsh -c 'echo $$ > server.pid; echo listening; exec sleep 300'\n```\n" +
		"```sh\n" + runningSh + "if running \"$(cat server.pid)\"; then echo still running; exit 1; fi\n```\n"
	if _, _, err := runDoc(t, src); err != nil {
		t.Fatalf("the server was still running after until: %v", err)
	}
}

func TestRun_stopEndsBackgroundBlocks(t *testing.T) {
	src := "<!-- doctest: background until \"up\" -->\n```sh\nsh -c 'echo $$ > a.pid; echo up; exec sleep 300'\n```\n" +
		"<!-- doctest: stop -->\n" +
		"```sh\n" + runningSh + "if running \"$(cat a.pid)\"; then echo still running; exit 1; fi\n```\n"
	if _, _, err := runDoc(t, src); err != nil {
		t.Fatalf("the background block was still running after stop: %v", err)
	}
}

func TestRun_backgroundBlockThatEndsEarly(t *testing.T) {
	_, _, err := runDoc(t, "<!-- doctest: background until \"listening on\" -->\n```sh\necho 'listen: address already in use'\nexit 3\n```\n")
	var f *Failure
	if !errors.As(err, &f) {
		t.Fatalf("want a *Failure, got %v", err)
	}
	for _, want := range []string{`guide.md:2: sh block failed: it ended (exit status 3) before its output showed "listening on"`, "address already in use"} {
		if !strings.Contains(f.Error(), want) {
			t.Errorf("failure does not say %q:\n%s", want, f.Error())
		}
	}
}

func TestRun_skipsSayWhy(t *testing.T) {
	src := "<!-- doctest: skip (would run the whole suite) -->\n```sh\nexit 1\n```\n" +
		"<!-- doctest: needs terraform 1.14 -->\n```sh\nexit 1\n```\n" +
		"```json\n{}\n```\n"
	res, _, err := runDoc(t, src, func(r *Runner) { r.CLI = "Terraform v1.11.4" })
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"guide.md:2: would run the whole suite", "guide.md:6: needs Terraform 1.14 or later, and the CLI is Terraform v1.11.4"}
	if strings.Join(res.Skipped, "\n") != strings.Join(want, "\n") || res.Ran != 0 {
		t.Errorf("ran %d, skipped %q; want none run and %q", res.Ran, res.Skipped, want)
	}
	res, _, err = runDoc(t, "<!-- doctest: needs terraform 1.14 -->\n```sh\nexit 1\n```\n", func(r *Runner) { r.CLI = "OpenTofu v1.12.6" })
	if err != nil || len(res.Skipped) != 1 {
		t.Errorf("OpenTofu ran a block that needs Terraform: %v %q", err, res.Skipped)
	}
	_, _, err = runDoc(t, "<!-- doctest: needs terraform 1.14 -->\n```sh\nexit 1\n```\n", func(r *Runner) { r.CLI = "Terraform v1.15.0" })
	if err == nil {
		t.Error("Terraform 1.15 skipped a block that needs 1.14")
	}
}

// fakeTerraform puts a terraform on PATH that records its arguments and
// whose plan exits with planStatus.
func fakeTerraform(t *testing.T, base string, planStatus int) {
	t.Helper()
	script := "#!/usr/bin/env bash\necho \"$PWD: $*\" >> " + filepath.Join(base, "terraform.calls") + "\n" +
		"case $1 in plan) echo 'Plan: 1 to add'; exit " + strconv.Itoa(planStatus) + " ;; esac\n"
	if err := os.WriteFile(filepath.Join(base, "bin/terraform"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
}

func TestRun_applyWritesFilesAndPlansClean(t *testing.T) {
	src := "<!-- doctest: file mod/vars.tf\nvariable \"v\" {}\n-->\n" +
		"<!-- doctest: apply mod/main.tf -->\n```terraform\nresource \"x\" \"y\" {}\n```\n"
	var base string
	_, base, err := runDoc(t, src, func(r *Runner) {
		base = filepath.Dir(strings.TrimPrefix(r.Env[0], "HOME="))
		fakeTerraform(t, base, 0)
	})
	if err != nil {
		t.Fatal(err)
	}
	for f, want := range map[string]string{"mod/vars.tf": "variable \"v\" {}\n", "mod/main.tf": "resource \"x\" \"y\" {}\n"} {
		if got, _ := os.ReadFile(filepath.Join(base, "work", f)); string(got) != want {
			t.Errorf("%s = %q, want %q", f, got, want)
		}
	}
	calls, _ := os.ReadFile(filepath.Join(base, "terraform.calls"))
	mod := filepath.Join(base, "work/mod")
	want := mod + ": apply -auto-approve -input=false -no-color\n" + mod + ": plan -detailed-exitcode -input=false -no-color\n"
	if string(calls) != want {
		t.Errorf("terraform ran\n%s\nwant\n%s", calls, want)
	}
}

func TestRun_applyThatWouldChangeAgainFails(t *testing.T) {
	src := "<!-- doctest: apply main.tf -->\n```hcl\nresource \"x\" \"y\" {}\n```\n"
	_, _, err := runDoc(t, src, func(r *Runner) {
		fakeTerraform(t, filepath.Dir(strings.TrimPrefix(r.Env[0], "HOME=")), 2)
	})
	var f *Failure
	if !errors.As(err, &f) {
		t.Fatalf("want a *Failure, got %v", err)
	}
	for _, want := range []string{"guide.md:2: apply of main.tf (hcl block) failed: exit status 2", "the plan after the apply shows changes", "Plan: 1 to add"} {
		if !strings.Contains(f.Error(), want) {
			t.Errorf("failure does not say %q:\n%s", want, f.Error())
		}
	}
}

func TestRun_fileInHome(t *testing.T) {
	var home string
	_, _, err := runDoc(t, "<!-- doctest: file ~/.terraformrc -->\n```hcl\nprovider_installation {}\n```\n", func(r *Runner) {
		home = strings.TrimPrefix(r.Env[0], "HOME=")
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(home, ".terraformrc")); string(got) != "provider_installation {}\n" {
		t.Errorf("~/.terraformrc = %q", got)
	}
}

func TestRun_devOverridesWritesTheCLIConfiguration(t *testing.T) {
	var home string
	_, _, err := runDoc(t, "<!-- doctest: dev-overrides -->\n", func(r *Runner) {
		home = strings.TrimPrefix(r.Env[0], "HOME=")
		r.ProviderDir = "/opt/provider build"
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(home, ".terraformrc"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"registry.terraform.io/tfpersonalize/personalize" = "/opt/provider build"`,
		`"registry.opentofu.org/tfpersonalize/personalize" = "/opt/provider build"`,
	} {
		if !strings.Contains(string(got), want) {
			t.Errorf("~/.terraformrc lacks %s:\n%s", want, got)
		}
	}
}

// Two documents that start a server on the same fixed address do not meet
// when each has a network namespace of its own.
func TestRun_isolatedDocumentsHaveTheirOwnLoopback(t *testing.T) {
	src := "<!-- doctest: background until \"listening\" -->\n```sh\nexec python3 -c 'import socket,time; s=socket.socket(); s.bind((\"127.0.0.1\", 4599)); s.listen(); print(\"listening\", flush=True); time.sleep(300)'\n```\n"
	doc, err := Parse("guide.md", src)
	if err != nil {
		t.Fatal(err)
	}
	var sessions []*Session
	defer func() {
		for _, s := range sessions {
			s.Close()
		}
	}()
	for i := range 2 {
		base := t.TempDir()
		r := &Runner{Env: []string{"HOME=" + base, "PATH=" + os.Getenv("PATH")}, Timeout: 20 * time.Second, Isolate: true}
		s, err := r.Start(doc, base, base)
		if err != nil {
			t.Fatal(err)
		}
		sessions = append(sessions, s)
		if why := s.SharedNetwork(); why != "" {
			t.Skipf("this system gives no network namespace: %s", why)
		}
		if _, err := s.Step(doc.Blocks[0]); err != nil {
			t.Fatalf("document %d could not listen on 127.0.0.1:4599: %v", i+1, err)
		}
	}
}

// curl exits 0 on an HTTP error; in a document, the error a reader would
// see fails the step.
func TestRun_curlFailsOnHTTPErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ok" {
			fmt.Fprintln(w, `{"status":"ok"}`)
			return
		}
		http.Error(w, `{"message":"unknown field \"seeds\""}`, http.StatusBadRequest)
	}))
	defer srv.Close()
	if _, _, err := runDoc(t, "```sh\ncurl -s "+srv.URL+"/ok\n```\n"); err != nil {
		t.Fatalf("a curl that got 200 failed: %v", err)
	}
	_, _, err := runDoc(t, "```sh\ncurl -s -X POST "+srv.URL+"/faults -d '{\"seeds\": 1}'\n```\n")
	var f *Failure
	if !errors.As(err, &f) || !strings.Contains(f.Error(), "exit status 22") || !strings.Contains(f.Output, `unknown field \"seeds\"`) {
		t.Fatalf("want a failure with curl's exit status 22 and the answer, got %v", err)
	}
}
