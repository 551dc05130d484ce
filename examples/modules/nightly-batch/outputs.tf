output "job_arn" {
  description = "ARN of the night's batch inference job."
  value       = personalize_batch_inference_job.nightly.batch_inference_job_arn
}

output "job_name" {
  description = "The job's generated name."
  value       = personalize_batch_inference_job.nightly.job_name
}

output "status" {
  description = "ACTIVE once the job has written its output; PENDING or IN PROGRESS while it runs (wait_for_completion = false)."
  value       = personalize_batch_inference_job.nightly.status
}

output "output_path" {
  description = "S3 folder holding the recommendations, one JSON line per input user."
  value       = personalize_batch_inference_job.nightly.job_output.s3_data_destination.path
}

output "solution_version_arn" {
  description = "The solution version the job ran: the newest ACTIVE one of solution_arn."
  value       = data.personalize_solution_version.latest.solution_version_arn
}

output "finished_at" {
  description = "When the job last changed status (RFC 3339): when it finished."
  value       = personalize_batch_inference_job.nightly.last_updated_date_time
}
