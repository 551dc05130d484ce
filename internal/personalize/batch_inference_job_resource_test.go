package personalize_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
)

const resourceName = "personalize_batch_inference_job.test"

var (
	rfc3339Regexp = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$`)
	jobARNRegexp  = regexp.MustCompile(`^arn:aws[a-z-]*:personalize:[a-z0-9-]+:\d{12}:batch-inference-job/`)
)

// jobArgs are the arguments of the job a test configures; body is extra HCL
// inside the resource block.
type jobArgs struct {
	name, prefix string // exactly one
	sv, role     string // default: the env's User-Personalization version and role
	input        string // default: the env's user input prefix
	inputKMS     string
	output       string
	body         string
}

func (e jobArgs) hcl(env *acctest.Env, label string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "resource %q %q {\n", acctest.ResourceType, label)
	if e.name != "" {
		fmt.Fprintf(&b, "  job_name = %q\n", e.name)
	}
	if e.prefix != "" {
		fmt.Fprintf(&b, "  job_name_prefix = %q\n", e.prefix)
	}
	sv := e.sv
	if sv == "" {
		sv = env.UserPersonalizationSV
	}
	input := e.input
	if input == "" {
		input = env.S3URL(acctest.UserInputPrefix)
	}
	role := e.role
	if role == "" {
		role = env.RoleARN
	}
	fmt.Fprintf(&b, "  solution_version_arn = %q\n  role_arn = %q\n", sv, role)
	kms := ""
	if e.inputKMS != "" {
		kms = fmt.Sprintf(", kms_key_arn = %q", e.inputKMS)
	}
	fmt.Fprintf(&b, "  job_input = { s3_data_source = { path = %q%s } }\n", input, kms)
	fmt.Fprintf(&b, "  job_output = { s3_data_destination = { path = %q } }\n", e.output)
	b.WriteString(e.body)
	b.WriteString("\n}\n")
	return b.String()
}

func config(env *acctest.Env, providerExtra string, jobs ...string) string {
	return env.ProviderConfig(providerExtra) + strings.Join(jobs, "\n")
}

func checkCallCount(env *acctest.Env, operation string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if env.Emulator == nil {
			return nil
		}
		if got := env.Calls(operation); got != want {
			return fmt.Errorf("emulator served %d %s calls, want %d", got, operation, want)
		}
		return nil
	}
}

func TestAccBatchInferenceJob_basic(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	name := acctest.RandomName("basic")
	output := env.OutputPrefix(name)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config(env, "", jobArgs{name: name, output: output}.hcl(env, "test")),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("job_name"), knownvalue.StringExact(name)),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("batch_inference_job_arn"),
					knownvalue.StringExact(fmt.Sprintf("arn:aws:personalize:%s:%s:batch-inference-job/%s", env.Region, env.AccountID, name))),
				statecheck.CompareValuePairs(resourceName, tfjsonpath.New("id"), resourceName, tfjsonpath.New("batch_inference_job_arn"), compare.ValuesSame()),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("status"), knownvalue.StringExact("ACTIVE")),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("failure_reason"), knownvalue.Null()),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("batch_inference_job_mode"), knownvalue.StringExact("BATCH_INFERENCE")),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("creation_date_time"), knownvalue.StringRegexp(rfc3339Regexp)),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("last_updated_date_time"), knownvalue.StringRegexp(rfc3339Regexp)),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("num_results"), knownvalue.NotNull()),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("filter_arn"), knownvalue.Null()),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("theme_generation_config"), knownvalue.Null()),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("job_name_prefix"), knownvalue.Null()),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("wait_for_completion"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("tags"), knownvalue.Null()),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("tags_all"), knownvalue.MapExact(map[string]knownvalue.Check{})),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("job_input"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"s3_data_source": knownvalue.ObjectExact(map[string]knownvalue.Check{
						"path": knownvalue.StringExact(env.S3URL(acctest.UserInputPrefix)), "kms_key_arn": knownvalue.Null(),
					}),
				})),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("job_output").AtMapKey("s3_data_destination").AtMapKey("path"), knownvalue.StringExact(output)),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestMatchResourceAttr(resourceName, "batch_inference_job_arn", jobARNRegexp),
				checkOutputWritten(env, "output/"+name+"/users.jsonl.out"),
				checkCallCount(env, "CreateBatchInferenceJob", 1),
			),
		}},
	})
}

// checkOutputWritten proves the job ran to the end: an ACTIVE emulator job
// has written its output.
func checkOutputWritten(env *acctest.Env, key string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if env.Emulator == nil {
			return nil
		}
		out, err := env.ReadObject(env.Bucket, key)
		if err != nil {
			return fmt.Errorf("job output %s: %w", key, err)
		}
		if !strings.Contains(out, "recommendedItems") {
			return fmt.Errorf("job output %s holds no recommendations: %q", key, out)
		}
		return nil
	}
}

func checkJobCount(env *acctest.Env, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if env.Emulator == nil {
			return nil
		}
		if got := env.Jobs(); got != want {
			return fmt.Errorf("emulator holds %d jobs, want %d", got, want)
		}
		return nil
	}
}
