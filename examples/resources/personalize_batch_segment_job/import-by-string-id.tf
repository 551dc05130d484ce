# A batch segment job is imported by its ARN. With
# `terraform plan -generate-config-out=generated.tf`, Terraform writes its
# configuration too.
import {
  to = personalize_batch_segment_job.launch_audience
  id = "arn:aws:personalize:us-east-1:123456789012:batch-segment-job/launch-audience-2024"
}
