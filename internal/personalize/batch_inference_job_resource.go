package personalize

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ resource.Resource                   = &batchInferenceJobResource{}
	_ resource.ResourceWithConfigure      = &batchInferenceJobResource{}
	_ resource.ResourceWithValidateConfig = &batchInferenceJobResource{}
	_ resource.ResourceWithModifyPlan     = &batchInferenceJobResource{}
	_ resource.ResourceWithImportState    = &batchInferenceJobResource{}
	_ resource.ResourceWithIdentity       = &batchInferenceJobResource{}
)

// batchInferenceJobKind describes batch inference jobs to the shared job
// lifecycle.
var batchInferenceJobKind = &jobKind[awstypes.BatchInferenceJob, personalize.CreateBatchInferenceJobInput]{
	noun:         "batch inference job",
	typeName:     "batch_inference_job",
	arnAttribute: "batch_inference_job_arn",
	arnResource:  "batch-inference-job",
	arnRegexp:    jobARNRegexp,
	create: func(ctx context.Context, conn *personalize.Client, in *personalize.CreateBatchInferenceJobInput, optFns ...func(*personalize.Options)) (string, error) {
		out, err := conn.CreateBatchInferenceJob(ctx, in, optFns...)
		if err != nil {
			return "", err
		}
		return aws.ToString(out.BatchInferenceJobArn), nil
	},
	describe: func(ctx context.Context, conn *personalize.Client, arn string, optFns ...func(*personalize.Options)) (*awstypes.BatchInferenceJob, error) {
		out, err := conn.DescribeBatchInferenceJob(ctx, &personalize.DescribeBatchInferenceJobInput{BatchInferenceJobArn: &arn}, optFns...)
		if err != nil || out == nil {
			return nil, err
		}
		return out.BatchInferenceJob, nil
	},
	view: func(job *awstypes.BatchInferenceJob) jobView {
		return jobView{ARN: aws.ToString(job.BatchInferenceJobArn), Name: aws.ToString(job.JobName),
			Status: aws.ToString(job.Status), FailureReason: aws.ToString(job.FailureReason),
			SolutionVersionARN: aws.ToString(job.SolutionVersionArn), CreationDateTime: job.CreationDateTime}
	},
	request: func(in *personalize.CreateBatchInferenceJobInput) jobRequest {
		return jobRequest{Name: aws.ToString(in.JobName), JobName: &in.JobName, SolutionVersionARN: aws.ToString(in.SolutionVersionArn), Tags: &in.Tags}
	},
	differences:       jobArgumentDifferences,
	list:              listBatchInferenceJobs,
	describeOperation: "DescribeBatchInferenceJob",
	listOperation:     "ListBatchInferenceJobs",
	// The service reports the job configuration it applied, defaults
	// included, so a request without one is only known by Describe.
	fromRequest: func(in *personalize.CreateBatchInferenceJobInput) (*awstypes.BatchInferenceJob, bool) {
		return &awstypes.BatchInferenceJob{
			JobName: in.JobName, SolutionVersionArn: in.SolutionVersionArn, RoleArn: in.RoleArn, FilterArn: in.FilterArn,
			NumResults: in.NumResults, JobInput: in.JobInput, JobOutput: in.JobOutput,
			BatchInferenceJobConfig: in.BatchInferenceJobConfig, BatchInferenceJobMode: in.BatchInferenceJobMode,
			ThemeGenerationConfig: in.ThemeGenerationConfig,
		}, in.NumResults != nil && in.BatchInferenceJobConfig != nil
	},
	withSummary: func(job *awstypes.BatchInferenceJob, s JobSummary) *awstypes.BatchInferenceJob {
		j := *job
		j.BatchInferenceJobArn, j.Status = aws.String(s.ARN), aws.String(s.Status)
		j.FailureReason = optionalString(s.FailureReason)
		j.CreationDateTime, j.LastUpdatedDateTime = s.CreationDateTime, s.LastUpdatedDateTime
		if j.BatchInferenceJobMode == "" && s.Mode != "" {
			j.BatchInferenceJobMode = awstypes.BatchInferenceJobMode(s.Mode)
		}
		return &j
	},
	modes: []string{jobModeBatchInference, jobModeThemeGeneration},
}

// NewBatchInferenceJobResource returns the personalize_batch_inference_job resource.
func NewBatchInferenceJobResource() resource.Resource {
	return newBatchInferenceJobResource(nil)
}

func newBatchInferenceJobResource(data *ProviderData) *batchInferenceJobResource {
	return &batchInferenceJobResource{jobResource[batchInferenceJobResourceModel, *batchInferenceJobResourceModel, awstypes.BatchInferenceJob, personalize.CreateBatchInferenceJobInput]{
		kind: batchInferenceJobKind, data: data,
	}}
}

var _ list.ListResourceWithConfigure = &batchInferenceJobListResource{}

type batchInferenceJobListResource = jobListResource[batchInferenceJobResourceModel, *batchInferenceJobResourceModel, awstypes.BatchInferenceJob, personalize.CreateBatchInferenceJobInput]

// NewBatchInferenceJobListResource returns the personalize_batch_inference_job
// list resource, which `terraform query` (Terraform 1.14+) uses to find jobs
// to import.
func NewBatchInferenceJobListResource() list.ListResource {
	return &batchInferenceJobListResource{kind: batchInferenceJobKind}
}

// NewBatchInferenceJobAction returns the personalize_batch_inference_job action.
func NewBatchInferenceJobAction() action.Action {
	return &batchInferenceJobAction{kind: batchInferenceJobKind, res: newBatchInferenceJobResource(nil)}
}

// batchInferenceJobResource is the shared job lifecycle with the schema and
// the cross-argument rules of batch inference jobs.
type batchInferenceJobResource struct {
	jobResource[batchInferenceJobResourceModel, *batchInferenceJobResourceModel, awstypes.BatchInferenceJob, personalize.CreateBatchInferenceJobInput]
}

type batchInferenceJobResourceModel struct {
	BatchInferenceJobAttributes
	jobResourceFields
}

func (m *BatchInferenceJobAttributes) expand(ctx context.Context) (*personalize.CreateBatchInferenceJobInput, diag.Diagnostics) {
	return expandCreateBatchInferenceJobInput(ctx, m)
}

func (m *BatchInferenceJobAttributes) nullUnseen() {
	if m.BatchInferenceJobConfig.IsUnknown() {
		m.BatchInferenceJobConfig = types.ObjectNull(BatchInferenceJobConfigAttrTypes)
	}
}

func (m *batchInferenceJobResourceModel) immutableArgumentsDiffer(state *batchInferenceJobResourceModel) bool {
	return m.differ(&state.jobAttributes) ||
		!m.JobNamePrefix.Equal(state.JobNamePrefix) ||
		!m.BatchInferenceJobConfig.Equal(state.BatchInferenceJobConfig) ||
		!m.BatchInferenceJobMode.Equal(state.BatchInferenceJobMode) ||
		!m.ThemeGenerationConfig.Equal(state.ThemeGenerationConfig)
}

// ValidateConfig checks the rules that tie several arguments together: the
// job name's, which every job type has, and the mode's.
func (r *batchInferenceJobResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	r.jobResource.ValidateConfig(ctx, req, resp)
	var mode types.String
	var theme, config types.Object
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("batch_inference_job_mode"), &mode)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("theme_generation_config"), &theme)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("batch_inference_job_config"), &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	if !mode.IsUnknown() && !theme.IsUnknown() {
		themeMode := mode.ValueString() == jobModeThemeGeneration
		switch {
		case themeMode && theme.IsNull():
			resp.Diagnostics.AddAttributeError(path.Root("theme_generation_config"), "Missing theme_generation_config",
				`batch_inference_job_mode = "THEME_GENERATION" needs theme_generation_config = { fields_for_theme_generation = { item_name = "<Items column with the item name>" } }: add it, or use batch_inference_job_mode = "BATCH_INFERENCE".`)
		case !themeMode && !theme.IsNull():
			current := mode.ValueString()
			if mode.IsNull() {
				current = jobModeBatchInference + " (the default)"
			}
			resp.Diagnostics.AddAttributeError(path.Root("theme_generation_config"), "theme_generation_config needs THEME_GENERATION mode",
				fmt.Sprintf(`theme_generation_config is only accepted with batch_inference_job_mode = "THEME_GENERATION", but the mode is %s: set the mode to "THEME_GENERATION" or remove theme_generation_config.`, current))
		}
	}

	if !config.IsNull() && !config.IsUnknown() {
		attrs := config.Attributes()
		if attrs["item_exploration_config"].IsNull() && attrs["ranking_influence"].IsNull() {
			resp.Diagnostics.AddAttributeError(path.Root("batch_inference_job_config"), "Empty batch_inference_job_config",
				"batch_inference_job_config sets neither item_exploration_config nor ranking_influence: set one of them, or remove batch_inference_job_config to use the service's defaults.")
		}
	}
}
