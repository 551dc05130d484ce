# A dataset import job found by its name, wherever it was created; the
# dataset narrows the search to its own imports.
data "personalize_dataset_import_job" "initial_load" {
  job_name    = "interactions-initial-load"
  dataset_arn = "arn:aws:personalize:us-east-1:123456789012:dataset/my-dataset-group/INTERACTIONS"
}

output "initial_load_failure" {
  value = data.personalize_dataset_import_job.initial_load.status == "CREATE FAILED" ? data.personalize_dataset_import_job.initial_load.failure_reason : null
}
