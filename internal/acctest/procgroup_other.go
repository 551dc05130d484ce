//go:build !unix

package acctest

import "os/exec"

// ownProcessGroup leaves cmd as it is: without process groups a kill reaches
// only the process itself.
func ownProcessGroup(*exec.Cmd) {}

func killProcessGroup(cmd *exec.Cmd) error {
	return cmd.Process.Kill()
}
