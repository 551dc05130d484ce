# Recommendations for every user listed under s3://my-bucket/batch/input/,
# written as JSON Lines under s3://my-bucket/batch/output/.
resource "personalize_batch_inference_job" "weekly" {
  # A name can never be reused, so let each replacement generate a new one.
  job_name_prefix = "weekly-recs-"

  solution_version_arn = "arn:aws:personalize:us-east-1:123456789012:solution/user-personalization/1a2b3c4d"
  role_arn             = "arn:aws:iam::123456789012:role/PersonalizeBatchInference"
  filter_arn           = "arn:aws:personalize:us-east-1:123456789012:filter/in-stock"
  num_results          = 50

  job_input = {
    s3_data_source = {
      path = "s3://my-bucket/batch/input/"
    }
  }
  job_output = {
    s3_data_destination = {
      path        = "s3://my-bucket/batch/output/"
      kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    }
  }

  batch_inference_job_config = {
    item_exploration_config = {
      explorationWeight        = "0.3"
      explorationItemAgeCutOff = "30"
    }
  }

  tags = {
    pipeline = "weekly-recommendations"
  }

  # Jobs over large inputs run for hours; the default wait is 3h.
  timeouts = {
    create = "4h"
  }
}

# Themed groups of similar items (Similar-Items recipe only).
resource "personalize_batch_inference_job" "themes" {
  job_name_prefix          = "themes-"
  solution_version_arn     = "arn:aws:personalize:us-east-1:123456789012:solution/similar-items/5e6f7a8b"
  role_arn                 = "arn:aws:iam::123456789012:role/PersonalizeBatchInference"
  batch_inference_job_mode = "THEME_GENERATION"

  theme_generation_config = {
    fields_for_theme_generation = {
      item_name = "TITLE"
    }
  }

  job_input  = { s3_data_source = { path = "s3://my-bucket/themes/input/items.json" } }
  job_output = { s3_data_destination = { path = "s3://my-bucket/themes/output/" } }
}
