# A batch inference job is imported by its ARN. With
# `terraform plan -generate-config-out=generated.tf`, Terraform writes its
# configuration too.
import {
  to = personalize_batch_inference_job.weekly
  id = "arn:aws:personalize:us-east-1:123456789012:batch-inference-job/weekly-recs-2024"
}
