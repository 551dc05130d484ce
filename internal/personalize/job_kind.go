package personalize

import (
	"context"
	"regexp"

	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
)

// jobView is what the shared job lifecycle reads of a described job,
// whatever its type.
type jobView struct {
	ARN           string
	Name          string
	Status        string
	FailureReason string
}

// jobKind describes one type of Personalize batch job (batch inference,
// batch segment) to the lifecycle all of them share: finding, waiting,
// queueing behind the quota, adopting a job a lost create made, resuming a
// wait, tags, import and destroy. J is the API's described job and In its
// create request.
type jobKind[J, In any] struct {
	// noun names the type in messages: "batch inference job".
	noun string
	// typeName is the resource, data source and list resource name after the
	// provider's: "batch_inference_job".
	typeName string
	// arnAttribute is the attribute holding the job's ARN, in schemas and in
	// the resource identity.
	arnAttribute string
	// arnResource is the ARN's resource type: "batch-inference-job".
	arnResource string
	// arnRegexp accepts the ARN of a job of this type as the service returns it.
	arnRegexp *regexp.Regexp

	create      func(ctx context.Context, conn *personalize.Client, in *In, optFns ...func(*personalize.Options)) (string, error)
	describe    func(ctx context.Context, conn *personalize.Client, arn string) (*J, error)
	view        func(*J) jobView
	request     func(*In) jobRequest
	differences func(*In, *J) []string
	// list calls each for every job of the region, of one solution version
	// when solutionVersionARN is set.
	list func(ctx context.Context, conn *personalize.Client, solutionVersionARN string, each func(JobSummary)) error
	// modes are the values of the type's job mode argument, if it has one.
	modes []string
}

// jobRequest is what the shared lifecycle reads of a create request.
type jobRequest struct {
	Name               string
	SolutionVersionARN string
	// Tags points into the request, so that the lifecycle can set the tags
	// (default_tags included) it computed.
	Tags *[]awstypes.Tag
}

// arnExample is an ARN of this type for error messages.
func (k *jobKind[J, In]) arnExample() string {
	return "arn:aws:personalize:us-east-1:123456789012:" + k.arnResource + "/weekly-recs"
}

// modeAttribute names the type's job mode argument: "batch_inference_job_mode".
func (k *jobKind[J, In]) modeAttribute() string {
	if len(k.modes) == 0 {
		return ""
	}
	return k.typeName + "_mode"
}
