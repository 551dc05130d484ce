# The finished jobs of one solution version whose names start with
# weekly-recs-, each with all its attributes, so that
# `terraform query -generate-config-out=jobs.tf` writes an import block and a
# resource block for every one of them.
list "personalize_batch_inference_job" "weekly" {
  provider         = personalize
  include_resource = true

  config {
    solution_version_arn = "arn:aws:personalize:us-east-1:123456789012:solution/user-personalization/1a2b3c4d"
    status               = "ACTIVE"
    name_regex           = "^weekly-recs-"
  }
}

# Every job of the provider's region, oldest first, up to 500 of them.
list "personalize_batch_inference_job" "all" {
  provider = personalize
  limit    = 500
}
