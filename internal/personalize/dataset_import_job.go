// Dataset import jobs: bulk records from CSV files in S3 loaded into a
// dataset, which solutions then train on. Everything that is particular to
// them is here: the descriptor the shared lifecycle reads, the models, the
// schemas, expand and flatten, and the List pager.

package personalize

import (
	"context"
	"fmt"
	"regexp"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

var datasetImportJobARNRegexp = regexp.MustCompile(`^arn:[a-z\d-]+:personalize:[a-z0-9-]+:\d{12}:dataset-import-job/[a-zA-Z0-9][a-zA-Z0-9\-_]{0,62}$`)

// Import modes, as the API spells them; FULL is the service's default.
var importModes = []string{string(awstypes.ImportModeFull), string(awstypes.ImportModeIncremental)}

// datasetImportJobStatuses are spelled as the service spells an import's
// (CREATE PENDING > CREATE IN_PROGRESS > ACTIVE or CREATE FAILED), unlike a
// batch job's.
var datasetImportJobStatuses = []string{statusCreatePending, statusCreateInProgress, statusActive, statusCreateFailed}

var dataLocationPath = path.Root("data_source").AtName("data_location")

// datasetImportJobKind describes dataset import jobs to the shared job
// lifecycle. The List operation filters on the dataset, so the dataset is
// an import's parent; its summaries do not name it (see listDatasetImportJobs).
var datasetImportJobKind = &jobKind[awstypes.DatasetImportJob, personalize.CreateDatasetImportJobInput]{
	noun:            "dataset import job",
	typeName:        "dataset_import_job",
	arnAttribute:    "dataset_import_job_arn",
	arnResource:     "dataset-import-job",
	arnShape:        "dataset-import-job/<job_name>",
	arnRegexp:       datasetImportJobARNRegexp,
	nameAttribute:   "job_name",
	parentAttribute: "dataset_arn",
	parentNoun:      "dataset",
	parentFilter: filterAttribute{
		description: "Only imports into this dataset (filtered by the service): a dataset ARN " +
			"(`arn:<partition>:personalize:<region>:<account>:dataset/<dataset group name>/<dataset type>`) in the provider's region.",
		validators: datasetARNValidators(),
	},
	statuses: datasetImportJobStatuses,
	statusDescription: "The job's status: `CREATE PENDING`, `CREATE IN_PROGRESS`, `ACTIVE` (finished: the records are in the dataset) " +
		"or `CREATE FAILED` (see `failure_reason`).",
	failureCauses: "the data location and its CSV files' columns against the dataset's schema, the role's permissions, the import mode",
	placement: []placedArgument{
		personalizeARNInRegion(path.Root("dataset_arn"), "dataset"),
		{path: path.Root("role_arn"), summary: "IAM role in another partition", check: roleInPartition},
		{path: dataLocationPath, summary: "S3 bucket name refused in the provider's region", check: bucketInRegion},
	},
	create: func(ctx context.Context, conn *personalize.Client, in *personalize.CreateDatasetImportJobInput, optFns ...func(*personalize.Options)) (string, error) {
		out, err := conn.CreateDatasetImportJob(ctx, in, optFns...)
		if err != nil {
			return "", err
		}
		return aws.ToString(out.DatasetImportJobArn), nil
	},
	describe: func(ctx context.Context, conn *personalize.Client, arn string, optFns ...func(*personalize.Options)) (*awstypes.DatasetImportJob, error) {
		out, err := conn.DescribeDatasetImportJob(ctx, &personalize.DescribeDatasetImportJobInput{DatasetImportJobArn: &arn}, optFns...)
		if err != nil || out == nil {
			return nil, err
		}
		return out.DatasetImportJob, nil
	},
	fields: datasetImportJobFields,
	request: func(in *personalize.CreateDatasetImportJobInput) jobRequest {
		return jobRequest{JobName: &in.JobName, Tags: &in.Tags}
	},
	list:              listDatasetImportJobs,
	describeOperation: "DescribeDatasetImportJob",
	listOperation:     "ListDatasetImportJobs",
	fromRequest:       datasetImportJobFromRequest,
	differences:       datasetImportJobDifferences,
	withSummary: func(job *awstypes.DatasetImportJob, s jobSummary) *awstypes.DatasetImportJob {
		j := *job
		j.DatasetImportJobArn, j.Status = aws.String(s.ARN), aws.String(s.Status)
		j.FailureReason = optionalString(s.FailureReason)
		j.CreationDateTime, j.LastUpdatedDateTime = s.CreationDateTime, s.LastUpdatedDateTime
		return &j
	},
	resourceSchema:   datasetImportJobResourceSchema,
	dataSourceSchema: datasetImportJobDataSourceSchema,
	newModel: func() jobModel[awstypes.DatasetImportJob, personalize.CreateDatasetImportJobInput] {
		return &datasetImportJobResourceModel{}
	},
	newDataModel: func() jobDataModel[awstypes.DatasetImportJob] { return &datasetImportJobDataSourceModel{} },
}

// datasetImportJobFields reads what the shared code reads of a described job.
func datasetImportJobFields(job *awstypes.DatasetImportJob) jobFields {
	return jobFields{
		ARN: job.DatasetImportJobArn, Name: job.JobName, ParentARN: job.DatasetArn, RoleARN: job.RoleArn,
		Status: job.Status, FailureReason: job.FailureReason,
		CreationDateTime: job.CreationDateTime, LastUpdatedDateTime: job.LastUpdatedDateTime,
	}
}

// datasetImportJobFromRequest is the job a create request makes; see
// jobKind.fromRequest. The service's one default, importMode FULL, is
// documented, so the request tells the whole job.
func datasetImportJobFromRequest(in *personalize.CreateDatasetImportJobInput) (*awstypes.DatasetImportJob, bool) {
	job := &awstypes.DatasetImportJob{
		JobName: in.JobName, DatasetArn: in.DatasetArn, DataSource: in.DataSource, RoleArn: in.RoleArn,
		ImportMode: in.ImportMode, PublishAttributionMetricsToS3: in.PublishAttributionMetricsToS3,
	}
	if job.ImportMode == "" {
		job.ImportMode = awstypes.ImportModeFull
	}
	return job, true
}

// datasetImportJobDifferences names the arguments in which an existing
// import differs from a create request; see jobKind.differences.
func datasetImportJobDifferences(want *personalize.CreateDatasetImportJobInput, got *awstypes.DatasetImportJob) []string {
	planned, _ := datasetImportJobFromRequest(want)
	var diffs []string
	differ := func(name string, a, b *string) { diffs = appendStringDifference(diffs, name, a, b) }
	differ("dataset_arn", planned.DatasetArn, got.DatasetArn)
	differ("data_source.data_location", dataLocation(planned.DataSource), dataLocation(got.DataSource))
	differ("role_arn", planned.RoleArn, got.RoleArn)
	differ("import_mode", aws.String(string(planned.ImportMode)), aws.String(string(got.ImportMode)))
	if a, b := aws.ToBool(planned.PublishAttributionMetricsToS3), aws.ToBool(got.PublishAttributionMetricsToS3); a != b {
		diffs = append(diffs, fmt.Sprintf("publish_attribution_metrics_to_s3 (planned %t, existing job %t)", a, b))
	}
	return diffs
}

func dataLocation(s *awstypes.DataSource) *string {
	if s == nil {
		return nil
	}
	return s.DataLocation
}

// listDatasetImportJobs is the kind's List pager. Its summaries do not name
// their dataset, so a listing of every dataset's imports lists each
// dataset's in turn, and every summary carries the dataset it was listed
// under. The order is newest first within one dataset only; the waiter
// always lists one dataset's.
func listDatasetImportJobs(ctx context.Context, conn *personalize.Client, datasetARN string, each func([]jobSummary) bool, optFns ...func(*personalize.Options)) error {
	if datasetARN != "" {
		_, err := listImportsOf(ctx, conn, datasetARN, each, optFns...)
		return err
	}
	var datasets []string
	pages := personalize.NewListDatasetsPaginator(conn, &personalize.ListDatasetsInput{MaxResults: aws.Int32(listPageSize)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx, optFns...)
		if err != nil {
			return fmt.Errorf("listing datasets: %w", err)
		}
		for _, d := range page.Datasets {
			datasets = append(datasets, aws.ToString(d.DatasetArn))
		}
	}
	for _, d := range datasets {
		more, err := listImportsOf(ctx, conn, d, each, optFns...)
		if err != nil || !more {
			return err
		}
	}
	return nil
}

// listImportsOf hands each every page of one dataset's imports; more is
// false once each has asked to stop.
func listImportsOf(ctx context.Context, conn *personalize.Client, datasetARN string, each func([]jobSummary) bool, optFns ...func(*personalize.Options)) (more bool, err error) {
	more = true
	err = listPages(ctx, func(ctx context.Context, token *string) ([]awstypes.DatasetImportJobSummary, *string, error) {
		out, err := conn.ListDatasetImportJobs(ctx, &personalize.ListDatasetImportJobsInput{
			MaxResults: aws.Int32(listPageSize), NextToken: token, DatasetArn: aws.String(datasetARN),
		}, optFns...)
		if err != nil {
			return nil, nil, err
		}
		return out.DatasetImportJobs, out.NextToken, nil
	}, func(s awstypes.DatasetImportJobSummary) jobSummary {
		return jobSummary{
			ARN: aws.ToString(s.DatasetImportJobArn), Name: aws.ToString(s.JobName), Status: aws.ToString(s.Status),
			ParentARN: datasetARN, FailureReason: aws.ToString(s.FailureReason),
			CreationDateTime: s.CreationDateTime, LastUpdatedDateTime: s.LastUpdatedDateTime,
		}
	}, func(page []jobSummary) bool {
		more = each(page)
		return more
	})
	return more, err
}

// NewDatasetImportJobResource returns the personalize_dataset_import_job resource.
func NewDatasetImportJobResource() resource.Resource {
	return &jobResource[awstypes.DatasetImportJob, personalize.CreateDatasetImportJobInput]{kind: datasetImportJobKind}
}

// NewDatasetImportJobDataSource returns the personalize_dataset_import_job data source.
func NewDatasetImportJobDataSource() datasource.DataSource {
	return &jobDataSource[awstypes.DatasetImportJob, personalize.CreateDatasetImportJobInput]{kind: datasetImportJobKind}
}

// NewDatasetImportJobsDataSource returns the personalize_dataset_import_jobs data source.
func NewDatasetImportJobsDataSource() datasource.DataSource {
	return &jobsDataSource[awstypes.DatasetImportJob, personalize.CreateDatasetImportJobInput]{kind: datasetImportJobKind}
}

// NewDatasetImportJobListResource returns the personalize_dataset_import_job
// list resource for `terraform query`.
func NewDatasetImportJobListResource() list.ListResource {
	return &jobListResource[awstypes.DatasetImportJob, personalize.CreateDatasetImportJobInput]{kind: datasetImportJobKind}
}

// datasetImportJobAttributes is the part of the schema that mirrors the
// API's DatasetImportJob; the resource and the data source embed it, so one
// flatten serves both.
type datasetImportJobAttributes struct {
	jobRun
	jobNamed
	DatasetImportJobARN           types.String `tfsdk:"dataset_import_job_arn"`
	DatasetARN                    types.String `tfsdk:"dataset_arn"`
	DataSource                    types.Object `tfsdk:"data_source"`
	ImportMode                    types.String `tfsdk:"import_mode"`
	PublishAttributionMetricsToS3 types.Bool   `tfsdk:"publish_attribution_metrics_to_s3"`
	RoleARN                       types.String `tfsdk:"role_arn"`
}

func (m *datasetImportJobAttributes) arn() *types.String    { return &m.DatasetImportJobARN }
func (m *datasetImportJobAttributes) parent() *types.String { return &m.DatasetARN }

// arguments are the immutable arguments.
func (m *datasetImportJobAttributes) arguments() []attr.Value {
	return []attr.Value{m.DatasetARN, m.DataSource, m.ImportMode, m.JobName, m.PublishAttributionMetricsToS3, m.RoleARN}
}

func (m *datasetImportJobAttributes) nullUnseen() {
	m.nullUnknown()
	if m.ImportMode.IsUnknown() {
		m.ImportMode = types.StringNull()
	}
}

// leftInAWS is what an import leaves behind beyond its record: the records
// it loaded, which only the dataset's later imports or deletion remove.
func (m *datasetImportJobAttributes) leftInAWS(context.Context) string {
	return fmt.Sprintf("the records it imported, which stay in dataset %s until a later FULL import replaces them or the dataset is deleted",
		m.DatasetARN.ValueString())
}

type datasetImportJobResourceModel struct {
	datasetImportJobAttributes
	jobNamePrefixed
	jobResourceFields
}

type datasetImportJobDataSourceModel struct {
	datasetImportJobAttributes
	jobDataSourceFields
}

// dataSourceModel is the API's DataSource: where an import reads.
type dataSourceModel struct {
	DataLocation types.String `tfsdk:"data_location"`
}

var dataSourceAttrTypes = map[string]attr.Type{"data_location": types.StringType}

// replaceBool replaces the job when a bool argument changes.
var replaceBool = []planmodifier.Bool{boolplanmodifier.RequiresReplace()}

const (
	dataLocationDescription = "The S3 location of the CSV data: one file (`s3://bucket/data/interactions.csv`) or a folder of them, ending in `/` " +
		"(`s3://bucket/data/`). The first line of each file names its columns, which must include every column the dataset's schema requires. " +
		"At most 256 characters; the bucket must be in the provider's region."
	importModeDescription = "How the records join the dataset: `FULL` replaces all bulk data the dataset holds (records imported one by one stay), " +
		"`INCREMENTAL` adds them, replacing records of the same ID. A dataset's first bulk import must be `FULL`."
	publishDescription = "Whether the job publishes the metrics of the dataset group's metric attribution to Amazon S3."
)

// datasetImportJobResourceSchema is the resource's schema.
func datasetImportJobResourceSchema(ctx context.Context, k *jobKind[awstypes.DatasetImportJob, personalize.CreateDatasetImportJobInput]) schema.Schema {
	attrs := jobResourceAttributes(ctx, k)
	attrs["dataset_arn"] = schema.StringAttribute{
		Description: "The ARN of the dataset that receives the records: `arn:<partition>:personalize:<region>:<account>:dataset/<dataset group name>/<dataset type>`, " +
			"such as `" + datasetExample + "`, in the provider's region.",
		Required:      true,
		Validators:    datasetARNValidators(),
		PlanModifiers: replaceString,
	}
	attrs["data_source"] = schema.SingleNestedAttribute{
		Description: "Where the job reads the records.",
		Required:    true,
		Attributes: map[string]schema.Attribute{
			"data_location": schema.StringAttribute{
				Description: dataLocationDescription,
				Required:    true,
				Validators:  s3PathValidators(),
			},
		},
		PlanModifiers: replaceObject,
	}
	attrs["role_arn"] = schema.StringAttribute{
		Description: "The ARN of the IAM role Amazon Personalize assumes to read the data location: `arn:<partition>:iam::<account>:role/<role name>`, " +
			"in the provider's partition. Left out, the bucket's policy must let Amazon Personalize read it.",
		Optional:      true,
		Validators:    roleARNValidators(),
		PlanModifiers: replaceString,
	}
	attrs["import_mode"] = schema.StringAttribute{
		Description:   importModeDescription + " Left out, the service's default, `FULL`, applies and is reported here.",
		Optional:      true,
		Computed:      true,
		Validators:    []validator.String{stringvalidator.OneOf(importModes...)},
		PlanModifiers: keepAndReplaceString,
	}
	attrs["publish_attribution_metrics_to_s3"] = schema.BoolAttribute{
		Description: publishDescription + " Default `false`.",
		Optional:    true,
		// The service reports nothing for a job that does not publish, which
		// reads as false: a default keeps that from looking like a change.
		Computed:      true,
		Default:       booldefault.StaticBool(false),
		PlanModifiers: replaceBool,
	}
	return schema.Schema{
		Description: "Runs an Amazon Personalize dataset import job: loads the records of CSV files in S3 into a dataset, for its solutions to train on. " +
			"A job cannot be changed, stopped or deleted: every argument except `tags`, `wait_for_completion` and `timeouts` replaces it, " +
			"and destroy only removes it from the Terraform state; the records it imported stay in the dataset.",
		Attributes: attrs,
	}
}

// datasetImportJobDataSourceSchema is the one-job data source's schema.
func datasetImportJobDataSourceSchema(k *jobKind[awstypes.DatasetImportJob, personalize.CreateDatasetImportJobInput]) dsschema.Schema {
	attrs := jobDataSourceAttributes(k)
	attrs["dataset_arn"] = dsschema.StringAttribute{
		Description: fmt.Sprintf("The ARN of the dataset the job imported into. With `job_name`, it also narrows the search "+
			"to that dataset's imports (a dataset ARN in the provider's region); it cannot be combined with `%s`.", k.arnAttribute),
		Optional:   true,
		Computed:   true,
		Validators: datasetARNValidators(),
	}
	attrs["data_source"] = dsschema.SingleNestedAttribute{
		Description: "Where the job read the records.",
		Computed:    true,
		Attributes: map[string]dsschema.Attribute{
			"data_location": dsschema.StringAttribute{Description: "The S3 location of the CSV data: one file, or a folder of them.", Computed: true},
		},
	}
	attrs["role_arn"] = dsschema.StringAttribute{
		Description: "The ARN of the IAM role Amazon Personalize assumed to read the data, if any.",
		Computed:    true,
	}
	attrs["import_mode"] = dsschema.StringAttribute{Description: importModeDescription, Computed: true}
	attrs["publish_attribution_metrics_to_s3"] = dsschema.BoolAttribute{Description: publishDescription, Computed: true}
	return dsschema.Schema{
		Description: "Reads one Amazon Personalize dataset import job, found by its ARN or by its name, with every attribute the " +
			"`personalize_dataset_import_job` resource has. The job may have been created by Terraform or by anything else.",
		Attributes: attrs,
	}
}

// Flatten fills m from a job as DescribeDatasetImportJob returns it.
func (m *datasetImportJobAttributes) Flatten(_ context.Context, job *awstypes.DatasetImportJob) diag.Diagnostics {
	var diags diag.Diagnostics
	m.flatten(datasetImportJobFields(job))
	m.DatasetImportJobARN = types.StringPointerValue(job.DatasetImportJobArn)
	m.JobName = types.StringPointerValue(job.JobName)
	m.DatasetARN = types.StringPointerValue(job.DatasetArn)
	m.RoleARN = types.StringPointerValue(job.RoleArn)
	m.ImportMode = stringOrNull(string(job.ImportMode))
	m.PublishAttributionMetricsToS3 = types.BoolValue(aws.ToBool(job.PublishAttributionMetricsToS3))
	m.DataSource = types.ObjectNull(dataSourceAttrTypes)
	if job.DataSource != nil {
		var d diag.Diagnostics
		m.DataSource, d = types.ObjectValue(dataSourceAttrTypes, map[string]attr.Value{"data_location": types.StringPointerValue(job.DataSource.DataLocation)})
		diags.Append(d...)
	}
	return diags
}

// expand reads a create request. An import mode still unknown is left out,
// so the service applies its default; publishing is asked for only when on.
func (m *datasetImportJobAttributes) expand(ctx context.Context) (*personalize.CreateDatasetImportJobInput, diag.Diagnostics) {
	var diags diag.Diagnostics
	in := &personalize.CreateDatasetImportJobInput{
		JobName:    m.JobName.ValueStringPointer(),
		DatasetArn: m.DatasetARN.ValueStringPointer(),
		RoleArn:    knownString(m.RoleARN),
		ImportMode: awstypes.ImportMode(m.ImportMode.ValueString()),
	}
	if m.PublishAttributionMetricsToS3.ValueBool() {
		in.PublishAttributionMetricsToS3 = aws.Bool(true)
	}
	if !m.DataSource.IsNull() && !m.DataSource.IsUnknown() {
		var source dataSourceModel
		diags = m.DataSource.As(ctx, &source, basetypes.ObjectAsOptions{})
		in.DataSource = &awstypes.DataSource{DataLocation: knownString(source.DataLocation)}
	}
	return in, diags
}
