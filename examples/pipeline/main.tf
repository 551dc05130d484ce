# The nightly batch pipeline in one apply: load the night's interactions into
# the dataset, train a new solution version on them, stop if the model is not
# good enough, then score every user with it. pipeline.sh runs it against the
# local Personalize emulator; against AWS, set the provider block and the
# ARNs below to yours.
terraform {
  required_providers {
    personalize = {
      source = "tfpersonalize/personalize"
    }
  }
}

variable "endpoint" {
  description = "URL of the Personalize emulator, such as http://127.0.0.1:4599."
  type        = string
}

variable "region" {
  description = "The emulator's region."
  type        = string
  default     = "us-east-1"
}

variable "account_id" {
  description = "The emulator's account ID."
  type        = string
  default     = "123456789012"
}

variable "run_date" {
  description = "The night this run is for, such as 2026-12-06: its interactions are read from s3://pipeline-bucket/interactions/<run_date>/ and its recommendations written to s3://pipeline-bucket/recommendations/<run_date>/."
  type        = string

  validation {
    condition     = can(regex("^\\d{4}-\\d{2}-\\d{2}$", var.run_date))
    error_message = "run_date must be a date such as 2026-12-06."
  }
}

variable "min_ndcg_at_10" {
  description = "The quality gate: the new model's normalized discounted cumulative gain at 10 must reach this for the batch job to run. Set it from your models' history; the emulator's models score from 0.13 to 0.48."
  type        = number
  default     = 0.1
}

provider "personalize" {
  region     = var.region
  access_key = "demo"
  secret_key = "demo"

  endpoints {
    personalize = var.endpoint
    sts         = var.endpoint
  }
}

locals {
  arn_prefix = "arn:aws:personalize:${var.region}:${var.account_id}"
  role_arn   = "arn:aws:iam::${var.account_id}:role/PersonalizePipeline"
}

# 1. Load: a new run_date is a new import (a replacement under a new
# generated name); the same run_date applied again does nothing.
resource "personalize_dataset_import_job" "interactions" {
  job_name_prefix = "interactions-"
  dataset_arn     = "${local.arn_prefix}:dataset/demo/INTERACTIONS"
  role_arn        = local.role_arn

  data_source = {
    data_location = "s3://pipeline-bucket/interactions/${var.run_date}/"
  }
}

# 2. Train: a new model whenever the import is replaced, on the data it
# loaded.
resource "personalize_solution_version" "nightly" {
  name_prefix   = "nightly-"
  solution_arn  = "${local.arn_prefix}:solution/demo-user-personalization"
  training_mode = "FULL"

  depends_on = [personalize_dataset_import_job.interactions]

  lifecycle {
    replace_triggered_by = [personalize_dataset_import_job.interactions]

    # 3. Gate: a model below the bar stops the apply here, before any job
    # scores with it.
    postcondition {
      condition     = self.metrics["normalized_discounted_cumulative_gain_at_10"] >= var.min_ndcg_at_10
      error_message = "The new model's NDCG at 10 is below min_ndcg_at_10, so no batch job ran with it. It stays trained and in the state: apply again with new data (a later run_date) or a lower bar."
    }
  }
}

# 4. Score: every user in s3://pipeline-bucket/users/, with the new model.
resource "personalize_batch_inference_job" "nightly" {
  job_name_prefix      = "nightly-"
  solution_version_arn = personalize_solution_version.nightly.solution_version_arn
  role_arn             = local.role_arn
  num_results          = 10

  job_input = {
    s3_data_source = {
      path = "s3://pipeline-bucket/users/"
    }
  }
  job_output = {
    s3_data_destination = {
      path = "s3://pipeline-bucket/recommendations/${var.run_date}/"
    }
  }
}

output "import_status" {
  description = "Status of the night's import."
  value       = personalize_dataset_import_job.interactions.status
}

output "solution_version_arn" {
  description = "The model trained tonight."
  value       = personalize_solution_version.nightly.solution_version_arn
}

output "ndcg_at_10" {
  description = "The gate's metric for tonight's model."
  value       = personalize_solution_version.nightly.metrics["normalized_discounted_cumulative_gain_at_10"]
}

output "job_status" {
  description = "Status of the batch inference job."
  value       = personalize_batch_inference_job.nightly.status
}

output "recommendations" {
  description = "Where tonight's recommendations are."
  value       = personalize_batch_inference_job.nightly.job_output.s3_data_destination.path
}
