package personalize_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
)

// deadEndpointBound is what the tests allow a run against an endpoint where
// nothing listens; the provider gives up after about 8 s of quick retries,
// and terraform adds its own start-up. The bound is generous for a loaded
// machine: before, such a run took 95 to 130 s.
const deadEndpointBound = 45 * time.Second

// deadEndpointProvider is the emulator's offline provider block with the
// emulator not running.
func deadEndpointProvider(endpoint string) string {
	return fmt.Sprintf(`provider "personalize" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  endpoints {
    personalize = %q
  }
}
`, endpoint)
}

// runAgainstDeadEndpoint runs terraform with args, expects it to fail soon
// and to say which endpoint does not answer and how to fix it.
func runAgainstDeadEndpoint(t *testing.T, cli *acctest.CLI, endpoint string, args ...string) *acctest.Result {
	t.Helper()
	start := time.Now()
	res := cli.Run(2*time.Minute, args...)
	elapsed := time.Since(start)
	t.Logf("terraform %s failed after %s", args[0], elapsed.Round(100*time.Millisecond))
	if res.ExitCode == 0 {
		t.Fatalf("terraform %s succeeded against an endpoint where nothing listens:\n%s", args[0], res)
	}
	if elapsed > deadEndpointBound {
		t.Errorf("terraform %s took %s to fail, want well under %s", args[0], elapsed.Round(time.Second), deadEndpointBound)
	}
	text := strings.Join(strings.Fields(res.Output()), " ")
	if strings.Contains(text, "No ACTIVE solution version") {
		t.Errorf("terraform %s blames the solution for what the endpoint did:\n%s", args[0], res)
	}
	for _, want := range []string{
		"cannot reach the Personalize endpoint " + endpoint,
		"set by endpoints.personalize in the provider block",
		"nothing answers there (connection refused)",
		"never reached the service",
		"point endpoints.personalize at an endpoint that is running",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("terraform %s does not say %q:\n%s", args[0], want, res)
		}
	}
	return res
}

// An apply against an endpoint where nothing listens fails within seconds,
// naming the endpoint and the fix, spends no lookup on adopting a job the
// create never reached the service to make, and leaves nothing in state.
func TestAccEndpoint_applyAgainstClosedPortFailsFast(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	endpoint := acctest.ClosedEndpoint(t)
	cli := acctest.NewCLI(t)
	cli.WriteConfig(deadEndpointProvider(endpoint) + `
resource "personalize_batch_inference_job" "test" {
  job_name             = "dead-endpoint"
  solution_version_arn = "arn:aws:personalize:us-east-1:123456789012:solution/demo-user-personalization/1a2b3c4d"
  role_arn             = "arn:aws:iam::123456789012:role/PersonalizeBatch"
  job_input  = { s3_data_source = { path = "s3://bucket/input/users.jsonl" } }
  job_output = { s3_data_destination = { path = "s3://bucket/output/" } }
}
`)
	res := runAgainstDeadEndpoint(t, cli, endpoint, "apply", "-auto-approve", "-no-color")
	if !strings.Contains(res.Output(), "Cannot create batch inference job") {
		t.Errorf("the error is not the create's:\n%s", res)
	}
	if strings.Contains(res.Output(), "no job of that name appeared") {
		t.Errorf("the create looked for a job it never reached the service to make:\n%s", res)
	}
	if state := cli.State(); len(state) != 0 {
		t.Errorf("state holds %d resources after a create that never reached the service: %+v", len(state), state)
	}
}

// Data sources reading from an endpoint where nothing listens fail as fast
// and as clearly.
func TestAccEndpoint_dataSourcesAgainstClosedPortFailFast(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	endpoint := acctest.ClosedEndpoint(t)
	for name, block := range map[string]string{
		"personalize_batch_inference_job":  `job_name = "any"`,
		"personalize_batch_inference_jobs": ``,
		"personalize_solution_version":     `solution_arn = "arn:aws:personalize:us-east-1:123456789012:solution/demo-user-personalization"`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cli := acctest.NewCLI(t)
			cli.WriteConfig(deadEndpointProvider(endpoint) + fmt.Sprintf("data %q \"read\" {\n  %s\n}\n", name, block))
			res := runAgainstDeadEndpoint(t, cli, endpoint, "plan", "-no-color")
			if !strings.Contains(res.Output(), "Cannot reach the Personalize endpoint") {
				t.Errorf("the error's title does not say that the endpoint cannot be reached:\n%s", res)
			}
		})
	}
}

// An https:// endpoint in front of a server that speaks plain HTTP, as the
// emulator does, fails at once, saying to write http://, instead of
// retrying a handshake that cannot succeed for minutes.
func TestAccEndpoint_httpsAgainstPlainHTTPFailsAtOnce(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	env, _ := acctest.NewCLIEnv(t, emulator.Config{JobDuration: acctest.JobDuration})
	endpoint := strings.Replace(env.Endpoint, "http://", "https://", 1)
	cli := acctest.NewCLI(t)
	cli.WriteConfig(deadEndpointProvider(endpoint) + `
data "personalize_solution_version" "read" {
  solution_arn = "arn:aws:personalize:us-east-1:123456789012:solution/demo-user-personalization"
}
`)
	start := time.Now()
	res := cli.Run(2*time.Minute, "plan", "-no-color")
	elapsed := time.Since(start)
	t.Logf("terraform plan failed after %s", elapsed.Round(100*time.Millisecond))
	if res.ExitCode == 0 {
		t.Fatalf("terraform plan succeeded against an https:// endpoint that speaks HTTP:\n%s", res)
	}
	if elapsed > deadEndpointBound/3 {
		t.Errorf("terraform plan took %s to fail; retrying cannot help, so it should fail at once", elapsed.Round(time.Second))
	}
	text := strings.Join(strings.Fields(res.Output()), " ")
	for _, want := range []string{
		"Cannot reach the Personalize endpoint",
		"cannot reach the Personalize endpoint " + endpoint + ", set by endpoints.personalize in the provider block",
		"it answers plain HTTP, not HTTPS: write the endpoint with http:// (" + env.Endpoint + ")",
		"tried once",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("terraform plan does not say %q:\n%s", want, res)
		}
	}
	if strings.Contains(text, "No ACTIVE solution version") {
		t.Errorf("the error blames the solution for what the endpoint did:\n%s", res)
	}
}
