package emulator

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// jobKind names a kind of job in the store and in the state file.
type jobKind string

const (
	kindInference jobKind = "" // batch inference jobs (the zero value, as in older state files)
	kindSegment   jobKind = "batch-segment"
	kindImport    jobKind = "dataset-import"
)

// kindSpec is what tells one kind of job from another on the wire: the
// operations that read it, its ARN's resource type, the members that carry
// it, which members of its request its List summary shows (its Describe
// shows them all) and which member filters its List. One store, one
// lifecycle and one pair of Describe and List handlers serve every kind
// through it.
type kindSpec struct {
	resource   string // the ARN's resource type: arn:…:<resource>/<jobName>
	noun       string // the kind in messages
	listing    string // a next token is good for this listing only
	describeOp string
	listOp     string
	arnMember  string // the job's ARN in the Describe request and in both answers
	jobMember  string // Describe answers {jobMember: {…}}
	listMember string // List answers {listMember: [{…}, …], nextToken}
	filter     listFilter
	limit      func(e *Emulator) int           // the running-jobs quota, read under the lock
	duration   func(e *Emulator) time.Duration // create → done, read under the lock
	listed     []string                        // the request members a List summary shows
	// pending and inProgress are the statuses before a job settles as
	// ACTIVE or CREATE FAILED: the batch jobs' reference spells them apart
	// from other resources'.
	pending, inProgress string
	// run does a due job's work, outside the lock, and says how it ended.
	run func(e *Emulator, j *job) (status, failureReason string)
	// stored reports what a job read from a state file lacks, if anything.
	stored func(j *job) string
}

// listFilter is the optional List member that keeps only the jobs whose own
// value of it is the one asked for.
type listFilter struct {
	member string
	of     func(j *job) string
}

func (k jobKind) spec() *kindSpec { return jobKinds[k] }

// storedBatchJob checks what batch inference and batch segment jobs read
// from a state file must have.
func storedBatchJob(j *job) string {
	r := j.Request
	if r.SolutionVersionArn == nil || r.RoleArn == nil || r.NumResults == nil ||
		r.JobInput == nil || r.JobInput.S3DataSource == nil || r.JobInput.S3DataSource.Path == nil ||
		r.JobOutput == nil || r.JobOutput.S3DataDestination == nil || r.JobOutput.S3DataDestination.Path == nil {
		return "lacks required members"
	}
	if _, ok := recipes[j.Recipe]; !ok {
		return fmt.Sprintf("has unknown recipe %q", j.Recipe)
	}
	return ""
}

var bySolutionVersion = listFilter{member: "solutionVersionArn", of: func(j *job) string { return *j.Request.SolutionVersionArn }}

var jobKinds = map[jobKind]*kindSpec{
	kindInference: {
		resource:   "batch-inference-job",
		noun:       "batch inference job",
		listing:    listingInferenceJobs,
		describeOp: "DescribeBatchInferenceJob",
		listOp:     "ListBatchInferenceJobs",
		arnMember:  "batchInferenceJobArn",
		jobMember:  "batchInferenceJob",
		listMember: "batchInferenceJobs",
		filter:     bySolutionVersion,
		limit:      func(e *Emulator) int { return e.maxRunning },
		duration:   func(e *Emulator) time.Duration { return e.jobDuration },
		listed:     []string{"solutionVersionArn", "batchInferenceJobMode"},
		pending:    statusPending,
		inProgress: statusInProgress,
		run:        runBatchJob,
		stored: func(j *job) string {
			if j.Request.BatchInferenceJobMode == nil {
				return "lacks required members"
			}
			return storedBatchJob(j)
		},
	},
	kindSegment: {
		resource:   "batch-segment-job",
		noun:       "batch segment job",
		listing:    listingSegmentJobs,
		describeOp: "DescribeBatchSegmentJob",
		listOp:     "ListBatchSegmentJobs",
		arnMember:  "batchSegmentJobArn",
		jobMember:  "batchSegmentJob",
		listMember: "batchSegmentJobs",
		filter:     bySolutionVersion,
		limit:      func(e *Emulator) int { return e.maxRunningSeg },
		duration:   func(e *Emulator) time.Duration { return e.jobDuration },
		listed:     []string{"solutionVersionArn"},
		pending:    statusPending,
		inProgress: statusInProgress,
		run:        runBatchJob,
		stored:     storedBatchJob,
	},
	kindImport: {
		resource:   "dataset-import-job",
		noun:       "dataset import job",
		listing:    listingImportJobs,
		describeOp: "DescribeDatasetImportJob",
		listOp:     "ListDatasetImportJobs",
		arnMember:  "datasetImportJobArn",
		jobMember:  "datasetImportJob",
		listMember: "datasetImportJobs",
		filter:     listFilter{member: "datasetArn", of: func(j *job) string { return *j.Request.DatasetArn }},
		limit:      func(e *Emulator) int { return e.maxRunningImports },
		duration:   func(e *Emulator) time.Duration { return e.importDuration },
		listed:     []string{"importMode"},
		pending:    svCreatePending,
		inProgress: svCreateInProgress,
		run:        runImportJob,
		stored: func(j *job) string {
			r := j.Request
			if r.DatasetArn == nil || r.DataSource == nil || r.DataSource.DataLocation == nil || r.ImportMode == nil {
				return "lacks required members"
			}
			return ""
		},
	},
}

// Every kind's Describe and List are served from its spec.
func init() {
	for _, spec := range jobKinds {
		operations[spec.describeOp] = func(e *Emulator, body []byte) (any, *apiError) { return e.describeJob(spec, body) }
		operations[spec.listOp] = func(e *Emulator, body []byte) (any, *apiError) { return e.listJobs(spec, body) }
	}
}

// view is a job as its kind's answers show it: the members of its create
// request (all of them, tags aside, when only is nil), its ARN under the
// kind's member name, and where it is in its life.
func (s jobSeen) view(spec *kindSpec, only []string) map[string]any {
	var request map[string]json.RawMessage
	_ = json.Unmarshal(marshalJSON(s.job.Request), &request) // a jobRequest always encodes as an object
	out := map[string]any{
		spec.arnMember:        s.job.Arn,
		"jobName":             s.job.name(),
		"status":              s.status,
		"creationDateTime":    epochSeconds(s.job.CreatedAt),
		"lastUpdatedDateTime": epochSeconds(s.updated),
	}
	if s.failureReason != "" {
		out["failureReason"] = s.failureReason
	}
	for name, value := range request {
		if only == nil || slices.Contains(only, name) {
			out[name] = value
		}
	}
	return out
}
