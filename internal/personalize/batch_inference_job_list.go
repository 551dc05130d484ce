package personalize

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
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

var (
	_ list.ListResource              = &batchInferenceJobListResource{}
	_ list.ListResourceWithConfigure = &batchInferenceJobListResource{}
)

// NewBatchInferenceJobListResource returns the personalize_batch_inference_job
// list resource, which `terraform query` (Terraform 1.14+) uses to find jobs
// to import.
func NewBatchInferenceJobListResource() list.ListResource {
	return &batchInferenceJobListResource{}
}

type batchInferenceJobListResource struct {
	data *ProviderData
}

func (l *batchInferenceJobListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_batch_inference_job"
}

func (l *batchInferenceJobListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (l *batchInferenceJobListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Finds the Amazon Personalize batch inference jobs of the provider's region, optionally filtered, oldest first " +
			"(by creation time, then by name), for `terraform query` to list and, with `-generate-config-out`, to write import blocks and " +
			"configuration for. Each result has the job's identity (its ARN) and its name as display name; with `include_resource = true` " +
			"it also has every attribute of the job as an import would read it. Needs Terraform v1.14.0 or later.",
		Attributes: map[string]schema.Attribute{},
	}
	for name, f := range jobFilters() {
		resp.Schema.Attributes[name] = schema.StringAttribute{Description: f.description, Optional: true, Validators: f.validators}
	}
}

func (l *batchInferenceJobListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var diags diag.Diagnostics
	conn := l.data.client(&diags)
	var config jobFilterModel
	diags.Append(req.Config.Get(ctx, &config)...)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	filter, d := config.filter()
	diags.Append(d...)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}

	// Nothing is called until Terraform reads the stream, and the reading
	// stops at its limit, so a limit also spares the Describe calls that
	// full resource objects need.
	stream.Results = func(push func(list.ListResult) bool) {
		jobs, err := ListBatchInferenceJobSummaries(ctx, conn, filter)
		if err != nil {
			var diags diag.Diagnostics
			diags.AddError("Cannot list batch inference jobs", err.Error())
			push(list.ListResult{Diagnostics: diags})
			return
		}
		var sent int64
		for _, s := range jobs {
			if req.Limit > 0 && sent >= req.Limit {
				return
			}
			jobARN := aws.ToString(s.BatchInferenceJobArn)
			result := req.NewListResult(ctx)
			result.DisplayName = aws.ToString(s.JobName)
			setIdentity(ctx, result.Identity, types.StringValue(jobARN), &result.Diagnostics)
			if req.IncludeResource {
				found := l.setResource(ctx, req, conn, jobARN, &result)
				if !found {
					// Listed but no longer described: nothing there to import.
					continue
				}
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
func (l *batchInferenceJobListResource) setResource(ctx context.Context, req list.ListRequest, conn *personalize.Client, jobARN string, result *list.ListResult) bool {
	job, err := FindBatchInferenceJobByARN(ctx, conn, jobARN)
	if IsNotFound(err) {
		return false
	}
	if err != nil {
		result.Diagnostics.AddError("Cannot read batch inference job", err.Error())
		return true
	}
	apiTags, err := listTags(ctx, conn, jobARN)
	if err != nil {
		result.Diagnostics.AddError("Cannot read batch inference job tags", err.Error())
		return true
	}

	m := batchInferenceJobResourceModel{Tags: types.MapNull(types.StringType)}
	result.Diagnostics.Append(m.refresh(ctx, job, apiTags, tagPolicyOf(l.data))...)

	timeoutsType, d := req.ResourceSchema.TypeAtPath(ctx, path.Root("timeouts"))
	result.Diagnostics.Append(d...)
	if withAttrs, ok := timeoutsType.(attr.TypeWithAttributeTypes); ok {
		m.Timeouts = timeouts.Value{Object: types.ObjectNull(withAttrs.AttributeTypes())}
	}
	if result.Diagnostics.HasError() {
		return true
	}
	result.Diagnostics.Append(result.Resource.Set(ctx, &m)...)
	return true
}
