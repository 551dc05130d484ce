package provider_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
)

// envOnlyConfig configures the provider from the environment alone, as a
// module under test does when its runner sets AWS_* variables.
const envOnlyConfig = `provider "personalize" {}

data "personalize_batch_inference_jobs" "all" {}
`

// envCLI is a terraform working directory for envOnlyConfig, whose runs get
// the AWS variables given.
func envCLI(t *testing.T, vars ...string) *acctest.CLI {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 to run it")
	}
	cli := acctest.NewCLI(t)
	cli.WriteConfig(envOnlyConfig)
	cli.Env = append(cli.Env, vars...)
	return cli
}

func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// The setup of the offline testing guide: AWS_ENDPOINT_URL at the emulator
// and dummy keys. Credential validation goes to the emulator's STS too.
func TestAccConnection_environmentSetupOfTheGuide(t *testing.T) {
	t.Parallel()
	env, _ := acctest.NewCLIEnv(t, emulator.Config{})
	cli := envCLI(t, "AWS_ENDPOINT_URL="+env.Endpoint, "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_REGION="+env.Region)
	res := cli.Run(2*time.Minute, "plan", "-no-color")
	if res.ExitCode != 0 {
		t.Fatalf("the guide's environment setup does not work:\n%s", res)
	}
	if env.Calls("GetCallerIdentity") != 1 || env.Calls("ListBatchInferenceJobs") == 0 {
		t.Errorf("the emulator answered %d GetCallerIdentity and %d ListBatchInferenceJobs, want the credentials checked there and the jobs listed",
			env.Calls("GetCallerIdentity"), env.Calls("ListBatchInferenceJobs"))
	}
}

// AWS_ENDPOINT_URL_PERSONALIZE alone leaves STS at an endpoint that cannot
// be reached: the error says so, names the endpoint tried and the fixes,
// and does not blame the credentials.
func TestAccConnection_unreachableSTSIsNotInvalidCredentials(t *testing.T) {
	t.Parallel()
	env, _ := acctest.NewCLIEnv(t, emulator.Config{})
	sts := acctest.ClosedEndpoint(t)
	cli := envCLI(t, "AWS_ENDPOINT_URL_PERSONALIZE="+env.Endpoint, "AWS_ENDPOINT_URL_STS="+sts,
		"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_REGION="+env.Region)
	start := time.Now()
	res := cli.Run(2*time.Minute, "plan", "-no-color")
	t.Logf("terraform plan failed after %s", time.Since(start).Round(100*time.Millisecond))
	if res.ExitCode == 0 {
		t.Fatalf("plan succeeded with an STS endpoint where nothing listens:\n%s", res)
	}
	text := flat(res.Output())
	for _, want := range []string{
		"Cannot reach the STS endpoint",
		"cannot reach " + sts + ", the STS endpoint set by the environment variable AWS_ENDPOINT_URL_STS",
		"nothing answers there (connection refused)",
		"point AWS_ENDPOINT_URL_STS at an STS endpoint that answers",
		"AWS_ENDPOINT_URL set to its address sends both Personalize and STS there",
		"skip_credentials_validation = true and skip_requesting_account_id = true",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("plan does not say %q:\n%s", want, res)
		}
	}
	if strings.Contains(text, "Invalid AWS credentials") {
		t.Errorf("plan blames the credentials for an STS it could not reach:\n%s", res)
	}
}

// Credentials an answering STS refuses are still called invalid.
func TestAccConnection_invalidCredentialsAgainstTheEmulatorsSTS(t *testing.T) {
	t.Parallel()
	env, _ := acctest.NewCLIEnv(t, emulator.Config{AccessKey: "AKIDEMULATOR", SecretKey: "emulator-secret"})
	for _, tc := range []struct {
		name, code string
		keys       []string
	}{
		{"unknown access key", "InvalidClientTokenId", []string{"AWS_ACCESS_KEY_ID=AKIDSOMEONEELSE", "AWS_SECRET_ACCESS_KEY=emulator-secret"}},
		{"wrong secret key", "SignatureDoesNotMatch", []string{"AWS_ACCESS_KEY_ID=AKIDEMULATOR", "AWS_SECRET_ACCESS_KEY=not-the-secret"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cli := envCLI(t, append(tc.keys, "AWS_ENDPOINT_URL="+env.Endpoint, "AWS_REGION="+env.Region)...)
			res := cli.Run(2*time.Minute, "plan", "-no-color")
			if res.ExitCode == 0 {
				t.Fatalf("plan succeeded with credentials the emulator refuses:\n%s", res)
			}
			text := flat(res.Output())
			if !strings.Contains(text, "Invalid AWS credentials") || !strings.Contains(text, tc.code) || strings.Contains(text, "Cannot reach") {
				t.Errorf("want the credentials called invalid, not the endpoint unreachable:\n%s", res)
			}
		})
	}
	// The right keys pass, so the refusals above were the keys'.
	cli := envCLI(t, "AWS_ACCESS_KEY_ID=AKIDEMULATOR", "AWS_SECRET_ACCESS_KEY=emulator-secret", "AWS_ENDPOINT_URL="+env.Endpoint, "AWS_REGION="+env.Region)
	if res := cli.Run(2*time.Minute, "plan", "-no-color"); res.ExitCode != 0 {
		t.Fatalf("plan failed with the emulator's own keys:\n%s", res)
	}
}

// skip_credentials_validation without skip_requesting_account_id: the
// account ID lookup cannot reach IAM or STS, and the error names the
// endpoints and the setting that does without it.
func TestAccConnection_accountIDLookupThatCannotConnect(t *testing.T) {
	t.Parallel()
	env, _ := acctest.NewCLIEnv(t, emulator.Config{})
	sts, iam := acctest.ClosedEndpoint(t), acctest.ClosedEndpoint(t)
	cli := envCLI(t, "AWS_ENDPOINT_URL_PERSONALIZE="+env.Endpoint, "AWS_ENDPOINT_URL_STS="+sts, "AWS_ENDPOINT_URL_IAM="+iam,
		"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_REGION="+env.Region)
	cli.WriteConfig(strings.Replace(envOnlyConfig, `provider "personalize" {}`,
		"provider \"personalize\" {\n  skip_credentials_validation = true\n}", 1))
	res := cli.Run(2*time.Minute, "plan", "-no-color")
	if res.ExitCode == 0 {
		t.Fatalf("plan succeeded although no way of finding the account ID answers:\n%s", res)
	}
	text := flat(res.Output())
	for _, want := range []string{
		"Cannot find the AWS account ID",
		"STS GetCallerIdentity: cannot reach " + sts + ": nothing answers there (connection refused)",
		"IAM GetUser: cannot reach " + iam + ": nothing answers there (connection refused)",
		"Set skip_requesting_account_id = true",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("plan does not say %q:\n%s", want, res)
		}
	}
}
