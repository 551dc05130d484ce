# For every item listed under s3://my-bucket/segments/input/ (JSON Lines such
# as {"itemId": "105"}), the 1000 users most likely to interact with it,
# written as JSON Lines under s3://my-bucket/segments/output/.
resource "personalize_batch_segment_job" "launch_audience" {
  # A name can never be reused, so let each replacement generate a new one.
  job_name_prefix = "launch-audience-"

  # An Item-Affinity (or Item-Attribute-Affinity) solution version.
  solution_version_arn = "arn:aws:personalize:us-east-1:123456789012:solution/item-affinity/3c4d5e6f"
  role_arn             = "arn:aws:iam::123456789012:role/PersonalizeBatchSegments"
  num_results          = 1000

  job_input = {
    s3_data_source = {
      path = "s3://my-bucket/segments/input/"
    }
  }
  job_output = {
    s3_data_destination = {
      path = "s3://my-bucket/segments/output/"
    }
  }

  tags = {
    campaign = "spring-launch"
  }
}
