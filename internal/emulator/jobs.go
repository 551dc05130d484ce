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
	req.fillDefaults()
	stored := jobRequest{jobCommon: req.jobCommon, batchJobMembers: req.batchJobMembers, inferenceJobMembers: req.inferenceJobMembers}
	arn, err := e.submitJob(kindInference, stored, req.Tags, func() (string, *apiError) {
		return e.checkBatchRefsLocked(&req.batchJobMembers, func(svArn, recipe string) *apiError {
			return checkRecipeRules(&req, svArn, recipe)
		})
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
	if err := checkTagRules(req.Tags); err != nil {
		return nil, err
	}
	req.fillDefaults()
	stored := jobRequest{jobCommon: req.jobCommon, batchJobMembers: req.batchJobMembers}
	arn, err := e.submitJob(kindSegment, stored, req.Tags, func() (string, *apiError) {
		return e.checkBatchRefsLocked(&req.batchJobMembers, checkSegmentRecipe)
	})
	if err != nil {
		return nil, err
	}
	return map[string]string{"batchSegmentJobArn": arn}, nil
}

func (b *batchJobMembers) fillDefaults() {
	if b.NumResults == nil {
		n := int32(defaultNumResults)
		b.NumResults = &n
	}
}

// checkBatchRefsLocked checks what a batch job refers to: an ACTIVE solution
// version of a recipe that suits the job, and a filter that exists. It
// returns the recipe.
func (e *Emulator) checkBatchRefsLocked(b *batchJobMembers, checkRecipe func(svArn, recipe string) *apiError) (string, *apiError) {
	svArn := *b.SolutionVersionArn
	recipe, err := e.checkSolutionVersionUsable(svArn)
	if err != nil {
		return "", err
	}
	if b.FilterArn != nil && !e.filters[*b.FilterArn] {
		return "", errNotFound("filterArn: no filter %s exists in %s for account %s", *b.FilterArn, e.cfg.Region, e.cfg.AccountID)
	}
	return recipe, checkRecipe(svArn, recipe)
}

// submitJob is what creating a job of any kind does once the request is
// valid: it checks, under the lock, what the job refers to (refs returns
// the recipe a batch job runs with), then the name and the quota, and
// records the job on its kind's timeline.
func (e *Emulator) submitJob(kind jobKind, req jobRequest, tags []tag, refs func() (string, *apiError)) (string, *apiError) {
	e.mu.Lock()
	defer e.mu.Unlock()
	recipe, err := refs()
	if err != nil {
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
	d := kind.spec().duration(e)
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
	return arn, e.createdLocked(arn, tags)
}

// createdLocked finishes a create of any resource once it is recorded: it
// keeps the request's tags, saves the state, and answers as the create's
// response might be lost on the way back.
func (e *Emulator) createdLocked(arn string, tags []tag) *apiError {
	if len(tags) > 0 {
		m := map[string]string{}
		for _, t := range tags {
			m[*t.TagKey] = *t.TagValue
		}
		e.tags[arn] = m
	}
	if err := e.persistLocked(); err != nil {
		return errInternal("%s was created but the emulator could not save its state file: %v", arn, err)
	}
	e.wake()
	if e.dropCreateResponseLocked() {
		return errInternalFailure()
	}
	return nil
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
	arn, err := decodeARN(body, spec.arnMember)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	j, err := e.findJobLocked(spec, arn)
	if err != nil {
		return nil, err
	}
	return map[string]any{spec.jobMember: j.seenAt(e.now()).view(spec, nil)}, nil
}
