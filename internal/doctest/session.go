//go:build unix

package doctest

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// session is one bash process that runs a document's blocks in order, so
// that what one block changes (the directory, exported variables) holds for
// the next, as in a reader's terminal. Commands arrive on its standard
// input; after each block it writes a line on file descriptor 3, which the
// block's own commands do not see. A block never reads the harness's input:
// its standard input is /dev/null, as in CI.
type session struct {
	dir     string // scratch: the blocks' files and logs
	cmd     *exec.Cmd
	stdin   *os.File
	acks    chan string
	exited  chan struct{}
	exitErr error
	logPath string
	bg      []*background
	next    int  // numbers the files of the blocks sent
	stuck   bool // a block outlived its time limit: the shell cannot be asked to end
	// sharedNetwork says why the shell shares the machine's network, or is
	// "" when it has a namespace of its own.
	sharedNetwork string
}

// background is a block started in a process group of its own.
type background struct {
	pgid    int
	logPath string
}

// prelude runs first in every session. A reader sees an HTTP error that
// curl prints as a failed step, so curl fails on one here (curl alone exits
// 0 on a 400 answer); it prints the answer's body all the same.
const prelude = `set -e
curl() { command curl --fail-with-body "$@"; }
`

// startSession starts the shell of a document in workDir. With isolated,
// it gets a network namespace of its own, with only a loopback interface;
// where the system does not allow that, it shares the machine's network,
// and sharedNetwork says why.
func startSession(workDir, scratch string, env []string, isolated bool) (*session, error) {
	s := &session{dir: scratch, acks: make(chan string, 16), exited: make(chan struct{}), logPath: filepath.Join(scratch, "session.log")}
	if !isolated {
		s.sharedNetwork = "not asked for"
	}
	logFile, err := os.Create(s.logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	stdinR, stdinW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer stdinR.Close()
	ackR, ackW, err := os.Pipe()
	if err != nil {
		stdinW.Close()
		return nil, err
	}
	defer ackW.Close()
	start := func() error {
		s.cmd = exec.Command("bash", "--noprofile", "--norc", "-s")
		s.cmd.Dir = workDir
		s.cmd.Env = env
		s.cmd.Stdin = stdinR
		s.cmd.Stdout = logFile
		s.cmd.Stderr = logFile
		s.cmd.ExtraFiles = []*os.File{ackW} // fd 3
		s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if s.sharedNetwork == "" {
			isolate(s.cmd)
		}
		return s.cmd.Start()
	}
	err = start()
	if s.sharedNetwork == "" {
		if err == nil {
			if err = loopbackUp(s.cmd.Process.Pid); err != nil {
				_ = s.cmd.Process.Kill()
				_ = s.cmd.Wait()
			}
		}
		if err != nil {
			s.sharedNetwork = fmt.Sprintf("no network namespace of its own: %v", err)
			err = start()
		}
	}
	if err != nil {
		stdinW.Close()
		ackR.Close()
		return nil, fmt.Errorf("starting bash: %w", err)
	}
	s.stdin = stdinW
	go func() {
		defer ackR.Close()
		sc := bufio.NewScanner(ackR)
		for sc.Scan() {
			s.acks <- sc.Text()
		}
	}()
	go func() {
		s.exitErr = s.cmd.Wait()
		close(s.exited)
	}()
	if _, err := s.stdin.WriteString(prelude); err != nil {
		return nil, err
	}
	return s, nil
}

// blockFile writes body into the session's scratch directory and returns
// its path.
func (s *session) blockFile(line int, suffix, body string) (string, error) {
	s.next++
	p := filepath.Join(s.dir, fmt.Sprintf("%03d-line%d%s", s.next, line, suffix))
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		return "", err
	}
	return p, nil
}

// logSize is where the output of the next block starts.
func (s *session) logSize() int64 {
	info, err := os.Stat(s.logPath)
	if err != nil {
		return 0
	}
	return info.Size()
}

// logSince is the session's output from offset on.
func (s *session) logSince(offset int64) string {
	b, err := os.ReadFile(s.logPath)
	if err != nil || int64(len(b)) < offset {
		return ""
	}
	return string(b[offset:])
}

// errTimeout is a block that ran longer than its time limit.
var errTimeout = errors.New("timed out")

// send writes script to the shell and waits until the shell ran it: it
// then writes "ID VALUE" on descriptor 3, VALUE being what the script left
// in $__doctest_ack. A failing command (set -e) ends the shell; the error
// then says how it ended.
func (s *session) send(script string, timeout time.Duration) (string, error) {
	s.next++
	id := "ack-" + strconv.Itoa(s.next)
	script += "printf '%s %s\\n' " + id + " \"${__doctest_ack:-}\" >&3; __doctest_ack=\n"
	if _, err := s.stdin.WriteString(script); err != nil {
		select {
		case <-s.exited:
			return "", s.exitError()
		default:
			return "", fmt.Errorf("writing to bash: %w", err)
		}
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		select {
		case got := <-s.acks:
			if value, ok := strings.CutPrefix(got, id+" "); ok {
				return value, nil
			}
		case <-s.exited:
			// An acknowledgement written just before the shell ended still counts.
			for {
				select {
				case got := <-s.acks:
					if value, ok := strings.CutPrefix(got, id+" "); ok {
						return value, nil
					}
					continue
				default:
				}
				break
			}
			return "", s.exitError()
		case <-timer.C:
			s.stuck = true
			return "", errTimeout
		}
	}
}

func (s *session) exitError() error {
	var exit *exec.ExitError
	if errors.As(s.exitErr, &exit) {
		if status, ok := exit.Sys().(syscall.WaitStatus); ok && status.Signaled() {
			return fmt.Errorf("the shell was killed by %s", status.Signal())
		}
		return fmt.Errorf("exit status %d", exit.ExitCode())
	}
	if s.exitErr == nil {
		return errors.New("the block ended the shell (exit status 0) before the rest of the document ran")
	}
	return s.exitErr
}

// run sources a block's file in the shell, with no standard input.
func (s *session) run(file string, timeout time.Duration) error {
	_, err := s.send(". "+shellQuote(file)+" </dev/null 3>&-\n", timeout)
	return err
}

// startBackground sources a block's file in a subshell that leads a
// process group of its own (job control is on just while it starts), with
// its output in a log of its own that ends with the line
// "[doctest: exited with status N]" if the block ends.
func (s *session) startBackground(file string) (*background, error) {
	b := &background{logPath: file + ".log"}
	script := "set -m\n" +
		"( set +e; ( set -e; . " + shellQuote(file) + " ); printf '\\n[doctest: exited with status %d]\\n' \"$?\" ) </dev/null >" + shellQuote(b.logPath) + " 2>&1 3>&- &\n" +
		"__doctest_ack=$!\n" +
		"set +m\n"
	pid, err := s.send(script, 30*time.Second)
	if err != nil {
		return nil, err
	}
	if b.pgid, err = strconv.Atoi(pid); err != nil {
		return nil, fmt.Errorf("the shell gave %q as the background block's process ID", pid)
	}
	s.bg = append(s.bg, b)
	return b, nil
}

// stop stops one background block.
func (s *session) stop(b *background) {
	b.stop()
	for i, o := range s.bg {
		if o == b {
			s.bg = append(s.bg[:i], s.bg[i+1:]...)
			break
		}
	}
}

// stopBackground stops every background block still running.
func (s *session) stopBackground() {
	for _, b := range s.bg {
		b.stop()
	}
	s.bg = nil
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// untilOutput waits until the background block's log shows text, the block
// ends, or the time is up.
func (b *background) untilOutput(text string, timeout time.Duration) (string, error) {
	deadline := time.Now().Add(timeout)
	for {
		out, _ := os.ReadFile(b.logPath)
		if strings.Contains(string(out), text) {
			return string(out), nil
		}
		if i := strings.LastIndex(string(out), "[doctest: exited with status "); i >= 0 {
			status := strings.TrimSuffix(strings.TrimSpace(string(out[i+len("[doctest: exited with status "):])), "]")
			return string(out), fmt.Errorf("it ended (exit status %s) before its output showed %q", status, text)
		}
		if time.Now().After(deadline) {
			return string(out), fmt.Errorf("%w: its output did not show %q", errTimeout, text)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop ends the block's process group: SIGTERM, then SIGKILL for what is
// left after a grace period, and waits (a bounded time) until it is gone.
func (b *background) stop() {
	stopGroup(b.pgid, 10*time.Second)
}

func stopGroup(pgid int, grace time.Duration) {
	if pgid <= 0 {
		return
	}
	if syscall.Kill(-pgid, syscall.SIGTERM) != nil {
		return
	}
	if waitGroupGone(pgid, grace) {
		return
	}
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
	waitGroupGone(pgid, 5*time.Second)
}

// waitGroupGone reports whether the process group has no live process
// left within d.
func waitGroupGone(pgid int, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if !groupAlive(pgid) {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

// groupAlive reports whether a process of the group still runs. Zombies do
// not count: an orphan waits to be reaped by process 1, which some
// container inits do only every second or two, and a zombie holds no port
// and writes no file.
func groupAlive(pgid int) bool {
	if errors.Is(syscall.Kill(-pgid, 0), syscall.ESRCH) {
		return false
	}
	stats, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil || len(stats) == 0 {
		return true // no /proc: trust kill
	}
	for _, p := range stats {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		// pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
		i := strings.LastIndexByte(string(b), ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(b[i+1:]))
		if len(f) >= 3 && f[2] == strconv.Itoa(pgid) && f[0] != "Z" && f[0] != "X" {
			return true
		}
	}
	return false
}

// close stops the background blocks, then the shell and anything a block
// left running in its process group.
func (s *session) close() {
	s.stopBackground()
	s.stdin.Close()
	if !s.stuck {
		select {
		case <-s.exited:
		case <-time.After(5 * time.Second):
		}
	}
	stopGroup(s.cmd.Process.Pid, 5*time.Second)
	<-s.exited
}
