package personalize

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/personalize"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// jobListResource finds the jobs of one type for `terraform query`; M is the
// type's resource model, which each result's resource object fills.
type jobListResource[J, In any] struct {
	kind *jobKind[J, In]
	data *ProviderData
}

var _ list.ListResourceWithConfigure = &jobListResource[struct{}, struct{}]{}

func (l *jobListResource[J, In]) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + l.kind.typeName
}

func (l *jobListResource[J, In]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (l *jobListResource[J, In]) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Finds the Amazon Personalize " + l.kind.noun + "s of the provider's region, optionally filtered, oldest first " +
			"(by creation time, then by name), for `terraform query` to list and, with `-generate-config-out`, to write import blocks and " +
			"configuration for. Each result has the job's identity (its ARN) and its name as display name; with `include_resource = true` " +
			"it also has every attribute of the job as an import would read it. Needs Terraform v1.14.0 or later.",
		Attributes: map[string]schema.Attribute{},
	}
	for name, f := range filterAttributes(l.kind) {
		resp.Schema.Attributes[name] = schema.StringAttribute{Description: f.description, Optional: true, Validators: f.validators}
	}
}

func (l *jobListResource[J, In]) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var diags diag.Diagnostics
	conn := l.data.client(&diags)
	filter, d := configuredFilter(ctx, l.kind, req.Config)
	diags.Append(d...)
	if !diags.HasError() {
		// A filter its validators refused gets no second error here.
		diags.Append(checkPlacement(ctx, req.Config, l.data, personalizeARNInRegion(path.Root(l.kind.parentAttribute), l.kind.parentNoun))...)
	}
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}

	// Nothing is called until Terraform reads the stream, and the reading
	// stops at its limit, so a limit also spares the Describe calls that
	// full resource objects need.
	stream.Results = func(push func(list.ListResult) bool) {
		jobs, err := listJobs(ctx, l.kind, conn, filter)
		if err != nil {
			var diags diag.Diagnostics
			diags.AddError(errorSummary("Cannot list "+l.kind.noun+"s", err), err.Error())
			push(list.ListResult{Diagnostics: diags})
			return
		}
		var sent int64
		for _, s := range jobs {
			if req.Limit > 0 && sent >= req.Limit {
				return
			}
			jobARN := s.ARN
			result := req.NewListResult(ctx)
			result.DisplayName = s.Name
			setIdentity(ctx, l.kind, result.Identity, types.StringValue(jobARN), &result.Diagnostics)
			if req.IncludeResource {
				found := l.setResource(ctx, req, conn, jobARN, &result)
				if !found {
					// Listed but no longer described: nothing there to import.
					continue
				}
			}
			if result.DisplayName == "" {
				result.DisplayName = unnamedDisplayName(ctx, l.kind, result, jobARN)
			}
			sent++
			if !push(result) || result.Diagnostics.HasError() {
				return
			}
		}
	}
}

// setResource puts into result the state an import of the job would end
// with: what Read makes of an imported job (the described job, its tags
// under the provider's default_tags and ignore_tags) and the arguments
// import sets, wait_for_completion at its default and no timeouts. It
// reports false when the job cannot be found any more.
func (l *jobListResource[J, In]) setResource(ctx context.Context, req list.ListRequest, conn *personalize.Client, jobARN string, result *list.ListResult) bool {
	job, err := findJob(ctx, l.kind, conn, jobARN)
	if isNotFound(err) {
		return false
	}
	if err != nil {
		result.Diagnostics.AddError(errorSummary("Cannot read "+l.kind.noun, err), err.Error())
		return true
	}
	apiTags, err := listTags(ctx, conn, jobARN)
	if err != nil {
		result.Diagnostics.AddError(errorSummary("Cannot read "+l.kind.noun+" tags", err), err.Error())
		return true
	}

	m := l.kind.newModel()
	m.fields().Tags = types.MapNull(types.StringType)
	result.Diagnostics.Append(refreshJob(ctx, m, job, apiTags, tagPolicyOf(l.data))...)

	timeoutsType, d := req.ResourceSchema.TypeAtPath(ctx, path.Root("timeouts"))
	result.Diagnostics.Append(d...)
	if withAttrs, ok := timeoutsType.(attr.TypeWithAttributeTypes); ok {
		m.fields().Timeouts = timeouts.Value{Object: types.ObjectNull(withAttrs.AttributeTypes())}
	}
	if result.Diagnostics.HasError() {
		return true
	}
	result.Diagnostics.Append(result.Resource.Set(ctx, m)...)
	return true
}

// unnamedDisplayName names a job whose summary has no name: by the name in
// its resource object when there is one, else by the end of its ARN.
func unnamedDisplayName[J, In any](ctx context.Context, k *jobKind[J, In], result list.ListResult, jobARN string) string {
	if result.Resource != nil && !result.Resource.Raw.IsNull() {
		var name types.String
		if d := result.Resource.GetAttribute(ctx, path.Root(k.nameAttribute), &name); !d.HasError() && name.ValueString() != "" {
			return name.ValueString()
		}
	}
	return jobARN[strings.LastIndex(jobARN, "/")+1:]
}
