// Package personalize holds everything the provider knows about Amazon
// Personalize batch jobs: the resources, data sources, list resources and
// the action, and the lifecycle they share.
//
// # Job kinds
//
// A job kind is one type of job: batch inference jobs
// (batch_inference_job.go), batch segment jobs (batch_segment_job.go) and
// dataset import jobs (dataset_import_job.go).
// Each kind's file holds all that is particular to it: a jobKind descriptor
// (noun, ARN shape, the API calls, how to read a described job and a create
// request, the List pager), its models, its resource and data source
// schemas, the rules that tie its arguments together, expand and flatten.
// Adding a field to a kind edits that one file; adding a kind copies one.
//
// # The shared lifecycle
//
// Files named by role serve every kind through its descriptor, and never
// name a kind:
//
//   - job_resource.go: the resource methods (plan, create, read, update,
//     delete, import); job_data_source.go, jobs_data_source.go,
//     job_list_resource.go and job_action.go: the one-job and many-jobs data
//     sources, the list resource for `terraform query`, and the action that
//     starts a job without keeping state.
//   - job_kind.go: the descriptor; flex.go: the fields every batch job has,
//     their expand and flatten; job_schema.go: their schema.
//   - submission.go: create, queueing behind the running-job quota, and
//     adoption of the job a lost or killed create made; names.go: generated
//     names, which double as idempotency keys.
//   - waiter.go and poller.go: waiting for jobs, one List round for many
//     waits, paced below the service's rate limits; find.go: Describe.
//   - job_listing.go: listing and filtering jobs; tags.go: tags,
//     default_tags and ignore_tags; diagnostics.go: what users are told.
//   - validators.go and placement.go: every check made at plan time, the
//     second against the provider's region and partition.
//   - endpoint.go: telling a service that never answered from one that did.
//
// solution_version_data_source.go finds the latest trained version of a
// solution, for the jobs to run.
package personalize
