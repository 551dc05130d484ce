package emulator

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Training modes, as the service model spells them.
const (
	trainingFull      = "FULL"
	trainingUpdate    = "UPDATE"
	trainingAutoTrain = "AUTOTRAIN"
)

var trainingModes = []string{trainingFull, trainingUpdate, trainingAutoTrain}

// updateRecipes are the recipes whose solutions may be trained with UPDATE:
// "the input solution was trained with the User-Personalization recipe or the
// legacy HRNN-Coldstart recipe" (CreateSolutionVersion, trainingMode).
var updateRecipes = []string{"aws-user-personalization", "aws-hrnn-coldstart"}

type createSolutionVersionRequest struct {
	Name         *string `json:"name,omitempty"`
	SolutionArn  *string `json:"solutionArn,omitempty"`
	TrainingMode *string `json:"trainingMode,omitempty"`
	Tags         []tag   `json:"tags,omitempty"`
}

var ruleOptName = strRule{min: 1, max: 63, pattern: patName}

// createSolutionVersion trains a new version of a solution the emulator
// knows: a solution is known by its versions, so every fixture's solution
// (and that of any version added through the control API) can be trained,
// with the recipe its versions have.
func (e *Emulator) createSolutionVersion(body []byte) (any, *apiError) {
	var req createSolutionVersionRequest
	if err := decodeRequest(body, &req); err != nil {
		return nil, err
	}
	var v violations
	v.str("name", req.Name, ruleOptName)
	v.str("solutionArn", req.SolutionArn, ruleArn)
	v.enum("trainingMode", req.TrainingMode, trainingModes)
	v.tags(req.Tags)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := checkTagRules(req.Tags); err != nil {
		return nil, err
	}
	mode := trainingFull
	if req.TrainingMode != nil {
		mode = *req.TrainingMode
	}
	solution := *req.SolutionArn

	e.mu.Lock()
	defer e.mu.Unlock()
	var versions []*solutionVersionInfo
	for _, sv := range e.solutionVersions {
		if solutionARN(sv.Arn) == solution {
			versions = append(versions, sv)
		}
	}
	if len(versions) == 0 {
		return nil, errNotFound("solutionArn: no solution %s exists in %s for account %s", solution, e.cfg.Region, e.cfg.AccountID)
	}
	slices.SortFunc(versions, func(a, b *solutionVersionInfo) int { return strings.Compare(versionKey(b), versionKey(a)) })
	recipe := versions[0].Recipe
	if i := slices.IndexFunc(versions, func(sv *solutionVersionInfo) bool { return sv.training() || sv.Status == svCreateStopping }); i >= 0 {
		return nil, newAPIError(http.StatusBadRequest, "ResourceInUseException",
			"solutionArn %s: its version %s is %s, and a solution trains one version at a time; wait for it to finish, or stop it with StopSolutionVersionCreation", solution, versions[i].Arn, versions[i].Status)
	}
	switch mode {
	case trainingAutoTrain:
		return nil, errInvalidInput("trainingMode AUTOTRAIN: only versions Personalize creates by itself for a solution with automatic training use this mode; use FULL (the default) or UPDATE")
	case trainingUpdate:
		if !slices.Contains(updateRecipes, recipe) {
			return nil, errInvalidInput("trainingMode UPDATE: solution %s uses %s, and only solutions of %s can be updated; use trainingMode FULL", solution, recipeARN(recipe), strings.Join(updateRecipes, " or "))
		}
		if !slices.ContainsFunc(versions, func(sv *solutionVersionInfo) bool { return sv.Status == svActive && sv.trainingMode() == trainingFull }) {
			return nil, errInvalidInput("trainingMode UPDATE: solution %s has no ACTIVE version trained with FULL, which an UPDATE builds on; train one with trainingMode FULL first", solution)
		}
	}
	training := 0
	for _, sv := range e.solutionVersions {
		if sv.training() {
			training++
		}
	}
	if training >= e.maxRunningTrainings {
		return nil, newAPIError(http.StatusBadRequest, "LimitExceededException",
			"At most %d solution versions can be CREATE PENDING or CREATE IN_PROGRESS at once in %s (%d are now); wait for one to finish, then retry", e.maxRunningTrainings, e.cfg.Region, training)
	}

	now := e.now().UTC()
	e.nextVersionSeq++
	arn := e.newVersionARNLocked(solution, now)
	starts, due := now.Add(e.trainingDuration/4), now.Add(e.trainingDuration)
	sv := &solutionVersionInfo{
		Arn: arn, Recipe: recipe, Status: svCreatePending, CreatedAt: now, UpdatedAt: now, Seq: e.nextVersionSeq,
		TrainingMode: mode, StartsAt: &starts, DueAt: &due,
	}
	if req.Name != nil {
		sv.Name = *req.Name
	}
	e.solutionVersions[arn] = sv
	e.addedVersions[arn] = true
	if err := e.createdLocked(arn, req.Tags); err != nil {
		return nil, err
	}
	return map[string]string{"solutionVersionArn": arn}, nil
}

// newVersionARNLocked names a new version as the service does: the
// solution's ARN and eight hex digits.
func (e *Emulator) newVersionARNLocked(solution string, now time.Time) string {
	for salt := uint64(0); ; salt++ {
		var b [24]byte
		binary.BigEndian.PutUint64(b[:8], uint64(e.nextVersionSeq))
		binary.BigEndian.PutUint64(b[8:16], uint64(now.UnixNano()))
		binary.BigEndian.PutUint64(b[16:], salt)
		sum := sha256.Sum256(append([]byte(solution), b[:]...))
		arn := solution + "/" + hex.EncodeToString(sum[:4])
		if _, taken := e.solutionVersions[arn]; !taken {
			return arn
		}
	}
}

// findSolutionVersion reads a request that names a solution version and
// finds the version; the caller holds the lock.
func (e *Emulator) findSolutionVersion(body []byte) (*solutionVersionInfo, *apiError) {
	arn, err := decodeARN(body, "solutionVersionArn")
	if err != nil {
		return nil, err
	}
	sv, ok := e.solutionVersions[arn]
	if !ok {
		return nil, errNotFound("solutionVersionArn: no solution version %s exists in %s for account %s", arn, e.cfg.Region, e.cfg.AccountID)
	}
	return sv, nil
}

// stopSolutionVersionCreation stops a training as the API reference says:
// CREATE PENDING becomes CREATE STOPPED at once; CREATE IN_PROGRESS becomes
// CREATE STOPPING, then CREATE STOPPED a tenth of the training duration later.
func (e *Emulator) stopSolutionVersionCreation(body []byte) (any, *apiError) {
	e.mu.Lock()
	defer e.mu.Unlock()
	sv, err := e.findSolutionVersion(body)
	if err != nil {
		return nil, err
	}
	now := e.now().UTC()
	switch sv.Status {
	case svCreatePending:
		sv.Status, sv.UpdatedAt, sv.StartsAt, sv.DueAt = svCreateStopped, now, &now, &now
	case svCreateInProgress:
		due := now.Add(e.trainingDuration / 10)
		if sv.StartsAt == nil {
			sv.StartsAt = &now
		}
		sv.Status, sv.UpdatedAt, sv.DueAt = svCreateStopping, now, &due
	case svCreateStopping:
		return nil, newAPIError(http.StatusBadRequest, "ResourceInUseException",
			"solutionVersionArn %s is already CREATE STOPPING; it becomes CREATE STOPPED by itself", sv.Arn)
	default:
		return nil, errInvalidInput("solutionVersionArn %s is %s; only a version CREATE PENDING or CREATE IN_PROGRESS can be stopped", sv.Arn, sv.Status)
	}
	if err := e.persistLocked(); err != nil {
		return nil, errInternal("The emulator could not save its state file: %v", err)
	}
	e.wake()
	return struct{}{}, nil
}

// settleTrainingsLocked moves every training version along its timeline to
// where it is at now, and reports whether any moved.
func (e *Emulator) settleTrainingsLocked(now time.Time) bool {
	moved := false
	for _, sv := range e.solutionVersions {
		if sv.DueAt == nil {
			continue
		}
		if sv.Status == svCreatePending && !now.Before(*sv.StartsAt) {
			sv.Status, sv.UpdatedAt, moved = svCreateInProgress, *sv.StartsAt, true
		}
		if !now.Before(*sv.DueAt) {
			switch sv.Status {
			case svCreateInProgress:
				sv.Status, sv.UpdatedAt, moved = svActive, *sv.DueAt, true
			case svCreateStopping:
				sv.Status, sv.UpdatedAt, moved = svCreateStopped, *sv.DueAt, true
			}
		}
	}
	return moved
}

// nextTrainingStepLocked is the time until the next training version moves,
// or max if none will.
func (e *Emulator) nextTrainingStepLocked(now time.Time, wait time.Duration) time.Duration {
	for _, sv := range e.solutionVersions {
		switch {
		case sv.DueAt == nil:
		case sv.Status == svCreatePending:
			wait = min(wait, sv.StartsAt.Sub(now))
		case sv.Status == svCreateInProgress || sv.Status == svCreateStopping:
			wait = min(wait, sv.DueAt.Sub(now))
		}
	}
	return wait
}

// Metrics GetSolutionMetrics reports, as the service names them.
var metricNames = []string{
	"coverage",
	"mean_reciprocal_rank_at_25",
	"normalized_discounted_cumulative_gain_at_5",
	"normalized_discounted_cumulative_gain_at_10",
	"normalized_discounted_cumulative_gain_at_25",
	"precision_at_5",
	"precision_at_10",
	"precision_at_25",
}

// getSolutionMetrics answers for an ACTIVE version with metrics drawn from a
// hash of its ARN, so that they never change, shaped as real ones are: NDCG
// grows with k, precision falls with k, all within [0, 1].
func (e *Emulator) getSolutionMetrics(body []byte) (any, *apiError) {
	e.mu.Lock()
	defer e.mu.Unlock()
	sv, err := e.findSolutionVersion(body)
	if err != nil {
		return nil, err
	}
	if _, err := e.checkSolutionVersionUsable(sv.Arn); err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte("metrics\x00" + sv.Arn))
	u := func(i int) float64 { return float64(binary.BigEndian.Uint16(sum[2*i:])) / 65535 }
	ndcg := 0.12 + 0.3*u(0)
	precision := 0.04 + 0.12*u(1)
	values := []float64{
		0.08 + 0.5*u(2),
		ndcg * (0.9 + 0.2*u(3)),
		ndcg,
		ndcg * (1.08 + 0.06*u(4)),
		ndcg * (1.2 + 0.1*u(5)),
		precision,
		precision * (0.78 + 0.08*u(6)),
		precision * (0.55 + 0.1*u(7)),
	}
	metrics := make(map[string]float64, len(metricNames))
	for i, name := range metricNames {
		metrics[name] = sigDigits(min(values[i], 1), 4)
	}
	return map[string]any{"solutionVersionArn": sv.Arn, "metrics": metrics}, nil
}
