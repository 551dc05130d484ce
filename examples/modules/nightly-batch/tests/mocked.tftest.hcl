# The module's unit tests: mock_provider answers in place of the provider, so
# they need no AWS account, no emulator and no network.
#
# A bare mock_provider "personalize" {} gives every computed attribute the
# configuration leaves unset a random value: the data source's recipe_arn
# would be "aq66uqes" and fail the module's precondition, its
# solution_version_arn would fail the provider's own ARN validation (which
# still runs under a mock), and the job's status would fail every assertion
# that it is ACTIVE. The defaults below are what the service returns for a
# trained solution version and a finished job.
mock_provider "personalize" {
  mock_data "personalize_solution_version" {
    defaults = {
      solution_version_arn   = "arn:aws:personalize:us-east-1:123456789012:solution/acme-user-recs/1a2b3c4d"
      name                   = "acme-user-recs"
      recipe_arn             = "arn:aws:personalize:::recipe/aws-user-personalization"
      dataset_group_arn      = "arn:aws:personalize:us-east-1:123456789012:dataset-group/acme"
      status                 = "ACTIVE"
      training_mode          = "FULL"
      training_type          = "MANUAL"
      failure_reason         = null
      creation_date_time     = "2024-05-30T22:00:00Z"
      last_updated_date_time = "2024-05-31T01:12:09Z"
    }
  }

  mock_resource "personalize_batch_inference_job" {
    defaults = {
      batch_inference_job_arn  = "arn:aws:personalize:us-east-1:123456789012:batch-inference-job/nightly-recs-20240601-12cb0f4c6a1e93d07b5f28aa"
      id                       = "arn:aws:personalize:us-east-1:123456789012:batch-inference-job/nightly-recs-20240601-12cb0f4c6a1e93d07b5f28aa"
      job_name                 = "nightly-recs-20240601-12cb0f4c6a1e93d07b5f28aa"
      batch_inference_job_mode = "BATCH_INFERENCE"
      status                   = "ACTIVE"
      failure_reason           = null
      creation_date_time       = "2024-06-01T02:00:00Z"
      last_updated_date_time   = "2024-06-01T02:41:17Z"
    }
  }
}

variables {
  solution_arn  = "arn:aws:personalize:us-east-1:123456789012:solution/acme-user-recs"
  role_arn      = "arn:aws:iam::123456789012:role/PersonalizeNightly"
  input_path    = "s3://acme-recs/users/"
  output_prefix = "s3://acme-recs/recommendations/"
  run_date      = "2024-06-01"
}

# Computed attributes have their mocked values once applied.
run "outputs_describe_the_finished_job" {
  assert {
    condition     = output.status == "ACTIVE"
    error_message = "status is ${output.status}"
  }
  assert {
    condition     = startswith(output.job_arn, "arn:aws:personalize:us-east-1:123456789012:batch-inference-job/nightly-recs-20240601-")
    error_message = "job_arn is ${output.job_arn}"
  }
  assert {
    condition     = output.output_path == "s3://acme-recs/recommendations/2024-06-01/"
    error_message = "output_path is ${output.output_path}"
  }
  assert {
    condition     = timecmp(output.finished_at, "2024-06-01T00:00:00Z") > 0
    error_message = "finished_at is ${output.finished_at}"
  }
}

# What the module asks of the provider, read from the plan.
run "names_the_job_and_its_output_after_the_run_date" {
  command = plan

  assert {
    condition     = personalize_batch_inference_job.nightly.job_name_prefix == "nightly-recs-20240601-"
    error_message = "job_name_prefix is ${personalize_batch_inference_job.nightly.job_name_prefix}"
  }
  assert {
    condition     = personalize_batch_inference_job.nightly.job_output.s3_data_destination.path == "s3://acme-recs/recommendations/2024-06-01/"
    error_message = "the output path is ${personalize_batch_inference_job.nightly.job_output.s3_data_destination.path}"
  }
  assert {
    condition     = personalize_batch_inference_job.nightly.tags == tomap({ run_date = "2024-06-01" })
    error_message = "the job is not tagged with its run date"
  }
  assert {
    # Data sources are read during the plan, mocked ones too.
    condition     = personalize_batch_inference_job.nightly.solution_version_arn == "arn:aws:personalize:us-east-1:123456789012:solution/acme-user-recs/1a2b3c4d"
    error_message = "the job does not run the solution's newest version"
  }
}

# One run's own data: the solution was retrained since the defaults' version.
# An override replaces the mock_data defaults rather than adding to them:
# what it leaves out is random again, so it repeats recipe_arn.
run "follows_the_newest_solution_version" {
  command = plan

  override_data {
    target = data.personalize_solution_version.latest
    values = {
      solution_version_arn = "arn:aws:personalize:us-east-1:123456789012:solution/acme-user-recs/5e6f7a8b"
      recipe_arn           = "arn:aws:personalize:::recipe/aws-user-personalization"
    }
  }

  assert {
    condition     = personalize_batch_inference_job.nightly.solution_version_arn == "arn:aws:personalize:us-east-1:123456789012:solution/acme-user-recs/5e6f7a8b"
    error_message = "the job runs ${personalize_batch_inference_job.nightly.solution_version_arn}, not the retrained version"
  }
}

# expect_failures names the checks that must fail: the run passes when they
# do and fails when they do not (or when anything else fails).
run "refuses_a_solution_that_does_not_recommend_for_users" {
  command = plan

  override_data {
    target = data.personalize_solution_version.latest
    values = {
      solution_version_arn = "arn:aws:personalize:us-east-1:123456789012:solution/acme-similar-items/9c0d1e2f"
      recipe_arn           = "arn:aws:personalize:::recipe/aws-similar-items"
    }
  }

  expect_failures = [personalize_batch_inference_job.nightly]
}

run "refuses_a_solution_version_arn_for_solution_arn" {
  command = plan

  variables {
    solution_arn = "arn:aws:personalize:us-east-1:123456789012:solution/acme-user-recs/1a2b3c4d"
  }

  expect_failures = [var.solution_arn]
}

run "refuses_a_date_that_does_not_exist" {
  command = plan

  variables {
    run_date = "2024-02-30"
  }

  expect_failures = [var.run_date]
}

# A job that is not ACTIVE makes the module's job_finished check warn. A
# mock plans every change in place (only the provider knows which arguments
# force a new job), and Terraform gives an override's computed values to a
# created object only, so the run asks for a new job with
# plan_options.replace. It is last because it leaves that job in the file's
# state.
run "warns_while_the_job_runs" {
  plan_options {
    replace = [personalize_batch_inference_job.nightly]
  }

  variables {
    wait_for_completion = false
  }

  override_resource {
    target = personalize_batch_inference_job.nightly
    values = {
      status = "IN PROGRESS"
    }
  }

  expect_failures = [check.job_finished]

  assert {
    condition     = output.status == "IN PROGRESS"
    error_message = "status is ${output.status}"
  }
}
