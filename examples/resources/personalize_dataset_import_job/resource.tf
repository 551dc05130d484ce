# Loads the interactions in s3://my-bucket/imports/interactions/ (CSV files
# whose first line names the columns: USER_ID,ITEM_ID,TIMESTAMP,...) into the
# Interactions dataset of the dataset group my-dataset-group.
resource "personalize_dataset_import_job" "interactions" {
  # A name can never be reused, so let each replacement generate a new one.
  job_name_prefix = "interactions-"

  dataset_arn = "arn:aws:personalize:us-east-1:123456789012:dataset/my-dataset-group/INTERACTIONS"
  role_arn    = "arn:aws:iam::123456789012:role/PersonalizeImport"

  data_source = {
    data_location = "s3://my-bucket/imports/interactions/"
  }

  # Add these records to the ones the dataset holds; the default, FULL,
  # replaces them.
  import_mode = "INCREMENTAL"

  tags = {
    pipeline = "nightly"
  }
}
