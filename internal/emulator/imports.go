package emulator

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// Import modes, as the service model spells them.
const (
	importFull        = "FULL"
	importIncremental = "INCREMENTAL"
)

var importModes = []string{importFull, importIncremental}

var (
	ruleOptRole    = strRule{max: 256, pattern: patRole}
	ruleS3Location = strRule{required: true, max: 256, pattern: patS3}
)

func (e *Emulator) createDatasetImportJob(body []byte) (any, *apiError) {
	var req createDatasetImportJobRequest
	if err := decodeRequest(body, &req); err != nil {
		return nil, err
	}
	var v violations
	v.str("jobName", req.JobName, ruleName)
	v.str("datasetArn", req.DatasetArn, ruleArn)
	if v.required(req.DataSource != nil, "dataSource") {
		v.str("dataSource.dataLocation", req.DataSource.DataLocation, ruleS3Location)
	}
	v.str("roleArn", req.RoleArn, ruleOptRole)
	v.enum("importMode", req.ImportMode, importModes)
	v.tags(req.Tags)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := checkTagRules(req.Tags); err != nil {
		return nil, err
	}
	if req.ImportMode == nil {
		m := importFull
		req.ImportMode = &m
	}
	stored := jobRequest{jobCommon: req.jobCommon, importJobMembers: req.importJobMembers}
	arn, err := e.submitJob(kindImport, stored, req.Tags, func() (string, *apiError) {
		return "", e.checkImportTargetLocked(*req.DatasetArn, *req.ImportMode)
	})
	if err != nil {
		return nil, err
	}
	return map[string]string{"datasetImportJobArn": arn}, nil
}

// checkImportTargetLocked checks the dataset an import writes to: it must
// exist, and "if you haven't imported bulk records into the dataset
// previously, you can only specify FULL" (CreateDatasetImportJob, importMode).
func (e *Emulator) checkImportTargetLocked(datasetArn, mode string) *apiError {
	d := e.catalog.byDataset[datasetArn]
	if d == nil {
		return errNotFound("datasetArn: no dataset %s exists in %s for account %s", datasetArn, e.cfg.Region, e.cfg.AccountID)
	}
	if mode == importIncremental && !d.loaded && !slices.ContainsFunc(e.order, func(j *job) bool {
		return j.Kind == kindImport && *j.Request.DatasetArn == datasetArn && j.Status == statusActive
	}) {
		return errInvalidInput("importMode INCREMENTAL: dataset %s has no bulk data yet, and its first import must replace it; use importMode FULL", datasetArn)
	}
	return nil
}

// runImportJob reads a due import's CSV data from the local S3 and checks
// its header against the dataset's schema. Without a local S3 there is
// nothing to read and every import succeeds, as batch jobs do.
func runImportJob(e *Emulator, j *job) (status, failureReason string) {
	if e.cfg.S3Dir == "" {
		return statusActive, ""
	}
	d := e.catalog.byDataset[*j.Request.DatasetArn]
	location := *j.Request.DataSource.DataLocation
	fail := func(format string, args ...any) (string, string) {
		return statusCreateFailed, fmt.Sprintf("Failed to create a data import job for %s dataset. ", d.datasetType) + fmt.Sprintf(format, args...)
	}
	files, ok := importFiles(e.cfg.S3Dir, location)
	if !ok {
		return fail("Invalid Data location: no CSV file at %s; give the path of a CSV file, or of a folder of them ending in /", location)
	}
	for _, f := range files {
		header, err := csvHeader(f.file)
		if err != nil {
			return fail("Could not read s3://%s: %v", f.key, err)
		}
		var missing []string
		for _, c := range d.required {
			if !slices.Contains(header, c) {
				missing = append(missing, c)
			}
		}
		if len(missing) > 0 {
			return fail("Input CSV is missing the following columns: [%s] (s3://%s)", strings.Join(missing, ", "), f.key)
		}
	}
	return statusActive, ""
}

// importFiles finds the objects an import reads: the object the location
// names, or every object under it when it ends in / (a folder). Keys come
// back with their bucket.
func importFiles(s3Dir, location string) ([]inputObject, bool) {
	loc, ok := parseS3URI(location)
	if !ok {
		return nil, false
	}
	bucket, ok := loc.bucketDir(s3Dir)
	if !ok {
		return nil, false
	}
	if loc.key != "" && !strings.HasSuffix(loc.key, "/") {
		file, ok := keyPath(bucket, loc.key)
		if info, err := os.Stat(file); !ok || err != nil || !info.Mode().IsRegular() {
			return nil, false
		}
		return []inputObject{{key: loc.bucket + "/" + loc.key, file: file}}, true
	}
	objects, err := listInputs(bucket, loc.key)
	if err != nil || len(objects) == 0 {
		return nil, false
	}
	for i := range objects {
		objects[i].key = loc.bucket + "/" + objects[i].key
	}
	return objects, true
}

// csvHeader reads a CSV file's first record, the column names; an empty
// file has none.
func csvHeader(file string) ([]string, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil
	}
	for i := range header {
		header[i] = strings.TrimSpace(strings.TrimPrefix(header[i], "\ufeff"))
	}
	return header, err
}
