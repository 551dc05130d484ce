// Batch segment jobs: for every item or item attribute query of an S3
// input, the users most likely to interact with it. Everything that is
// particular to them is here: the descriptor the shared lifecycle reads,
// the models, the schemas, expand and flatten, and the List pager.

package personalize

import (
	"context"
	"fmt"
	"regexp"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// maxSegmentUsers is the most users a batch segment job puts in one segment.
const maxSegmentUsers = 5_000_000

var segmentJobARNRegexp = regexp.MustCompile(`^arn:[a-z\d-]+:personalize:[a-z0-9-]+:\d{12}:batch-segment-job/[a-zA-Z0-9][a-zA-Z0-9\-_]{0,62}$`)

// batchSegmentJobKind describes batch segment jobs to the shared job
// lifecycle: the same lifecycle, quota and S3 input and output as batch
// inference jobs, with users for items instead of items for users.
var batchSegmentJobKind = &jobKind[awstypes.BatchSegmentJob, personalize.CreateBatchSegmentJobInput]{
	noun:              "batch segment job",
	typeName:          "batch_segment_job",
	arnAttribute:      "batch_segment_job_arn",
	arnResource:       "batch-segment-job",
	arnShape:          "batch-segment-job/<job_name>",
	arnRegexp:         segmentJobARNRegexp,
	nameAttribute:     "job_name",
	parentAttribute:   "solution_version_arn",
	parentNoun:        "solution version",
	parentFilter:      batchJobParentFilter,
	statuses:          batchJobStatuses,
	placement:         batchJobPlacement,
	statusDescription: batchJobStatusDescription,
	failureCauses:     batchJobFailureCauses,
	create: func(ctx context.Context, conn *personalize.Client, in *personalize.CreateBatchSegmentJobInput, optFns ...func(*personalize.Options)) (string, error) {
		out, err := conn.CreateBatchSegmentJob(ctx, in, optFns...)
		if err != nil {
			return "", err
		}
		return aws.ToString(out.BatchSegmentJobArn), nil
	},
	describe: func(ctx context.Context, conn *personalize.Client, arn string, optFns ...func(*personalize.Options)) (*awstypes.BatchSegmentJob, error) {
		out, err := conn.DescribeBatchSegmentJob(ctx, &personalize.DescribeBatchSegmentJobInput{BatchSegmentJobArn: &arn}, optFns...)
		if err != nil || out == nil {
			return nil, err
		}
		return out.BatchSegmentJob, nil
	},
	fields: batchSegmentJobFields,
	request: func(in *personalize.CreateBatchSegmentJobInput) jobRequest {
		return jobRequest{JobName: &in.JobName, Tags: &in.Tags}
	},
	list: func(ctx context.Context, conn *personalize.Client, solutionVersionARN string, each func([]jobSummary) bool, optFns ...func(*personalize.Options)) error {
		return listPages(ctx, func(ctx context.Context, token *string) ([]awstypes.BatchSegmentJobSummary, *string, error) {
			out, err := conn.ListBatchSegmentJobs(ctx, &personalize.ListBatchSegmentJobsInput{
				MaxResults: aws.Int32(listPageSize), NextToken: token, SolutionVersionArn: optionalString(solutionVersionARN),
			}, optFns...)
			if err != nil {
				return nil, nil, err
			}
			return out.BatchSegmentJobs, out.NextToken, nil
		}, batchSegmentJobSummary, each)
	},
	describeOperation: "DescribeBatchSegmentJob",
	listOperation:     "ListBatchSegmentJobs",
	fromRequest:       batchSegmentJobFromRequest,
	differences: func(want *personalize.CreateBatchSegmentJobInput, got *awstypes.BatchSegmentJob) []string {
		planned, _ := batchSegmentJobFromRequest(want)
		return batchJobDifferences(batchSegmentJobFields(planned), batchSegmentJobFields(got))
	},
	withSummary: func(job *awstypes.BatchSegmentJob, s jobSummary) *awstypes.BatchSegmentJob {
		j := *job
		j.BatchSegmentJobArn, j.Status = aws.String(s.ARN), aws.String(s.Status)
		j.FailureReason = optionalString(s.FailureReason)
		j.CreationDateTime, j.LastUpdatedDateTime = s.CreationDateTime, s.LastUpdatedDateTime
		return &j
	},
	resourceSchema:   batchSegmentJobResourceSchema,
	dataSourceSchema: batchSegmentJobDataSourceSchema,
	newModel: func() jobModel[awstypes.BatchSegmentJob, personalize.CreateBatchSegmentJobInput] {
		return &batchSegmentJobResourceModel{}
	},
	newDataModel: func() jobDataModel[awstypes.BatchSegmentJob] { return &batchSegmentJobDataSourceModel{} },
}

// batchSegmentJobFields reads what the shared code reads of a described job.
func batchSegmentJobFields(job *awstypes.BatchSegmentJob) jobFields {
	f := jobFields{
		ARN: job.BatchSegmentJobArn, Name: job.JobName, ParentARN: job.SolutionVersionArn, SolutionVersionARN: job.SolutionVersionArn, RoleARN: job.RoleArn, FilterARN: job.FilterArn,
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

// batchSegmentJobFromRequest is the job a create request makes; see jobKind.fromRequest.
func batchSegmentJobFromRequest(in *personalize.CreateBatchSegmentJobInput) (*awstypes.BatchSegmentJob, bool) {
	return &awstypes.BatchSegmentJob{
		JobName: in.JobName, SolutionVersionArn: in.SolutionVersionArn, RoleArn: in.RoleArn, FilterArn: in.FilterArn,
		NumResults: in.NumResults, JobInput: in.JobInput, JobOutput: in.JobOutput,
	}, in.NumResults != nil
}

// NewBatchSegmentJobResource returns the personalize_batch_segment_job resource.
func NewBatchSegmentJobResource() resource.Resource {
	return &jobResource[awstypes.BatchSegmentJob, personalize.CreateBatchSegmentJobInput]{kind: batchSegmentJobKind}
}

// NewBatchSegmentJobDataSource returns the personalize_batch_segment_job data source.
func NewBatchSegmentJobDataSource() datasource.DataSource {
	return &jobDataSource[awstypes.BatchSegmentJob, personalize.CreateBatchSegmentJobInput]{kind: batchSegmentJobKind}
}

// NewBatchSegmentJobsDataSource returns the personalize_batch_segment_jobs data source.
func NewBatchSegmentJobsDataSource() datasource.DataSource {
	return &jobsDataSource[awstypes.BatchSegmentJob, personalize.CreateBatchSegmentJobInput]{kind: batchSegmentJobKind}
}

// NewBatchSegmentJobListResource returns the personalize_batch_segment_job
// list resource for `terraform query`.
func NewBatchSegmentJobListResource() list.ListResource {
	return &jobListResource[awstypes.BatchSegmentJob, personalize.CreateBatchSegmentJobInput]{kind: batchSegmentJobKind}
}

// BatchSegmentJobAttributes is the part of a job's schema that mirrors the
// API's BatchSegmentJob: the attributes every job type has, and its ARN.
type batchSegmentJobAttributes struct {
	batchJobAttributes
	BatchSegmentJobARN types.String `tfsdk:"batch_segment_job_arn"`
}

func (m *batchSegmentJobAttributes) arn() *types.String { return &m.BatchSegmentJobARN }

type batchSegmentJobResourceModel struct {
	batchSegmentJobAttributes
	jobNamePrefixed
	jobResourceFields
}

type batchSegmentJobDataSourceModel struct {
	batchSegmentJobAttributes
	jobDataSourceFields
}

const segmentInputPath = "The input's S3 path: a prefix (every object under it is read) or one file, JSON Lines such as `{\"itemId\": \"105\"}` " +
	"(Item-Affinity recipes) or `{\"itemAttributes\": \"ITEMS.genres = \\\"Comedy\\\"\"}` (Item-Attribute-Affinity recipes)."

// batchSegmentJobResourceSchema is the resource's schema.
func batchSegmentJobResourceSchema(ctx context.Context, k *jobKind[awstypes.BatchSegmentJob, personalize.CreateBatchSegmentJobInput]) schema.Schema {
	attrs := jobResourceAttributes(ctx, k)
	addBatchJobResourceAttributes(attrs, jobSchemaText{
		inputPath: segmentInputPath,
		numResults: fmt.Sprintf("How many users to put in each segment (per input line), 1 to %d. Left out, the service's default applies and is reported here.",
			maxSegmentUsers),
		numResultsValidators: numResultsValidators(maxSegmentUsers),
	})
	return schema.Schema{
		Description: "Runs an Amazon Personalize batch segment job: for every item or item attribute query of an S3 input, the users most likely to interact with it, " +
			"written to S3. The solution version must use an Item-Affinity or Item-Attribute-Affinity recipe. A job cannot be changed, stopped or deleted: " +
			"every argument except `tags`, `wait_for_completion` and `timeouts` replaces it, and destroy only removes it from the Terraform state.",
		Attributes: attrs,
	}
}

// batchSegmentJobDataSourceSchema is the one-job data source's schema.
func batchSegmentJobDataSourceSchema(k *jobKind[awstypes.BatchSegmentJob, personalize.CreateBatchSegmentJobInput]) dsschema.Schema {
	attrs := jobDataSourceAttributes(k)
	addBatchJobDataSourceAttributes(attrs, k.arnAttribute, segmentInputPath)
	attrs["num_results"] = dsschema.Int64Attribute{
		Description: "How many users the job puts in each segment.",
		Computed:    true,
	}
	return dsschema.Schema{
		Description: "Reads one Amazon Personalize batch segment job, found by its ARN or by its name, with every attribute the " +
			"`personalize_batch_segment_job` resource has. The job may have been created by Terraform or by anything else.",
		Attributes: attrs,
	}
}

// Flatten fills m from a job as DescribeBatchSegmentJob returns it.
func (m *batchSegmentJobAttributes) Flatten(ctx context.Context, job *awstypes.BatchSegmentJob) diag.Diagnostics {
	m.BatchSegmentJobARN = types.StringPointerValue(job.BatchSegmentJobArn)
	return m.flatten(batchSegmentJobKind.fields(job))
}

func (m *batchSegmentJobAttributes) expand(ctx context.Context) (*personalize.CreateBatchSegmentJobInput, diag.Diagnostics) {
	f, diags := m.batchJobAttributes.expand(ctx)
	in := &personalize.CreateBatchSegmentJobInput{
		JobName:            f.Name,
		SolutionVersionArn: f.SolutionVersionARN,
		RoleArn:            f.RoleARN,
		FilterArn:          f.FilterARN,
		NumResults:         f.NumResults,
	}
	if f.Input != nil {
		in.JobInput = &awstypes.BatchSegmentJobInput{S3DataSource: f.Input}
	}
	if f.Output != nil {
		in.JobOutput = &awstypes.BatchSegmentJobOutput{S3DataDestination: f.Output}
	}
	return in, diags
}

// BatchSegmentJobSummary reads a ListBatchSegmentJobs summary.
func batchSegmentJobSummary(s awstypes.BatchSegmentJobSummary) jobSummary {
	return jobSummary{
		ARN: aws.ToString(s.BatchSegmentJobArn), Name: aws.ToString(s.JobName), Status: aws.ToString(s.Status),
		ParentARN: aws.ToString(s.SolutionVersionArn), FailureReason: aws.ToString(s.FailureReason),
		CreationDateTime: s.CreationDateTime, LastUpdatedDateTime: s.LastUpdatedDateTime,
	}
}
