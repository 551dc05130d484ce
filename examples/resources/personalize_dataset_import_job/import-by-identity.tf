# Terraform v1.12.0 and later can import a job by its resource identity, its ARN.
import {
  to = personalize_dataset_import_job.interactions
  identity = {
    dataset_import_job_arn = "arn:aws:personalize:us-east-1:123456789012:dataset-import-job/interactions-2024-05-01"
  }
}
