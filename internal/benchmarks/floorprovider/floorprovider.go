// Package floorprovider is the benchmark's floor for plugin providers: a
// terraform-plugin-framework provider whose one resource has the schema shape
// of personalize_batch_inference_job (the same attributes, types and nesting)
// and does nothing else. No validators, no plan modifiers, no defaults, no
// API calls; create fills in the computed attributes with fixed values, read
// and update hand back what they were given. It is written the way a minimal
// framework provider is written (a model struct, Get and Set), so what it
// costs is what any plugin provider of this schema pays for Terraform's
// protocol, the framework and the process.
package floorprovider

import (
	"context"
	"os"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

const (
	// TypeName is the provider's type name; the resource is floor_batch_inference_job.
	TypeName = "floor"
	// Address is where the benchmark's dev_overrides point Terraform.
	Address = "registry.terraform.io/tfpersonalize/floor"
	// ResourceTypeName is the floor's resource in configurations.
	ResourceTypeName = TypeName + "_batch_inference_job"
)

var (
	_ provider.Provider = (*floorProvider)(nil)
	_ resource.Resource = (*jobResource)(nil)
)

type floorProvider struct{}

// New returns the provider factory that the floor's main serves.
func New() func() provider.Provider {
	return func() provider.Provider { return &floorProvider{} }
}

func (*floorProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = TypeName
}

func (*floorProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}

func (*floorProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (*floorProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return &jobResource{} }}
}

func (*floorProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

type jobResource struct{}

type jobModel struct {
	ID                      types.String `tfsdk:"id"`
	BatchInferenceJobARN    types.String `tfsdk:"batch_inference_job_arn"`
	BatchInferenceJobConfig types.Object `tfsdk:"batch_inference_job_config"`
	BatchInferenceJobMode   types.String `tfsdk:"batch_inference_job_mode"`
	CreationDateTime        types.String `tfsdk:"creation_date_time"`
	FailureReason           types.String `tfsdk:"failure_reason"`
	FilterARN               types.String `tfsdk:"filter_arn"`
	JobInput                types.Object `tfsdk:"job_input"`
	JobName                 types.String `tfsdk:"job_name"`
	JobNamePrefix           types.String `tfsdk:"job_name_prefix"`
	JobOutput               types.Object `tfsdk:"job_output"`
	LastUpdatedDateTime     types.String `tfsdk:"last_updated_date_time"`
	NumResults              types.Int64  `tfsdk:"num_results"`
	RoleARN                 types.String `tfsdk:"role_arn"`
	SolutionVersionARN      types.String `tfsdk:"solution_version_arn"`
	Status                  types.String `tfsdk:"status"`
	ThemeGenerationConfig   types.Object `tfsdk:"theme_generation_config"`
	Tags                    types.Map    `tfsdk:"tags"`
	TagsAll                 types.Map    `tfsdk:"tags_all"`
	Timeouts                types.Object `tfsdk:"timeouts"`
	WaitForCompletion       types.Bool   `tfsdk:"wait_for_completion"`
}

func (*jobResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = ResourceTypeName
}

func s3DataConfig() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Required: true,
		Attributes: map[string]schema.Attribute{
			"path":        schema.StringAttribute{Required: true},
			"kms_key_arn": schema.StringAttribute{Optional: true},
		},
	}
}

// Schema mirrors personalize_batch_inference_job; a test in this package
// fails when the two shapes part.
func (*jobResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	computed := schema.StringAttribute{Computed: true}
	resp.Schema = schema.Schema{
		Attributes: map[string]schema.Attribute{
			"id":                      computed,
			"batch_inference_job_arn": computed,
			"batch_inference_job_config": schema.SingleNestedAttribute{
				Optional: true,
				Computed: true,
				Attributes: map[string]schema.Attribute{
					"item_exploration_config": schema.MapAttribute{ElementType: types.StringType, Optional: true},
					"ranking_influence":       schema.MapAttribute{ElementType: types.Float64Type, Optional: true},
				},
			},
			"batch_inference_job_mode": schema.StringAttribute{Optional: true, Computed: true},
			"creation_date_time":       computed,
			"failure_reason":           computed,
			"filter_arn":               schema.StringAttribute{Optional: true},
			"job_input": schema.SingleNestedAttribute{
				Required:   true,
				Attributes: map[string]schema.Attribute{"s3_data_source": s3DataConfig()},
			},
			"job_name":        schema.StringAttribute{Optional: true, Computed: true},
			"job_name_prefix": schema.StringAttribute{Optional: true, Computed: true},
			"job_output": schema.SingleNestedAttribute{
				Required:   true,
				Attributes: map[string]schema.Attribute{"s3_data_destination": s3DataConfig()},
			},
			"last_updated_date_time": computed,
			"num_results":            schema.Int64Attribute{Optional: true, Computed: true},
			"role_arn":               schema.StringAttribute{Required: true},
			"solution_version_arn":   schema.StringAttribute{Required: true},
			"status":                 computed,
			"theme_generation_config": schema.SingleNestedAttribute{
				Optional: true,
				Attributes: map[string]schema.Attribute{
					"fields_for_theme_generation": schema.SingleNestedAttribute{
						Required: true,
						Attributes: map[string]schema.Attribute{
							"item_name": schema.StringAttribute{Required: true},
						},
					},
				},
			},
			"tags":     schema.MapAttribute{ElementType: types.StringType, Optional: true},
			"tags_all": schema.MapAttribute{ElementType: types.StringType, Computed: true},
			"timeouts": schema.SingleNestedAttribute{
				Optional: true,
				Attributes: map[string]schema.Attribute{
					"create": schema.StringAttribute{Optional: true},
					"update": schema.StringAttribute{Optional: true},
				},
			},
			"wait_for_completion": schema.BoolAttribute{Optional: true, Computed: true},
		},
	}
}

var configAttrTypes = map[string]attr.Type{
	"item_exploration_config": types.MapType{ElemType: types.StringType},
	"ranking_influence":       types.MapType{ElemType: types.Float64Type},
}

// The values a finished job reports, fixed: the floor has no service.
const (
	arnPrefix = "arn:aws:personalize:us-east-1:123456789012:batch-inference-job/"
	createdAt = "2026-01-01T00:00:00Z"
)

// CreateDelayEnv, a Go duration, makes every create take that long, as a
// job of that duration would for a provider that learns the very moment it
// finished: Terraform's own floor for waiting on long jobs.
const CreateDelayEnv = "PERSONALIZE_FLOOR_CREATE_DELAY"

func (*jobResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m jobModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if d, err := time.ParseDuration(os.Getenv(CreateDelayEnv)); err == nil && d > 0 {
		select {
		case <-time.After(d):
		case <-ctx.Done():
			resp.Diagnostics.AddError("Create interrupted", ctx.Err().Error())
			return
		}
	}
	if m.JobName.IsUnknown() || m.JobName.IsNull() {
		m.JobName = types.StringValue(m.JobNamePrefix.ValueString() + "00000000000000")
	}
	if m.JobNamePrefix.IsUnknown() {
		m.JobNamePrefix = types.StringNull()
	}
	m.BatchInferenceJobARN = types.StringValue(arnPrefix + m.JobName.ValueString())
	m.ID = m.BatchInferenceJobARN
	m.Status = types.StringValue("ACTIVE")
	m.FailureReason = types.StringNull()
	m.CreationDateTime = types.StringValue(createdAt)
	m.LastUpdatedDateTime = types.StringValue(createdAt)
	if m.BatchInferenceJobMode.IsUnknown() {
		m.BatchInferenceJobMode = types.StringValue("BATCH_INFERENCE")
	}
	if m.NumResults.IsUnknown() {
		m.NumResults = types.Int64Value(25)
	}
	if m.BatchInferenceJobConfig.IsUnknown() {
		m.BatchInferenceJobConfig = types.ObjectNull(configAttrTypes)
	}
	if m.WaitForCompletion.IsUnknown() {
		m.WaitForCompletion = types.BoolValue(true)
	}
	m.TagsAll = m.Tags
	if m.Tags.IsNull() || m.Tags.IsUnknown() {
		m.TagsAll = types.MapValueMust(types.StringType, map[string]attr.Value{})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (*jobResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m jobModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (*jobResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m jobModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if m.TagsAll.IsUnknown() {
		m.TagsAll = m.Tags
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (*jobResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
