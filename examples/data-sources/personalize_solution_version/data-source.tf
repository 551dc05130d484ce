# The newest version of a solution that finished training: batch jobs that
# use it run on the latest model after each retraining, without editing ARNs.
data "personalize_solution_version" "latest" {
  solution_arn = "arn:aws:personalize:us-east-1:123456789012:solution/user-personalization"
}

resource "personalize_batch_inference_job" "weekly" {
  job_name_prefix      = "weekly-recs-"
  solution_version_arn = data.personalize_solution_version.latest.solution_version_arn
  role_arn             = "arn:aws:iam::123456789012:role/PersonalizeBatchInference"

  job_input  = { s3_data_source = { path = "s3://my-bucket/batch/input/" } }
  job_output = { s3_data_destination = { path = "s3://my-bucket/batch/output/" } }
}

# One version by its ARN, for its recipe and training details.
data "personalize_solution_version" "pinned" {
  solution_version_arn = "arn:aws:personalize:us-east-1:123456789012:solution/user-personalization/1a2b3c4d"
}
