package emulator

import (
	"encoding/json"
	"slices"
)

// jobKind names a kind of job in the store and in the state file.
type jobKind string

const (
	kindInference jobKind = "" // batch inference jobs (the zero value, as in older state files)
	kindSegment   jobKind = "batch-segment"
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
	limit      func(e *Emulator) int // the running-jobs quota, read under the lock
	listed     []string              // the request members a List summary shows
}

// listFilter is the optional List member that keeps only the jobs whose own
// value of it is the one asked for.
type listFilter struct {
	member string
	of     func(j *job) string
}

func (k jobKind) spec() *kindSpec { return jobKinds[k] }

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
		listed:     []string{"solutionVersionArn", "batchInferenceJobMode"},
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
		listed:     []string{"solutionVersionArn"},
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
