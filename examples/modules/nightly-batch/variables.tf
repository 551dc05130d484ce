variable "solution_arn" {
  description = "ARN of the User-Personalization solution whose newest ACTIVE version runs the job (a solution, not a solution version)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:personalize:[a-z0-9-]+:[0-9]{12}:solution/[a-zA-Z0-9][a-zA-Z0-9_-]*$", var.solution_arn))
    error_message = "solution_arn must be a solution's ARN, arn:aws:personalize:REGION:ACCOUNT:solution/NAME, without a version at the end: the module runs the newest ACTIVE version itself."
  }
}

variable "role_arn" {
  description = "IAM role Personalize assumes to read input_path and write under output_prefix."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.role_arn))
    error_message = "role_arn must be an IAM role's ARN, arn:aws:iam::ACCOUNT:role/NAME."
  }
}

variable "input_path" {
  description = "S3 file or folder of JSON Lines, one {\"userId\": \"...\"} a line."
  type        = string

  validation {
    condition     = startswith(var.input_path, "s3://")
    error_message = "input_path must be an S3 URI such as s3://bucket/users/."
  }
}

variable "output_prefix" {
  description = "S3 folder under which each run writes its recommendations, in a folder named after run_date."
  type        = string

  validation {
    condition     = startswith(var.output_prefix, "s3://") && endswith(var.output_prefix, "/")
    error_message = "output_prefix must be an S3 folder ending in /, such as s3://bucket/recommendations/."
  }
}

variable "run_date" {
  description = "The night the job is for, as YYYY-MM-DD; a new date runs a new job."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", var.run_date)) && can(formatdate("YYYY", "${var.run_date}T00:00:00Z"))
    error_message = "run_date must be a calendar date as YYYY-MM-DD, such as 2024-06-01."
  }
}

variable "job_name_prefix" {
  description = "Start of every job's name; the run date and a unique suffix follow."
  type        = string
  default     = "nightly-recs-"

  validation {
    # The provider allows 39 characters of prefix; the date takes 9 of them.
    condition     = can(regex("^[a-zA-Z0-9][a-zA-Z0-9_-]{0,29}$", var.job_name_prefix))
    error_message = "job_name_prefix must be 1 to 30 letters, digits, - or _, starting with a letter or digit."
  }
}

variable "num_results" {
  description = "Recommendations per user."
  type        = number
  default     = 25

  validation {
    condition     = var.num_results >= 1 && var.num_results <= 500
    error_message = "num_results must be between 1 and 500."
  }
}

variable "filter_arn" {
  description = "Optional Personalize filter applied to the recommendations."
  type        = string
  default     = null
}

variable "wait_for_completion" {
  description = "Wait until the job is ACTIVE; with false the apply returns once the job is submitted; the job_finished check then warns until it is."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags for the job; the module adds run_date."
  type        = map(string)
  default     = {}
}
