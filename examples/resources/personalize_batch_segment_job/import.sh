# A batch segment job is imported by its ARN.
terraform import personalize_batch_segment_job.launch_audience arn:aws:personalize:us-east-1:123456789012:batch-segment-job/launch-audience-2024
