package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
)

// The docs are generated from this command's output instead of terraform's,
// because terraform 1.11 omits identity and list resource schemas. Whatever
// the CLI under test (terraform or OpenTofu, see acctest.Binary) does report
// must therefore come out of this command unchanged.
func TestProviderSchemaMatchesTerraform(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1 to compare with `terraform providers schema -json` (needs terraform on PATH)")
	}
	tf, err := acctest.Binary()
	if err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "bin", "terraform-provider-personalize"), "../../../..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	rc := filepath.Join(dir, "cli.tfrc")
	writeFile(t, rc, `provider_installation {
  dev_overrides {
    "`+acctest.ProviderAddress()+`" = "`+filepath.Join(dir, "bin")+`"
  }
  direct {}
}
`)
	writeFile(t, filepath.Join(dir, "main.tf"), `terraform {
  required_providers {
    personalize = { source = "tfpersonalize/personalize" }
  }
}
`)
	cmd := exec.Command(tf, "providers", "schema", "-json")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s providers schema -json: %v", tf, err)
	}
	var fromTerraform tfjson.ProviderSchemas
	if err := json.Unmarshal(out, &fromTerraform); err != nil {
		t.Fatal(err)
	}

	ours, err := providerSchemas(t.Context())
	if err != nil {
		t.Fatal(err)
	}

	want, got := fromTerraform.Schemas[acctest.ProviderAddress()], ours.Schemas["personalize"]
	if want == nil || got == nil {
		t.Fatalf("provider schema missing: terraform has it %v, the command has it %v", want != nil, got != nil)
	}
	// Compared as JSON, which is what tfplugindocs reads: an empty and a nil
	// map are the same there.
	same := func(kind string, got, want any) {
		g, err := json.Marshal(got)
		if err != nil {
			t.Fatal(err)
		}
		w, err := json.Marshal(want)
		if err != nil {
			t.Fatal(err)
		}
		if string(g) != string(w) {
			t.Errorf("%s differs from what %s reports:\n got  %s\n want %s", kind, tf, g, w)
		}
	}
	same("provider configuration", got.ConfigSchema, want.ConfigSchema)
	compare := func(kind string, got, want map[string]*tfjson.Schema) {
		if len(got) != len(want) {
			t.Errorf("%s: the command has %d, terraform %d", kind, len(got), len(want))
		}
		for name, w := range want {
			same(kind+" "+name, got[name], w)
		}
	}
	compare("resource", got.ResourceSchemas, want.ResourceSchemas)
	compare("data source", got.DataSourceSchemas, want.DataSourceSchemas)

	// Terraform reports identity schemas from 1.12 and list resource schemas
	// from 1.14; OpenTofu reports no list resources. What the CLI reports must
	// match, and what it cannot report must still be there.
	if len(want.ResourceIdentitySchemas) > 0 {
		for name, w := range want.ResourceIdentitySchemas {
			same("identity "+name, got.ResourceIdentitySchemas[name], w)
		}
	}
	if len(want.ListResourceSchemas) > 0 {
		compare("list resource", got.ListResourceSchemas, want.ListResourceSchemas)
	}
	if len(got.ResourceIdentitySchemas) == 0 || len(got.ListResourceSchemas) == 0 {
		t.Errorf("identity schemas: %d, list resource schemas: %d; want both", len(got.ResourceIdentitySchemas), len(got.ListResourceSchemas))
	}
}

func writeFile(t *testing.T, name, body string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}
