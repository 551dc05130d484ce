// Command terraform-provider-floor serves the benchmark's floor provider over
// plugin protocol 6, as terraform-provider-personalize serves the real one.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/benchmarks/floorprovider"
)

func main() {
	quietLogsTerraformDiscards()
	if dir := os.Getenv(profileDirEnv); dir != "" {
		defer writeProfiles(dir)()
	}
	err := providerserver.Serve(context.Background(), floorprovider.New(), providerserver.ServeOpts{
		Address:         floorprovider.Address,
		ProtocolVersion: 6,
	})
	if err != nil {
		log.Fatal(err) //nolint:gocritic // a failed serve has no profile worth writing
	}
}

// profileDirEnv and writeProfiles are the provider's (main.go at the module
// root), so that the benchmark profiles both sides alike.
const profileDirEnv = "PERSONALIZE_PROVIDER_PROFILE_DIR"

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

// quietLogsTerraformDiscards does what the real provider's main does: with no
// TF_LOG* variable set, the plugin SDK's trace lines (which Terraform throws
// away) are not formatted at all. The floor must not pay a cost the real
// provider has already removed.
func quietLogsTerraformDiscards() {
	for _, kv := range os.Environ() {
		if name, value, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "TF_LOG") && value != "" {
			return
		}
	}
	for _, name := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_FLOOR"} {
		os.Setenv(name, "off") //nolint:errcheck // a valid name and value cannot fail
	}
}
