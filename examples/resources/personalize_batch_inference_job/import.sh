# A batch inference job is imported by its ARN.
terraform import personalize_batch_inference_job.weekly arn:aws:personalize:us-east-1:123456789012:batch-inference-job/weekly-recs-2024
