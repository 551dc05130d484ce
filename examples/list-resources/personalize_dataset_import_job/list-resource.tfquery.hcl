# The finished imports into one dataset whose names start with interactions-,
# each with all its attributes, so that
# `terraform query -generate-config-out=imports.tf` writes an import block and
# a resource block for every one of them.
list "personalize_dataset_import_job" "interactions" {
  provider         = personalize
  include_resource = true

  config {
    dataset_arn = "arn:aws:personalize:us-east-1:123456789012:dataset/my-dataset-group/INTERACTIONS"
    status      = "ACTIVE"
    name_regex  = "^interactions-"
  }
}
