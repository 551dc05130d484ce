package emulator

import (
	"net/http"
	"time"
)

func (e *Emulator) jobARN(name string) string {
	return e.resourceARN("batch-inference-job/" + name)
}

func (e *Emulator) createBatchInferenceJob(body []byte) (any, *apiError) {
	var req createBatchInferenceJobRequest
	if err := decodeRequest(body, &req); err != nil {
		return nil, err
	}
	if err := validateCreateShape(&req); err != nil {
		return nil, err
	}
	if err := validateCreateRules(&req, e.cfg.Region); err != nil {
		return nil, err
	}
	if req.NumResults == nil {
		n := int32(defaultNumResults)
		req.NumResults = &n
	}
	if req.BatchInferenceJobMode == nil {
		m := batchInferenceMode
		req.BatchInferenceJobMode = &m
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	svArn := *req.SolutionVersionArn
	recipe, ok := e.solutionVersions[svArn]
	if !ok {
		return nil, errNotFound("solutionVersionArn: no solution version %s exists in %s for account %s; use an ACTIVE solution version's ARN", svArn, e.cfg.Region, e.cfg.AccountID)
	}
	if req.FilterArn != nil && !e.filters[*req.FilterArn] {
		return nil, errNotFound("filterArn: no filter %s exists in %s for account %s", *req.FilterArn, e.cfg.Region, e.cfg.AccountID)
	}
	if err := checkRecipeRules(&req, svArn, recipe); err != nil {
		return nil, err
	}
	name := *req.JobName
	arn := e.jobARN(name)
	if _, exists := e.jobs[arn]; exists {
		return nil, newAPIError(http.StatusBadRequest, "ResourceAlreadyExistsException",
			"jobName %q: a batch inference job with this name already exists (%s); names are unique for ever, so choose another name", name, arn)
	}
	if running := e.runningLocked(); running >= e.maxRunning {
		return nil, newAPIError(http.StatusBadRequest, "LimitExceededException",
			"At most %d batch inference jobs can be PENDING or IN_PROGRESS at once in %s (%d are now); wait for one to finish, then retry", e.maxRunning, e.cfg.Region, running)
	}

	now := e.now()
	d := e.jobDuration
	tags := req.Tags
	req.Tags = nil
	e.nextSeq++
	j := &job{
		Seq:       e.nextSeq,
		Arn:       arn,
		Request:   req,
		Recipe:    recipe,
		CreatedAt: now,
		StartedAt: now.Add(d / 4),
		DueAt:     now.Add(d),
		VisibleAt: now.Add(time.Duration(e.faults.ConsistencyDelayMS) * time.Millisecond),
	}
	e.jobs[arn] = j
	e.order = append(e.order, j)
	if len(tags) > 0 {
		m := map[string]string{}
		for _, t := range tags {
			m[*t.TagKey] = *t.TagValue
		}
		e.tags[arn] = m
	}
	if err := e.persistLocked(); err != nil {
		return nil, errInternal("The job was created but the emulator could not save its state file: %v", err)
	}
	e.wake()
	if e.dropCreateResponseLocked() {
		return nil, errInternalFailure()
	}
	return map[string]string{"batchInferenceJobArn": arn}, nil
}

// checkRecipeRules enforces which recipes support which job features.
func checkRecipeRules(req *createBatchInferenceJobRequest, svArn, recipe string) *apiError {
	info := recipes[recipe]
	if info.family == familyUnsupported {
		return errInvalidInput("solutionVersionArn %s was trained with %s, which cannot make batch recommendations; use a solution version of another recipe", svArn, recipeARN(recipe))
	}
	if *req.BatchInferenceJobMode == themeModeName && recipe != recipeSimilarItems {
		return errInvalidInput("batchInferenceJobMode THEME_GENERATION needs a solution version trained with the Similar-Items recipe (%s); solutionVersionArn %s uses %s", recipeARN(recipeSimilarItems), svArn, recipeARN(recipe))
	}
	if c := req.BatchInferenceJobConfig; c != nil && len(c.ItemExplorationConfig) > 0 && recipe != recipeUserPersonalization {
		return errInvalidInput("batchInferenceJobConfig.itemExplorationConfig is only supported with the User-Personalization recipe (%s); solutionVersionArn %s uses %s, so remove itemExplorationConfig", recipeARN(recipeUserPersonalization), svArn, recipeARN(recipe))
	}
	return nil
}

func (e *Emulator) describeBatchInferenceJob(body []byte) (any, *apiError) {
	var req describeBatchInferenceJobRequest
	if err := decodeRequest(body, &req); err != nil {
		return nil, err
	}
	var v violations
	v.str("batchInferenceJobArn", req.BatchInferenceJobArn, ruleArn)
	if err := v.err(); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	j, ok := e.jobs[*req.BatchInferenceJobArn]
	if !ok || !j.visibleAt(now) {
		return nil, errNotFound("batchInferenceJobArn: no batch inference job %s exists", *req.BatchInferenceJobArn)
	}
	status, updated := j.statusAt(now)
	r := j.Request
	return map[string]any{"batchInferenceJob": batchInferenceJob{
		JobName:                 j.name(),
		BatchInferenceJobArn:    j.Arn,
		FilterArn:               r.FilterArn,
		FailureReason:           j.FailureReason,
		SolutionVersionArn:      *r.SolutionVersionArn,
		NumResults:              r.NumResults,
		JobInput:                r.JobInput,
		JobOutput:               r.JobOutput,
		BatchInferenceJobConfig: r.BatchInferenceJobConfig,
		RoleArn:                 *r.RoleArn,
		BatchInferenceJobMode:   *r.BatchInferenceJobMode,
		ThemeGenerationConfig:   r.ThemeGenerationConfig,
		Status:                  status,
		CreationDateTime:        epochSeconds(j.CreatedAt),
		LastUpdatedDateTime:     epochSeconds(updated),
	}}, nil
}
