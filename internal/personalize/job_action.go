package personalize

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/action"
	aschema "github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// jobAction starts a job from `action_trigger` or `terraform apply -invoke`
// (Terraform 1.14+): the imperative twin of the job resource, with the
// resource's arguments and validation and the same queue, adoption and
// waiter, but nothing kept in state. The kind's resource is the source of
// the schema and of the rules that tie arguments together.
type jobAction[J, In any] struct {
	kind *jobKind[J, In]
	data *ProviderData
}

var (
	_ action.ActionWithConfigure      = &jobAction[struct{}, struct{}]{}
	_ action.ActionWithValidateConfig = &jobAction[struct{}, struct{}]{}
	_ action.ActionWithModifyPlan     = &jobAction[struct{}, struct{}]{}
)

// actionOnlyAttributes are resource attributes the action has in a form of
// its own, or not at all.
var actionOnlyAttributes = map[string]bool{"wait_for_completion": true, "timeouts": true}

func (a *jobAction[J, In]) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + a.kind.typeName
}

func (a *jobAction[J, In]) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (a *jobAction[J, In]) resourceSchema(ctx context.Context) rschema.Schema {
	return a.kind.resourceSchema(ctx, a.kind)
}

func (a *jobAction[J, In]) Schema(ctx context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	attrs := map[string]aschema.Attribute{}
	for name, attr := range a.resourceSchema(ctx).Attributes {
		if actionOnlyAttributes[name] {
			continue
		}
		if converted, ok := actionAttribute(attr); ok {
			attrs[name] = converted
		}
	}
	if prefix, ok := attrs[a.kind.prefixAttribute()].(aschema.StringAttribute); ok {
		prefix.Description = fmt.Sprintf("Generates `job_name`: this prefix (1 to %d letters, digits, `-` and `_`, starting with a letter or digit) followed by 24 random hex digits, "+
			"a new name for every invocation. Exactly one of `job_name` and `job_name_prefix` is required.", jobNamePrefixMaxLen)
		attrs[a.kind.prefixAttribute()] = prefix
	}
	attrs["wait_for_completion"] = aschema.BoolAttribute{
		Description: "Wait for the job to finish (`ACTIVE`) before the action completes (default `true`), reporting each status change. " +
			"With `false`, the action completes once the job is submitted.",
		Optional: true,
	}
	attrs["timeout"] = aschema.StringAttribute{
		Description: fmt.Sprintf("How long the action may take, queueing behind the account's running-job quota included: a duration such as \"30m\" or \"4h\" (default %s). "+
			"When it runs out, the action fails naming the job, which keeps running in AWS.", hours(defaultCreateTimeout)),
		Optional:   true,
		Validators: []validator.String{durationValidator{}},
	}
	resp.Schema = aschema.Schema{
		Description: fmt.Sprintf("Starts an Amazon Personalize %s and, unless `wait_for_completion = false`, waits for it to finish, reporting its progress. "+
			"It takes the arguments of the `personalize_%s` resource and checks them the same way, but keeps nothing in the Terraform state: "+
			"every invocation starts a new job (with `job_name_prefix`, under a new name), for pipelines that run a job on demand "+
			"(`terraform apply -invoke`) or after another resource changes (`action_trigger`). Needs Terraform v1.14.0 or later.",
			a.kind.noun, a.kind.typeName),
		Attributes: attrs,
	}
}

// actionAttribute is a resource argument as an action argument: the same
// description and validators. Attributes the service computes have no place
// in an action's configuration.
func actionAttribute(attr rschema.Attribute) (aschema.Attribute, bool) {
	if !attr.IsRequired() && !attr.IsOptional() {
		return nil, false
	}
	switch a := attr.(type) {
	case rschema.StringAttribute:
		return aschema.StringAttribute{Description: a.Description, Required: a.Required, Optional: a.Optional, Validators: a.Validators, CustomType: a.CustomType}, true
	case rschema.Int64Attribute:
		return aschema.Int64Attribute{Description: a.Description, Required: a.Required, Optional: a.Optional, Validators: a.Validators}, true
	case rschema.BoolAttribute:
		return aschema.BoolAttribute{Description: a.Description, Required: a.Required, Optional: a.Optional, Validators: a.Validators}, true
	case rschema.MapAttribute:
		return aschema.MapAttribute{Description: a.Description, Required: a.Required, Optional: a.Optional, Validators: a.Validators, ElementType: a.ElementType}, true
	case rschema.SingleNestedAttribute:
		nested := map[string]aschema.Attribute{}
		for name, inner := range a.Attributes {
			if converted, ok := actionAttribute(inner); ok {
				nested[name] = converted
			}
		}
		return aschema.SingleNestedAttribute{Description: a.Description, Required: a.Required, Optional: a.Optional, Validators: a.Validators, Attributes: nested}, true
	}
	return nil, false
}

// asResourceConfig gives the action's configuration the shape of the
// resource's: every attribute the action lacks is null. That lets the
// resource's own validation and model read it.
func (a *jobAction[J, In]) asResourceConfig(ctx context.Context, config tfsdk.Config) (tfsdk.Config, diag.Diagnostics) {
	var diags diag.Diagnostics
	s := a.resourceSchema(ctx)
	objType, ok := s.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		diags.AddError("Unexpected resource schema", "The resource schema is not an object. This is a bug in the provider.")
		return tfsdk.Config{}, diags
	}
	var given map[string]tftypes.Value
	if err := config.Raw.As(&given); err != nil {
		diags.AddError("Unexpected action configuration", fmt.Sprintf("Reading the action's configuration: %s. This is a bug in the provider.", err))
		return tfsdk.Config{}, diags
	}
	values := map[string]tftypes.Value{}
	for name, t := range objType.AttributeTypes {
		if v, ok := given[name]; ok && !actionOnlyAttributes[name] && v.Type().Equal(t) {
			values[name] = v
		} else {
			values[name] = tftypes.NewValue(t, nil)
		}
	}
	return tfsdk.Config{Schema: s, Raw: tftypes.NewValue(objType, values)}, diags
}

// ValidateConfig runs the resource's rules that tie several arguments
// together (exactly one of job_name and job_name_prefix, mode and theme
// settings, …) on the action's configuration.
func (a *jobAction[J, In]) ValidateConfig(ctx context.Context, req action.ValidateConfigRequest, resp *action.ValidateConfigResponse) {
	config, diags := a.asResourceConfig(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	var r resource.ValidateConfigResponse
	(&jobResource[J, In]{kind: a.kind}).ValidateConfig(ctx, resource.ValidateConfigRequest{Config: config}, &r)
	resp.Diagnostics.Append(r.Diagnostics...)
}

// ModifyPlan checks, once the provider's region is known, what the
// resource's ModifyPlan checks: that the arguments point into that region.
// Terraform plans an action again at apply time, with the values that were
// unknown filled in.
func (a *jobAction[J, In]) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	resp.Diagnostics.Append(checkPlacement(ctx, req.Config, a.data, a.kind.placement...)...)
}

func (a *jobAction[J, In]) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	progress := func(format string, args ...any) {
		if resp.SendProgress != nil {
			resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf(format, args...)})
		}
	}
	conn := a.data.client(&resp.Diagnostics)
	// The action's own arguments, beyond the resource's.
	var wait types.Bool
	var timeoutArg types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("wait_for_completion"), &wait)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("timeout"), &timeoutArg)...)
	config, diags := a.asResourceConfig(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Values unknown when the action was planned are checked here at the latest.
	resp.Diagnostics.Append(checkPlacement(ctx, req.Config, a.data, a.kind.placement...)...)
	m := a.kind.newModel()
	resp.Diagnostics.Append(config.Get(ctx, m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout := defaultCreateTimeout
	if v := timeoutArg.ValueString(); v != "" {
		var err error
		// Checked at plan time already, unless it was not known then.
		if timeout, err = time.ParseDuration(v); err != nil || timeout <= 0 {
			resp.Diagnostics.AddAttributeError(path.Root("timeout"), "Invalid timeout", durationErrorDetail("timeout", v))
			return
		}
	}

	f, name := m.fields(), m.name()
	if name.IsNull() {
		// Every invocation is a new job, so the name is random: an action keeps
		// no state for a generated name to be found again from.
		*name = types.StringValue(randomJobName(m.namePrefix().ValueString()))
	}
	tags, diags := tagsFromMap(ctx, f.Tags)
	resp.Diagnostics.Append(diags...)
	input, diags := createRequest(ctx, a.kind, m, tagPolicyOf(a.data).all(tags))
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	waitCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	progress("Submitting %s %q", a.kind.noun, name.ValueString())
	jobARN, adopted, diags := submitJob(waitCtx, ctx, a.kind, a.data, conn, input, timeout, func(msg string) { progress("%s", msg) }, false)
	resp.Diagnostics.Append(refusalsAt(req.Config.Raw, diags)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if adopted {
		progress("Found %s, made by an earlier attempt with the same name and arguments; following it instead of starting another", jobARN)
	} else {
		progress("Started %s", jobARN)
	}
	if !wait.IsNull() && !wait.ValueBool() {
		return
	}

	start := time.Now()
	last := ""
	job, err := waitSubmitted(waitCtx, a.kind, a.data, conn, jobARN, input, adopted, func(v jobView) bool {
		if v.Status != last {
			progress("%s %s: %s after %s", capitalize(a.kind.noun), v.Name, v.Status, time.Since(start).Round(time.Second))
			last = v.Status
		}
		return jobFinished(v)
	})
	switch {
	case err != nil:
		resp.Diagnostics.AddError("Stopped waiting for the "+a.kind.noun,
			fmt.Sprintf("%s while %s %s was %s. The job keeps running in AWS; read it with the personalize_%s data source, or invoke the action with a longer timeout next time.",
				stoppedWaitingReason(ctx, waitCtx, err, "timeout", timeout), a.kind.noun, jobARN, statusOrUnknown(last), a.kind.typeName))
	default:
		addFailure(a.kind, job, &resp.Diagnostics)
	}
}
