package emulator

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Solution version statuses, as the service model documents them.
const (
	svCreatePending    = "CREATE PENDING"
	svCreateInProgress = "CREATE IN_PROGRESS"
	svActive           = "ACTIVE"
	svCreateFailed     = "CREATE FAILED"
	svCreateStopping   = "CREATE STOPPING"
	svCreateStopped    = "CREATE STOPPED"
)

var solutionVersionStatuses = []string{svCreatePending, svCreateInProgress, svActive, svCreateFailed, svCreateStopping, svCreateStopped}

// solutionVersionInfo is a trained (or training) model. Fixtures and the
// control API say what exists and in which state, and such a version stays
// in that state until it is replaced; a version CreateSolutionVersion made
// trains on a timeline of its own.
type solutionVersionInfo struct {
	Arn           string    `json:"arn"`
	Recipe        string    `json:"recipe"` // name, such as aws-user-personalization
	Status        string    `json:"status"`
	FailureReason string    `json:"failureReason,omitempty"`
	CreatedAt     time.Time `json:"createdAt"`
	UpdatedAt     time.Time `json:"updatedAt"`
	Seq           int64     `json:"seq"` // tie-breaker for versions created in the same instant
	Name          string    `json:"name,omitempty"`
	TrainingMode  string    `json:"trainingMode,omitempty"` // "" is FULL, as in fixtures and older state files
	// A version being trained is CREATE PENDING until StartsAt, then
	// CREATE IN_PROGRESS until DueAt; a stop sets DueAt to when CREATE
	// STOPPING ends. Both are nil for versions that do not move by themselves.
	StartsAt *time.Time `json:"startsAt,omitempty"`
	DueAt    *time.Time `json:"dueAt,omitempty"`
}

func (sv *solutionVersionInfo) trainingMode() string {
	if sv.TrainingMode == "" {
		return trainingFull
	}
	return sv.TrainingMode
}

// training reports whether the version holds a place in the quota of
// trainings "pending or in progress".
func (sv *solutionVersionInfo) training() bool {
	return sv.Status == svCreatePending || sv.Status == svCreateInProgress
}

// SolutionVersionSpec describes a solution version to make known.
type SolutionVersionSpec struct {
	Arn    string // arn:<partition>:personalize:<region>:<account>:solution/<name>/<id>
	Recipe string // a recipe ARN or its name, such as aws-user-personalization
	// Status defaults to ACTIVE; any status the service documents is accepted.
	Status        string
	FailureReason string    // reported when Status is CREATE FAILED
	CreatedAt     time.Time // defaults to now
}

// PutSolutionVersion makes a solution version known or replaces one, so a
// test can, for example, add a version IN_PROGRESS and later make it ACTIVE.
func (e *Emulator) PutSolutionVersion(spec SolutionVersionSpec) error {
	if !patterns[patArn].MatchString(spec.Arn) || len(spec.Arn) > 256 {
		return fmt.Errorf("solution version ARN %q: must match %s and be at most 256 characters", spec.Arn, patArn)
	}
	name, err := normalizeRecipe(spec.Recipe)
	if err != nil {
		return err
	}
	status := spec.Status
	if status == "" {
		status = svActive
	}
	if !slices.Contains(solutionVersionStatuses, status) {
		return fmt.Errorf("solution version status %q: must be one of %s", status, strings.Join(solutionVersionStatuses, ", "))
	}
	if spec.FailureReason != "" && status != svCreateFailed {
		return fmt.Errorf("failure reason %q: only a CREATE FAILED solution version has one (status is %s)", spec.FailureReason, status)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	created := spec.CreatedAt
	if created.IsZero() {
		created = e.now()
	}
	updated := e.now()
	if created.After(updated) {
		updated = created
	}
	e.nextVersionSeq++
	sv := &solutionVersionInfo{
		Arn: spec.Arn, Recipe: name, Status: status, FailureReason: spec.FailureReason,
		CreatedAt: created.UTC(), UpdatedAt: updated.UTC(), Seq: e.nextVersionSeq,
	}
	if status == svCreateFailed && sv.FailureReason == "" {
		sv.FailureReason = "Training failed: the emulated dataset group has too few interactions"
	}
	e.solutionVersions[spec.Arn] = sv
	e.addedVersions[spec.Arn] = true
	return e.persistLocked()
}

// solutionARN derives a solution's ARN from one of its versions' ARNs:
// …:solution/<name>/<versionId> belongs to …:solution/<name>.
func solutionARN(versionARN string) string {
	i := strings.LastIndex(versionARN, ":solution/")
	if i < 0 {
		return ""
	}
	rest := versionARN[i+len(":solution/"):]
	name, _, ok := strings.Cut(rest, "/")
	if !ok || name == "" {
		return ""
	}
	return versionARN[:i] + ":solution/" + name
}

// fixtureTime places fixtures at fixed instants, so listings are repeatable.
func fixtureTime(month time.Month, day int) time.Time {
	return time.Date(2025, month, day, 9, 30, 0, 0, time.UTC)
}

// fixtureSolutionVersions are present in every emulator, in its own region and
// account, so examples and tests have something to run jobs against. The
// User-Personalization solution has three versions, so that its newest
// version (which failed) is not its newest ACTIVE one.
func (e *Emulator) fixtureSolutionVersions() map[string]*solutionVersionInfo {
	type fixture struct {
		resource, recipe, status string
		created                  time.Time
	}
	fixtures := []fixture{
		{"solution/demo-user-personalization/0a9b8c7d", "aws-user-personalization", svActive, fixtureTime(time.January, 6)},
		{"solution/demo-user-personalization/1a2b3c4d", "aws-user-personalization", svActive, fixtureTime(time.February, 3)},
		{"solution/demo-user-personalization/2e3f4a5b", "aws-user-personalization", svCreateFailed, fixtureTime(time.March, 3)},
		{"solution/demo-similar-items/5e6f7a8b", "aws-similar-items", svActive, fixtureTime(time.January, 20)},
		{"solution/demo-personalized-ranking/9c0d1e2f", "aws-personalized-ranking", svActive, fixtureTime(time.January, 27)},
		{"solution/demo-item-affinity/3c4d5e6f", "aws-item-affinity", svActive, fixtureTime(time.February, 10)},
		{"solution/demo-item-attribute-affinity/7a8b9c0d", "aws-item-attribute-affinity", svActive, fixtureTime(time.February, 17)},
	}
	out := make(map[string]*solutionVersionInfo, len(fixtures))
	for i, f := range fixtures {
		arn := e.resourceARN(f.resource)
		sv := &solutionVersionInfo{Arn: arn, Recipe: f.recipe, Status: f.status, CreatedAt: f.created, Seq: int64(i + 1)}
		// Training takes hours; a failed one gives up sooner.
		sv.UpdatedAt = f.created.Add(3*time.Hour + 20*time.Minute)
		if f.status == svCreateFailed {
			sv.UpdatedAt = f.created.Add(47 * time.Minute)
			sv.FailureReason = "Training failed: the Interactions dataset has fewer than 1000 interactions after filtering"
		}
		out[arn] = sv
	}
	return out
}

// solutionVersion is DescribeSolutionVersion's view of a version.
type solutionVersion struct {
	Name                string       `json:"name,omitempty"`
	SolutionVersionArn  string       `json:"solutionVersionArn"`
	SolutionArn         string       `json:"solutionArn,omitempty"`
	PerformHPO          bool         `json:"performHPO"`
	PerformAutoML       bool         `json:"performAutoML"`
	RecipeArn           string       `json:"recipeArn"`
	DatasetGroupArn     string       `json:"datasetGroupArn"`
	TrainingHours       *float64     `json:"trainingHours,omitempty"`
	TrainingMode        string       `json:"trainingMode"`
	TrainingType        string       `json:"trainingType"`
	Status              string       `json:"status"`
	FailureReason       string       `json:"failureReason,omitempty"`
	CreationDateTime    epochSeconds `json:"creationDateTime"`
	LastUpdatedDateTime epochSeconds `json:"lastUpdatedDateTime"`
}

// solutionVersionSummary is ListSolutionVersions' view of a version.
type solutionVersionSummary struct {
	SolutionVersionArn  string       `json:"solutionVersionArn"`
	Status              string       `json:"status"`
	TrainingMode        string       `json:"trainingMode"`
	TrainingType        string       `json:"trainingType"`
	CreationDateTime    epochSeconds `json:"creationDateTime"`
	LastUpdatedDateTime epochSeconds `json:"lastUpdatedDateTime"`
	FailureReason       string       `json:"failureReason,omitempty"`
}

func (e *Emulator) describeSolutionVersion(body []byte) (any, *apiError) {
	e.mu.Lock()
	defer e.mu.Unlock()
	sv, err := e.findSolutionVersion(body)
	if err != nil {
		return nil, err
	}
	out := solutionVersion{
		Name:                sv.Name,
		SolutionVersionArn:  sv.Arn,
		SolutionArn:         solutionARN(sv.Arn),
		RecipeArn:           recipeARN(sv.Recipe),
		DatasetGroupArn:     e.resourceARN("dataset-group/" + fixtureDatasetGroup),
		TrainingMode:        sv.trainingMode(),
		TrainingType:        "MANUAL",
		Status:              sv.Status,
		FailureReason:       sv.FailureReason,
		CreationDateTime:    epochSeconds(sv.CreatedAt),
		LastUpdatedDateTime: epochSeconds(sv.UpdatedAt),
	}
	if sv.Status == svActive { // the service reports training hours only for a trained model
		h := sigDigits(sv.UpdatedAt.Sub(sv.CreatedAt).Hours(), 4)
		out.TrainingHours = &h
	}
	return map[string]any{"solutionVersion": out}, nil
}

// listSolutionVersions answers newest first (by creationDateTime), as the
// service does in practice; the API reference does not promise an order.
func (e *Emulator) listSolutionVersions(body []byte) (any, *apiError) {
	req, apiErr := decodeListRequest(body, "solutionArn")
	if apiErr != nil {
		return nil, apiErr
	}
	filter := req.filter

	e.mu.Lock()
	defer e.mu.Unlock()
	versions := make([]*solutionVersionInfo, 0, len(e.solutionVersions))
	for _, sv := range e.solutionVersions {
		if filter == "" || solutionARN(sv.Arn) == filter {
			versions = append(versions, sv)
		}
	}
	if filter != "" && len(versions) == 0 {
		return nil, errNotFound("solutionArn: no solution %s exists in %s for account %s", filter, e.cfg.Region, e.cfg.AccountID)
	}
	slices.SortFunc(versions, func(a, b *solutionVersionInfo) int { return strings.Compare(versionKey(b), versionKey(a)) })
	page, next, apiErr := pageAfter(e, listingSolutionVersions, "solutionArn", req, versions, versionKey)
	if apiErr != nil {
		return nil, apiErr
	}
	summaries := make([]solutionVersionSummary, len(page))
	for i, sv := range page {
		summaries[i] = solutionVersionSummary{
			SolutionVersionArn:  sv.Arn,
			Status:              sv.Status,
			TrainingMode:        sv.trainingMode(),
			TrainingType:        "MANUAL",
			CreationDateTime:    epochSeconds(sv.CreatedAt),
			LastUpdatedDateTime: epochSeconds(sv.UpdatedAt),
			FailureReason:       sv.FailureReason,
		}
	}
	return listAnswer("solutionVersions", summaries, next), nil
}

// versionKey orders versions by creation time, then by when they were added;
// it sorts as text, so that a next token can carry it.
func versionKey(sv *solutionVersionInfo) string {
	return fmt.Sprintf("%020d.%012d", sv.CreatedAt.UnixNano(), sv.Seq)
}

// checkSolutionVersionUsable finds a solution version a job may run on: it
// must exist and be ACTIVE. A version still training is in use (the service's
// ResourceInUseException); one that failed or stopped never will be usable.
func (e *Emulator) checkSolutionVersionUsable(svArn string) (string, *apiError) {
	sv, ok := e.solutionVersions[svArn]
	if !ok {
		return "", errNotFound("solutionVersionArn: no solution version %s exists in %s for account %s; use an ACTIVE solution version's ARN", svArn, e.cfg.Region, e.cfg.AccountID)
	}
	switch sv.Status {
	case svActive:
		return sv.Recipe, nil
	case svCreatePending, svCreateInProgress, svCreateStopping:
		return "", newAPIError(http.StatusBadRequest, "ResourceInUseException",
			"solutionVersionArn %s is %s; wait until it is ACTIVE, or use another ACTIVE solution version", svArn, sv.Status)
	}
	return "", errInvalidInput("solutionVersionArn %s is %s and can never be used; use an ACTIVE solution version", svArn, sv.Status)
}
