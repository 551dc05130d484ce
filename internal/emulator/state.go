package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
)

const stateVersion = 1

// persistedState is the state file: everything a restart must not lose.
type persistedState struct {
	Version int                          `json:"version"`
	NextSeq int64                        `json:"nextSeq"`
	Jobs    []*job                       `json:"jobs"`
	Tags    map[string]map[string]string `json:"tags"`
	// SolutionVersions is how older state files kept added solution versions
	// (ARN → recipe, all ACTIVE); it is read, never written.
	SolutionVersions map[string]string      `json:"solutionVersions,omitempty"`
	AddedVersions    []*solutionVersionInfo `json:"addedSolutionVersions,omitempty"`
	Filters          []string               `json:"filters,omitempty"`
	TokenKey         []byte                 `json:"tokenKey"` // next tokens stay valid across restarts
}

// loadState restores the state file, if configured and present. A file that
// cannot be read as state stops start-up, and is left exactly as it is.
func (e *Emulator) loadState() error {
	path := e.cfg.StateFile
	if path == "" {
		return nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return e.persistLocked() // fail now, not on the first create, if it cannot be written
	}
	if err != nil {
		return fmt.Errorf("state file %s: %w", path, err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil // a freshly made empty file (mktemp) holds no state yet
	}
	corrupt := func(format string, args ...any) error {
		return fmt.Errorf("state file %s is not valid emulator state: %s; fix it or move it away (the emulator never overwrites it)", path, fmt.Sprintf(format, args...))
	}
	var st persistedState
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		return corrupt("%v", err)
	}
	if st.Version != stateVersion {
		return corrupt("version %d, want %d", st.Version, stateVersion)
	}
	if len(st.TokenKey) < 16 {
		return corrupt("tokenKey is missing or too short")
	}
	for _, arn := range sortedKeys(st.SolutionVersions) {
		recipe := st.SolutionVersions[arn]
		if _, ok := recipes[recipe]; !ok || !patterns[patArn].MatchString(arn) {
			return corrupt("solution version %q has unknown recipe %q", arn, recipe)
		}
		e.nextVersionSeq++
		now := e.now().UTC()
		e.solutionVersions[arn] = &solutionVersionInfo{Arn: arn, Recipe: recipe, Status: svActive, CreatedAt: now, UpdatedAt: now, Seq: e.nextVersionSeq}
		e.addedVersions[arn] = true
	}
	for i, sv := range st.AddedVersions {
		switch {
		case sv == nil || !patterns[patArn].MatchString(sv.Arn):
			return corrupt("added solution version %d has no valid ARN", i+1)
		case !slices.Contains(solutionVersionStatuses, sv.Status):
			return corrupt("solution version %s has status %q", sv.Arn, sv.Status)
		case sv.CreatedAt.IsZero() || sv.UpdatedAt.Before(sv.CreatedAt) || (sv.DueAt == nil) != (sv.StartsAt == nil):
			return corrupt("solution version %s has an impossible timeline", sv.Arn)
		case sv.TrainingMode != "" && !slices.Contains(trainingModes, sv.TrainingMode):
			return corrupt("solution version %s has training mode %q", sv.Arn, sv.TrainingMode)
		}
		if _, ok := recipes[sv.Recipe]; !ok {
			return corrupt("solution version %s has unknown recipe %q", sv.Arn, sv.Recipe)
		}
		e.nextVersionSeq = max(e.nextVersionSeq, sv.Seq)
		e.solutionVersions[sv.Arn] = sv
		e.addedVersions[sv.Arn] = true
	}
	for _, f := range st.Filters {
		e.filters[f] = true
		e.addedFilters[f] = true
	}
	var lastSeq int64
	for i, j := range st.Jobs {
		switch {
		case j == nil || j.Request.JobName == nil:
			return corrupt("job %d lacks required members", i+1)
		case j.Kind.spec() == nil:
			return corrupt("job %d has unknown kind %q", i+1, j.Kind)
		case j.Kind.spec().stored(j) != "":
			return corrupt("job %d %s", i+1, j.Kind.spec().stored(j))
		case j.Arn != e.kindARN(j.Kind, *j.Request.JobName):
			return corrupt("job %d: ARN %q does not match name %q in %s/%s", i+1, j.Arn, *j.Request.JobName, e.cfg.Region, e.cfg.AccountID)
		case j.Seq <= lastSeq:
			return corrupt("job %d: sequence %d is not increasing", i+1, j.Seq)
		case j.CreatedAt.IsZero() || j.StartedAt.Before(j.CreatedAt) || j.DueAt.Before(j.StartedAt):
			return corrupt("job %d has an impossible timeline", i+1)
		case j.Status != "" && j.Status != statusActive && j.Status != statusCreateFailed:
			return corrupt("job %d has status %q", i+1, j.Status)
		}
		lastSeq = j.Seq
		e.jobs[j.Arn] = j
		e.order = append(e.order, j)
	}
	if st.NextSeq < lastSeq {
		return corrupt("nextSeq %d is behind the last job's %d", st.NextSeq, lastSeq)
	}
	e.nextSeq = st.NextSeq
	for arn, m := range st.Tags {
		e.tags[arn] = m
	}
	e.tokenKey = st.TokenKey
	return nil
}

// persistLocked writes the state file, if configured, atomically and
// durably: the new state goes to a temporary file in the same directory,
// which is synced, renamed over the old one, and then the directory is
// synced. A crash at any point leaves the old file or the new one, never a
// torn one, and once persistLocked returns (and a create is answered) the new
// one survives a power loss.
func (e *Emulator) persistLocked() error {
	path := e.cfg.StateFile
	if path == "" {
		return nil
	}
	st := persistedState{
		Version:       stateVersion,
		NextSeq:       e.nextSeq,
		Jobs:          e.order,
		Tags:          e.tags,
		AddedVersions: e.addedVersionsLocked(),
		Filters:       sortedKeys(e.addedFilters),
		TokenKey:      e.tokenKey,
	}
	if st.Jobs == nil {
		st.Jobs = []*job{}
	}
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("state file %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("state file %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("state file %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("state file %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("state file %s: %w", path, err)
	}
	// The rename lives in the directory: until the directory is on disk too,
	// a power loss can bring back the old file, or no file at all, after the
	// client was told its job exists.
	if err := syncDir(filepath.Dir(path)); err != nil {
		return fmt.Errorf("state file %s: syncing its directory: %w", path, err)
	}
	return nil
}

// syncDir flushes a directory's entries to disk. Windows cannot open a
// directory for syncing, and its renames need no such step to be durable.
var syncDir = func(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	if err := d.Sync(); err != nil {
		d.Close()
		return err
	}
	return d.Close()
}

// addedVersionsLocked lists the solution versions added at run time, oldest
// first, for the state file.
func (e *Emulator) addedVersionsLocked() []*solutionVersionInfo {
	out := make([]*solutionVersionInfo, 0, len(e.addedVersions))
	for _, arn := range sortedKeys(e.addedVersions) {
		out = append(out, e.solutionVersions[arn])
	}
	slices.SortFunc(out, func(a, b *solutionVersionInfo) int { return int(a.Seq - b.Seq) })
	return out
}
