package personalize

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// jobsDataSource lists the jobs of one type (personalize_batch_inference_jobs,
// personalize_batch_segment_jobs).
type jobsDataSource[J, In any] struct {
	kind *jobKind[J, In]
	data *ProviderData
}

var (
	_ datasource.DataSource              = &jobsDataSource[struct{}, struct{}]{}
	_ datasource.DataSourceWithConfigure = &jobsDataSource[struct{}, struct{}]{}
)

// jobsAttribute is the list of summaries: "batch_inference_jobs".
func (d *jobsDataSource[J, In]) jobsAttribute() string { return d.kind.typeName + "s" }

func (d *jobsDataSource[J, In]) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.jobsAttribute()
}

func (d *jobsDataSource[J, In]) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// summaryAttributes are the attributes of one listed job, the API's summary.
func (d *jobsDataSource[J, In]) summaryAttributes() map[string]schema.Attribute {
	attrs := map[string]schema.Attribute{
		d.kind.arnAttribute: schema.StringAttribute{
			Description: "The ARN of the job.",
			Computed:    true,
		},
		d.kind.nameAttribute: schema.StringAttribute{
			Description: "The name of the job.",
			Computed:    true,
		},
		"status": schema.StringAttribute{
			Description: "The job's status: " + strings.ReplaceAll(orList(d.kind.statuses), `"`, "`") + ".",
			Computed:    true,
		},
		d.kind.parentAttribute: schema.StringAttribute{
			Description: "The ARN of the " + d.kind.parentNoun + " the job used.",
			Computed:    true,
		},
		"failure_reason": schema.StringAttribute{
			Description: "Why the job failed, when `status` is `CREATE FAILED`.",
			Computed:    true,
		},
		"creation_date_time": schema.StringAttribute{
			Description: "When the job was created (RFC 3339, UTC).",
			CustomType:  timetypes.RFC3339Type{},
			Computed:    true,
		},
		"last_updated_date_time": schema.StringAttribute{
			Description: "When the job last changed status (RFC 3339, UTC).",
			CustomType:  timetypes.RFC3339Type{},
			Computed:    true,
		},
	}
	if mode := d.kind.modeAttribute(); mode != "" {
		attrs[mode] = schema.StringAttribute{
			Description: "The job's mode: `" + strings.Join(d.kind.modes, "` or `") + "`.",
			Computed:    true,
		}
	}
	return attrs
}

func (d *jobsDataSource[J, In]) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: fmt.Sprintf("Lists the Amazon Personalize %ss of the provider's region, optionally filtered, oldest first "+
			"(by creation time, then by name), so that the order stays the same from one plan to the next.", d.kind.noun),
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Description: "The region the jobs were listed in.",
				Computed:    true,
			},
			d.jobsAttribute(): schema.ListNestedAttribute{
				Description:  "The matching jobs, oldest first (by creation time, then by name).",
				Computed:     true,
				NestedObject: schema.NestedAttributeObject{Attributes: d.summaryAttributes()},
			},
			"arns": schema.ListAttribute{
				Description: fmt.Sprintf("The ARNs of the matching jobs, in the order of `%s`.", d.jobsAttribute()),
				ElementType: types.StringType,
				Computed:    true,
			},
		},
	}
	for name, f := range filterAttributes(d.kind) {
		resp.Schema.Attributes[name] = schema.StringAttribute{Description: f.description, Optional: true, Validators: f.validators}
	}
}

// summaryValue is one listed job as the value of a summaryAttributes object.
func (d *jobsDataSource[J, In]) summaryValue(s jobSummary) (attr.Value, diag.Diagnostics) {
	values := map[string]attr.Value{
		d.kind.arnAttribute:      types.StringValue(s.ARN),
		d.kind.nameAttribute:     types.StringValue(s.Name),
		"status":                 types.StringValue(s.Status),
		d.kind.parentAttribute:   types.StringValue(s.ParentARN),
		"failure_reason":         stringOrNull(s.FailureReason),
		"creation_date_time":     rfc3339Value(s.CreationDateTime),
		"last_updated_date_time": rfc3339Value(s.LastUpdatedDateTime),
	}
	if mode := d.kind.modeAttribute(); mode != "" {
		values[mode] = types.StringValue(s.Mode)
	}
	return types.ObjectValue(d.summaryTypes(), values)
}

func (d *jobsDataSource[J, In]) summaryTypes() map[string]attr.Type {
	attrTypes := map[string]attr.Type{}
	for name, a := range d.summaryAttributes() {
		attrTypes[name] = a.GetType()
	}
	return attrTypes
}

func (d *jobsDataSource[J, In]) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	conn := d.data.client(&resp.Diagnostics)
	filter, diags := configuredFilter(ctx, d.kind, req.Config)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(checkPlacement(ctx, req.Config, d.data, personalizeARNInRegion(path.Root(d.kind.parentAttribute), d.kind.parentNoun))...)
	if resp.Diagnostics.HasError() {
		return
	}
	jobs, err := listJobs(ctx, d.kind, conn, filter)
	if err != nil {
		resp.Diagnostics.AddError(errorSummary("Cannot list "+d.kind.noun+"s", err), err.Error())
		return
	}
	summaries := make([]attr.Value, 0, len(jobs))
	arns := make([]attr.Value, 0, len(jobs))
	for _, s := range jobs {
		v, diags := d.summaryValue(s)
		resp.Diagnostics.Append(diags...)
		summaries = append(summaries, v)
		arns = append(arns, types.StringValue(s.ARN))
	}
	list, diags := types.ListValue(types.ObjectType{AttrTypes: d.summaryTypes()}, summaries)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), d.data.Region)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(d.jobsAttribute()), list)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("arns"), types.ListValueMust(types.StringType, arns))...)
}

// stringOrNull gives null for an empty string, as the API leaves out members
// it has no value for.
func stringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
