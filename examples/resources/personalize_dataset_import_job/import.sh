# A dataset import job is imported by its ARN.
terraform import personalize_dataset_import_job.interactions arn:aws:personalize:us-east-1:123456789012:dataset-import-job/interactions-2024-05-01
