# A job looked up by its ARN…
data "personalize_batch_inference_job" "by_arn" {
  batch_inference_job_arn = "arn:aws:personalize:us-east-1:123456789012:batch-inference-job/weekly-recs-2024"
}

# …or by its name, optionally only among one solution version's jobs.
data "personalize_batch_inference_job" "by_name" {
  job_name             = "weekly-recs-2024"
  solution_version_arn = "arn:aws:personalize:us-east-1:123456789012:solution/user-personalization/1a2b3c4d"
}

# Where the recommendations were written, once the job is ACTIVE.
output "recommendations_path" {
  value = data.personalize_batch_inference_job.by_name.status == "ACTIVE" ? data.personalize_batch_inference_job.by_name.job_output.s3_data_destination.path : null
}
