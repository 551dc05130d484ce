# A dataset import job is imported by its ARN. With
# `terraform plan -generate-config-out=generated.tf`, Terraform writes its
# configuration too.
import {
  to = personalize_dataset_import_job.interactions
  id = "arn:aws:personalize:us-east-1:123456789012:dataset-import-job/interactions-2024-05-01"
}
