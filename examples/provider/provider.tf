terraform {
  required_providers {
    personalize = {
      source = "tfpersonalize/personalize"
    }
  }
}

# Credentials come from the environment, a profile or an assumed role, exactly
# as for provider "aws".
provider "personalize" {
  region = "us-east-1"

  # assume_role {
  #   role_arn = "arn:aws:iam::123456789012:role/personalize-batch"
  # }

  default_tags {
    tags = {
      team       = "recommendations"
      managed_by = "terraform"
    }
  }

  # To run against the local emulator (make emulator) instead of AWS:
  # access_key                  = "test"
  # secret_key                  = "test"
  # skip_credentials_validation = true
  # skip_requesting_account_id  = true
  #
  # endpoints {
  #   personalize = "http://127.0.0.1:4599"
  # }
}
