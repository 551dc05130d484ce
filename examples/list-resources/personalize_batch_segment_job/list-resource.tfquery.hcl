# The finished segment jobs whose names start with launch-audience-, each with
# all its attributes, so that `terraform query -generate-config-out=jobs.tf`
# writes an import block and a resource block for every one of them.
list "personalize_batch_segment_job" "launches" {
  provider         = personalize
  include_resource = true

  config {
    status     = "ACTIVE"
    name_regex = "^launch-audience-"
  }
}
