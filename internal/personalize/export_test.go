package personalize

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/personalize"
)

// Names the tests outside the package use.

// ResourceTypeName is the batch inference job resource's name in configurations.
const ResourceTypeName = "personalize_batch_inference_job"

type (
	JobFilter  = jobFilter
	JobSummary = jobSummary
)

var BatchInferenceJobSummary = batchInferenceJobSummary

// ListBatchInferenceJobSummaries lists batch inference jobs; see listJobs.
func ListBatchInferenceJobSummaries(ctx context.Context, conn *personalize.Client, filter JobFilter) ([]JobSummary, error) {
	return listJobs(ctx, batchInferenceJobKind, conn, filter)
}

// ListBatchSegmentJobSummaries lists batch segment jobs; see listJobs.
func ListBatchSegmentJobSummaries(ctx context.Context, conn *personalize.Client, filter JobFilter) ([]JobSummary, error) {
	return listJobs(ctx, batchSegmentJobKind, conn, filter)
}
