# The module applied for real against the Personalize emulator: the provider
# creates each job, waits for it and reads it back, and the data source asks
# the emulator for the solution's newest ACTIVE version. With the emulator
# running (make emulator, in the provider's repository):
#
#   AWS_ENDPOINT_URL_PERSONALIZE=http://127.0.0.1:4599 terraform test -test-directory=tests/emulator
#
# The endpoint comes from the environment because a provider block in a test
# file can only use the module's own variables in OpenTofu, and in Terraform
# a test file's variables take precedence over -var.
variables {
  # The emulator's fixtures: a User-Personalization solution whose newest
  # ACTIVE version is 1a2b3c4d, and a Similar-Items one.
  solution_arn  = "arn:aws:personalize:us-east-1:123456789012:solution/demo-user-personalization"
  role_arn      = "arn:aws:iam::123456789012:role/PersonalizeNightly"
  input_path    = "s3://demo-bucket/users/"
  output_prefix = "s3://demo-bucket/recommendations/"
  run_date      = "2024-06-01"
}

provider "personalize" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  # No endpoints block: AWS_ENDPOINT_URL_PERSONALIZE names the emulator, and
  # the dummy keys above could not use a real account if it were left unset.
}

run "runs_the_night_s_job_to_completion" {
  assert {
    condition     = output.status == "ACTIVE"
    error_message = "status is ${output.status}"
  }
  assert {
    condition     = output.solution_version_arn == "arn:aws:personalize:us-east-1:123456789012:solution/demo-user-personalization/1a2b3c4d"
    error_message = "the job ran ${output.solution_version_arn}, not the newest ACTIVE version"
  }
  assert {
    condition     = output.job_arn == "arn:aws:personalize:us-east-1:123456789012:batch-inference-job/${output.job_name}"
    error_message = "job_arn ${output.job_arn} does not end in the job's name, ${output.job_name}"
  }
  assert {
    condition     = startswith(output.job_name, "nightly-recs-20240601-")
    error_message = "job_name is ${output.job_name}"
  }
  assert {
    condition     = output.output_path == "s3://demo-bucket/recommendations/2024-06-01/"
    error_message = "output_path is ${output.output_path}"
  }
  assert {
    condition     = timecmp(output.finished_at, personalize_batch_inference_job.nightly.creation_date_time) > 0
    error_message = "the job finished at ${output.finished_at}, before it was created"
  }
}

# What a mock cannot show: the provider plans a new job for a new night (a
# job's arguments cannot change in place), and the service runs it under a
# name of its own.
run "the_next_night_is_a_new_job" {
  variables {
    run_date = "2024-06-02"
  }

  assert {
    condition     = startswith(output.job_name, "nightly-recs-20240602-") && endswith(output.job_arn, "/${output.job_name}")
    error_message = "the 2024-06-02 run has job ${output.job_arn}"
  }
  assert {
    condition     = output.status == "ACTIVE" && output.output_path == "s3://demo-bucket/recommendations/2024-06-02/"
    error_message = "the 2024-06-02 job is ${output.status}, writing to ${output.output_path}"
  }
}

# The precondition against the emulator's real Similar-Items solution.
run "refuses_a_similar_items_solution" {
  command = plan

  variables {
    solution_arn = "arn:aws:personalize:us-east-1:123456789012:solution/demo-similar-items"
  }

  expect_failures = [personalize_batch_inference_job.nightly]
}

# With wait_for_completion = false the apply returns while the job runs, and
# the module's job_finished check says so.
run "leaves_the_job_running_when_asked" {
  variables {
    run_date            = "2024-06-03"
    wait_for_completion = false
  }

  expect_failures = [check.job_finished]

  assert {
    condition     = contains(["PENDING", "IN PROGRESS"], output.status)
    error_message = "status is ${output.status} right after the job was submitted"
  }
}
