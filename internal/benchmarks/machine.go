package benchmarks

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// Machine is what a reader needs to judge the figures.
type Machine struct {
	Date      time.Time `json:"date"`
	CPUs      int       `json:"cpus"`
	CPUModel  string    `json:"cpu_model"`
	Kernel    string    `json:"kernel"`
	Go        string    `json:"go"`
	Terraform string    `json:"terraform"`
	AWSCLI    string    `json:"aws_cli"`
	LoadStart string    `json:"load_start"` // /proc/loadavg before and after: the machine is shared
	LoadEnd   string    `json:"load_end"`
}

func machineFacts(ctx context.Context, tf *terraform) Machine {
	m := Machine{
		Date:      time.Now().UTC(),
		CPUs:      runtime.NumCPU(),
		CPUModel:  cpuModel(),
		Go:        runtime.Version(),
		Terraform: tf.Version(ctx),
		LoadStart: loadAverage(),
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = runtime.GOOS + " " + strings.TrimSpace(string(b))
	}
	// aws CLI v1 prints its version on stderr.
	if out, err := exec.CommandContext(ctx, "aws", "--version").CombinedOutput(); err == nil {
		m.AWSCLI, _, _ = strings.Cut(strings.TrimSpace(string(out)), " Python/")
	}
	return m
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if k, v, ok := strings.Cut(s.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// loadAverage is the 1, 5 and 15 minute load from /proc/loadavg.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}
