# Terraform v1.12.0 and later can import a job by its resource identity, its ARN.
import {
  to = personalize_batch_segment_job.launch_audience
  identity = {
    batch_segment_job_arn = "arn:aws:personalize:us-east-1:123456789012:batch-segment-job/launch-audience-2024"
  }
}
