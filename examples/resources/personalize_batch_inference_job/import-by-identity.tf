# Terraform v1.12.0 and later can import a job by its resource identity, its ARN.
import {
  to = personalize_batch_inference_job.weekly
  identity = {
    batch_inference_job_arn = "arn:aws:personalize:us-east-1:123456789012:batch-inference-job/weekly-recs-2024"
  }
}
