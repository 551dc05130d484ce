// Command terraform-provider-personalize serves the personalize provider to
// Terraform over plugin protocol 6.
package main

import (
	"flag"
	"log"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/pluginserve"
	"github.com/tfpersonalize/terraform-provider-personalize/internal/provider"
)

// version is set at build time: go build -ldflags "-X main.version=1.2.3".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "serve for a debugger: print a TF_REATTACH_PROVIDERS value for Terraform instead of waiting to be launched by it")
	flag.Parse()
	if err := pluginserve.Serve(provider.New(version), "registry.terraform.io/tfpersonalize/personalize", provider.TypeName, debug); err != nil {
		log.Fatal(err)
	}
}
