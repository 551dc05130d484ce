package personalize

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSource                   = &batchInferenceJobDataSource{}
	_ datasource.DataSourceWithConfigure      = &batchInferenceJobDataSource{}
	_ datasource.DataSourceWithValidateConfig = &batchInferenceJobDataSource{}
)

// NewBatchInferenceJobDataSource returns the personalize_batch_inference_job data source.
func NewBatchInferenceJobDataSource() datasource.DataSource {
	return &batchInferenceJobDataSource{}
}

type batchInferenceJobDataSource struct {
	data *ProviderData
}

type batchInferenceJobDataSourceModel struct {
	BatchInferenceJobAttributes
	ID   types.String `tfsdk:"id"`
	Tags types.Map    `tfsdk:"tags"`
}

func (d *batchInferenceJobDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_batch_inference_job"
}

func (d *batchInferenceJobDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
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

func (d *batchInferenceJobDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Reads one Amazon Personalize batch inference job, found by its ARN or by its name, with every attribute the " +
			"`personalize_batch_inference_job` resource has. The job may have been created by Terraform or by anything else.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Description: "The job's ARN, repeated for tools that expect an `id`.",
				Computed:    true,
			},
			"batch_inference_job_arn": schema.StringAttribute{
				Description: "The ARN of the job to read (`arn:<partition>:personalize:<region>:<account>:batch-inference-job/<job_name>`). " +
					"Exactly one of `batch_inference_job_arn` and `job_name` is required.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{jobARNValidator()},
			},
			"job_name": schema.StringAttribute{
				Description: "The name of the job to read: 1 to 63 letters, digits, `-` and `_`, starting with a letter or digit. " +
					"Exactly one of `batch_inference_job_arn` and `job_name` is required; a name is unique in the account and region.",
				Optional:   true,
				Computed:   true,
				Validators: jobNameValidators(jobNameMaxLen),
			},
			"solution_version_arn": schema.StringAttribute{
				Description: "The ARN of the solution version (a trained model) the job used. With `job_name`, it also narrows the search " +
					"to that solution version's jobs; it cannot be combined with `batch_inference_job_arn`.",
				Optional:   true,
				Computed:   true,
				Validators: personalizeARNValidators(solutionVersionExample),
			},
			"batch_inference_job_config": schema.SingleNestedAttribute{
				Description: "Configuration of the recommendations, null when the job was created without one.",
				Computed:    true,
				Attributes: map[string]schema.Attribute{
					"item_exploration_config": schema.MapAttribute{
						Description: "Exploration settings for User-Personalization recipes, as strings: `explorationWeight` (0 to 1: how much to recommend new or less-known items) and " +
							"`explorationItemAgeCutOff` (days: how old an item may be and still be explored).",
						ElementType: types.StringType,
						Computed:    true,
					},
					"ranking_influence": schema.MapAttribute{
						Description: "How strongly objectives other than relevance shape the ranking: keys `POPULARITY` and `FRESHNESS`, values from 0 to 1.",
						ElementType: types.Float64Type,
						Computed:    true,
					},
				},
			},
			"batch_inference_job_mode": schema.StringAttribute{
				Description: "`BATCH_INFERENCE` for recommendations or `THEME_GENERATION` for themed groups of similar items. Jobs from before modes existed report `BATCH_INFERENCE`.",
				Computed:    true,
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
				Description: "The ARN of the filter applied to the recommendations, if any.",
				Computed:    true,
			},
			"job_input": schema.SingleNestedAttribute{
				Description: "Where the job reads its input.",
				Computed:    true,
				Attributes: map[string]schema.Attribute{
					"s3_data_source": computedS3DataConfigAttribute("The S3 location of the input.", "The input's S3 path: a prefix or one file of JSON Lines."),
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
			"num_results": schema.Int64Attribute{
				Description: "How many recommendations the job generates per input record.",
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
			"theme_generation_config": schema.SingleNestedAttribute{
				Description: "Theme generation settings of a `THEME_GENERATION` job; null otherwise.",
				Computed:    true,
				Attributes: map[string]schema.Attribute{
					"fields_for_theme_generation": schema.SingleNestedAttribute{
						Description: "The Items dataset fields the themes are generated from.",
						Computed:    true,
						Attributes: map[string]schema.Attribute{
							"item_name": schema.StringAttribute{
								Description: "The Items dataset column holding each item's name or title.",
								Computed:    true,
							},
						},
					},
				},
			},
			"tags": schema.MapAttribute{
				Description: "All tags of the job (an empty map when it has none), less the keys the provider's `ignore_tags` names.",
				ElementType: types.StringType,
				Computed:    true,
			},
		},
	}
}

// jobARNValidator accepts a job ARN as the service returns it, the same
// pattern import accepts.
func jobARNValidator() validator.String {
	return stringvalidator.RegexMatches(jobARNRegexp,
		"must be a batch inference job ARN such as arn:aws:personalize:us-east-1:123456789012:batch-inference-job/weekly-recs")
}

// ValidateConfig requires one way of finding the job. An unknown value (an
// ARN from a resource not yet created) counts as set.
func (d *batchInferenceJobDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var jobARN, name, sv types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("batch_inference_job_arn"), &jobARN)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("job_name"), &name)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("solution_version_arn"), &sv)...)
	if resp.Diagnostics.HasError() {
		return
	}
	byARN, byName := !jobARN.IsNull(), !name.IsNull()
	switch {
	case byARN && byName:
		resp.Diagnostics.AddAttributeError(path.Root("job_name"), "Conflicting job lookup",
			"Both batch_inference_job_arn and job_name are set: set exactly one of them to say which batch inference job to read.")
	case !byARN && !byName:
		resp.Diagnostics.AddError("Missing job lookup",
			"Neither batch_inference_job_arn nor job_name is set: set exactly one of them to say which batch inference job to read.")
	case byARN && !sv.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root("solution_version_arn"), "solution_version_arn needs job_name",
			"solution_version_arn narrows a lookup by job_name, but this data source looks the job up by batch_inference_job_arn: "+
				"remove solution_version_arn (the job's own is reported in it), or look the job up by job_name.")
	}
}

func (d *batchInferenceJobDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	conn := d.data.client(&resp.Diagnostics)
	var m batchInferenceJobDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}

	jobARN := m.BatchInferenceJobARN.ValueString()
	if m.BatchInferenceJobARN.IsNull() {
		name, sv := m.JobName.ValueString(), m.SolutionVersionARN.ValueString()
		jobs, err := ListBatchInferenceJobSummaries(ctx, conn, BatchInferenceJobFilter{Name: name, SolutionVersionARN: sv})
		if err != nil {
			resp.Diagnostics.AddError("Cannot list batch inference jobs", err.Error())
			return
		}
		if len(jobs) == 0 {
			resp.Diagnostics.AddError("Batch inference job not found", nameNotFoundDetail(name, sv, d.data.Region))
			return
		}
		jobARN = aws.ToString(jobs[0].BatchInferenceJobArn)
	}

	job, err := FindBatchInferenceJobByARN(ctx, conn, jobARN)
	if IsNotFound(err) {
		resp.Diagnostics.AddError("Batch inference job not found",
			fmt.Sprintf("No batch inference job has batch_inference_job_arn %q in %s. Check the ARN, and that the provider's region and account are the job's.",
				jobARN, d.data.Region))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read batch inference job", err.Error())
		return
	}
	resp.Diagnostics.Append(d.flatten(ctx, conn, &m, job)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// flatten fills the model from a described job and the job's tags, through
// the resource's flattener so that both report a job alike.
func (d *batchInferenceJobDataSource) flatten(ctx context.Context, conn *personalize.Client, m *batchInferenceJobDataSourceModel, job *awstypes.BatchInferenceJob) diag.Diagnostics {
	diags := m.Flatten(ctx, job)
	m.ID = m.BatchInferenceJobARN
	tags, err := listTags(ctx, conn, m.BatchInferenceJobARN.ValueString())
	if err != nil {
		diags.AddError("Cannot read batch inference job tags", err.Error())
		return diags
	}
	m.Tags = tagsAllValue(tagPolicyOf(d.data).withoutIgnored(tags))
	return diags
}

func nameNotFoundDetail(name, sv, region string) string {
	if sv == "" {
		return fmt.Sprintf("No batch inference job has job_name %q in %s. Check the name (it is case sensitive), "+
			"and that the provider's region and account are the job's.", name, region)
	}
	return fmt.Sprintf("No batch inference job has job_name %q and solution_version_arn %q in %s. Check the name (it is case sensitive) "+
		"and that the job used that solution version (leave solution_version_arn out to search every job), "+
		"and that the provider's region and account are the job's.", name, sv, region)
}
