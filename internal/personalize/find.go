package personalize

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
)

// NotFoundError says a job does not exist (or is not yet visible, just after
// create).
type notFoundError struct {
	// Noun names the job's type: "batch inference job".
	Noun string
	ARN  string
	Err  error
}

func (e *notFoundError) Error() string {
	return fmt.Sprintf("%s %s not found", e.Noun, e.ARN)
}

func (e *notFoundError) Unwrap() error { return e.Err }

// isNotFound reports whether err is (or wraps) a NotFoundError.
func isNotFound(err error) bool {
	var nf *notFoundError
	return errors.As(err, &nf)
}

// findJob describes one job. A job the service does not know gives a
// *NotFoundError, so callers can tell drift from failure.
func findJob[J, In any](ctx context.Context, k *jobKind[J, In], conn *personalize.Client, arn string, optFns ...func(*personalize.Options)) (*J, error) {
	job, err := k.describe(ctx, conn, arn, optFns...)
	var rnf *awstypes.ResourceNotFoundException
	switch {
	case errors.As(err, &rnf):
		return nil, &notFoundError{Noun: k.noun, ARN: arn, Err: err}
	case err != nil:
		return nil, fmt.Errorf("describing %s %s: %w", k.noun, arn, err)
	case job == nil:
		return nil, &notFoundError{Noun: k.noun, ARN: arn}
	}
	return job, nil
}
