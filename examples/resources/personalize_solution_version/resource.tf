# Retrains the recommendation model, and runs the weekly batch job only on a
# model good enough to ship.
resource "personalize_solution_version" "weekly" {
  # The name finds the training again after a lost answer or a killed apply,
  # so that it is never paid for twice; a prefix gives each retraining a new one.
  name_prefix  = "weekly-"
  solution_arn = "arn:aws:personalize:us-east-1:123456789012:solution/user-personalization"

  tags = {
    team = "recommendations"
  }

  lifecycle {
    postcondition {
      condition     = self.metrics["normalized_discounted_cumulative_gain_at_10"] >= 0.2
      error_message = "The new model's NDCG@10 is below 0.2: not running batch jobs on it."
    }
  }
}

resource "personalize_batch_inference_job" "weekly" {
  job_name_prefix      = "weekly-recs-"
  solution_version_arn = personalize_solution_version.weekly.solution_version_arn
  role_arn             = "arn:aws:iam::123456789012:role/PersonalizeBatchInference"

  job_input = {
    s3_data_source = {
      path = "s3://my-bucket/batch/input/"
    }
  }
  job_output = {
    s3_data_destination = {
      path = "s3://my-bucket/batch/output/"
    }
  }
}
