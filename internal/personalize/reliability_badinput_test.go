package personalize_test

import (
	"fmt"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
)

// badInput is a configuration that must not get past the plan: terraform
// reports want, and the API hears nothing of it.
type badInput struct {
	name   string
	config func(env *acctest.Env) string
	want   *regexp.Regexp
}

// badArgument is a job whose arguments are valid but for body (extra HCL) or
// what change does to them.
func badArgument(body string, change ...func(*jobArgs)) func(env *acctest.Env) string {
	return func(env *acctest.Env) string {
		job := jobArgs{name: "valid-name", output: env.OutputPrefix("v"), body: body}
		for _, c := range change {
			c(&job)
		}
		return config(env, "", job.hcl(env, "test"))
	}
}

// badSetting is a valid job under a provider block whose settings are the
// environment's with overrides applied (nil removes a setting).
func badSetting(overrides map[string]*string) func(env *acctest.Env) string {
	return func(env *acctest.Env) string {
		settings := map[string]string{
			"region":     fmt.Sprintf("%q", env.Region),
			"access_key": `"acctest"`,
			"secret_key": `"acctest"`,
			"endpoints":  fmt.Sprintf("{\n    personalize = %q\n    sts         = %q\n  }", env.Endpoint, env.Endpoint),
		}
		for k, v := range overrides {
			if v == nil {
				delete(settings, k)
			} else {
				settings[k] = *v
			}
		}
		var b strings.Builder
		b.WriteString("provider \"personalize\" {\n")
		for _, k := range slices.Sorted(maps.Keys(settings)) {
			if strings.HasPrefix(settings[k], "{") {
				fmt.Fprintf(&b, "  %s %s\n", k, settings[k]) // a block
			} else {
				fmt.Fprintf(&b, "  %s = %s\n", k, settings[k])
			}
		}
		b.WriteString("}\n")
		return b.String() + jobArgs{name: "valid-name", output: env.OutputPrefix("v")}.hcl(env, "test")
	}
}

func hcl(s string) *string { return &s }

// runBadInputs plans every case in one terraform working directory and
// checks, before the next case and at the end, that the case made no API
// call at all (not even the credential check of a provider configuration).
func runBadInputs(t *testing.T, cases []badInput) {
	t.Helper()
	env := acctest.New(t)
	em := env.RequireEmulator(t)
	calls := func() map[string]int { return em.Stats().Calls }
	seen := calls()
	checkQuiet := func(c badInput) {
		now := calls()
		for op, n := range now {
			if n != seen[op] {
				t.Errorf("%s: the plan made %d %s call(s); invalid input must stop before the API", c.name, n-seen[op], op)
			}
		}
		seen = now
	}
	steps := make([]resource.TestStep, 0, len(cases))
	for i, c := range cases {
		step := resource.TestStep{Config: c.config(env), PlanOnly: true, ExpectError: c.want}
		if i > 0 {
			prev := cases[i-1]
			step.PreConfig = func() { checkQuiet(prev) }
		}
		steps = append(steps, step)
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories, Steps: steps})
	checkQuiet(cases[len(cases)-1])
}

// Every documented constraint the plan-time validation test does not already
// cover, and the provider settings most often mistyped: each stops the plan
// with an error naming the attribute, before any API call.
func TestAccReliability_badInputStopsPlan(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	caBundle := filepath.Join(t.TempDir(), "missing-ca.pem")
	runBadInputs(t, []badInput{
		// Arguments of the job.
		{"empty job_name", badArgument(`  job_name = ""`, func(j *jobArgs) { j.name = "" }),
			words("job_name UTF-8 character count must be between 1 and 63")},
		{"job_name starting with a hyphen", badArgument("", func(j *jobArgs) { j.name = "-weekly" }),
			words("job_name must start with a letter or digit", "got: -weekly")},
		{"job_name_prefix pattern", badArgument("", func(j *jobArgs) { j.name, j.prefix = "", "weekly recs-" }),
			words("job_name_prefix must start with a letter or digit", "got: weekly recs-")},
		{"filter_arn length", badArgument(fmt.Sprintf("  filter_arn = %q", "arn:aws:personalize:us-east-1:123456789012:filter/"+strings.Repeat("f", 210))),
			words("filter_arn UTF-8 character count must be at most 256")},
		{"role_arn length", badArgument("", func(j *jobArgs) { j.role = "arn:aws:iam::123456789012:role/" + strings.Repeat("r", 230) }),
			words("role_arn UTF-8 character count must be at most 256")},
		{"role_arn of another service", badArgument("", func(j *jobArgs) { j.role = "arn:aws:s3:::bucket" }),
			words("role_arn must be an IAM role ARN", "got: arn:aws:s3:::bucket")},
		{"role_arn with a space in the role name", badArgument("", func(j *jobArgs) { j.role = "arn:aws:iam::123456789012:role/batch role" }),
			words("role_arn must be an IAM role ARN")},
		{"input path length", badArgument("", func(j *jobArgs) { j.input = "s3://bucket/" + strings.Repeat("i", 250) }),
			words("job_input.s3_data_source.path UTF-8 character count must be at most 256")},
		{"input path with nothing after the scheme", badArgument("", func(j *jobArgs) { j.input = "s3://" }),
			words("job_input.s3_data_source.path must be an S3 URL")},
		{"output path scheme", badArgument("", func(j *jobArgs) { j.output = "ftp://bucket/out/" }),
			words("job_output.s3_data_destination.path must be an S3 URL", "got: ftp://bucket/out/")},
		{"output kms_key_arn account", func(env *acctest.Env) string {
			return config(env, "", fmt.Sprintf(`resource %q "test" {
  job_name             = "valid-name"
  solution_version_arn = %q
  role_arn             = %q
  job_input  = { s3_data_source = { path = %q } }
  job_output = { s3_data_destination = { path = %q, kms_key_arn = "arn:aws:kms:us-east-1:1234:key/abc" } }
}`, acctest.ResourceType, env.UserPersonalizationSV, env.RoleARN, env.S3URL(acctest.UserInputPrefix), env.OutputPrefix("v")))
		}, words("job_output.s3_data_destination.kms_key_arn must be a KMS key ARN")},
		{"kms_key_arn length", badArgument("", func(j *jobArgs) { j.inputKMS = "arn:aws:kms:us-east-1:123456789012:key/" + strings.Repeat("k", 2010) }),
			words("job_input.s3_data_source.kms_key_arn UTF-8 character count must be at most 2048")},
		{"negative explorationWeight", badArgument(`  batch_inference_job_config = { item_exploration_config = { explorationWeight = "-0.1" } }`),
			words(`explorationWeight "-0.1" is out of range`)},
		{"explorationItemAgeCutOff not a number", badArgument(`  batch_inference_job_config = { item_exploration_config = { explorationItemAgeCutOff = "a month" } }`),
			words(`explorationItemAgeCutOff "a month" is not a number`)},
		{"empty item_exploration_config", badArgument(`  batch_inference_job_config = { item_exploration_config = {} }`),
			words("batch_inference_job_config.item_exploration_config map must contain at least 1 elements")},
		{"negative ranking_influence", badArgument(`  batch_inference_job_config = { ranking_influence = { FRESHNESS = -0.5 } }`),
			words(`batch_inference_job_config.ranking_influence["FRESHNESS"] value must be between 0`)},
		{"empty ranking_influence", badArgument(`  batch_inference_job_config = { ranking_influence = {} }`),
			words("batch_inference_job_config.ranking_influence map must contain at least 1 elements")},
		{"tag value characters", badArgument(`  tags = { team = "recs*" }`),
			words(`tags["team"] may contain only letters, digits, spaces`)},
		{"empty tag key", badArgument(`  tags = { "" = "v" }`),
			words("tags", "UTF-8 character count must be between 1 and 128")},
		{"reserved tag prefix in capitals", badArgument(`  tags = { "AWS:Owner" = "me" }`),
			words(`Tag key "AWS:Owner" starts with "aws:"`)},
		{"item_name length", badArgument(fmt.Sprintf(`
  batch_inference_job_mode = "THEME_GENERATION"
  theme_generation_config = { fields_for_theme_generation = { item_name = %q } }`, strings.Repeat("t", 151))),
			words("theme_generation_config.fields_for_theme_generation.item_name UTF-8 character count must be between 1 and 150")},
		{"empty item_name", badArgument(`
  batch_inference_job_mode = "THEME_GENERATION"
  theme_generation_config = { fields_for_theme_generation = { item_name = "" } }`),
			words("theme_generation_config.fields_for_theme_generation.item_name UTF-8 character count must be between 1 and 150")},
		{"update timeout format", badArgument(`  timeouts = { update = "forever" }`),
			words(`timeouts.update "forever" is not a duration`, `such as "30m", "4h"`)},
		{"negative create timeout", badArgument(`  timeouts = { create = "-1h" }`),
			words(`timeouts.create "-1h" is not a duration`, "use a positive number")},

		// Provider settings.
		{"unknown region", badSetting(map[string]*string{"region": hcl(`"us-moon-1"`)}),
			words(`"us-moon-1"`, "skip_region_validation")},
		{"endpoint without a scheme", badSetting(map[string]*string{"endpoints": hcl("{\n    personalize = \"localhost:4599\"\n  }")}),
			words(`endpoints[0].personalize "localhost:4599"`, "http://")},
		{"endpoint with a query", badSetting(map[string]*string{"endpoints": hcl("{\n    sts = \"http://127.0.0.1:4599/?region=us-east-1\"\n  }")}),
			words("endpoints[0].sts", "must not have a query")},
		{"retry_mode", badSetting(map[string]*string{"retry_mode": hcl(`"fast"`)}),
			words("retry_mode value must be one of", "fast")},
		{"negative max_retries", badSetting(map[string]*string{"max_retries": hcl("-1")}),
			words("max_retries value must be at least 0, got: -1")},
		{"assume_role role_arn", badSetting(map[string]*string{"assume_role": hcl("{\n    role_arn = \"arn:aws:iam::1234:role/deploy\"\n  }")}),
			words(`assume_role[0].role_arn "arn:aws:iam::1234:role/deploy"`, "12 digits")},
		{"assume_role_with_web_identity role_arn", badSetting(map[string]*string{
			"assume_role_with_web_identity": hcl("{\n    role_arn           = \"arn:aws:iam::123456789012:user/ci\"\n    web_identity_token = \"token\"\n  }"),
		}), words("assume_role_with_web_identity[0].role_arn", "role/")},
		{"unreadable custom_ca_bundle", badSetting(map[string]*string{"custom_ca_bundle": hcl(fmt.Sprintf("%q", caBundle))}),
			words("custom_ca_bundle", caBundle, "cannot be read")},
		{"proxy without a scheme", badSetting(map[string]*string{"http_proxy": hcl(`"proxy.example.com:3128"`)}),
			words("http_proxy", "http://")},
		{"token without keys", badSetting(map[string]*string{"access_key": nil, "secret_key": nil, "token": hcl(`"session-token"`)}),
			words("token", "access_key")},
	})
}

// Item exploration values the service refuses but the plan lets through
// today: each reaches the API at apply time instead of stopping the plan.
func TestAccReliability_itemExplorationValuesStopPlan(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	exploration := func(key, value string) func(env *acctest.Env) string {
		return badArgument(fmt.Sprintf("  batch_inference_job_config = { item_exploration_config = { %s = %q } }", key, value))
	}
	for _, c := range []badInput{
		{"explorationWeight NaN", exploration("explorationWeight", "NaN"),
			words("batch_inference_job_config.item_exploration_config", "explorationWeight", "NaN")},
		{"explorationItemAgeCutOff infinite", exploration("explorationItemAgeCutOff", "Inf"),
			words("batch_inference_job_config.item_exploration_config", "explorationItemAgeCutOff", "Inf")},
		// In range as a number, but longer than the 1000 characters the API takes.
		{"value over 1000 characters", exploration("explorationItemAgeCutOff", "30."+strings.Repeat("0", 998)),
			words("batch_inference_job_config.item_exploration_config", "explorationItemAgeCutOff", "1000")},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			runBadInputs(t, []badInput{c})
		})
	}
}

// The API's length limits count characters: a tag value of 200 Japanese
// characters (600 bytes of UTF-8) and an output path of 150 characters
// (over 256 bytes) are within them, so the plan must let them through and
// the job must run.
func TestAccReliability_lengthLimitsCountCharactersNotBytes(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	env := acctest.New(t)
	name := acctest.RandomName("unicode")
	value := strings.Repeat("推", 200)
	output := env.S3URL("output/" + name + "/" + strings.Repeat("日本語/", 35))
	if n := len([]rune(output)); n > 256 || len(output) <= 256 {
		t.Fatalf("the output path must be at most 256 characters but over 256 bytes: %d characters, %d bytes", n, len(output))
	}
	job := jobArgs{name: name, output: output, body: fmt.Sprintf("  tags = { \"チーム\" = %q }", value)}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config(env, "", job.hcl(env, "test")),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(resourceName, "status", "ACTIVE"),
				resource.TestCheckResourceAttr(resourceName, "job_output.s3_data_destination.path", output),
				checkAPITags(t, env, map[string]string{"チーム": value}),
			),
		}},
	})
}
