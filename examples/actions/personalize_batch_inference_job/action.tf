# Run a batch inference job on demand: `terraform apply -invoke=action.personalize_batch_inference_job.nightly`
# starts a new job (a new name from the prefix each time), waits for it and reports its progress.
action "personalize_batch_inference_job" "nightly" {
  config {
    job_name_prefix      = "nightly-"
    solution_version_arn = "arn:aws:personalize:us-east-1:123456789012:solution/user-personalization/1a2b3c4d"
    role_arn             = "arn:aws:iam::123456789012:role/PersonalizeBatchInference"
    num_results          = 25
    timeout              = "4h"

    job_input  = { s3_data_source = { path = "s3://my-bucket/batch/input/" } }
    job_output = { s3_data_destination = { path = "s3://my-bucket/batch/output/nightly/" } }
  }
}

# Or run one whenever the input changes: the action starts after the object is replaced.
resource "terraform_data" "input_version" {
  input = "s3://my-bucket/batch/input/users.jsonl#v42"

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.personalize_batch_inference_job.nightly]
    }
  }
}
