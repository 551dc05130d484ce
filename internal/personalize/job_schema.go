package personalize

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

const (
	// AWS's own sample waits up to three hours for a batch inference job, and
	// jobs over large inputs do take hours; a shorter default would give up on
	// healthy jobs.
	defaultCreateTimeout = 3 * time.Hour
	defaultUpdateTimeout = 3 * time.Hour
)

// Plan modifier sets. UseStateForUnknown comes first so that an optional and
// computed argument left out of the configuration keeps the value the service
// chose instead of looking changed (which would force a replacement).
var (
	replaceString          = []planmodifier.String{stringplanmodifier.RequiresReplace()}
	keepAndReplaceString   = []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()}
	keepString             = []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	replaceObject          = []planmodifier.Object{objectplanmodifier.RequiresReplace()}
	keepAndReplaceObject   = []planmodifier.Object{objectplanmodifier.UseStateForUnknown(), objectplanmodifier.RequiresReplace()}
	keepAndReplaceInt64    = []planmodifier.Int64{int64planmodifier.UseStateForUnknown(), int64planmodifier.RequiresReplace()}
	solutionVersionExample = "arn:aws:personalize:us-east-1:123456789012:solution/my-solution/1a2b3c4d"
	filterExample          = "arn:aws:personalize:us-east-1:123456789012:filter/my-filter"
)

// hours writes a whole number of hours the way a user would ("3h").
func hours(d time.Duration) string { //nolint:unparam // every default is 3h today; each caller names its own
	return strings.TrimSuffix(d.String(), "0m0s")
}

// jobResourceAttributes are the attributes every job resource has; the
// type's schema adds its own.
func jobResourceAttributes[J, In any](ctx context.Context, k *jobKind[J, In]) map[string]schema.Attribute {
	it := k.it()
	timeoutsAttr := timeouts.Attributes(ctx, timeouts.Opts{
		Create: true,
		Update: true,
		CreateDescription: fmt.Sprintf("How long create may take, queueing behind the account's running-job quota included: a duration such as \"30m\" or \"4h\" (default %s). "+
			"When it runs out while the %[2]s is still running, the %[2]s is kept in state and the next apply resumes waiting.", hours(defaultCreateTimeout), it),
		UpdateDescription: fmt.Sprintf("How long an apply that resumes waiting for a running job may wait: a duration such as \"30m\" or \"4h\" (default %s).", hours(defaultUpdateTimeout)),
	}).(schema.SingleNestedAttribute)
	// The library's own check names neither the attribute nor a sensible
	// example ("-1.5h"); ours does both and refuses durations of zero or less.
	for name, a := range timeoutsAttr.Attributes {
		if str, ok := a.(schema.StringAttribute); ok {
			str.Validators = []validator.String{durationValidator{}}
			timeoutsAttr.Attributes[name] = str
		}
	}
	timeoutsAttr.Description = fmt.Sprintf("How long to wait for the %[2]s. The default is %[1]s for both, the time AWS's own sample waits for a batch job; a %[2]s over a lot of data can run for hours.", hours(defaultCreateTimeout), it)

	return map[string]schema.Attribute{
		"id": schema.StringAttribute{
			Description:   "The " + it + "'s ARN, repeated for tools that expect an `id`.",
			Computed:      true,
			PlanModifiers: keepString,
		},
		k.arnAttribute: schema.StringAttribute{
			Description:   fmt.Sprintf("The ARN of the %s (`arn:<partition>:personalize:<region>:<account>:%s`).", k.noun, k.arnShape),
			Computed:      true,
			PlanModifiers: keepString,
		},
		"creation_date_time": schema.StringAttribute{
			Description:   "When the " + it + " was created (RFC 3339).",
			CustomType:    timetypes.RFC3339Type{},
			Computed:      true,
			PlanModifiers: keepString,
		},
		"failure_reason": schema.StringAttribute{
			Description:   "Why the " + it + " failed, when `status` is `CREATE FAILED`.",
			Computed:      true,
			PlanModifiers: keepString,
		},
		k.nameAttribute: schema.StringAttribute{
			Description: fmt.Sprintf("The %[3]s's name: 1 to 63 letters, digits, `-` and `_`, starting with a letter or digit. A name can never be used again in the account and region, "+
				"even after the %[3]s is forgotten, so a replacement with the same name fails: prefer `%[2]s`. Exactly one of `%[1]s` and `%[2]s` is required.", k.nameAttribute, k.prefixAttribute(), it),
			Optional:      true,
			Computed:      true,
			Validators:    jobNameValidators(jobNameMaxLen),
			PlanModifiers: keepAndReplaceString,
		},
		k.prefixAttribute(): schema.StringAttribute{
			Description: fmt.Sprintf("Generates `%[2]s`: this prefix (1 to %[1]d letters, digits, `-` and `_`, starting with a letter or digit) followed by 24 hex digits derived from the %[4]s's arguments, "+
				"so that every new %[4]s (a replacement, a re-create after destroy) gets a new name, while the apply after a killed one finds the %[4]ss it submitted and adopts them. "+
				"Exactly one of `%[2]s` and `%[3]s` is required.", jobNamePrefixMaxLen, k.nameAttribute, k.prefixAttribute(), it),
			Optional: true,
			// Computed so that import can derive it from a generated name; left
			// out of the configuration it keeps what state has, not "known after apply".
			Computed:      true,
			Validators:    jobNameValidators(jobNamePrefixMaxLen),
			PlanModifiers: []planmodifier.String{priorUnlessConfigured{}, stringplanmodifier.RequiresReplace()},
		},
		"last_updated_date_time": schema.StringAttribute{
			Description:   "When the " + it + " last changed status (RFC 3339).",
			CustomType:    timetypes.RFC3339Type{},
			Computed:      true,
			PlanModifiers: keepString,
		},
		"status": schema.StringAttribute{
			Description:   k.statusDescription,
			Computed:      true,
			PlanModifiers: keepString,
		},
		"tags": schema.MapAttribute{
			Description: fmt.Sprintf("Tags of the "+it+", changed in place. At most %d including the provider's `default_tags`; keys 1 to 128 characters, values up to 256, "+
				"letters, digits, spaces and `_ . : / = + - @`; keys must not start with `aws:`.", maxTagsPerResource),
			ElementType: types.StringType,
			Optional:    true,
			Validators:  tagsValidators(),
		},
		"tags_all": schema.MapAttribute{
			Description: "All tags of the " + it + ": the provider's `default_tags` merged with `tags`, less the keys the provider's `ignore_tags` names.",
			ElementType: types.StringType,
			Computed:    true,
		},
		"timeouts": timeoutsAttr,
		"wait_for_completion": schema.BoolAttribute{
			Description: fmt.Sprintf("Wait for the %[1]s to finish (`ACTIVE`) before create returns (default `true`). With `false`, create returns once the %[1]s is submitted; "+
				"setting it back to `true` later makes the next apply wait for a %[1]s still running.", it),
			Optional: true,
			Computed: true,
			Default:  booldefault.StaticBool(true),
		},
	}
}

// priorUnlessConfigured plans an optional and computed argument left out of
// the configuration as what state holds (null for a new job), where the
// framework would plan it unknown.
type priorUnlessConfigured struct{}

func (priorUnlessConfigured) Description(context.Context) string {
	return "keeps the value in state when the configuration leaves it out"
}

func (m priorUnlessConfigured) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (priorUnlessConfigured) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.ConfigValue.IsNull() {
		resp.PlanValue = types.StringNull()
		if !req.State.Raw.IsNull() {
			resp.PlanValue = req.StateValue
		}
	}
}
