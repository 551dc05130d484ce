package acctest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// EnvTerraformPath names the CLI the acceptance tests run, Terraform or
// OpenTofu: terraform-plugin-testing runs it, and so do this package's CLI
// tests and the examples check. Unset, they run terraform from PATH.
// `make testacc CLI=...` sets it.
const EnvTerraformPath = "TF_ACC_TERRAFORM_PATH"

// Binary is the CLI under test: the one EnvTerraformPath names, or else
// terraform from PATH.
func Binary() (string, error) {
	if p := os.Getenv(EnvTerraformPath); p != "" {
		return p, nil
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		return "", fmt.Errorf("terraform is not on PATH and %s is not set", EnvTerraformPath)
	}
	return p, nil
}

var cliIdentity struct {
	once    sync.Once
	version string // the first line of `version`: "Terraform v1.16.4", "OpenTofu v1.12.6"
}

// CLIVersion is what the CLI under test says it is ("Terraform v1.16.4",
// "OpenTofu v1.12.6"), or "" when there is none to ask.
func CLIVersion() string {
	cliIdentity.once.Do(func() {
		bin, err := Binary()
		if err != nil {
			return
		}
		// OpenTofu prints problems with the CLI configuration (such as a
		// TF_CLI_CONFIG_FILE that does not exist) on stdout, before the
		// version: read none, and pick the version line out.
		cmd := exec.Command(bin, "version")
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+os.DevNull)
		out, err := cmd.Output()
		if err != nil {
			return
		}
		for line := range strings.Lines(string(out)) {
			if strings.HasPrefix(line, "Terraform v") || strings.HasPrefix(line, "OpenTofu v") {
				cliIdentity.version = strings.TrimSpace(line)
				return
			}
		}
	})
	return cliIdentity.version
}

// OpenTofu reports whether the CLI under test is OpenTofu. OpenTofu reports
// its own version as the Terraform version to terraform-plugin-testing, so a
// tfversion check alone cannot tell the two apart.
func OpenTofu() bool {
	return strings.HasPrefix(CLIVersion(), "OpenTofu ")
}

// ProviderHost is the registry host the CLI under test gives a source
// address that names none, as in "tfpersonalize/personalize".
func ProviderHost() string {
	if OpenTofu() {
		return "registry.opentofu.org"
	}
	return "registry.terraform.io"
}

// Two differences of OpenTofu that terraform-plugin-testing does not know:
//
//   - It hands the CLI the in-process provider under
//     TF_ACC_PROVIDER_HOST/<namespace>/personalize, registry.terraform.io
//     unless set; OpenTofu resolves the test configurations' provider
//     "personalize" to registry.opentofu.org/hashicorp/personalize.
//   - It reads the CLI's version from `version`'s stdout, where OpenTofu
//     first prints a warning when TF_CLI_CONFIG_FILE names a file that does
//     not exist; no CLI configuration is what such a setting means anyway.
func init() {
	if os.Getenv("TF_ACC") == "" || !OpenTofu() {
		return
	}
	if os.Getenv("TF_ACC_PROVIDER_HOST") == "" {
		_ = os.Setenv("TF_ACC_PROVIDER_HOST", ProviderHost())
	}
	if f := os.Getenv("TF_CLI_CONFIG_FILE"); f != "" {
		if _, err := os.Stat(f); errors.Is(err, fs.ErrNotExist) {
			_ = os.Setenv("TF_CLI_CONFIG_FILE", os.DevNull)
		}
	}
}

// SkipOnOpenTofu skips a test of a Terraform feature that OpenTofu does not
// have, saying which, so that the skip shows in `go test -v` rather than
// passing silently. Put it before any tfversion.SkipBelow: OpenTofu's version
// numbers are not Terraform's.
func SkipOnOpenTofu(feature string) tfversion.TerraformVersionCheck {
	return skipOnOpenTofu{feature: feature}
}

type skipOnOpenTofu struct{ feature string }

func (s skipOnOpenTofu) CheckTerraformVersion(_ context.Context, _ tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	if OpenTofu() {
		resp.Skip = fmt.Sprintf("%s has no %s: this test runs on Terraform only", CLIVersion(), s.feature)
	}
}

// SkipUnlessTerraform skips a CLI test of a Terraform feature that arrived
// in version minimum, when the CLI under test is an older Terraform or is
// OpenTofu, naming the CLI and the feature.
func SkipUnlessTerraform(t *testing.T, minimum, feature string) {
	t.Helper()
	have := CLIVersion()
	v, err := version.NewVersion(strings.TrimPrefix(have, "Terraform v"))
	switch {
	case have == "":
		t.Skipf("no CLI to run (%s or terraform on PATH)", EnvTerraformPath)
	case OpenTofu():
		t.Skipf("%s has no %s: this test runs on Terraform >= %s only", have, feature, minimum)
	case err != nil:
		t.Fatalf("cannot read the version of %q: %s", have, err)
	case v.Core().LessThan(version.Must(version.NewVersion(minimum))):
		t.Skipf("%s needs Terraform >= %s; the CLI under test is %s (make testacc CLI=terraform-1.16.4)", feature, minimum, have)
	}
}
