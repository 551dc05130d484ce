// Batch inference jobs: recommendations (or themes) for every record of an
// S3 input. Everything that is particular to them is here: the descriptor
// the shared lifecycle reads, the models, the schemas, the rules that tie
// arguments together, expand and flatten, and the List pager.

package personalize

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

const (
	jobModeBatchInference  = "BATCH_INFERENCE"
	jobModeThemeGeneration = "THEME_GENERATION"

	maxNumResults = 500
)

// jobARNRegexp is what import accepts: a job ARN as the service returns it.
var jobARNRegexp = regexp.MustCompile(`^arn:[a-z\d-]+:personalize:[a-z0-9-]+:\d{12}:batch-inference-job/[a-zA-Z0-9][a-zA-Z0-9\-_]{0,62}$`)

// batchInferenceJobKind describes batch inference jobs to the shared job
// lifecycle.
var batchInferenceJobKind = &jobKind[awstypes.BatchInferenceJob, personalize.CreateBatchInferenceJobInput]{
	noun:              "batch inference job",
	typeName:          "batch_inference_job",
	arnAttribute:      "batch_inference_job_arn",
	arnResource:       "batch-inference-job",
	arnShape:          "batch-inference-job/<job_name>",
	arnRegexp:         jobARNRegexp,
	nameAttribute:     "job_name",
	parentAttribute:   "solution_version_arn",
	parentNoun:        "solution version",
	parentFilter:      batchJobParentFilter,
	statuses:          batchJobStatuses,
	placement:         batchJobPlacement,
	statusDescription: batchJobStatusDescription,
	failureCauses:     batchJobFailureCauses,
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
	fields: batchInferenceJobFields,
	request: func(in *personalize.CreateBatchInferenceJobInput) jobRequest {
		return jobRequest{JobName: &in.JobName, Tags: &in.Tags}
	},
	differences: batchInferenceJobDifferences,
	list: func(ctx context.Context, conn *personalize.Client, solutionVersionARN string, each func([]jobSummary) bool, optFns ...func(*personalize.Options)) error {
		return listPages(ctx, func(ctx context.Context, token *string) ([]awstypes.BatchInferenceJobSummary, *string, error) {
			out, err := conn.ListBatchInferenceJobs(ctx, &personalize.ListBatchInferenceJobsInput{
				MaxResults: aws.Int32(listPageSize), NextToken: token, SolutionVersionArn: optionalString(solutionVersionARN),
			}, optFns...)
			if err != nil {
				return nil, nil, err
			}
			return out.BatchInferenceJobs, out.NextToken, nil
		}, batchInferenceJobSummary, each)
	},
	describeOperation: "DescribeBatchInferenceJob",
	listOperation:     "ListBatchInferenceJobs",
	// The service reports the job configuration it applied, defaults
	// included, so a request without one is only known by Describe.
	fromRequest: batchInferenceJobFromRequest,
	withSummary: func(job *awstypes.BatchInferenceJob, s jobSummary) *awstypes.BatchInferenceJob {
		j := *job
		j.BatchInferenceJobArn, j.Status = aws.String(s.ARN), aws.String(s.Status)
		j.FailureReason = optionalString(s.FailureReason)
		j.CreationDateTime, j.LastUpdatedDateTime = s.CreationDateTime, s.LastUpdatedDateTime
		if j.BatchInferenceJobMode == "" && s.Mode != "" {
			j.BatchInferenceJobMode = awstypes.BatchInferenceJobMode(s.Mode)
		}
		return &j
	},
	modes:            []string{jobModeBatchInference, jobModeThemeGeneration},
	resourceSchema:   batchInferenceJobResourceSchema,
	validate:         validateBatchInferenceJob,
	dataSourceSchema: batchInferenceJobDataSourceSchema,
	newModel: func() jobModel[awstypes.BatchInferenceJob, personalize.CreateBatchInferenceJobInput] {
		return &batchInferenceJobResourceModel{}
	},
	newDataModel: func() jobDataModel[awstypes.BatchInferenceJob] { return &batchInferenceJobDataSourceModel{} },
}

// batchInferenceJobFields reads what the shared code reads of a described job.
func batchInferenceJobFields(job *awstypes.BatchInferenceJob) jobFields {
	f := jobFields{
		ARN: job.BatchInferenceJobArn, Name: job.JobName, ParentARN: job.SolutionVersionArn, SolutionVersionARN: job.SolutionVersionArn, RoleARN: job.RoleArn, FilterARN: job.FilterArn,
		Status: job.Status, FailureReason: job.FailureReason, NumResults: job.NumResults,
		CreationDateTime: job.CreationDateTime, LastUpdatedDateTime: job.LastUpdatedDateTime,
	}
	if job.JobInput != nil {
		f.Input = job.JobInput.S3DataSource
	}
	if job.JobOutput != nil {
		f.Output = job.JobOutput.S3DataDestination
	}
	return f
}

// batchInferenceJobFromRequest is the job a create request makes; see jobKind.fromRequest.
func batchInferenceJobFromRequest(in *personalize.CreateBatchInferenceJobInput) (*awstypes.BatchInferenceJob, bool) {
	return &awstypes.BatchInferenceJob{
		JobName: in.JobName, SolutionVersionArn: in.SolutionVersionArn, RoleArn: in.RoleArn, FilterArn: in.FilterArn,
		NumResults: in.NumResults, JobInput: in.JobInput, JobOutput: in.JobOutput,
		BatchInferenceJobConfig: in.BatchInferenceJobConfig, BatchInferenceJobMode: in.BatchInferenceJobMode,
		ThemeGenerationConfig: in.ThemeGenerationConfig,
	}, in.NumResults != nil && in.BatchInferenceJobConfig != nil
}

// NewBatchInferenceJobResource returns the personalize_batch_inference_job resource.
func NewBatchInferenceJobResource() resource.Resource {
	return newBatchInferenceJobResource(nil)
}

func newBatchInferenceJobResource(data *ProviderData) *jobResource[awstypes.BatchInferenceJob, personalize.CreateBatchInferenceJobInput] {
	return &jobResource[awstypes.BatchInferenceJob, personalize.CreateBatchInferenceJobInput]{kind: batchInferenceJobKind, data: data}
}

// NewBatchInferenceJobDataSource returns the personalize_batch_inference_job data source.
func NewBatchInferenceJobDataSource() datasource.DataSource {
	return &jobDataSource[awstypes.BatchInferenceJob, personalize.CreateBatchInferenceJobInput]{kind: batchInferenceJobKind}
}

// NewBatchInferenceJobsDataSource returns the personalize_batch_inference_jobs data source.
func NewBatchInferenceJobsDataSource() datasource.DataSource {
	return &jobsDataSource[awstypes.BatchInferenceJob, personalize.CreateBatchInferenceJobInput]{kind: batchInferenceJobKind}
}

// NewBatchInferenceJobListResource returns the personalize_batch_inference_job
// list resource, which `terraform query` (Terraform 1.14+) uses to find jobs
// to import.
func NewBatchInferenceJobListResource() list.ListResource {
	return &jobListResource[awstypes.BatchInferenceJob, personalize.CreateBatchInferenceJobInput]{kind: batchInferenceJobKind}
}

// NewBatchInferenceJobAction returns the personalize_batch_inference_job action.
func NewBatchInferenceJobAction() action.Action {
	return &jobAction[awstypes.BatchInferenceJob, personalize.CreateBatchInferenceJobInput]{kind: batchInferenceJobKind}
}

// BatchInferenceJobAttributes is the part of a job's schema that mirrors the
// API's BatchInferenceJob. The resource embeds it; the data sources and the
// list resource embed it too, so one flatten serves them all.
type batchInferenceJobAttributes struct {
	batchJobAttributes
	BatchInferenceJobARN    types.String `tfsdk:"batch_inference_job_arn"`
	BatchInferenceJobConfig types.Object `tfsdk:"batch_inference_job_config"`
	BatchInferenceJobMode   types.String `tfsdk:"batch_inference_job_mode"`
	ThemeGenerationConfig   types.Object `tfsdk:"theme_generation_config"`
}

func (m *batchInferenceJobAttributes) arn() *types.String { return &m.BatchInferenceJobARN }

// arguments are the immutable arguments: every batch job's, and these.
func (m *batchInferenceJobAttributes) arguments() []attr.Value {
	return append(m.batchJobAttributes.arguments(), m.BatchInferenceJobConfig, m.BatchInferenceJobMode, m.ThemeGenerationConfig)
}

func (m *batchInferenceJobAttributes) nullUnseen() {
	m.batchJobAttributes.nullUnseen()
	if m.BatchInferenceJobConfig.IsUnknown() {
		m.BatchInferenceJobConfig = types.ObjectNull(batchInferenceJobConfigAttrTypes)
	}
}

type batchInferenceJobResourceModel struct {
	batchInferenceJobAttributes
	jobNamePrefixed
	jobResourceFields
}

type batchInferenceJobDataSourceModel struct {
	batchInferenceJobAttributes
	jobDataSourceFields
}

// Nested object models, named after the API's shapes.
type (
	batchInferenceJobConfigModel struct {
		ItemExplorationConfig types.Map `tfsdk:"item_exploration_config"`
		RankingInfluence      types.Map `tfsdk:"ranking_influence"`
	}
	themeGenerationConfigModel struct {
		FieldsForThemeGeneration types.Object `tfsdk:"fields_for_theme_generation"`
	}
	fieldsForThemeGenerationModel struct {
		ItemName types.String `tfsdk:"item_name"`
	}
)

// Attribute types of the nested objects, for the values flatten builds.
var (
	batchInferenceJobConfigAttrTypes = map[string]attr.Type{
		"item_exploration_config": types.MapType{ElemType: types.StringType},
		"ranking_influence":       types.MapType{ElemType: types.Float64Type},
	}
	fieldsForThemeGenerationAttrTypes = map[string]attr.Type{
		"item_name": types.StringType,
	}
	themeGenerationConfigAttrTypes = map[string]attr.Type{
		"fields_for_theme_generation": types.ObjectType{AttrTypes: fieldsForThemeGenerationAttrTypes},
	}
)

// batchInferenceJobResourceSchema is the resource's schema.
func batchInferenceJobResourceSchema(ctx context.Context, k *jobKind[awstypes.BatchInferenceJob, personalize.CreateBatchInferenceJobInput]) schema.Schema {
	attrs := jobResourceAttributes(ctx, k)
	addBatchJobResourceAttributes(attrs, jobSchemaText{
		inputPath:            "The input's S3 path: a prefix (every object under it is read, JSON Lines such as `{\"userId\":\"4638\"}`) or one file.",
		numResults:           fmt.Sprintf("How many recommendations to generate per input record, 1 to %d. Left out, the service's default (25) applies and is reported here.", maxNumResults),
		numResultsValidators: numResultsValidators(maxNumResults),
	})
	attrs["batch_inference_job_config"] = schema.SingleNestedAttribute{
		Description: "Configuration of the recommendations. Left out, the service's defaults apply and are reported here.",
		Optional:    true,
		Computed:    true,
		Attributes: map[string]schema.Attribute{
			"item_exploration_config": schema.MapAttribute{
				Description: "Exploration settings for User-Personalization recipes, as strings: `explorationWeight` (0 to 1, default 0.3: how much to recommend new or less-known items) and " +
					"`explorationItemAgeCutOff` (days, greater than 0, default 30: how old an item may be and still be explored).",
				ElementType: types.StringType,
				Optional:    true,
				Validators:  itemExplorationConfigValidators(),
			},
			"ranking_influence": schema.MapAttribute{
				Description: "How strongly objectives other than relevance shape the ranking: keys `POPULARITY` and `FRESHNESS`, values from 0 to 1 (default 0).",
				ElementType: types.Float64Type,
				Optional:    true,
				Validators:  rankingInfluenceValidators(),
			},
		},
		PlanModifiers: keepAndReplaceObject,
	}
	attrs["batch_inference_job_mode"] = schema.StringAttribute{
		Description:   "`BATCH_INFERENCE` (the default) for recommendations, or `THEME_GENERATION` for themed groups of similar items (Similar-Items recipes only; needs `theme_generation_config`).",
		Optional:      true,
		Computed:      true,
		Default:       stringdefault.StaticString(jobModeBatchInference),
		Validators:    []validator.String{stringvalidator.OneOf(jobModeBatchInference, jobModeThemeGeneration)},
		PlanModifiers: replaceString,
	}
	attrs["theme_generation_config"] = schema.SingleNestedAttribute{
		Description: "Theme generation settings; required when, and only when, `batch_inference_job_mode` is `THEME_GENERATION`.",
		Optional:    true,
		Attributes: map[string]schema.Attribute{
			"fields_for_theme_generation": schema.SingleNestedAttribute{
				Description: "The Items dataset fields the themes are generated from.",
				Required:    true,
				Attributes: map[string]schema.Attribute{
					"item_name": schema.StringAttribute{
						Description: "The Items dataset column holding each item's name or title.",
						Required:    true,
						Validators:  itemNameValidators(),
					},
				},
			},
		},
		PlanModifiers: replaceObject,
	}
	return schema.Schema{
		Description: "Runs an Amazon Personalize batch inference job: recommendations (or themes) for every record of an S3 input, written to S3. " +
			"A job cannot be changed, stopped or deleted: every argument except `tags`, `wait_for_completion` and `timeouts` replaces it, " +
			"and destroy only removes it from the Terraform state.",
		Attributes: attrs,
	}
}

// batchInferenceJobDataSourceSchema is the one-job data source's schema.
func batchInferenceJobDataSourceSchema(k *jobKind[awstypes.BatchInferenceJob, personalize.CreateBatchInferenceJobInput]) dsschema.Schema {
	attrs := jobDataSourceAttributes(k)
	addBatchJobDataSourceAttributes(attrs, k.arnAttribute, "The input's S3 path: a prefix or one file of JSON Lines.")
	attrs["batch_inference_job_config"] = dsschema.SingleNestedAttribute{
		Description: "Configuration of the recommendations, null when the job was created without one.",
		Computed:    true,
		Attributes: map[string]dsschema.Attribute{
			"item_exploration_config": dsschema.MapAttribute{
				Description: "Exploration settings for User-Personalization recipes, as strings: `explorationWeight` (0 to 1: how much to recommend new or less-known items) and " +
					"`explorationItemAgeCutOff` (days: how old an item may be and still be explored).",
				ElementType: types.StringType,
				Computed:    true,
			},
			"ranking_influence": dsschema.MapAttribute{
				Description: "How strongly objectives other than relevance shape the ranking: keys `POPULARITY` and `FRESHNESS`, values from 0 to 1.",
				ElementType: types.Float64Type,
				Computed:    true,
			},
		},
	}
	attrs["batch_inference_job_mode"] = dsschema.StringAttribute{
		Description: "`BATCH_INFERENCE` for recommendations or `THEME_GENERATION` for themed groups of similar items. Jobs from before modes existed report `BATCH_INFERENCE`.",
		Computed:    true,
	}
	attrs["num_results"] = dsschema.Int64Attribute{
		Description: "How many recommendations the job generates per input record.",
		Computed:    true,
	}
	attrs["theme_generation_config"] = dsschema.SingleNestedAttribute{
		Description: "Theme generation settings of a `THEME_GENERATION` job; null otherwise.",
		Computed:    true,
		Attributes: map[string]dsschema.Attribute{
			"fields_for_theme_generation": dsschema.SingleNestedAttribute{
				Description: "The Items dataset fields the themes are generated from.",
				Computed:    true,
				Attributes: map[string]dsschema.Attribute{
					"item_name": dsschema.StringAttribute{
						Description: "The Items dataset column holding each item's name or title.",
						Computed:    true,
					},
				},
			},
		},
	}
	return dsschema.Schema{
		Description: "Reads one Amazon Personalize batch inference job, found by its ARN or by its name, with every attribute the " +
			"`personalize_batch_inference_job` resource has. The job may have been created by Terraform or by anything else.",
		Attributes: attrs,
	}
}

// validateBatchInferenceJob checks the rules that tie the arguments of batch
// inference jobs together: the mode's, and an empty job configuration.
func validateBatchInferenceJob(ctx context.Context, cfg tfsdk.Config, diags *diag.Diagnostics) {
	var mode types.String
	var theme, config types.Object
	diags.Append(cfg.GetAttribute(ctx, path.Root("batch_inference_job_mode"), &mode)...)
	diags.Append(cfg.GetAttribute(ctx, path.Root("theme_generation_config"), &theme)...)
	diags.Append(cfg.GetAttribute(ctx, path.Root("batch_inference_job_config"), &config)...)
	if diags.HasError() {
		return
	}

	if !mode.IsUnknown() && !theme.IsUnknown() {
		themeMode := mode.ValueString() == jobModeThemeGeneration
		switch {
		case themeMode && theme.IsNull():
			diags.AddAttributeError(path.Root("theme_generation_config"), "Missing theme_generation_config",
				`batch_inference_job_mode = "THEME_GENERATION" needs theme_generation_config = { fields_for_theme_generation = { item_name = "<Items column with the item name>" } }: add it, or use batch_inference_job_mode = "BATCH_INFERENCE".`)
		case !themeMode && !theme.IsNull():
			current := mode.ValueString()
			if mode.IsNull() {
				current = jobModeBatchInference + " (the default)"
			}
			diags.AddAttributeError(path.Root("theme_generation_config"), "theme_generation_config needs THEME_GENERATION mode",
				fmt.Sprintf(`theme_generation_config is only accepted with batch_inference_job_mode = "THEME_GENERATION", but the mode is %s: set the mode to "THEME_GENERATION" or remove theme_generation_config.`, current))
		}
	}

	if !config.IsNull() && !config.IsUnknown() {
		attrs := config.Attributes()
		if attrs["item_exploration_config"].IsNull() && attrs["ranking_influence"].IsNull() {
			diags.AddAttributeError(path.Root("batch_inference_job_config"), "Empty batch_inference_job_config",
				"batch_inference_job_config sets neither item_exploration_config nor ranking_influence: set one of them, or remove batch_inference_job_config to use the service's defaults.")
		}
	}
}

// Flatten fills m from a job as DescribeBatchInferenceJob returns it.
func (m *batchInferenceJobAttributes) Flatten(ctx context.Context, job *awstypes.BatchInferenceJob) diag.Diagnostics {
	var d diag.Diagnostics
	diags := m.flatten(batchInferenceJobKind.fields(job))
	m.BatchInferenceJobARN = types.StringPointerValue(job.BatchInferenceJobArn)
	// Jobs made before modes existed report none; they ran as batch inference.
	m.BatchInferenceJobMode = types.StringValue(jobMode(job.BatchInferenceJobMode))

	m.BatchInferenceJobConfig, d = flattenBatchInferenceJobConfig(ctx, job.BatchInferenceJobConfig)
	diags.Append(d...)

	m.ThemeGenerationConfig = types.ObjectNull(themeGenerationConfigAttrTypes)
	if t := job.ThemeGenerationConfig; t != nil && t.FieldsForThemeGeneration != nil {
		fields, d := types.ObjectValue(fieldsForThemeGenerationAttrTypes,
			map[string]attr.Value{"item_name": types.StringPointerValue(t.FieldsForThemeGeneration.ItemName)})
		diags.Append(d...)
		m.ThemeGenerationConfig, d = types.ObjectValue(themeGenerationConfigAttrTypes,
			map[string]attr.Value{"fields_for_theme_generation": fields})
		diags.Append(d...)
	}
	return diags
}

// jobMode is the mode a job runs in: jobs from before modes existed report
// none, and ran as BATCH_INFERENCE.
func jobMode(m awstypes.BatchInferenceJobMode) string {
	if m == "" {
		return jobModeBatchInference
	}
	return string(m)
}

// flattenBatchInferenceJobConfig gives null for an absent or empty config, so
// a configuration that leaves the argument out reads back unchanged.
func flattenBatchInferenceJobConfig(ctx context.Context, c *awstypes.BatchInferenceJobConfig) (types.Object, diag.Diagnostics) {
	if c == nil || (len(c.ItemExplorationConfig) == 0 && len(c.RankingInfluence) == 0) {
		return types.ObjectNull(batchInferenceJobConfigAttrTypes), nil
	}
	var diags, d diag.Diagnostics
	m := batchInferenceJobConfigModel{
		ItemExplorationConfig: types.MapNull(types.StringType),
		RankingInfluence:      types.MapNull(types.Float64Type),
	}
	if len(c.ItemExplorationConfig) > 0 {
		m.ItemExplorationConfig, d = types.MapValueFrom(ctx, types.StringType, c.ItemExplorationConfig)
		diags.Append(d...)
	}
	if len(c.RankingInfluence) > 0 {
		m.RankingInfluence, d = types.MapValueFrom(ctx, types.Float64Type, c.RankingInfluence)
		diags.Append(d...)
	}
	obj, d := types.ObjectValueFrom(ctx, batchInferenceJobConfigAttrTypes, m)
	diags.Append(d...)
	return obj, diags
}

// expand builds the create request from planned attributes. Arguments still
// unknown (optional ones the service fills in) are left out so the service
// applies its defaults.
func (m *batchInferenceJobAttributes) expand(ctx context.Context) (*personalize.CreateBatchInferenceJobInput, diag.Diagnostics) {
	f, diags := m.batchJobAttributes.expand(ctx)
	in := &personalize.CreateBatchInferenceJobInput{
		JobName:            f.Name,
		SolutionVersionArn: f.SolutionVersionARN,
		RoleArn:            f.RoleARN,
		FilterArn:          f.FilterARN,
		NumResults:         f.NumResults,
	}
	if f.Input != nil {
		in.JobInput = &awstypes.BatchInferenceJobInput{S3DataSource: f.Input}
	}
	if f.Output != nil {
		in.JobOutput = &awstypes.BatchInferenceJobOutput{S3DataDestination: f.Output}
	}
	if v := m.BatchInferenceJobMode; !v.IsNull() && !v.IsUnknown() {
		in.BatchInferenceJobMode = awstypes.BatchInferenceJobMode(v.ValueString())
	}

	cfg, d := expandBatchInferenceJobConfig(ctx, m.BatchInferenceJobConfig)
	diags.Append(d...)
	in.BatchInferenceJobConfig = cfg

	if obj := m.ThemeGenerationConfig; !obj.IsNull() && !obj.IsUnknown() {
		var theme themeGenerationConfigModel
		diags.Append(obj.As(ctx, &theme, basetypes.ObjectAsOptions{})...)
		var fields fieldsForThemeGenerationModel
		if !theme.FieldsForThemeGeneration.IsNull() && !theme.FieldsForThemeGeneration.IsUnknown() {
			diags.Append(theme.FieldsForThemeGeneration.As(ctx, &fields, basetypes.ObjectAsOptions{})...)
		}
		in.ThemeGenerationConfig = &awstypes.ThemeGenerationConfig{
			FieldsForThemeGeneration: &awstypes.FieldsForThemeGeneration{ItemName: fields.ItemName.ValueStringPointer()},
		}
	}
	return in, diags
}

func expandBatchInferenceJobConfig(ctx context.Context, obj types.Object) (*awstypes.BatchInferenceJobConfig, diag.Diagnostics) {
	if obj.IsNull() || obj.IsUnknown() {
		return nil, nil
	}
	var m batchInferenceJobConfigModel
	diags := obj.As(ctx, &m, basetypes.ObjectAsOptions{})
	cfg := &awstypes.BatchInferenceJobConfig{}
	if !m.ItemExplorationConfig.IsNull() && !m.ItemExplorationConfig.IsUnknown() {
		diags.Append(m.ItemExplorationConfig.ElementsAs(ctx, &cfg.ItemExplorationConfig, false)...)
	}
	if !m.RankingInfluence.IsNull() && !m.RankingInfluence.IsUnknown() {
		diags.Append(m.RankingInfluence.ElementsAs(ctx, &cfg.RankingInfluence, false)...)
	}
	return cfg, diags
}

// batchInferenceJobDifferences names the arguments in which an existing
// batch inference job differs from a create request; see jobKind.differences.
func batchInferenceJobDifferences(want *personalize.CreateBatchInferenceJobInput, got *awstypes.BatchInferenceJob) []string {
	planned, _ := batchInferenceJobFromRequest(want)
	diffs := batchJobDifferences(batchInferenceJobFields(planned), batchInferenceJobFields(got))

	if wantMode, gotMode := jobMode(want.BatchInferenceJobMode), jobMode(got.BatchInferenceJobMode); wantMode != gotMode {
		diffs = append(diffs, fmt.Sprintf("batch_inference_job_mode (planned %q, existing job %q)", wantMode, gotMode))
	}

	if c := want.BatchInferenceJobConfig; c != nil {
		var g awstypes.BatchInferenceJobConfig
		if got.BatchInferenceJobConfig != nil {
			g = *got.BatchInferenceJobConfig
		}
		if !maps.Equal(c.ItemExplorationConfig, g.ItemExplorationConfig) {
			diffs = append(diffs, fmt.Sprintf("batch_inference_job_config.item_exploration_config (planned %v, existing job %v)", c.ItemExplorationConfig, g.ItemExplorationConfig))
		}
		if !maps.Equal(c.RankingInfluence, g.RankingInfluence) {
			diffs = append(diffs, fmt.Sprintf("batch_inference_job_config.ranking_influence (planned %v, existing job %v)", c.RankingInfluence, g.RankingInfluence))
		}
	}
	themeItem := func(t *awstypes.ThemeGenerationConfig) *string {
		if t == nil || t.FieldsForThemeGeneration == nil {
			return nil
		}
		return t.FieldsForThemeGeneration.ItemName
	}
	diffs = appendStringDifference(diffs, "theme_generation_config.fields_for_theme_generation.item_name", themeItem(want.ThemeGenerationConfig), themeItem(got.ThemeGenerationConfig))

	return slices.Clip(diffs)
}

// BatchInferenceJobSummary reads a ListBatchInferenceJobs summary.
func batchInferenceJobSummary(s awstypes.BatchInferenceJobSummary) jobSummary {
	return jobSummary{
		ARN: aws.ToString(s.BatchInferenceJobArn), Name: aws.ToString(s.JobName), Status: aws.ToString(s.Status),
		ParentARN: aws.ToString(s.SolutionVersionArn), FailureReason: aws.ToString(s.FailureReason),
		Mode:             jobMode(s.BatchInferenceJobMode),
		CreationDateTime: s.CreationDateTime, LastUpdatedDateTime: s.LastUpdatedDateTime,
	}
}
