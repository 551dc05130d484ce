// Package pluginserve serves a terraform-plugin-framework provider the way
// both of this module's provider binaries do (the personalize provider and
// the benchmark's minimal provider), so that the benchmark compares the two
// under the same process set-up.
package pluginserve

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
)

// ProfileDirEnv names a directory that receives a CPU and an allocation
// profile of the provider process when it ends; the benchmark sets it to find
// where a provider spends its time under a real terraform command.
const ProfileDirEnv = "PERSONALIZE_PROVIDER_PROFILE_DIR"

// Serve serves the provider over plugin protocol 6 under address until
// Terraform ends it. typeName is the provider's type name ("personalize"),
// which names its own log level variable.
func Serve(factory func() provider.Provider, address, typeName string, debug bool) error {
	QuietLogsTerraformDiscards(typeName)
	if dir := os.Getenv(ProfileDirEnv); dir != "" {
		defer writeProfiles(dir)()
	}
	return providerserver.Serve(context.Background(), factory, providerserver.ServeOpts{
		Address:         address,
		Debug:           debug,
		ProtocolVersion: 6,
	})
}

// writeProfiles starts the CPU profile and returns the function that ends it
// and writes the allocation profile beside it. A profile that cannot be
// written is reported and the provider runs on.
func writeProfiles(dir string) func() {
	name := func(kind string) string { return filepath.Join(dir, fmt.Sprintf("%s-%d.pprof", kind, os.Getpid())) }
	cpu, err := os.Create(name("cpu"))
	if err != nil {
		log.Printf("no CPU profile: %v", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		log.Printf("no CPU profile: %v", err)
	}
	return func() {
		pprof.StopCPUProfile()
		cpu.Close()
		allocs, err := os.Create(name("allocs"))
		if err != nil {
			log.Printf("no allocation profile: %v", err)
			return
		}
		defer allocs.Close()
		if err := pprof.Lookup("allocs").WriteTo(allocs, 0); err != nil {
			log.Printf("no allocation profile: %v", err)
		}
	}
}

// QuietLogsTerraformDiscards turns the plugin SDK's and the provider's log
// output off when no TF_LOG* variable is set. Terraform then throws that
// output away, but the plugin SDK still formats a trace line for every
// attribute, validator and plan modifier of every resource, which costs a
// third of the provider's CPU time in a plan of a thousand jobs. The
// provider's own logger takes its level from TF_LOG_PROVIDER_<TYPE NAME>
// (terraform-plugin-go names it after the provider), not TF_LOG_PROVIDER:
// without it, every API call was still formatted into a discarded log line.
// Setting any TF_LOG* variable restores the usual behaviour.
func QuietLogsTerraformDiscards(typeName string) {
	for _, kv := range os.Environ() {
		if name, value, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "TF_LOG") && value != "" {
			return
		}
	}
	for _, name := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_" + strings.ToUpper(typeName)} {
		os.Setenv(name, "off") //nolint:errcheck // a valid name and value cannot fail
	}
}
