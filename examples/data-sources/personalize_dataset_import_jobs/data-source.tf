# The failed imports into one dataset, oldest first.
data "personalize_dataset_import_jobs" "failed" {
  dataset_arn = "arn:aws:personalize:us-east-1:123456789012:dataset/my-dataset-group/INTERACTIONS"
  status      = "CREATE FAILED"
}

output "import_failures" {
  value = {
    for job in data.personalize_dataset_import_jobs.failed.dataset_import_jobs :
    job.job_name => job.failure_reason
  }
}
