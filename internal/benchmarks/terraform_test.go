package benchmarks

import (
	"os"
	"os/exec"
	"testing"
)

func TestParseVmHWM(t *testing.T) {
	status := "Name:\tterraform-provi\nVmPeak:\t 900000 kB\nVmHWM:\t   41234 kB\nVmRSS:\t   40000 kB\n"
	if got := parseVmHWM([]byte(status)); got != 41234*1024 {
		t.Errorf("got %d", got)
	}
	if parseVmHWM([]byte("Name:\tx\n")) != 0 {
		t.Error("no VmHWM line must read as 0")
	}
}

func TestParentOf_commandNamesWithSpacesAndParens(t *testing.T) {
	stat := []byte("4242 (my (odd) name) S 17 4242 17 0 -1 4194560")
	if got := parentOf(stat); got != 17 {
		t.Errorf("parentOf = %d, want 17", got)
	}
	if parentOf([]byte("garbage")) != -1 {
		t.Error("unparsable stat must give -1")
	}
}

// The watcher must find a direct child by its binary name and read its peak
// RSS, and must leave out grandchildren and other binaries: on a shared
// machine other terraform runs start providers too.
func TestWatchRSS_findsDirectChildByName(t *testing.T) {
	if _, err := exec.LookPath("sleep"); err != nil {
		t.Skip("no sleep binary")
	}
	run := func(name string, args ...string) (child, otherName int64) {
		t.Helper()
		cmd := exec.Command(name, args...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		w := watchRSS(os.Getpid(), "sleep")
		o := watchRSS(os.Getpid(), "no-such-binary")
		_ = cmd.Wait()
		peak, n := w.Stop()
		if peak > 0 && n != 1 {
			t.Errorf("saw %d processes, want 1", n)
		}
		other, _ := o.Stop()
		return peak, other
	}
	if peak, other := run("sleep", "0.3"); peak <= 0 || other != 0 {
		t.Errorf("direct child: peak %d (want > 0), other name %d (want 0)", peak, other)
	}
	// sh forks sleep here (two commands), so sleep is a grandchild.
	if peak, _ := run("sh", "-c", "sleep 0.3; true"); peak != 0 {
		t.Errorf("a grandchild was counted: %d bytes", peak)
	}
}
