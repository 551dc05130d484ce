# One batch inference job against the local Personalize emulator; demo.sh
# starts the emulator and passes its address in var.endpoint.
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

provider "personalize" {
  region     = var.region
  access_key = "demo"
  secret_key = "demo"

  endpoints {
    personalize = var.endpoint
    sts         = var.endpoint
  }

  default_tags {
    tags = {
      managed_by = "terraform"
    }
  }
}

# The model the job runs: the newest version of the solution that finished
# training (the emulator's solution also has an older one and a newer one
# whose training failed).
data "personalize_solution_version" "latest" {
  solution_arn = "arn:aws:personalize:${var.region}:${var.account_id}:solution/demo-user-personalization"
}

resource "personalize_batch_inference_job" "demo" {
  job_name_prefix      = "demo-"
  solution_version_arn = data.personalize_solution_version.latest.solution_version_arn
  role_arn             = "arn:aws:iam::${var.account_id}:role/PersonalizeDemo"
  num_results          = 5

  job_input = {
    s3_data_source = {
      path = "s3://demo-bucket/input/"
    }
  }
  job_output = {
    s3_data_destination = {
      path = "s3://demo-bucket/output/"
    }
  }

  tags = {
    purpose = "demo"
  }
}

output "job_arn" {
  description = "ARN of the batch inference job."
  value       = personalize_batch_inference_job.demo.batch_inference_job_arn
}

output "solution_version_arn" {
  description = "The solution version the job ran: the latest ACTIVE one."
  value       = data.personalize_solution_version.latest.solution_version_arn
}

output "job_status" {
  description = "Status of the job: ACTIVE once it has written its output."
  value       = personalize_batch_inference_job.demo.status
}
