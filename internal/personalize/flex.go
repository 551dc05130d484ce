package personalize

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

// jobAttributes are the API fields every batch job type has (its
// BatchInferenceJob or BatchSegmentJob, less the ARN, whose name differs).
type jobAttributes struct {
	CreationDateTime    timetypes.RFC3339 `tfsdk:"creation_date_time"`
	FailureReason       types.String      `tfsdk:"failure_reason"`
	FilterARN           types.String      `tfsdk:"filter_arn"`
	JobInput            types.Object      `tfsdk:"job_input"`
	JobName             types.String      `tfsdk:"job_name"`
	JobOutput           types.Object      `tfsdk:"job_output"`
	LastUpdatedDateTime timetypes.RFC3339 `tfsdk:"last_updated_date_time"`
	NumResults          types.Int64       `tfsdk:"num_results"`
	RoleARN             types.String      `tfsdk:"role_arn"`
	SolutionVersionARN  types.String      `tfsdk:"solution_version_arn"`
	Status              types.String      `tfsdk:"status"`
}

func (m *jobAttributes) attributes() *jobAttributes { return m }

// jobFields are the API's fields every job type has, read from a described
// job or a create request, for the code that is the same for all of them.
type jobFields struct {
	Name, SolutionVersionARN, RoleARN, FilterARN, Status, FailureReason *string
	CreationDateTime, LastUpdatedDateTime                               *time.Time
	NumResults                                                          *int32
	Input, Output                                                       *awstypes.S3DataConfig
}

// flatten fills m from a described job's common fields.
func (m *jobAttributes) flatten(job jobFields) diag.Diagnostics {
	var diags diag.Diagnostics
	m.JobName = types.StringPointerValue(job.Name)
	m.SolutionVersionARN = types.StringPointerValue(job.SolutionVersionARN)
	m.RoleARN = types.StringPointerValue(job.RoleARN)
	m.FilterARN = types.StringPointerValue(job.FilterARN)
	m.Status = types.StringPointerValue(job.Status)
	m.FailureReason = types.StringPointerValue(job.FailureReason)
	m.CreationDateTime = rfc3339Value(job.CreationDateTime)
	m.LastUpdatedDateTime = rfc3339Value(job.LastUpdatedDateTime)

	m.NumResults = types.Int64Null()
	if job.NumResults != nil {
		m.NumResults = types.Int64Value(int64(*job.NumResults))
	}

	m.JobInput = types.ObjectNull(JobInputAttrTypes)
	if job.Input != nil {
		src, d := flattenS3DataConfig(job.Input)
		diags.Append(d...)
		m.JobInput, d = types.ObjectValue(JobInputAttrTypes, map[string]attr.Value{"s3_data_source": src})
		diags.Append(d...)
	}
	m.JobOutput = types.ObjectNull(JobOutputAttrTypes)
	if job.Output != nil {
		dst, d := flattenS3DataConfig(job.Output)
		diags.Append(d...)
		m.JobOutput, d = types.ObjectValue(JobOutputAttrTypes, map[string]attr.Value{"s3_data_destination": dst})
		diags.Append(d...)
	}
	return diags
}

// expand reads the common arguments of a create request. Arguments still
// unknown (optional ones the service fills in) are left out so the service
// applies its defaults.
func (m *jobAttributes) expand(ctx context.Context) (jobFields, diag.Diagnostics) {
	var diags diag.Diagnostics
	f := jobFields{
		Name:               m.JobName.ValueStringPointer(),
		SolutionVersionARN: m.SolutionVersionARN.ValueStringPointer(),
		RoleARN:            m.RoleARN.ValueStringPointer(),
		FilterARN:          knownString(m.FilterARN),
	}
	if v := m.NumResults; !v.IsNull() && !v.IsUnknown() {
		f.NumResults = aws.Int32(int32(v.ValueInt64()))
	}
	var d diag.Diagnostics
	f.Input, d = expandNestedS3(ctx, m.JobInput, "s3_data_source")
	diags.Append(d...)
	f.Output, d = expandNestedS3(ctx, m.JobOutput, "s3_data_destination")
	diags.Append(d...)
	return f, diags
}

// differ reports whether the immutable common arguments of plan m differ
// from those of state s.
func (m *jobAttributes) differ(s *jobAttributes) bool {
	return !m.FilterARN.Equal(s.FilterARN) ||
		!m.JobInput.Equal(s.JobInput) ||
		!m.JobName.Equal(s.JobName) ||
		!m.JobOutput.Equal(s.JobOutput) ||
		!m.NumResults.Equal(s.NumResults) ||
		!m.RoleARN.Equal(s.RoleARN) ||
		!m.SolutionVersionARN.Equal(s.SolutionVersionARN)
}

// BatchInferenceJobAttributes is the part of a job's schema that mirrors the
// API's BatchInferenceJob. The resource embeds it; the data sources and the
// list resource embed it too, so one flatten serves them all.
type BatchInferenceJobAttributes struct {
	jobAttributes
	BatchInferenceJobARN    types.String `tfsdk:"batch_inference_job_arn"`
	BatchInferenceJobConfig types.Object `tfsdk:"batch_inference_job_config"`
	BatchInferenceJobMode   types.String `tfsdk:"batch_inference_job_mode"`
	ThemeGenerationConfig   types.Object `tfsdk:"theme_generation_config"`
}

func (m *BatchInferenceJobAttributes) arn() *types.String { return &m.BatchInferenceJobARN }

// Nested object models, named after the API's shapes.
type (
	BatchInferenceJobConfigModel struct {
		ItemExplorationConfig types.Map `tfsdk:"item_exploration_config"`
		RankingInfluence      types.Map `tfsdk:"ranking_influence"`
	}
	jobOutputModel struct {
		S3DataDestination types.Object `tfsdk:"s3_data_destination"`
	}
	S3DataConfigModel struct {
		Path      types.String `tfsdk:"path"`
		KMSKeyARN types.String `tfsdk:"kms_key_arn"`
	}
	ThemeGenerationConfigModel struct {
		FieldsForThemeGeneration types.Object `tfsdk:"fields_for_theme_generation"`
	}
	FieldsForThemeGenerationModel struct {
		ItemName types.String `tfsdk:"item_name"`
	}
)

// Attribute types of the nested objects, for schemas outside this file that
// must hold the same values (data sources, list results).
var (
	S3DataConfigAttrTypes = map[string]attr.Type{
		"path":        types.StringType,
		"kms_key_arn": types.StringType,
	}
	JobInputAttrTypes = map[string]attr.Type{
		"s3_data_source": types.ObjectType{AttrTypes: S3DataConfigAttrTypes},
	}
	JobOutputAttrTypes = map[string]attr.Type{
		"s3_data_destination": types.ObjectType{AttrTypes: S3DataConfigAttrTypes},
	}
	BatchInferenceJobConfigAttrTypes = map[string]attr.Type{
		"item_exploration_config": types.MapType{ElemType: types.StringType},
		"ranking_influence":       types.MapType{ElemType: types.Float64Type},
	}
	FieldsForThemeGenerationAttrTypes = map[string]attr.Type{
		"item_name": types.StringType,
	}
	ThemeGenerationConfigAttrTypes = map[string]attr.Type{
		"fields_for_theme_generation": types.ObjectType{AttrTypes: FieldsForThemeGenerationAttrTypes},
	}
)

// Flatten fills m from a job as DescribeBatchInferenceJob returns it.
func (m *BatchInferenceJobAttributes) Flatten(ctx context.Context, job *awstypes.BatchInferenceJob) diag.Diagnostics {
	var d diag.Diagnostics
	diags := m.flatten(batchInferenceJobFields(job))
	m.BatchInferenceJobARN = types.StringPointerValue(job.BatchInferenceJobArn)
	// Jobs made before modes existed report none; they ran as batch inference.
	m.BatchInferenceJobMode = types.StringValue(jobMode(job.BatchInferenceJobMode))

	m.BatchInferenceJobConfig, d = flattenBatchInferenceJobConfig(ctx, job.BatchInferenceJobConfig)
	diags.Append(d...)

	m.ThemeGenerationConfig = types.ObjectNull(ThemeGenerationConfigAttrTypes)
	if t := job.ThemeGenerationConfig; t != nil && t.FieldsForThemeGeneration != nil {
		fields, d := types.ObjectValue(FieldsForThemeGenerationAttrTypes,
			map[string]attr.Value{"item_name": types.StringPointerValue(t.FieldsForThemeGeneration.ItemName)})
		diags.Append(d...)
		m.ThemeGenerationConfig, d = types.ObjectValue(ThemeGenerationConfigAttrTypes,
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

// rfc3339Value renders a service timestamp in UTC, so the value does not
// change with the machine that ran Terraform.
func rfc3339Value(t *time.Time) timetypes.RFC3339 {
	if t == nil {
		return timetypes.NewRFC3339Null()
	}
	return timetypes.NewRFC3339TimeValue(t.UTC())
}

// The flatten functions build objects from attribute maps rather than from
// the models by reflection, which costs several times more per job.
func flattenS3DataConfig(c *awstypes.S3DataConfig) (types.Object, diag.Diagnostics) {
	if c == nil {
		return types.ObjectNull(S3DataConfigAttrTypes), nil
	}
	return types.ObjectValue(S3DataConfigAttrTypes, map[string]attr.Value{
		"path":        types.StringPointerValue(c.Path),
		"kms_key_arn": types.StringPointerValue(c.KmsKeyArn),
	})
}

// flattenBatchInferenceJobConfig gives null for an absent or empty config, so
// a configuration that leaves the argument out reads back unchanged.
func flattenBatchInferenceJobConfig(ctx context.Context, c *awstypes.BatchInferenceJobConfig) (types.Object, diag.Diagnostics) {
	if c == nil || (len(c.ItemExplorationConfig) == 0 && len(c.RankingInfluence) == 0) {
		return types.ObjectNull(BatchInferenceJobConfigAttrTypes), nil
	}
	var diags, d diag.Diagnostics
	m := BatchInferenceJobConfigModel{
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
	obj, d := types.ObjectValueFrom(ctx, BatchInferenceJobConfigAttrTypes, m)
	diags.Append(d...)
	return obj, diags
}

// expandCreateBatchInferenceJobInput builds the create request from planned
// attributes. Arguments still unknown (optional ones the service fills in)
// are left out so the service applies its defaults.
func expandCreateBatchInferenceJobInput(ctx context.Context, m *BatchInferenceJobAttributes) (*personalize.CreateBatchInferenceJobInput, diag.Diagnostics) {
	f, diags := m.jobAttributes.expand(ctx)
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
		var theme ThemeGenerationConfigModel
		diags.Append(obj.As(ctx, &theme, basetypes.ObjectAsOptions{})...)
		var fields FieldsForThemeGenerationModel
		if !theme.FieldsForThemeGeneration.IsNull() && !theme.FieldsForThemeGeneration.IsUnknown() {
			diags.Append(theme.FieldsForThemeGeneration.As(ctx, &fields, basetypes.ObjectAsOptions{})...)
		}
		in.ThemeGenerationConfig = &awstypes.ThemeGenerationConfig{
			FieldsForThemeGeneration: &awstypes.FieldsForThemeGeneration{ItemName: fields.ItemName.ValueStringPointer()},
		}
	}
	return in, diags
}

func knownString(v types.String) *string {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	return v.ValueStringPointer()
}

// expandNestedS3 reads job_input.s3_data_source or job_output.s3_data_destination.
func expandNestedS3(ctx context.Context, outer types.Object, name string) (*awstypes.S3DataConfig, diag.Diagnostics) {
	if outer.IsNull() || outer.IsUnknown() {
		return nil, nil
	}
	inner, ok := outer.Attributes()[name].(types.Object)
	if !ok || inner.IsNull() || inner.IsUnknown() {
		return nil, nil
	}
	var s3 S3DataConfigModel
	diags := inner.As(ctx, &s3, basetypes.ObjectAsOptions{})
	return &awstypes.S3DataConfig{Path: s3.Path.ValueStringPointer(), KmsKeyArn: knownString(s3.KMSKeyARN)}, diags
}

func expandBatchInferenceJobConfig(ctx context.Context, obj types.Object) (*awstypes.BatchInferenceJobConfig, diag.Diagnostics) {
	if obj.IsNull() || obj.IsUnknown() {
		return nil, nil
	}
	var m BatchInferenceJobConfigModel
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

// batchInferenceJobFields reads the fields every job type has.
func batchInferenceJobFields(job *awstypes.BatchInferenceJob) jobFields {
	f := jobFields{
		Name: job.JobName, SolutionVersionARN: job.SolutionVersionArn, RoleARN: job.RoleArn, FilterARN: job.FilterArn,
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

// batchInferenceJobRequestFields reads the fields every job type's create
// request has.
func batchInferenceJobRequestFields(in *personalize.CreateBatchInferenceJobInput) jobFields {
	f := jobFields{Name: in.JobName, SolutionVersionARN: in.SolutionVersionArn, RoleARN: in.RoleArn, FilterARN: in.FilterArn, NumResults: in.NumResults}
	if in.JobInput != nil {
		f.Input = in.JobInput.S3DataSource
	}
	if in.JobOutput != nil {
		f.Output = in.JobOutput.S3DataDestination
	}
	return f
}

// commonArgumentDifferences names the common arguments in which an existing
// job differs from a create request. It decides whether a job found under
// the planned name is the one this create already made (after a lost
// response) or someone else's.
func commonArgumentDifferences(want, got jobFields) []string {
	var diffs []string
	differ := func(name string, a, b *string) { diffs = appendStringDifference(diffs, name, a, b) }
	differ("solution_version_arn", want.SolutionVersionARN, got.SolutionVersionARN)
	differ("role_arn", want.RoleARN, got.RoleARN)
	differ("filter_arn", want.FilterARN, got.FilterARN)

	var wantIn, gotIn, wantOut, gotOut awstypes.S3DataConfig
	for _, c := range []struct {
		to   *awstypes.S3DataConfig
		from *awstypes.S3DataConfig
	}{{&wantIn, want.Input}, {&gotIn, got.Input}, {&wantOut, want.Output}, {&gotOut, got.Output}} {
		if c.from != nil {
			*c.to = *c.from
		}
	}
	differ("job_input.s3_data_source.path", wantIn.Path, gotIn.Path)
	differ("job_input.s3_data_source.kms_key_arn", wantIn.KmsKeyArn, gotIn.KmsKeyArn)
	differ("job_output.s3_data_destination.path", wantOut.Path, gotOut.Path)
	differ("job_output.s3_data_destination.kms_key_arn", wantOut.KmsKeyArn, gotOut.KmsKeyArn)

	// Unset optional arguments take whatever the service chose.
	if want.NumResults != nil && aws.ToInt32(want.NumResults) != aws.ToInt32(got.NumResults) {
		diffs = append(diffs, fmt.Sprintf("num_results (planned %d, existing job %d)", aws.ToInt32(want.NumResults), aws.ToInt32(got.NumResults)))
	}
	return diffs
}

func appendStringDifference(diffs []string, name string, planned, existing *string) []string {
	if aws.ToString(planned) == aws.ToString(existing) {
		return diffs
	}
	return append(diffs, fmt.Sprintf("%s (planned %q, existing job %q)", name, aws.ToString(planned), aws.ToString(existing)))
}

// jobArgumentDifferences names the arguments in which an existing batch
// inference job differs from a create request; see commonArgumentDifferences.
func jobArgumentDifferences(want *personalize.CreateBatchInferenceJobInput, got *awstypes.BatchInferenceJob) []string {
	diffs := commonArgumentDifferences(batchInferenceJobRequestFields(want), batchInferenceJobFields(got))

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

// optionalString is nil for "", as the API leaves out members it has no
// value for.
func optionalString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
