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

type createBatchInferenceJobRequest struct {
	JobName                 *string                  `json:"jobName,omitempty"`
	SolutionVersionArn      *string                  `json:"solutionVersionArn,omitempty"`
	FilterArn               *string                  `json:"filterArn,omitempty"`
	NumResults              *int32                   `json:"numResults,omitempty"`
	JobInput                *batchInferenceJobInput  `json:"jobInput,omitempty"`
	JobOutput               *batchInferenceJobOutput `json:"jobOutput,omitempty"`
	RoleArn                 *string                  `json:"roleArn,omitempty"`
	BatchInferenceJobConfig *batchInferenceJobConfig `json:"batchInferenceJobConfig,omitempty"`
	Tags                    []tag                    `json:"tags,omitempty"`
	BatchInferenceJobMode   *string                  `json:"batchInferenceJobMode,omitempty"`
	ThemeGenerationConfig   *themeGenerationConfig   `json:"themeGenerationConfig,omitempty"`
}

type describeBatchInferenceJobRequest struct {
	BatchInferenceJobArn *string `json:"batchInferenceJobArn,omitempty"`
}

type listBatchInferenceJobsRequest struct {
	SolutionVersionArn *string `json:"solutionVersionArn,omitempty"`
	NextToken          *string `json:"nextToken,omitempty"`
	MaxResults         *int32  `json:"maxResults,omitempty"`
}

type tagResourceRequest struct {
	ResourceArn *string `json:"resourceArn,omitempty"`
	Tags        *[]tag  `json:"tags,omitempty"`
}

type untagResourceRequest struct {
	ResourceArn *string    `json:"resourceArn,omitempty"`
	TagKeys     *[]*string `json:"tagKeys,omitempty"`
}

type listTagsForResourceRequest struct {
	ResourceArn *string `json:"resourceArn,omitempty"`
}

// batchInferenceJob is DescribeBatchInferenceJob's view of a job.
type batchInferenceJob struct {
	JobName                 string                   `json:"jobName"`
	BatchInferenceJobArn    string                   `json:"batchInferenceJobArn"`
	FilterArn               *string                  `json:"filterArn,omitempty"`
	FailureReason           string                   `json:"failureReason,omitempty"`
	SolutionVersionArn      string                   `json:"solutionVersionArn"`
	NumResults              *int32                   `json:"numResults,omitempty"`
	JobInput                *batchInferenceJobInput  `json:"jobInput,omitempty"`
	JobOutput               *batchInferenceJobOutput `json:"jobOutput,omitempty"`
	BatchInferenceJobConfig *batchInferenceJobConfig `json:"batchInferenceJobConfig,omitempty"`
	RoleArn                 string                   `json:"roleArn"`
	BatchInferenceJobMode   string                   `json:"batchInferenceJobMode,omitempty"`
	ThemeGenerationConfig   *themeGenerationConfig   `json:"themeGenerationConfig,omitempty"`
	Status                  string                   `json:"status"`
	CreationDateTime        epochSeconds             `json:"creationDateTime"`
	LastUpdatedDateTime     epochSeconds             `json:"lastUpdatedDateTime"`
}

// batchInferenceJobSummary is ListBatchInferenceJobs' view of a job.
type batchInferenceJobSummary struct {
	BatchInferenceJobArn  string       `json:"batchInferenceJobArn"`
	JobName               string       `json:"jobName"`
	Status                string       `json:"status"`
	CreationDateTime      epochSeconds `json:"creationDateTime"`
	LastUpdatedDateTime   epochSeconds `json:"lastUpdatedDateTime"`
	FailureReason         string       `json:"failureReason,omitempty"`
	SolutionVersionArn    string       `json:"solutionVersionArn"`
	BatchInferenceJobMode string       `json:"batchInferenceJobMode,omitempty"`
}

type wireTag struct {
	TagKey   string `json:"tagKey"`
	TagValue string `json:"tagValue"`
}

// createBatchSegmentJobRequest has the members a batch segment job shares
// with a batch inference job, and nothing else: members of batch inference
// jobs sent here are unknown members, and ignored.
type createBatchSegmentJobRequest struct {
	JobName            *string                  `json:"jobName,omitempty"`
	SolutionVersionArn *string                  `json:"solutionVersionArn,omitempty"`
	FilterArn          *string                  `json:"filterArn,omitempty"`
	NumResults         *int32                   `json:"numResults,omitempty"`
	JobInput           *batchInferenceJobInput  `json:"jobInput,omitempty"`  // BatchSegmentJobInput: the same shape
	JobOutput          *batchInferenceJobOutput `json:"jobOutput,omitempty"` // BatchSegmentJobOutput: the same shape
	RoleArn            *string                  `json:"roleArn,omitempty"`
	Tags               []tag                    `json:"tags,omitempty"`
}

// common is the request as the job store keeps every job.
func (r createBatchSegmentJobRequest) common() createBatchInferenceJobRequest {
	return createBatchInferenceJobRequest{
		JobName: r.JobName, SolutionVersionArn: r.SolutionVersionArn, FilterArn: r.FilterArn,
		NumResults: r.NumResults, JobInput: r.JobInput, JobOutput: r.JobOutput, RoleArn: r.RoleArn, Tags: r.Tags,
	}
}

type describeBatchSegmentJobRequest struct {
	BatchSegmentJobArn *string `json:"batchSegmentJobArn,omitempty"`
}

// listBatchSegmentJobsRequest has ListBatchInferenceJobs' members.
type listBatchSegmentJobsRequest listBatchInferenceJobsRequest

// batchSegmentJob is DescribeBatchSegmentJob's view of a job.
type batchSegmentJob struct {
	JobName             string                   `json:"jobName"`
	BatchSegmentJobArn  string                   `json:"batchSegmentJobArn"`
	FilterArn           *string                  `json:"filterArn,omitempty"`
	FailureReason       string                   `json:"failureReason,omitempty"`
	SolutionVersionArn  string                   `json:"solutionVersionArn"`
	NumResults          *int32                   `json:"numResults,omitempty"`
	JobInput            *batchInferenceJobInput  `json:"jobInput,omitempty"`
	JobOutput           *batchInferenceJobOutput `json:"jobOutput,omitempty"`
	RoleArn             string                   `json:"roleArn"`
	Status              string                   `json:"status"`
	CreationDateTime    epochSeconds             `json:"creationDateTime"`
	LastUpdatedDateTime epochSeconds             `json:"lastUpdatedDateTime"`
}

// batchSegmentJobSummary is ListBatchSegmentJobs' view of a job.
type batchSegmentJobSummary struct {
	BatchSegmentJobArn  string       `json:"batchSegmentJobArn"`
	JobName             string       `json:"jobName"`
	Status              string       `json:"status"`
	CreationDateTime    epochSeconds `json:"creationDateTime"`
	LastUpdatedDateTime epochSeconds `json:"lastUpdatedDateTime"`
	FailureReason       string       `json:"failureReason,omitempty"`
	SolutionVersionArn  string       `json:"solutionVersionArn"`
}
