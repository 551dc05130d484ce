// The fields every batch job type has (batch inference and batch segment
// jobs): their models, expand and flatten, and how they differ.

package personalize

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

// batchJobAttributes are the API fields every batch job type has (its
// BatchInferenceJob or BatchSegmentJob, less the ARN, whose name differs).
type batchJobAttributes struct {
	jobRun
	jobNamed
	FilterARN          types.String `tfsdk:"filter_arn"`
	JobInput           types.Object `tfsdk:"job_input"`
	JobOutput          types.Object `tfsdk:"job_output"`
	NumResults         types.Int64  `tfsdk:"num_results"`
	RoleARN            types.String `tfsdk:"role_arn"`
	SolutionVersionARN types.String `tfsdk:"solution_version_arn"`
}

func (m *batchJobAttributes) parent() *types.String { return &m.SolutionVersionARN }

func (m *batchJobAttributes) outputObject() types.Object { return m.JobOutput }

// outputPath is the job's output path, for messages.
func (m *batchJobAttributes) outputPath(ctx context.Context) string {
	var out jobOutputModel
	var s3 s3DataConfigModel
	if m.JobOutput.IsNull() || m.JobOutput.IsUnknown() || m.JobOutput.As(ctx, &out, basetypes.ObjectAsOptions{}).HasError() ||
		out.S3DataDestination.IsNull() || out.S3DataDestination.As(ctx, &s3, basetypes.ObjectAsOptions{}).HasError() {
		return "the job's output path"
	}
	return s3.Path.ValueString()
}

// arguments are the immutable arguments every batch job type has; a type
// with more appends its own.
func (m *batchJobAttributes) arguments() []attr.Value {
	return []attr.Value{m.FilterARN, m.JobInput, m.JobName, m.JobOutput, m.NumResults, m.RoleARN, m.SolutionVersionARN}
}

// nullUnseen sets the computed attributes still unknown to null, for a job
// that was never described.
func (m *batchJobAttributes) nullUnseen() {
	m.nullUnknown()
	if m.NumResults.IsUnknown() {
		m.NumResults = types.Int64Null()
	}
}

// jobFields are what the shared code reads of a described job or a create
// request: its ARN, name, run and parent for every type, and the fields every
// batch job type has for theirs.
type jobFields struct {
	ARN, Name, ParentARN, Status, FailureReason *string
	CreationDateTime, LastUpdatedDateTime       *time.Time

	SolutionVersionARN, RoleARN, FilterARN *string
	NumResults                             *int32
	Input, Output                          *awstypes.S3DataConfig
}

// flatten fills m from a described job's common fields.
func (m *batchJobAttributes) flatten(job jobFields) diag.Diagnostics {
	var diags diag.Diagnostics
	m.jobRun.flatten(job)
	m.JobName = types.StringPointerValue(job.Name)
	m.SolutionVersionARN = types.StringPointerValue(job.SolutionVersionARN)
	m.RoleARN = types.StringPointerValue(job.RoleARN)
	m.FilterARN = types.StringPointerValue(job.FilterARN)

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
func (m *batchJobAttributes) expand(ctx context.Context) (jobFields, diag.Diagnostics) {
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

// batchJobDifferences names the arguments every batch job type has in which
// an existing job differs from a create request; see jobKind.differences.
func batchJobDifferences(want, got jobFields) []string {
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

// batchJobStatusDescription describes the status of every batch job type.
const batchJobStatusDescription = "The job's status: `PENDING`, `IN PROGRESS`, `ACTIVE` (finished, output written) or `CREATE FAILED` (see `failure_reason`)."

// batchJobFailureCauses is what to check when a batch job fails.
const batchJobFailureCauses = "input and output paths, the role's permissions, the solution version"

// batchJobParentFilter filters batch jobs by solution version.
var batchJobParentFilter = filterAttribute{
	description: "Only jobs of this solution version (filtered by the service): a solution version ARN " +
		"(`arn:<partition>:personalize:<region>:<account>:solution/<solution name>/<version id>`) in the provider's region.",
	validators: solutionVersionARNValidators(),
}

// batchJobPlacement is what plan checks of every batch job type against the
// provider's region and partition.
var batchJobPlacement = []placedArgument{
	personalizeARNInRegion(path.Root("solution_version_arn"), "solution version"),
	personalizeARNInRegion(path.Root("filter_arn"), "filter"),
	{path: path.Root("role_arn"), summary: "IAM role in another partition", check: roleInPartition},
	{path: jobInputPath.AtName("path"), summary: "S3 bucket name refused in the provider's region", check: bucketInRegion},
	{path: jobInputPath.AtName("kms_key_arn"), summary: "KMS key in another region", check: kmsKeyInRegion},
	{path: jobOutputPath.AtName("path"), summary: "S3 bucket name refused in the provider's region", check: bucketInRegion},
	{path: jobOutputPath.AtName("kms_key_arn"), summary: "KMS key in another region", check: kmsKeyInRegion},
}

var (
	jobInputPath  = path.Root("job_input").AtName("s3_data_source")
	jobOutputPath = path.Root("job_output").AtName("s3_data_destination")
)

// addBatchJobDataSourceAttributes adds to a one-job data source's schema the
// attributes every batch job type has; inputDescription describes the
// input's path.
func addBatchJobDataSourceAttributes(attrs map[string]dsschema.Attribute, arnAttribute, inputDescription string) {
	attrs["solution_version_arn"] = dsschema.StringAttribute{
		Description: fmt.Sprintf("The ARN of the solution version (a trained model) the job used. With `job_name`, it also narrows the search "+
			"to that solution version's jobs (a solution version ARN in the provider's region); it cannot be combined with `%s`.", arnAttribute),
		Optional:   true,
		Computed:   true,
		Validators: solutionVersionARNValidators(),
	}
	attrs["filter_arn"] = dsschema.StringAttribute{
		Description: "The ARN of the filter applied to the job's results, if any.",
		Computed:    true,
	}
	attrs["job_input"] = dsschema.SingleNestedAttribute{
		Description: "Where the job reads its input.",
		Computed:    true,
		Attributes: map[string]dsschema.Attribute{
			"s3_data_source": computedS3DataConfigAttribute("The S3 location of the input.", inputDescription),
		},
	}
	attrs["job_output"] = dsschema.SingleNestedAttribute{
		Description: "Where the job writes its output: one `<input file>.out` JSON Lines file per input file.",
		Computed:    true,
		Attributes: map[string]dsschema.Attribute{
			"s3_data_destination": computedS3DataConfigAttribute("The S3 location of the output.", "The output's S3 path prefix."),
		},
	}
	attrs["role_arn"] = dsschema.StringAttribute{
		Description: "The ARN of the IAM role Amazon Personalize assumes to read the input and write the output.",
		Computed:    true,
	}
}

func computedS3DataConfigAttribute(description, pathDescription string) dsschema.SingleNestedAttribute {
	return dsschema.SingleNestedAttribute{
		Description: description,
		Computed:    true,
		Attributes: map[string]dsschema.Attribute{
			"path": dsschema.StringAttribute{
				Description: pathDescription,
				Computed:    true,
			},
			"kms_key_arn": dsschema.StringAttribute{
				Description: "The ARN of the KMS key Amazon Personalize uses to encrypt or decrypt the files at this path, if any.",
				Computed:    true,
			},
		},
	}
}

// jobSchemaText is what a job type's resource schema says in its own words.
type jobSchemaText struct {
	// inputPath describes job_input.s3_data_source.path.
	inputPath string
	// numResults describes num_results.
	numResults           string
	numResultsValidators []validator.Int64
}

// addBatchJobResourceAttributes adds to a job resource's schema the
// arguments every batch job type has.
func addBatchJobResourceAttributes(attrs map[string]schema.Attribute, text jobSchemaText) {
	attrs["filter_arn"] = schema.StringAttribute{
		Description:   "The ARN of a filter applied to the job's results (`arn:<partition>:personalize:<region>:<account>:filter/<filter name>`), in the provider's region.",
		Optional:      true,
		Validators:    filterARNValidators(),
		PlanModifiers: replaceString,
	}
	attrs["job_input"] = schema.SingleNestedAttribute{
		Description: "Where the job reads its input.",
		Required:    true,
		Attributes: map[string]schema.Attribute{
			"s3_data_source": s3DataConfigAttribute("The S3 location of the input.", text.inputPath),
		},
		PlanModifiers: replaceObject,
	}
	attrs["job_output"] = schema.SingleNestedAttribute{
		Description: "Where the job writes its output: one `<input file>.out` JSON Lines file per input file.",
		Required:    true,
		Attributes: map[string]schema.Attribute{
			"s3_data_destination": s3DataConfigAttribute("The S3 location of the output.",
				"The output's S3 path, a prefix such as `s3://bucket/output/`."),
		},
		PlanModifiers: replaceObject,
	}
	attrs["num_results"] = schema.Int64Attribute{
		Description:   text.numResults,
		Optional:      true,
		Computed:      true,
		Validators:    text.numResultsValidators,
		PlanModifiers: keepAndReplaceInt64,
	}
	attrs["role_arn"] = schema.StringAttribute{
		Description: "The ARN of the IAM role Amazon Personalize assumes to read the input and write the output (and use the KMS keys): " +
			"`arn:<partition>:iam::<account>:role/<role name>`, in the provider's partition.",
		Required:      true,
		Validators:    roleARNValidators(),
		PlanModifiers: replaceString,
	}
	attrs["solution_version_arn"] = schema.StringAttribute{
		Description: "The ARN of the solution version (a trained model) the job runs: `arn:<partition>:personalize:<region>:<account>:solution/<solution name>/<version id>`, " +
			"in the provider's region. A solution's own ARN is not enough: the `personalize_solution_version` data source finds its latest version.",
		Required:      true,
		Validators:    solutionVersionARNValidators(),
		PlanModifiers: replaceString,
	}
}

func s3DataConfigAttribute(description, pathDescription string) schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Description: description,
		Required:    true,
		Attributes: map[string]schema.Attribute{
			"path": schema.StringAttribute{
				Description: pathDescription + " At most 256 characters: `s3://<bucket>/<key>` (the API also takes `http://` and `https://` URLs). " +
					"The bucket must be in the provider's region; outside us-east-1 S3 accepts only names of 3 to 63 lowercase letters, digits, `.` and `-`, " +
					"starting and ending with a letter or digit (us-east-1 also keeps older buckets named with capitals and `_`).",
				Required:   true,
				Validators: s3PathValidators(),
			},
			"kms_key_arn": schema.StringAttribute{
				Description: "The ARN of the KMS key Amazon Personalize uses to encrypt or decrypt the files at this path: a key ARN (`arn:<partition>:kms:<region>:<account>:key/<id>`), not an alias, " +
					"of a key in the provider's region.",
				Optional:   true,
				Validators: kmsKeyARNValidators(),
			},
		},
	}
}
