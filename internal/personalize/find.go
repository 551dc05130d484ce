package personalize

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
)

// NotFoundError says a batch inference job does not exist (or is not yet
// visible, just after create).
type NotFoundError struct {
	ARN string
	Err error
}

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("batch inference job %s not found", e.ARN)
}

func (e *NotFoundError) Unwrap() error { return e.Err }

// IsNotFound reports whether err is (or wraps) a NotFoundError.
func IsNotFound(err error) bool {
	var nf *NotFoundError
	return errors.As(err, &nf)
}

// FindBatchInferenceJobByARN describes one job. A job the service does not
// know gives a *NotFoundError, so callers can tell drift from failure.
func FindBatchInferenceJobByARN(ctx context.Context, conn *personalize.Client, arn string) (*awstypes.BatchInferenceJob, error) {
	out, err := conn.DescribeBatchInferenceJob(ctx, &personalize.DescribeBatchInferenceJobInput{
		BatchInferenceJobArn: &arn,
	})
	var rnf *awstypes.ResourceNotFoundException
	switch {
	case errors.As(err, &rnf):
		return nil, &NotFoundError{ARN: arn, Err: err}
	case err != nil:
		return nil, fmt.Errorf("describing batch inference job %s: %w", arn, err)
	case out == nil || out.BatchInferenceJob == nil:
		return nil, &NotFoundError{ARN: arn}
	}
	return out.BatchInferenceJob, nil
}
