// Command terraform-provider-personalize serves the personalize provider to
// Terraform over plugin protocol 6.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/provider"
)

// version is set at build time: go build -ldflags "-X main.version=1.2.3".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "serve for a debugger: print a TF_REATTACH_PROVIDERS value for Terraform instead of waiting to be launched by it")
	flag.Parse()
	quietLogsTerraformDiscards()
	if dir := os.Getenv(profileDirEnv); dir != "" {
		defer writeProfiles(dir)()
	}

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address:         "registry.terraform.io/tfpersonalize/personalize",
		Debug:           debug,
		ProtocolVersion: 6,
	})
	if err != nil {
		log.Fatal(err) //nolint:gocritic // a failed serve has no profile worth writing
	}
}

// profileDirEnv names a directory that receives a CPU and an allocation
// profile of this process when it ends; the benchmark sets it to find where
// the provider spends its time under a real terraform command.
const profileDirEnv = "PERSONALIZE_PROVIDER_PROFILE_DIR"

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

// quietLogsTerraformDiscards turns the plugin SDK's and the provider's log
// output off when no TF_LOG* variable is set. Terraform then throws that
// output away, but the plugin SDK still formats a trace line for every
// attribute, validator and plan modifier of every resource, which costs a
// third of the provider's CPU time in a plan of a thousand jobs. The
// provider's own logger takes its level from TF_LOG_PROVIDER_PERSONALIZE
// (terraform-plugin-go names it after the provider), not TF_LOG_PROVIDER:
// without it, every API call was still formatted into a discarded log line.
// Setting any TF_LOG* variable restores the usual behaviour.
func quietLogsTerraformDiscards() {
	for _, kv := range os.Environ() {
		if name, value, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "TF_LOG") && value != "" {
			return
		}
	}
	for _, name := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_PERSONALIZE"} {
		os.Setenv(name, "off") //nolint:errcheck // a valid name and value cannot fail
	}
}
