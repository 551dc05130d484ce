package personalize_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
)

// words matches a message however Terraform wraps it: each space in the
// phrase matches any run of white space.
func words(phrases ...string) *regexp.Regexp {
	parts := make([]string, len(phrases))
	for i, p := range phrases {
		fields := strings.Fields(p)
		for j, f := range fields {
			fields[j] = regexp.QuoteMeta(f)
		}
		parts[i] = strings.Join(fields, `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, ".*"))
}

type invalidCase struct {
	name     string
	job      func(env *acctest.Env) jobArgs
	provider string
	want     *regexp.Regexp
}

// Every rule the API enforces, and every rule tying arguments together, stops
// the plan with an error naming the attribute; nothing reaches the API.
func TestAccBatchInferenceJob_planTimeValidation(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	named := func(body string) func(env *acctest.Env) jobArgs {
		return func(env *acctest.Env) jobArgs {
			return jobArgs{name: "valid-name", output: env.OutputPrefix("v"), body: body}
		}
	}
	manyTags := make([]string, 51)
	for i := range manyTags {
		manyTags[i] = fmt.Sprintf("k%d = \"v\"", i)
	}
	fortyTags := strings.Join(manyTags[:40], ", ")
	cases := []invalidCase{
		{"job_name pattern", func(env *acctest.Env) jobArgs { return jobArgs{name: "bad name", output: env.OutputPrefix("v")} },
			"", words("job_name", "must start with a letter or digit", `got: bad name`)},
		{"job_name length", func(env *acctest.Env) jobArgs {
			return jobArgs{name: strings.Repeat("a", 64), output: env.OutputPrefix("v")}
		},
			"", words("job_name UTF-8 character count must be between 1 and 63")},
		{"job_name_prefix length", func(env *acctest.Env) jobArgs {
			return jobArgs{prefix: strings.Repeat("a", 40), output: env.OutputPrefix("v")}
		},
			"", words("job_name_prefix UTF-8 character count must be between 1 and 39")},
		{"job_name and job_name_prefix", named(`  job_name_prefix = "also-"`),
			"", words("Exactly one of these attributes must be configured", "[job_name,job_name_prefix]")},
		{"neither job_name nor job_name_prefix", func(env *acctest.Env) jobArgs { return jobArgs{output: env.OutputPrefix("v")} },
			"", words("Exactly one of these attributes must be configured", "[job_name,job_name_prefix]")},
		{"solution_version_arn pattern", func(env *acctest.Env) jobArgs {
			return jobArgs{name: "valid-name", sv: "arn:aws:sagemaker:us-east-1:123456789012:model/x", output: env.OutputPrefix("v")}
		}, "", words("solution_version_arn must be an Amazon Personalize ARN")},
		{"solution_version_arn length", func(env *acctest.Env) jobArgs {
			return jobArgs{name: "valid-name", sv: "arn:aws:personalize:us-east-1:123456789012:solution/" + strings.Repeat("s", 220), output: env.OutputPrefix("v")}
		}, "", words("solution_version_arn UTF-8 character count must be at most 256")},
		{"filter_arn pattern", named(`  filter_arn = "demo-filter"`), "", words("filter_arn must be an Amazon Personalize ARN")},
		{"role_arn pattern", func(env *acctest.Env) jobArgs {
			return jobArgs{name: "valid-name", role: "arn:aws:iam::123:role/short-account", output: env.OutputPrefix("v")}
		}, "", words("role_arn must be an IAM role ARN")},
		{"input path pattern", func(env *acctest.Env) jobArgs {
			return jobArgs{name: "valid-name", input: "bucket/input/", output: env.OutputPrefix("v")}
		}, "", words("job_input.s3_data_source.path must be an S3 URL")},
		{"output path length", func(env *acctest.Env) jobArgs {
			return jobArgs{name: "valid-name", output: "s3://bucket/" + strings.Repeat("o", 250)}
		}, "", words("job_output.s3_data_destination.path UTF-8 character count must be at most 256")},
		{"kms_key_arn pattern", func(env *acctest.Env) jobArgs {
			return jobArgs{name: "valid-name", inputKMS: "alias/my-key", output: env.OutputPrefix("v")}
		}, "", words("job_input.s3_data_source.kms_key_arn must be a KMS key ARN")},
		{"num_results too small", named(`  num_results = 0`), "", words("num_results value must be between 1 and 500, got: 0")},
		{"num_results too large", named(`  num_results = 501`), "", words("num_results value must be between 1 and 500, got: 501")},
		{"mode value", named(`  batch_inference_job_mode = "STREAMING"`), "", words("batch_inference_job_mode value must be one of", "STREAMING")},
		{"theme mode without theme config", named(`  batch_inference_job_mode = "THEME_GENERATION"`),
			"", words("Missing theme_generation_config", "add it, or use")},
		{"theme config without theme mode", named(`  theme_generation_config = { fields_for_theme_generation = { item_name = "TITLE" } }`),
			"", words("theme_generation_config is only accepted with", "BATCH_INFERENCE (the default)")},
		{"item_name pattern", named(`
  batch_inference_job_mode = "THEME_GENERATION"
  theme_generation_config = { fields_for_theme_generation = { item_name = "1title" } }`),
			"", words("theme_generation_config.fields_for_theme_generation.item_name must be the name of a column")},
		{"ranking_influence key", named(`  batch_inference_job_config = { ranking_influence = { RECENCY = 0.5 } }`),
			"", words("batch_inference_job_config.ranking_influence", "must be one of", "RECENCY")},
		{"ranking_influence value", named(`  batch_inference_job_config = { ranking_influence = { POPULARITY = 1.5 } }`),
			"", words(`batch_inference_job_config.ranking_influence["POPULARITY"] value must be between 0`)},
		{"item_exploration_config key", named(`  batch_inference_job_config = { item_exploration_config = { explorationRate = "0.5" } }`),
			"", words("batch_inference_job_config.item_exploration_config", "must be one of", "explorationRate")},
		{"explorationWeight range", named(`  batch_inference_job_config = { item_exploration_config = { explorationWeight = "2" } }`),
			"", words(`explorationWeight "2" is out of range`, "from 0", "to 1")},
		{"explorationWeight not a number", named(`  batch_inference_job_config = { item_exploration_config = { explorationWeight = "high" } }`),
			"", words(`explorationWeight "high" is not a number`)},
		{"explorationItemAgeCutOff not positive", named(`  batch_inference_job_config = { item_exploration_config = { explorationItemAgeCutOff = "0" } }`),
			"", words(`explorationItemAgeCutOff "0" is not positive`)},
		{"empty batch_inference_job_config", named(`  batch_inference_job_config = {}`),
			"", words("batch_inference_job_config sets neither item_exploration_config nor ranking_influence")},
		{"too many tags", named("  tags = { " + strings.Join(manyTags, ", ") + " }"),
			"", words("tags map must contain at most 50 elements, got: 51")},
		{"tags with default_tags over the limit", named("  tags = { " + fortyTags + " }"),
			"  default_tags {\n    tags = { " + strings.ReplaceAll(strings.Join(manyTags[:11], ", "), "k", "d") + " }\n  }",
			words("tags and the provider's default_tags together give the job 51 tags", "at most 50")},
		{"reserved tag key", named(`  tags = { "aws:owner" = "me" }`), "", words(`Tag key "aws:owner" starts with "aws:"`)},
		{"reserved tag value", named(`  tags = { owner = "AWS:me" }`), "", words(`Tag value "AWS:me" starts with "aws:"`)},
		{"tag key length", named(fmt.Sprintf(`  tags = { %s = "v" }`, strings.Repeat("k", 129))), "", words("tags", "UTF-8 character count must be between 1 and 128")},
		{"tag value length", named(fmt.Sprintf(`  tags = { k = %q }`, strings.Repeat("v", 257))), "", words(`tags["k"] UTF-8 character count must be at most 256`)},
		{"tag characters", named(`  tags = { "a*b" = "v" }`), "", words("tags", "may contain only letters, digits, spaces")},
		{"timeout format", named(`  timeouts = { create = "3 hours" }`), "", words(`timeouts.create "3 hours" is not a duration`, `such as "30m", "4h"`)},
	}

	steps := make([]resource.TestStep, 0, len(cases))
	for _, c := range cases {
		steps = append(steps, resource.TestStep{
			Config:      config(env, c.provider, c.job(env).hcl(env, "test")),
			PlanOnly:    true,
			ExpectError: c.want,
		})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps:                    steps,
	})

	if env.Emulator != nil {
		for op, n := range env.Emulator.Stats().Calls {
			if op != "GetCallerIdentity" && n > 0 {
				t.Errorf("plan-time validation let %d %s call(s) through to the API", n, op)
			}
		}
	}
}
