# A solution version is imported by its ARN.
terraform import personalize_solution_version.weekly arn:aws:personalize:us-east-1:123456789012:solution/user-personalization/1a2b3c4d
