package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

const maxControlBody = 64 << 10

// settings is the run-time configuration the control API can change.
type settings struct {
	JobDurationMS         *int64 `json:"job_duration_ms,omitempty"`
	MaxRunningJobs        *int64 `json:"max_running_jobs,omitempty"`
	MaxRunningSegmentJobs *int64 `json:"max_running_segment_jobs,omitempty"`
	ImportDurationMS      *int64 `json:"import_duration_ms,omitempty"`
	MaxRunningImportJobs  *int64 `json:"max_running_import_jobs,omitempty"`
	TrainingDurationMS    *int64 `json:"training_duration_ms,omitempty"`
	MaxRunningTrainings   *int64 `json:"max_running_trainings,omitempty"`
}

// settingChange is one setting of a POST settings: its name, the value
// asked for (nil: unchanged) and how it is applied.
type settingChange struct {
	name  string
	value *int64
	apply func(int64)
}

func (e *Emulator) settingChanges(s *settings) []settingChange {
	ms := func(set func(time.Duration)) func(int64) {
		return func(v int64) { set(time.Duration(v) * time.Millisecond) }
	}
	count := func(set func(int)) func(int64) { return func(v int64) { set(int(v)) } }
	return []settingChange{
		{"job_duration_ms", s.JobDurationMS, ms(e.SetJobDuration)},
		{"max_running_jobs", s.MaxRunningJobs, count(e.SetMaxRunningJobs)},
		{"max_running_segment_jobs", s.MaxRunningSegmentJobs, count(e.SetMaxRunningSegmentJobs)},
		{"import_duration_ms", s.ImportDurationMS, ms(e.SetImportDuration)},
		{"max_running_import_jobs", s.MaxRunningImportJobs, count(e.SetMaxRunningImportJobs)},
		{"training_duration_ms", s.TrainingDurationMS, ms(e.SetTrainingDuration)},
		{"max_running_trainings", s.MaxRunningTrainings, count(e.SetMaxRunningTrainings)},
	}
}

// controlSolutionVersion is a solution version as the control API takes and
// shows it. Only arn and recipe are required.
type controlSolutionVersion struct {
	Arn              string     `json:"arn"`
	Recipe           string     `json:"recipe"`
	Status           string     `json:"status,omitempty"`             // default ACTIVE
	CreationDateTime *time.Time `json:"creation_date_time,omitempty"` // RFC 3339; default now
	FailureReason    string     `json:"failure_reason,omitempty"`
}

// serveControl is the emulator's own API: plain JSON, never signed, never
// counted and never faulted, so tests can steer the emulator reliably.
func (e *Emulator) serveControl(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/_emulator"), "/")
	route := r.Method + " " + path
	switch route {
	case "GET /health":
		writeControl(w, http.StatusOK, map[string]string{"status": "ok", "region": e.cfg.Region, "accountId": e.cfg.AccountID})
	case "GET /stats":
		writeControl(w, http.StatusOK, e.Stats())
	case "GET /faults":
		e.mu.Lock()
		f := e.faults
		e.mu.Unlock()
		writeControl(w, http.StatusOK, f)
	case "POST /faults":
		var f Faults
		if !readControl(w, r, &f) {
			return
		}
		if err := f.Validate(); err != nil {
			controlError(w, http.StatusBadRequest, err.Error())
			return
		}
		e.SetFaults(f)
		writeControl(w, http.StatusOK, f)
	case "GET /settings":
		writeControl(w, http.StatusOK, e.currentSettings())
	case "POST /settings":
		var s settings
		if !readControl(w, r, &s) {
			return
		}
		changes := e.settingChanges(&s)
		for _, c := range changes {
			if c.value != nil && *c.value < 0 {
				controlError(w, http.StatusBadRequest, fmt.Sprintf("%s %d: must not be negative", c.name, *c.value))
				return
			}
		}
		for _, c := range changes {
			if c.value != nil {
				c.apply(*c.value)
			}
		}
		writeControl(w, http.StatusOK, e.currentSettings())
	case "GET /solution-versions":
		e.mu.Lock()
		out := []controlSolutionVersion{}
		for _, arn := range sortedKeys(e.solutionVersions) {
			out = append(out, e.solutionVersions[arn].control())
		}
		e.mu.Unlock()
		writeControl(w, http.StatusOK, map[string]any{"solution_versions": out})
	case "POST /solution-versions":
		var sv controlSolutionVersion
		if !readControl(w, r, &sv) {
			return
		}
		spec := SolutionVersionSpec{Arn: sv.Arn, Recipe: sv.Recipe, Status: sv.Status, FailureReason: sv.FailureReason}
		if sv.CreationDateTime != nil {
			spec.CreatedAt = *sv.CreationDateTime
		}
		if err := e.PutSolutionVersion(spec); err != nil {
			controlError(w, http.StatusBadRequest, err.Error())
			return
		}
		e.mu.Lock()
		out := e.solutionVersions[sv.Arn].control()
		e.mu.Unlock()
		writeControl(w, http.StatusOK, out)
	case "GET /filters":
		e.mu.Lock()
		out := sortedKeys(e.filters)
		e.mu.Unlock()
		writeControl(w, http.StatusOK, map[string]any{"filters": out})
	case "POST /filters":
		var f struct {
			Arn string `json:"arn"`
		}
		if !readControl(w, r, &f) {
			return
		}
		if err := e.AddFilter(f.Arn); err != nil {
			controlError(w, http.StatusBadRequest, err.Error())
			return
		}
		writeControl(w, http.StatusOK, f)
	case "POST /reset":
		e.Reset()
		writeControl(w, http.StatusOK, map[string]string{"status": "reset"})
	default:
		controlError(w, http.StatusNotFound, fmt.Sprintf("no control endpoint %s /_emulator%s; see GET health, GET stats, GET|POST faults, GET|POST settings, GET|POST solution-versions, GET|POST filters, POST reset", r.Method, path))
	}
}

func (e *Emulator) currentSettings() map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	return map[string]any{
		"job_duration_ms": e.jobDuration.Milliseconds(), "max_running_jobs": e.maxRunning, "max_running_segment_jobs": e.maxRunningSeg,
		"import_duration_ms": e.importDuration.Milliseconds(), "max_running_import_jobs": e.maxRunningImports,
		"training_duration_ms": e.trainingDuration.Milliseconds(), "max_running_trainings": e.maxRunningTrainings,
	}
}

func (sv *solutionVersionInfo) control() controlSolutionVersion {
	created := sv.CreatedAt
	return controlSolutionVersion{Arn: sv.Arn, Recipe: recipeARN(sv.Recipe), Status: sv.Status, CreationDateTime: &created, FailureReason: sv.FailureReason}
}

func readControl(w http.ResponseWriter, r *http.Request, v any) bool {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxControlBody))
	if err != nil {
		controlError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body: %v", err))
		return false
	}
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields() // a misspelled fault name should not pass silently
	if err := dec.Decode(v); err != nil {
		controlError(w, http.StatusBadRequest, fmt.Sprintf("request body: %v", err))
		return false
	}
	return true
}

// writeControl answers a control call with v and a newline, so that the
// shell prompt after a curl starts on a line of its own.
func writeControl(w http.ResponseWriter, status int, v any) {
	writeBody(w, status, "application/json", append(marshalJSON(v), '\n'))
}

func controlError(w http.ResponseWriter, status int, msg string) {
	writeControl(w, status, map[string]string{"error": msg})
}
