package emulator

import (
	"net/http"
	"time"
)

func (e *Emulator) kindARN(kind jobKind, name string) string {
	return e.resourceARN(kind.spec().resource + "/" + name)
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
	stored := jobRequest{jobCommon: req.jobCommon, batchJobMembers: req.batchJobMembers, inferenceJobMembers: req.inferenceJobMembers}
	arn, err := e.submitJob(kindInference, stored, req.Tags, func(svArn, recipe string) *apiError {
		return checkRecipeRules(&req, svArn, recipe)
	})
	if err != nil {
		return nil, err
	}
	return map[string]string{"batchInferenceJobArn": arn}, nil
}

func (e *Emulator) createBatchSegmentJob(body []byte) (any, *apiError) {
	var req createBatchSegmentJobRequest
	if err := decodeRequest(body, &req); err != nil {
		return nil, err
	}
	var v violations
	v.jobShape(&req.jobCommon, &req.batchJobMembers, req.Tags, maxSegmentUsers)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := checkTagRules("tags", req.Tags); err != nil {
		return nil, err
	}
	stored := jobRequest{jobCommon: req.jobCommon, batchJobMembers: req.batchJobMembers}
	arn, err := e.submitJob(kindSegment, stored, req.Tags, checkSegmentRecipe)
	if err != nil {
		return nil, err
	}
	return map[string]string{"batchSegmentJobArn": arn}, nil
}

// submitJob is what creating a job of either kind does once the request is
// valid: it checks what it refers to, the name and the quota, then records
// the job on its timeline.
func (e *Emulator) submitJob(kind jobKind, req jobRequest, tags []tag, checkRecipe func(svArn, recipe string) *apiError) (string, *apiError) {
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
			"jobName %q: a %s with this name already exists (%s); names are unique for ever, so choose another name", name, kind.spec().noun, arn)
	}
	if err := e.checkQuotaLocked(kind); err != nil {
		return "", err
	}

	now := e.now()
	d := e.jobDuration
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
	limit := kind.spec().limit(e)
	if running := e.runningLocked(kind); running >= limit {
		return newAPIError(http.StatusBadRequest, "LimitExceededException",
			"At most %d %ss can be PENDING or IN_PROGRESS at once in %s (%d are now); wait for one to finish, then retry", limit, kind.spec().noun, e.cfg.Region, running)
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
func (e *Emulator) findJobLocked(spec *kindSpec, arn string) (*job, *apiError) {
	j, ok := e.jobs[arn]
	if !ok || j.Kind.spec() != spec || !e.visibleLocked(j, e.now()) {
		return nil, errNotFound("%s: no %s %s exists", spec.arnMember, spec.noun, arn)
	}
	return j, nil
}

// describeJob answers a Describe of the spec's kind with the job it names,
// as of now. The job is seen under the lock, since a job's failure reason is
// set as it finishes.
func (e *Emulator) describeJob(spec *kindSpec, body []byte) (any, *apiError) {
	var arn *string
	if err := decodeMembers(body, map[string]any{spec.arnMember: &arn}); err != nil {
		return nil, err
	}
	var v violations
	v.str(spec.arnMember, arn, ruleArn)
	if err := v.err(); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	j, err := e.findJobLocked(spec, *arn)
	if err != nil {
		return nil, err
	}
	return map[string]any{spec.jobMember: j.seenAt(e.now()).view(spec, nil)}, nil
}
