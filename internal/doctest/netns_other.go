//go:build unix && !linux

package doctest

import (
	"errors"
	"os/exec"
)

// isolate does nothing where there are no network namespaces: documents
// then share the machine's loopback addresses.
func isolate(*exec.Cmd) {}

func loopbackUp(int) error { return errors.New("network namespaces are Linux only") }
