package personalize

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
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

// ownArguments are a job type's immutable arguments beyond these, for the
// type's attributes to override; see jobModel.
func (m *jobAttributes) ownArguments() []attr.Value { return nil }

// nullUnseen sets a job type's own computed attributes still unknown to
// null, for a job that was never described; these have none.
func (m *jobAttributes) nullUnseen() {}

// jobFields are the API's fields every job type has, read from a described
// job or a create request, for the code that is the same for all of them.
type jobFields struct {
	ARN, Name, SolutionVersionARN, RoleARN, FilterARN, Status, FailureReason *string
	CreationDateTime, LastUpdatedDateTime                                    *time.Time
	NumResults                                                               *int32
	Input, Output                                                            *awstypes.S3DataConfig
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

	m.JobInput = types.ObjectNull(jobInputAttrTypes)
	if job.Input != nil {
		src, d := flattenS3DataConfig(job.Input)
		diags.Append(d...)
		m.JobInput, d = types.ObjectValue(jobInputAttrTypes, map[string]attr.Value{"s3_data_source": src})
		diags.Append(d...)
	}
	m.JobOutput = types.ObjectNull(jobOutputAttrTypes)
	if job.Output != nil {
		dst, d := flattenS3DataConfig(job.Output)
		diags.Append(d...)
		m.JobOutput, d = types.ObjectValue(jobOutputAttrTypes, map[string]attr.Value{"s3_data_destination": dst})
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

// Nested object models and attribute types every job type shares.
type (
	jobOutputModel struct {
		S3DataDestination types.Object `tfsdk:"s3_data_destination"`
	}
	s3DataConfigModel struct {
		Path      types.String `tfsdk:"path"`
		KMSKeyARN types.String `tfsdk:"kms_key_arn"`
	}
)

var (
	s3DataConfigAttrTypes = map[string]attr.Type{
		"path":        types.StringType,
		"kms_key_arn": types.StringType,
	}
	jobInputAttrTypes = map[string]attr.Type{
		"s3_data_source": types.ObjectType{AttrTypes: s3DataConfigAttrTypes},
	}
	jobOutputAttrTypes = map[string]attr.Type{
		"s3_data_destination": types.ObjectType{AttrTypes: s3DataConfigAttrTypes},
	}
)

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
		return types.ObjectNull(s3DataConfigAttrTypes), nil
	}
	return types.ObjectValue(s3DataConfigAttrTypes, map[string]attr.Value{
		"path":        types.StringPointerValue(c.Path),
		"kms_key_arn": types.StringPointerValue(c.KmsKeyArn),
	})
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
	var s3 s3DataConfigModel
	diags := inner.As(ctx, &s3, basetypes.ObjectAsOptions{})
	return &awstypes.S3DataConfig{Path: s3.Path.ValueStringPointer(), KmsKeyArn: knownString(s3.KMSKeyARN)}, diags
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

// optionalString is nil for "", as the API leaves out members it has no
// value for.
func optionalString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
