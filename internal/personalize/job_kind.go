package personalize

import (
	"context"
	"regexp"
	"strings"
	"time"

	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// jobKind describes one type of Personalize batch job (batch inference,
// batch segment) to the lifecycle all of them share: finding, waiting,
// queueing behind the quota, adopting a job a lost create made, resuming a
// wait, tags, import and destroy. J is the API's described job and In its
// create request; each kind's file declares one jobKind and the models,
// schema and adapters it names.
type jobKind[J, In any] struct {
	// noun names the type in messages: "batch inference job".
	noun string
	// typeName is the resource, data source and list resource name after the
	// provider's: "batch_inference_job".
	typeName string
	// arnAttribute is the attribute holding the job's ARN, in schemas and in
	// the resource identity.
	arnAttribute string
	// arnResource is the ARN's resource type: "batch-inference-job"; arnShape
	// what follows the account in an ARN, for the docs:
	// "batch-inference-job/<job_name>".
	arnResource, arnShape string
	// arnRegexp accepts the ARN of a job of this type as the service returns it.
	arnRegexp *regexp.Regexp
	// nameAttribute is the argument that names a job: "job_name" ("name" for
	// solution versions); nameAttribute+"_prefix" generates one.
	nameAttribute string
	// parentAttribute is the argument holding the ARN that the List
	// operation filters on, parentNoun what it names: the solution version a
	// batch job runs, the dataset an import loads.
	parentAttribute, parentNoun string
	// parentFilter describes the parent as a filter of the data sources and
	// list resources.
	parentFilter filterAttribute
	// statuses are the statuses the service reports for this type, spelled
	// as it spells them, for the status filters; statusDescription
	// describes the status attribute.
	statuses          []string
	statusDescription string
	// failureCauses lists what to check when a job fails, for the error
	// that quotes its failure reason.
	failureCauses string
	// placement is what plan checks against the provider's region and
	// partition: the arguments that name AWS resources.
	placement []placedArgument
	// stop stops a job still running, where the API can (training costs
	// money): destroy and replacement call it. nil when jobs cannot be stopped.
	stop func(ctx context.Context, conn *personalize.Client, arn string) error
	// lookup finds and describes the job a create request names, for a type
	// whose ARNs the service does not derive from the name (nil when there
	// is none); nil for the others, whose ARN plannedJobARN works out.
	lookup func(ctx context.Context, conn *personalize.Client, in *In) (*J, error)
	// summariesUnnamed is true when List summaries leave the name out: the
	// list resource and data sources then offer no name filter.
	summariesUnnamed bool
	// oneRunPerParent is true when the service runs one job of a parent at
	// a time and refuses a create meanwhile with ResourceInUseException:
	// create then waits for the parent as it waits for the quota, after
	// looking for the job a lost create may have made.
	oneRunPerParent bool

	create   func(ctx context.Context, conn *personalize.Client, in *In, optFns ...func(*personalize.Options)) (string, error)
	describe func(ctx context.Context, conn *personalize.Client, arn string, optFns ...func(*personalize.Options)) (*J, error)
	// fields reads what every job type reports of itself from a described
	// job; the views the lifecycle takes of a job and of a create request
	// are derived from it.
	fields func(*J) jobFields
	// request points into a create request at what the lifecycle sets.
	request func(*In) jobRequest
	// differences names the arguments in which an existing job differs from
	// a create request. It decides whether a job found under the planned
	// name is the one this create already made (after a lost response) or
	// someone else's.
	differences func(*In, *J) []string
	// list hands page every page of the region's jobs, of one parent when
	// parentARN is set, newest first as the service lists them, until page
	// returns false.
	list func(ctx context.Context, conn *personalize.Client, parentARN string, page func([]jobSummary) bool, optFns ...func(*personalize.Options)) error
	// describeOperation and listOperation name the API operations, each with
	// a rate limit of its own, that waiting calls.
	describeOperation, listOperation string
	// fromRequest is the job a create request makes as Describe will report
	// it, less what only the service knows (ARN, status, times), and every
	// argument the request sets; ok is false
	// when the service fills in arguments the request leaves out, so that
	// only Describe can tell them.
	fromRequest func(*In) (job *J, ok bool)
	// withSummary is job updated with what a List summary reports.
	withSummary func(job *J, s jobSummary) *J
	// modes are the values of the type's job mode argument, if it has one.
	modes []string

	// resourceSchema and dataSourceSchema are the type's schemas: the shared
	// attributes (jobResourceAttributes, jobDataSourceAttributes) and its
	// own; no one-job data source when dataSourceSchema is nil. validate,
	// when not nil, checks the rules that tie the type's own arguments
	// together.
	resourceSchema   func(ctx context.Context, k *jobKind[J, In]) rschema.Schema
	dataSourceSchema func(k *jobKind[J, In]) dsschema.Schema
	validate         func(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics)

	// newModel and newDataModel make the models of the type's resource and
	// one-job data source.
	newModel     func() jobModel[J, In]
	newDataModel func() jobDataModel[J]
}

// it is how messages and docs refer to one of the type's runs once the
// noun was said: "job", or "version" for a solution version.
func (k *jobKind[J, In]) it() string {
	return k.noun[strings.LastIndex(k.noun, " ")+1:]
}

var jobWord = regexp.MustCompile(`\b[Jj]ob(s?)\b`)

// phrased is a message template written of jobs, worded for the type: "the
// job stays in state" is "the version stays in state" for a solution
// version. Templates only: a name or an ARN in a message may hold the word.
func (k *jobKind[J, In]) phrased(template string) string {
	return jobWord.ReplaceAllStringFunc(template, func(w string) string {
		word := k.it()
		if w[0] == 'J' {
			word = capitalize(word)
		}
		return word + w[len("job"):] // the plural s
	})
}

// jobRequest points into a create request at what the lifecycle sets: the
// job's name (a generated one) and its tags (default_tags included).
type jobRequest struct {
	JobName **string
	Tags    *[]awstypes.Tag
}

func (r jobRequest) name() string { return aws.ToString(*r.JobName) }

// jobView is what the shared job lifecycle reads of a described job,
// whatever its type.
type jobView struct {
	ARN              string
	Name             string
	Status           string
	FailureReason    string
	ParentARN        string
	CreationDateTime *time.Time
}

// view is what the lifecycle reads of job.
func (k *jobKind[J, In]) view(job *J) jobView {
	f := k.fields(job)
	return jobView{
		ARN: aws.ToString(f.ARN), Name: aws.ToString(f.Name), Status: aws.ToString(f.Status),
		FailureReason: aws.ToString(f.FailureReason), ParentARN: aws.ToString(f.ParentARN),
		CreationDateTime: f.CreationDateTime,
	}
}

// requestFields reads what fields reads from the job a create request makes.
func (k *jobKind[J, In]) requestFields(in *In) jobFields {
	job, _ := k.fromRequest(in)
	return k.fields(job)
}

// jobSummary is a job as the List operations report it, whatever its type.
type jobSummary struct {
	ARN string
	// Name is empty for types whose summaries leave it out (solution
	// versions).
	Name   string
	Status string
	// ParentARN is what the List operation filters on: a batch job's
	// solution version, an import's dataset.
	ParentARN     string
	FailureReason string
	// Mode is a batch inference job's mode (BATCH_INFERENCE when it reports
	// none); empty for job types without modes.
	Mode                                  string
	CreationDateTime, LastUpdatedDateTime *time.Time
}

// arnExample is an ARN of this type for error messages: arnShape with
// sample names in its placeholders.
func (k *jobKind[J, In]) arnExample() string {
	samples := []string{"weekly-recs", "1a2b3c4d"}
	n := 0
	resource := arnPlaceholderRegexp.ReplaceAllStringFunc(k.arnShape, func(string) string {
		s := samples[min(n, len(samples)-1)]
		n++
		return s
	})
	return "arn:aws:personalize:us-east-1:123456789012:" + resource
}

var arnPlaceholderRegexp = regexp.MustCompile(`<[^>]+>`)

// arnForm is arnShape as messages write it: "batch-inference-job/<job name>".
func (k *jobKind[J, In]) arnForm() string { return strings.ReplaceAll(k.arnShape, "_", " ") }

// modeAttribute names the type's job mode argument: "batch_inference_job_mode".
func (k *jobKind[J, In]) modeAttribute() string {
	if len(k.modes) == 0 {
		return ""
	}
	return k.typeName + "_mode"
}

// prefixAttribute is the argument that generates a name: "job_name_prefix".
func (k *jobKind[J, In]) prefixAttribute() string { return k.nameAttribute + "_prefix" }

// jobRun are the attributes that tell how a job's run went; every job type
// has them.
type jobRun struct {
	CreationDateTime    timetypes.RFC3339 `tfsdk:"creation_date_time"`
	FailureReason       types.String      `tfsdk:"failure_reason"`
	LastUpdatedDateTime timetypes.RFC3339 `tfsdk:"last_updated_date_time"`
	Status              types.String      `tfsdk:"status"`
}

func (m *jobRun) run() *jobRun { return m }

// flatten fills m from what a described job reports of its run.
func (m *jobRun) flatten(f jobFields) {
	m.Status = types.StringPointerValue(f.Status)
	m.FailureReason = types.StringPointerValue(f.FailureReason)
	m.CreationDateTime = rfc3339Value(f.CreationDateTime)
	m.LastUpdatedDateTime = rfc3339Value(f.LastUpdatedDateTime)
}

// nullUnknown sets what is still unknown to null, for a job never described.
func (m *jobRun) nullUnknown() {
	if m.CreationDateTime.IsUnknown() {
		m.CreationDateTime = timetypes.NewRFC3339Null()
	}
	if m.LastUpdatedDateTime.IsUnknown() {
		m.LastUpdatedDateTime = timetypes.NewRFC3339Null()
	}
	if m.Status.IsUnknown() {
		m.Status = types.StringNull()
	}
	if m.FailureReason.IsUnknown() {
		m.FailureReason = types.StringNull()
	}
}

// jobNamed is the name argument of the types that call it job_name.
type jobNamed struct {
	JobName types.String `tfsdk:"job_name"`
}

func (m *jobNamed) name() *types.String { return &m.JobName }

// jobNamePrefixed is the prefix argument of the resources of those types.
type jobNamePrefixed struct {
	JobNamePrefix types.String `tfsdk:"job_name_prefix"`
}

func (m *jobNamePrefixed) namePrefix() *types.String { return &m.JobNamePrefix }
