# The finished segment jobs of one solution version, oldest first.
data "personalize_batch_segment_jobs" "finished" {
  solution_version_arn = "arn:aws:personalize:us-east-1:123456789012:solution/item-affinity/3c4d5e6f"
  status               = "ACTIVE"
}

output "segment_outputs" {
  value = [for job in data.personalize_batch_segment_jobs.finished.batch_segment_jobs : job.job_name]
}
