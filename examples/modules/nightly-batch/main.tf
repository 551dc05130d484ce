# nightly-batch: one night's recommendations for every user listed under an
# S3 prefix, from the newest trained version of a User-Personalization
# solution.
#
# Each run_date is a job of its own, with its own name and output folder: a
# scheduler that applies with -var run_date=$(date -u +%F) runs one job a
# night, and applying a date that already ran changes nothing. The apply
# returns once the job is ACTIVE (unless wait_for_completion = false), and
# the outputs say where it wrote.
#
# `terraform test` runs tests/*.tftest.hcl, under mock_provider: no AWS, no
# emulator. tests/emulator/ applies the module against the Personalize
# emulator; its header says how to run it.
terraform {
  required_providers {
    personalize = {
      source = "tfpersonalize/personalize"
    }
  }
}

locals {
  # nightly-recs- and 2024-06-01 give nightly-recs-20240601-, to which the
  # provider appends a suffix of its own, because a job name can never be
  # used twice.
  job_name_prefix = "${var.job_name_prefix}${replace(var.run_date, "-", "")}-"
  output_path     = "${var.output_prefix}${var.run_date}/"

  # Recipes that recommend items for a user, which is what a job over a list
  # of user IDs asks for.
  user_recipes = [
    "arn:aws:personalize:::recipe/aws-user-personalization",
    "arn:aws:personalize:::recipe/aws-user-personalization-v2",
  ]
}

# The newest version of the solution that finished training, so that the
# nightly job follows each retraining.
data "personalize_solution_version" "latest" {
  solution_arn = var.solution_arn
}

resource "personalize_batch_inference_job" "nightly" {
  job_name_prefix      = local.job_name_prefix
  solution_version_arn = data.personalize_solution_version.latest.solution_version_arn
  role_arn             = var.role_arn
  filter_arn           = var.filter_arn
  num_results          = var.num_results

  job_input  = { s3_data_source = { path = var.input_path } }
  job_output = { s3_data_destination = { path = local.output_path } }

  tags                = merge(var.tags, { run_date = var.run_date })
  wait_for_completion = var.wait_for_completion

  lifecycle {
    precondition {
      condition     = contains(local.user_recipes, data.personalize_solution_version.latest.recipe_arn)
      error_message = "solution_arn: ${var.solution_arn} is trained with ${data.personalize_solution_version.latest.recipe_arn}, which does not recommend items for users; use a User-Personalization solution."
    }
  }
}

# Warns on every plan and apply while the night's job is not ACTIVE: with
# wait_for_completion = false, until the job has finished. (A job that fails
# while the apply waits fails the apply itself, with the service's reason.)
check "job_finished" {
  assert {
    condition     = personalize_batch_inference_job.nightly.status == "ACTIVE"
    error_message = "Batch inference job ${personalize_batch_inference_job.nightly.job_name} is ${personalize_batch_inference_job.nightly.status}, not ACTIVE: the recommendations under ${local.output_path} are not complete${personalize_batch_inference_job.nightly.failure_reason == null ? "" : " (${personalize_batch_inference_job.nightly.failure_reason})"}."
  }
}
