package emulator

// The API's shapes, named and spelled as in the Personalize service model.
// Pointers tell an absent member from an empty one, as validation needs.

type s3DataConfig struct {
	Path      *string `json:"path,omitempty"`
	KMSKeyArn *string `json:"kmsKeyArn,omitempty"`
}

type batchInferenceJobInput struct {
	S3DataSource *s3DataConfig `json:"s3DataSource,omitempty"`
}

type batchInferenceJobOutput struct {
	S3DataDestination *s3DataConfig `json:"s3DataDestination,omitempty"`
}

type batchInferenceJobConfig struct {
	ItemExplorationConfig map[string]*string     `json:"itemExplorationConfig,omitempty"`
	RankingInfluence      map[string]*jsonDouble `json:"rankingInfluence,omitempty"`
}

type fieldsForThemeGeneration struct {
	ItemName *string `json:"itemName,omitempty"`
}

type themeGenerationConfig struct {
	FieldsForThemeGeneration *fieldsForThemeGeneration `json:"fieldsForThemeGeneration,omitempty"`
}

type tag struct {
	TagKey   *string `json:"tagKey,omitempty"`
	TagValue *string `json:"tagValue,omitempty"`
}

// jobCommon are the members every kind of job has.
type jobCommon struct {
	JobName *string `json:"jobName,omitempty"`
	RoleArn *string `json:"roleArn,omitempty"`
}

// batchJobMembers are the members batch inference and batch segment jobs
// share (BatchSegmentJobInput and BatchSegmentJobOutput have the shapes of
// BatchInferenceJobInput and BatchInferenceJobOutput).
type batchJobMembers struct {
	SolutionVersionArn *string                  `json:"solutionVersionArn,omitempty"`
	FilterArn          *string                  `json:"filterArn,omitempty"`
	NumResults         *int32                   `json:"numResults,omitempty"`
	JobInput           *batchInferenceJobInput  `json:"jobInput,omitempty"`
	JobOutput          *batchInferenceJobOutput `json:"jobOutput,omitempty"`
}

// inferenceJobMembers are batch inference jobs' own members.
type inferenceJobMembers struct {
	BatchInferenceJobConfig *batchInferenceJobConfig `json:"batchInferenceJobConfig,omitempty"`
	BatchInferenceJobMode   *string                  `json:"batchInferenceJobMode,omitempty"`
	ThemeGenerationConfig   *themeGenerationConfig   `json:"themeGenerationConfig,omitempty"`
}

type dataSource struct {
	DataLocation *string `json:"dataLocation,omitempty"`
}

// importJobMembers are dataset import jobs' own members.
type importJobMembers struct {
	DatasetArn                    *string     `json:"datasetArn,omitempty"`
	DataSource                    *dataSource `json:"dataSource,omitempty"`
	ImportMode                    *string     `json:"importMode,omitempty"`
	PublishAttributionMetricsToS3 *bool       `json:"publishAttributionMetricsToS3,omitempty"`
}

// jobRequest is a create request as the job store keeps it, whatever the
// job's kind: defaults filled in, tags kept apart. A kind leaves the members
// of other kinds empty. Embedded members are flattened on the wire and in the
// state file, so the file keeps the layout it had when it held only batch
// inference requests.
type jobRequest struct {
	jobCommon
	batchJobMembers
	inferenceJobMembers
	importJobMembers
}

type createBatchInferenceJobRequest struct {
	jobCommon
	batchJobMembers
	inferenceJobMembers
	Tags []tag `json:"tags,omitempty"`
}

// createBatchSegmentJobRequest has the members a batch segment job shares
// with a batch inference job, and nothing else: members of batch inference
// jobs sent here are unknown members, and ignored.
type createBatchSegmentJobRequest struct {
	jobCommon
	batchJobMembers
	Tags []tag `json:"tags,omitempty"`
}

type createDatasetImportJobRequest struct {
	jobCommon
	importJobMembers
	Tags []tag `json:"tags,omitempty"`
}

type tagResourceRequest struct {
	ResourceArn *string `json:"resourceArn,omitempty"`
	Tags        *[]tag  `json:"tags,omitempty"`
}

type untagResourceRequest struct {
	ResourceArn *string    `json:"resourceArn,omitempty"`
	TagKeys     *[]*string `json:"tagKeys,omitempty"`
}

type wireTag struct {
	TagKey   string `json:"tagKey"`
	TagValue string `json:"tagValue"`
}
