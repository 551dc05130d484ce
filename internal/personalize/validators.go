package personalize

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The patterns and limits below are the service's (reference/personalize-api.md);
// they are checked at plan time because the API only reports them one at a
// time, after Terraform has started applying.
var (
	jobNameRegexp        = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9\-_]*$`)
	personalizeARNRegexp = regexp.MustCompile(`^arn:([a-z\d-]+):personalize:.*:.*:.+$`)
	roleARNRegexp        = regexp.MustCompile(`^arn:([a-z\d-]+):iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+$`)
	s3PathRegexp         = regexp.MustCompile(`^(s3|http|https)://.+$`)
	kmsKeyARNRegexp      = regexp.MustCompile(`^arn:aws.*:kms:.*:[0-9]{12}:key/.*$`)
	itemNameRegexp       = regexp.MustCompile(`^[A-Za-z_][A-Za-z\d_]*$`)
	tagRegexp            = regexp.MustCompile(`^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`)
	// jobARNRegexp is what import accepts: a job ARN as the service returns it.
	jobARNRegexp        = regexp.MustCompile(`^arn:[a-z\d-]+:personalize:[a-z0-9-]+:\d{12}:batch-inference-job/[a-zA-Z0-9][a-zA-Z0-9\-_]{0,62}$`)
	segmentJobARNRegexp = regexp.MustCompile(`^arn:[a-z\d-]+:personalize:[a-z0-9-]+:\d{12}:batch-segment-job/[a-zA-Z0-9][a-zA-Z0-9\-_]{0,62}$`)
)

const (
	jobModeBatchInference  = "BATCH_INFERENCE"
	jobModeThemeGeneration = "THEME_GENERATION"

	explorationWeightKey        = "explorationWeight"
	explorationItemAgeCutOffKey = "explorationItemAgeCutOff"

	maxTagsPerResource = 50
	maxNumResults      = 500
)

func jobNameValidators(maxLen int) []validator.String {
	return []validator.String{
		stringvalidator.UTF8LengthBetween(1, maxLen),
		stringvalidator.RegexMatches(jobNameRegexp,
			`must start with a letter or digit and contain only letters, digits, "-" and "_" (for example "weekly-recs-2024")`),
	}
}

func personalizeARNValidators(example string) []validator.String {
	return []validator.String{
		stringvalidator.UTF8LengthAtMost(256),
		stringvalidator.RegexMatches(personalizeARNRegexp, "must be an Amazon Personalize ARN such as "+example),
	}
}

func roleARNValidators() []validator.String {
	return []validator.String{
		stringvalidator.UTF8LengthAtMost(256),
		stringvalidator.RegexMatches(roleARNRegexp,
			"must be an IAM role ARN such as arn:aws:iam::123456789012:role/PersonalizeBatchRole"),
	}
}

func s3PathValidators() []validator.String {
	return []validator.String{
		stringvalidator.UTF8LengthAtMost(256),
		stringvalidator.RegexMatches(s3PathRegexp, `must be an S3 URL such as "s3://bucket/prefix/"`),
	}
}

func kmsKeyARNValidators() []validator.String {
	return []validator.String{
		stringvalidator.UTF8LengthAtMost(2048),
		stringvalidator.RegexMatches(kmsKeyARNRegexp,
			"must be a KMS key ARN such as arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab (aliases are not accepted)"),
	}
}

func itemNameValidators() []validator.String {
	return []validator.String{
		stringvalidator.UTF8LengthBetween(1, 150),
		stringvalidator.RegexMatches(itemNameRegexp,
			"must be the name of a column of the Items dataset: a letter or _ followed by letters, digits or _"),
	}
}

func numResultsValidators() []validator.Int64 {
	return []validator.Int64{int64validator.Between(1, maxNumResults)}
}

func segmentNumResultsValidators() []validator.Int64 {
	return []validator.Int64{int64validator.Between(1, maxSegmentUsers)}
}

func rankingInfluenceValidators() []validator.Map {
	return []validator.Map{
		mapvalidator.SizeAtLeast(1),
		mapvalidator.KeysAre(stringvalidator.OneOf("POPULARITY", "FRESHNESS")),
		mapvalidator.ValueFloat64sAre(float64validator.Between(0, 1)),
	}
}

func itemExplorationConfigValidators() []validator.Map {
	return []validator.Map{
		mapvalidator.SizeAtLeast(1),
		mapvalidator.KeysAre(stringvalidator.OneOf(explorationWeightKey, explorationItemAgeCutOffKey)),
		mapvalidator.ValueStringsAre(stringvalidator.UTF8LengthAtMost(1000)),
		itemExplorationValuesValidator{},
	}
}

// tagsValidators holds the developer guide's tag rules; the API model alone
// would let 200 tags through and reject them at apply time.
func tagsValidators() []validator.Map {
	return []validator.Map{
		mapvalidator.SizeAtMost(maxTagsPerResource),
		mapvalidator.KeysAre(
			stringvalidator.UTF8LengthBetween(1, 128),
			stringvalidator.RegexMatches(tagRegexp, "may contain only letters, digits, spaces and _ . : / = + - @"),
			reservedTagPrefixValidator{what: "key"},
		),
		mapvalidator.ValueStringsAre(
			stringvalidator.UTF8LengthAtMost(256),
			stringvalidator.RegexMatches(tagRegexp, "may contain only letters, digits, spaces and _ . : / = + - @"),
			reservedTagPrefixValidator{what: "value"},
		),
	}
}

// reservedTagPrefixValidator rejects the "aws:" prefix, in any letter case,
// which the tagging rules reserve for AWS in both keys and values.
type reservedTagPrefixValidator struct{ what string }

func (reservedTagPrefixValidator) Description(context.Context) string {
	return `must not start with "aws:"`
}

func (v reservedTagPrefixValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v reservedTagPrefixValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if s := req.ConfigValue.ValueString(); strings.HasPrefix(strings.ToLower(s), "aws:") {
		resp.Diagnostics.AddAttributeError(req.Path, "Reserved tag "+v.what,
			fmt.Sprintf("Tag %s %q starts with \"aws:\", a prefix AWS reserves for its own tags (in any letter case): choose a %s without it.", v.what, s, v.what))
	}
}

// itemExplorationValuesValidator checks each documented key's value, which
// the API takes as a string but reads as a number.
type itemExplorationValuesValidator struct{}

func (itemExplorationValuesValidator) Description(context.Context) string {
	return "explorationWeight must be a number from 0 to 1 and explorationItemAgeCutOff a number of days greater than 0"
}

func (v itemExplorationValuesValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (itemExplorationValuesValidator) ValidateMap(_ context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	elems := req.ConfigValue.Elements()
	keys := make([]string, 0, len(elems))
	for k := range elems {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		s, ok := elems[k].(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			continue
		}
		p := req.Path.AtMapKey(k)
		f, err := strconv.ParseFloat(strings.TrimSpace(s.ValueString()), 64)
		switch {
		// ParseFloat reads "NaN" and "Inf", which compare false with every
		// bound below and which the service refuses.
		case err != nil || math.IsNaN(f) || math.IsInf(f, 0):
			resp.Diagnostics.AddAttributeError(p, "Invalid item exploration value",
				fmt.Sprintf("batch_inference_job_config.item_exploration_config.%s %q is not a number: write it as a decimal number in a string, for example \"0.3\".", k, s.ValueString()))
		case k == explorationWeightKey && (f < 0 || f > 1):
			resp.Diagnostics.AddAttributeError(p, "Invalid item exploration value",
				fmt.Sprintf("batch_inference_job_config.item_exploration_config.explorationWeight %q is out of range: use a number from 0 (no exploration) to 1 (most exploration); the service default is 0.3.", s.ValueString()))
		case k == explorationItemAgeCutOffKey && f <= 0:
			resp.Diagnostics.AddAttributeError(p, "Invalid item exploration value",
				fmt.Sprintf("batch_inference_job_config.item_exploration_config.explorationItemAgeCutOff %q is not positive: use a number of days greater than 0; the service default is 30.", s.ValueString()))
		}
	}
}
