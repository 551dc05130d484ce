package personalize

import (
	"context"
	"fmt"
	"regexp"

	"github.com/aws/aws-sdk-go-v2/aws"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSource              = &batchInferenceJobsDataSource{}
	_ datasource.DataSourceWithConfigure = &batchInferenceJobsDataSource{}
)

// NewBatchInferenceJobsDataSource returns the personalize_batch_inference_jobs data source.
func NewBatchInferenceJobsDataSource() datasource.DataSource {
	return &batchInferenceJobsDataSource{}
}

type batchInferenceJobsDataSource struct {
	data *ProviderData
}

type batchInferenceJobsDataSourceModel struct {
	jobFilterModel
	ID                 types.String                    `tfsdk:"id"`
	BatchInferenceJobs []batchInferenceJobSummaryModel `tfsdk:"batch_inference_jobs"`
	ARNs               []types.String                  `tfsdk:"arns"`
}

// batchInferenceJobSummaryModel mirrors the API's BatchInferenceJobSummary.
type batchInferenceJobSummaryModel struct {
	BatchInferenceJobARN  types.String      `tfsdk:"batch_inference_job_arn"`
	JobName               types.String      `tfsdk:"job_name"`
	Status                types.String      `tfsdk:"status"`
	BatchInferenceJobMode types.String      `tfsdk:"batch_inference_job_mode"`
	SolutionVersionARN    types.String      `tfsdk:"solution_version_arn"`
	FailureReason         types.String      `tfsdk:"failure_reason"`
	CreationDateTime      timetypes.RFC3339 `tfsdk:"creation_date_time"`
	LastUpdatedDateTime   timetypes.RFC3339 `tfsdk:"last_updated_date_time"`
}

func flattenBatchInferenceJobSummary(s awstypes.BatchInferenceJobSummary) batchInferenceJobSummaryModel {
	return batchInferenceJobSummaryModel{
		BatchInferenceJobARN:  types.StringPointerValue(s.BatchInferenceJobArn),
		JobName:               types.StringPointerValue(s.JobName),
		Status:                types.StringPointerValue(s.Status),
		BatchInferenceJobMode: types.StringValue(SummaryMode(s)),
		SolutionVersionARN:    types.StringPointerValue(s.SolutionVersionArn),
		FailureReason:         types.StringPointerValue(s.FailureReason),
		CreationDateTime:      rfc3339Value(s.CreationDateTime),
		LastUpdatedDateTime:   rfc3339Value(s.LastUpdatedDateTime),
	}
}

func (d *batchInferenceJobsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_batch_inference_jobs"
}

func (d *batchInferenceJobsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *batchInferenceJobsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Lists the Amazon Personalize batch inference jobs of the provider's region, optionally filtered, oldest first " +
			"(by creation time, then by name), so that the order stays the same from one plan to the next.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Description: "The region the jobs were listed in.",
				Computed:    true,
			},
			"batch_inference_jobs": schema.ListNestedAttribute{
				Description: "The matching jobs, oldest first (by creation time, then by name).",
				Computed:    true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"batch_inference_job_arn": schema.StringAttribute{
							Description: "The ARN of the job.",
							Computed:    true,
						},
						"job_name": schema.StringAttribute{
							Description: "The name of the job.",
							Computed:    true,
						},
						"status": schema.StringAttribute{
							Description: "The job's status: `PENDING`, `IN PROGRESS`, `ACTIVE` or `CREATE FAILED`.",
							Computed:    true,
						},
						"batch_inference_job_mode": schema.StringAttribute{
							Description: "`BATCH_INFERENCE` or `THEME_GENERATION`.",
							Computed:    true,
						},
						"solution_version_arn": schema.StringAttribute{
							Description: "The ARN of the solution version the job used.",
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
					},
				},
			},
			"arns": schema.ListAttribute{
				Description: "The ARNs of the matching jobs, in the order of `batch_inference_jobs`.",
				ElementType: types.StringType,
				Computed:    true,
			},
		},
	}
	for name, f := range jobFilters() {
		resp.Schema.Attributes[name] = schema.StringAttribute{Description: f.description, Optional: true, Validators: f.validators}
	}
}

func (d *batchInferenceJobsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	conn := d.data.client(&resp.Diagnostics)
	var m batchInferenceJobsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	filter, diags := m.filter()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	jobs, err := ListBatchInferenceJobSummaries(ctx, conn, filter)
	if err != nil {
		resp.Diagnostics.AddError("Cannot list batch inference jobs", err.Error())
		return
	}
	m.ID = types.StringValue(d.data.Region)
	m.BatchInferenceJobs = make([]batchInferenceJobSummaryModel, 0, len(jobs))
	m.ARNs = make([]types.String, 0, len(jobs))
	for _, s := range jobs {
		m.BatchInferenceJobs = append(m.BatchInferenceJobs, flattenBatchInferenceJobSummary(s))
		m.ARNs = append(m.ARNs, types.StringValue(aws.ToString(s.BatchInferenceJobArn)))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// regexpValidator rejects a pattern Go cannot compile, at plan time rather
// than when the jobs are read.
type regexpValidator struct{}

func (regexpValidator) Description(context.Context) string {
	return "must be a valid regular expression (Go RE2 syntax)"
}

func (v regexpValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (regexpValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := regexp.Compile(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(), regexpErrorDetail(req.Path.String(), req.ConfigValue.ValueString(), err))
	}
}

func regexpErrorDetail(attribute, pattern string, err error) string {
	return fmt.Sprintf("%s %q is not a valid regular expression: %q. Fix the expression (Go RE2 syntax, see https://golang.org/s/re2syntax; "+
		"escape literal characters such as . ( [ with a backslash).", attribute, pattern, err.Error())
}
