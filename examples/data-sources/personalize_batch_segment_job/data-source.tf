# A batch segment job found by its name, wherever it was created.
data "personalize_batch_segment_job" "launch" {
  job_name = "launch-audience-2024"
}

output "launch_segments" {
  value = data.personalize_batch_segment_job.launch.status == "ACTIVE" ? data.personalize_batch_segment_job.launch.job_output.s3_data_destination.path : null
}
