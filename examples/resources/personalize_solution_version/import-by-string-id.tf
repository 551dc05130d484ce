# A solution version is imported by its ARN. With
# `terraform plan -generate-config-out=generated.tf`, Terraform writes its
# configuration too.
import {
  to = personalize_solution_version.weekly
  id = "arn:aws:personalize:us-east-1:123456789012:solution/user-personalization/1a2b3c4d"
}
