package personalize

import (
	"errors"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// The SDK must leave LimitExceededException to submit's queue, and keep
// retrying everything else it retries (throttling, server faults).
func TestWithoutQuotaRetries(t *testing.T) {
	o := personalize.Options{Retryer: retry.NewStandard()}
	withoutQuotaRetries(&o)
	if _, ok := o.Retryer.(aws.RetryerV2); !ok {
		t.Fatal("the wrapped retryer lost GetAttemptToken")
	}
	if o.Retryer.IsErrorRetryable(&awstypes.LimitExceededException{Message: aws.String("5 running")}) {
		t.Error("LimitExceededException is still retried by the SDK")
	}
	if !o.Retryer.IsErrorRetryable(&smithy.GenericAPIError{Code: "ThrottlingException", Message: "slow down"}) {
		t.Error("ThrottlingException is no longer retried")
	}
	serverFault := &smithyhttp.ResponseError{
		Response: &smithyhttp.Response{Response: &http.Response{StatusCode: http.StatusInternalServerError}},
		Err:      &smithy.GenericAPIError{Code: "InternalFailure", Fault: smithy.FaultServer},
	}
	if !o.Retryer.IsErrorRetryable(serverFault) {
		t.Error("InternalFailure is no longer retried: a lost create response would not be retried into ResourceAlreadyExists")
	}
}

func TestCreateOutcomeUnknown(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{&awstypes.InvalidInputException{}, false},
		{&awstypes.ResourceNotFoundException{}, false},
		{&smithy.GenericAPIError{Code: "InternalFailure", Fault: smithy.FaultServer}, true},
		{errors.New("connection reset by peer"), true},
	} {
		if got := createOutcomeUnknown(c.err); got != c.want {
			t.Errorf("createOutcomeUnknown(%T %v) = %v, want %v", c.err, c.err, got, c.want)
		}
	}
}

// For a type whose service takes a name twice, the SDK must not retry a
// create that may have made its job, and must still retry throttling.
func TestWithoutAmbiguousRetries(t *testing.T) {
	o := personalize.Options{Retryer: retry.NewStandard()}
	withoutQuotaRetries(&o)
	withoutAmbiguousRetries(&o)
	serverFault := &smithyhttp.ResponseError{
		Response: &smithyhttp.Response{Response: &http.Response{StatusCode: http.StatusInternalServerError}},
		Err:      &smithy.GenericAPIError{Code: "InternalFailure", Fault: smithy.FaultServer},
	}
	if o.Retryer.IsErrorRetryable(serverFault) {
		t.Error("InternalFailure is retried: a lost create answer would train a second version")
	}
	if !o.Retryer.IsErrorRetryable(&smithy.GenericAPIError{Code: "ThrottlingException", Message: "slow down"}) {
		t.Error("ThrottlingException is no longer retried")
	}
	if o.Retryer.IsErrorRetryable(&awstypes.LimitExceededException{Message: aws.String("20 training")}) {
		t.Error("LimitExceededException is retried by the SDK")
	}
}
