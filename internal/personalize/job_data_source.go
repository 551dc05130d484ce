package personalize

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// jobDataSourceFields are the attributes every one-job data source has
// beyond the API's fields.
type jobDataSourceFields struct {
	ID   types.String `tfsdk:"id"`
	Tags types.Map    `tfsdk:"tags"`
}

func (f *jobDataSourceFields) dataSourceFields() *jobDataSourceFields { return f }

// jobDataModel is what the shared one-job data source needs of its model;
// a kind's newDataModel makes one.
type jobDataModel[J any] interface {
	name() *types.String
	// parent is the attribute that narrows a lookup by name.
	parent() *types.String
	arn() *types.String
	dataSourceFields() *jobDataSourceFields
	Flatten(ctx context.Context, job *J) diag.Diagnostics
}

// jobDataSource reads one job of a type, found by its ARN or by its name;
// the type's data source adds its schema.
type jobDataSource[J, In any] struct {
	kind *jobKind[J, In]
	data *ProviderData
}

var _ datasource.DataSourceWithValidateConfig = &jobDataSource[struct{}, struct{}]{}

func (d *jobDataSource[J, In]) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = d.kind.dataSourceSchema(d.kind)
}

func (d *jobDataSource[J, In]) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.kind.typeName
}

func (d *jobDataSource[J, In]) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// jobDataSourceAttributes are the attributes every one-job data source has;
// the type's schema adds its own, its parent among them.
func jobDataSourceAttributes[J, In any](k *jobKind[J, In]) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id": schema.StringAttribute{
			Description: "The job's ARN, repeated for tools that expect an `id`.",
			Computed:    true,
		},
		k.arnAttribute: schema.StringAttribute{
			Description: fmt.Sprintf("The ARN of the job to read (`arn:<partition>:personalize:<region>:<account>:%s/<%s>`). "+
				"Exactly one of `%s` and `%s` is required. The job must be in the provider's region.", k.arnResource, k.nameAttribute, k.arnAttribute, k.nameAttribute),
			Optional: true,
			Computed: true,
			Validators: []validator.String{arnValidator{kind: jobARNKind(k),
				pattern: stringvalidator.RegexMatches(k.arnRegexp, "must be a "+k.noun+" ARN such as "+k.arnExample())}},
		},
		k.nameAttribute: schema.StringAttribute{
			Description: fmt.Sprintf("The name of the job to read: 1 to 63 letters, digits, `-` and `_`, starting with a letter or digit. "+
				"Exactly one of `%s` and `%s` is required; a name is unique in the account and region.", k.arnAttribute, k.nameAttribute),
			Optional:   true,
			Computed:   true,
			Validators: jobNameValidators(jobNameMaxLen),
		},
		"creation_date_time": schema.StringAttribute{
			Description: "When the job was created (RFC 3339, UTC).",
			CustomType:  timetypes.RFC3339Type{},
			Computed:    true,
		},
		"failure_reason": schema.StringAttribute{
			Description: "Why the job failed, when `status` is `CREATE FAILED`.",
			Computed:    true,
		},
		"last_updated_date_time": schema.StringAttribute{
			Description: "When the job last changed status (RFC 3339, UTC).",
			CustomType:  timetypes.RFC3339Type{},
			Computed:    true,
		},
		"status": schema.StringAttribute{
			Description: k.statusDescription,
			Computed:    true,
		},
		"tags": schema.MapAttribute{
			Description: "All tags of the job (an empty map when it has none), less the keys the provider's `ignore_tags` names.",
			ElementType: types.StringType,
			Computed:    true,
		},
	}
}

// ValidateConfig requires one way of finding the job. An unknown value (an
// ARN from a resource not yet created) counts as set.
func (d *jobDataSource[J, In]) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	k := d.kind
	var jobARN, name, parent types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(k.arnAttribute), &jobARN)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(k.nameAttribute), &name)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(k.parentAttribute), &parent)...)
	if resp.Diagnostics.HasError() {
		return
	}
	byARN, byName := !jobARN.IsNull(), !name.IsNull()
	switch {
	case byARN && byName:
		resp.Diagnostics.AddAttributeError(path.Root(k.nameAttribute), "Conflicting job lookup",
			fmt.Sprintf("Both %s and %s are set: set exactly one of them to say which %s to read.", k.arnAttribute, k.nameAttribute, k.noun))
	case !byARN && !byName:
		resp.Diagnostics.AddError("Missing job lookup",
			fmt.Sprintf("Neither %s nor %s is set: set exactly one of them to say which %s to read.", k.arnAttribute, k.nameAttribute, k.noun))
	case byARN && !parent.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root(k.parentAttribute), k.parentAttribute+" needs "+k.nameAttribute,
			fmt.Sprintf("%s narrows a lookup by %s, but this data source looks the job up by %s: "+
				"remove %s (the job's own is reported in it), or look the job up by %s.", k.parentAttribute, k.nameAttribute, k.arnAttribute, k.parentAttribute, k.nameAttribute))
	}
}

func (d *jobDataSource[J, In]) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	k := d.kind
	conn := d.data.client(&resp.Diagnostics)
	m := k.newDataModel()
	resp.Diagnostics.Append(req.Config.Get(ctx, m)...)
	resp.Diagnostics.Append(checkPlacement(ctx, req.Config, d.data,
		personalizeARNInRegion(path.Root(k.arnAttribute), k.noun),
		personalizeARNInRegion(path.Root(k.parentAttribute), k.parentNoun))...)
	if resp.Diagnostics.HasError() {
		return
	}

	jobARN := m.arn().ValueString()
	if m.arn().IsNull() {
		name, parent := m.name().ValueString(), m.parent().ValueString()
		jobs, err := listJobs(ctx, k, conn, jobFilter{Name: name, ParentARN: parent})
		if err != nil {
			resp.Diagnostics.AddError(errorSummary("Cannot list "+k.noun+"s", err), err.Error())
			return
		}
		if len(jobs) == 0 {
			resp.Diagnostics.AddError(capitalize(k.noun)+" not found", nameNotFoundDetail(k, name, parent, d.data.Region))
			return
		}
		jobARN = jobs[0].ARN
	}

	job, err := findJob(ctx, d.kind, conn, jobARN)
	if isNotFound(err) {
		resp.Diagnostics.AddError(capitalize(d.kind.noun)+" not found",
			fmt.Sprintf("No %s has %s %q in %s. Check the ARN, and that the provider's region and account are the job's.",
				d.kind.noun, d.kind.arnAttribute, jobARN, d.data.Region))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(errorSummary("Cannot read "+d.kind.noun, err), err.Error())
		return
	}
	// The resource's flattener, so that both report a job alike.
	resp.Diagnostics.Append(m.Flatten(ctx, job)...)
	f := m.dataSourceFields()
	f.ID = *m.arn()
	tags, err := listTags(ctx, conn, jobARN)
	if err != nil {
		resp.Diagnostics.AddError(errorSummary("Cannot read "+d.kind.noun+" tags", err), err.Error())
		return
	}
	f.Tags = tagsAllValue(tagPolicyOf(d.data).withoutIgnored(tags))
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

func nameNotFoundDetail[J, In any](k *jobKind[J, In], name, parent, region string) string {
	if parent == "" {
		return fmt.Sprintf("No %s has %s %q in %s. Check the name (it is case sensitive), "+
			"and that the provider's region and account are the job's.", k.noun, k.nameAttribute, name, region)
	}
	return fmt.Sprintf("No %s has %s %q and %s %q in %s. Check the name (it is case sensitive) "+
		"and that the job used that %s (leave %s out to search every job), "+
		"and that the provider's region and account are the job's.", k.noun, k.nameAttribute, name, k.parentAttribute, parent, region, k.parentNoun, k.parentAttribute)
}
