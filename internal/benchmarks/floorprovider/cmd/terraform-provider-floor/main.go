// Command terraform-provider-floor serves the benchmark's floor provider over
// plugin protocol 6, as terraform-provider-personalize serves the real one.
package main

import (
	"log"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/benchmarks/floorprovider"
	"github.com/tfpersonalize/terraform-provider-personalize/internal/pluginserve"
)

func main() {
	if err := pluginserve.Serve(floorprovider.New(), floorprovider.Address, "floor", false); err != nil {
		log.Fatal(err)
	}
}
