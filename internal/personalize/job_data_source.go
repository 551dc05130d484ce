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
	attributes() *jobAttributes
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

func (d *jobDataSource[J, In]) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.kind.typeName
}

func (d *jobDataSource[J, In]) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// jobDataSourceAttributes are the attributes every one-job data source has;
// the type's schema adds its own.
func jobDataSourceAttributes[J, In any](k *jobKind[J, In], inputDescription string) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id": schema.StringAttribute{
			Description: "The job's ARN, repeated for tools that expect an `id`.",
			Computed:    true,
		},
		k.arnAttribute: schema.StringAttribute{
			Description: fmt.Sprintf("The ARN of the job to read (`arn:<partition>:personalize:<region>:<account>:%s/<job_name>`). "+
				"Exactly one of `%s` and `job_name` is required. The job must be in the provider's region.", k.arnResource, k.arnAttribute),
			Optional: true,
			Computed: true,
			Validators: []validator.String{arnValidator{kind: jobARNKind(k),
				pattern: stringvalidator.RegexMatches(k.arnRegexp, "must be a "+k.noun+" ARN such as "+k.arnExample())}},
		},
		"job_name": schema.StringAttribute{
			Description: fmt.Sprintf("The name of the job to read: 1 to 63 letters, digits, `-` and `_`, starting with a letter or digit. "+
				"Exactly one of `%s` and `job_name` is required; a name is unique in the account and region.", k.arnAttribute),
			Optional:   true,
			Computed:   true,
			Validators: jobNameValidators(jobNameMaxLen),
		},
		"solution_version_arn": schema.StringAttribute{
			Description: fmt.Sprintf("The ARN of the solution version (a trained model) the job used. With `job_name`, it also narrows the search "+
				"to that solution version's jobs (a solution version ARN in the provider's region); it cannot be combined with `%s`.", k.arnAttribute),
			Optional:   true,
			Computed:   true,
			Validators: solutionVersionARNValidators(),
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
		"filter_arn": schema.StringAttribute{
			Description: "The ARN of the filter applied to the job's results, if any.",
			Computed:    true,
		},
		"job_input": schema.SingleNestedAttribute{
			Description: "Where the job reads its input.",
			Computed:    true,
			Attributes: map[string]schema.Attribute{
				"s3_data_source": computedS3DataConfigAttribute("The S3 location of the input.", inputDescription),
			},
		},
		"job_output": schema.SingleNestedAttribute{
			Description: "Where the job writes its output: one `<input file>.out` JSON Lines file per input file.",
			Computed:    true,
			Attributes: map[string]schema.Attribute{
				"s3_data_destination": computedS3DataConfigAttribute("The S3 location of the output.", "The output's S3 path prefix."),
			},
		},
		"last_updated_date_time": schema.StringAttribute{
			Description: "When the job last changed status (RFC 3339, UTC).",
			CustomType:  timetypes.RFC3339Type{},
			Computed:    true,
		},
		"role_arn": schema.StringAttribute{
			Description: "The ARN of the IAM role Amazon Personalize assumes to read the input and write the output.",
			Computed:    true,
		},
		"status": schema.StringAttribute{
			Description: "The job's status: `PENDING`, `IN PROGRESS`, `ACTIVE` (finished, output written) or `CREATE FAILED` (see `failure_reason`).",
			Computed:    true,
		},
		"tags": schema.MapAttribute{
			Description: "All tags of the job (an empty map when it has none), less the keys the provider's `ignore_tags` names.",
			ElementType: types.StringType,
			Computed:    true,
		},
	}
}

func computedS3DataConfigAttribute(description, pathDescription string) schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Description: description,
		Computed:    true,
		Attributes: map[string]schema.Attribute{
			"path": schema.StringAttribute{
				Description: pathDescription,
				Computed:    true,
			},
			"kms_key_arn": schema.StringAttribute{
				Description: "The ARN of the KMS key Amazon Personalize uses to encrypt or decrypt the files at this path, if any.",
				Computed:    true,
			},
		},
	}
}

// ValidateConfig requires one way of finding the job. An unknown value (an
// ARN from a resource not yet created) counts as set.
func (d *jobDataSource[J, In]) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var jobARN, name, sv types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(d.kind.arnAttribute), &jobARN)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("job_name"), &name)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("solution_version_arn"), &sv)...)
	if resp.Diagnostics.HasError() {
		return
	}
	byARN, byName := !jobARN.IsNull(), !name.IsNull()
	switch {
	case byARN && byName:
		resp.Diagnostics.AddAttributeError(path.Root("job_name"), "Conflicting job lookup",
			fmt.Sprintf("Both %s and job_name are set: set exactly one of them to say which %s to read.", d.kind.arnAttribute, d.kind.noun))
	case !byARN && !byName:
		resp.Diagnostics.AddError("Missing job lookup",
			fmt.Sprintf("Neither %s nor job_name is set: set exactly one of them to say which %s to read.", d.kind.arnAttribute, d.kind.noun))
	case byARN && !sv.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root("solution_version_arn"), "solution_version_arn needs job_name",
			fmt.Sprintf("solution_version_arn narrows a lookup by job_name, but this data source looks the job up by %s: "+
				"remove solution_version_arn (the job's own is reported in it), or look the job up by job_name.", d.kind.arnAttribute))
	}
}

func (d *jobDataSource[J, In]) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	conn := d.data.client(&resp.Diagnostics)
	m := d.kind.newDataModel()
	resp.Diagnostics.Append(req.Config.Get(ctx, m)...)
	resp.Diagnostics.Append(checkPlacement(ctx, req.Config, d.data,
		personalizeARNInRegion(path.Root(d.kind.arnAttribute), d.kind.noun),
		personalizeARNInRegion(path.Root("solution_version_arn"), "solution version"))...)
	if resp.Diagnostics.HasError() {
		return
	}

	jobARN := m.arn().ValueString()
	if m.arn().IsNull() {
		name, sv := m.attributes().JobName.ValueString(), m.attributes().SolutionVersionARN.ValueString()
		jobs, err := listJobs(ctx, d.kind, conn, jobFilter{Name: name, SolutionVersionARN: sv})
		if err != nil {
			resp.Diagnostics.AddError(errorSummary("Cannot list "+d.kind.noun+"s", err), err.Error())
			return
		}
		if len(jobs) == 0 {
			resp.Diagnostics.AddError(capitalize(d.kind.noun)+" not found", nameNotFoundDetail(d.kind.noun, name, sv, d.data.Region))
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

func nameNotFoundDetail(noun, name, sv, region string) string {
	if sv == "" {
		return fmt.Sprintf("No %s has job_name %q in %s. Check the name (it is case sensitive), "+
			"and that the provider's region and account are the job's.", noun, name, region)
	}
	return fmt.Sprintf("No %s has job_name %q and solution_version_arn %q in %s. Check the name (it is case sensitive) "+
		"and that the job used that solution version (leave solution_version_arn out to search every job), "+
		"and that the provider's region and account are the job's.", noun, name, sv, region)
}
