// Command terraform-provider-floor serves the benchmark's floor provider over
// plugin protocol 6, as terraform-provider-personalize serves the real one.
package main

import (
	"context"
	"log"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/benchmarks/floorprovider"
)

func main() {
	quietLogsTerraformDiscards()
	err := providerserver.Serve(context.Background(), floorprovider.New(), providerserver.ServeOpts{
		Address:         floorprovider.Address,
		ProtocolVersion: 6,
	})
	if err != nil {
		log.Fatal(err)
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
	for _, name := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER"} {
		os.Setenv(name, "off") //nolint:errcheck // a valid name and value cannot fail
	}
}
