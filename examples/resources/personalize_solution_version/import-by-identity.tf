# Terraform v1.12.0 and later can import a solution version by its resource
# identity, its ARN.
import {
  to = personalize_solution_version.weekly
  identity = {
    solution_version_arn = "arn:aws:personalize:us-east-1:123456789012:solution/user-personalization/1a2b3c4d"
  }
}
