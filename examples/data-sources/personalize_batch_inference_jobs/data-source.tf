# Every job of the provider's region, oldest first.
data "personalize_batch_inference_jobs" "all" {}

# The failed weekly jobs of one solution version.
data "personalize_batch_inference_jobs" "failed_weekly" {
  solution_version_arn = "arn:aws:personalize:us-east-1:123456789012:solution/user-personalization/1a2b3c4d"
  status               = "CREATE FAILED"
  name_regex           = "^weekly-recs-"
}

output "failures" {
  value = {
    for job in data.personalize_batch_inference_jobs.failed_weekly.batch_inference_jobs :
    job.job_name => job.failure_reason
  }
}

# The newest job's ARN: the list is oldest first.
output "latest_job_arn" {
  value = length(data.personalize_batch_inference_jobs.all.arns) > 0 ? data.personalize_batch_inference_jobs.all.arns[length(data.personalize_batch_inference_jobs.all.arns) - 1] : null
}
