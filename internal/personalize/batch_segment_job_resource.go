package personalize

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// maxSegmentUsers is the most users a batch segment job puts in one segment.
const maxSegmentUsers = 5_000_000

var (
	_ resource.ResourceWithConfigure          = &batchSegmentJobResource{}
	_ resource.ResourceWithValidateConfig     = &batchSegmentJobResource{}
	_ resource.ResourceWithModifyPlan         = &batchSegmentJobResource{}
	_ resource.ResourceWithImportState        = &batchSegmentJobResource{}
	_ resource.ResourceWithIdentity           = &batchSegmentJobResource{}
	_ datasource.DataSourceWithValidateConfig = &batchSegmentJobDataSource{}
	_ list.ListResourceWithConfigure          = &batchSegmentJobListResource{}
)

// batchSegmentJobKind describes batch segment jobs to the shared job
// lifecycle: the same lifecycle, quota and S3 input and output as batch
// inference jobs, with users for items instead of items for users.
var batchSegmentJobKind = &jobKind[awstypes.BatchSegmentJob, personalize.CreateBatchSegmentJobInput]{
	noun:         "batch segment job",
	typeName:     "batch_segment_job",
	arnAttribute: "batch_segment_job_arn",
	arnResource:  "batch-segment-job",
	arnRegexp:    segmentJobARNRegexp,
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
	view: func(job *awstypes.BatchSegmentJob) jobView {
		return jobView{ARN: aws.ToString(job.BatchSegmentJobArn), Name: aws.ToString(job.JobName),
			Status: aws.ToString(job.Status), FailureReason: aws.ToString(job.FailureReason),
			SolutionVersionARN: aws.ToString(job.SolutionVersionArn), CreationDateTime: job.CreationDateTime}
	},
	request: func(in *personalize.CreateBatchSegmentJobInput) jobRequest {
		return jobRequest{Name: aws.ToString(in.JobName), JobName: &in.JobName, SolutionVersionARN: aws.ToString(in.SolutionVersionArn), Tags: &in.Tags}
	},
	differences: func(want *personalize.CreateBatchSegmentJobInput, got *awstypes.BatchSegmentJob) []string {
		return commonArgumentDifferences(batchSegmentJobRequestFields(want), batchSegmentJobFields(got))
	},
	list:              listBatchSegmentJobs,
	describeOperation: "DescribeBatchSegmentJob",
	listOperation:     "ListBatchSegmentJobs",
	fromRequest: func(in *personalize.CreateBatchSegmentJobInput) (*awstypes.BatchSegmentJob, bool) {
		return &awstypes.BatchSegmentJob{
			JobName: in.JobName, SolutionVersionArn: in.SolutionVersionArn, RoleArn: in.RoleArn, FilterArn: in.FilterArn,
			NumResults: in.NumResults, JobInput: in.JobInput, JobOutput: in.JobOutput,
		}, in.NumResults != nil
	},
	withSummary: func(job *awstypes.BatchSegmentJob, s JobSummary) *awstypes.BatchSegmentJob {
		j := *job
		j.BatchSegmentJobArn, j.Status = aws.String(s.ARN), aws.String(s.Status)
		j.FailureReason = optionalString(s.FailureReason)
		j.CreationDateTime, j.LastUpdatedDateTime = s.CreationDateTime, s.LastUpdatedDateTime
		return &j
	},
}

// batchSegmentJobResource is the shared job lifecycle with the schema of
// batch segment jobs.
type batchSegmentJobResource struct {
	jobResource[batchSegmentJobResourceModel, *batchSegmentJobResourceModel, awstypes.BatchSegmentJob, personalize.CreateBatchSegmentJobInput]
}

// batchSegmentJobDataSource is the shared one-job data source with the
// schema of batch segment jobs.
type batchSegmentJobDataSource struct {
	jobDataSource[batchSegmentJobDataSourceModel, *batchSegmentJobDataSourceModel, awstypes.BatchSegmentJob, personalize.CreateBatchSegmentJobInput]
}

type batchSegmentJobListResource = jobListResource[batchSegmentJobResourceModel, *batchSegmentJobResourceModel, awstypes.BatchSegmentJob, personalize.CreateBatchSegmentJobInput]

// NewBatchSegmentJobResource returns the personalize_batch_segment_job resource.
func NewBatchSegmentJobResource() resource.Resource {
	return &batchSegmentJobResource{jobResource[batchSegmentJobResourceModel, *batchSegmentJobResourceModel, awstypes.BatchSegmentJob, personalize.CreateBatchSegmentJobInput]{
		kind: batchSegmentJobKind,
	}}
}

// NewBatchSegmentJobDataSource returns the personalize_batch_segment_job data source.
func NewBatchSegmentJobDataSource() datasource.DataSource {
	return &batchSegmentJobDataSource{jobDataSource[batchSegmentJobDataSourceModel, *batchSegmentJobDataSourceModel, awstypes.BatchSegmentJob, personalize.CreateBatchSegmentJobInput]{
		kind: batchSegmentJobKind,
	}}
}

// NewBatchSegmentJobsDataSource returns the personalize_batch_segment_jobs data source.
func NewBatchSegmentJobsDataSource() datasource.DataSource {
	return &jobsDataSource[awstypes.BatchSegmentJob, personalize.CreateBatchSegmentJobInput]{kind: batchSegmentJobKind}
}

// NewBatchSegmentJobListResource returns the personalize_batch_segment_job
// list resource for `terraform query`.
func NewBatchSegmentJobListResource() list.ListResource {
	return &batchSegmentJobListResource{kind: batchSegmentJobKind}
}

// BatchSegmentJobAttributes is the part of a job's schema that mirrors the
// API's BatchSegmentJob.
type BatchSegmentJobAttributes struct {
	jobAttributes
	BatchSegmentJobARN types.String `tfsdk:"batch_segment_job_arn"`
}

func (m *BatchSegmentJobAttributes) arn() *types.String { return &m.BatchSegmentJobARN }

// Flatten fills m from a job as DescribeBatchSegmentJob returns it.
func (m *BatchSegmentJobAttributes) Flatten(ctx context.Context, job *awstypes.BatchSegmentJob) diag.Diagnostics {
	m.BatchSegmentJobARN = types.StringPointerValue(job.BatchSegmentJobArn)
	return m.flatten(batchSegmentJobFields(job))
}

func (m *BatchSegmentJobAttributes) expand(ctx context.Context) (*personalize.CreateBatchSegmentJobInput, diag.Diagnostics) {
	f, diags := m.jobAttributes.expand(ctx)
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

// nullUnseen has nothing to do: a segment job has no computed attributes
// beyond the ones every job type has.
func (m *BatchSegmentJobAttributes) nullUnseen() {}

func batchSegmentJobFields(job *awstypes.BatchSegmentJob) jobFields {
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

func batchSegmentJobRequestFields(in *personalize.CreateBatchSegmentJobInput) jobFields {
	f := jobFields{Name: in.JobName, SolutionVersionARN: in.SolutionVersionArn, RoleARN: in.RoleArn, FilterARN: in.FilterArn, NumResults: in.NumResults}
	if in.JobInput != nil {
		f.Input = in.JobInput.S3DataSource
	}
	if in.JobOutput != nil {
		f.Output = in.JobOutput.S3DataDestination
	}
	return f
}

// BatchSegmentJobSummary reads a ListBatchSegmentJobs summary.
func BatchSegmentJobSummary(s awstypes.BatchSegmentJobSummary) JobSummary {
	return JobSummary{
		ARN: aws.ToString(s.BatchSegmentJobArn), Name: aws.ToString(s.JobName), Status: aws.ToString(s.Status),
		SolutionVersionARN: aws.ToString(s.SolutionVersionArn), FailureReason: aws.ToString(s.FailureReason),
		CreationDateTime: s.CreationDateTime, LastUpdatedDateTime: s.LastUpdatedDateTime,
	}
}

// ListBatchSegmentJobSummaries lists batch segment jobs; see listJobs.
func ListBatchSegmentJobSummaries(ctx context.Context, conn *personalize.Client, filter JobFilter) ([]JobSummary, error) {
	return listJobs(ctx, batchSegmentJobKind, conn, filter)
}

// listBatchSegmentJobs pages through ListBatchSegmentJobs.
func listBatchSegmentJobs(ctx context.Context, conn *personalize.Client, solutionVersionARN string, each func([]JobSummary) bool, optFns ...func(*personalize.Options)) error {
	in := &personalize.ListBatchSegmentJobsInput{MaxResults: aws.Int32(listPageSize)}
	if solutionVersionARN != "" {
		in.SolutionVersionArn = aws.String(solutionVersionARN)
	}
	pages := personalize.NewListBatchSegmentJobsPaginator(conn, in)
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx, optFns...)
		if err != nil {
			return err
		}
		summaries := make([]JobSummary, len(page.BatchSegmentJobs))
		for i, s := range page.BatchSegmentJobs {
			summaries[i] = BatchSegmentJobSummary(s)
		}
		if !each(summaries) {
			return nil
		}
	}
	return nil
}

// FindBatchSegmentJobByARN describes one batch segment job; see findJob.
func FindBatchSegmentJobByARN(ctx context.Context, conn *personalize.Client, arn string) (*awstypes.BatchSegmentJob, error) {
	return findJob(ctx, batchSegmentJobKind, conn, arn)
}

type batchSegmentJobResourceModel struct {
	BatchSegmentJobAttributes
	jobResourceFields
}

func (m *batchSegmentJobResourceModel) immutableArgumentsDiffer(state *batchSegmentJobResourceModel) bool {
	return m.differ(&state.jobAttributes) || !m.JobNamePrefix.Equal(state.JobNamePrefix)
}

type batchSegmentJobDataSourceModel struct {
	BatchSegmentJobAttributes
	jobDataSourceFields
}
