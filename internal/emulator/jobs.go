package emulator

import (
	"net/http"
	"time"
)

func (e *Emulator) kindARN(kind jobKind, name string) string {
	return e.resourceARN(kind.resource() + "/" + name)
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
	if req.BatchInferenceJobMode == nil {
		m := batchInferenceMode
		req.BatchInferenceJobMode = &m
	}
	arn, err := e.submitJob(kindInference, req, func(svArn, recipe string) *apiError {
		return checkRecipeRules(&req, svArn, recipe)
	})
	if err != nil {
		return nil, err
	}
	return map[string]string{"batchInferenceJobArn": arn}, nil
}

func (e *Emulator) createBatchSegmentJob(body []byte) (any, *apiError) {
	var seg createBatchSegmentJobRequest
	if err := decodeRequest(body, &seg); err != nil {
		return nil, err
	}
	req := seg.common()
	var v violations
	v.jobShape(&req, maxSegmentUsers)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := checkTagRules("tags", req.Tags); err != nil {
		return nil, err
	}
	arn, err := e.submitJob(kindSegment, req, checkSegmentRecipe)
	if err != nil {
		return nil, err
	}
	return map[string]string{"batchSegmentJobArn": arn}, nil
}

// submitJob is what creating a job of either kind does once the request is
// valid: it checks what it refers to, the name and the quota, then records
// the job on its timeline.
func (e *Emulator) submitJob(kind jobKind, req createBatchInferenceJobRequest, checkRecipe func(svArn, recipe string) *apiError) (string, *apiError) {
	if req.NumResults == nil {
		n := int32(defaultNumResults)
		req.NumResults = &n
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	svArn := *req.SolutionVersionArn
	recipe, err := e.checkSolutionVersionUsable(svArn)
	if err != nil {
		return "", err
	}
	if req.FilterArn != nil && !e.filters[*req.FilterArn] {
		return "", errNotFound("filterArn: no filter %s exists in %s for account %s", *req.FilterArn, e.cfg.Region, e.cfg.AccountID)
	}
	if err := checkRecipe(svArn, recipe); err != nil {
		return "", err
	}
	name := *req.JobName
	arn := e.kindARN(kind, name)
	if _, exists := e.jobs[arn]; exists {
		return "", newAPIError(http.StatusBadRequest, "ResourceAlreadyExistsException",
			"jobName %q: a %s with this name already exists (%s); names are unique for ever, so choose another name", name, kind.noun(), arn)
	}
	if err := e.checkQuotaLocked(kind); err != nil {
		return "", err
	}

	now := e.now()
	d := e.jobDuration
	tags := req.Tags
	req.Tags = nil
	e.nextSeq++
	j := &job{
		Seq:       e.nextSeq,
		Kind:      kind,
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
		return "", errInternal("The job was created but the emulator could not save its state file: %v", err)
	}
	e.wake()
	if e.dropCreateResponseLocked() {
		return "", errInternalFailure()
	}
	return arn, nil
}

// checkQuotaLocked applies the running-jobs quota of the job's kind. The
// developer guide's quotas table lists them apart, per region: "Total number
// of pending or in progress batch inference jobs: 5 (adjustable)" and "Total
// number of pending or in progress batch segment jobs: 5". So segment jobs do
// not take places from inference jobs, nor the other way round.
func (e *Emulator) checkQuotaLocked(kind jobKind) *apiError {
	limit := e.maxRunning
	if kind == kindSegment {
		limit = e.maxRunningSeg
	}
	if running := e.runningLocked(kind); running >= limit {
		return newAPIError(http.StatusBadRequest, "LimitExceededException",
			"At most %d %ss can be PENDING or IN_PROGRESS at once in %s (%d are now); wait for one to finish, then retry", limit, kind.noun(), e.cfg.Region, running)
	}
	return nil
}

// checkRecipeRules enforces which recipes support which job features.
func checkRecipeRules(req *createBatchInferenceJobRequest, svArn, recipe string) *apiError {
	info := recipes[recipe]
	if info.family == familyUnsupported {
		return errInvalidInput("solutionVersionArn %s was trained with %s, which cannot make batch recommendations; use a solution version of another recipe", svArn, recipeARN(recipe))
	}
	if info.family.segments() {
		return errInvalidInput("solutionVersionArn %s was trained with %s, a USER_SEGMENTATION recipe: its solution versions make user segments with CreateBatchSegmentJob, not batch inference jobs", svArn, recipeARN(recipe))
	}
	if *req.BatchInferenceJobMode == themeModeName && recipe != recipeSimilarItems {
		return errInvalidInput("batchInferenceJobMode THEME_GENERATION needs a solution version trained with the Similar-Items recipe (%s); solutionVersionArn %s uses %s", recipeARN(recipeSimilarItems), svArn, recipeARN(recipe))
	}
	if c := req.BatchInferenceJobConfig; c != nil && len(c.ItemExplorationConfig) > 0 && recipe != recipeUserPersonalization {
		return errInvalidInput("batchInferenceJobConfig.itemExplorationConfig is only supported with the User-Personalization recipe (%s); solutionVersionArn %s uses %s, so remove itemExplorationConfig", recipeARN(recipeUserPersonalization), svArn, recipeARN(recipe))
	}
	return nil
}

// checkSegmentRecipe: batch segment jobs need a USER_SEGMENTATION recipe.
func checkSegmentRecipe(svArn, recipe string) *apiError {
	if !recipes[recipe].family.segments() {
		return errInvalidInput("solutionVersionArn %s was trained with %s; batch segment jobs need a solution version of a USER_SEGMENTATION recipe (%s or %s), or use CreateBatchInferenceJob for this one",
			svArn, recipeARN(recipe), recipeARN(recipeItemAffinity), recipeARN(recipeItemAttributeAffinity))
	}
	return nil
}

// findJobLocked is a job of the kind as reads see it now.
func (e *Emulator) findJobLocked(kind jobKind, arn string, member string) (*job, *apiError) {
	j, ok := e.jobs[arn]
	if !ok || j.Kind != kind || !e.visibleLocked(j, e.now()) {
		return nil, errNotFound("%s: no %s %s exists", member, kind.noun(), arn)
	}
	return j, nil
}

// describeJob decodes a Describe request into req, checks the ARN it names
// in member (arn points at it) and answers with what describe makes of that
// job of the kind, its status and its last update as of now. describe runs
// under the lock, since a job's failure reason is set as it finishes.
func (e *Emulator) describeJob(body []byte, req any, arn **string, kind jobKind, member string, describe func(j *job, status string, updated time.Time) any) (any, *apiError) {
	if err := decodeRequest(body, req); err != nil {
		return nil, err
	}
	var v violations
	v.str(member, *arn, ruleArn)
	if err := v.err(); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	j, err := e.findJobLocked(kind, **arn, member)
	if err != nil {
		return nil, err
	}
	status, updated := j.statusAt(e.now())
	return describe(j, status, updated), nil
}

func (e *Emulator) describeBatchInferenceJob(body []byte) (any, *apiError) {
	var req describeBatchInferenceJobRequest
	return e.describeJob(body, &req, &req.BatchInferenceJobArn, kindInference, "batchInferenceJobArn", func(j *job, status string, updated time.Time) any {
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
		}}
	})
}

func (e *Emulator) describeBatchSegmentJob(body []byte) (any, *apiError) {
	var req describeBatchSegmentJobRequest
	return e.describeJob(body, &req, &req.BatchSegmentJobArn, kindSegment, "batchSegmentJobArn", func(j *job, status string, updated time.Time) any {
		r := j.Request
		return map[string]any{"batchSegmentJob": batchSegmentJob{
			JobName:             j.name(),
			BatchSegmentJobArn:  j.Arn,
			FilterArn:           r.FilterArn,
			FailureReason:       j.FailureReason,
			SolutionVersionArn:  *r.SolutionVersionArn,
			NumResults:          r.NumResults,
			JobInput:            r.JobInput,
			JobOutput:           r.JobOutput,
			RoleArn:             *r.RoleArn,
			Status:              status,
			CreationDateTime:    epochSeconds(j.CreatedAt),
			LastUpdatedDateTime: epochSeconds(updated),
		}}
	})
}

func (e *Emulator) listBatchSegmentJobs(body []byte) (any, *apiError) {
	var req listBatchSegmentJobsRequest
	if err := decodeRequest(body, &req); err != nil {
		return nil, err
	}
	page, next, err := e.listJobs(kindSegment, listBatchInferenceJobsRequest(req))
	if err != nil {
		return nil, err
	}
	summaries := make([]batchSegmentJobSummary, len(page))
	for i, s := range page {
		summaries[i] = batchSegmentJobSummary{
			BatchSegmentJobArn:  s.job.Arn,
			JobName:             s.job.name(),
			Status:              s.status,
			CreationDateTime:    epochSeconds(s.job.CreatedAt),
			LastUpdatedDateTime: epochSeconds(s.updated),
			FailureReason:       s.failureReason,
			SolutionVersionArn:  *s.job.Request.SolutionVersionArn,
		}
	}
	out := map[string]any{"batchSegmentJobs": summaries}
	if next != "" {
		out["nextToken"] = next
	}
	return out, nil
}
