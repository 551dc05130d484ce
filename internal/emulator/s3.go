package emulator

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// Service limits on a batch inference job's input.
const (
	maxInputObjects   = 1000
	maxInputBytes     = 1 << 30
	maxThemeInputRows = 100
)

// maxQueriesPerFile are the quotas on a batch segment job's input, per file:
// "Maximum number of queries per input file" is 500 for Item-Affinity and 10
// for Item-Attribute-Affinity.
var maxQueriesPerFile = map[recipeFamily]int{familyItemAffinity: 500, familyItemAttributeAffinity: 10}

// Failure reasons, worded as the service documents them.
const (
	reasonInvalidInput  = "Invalid S3 input path"
	reasonInvalidOutput = "Invalid S3 output path"
)

// prepareS3Dir makes the local S3 root if it does not exist yet, as a
// reader who starts the emulator with --s3-dir ./s3 expects.
func prepareS3Dir(dir string) error {
	if dir == "" {
		return nil
	}
	info, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("S3 directory %s: %w", dir, err)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("S3 directory %s: %w", dir, err)
	}
	if !info.IsDir() {
		return fmt.Errorf("S3 directory %s: not a directory", dir)
	}
	return nil
}

// s3Location is an s3://bucket/key URI; the local S3 keeps bucket/key under
// its root directory.
type s3Location struct{ bucket, key string }

func parseS3URI(uri string) (s3Location, bool) {
	rest, ok := strings.CutPrefix(uri, "s3://")
	if !ok {
		return s3Location{}, false
	}
	bucket, key, _ := strings.Cut(rest, "/")
	if bucket == "" || bucket == "." || bucket == ".." || strings.ContainsAny(bucket, `\`) {
		return s3Location{}, false
	}
	return s3Location{bucket, key}, true
}

// bucketDir is where the bucket lives, if it exists.
func (l s3Location) bucketDir(root string) (string, bool) {
	dir := filepath.Join(root, l.bucket)
	info, err := os.Stat(dir)
	return dir, err == nil && info.IsDir()
}

// keyPath maps a key to a file inside the bucket directory, refusing keys
// that would step outside it.
func keyPath(bucketDir, key string) (string, bool) {
	for _, seg := range strings.Split(key, "/") {
		if seg == ".." {
			return "", false
		}
	}
	p := filepath.Join(bucketDir, filepath.FromSlash(key))
	rel, err := filepath.Rel(bucketDir, p)
	return p, err == nil && !strings.HasPrefix(rel, "..")
}

type inputObject struct {
	key  string
	file string
	size int64
}

// listInputs finds every object whose key starts with the location's key, as
// S3 lists a prefix, in key order.
func listInputs(bucketDir, prefix string) ([]inputObject, error) {
	start := bucketDir
	if i := strings.LastIndex(prefix, "/"); i >= 0 {
		p, ok := keyPath(bucketDir, prefix[:i])
		if !ok {
			return nil, errors.New("key leaves the bucket")
		}
		start = p
	}
	var objects []inputObject
	err := filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == start && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(bucketDir, p)
		if err != nil {
			return err
		}
		key := filepath.ToSlash(rel)
		if !strings.HasPrefix(key, prefix) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		objects = append(objects, inputObject{key: key, file: p, size: info.Size()})
		return nil
	})
	slices.SortFunc(objects, func(a, b inputObject) int { return strings.Compare(a.key, b.key) })
	return objects, err
}

// runBatchJob produces a finished batch job's output and reports its final
// status. Without a local S3 there is nothing to read or write and every job
// succeeds.
func runBatchJob(e *Emulator, j *job) (status, failureReason string) {
	s3Dir := e.cfg.S3Dir
	if s3Dir == "" {
		return statusActive, ""
	}
	in, ok := parseS3URI(*j.Request.JobInput.S3DataSource.Path)
	if !ok {
		return statusCreateFailed, reasonInvalidInput
	}
	inBucket, ok := in.bucketDir(s3Dir)
	if !ok {
		return statusCreateFailed, reasonInvalidInput
	}
	objects, err := listInputs(inBucket, in.key)
	if err != nil || len(objects) == 0 {
		return statusCreateFailed, reasonInvalidInput
	}
	if len(objects) > maxInputObjects {
		return statusCreateFailed, fmt.Sprintf("%s: the prefix holds %d objects; a job reads at most %d", reasonInvalidInput, len(objects), maxInputObjects)
	}
	var total int64
	for _, o := range objects {
		total += o.size
	}
	if total > maxInputBytes {
		return statusCreateFailed, fmt.Sprintf("The input is %d bytes; a job reads at most 1 GB", total)
	}
	out, ok := parseS3URI(*j.Request.JobOutput.S3DataDestination.Path)
	if !ok {
		return statusCreateFailed, reasonInvalidOutput
	}
	outBucket, ok := out.bucketDir(s3Dir)
	if !ok {
		return statusCreateFailed, reasonInvalidOutput
	}
	outPrefix := out.key
	if outPrefix != "" && !strings.HasSuffix(outPrefix, "/") {
		outPrefix += "/"
	}

	gen := newGenerator(j)
	if gen.themes {
		rows := 0
		for _, o := range objects {
			n, err := countRows(o.file)
			if err != nil {
				return statusCreateFailed, reasonInvalidInput
			}
			rows += n
		}
		if rows > maxThemeInputRows {
			return statusCreateFailed, fmt.Sprintf("THEME_GENERATION jobs accept at most %d input items; the input has %d", maxThemeInputRows, rows)
		}
	}
	if limit, ok := maxQueriesPerFile[gen.family]; ok {
		for _, o := range objects {
			n, err := countRows(o.file)
			if err != nil {
				return statusCreateFailed, reasonInvalidInput
			}
			if n > limit {
				return statusCreateFailed, fmt.Sprintf("The input file s3://%s/%s has %d queries; a batch segment job with the %s recipe accepts at most %d per file", in.bucket, o.key, n, j.Recipe, limit)
			}
		}
	}
	for _, o := range objects {
		target, ok := keyPath(outBucket, outPrefix+path.Base(o.key)+".out")
		if !ok {
			return statusCreateFailed, reasonInvalidOutput
		}
		if err := writeOutput(o.file, target, gen); err != nil {
			return statusCreateFailed, fmt.Sprintf("Failed to write output %s: %v", target, err)
		}
	}
	return statusActive, ""
}

func countRows(file string) (int, error) {
	n := 0
	err := eachLine(file, func([]byte) error { n++; return nil })
	return n, err
}

// eachLine calls fn with every non-blank line of a JSON Lines file.
func eachLine(file string, fn func([]byte) error) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 64<<10)
	for {
		line, err := r.ReadBytes('\n')
		if trimmed := bytes.TrimSpace(line); len(trimmed) > 0 {
			if ferr := fn(trimmed); ferr != nil {
				return ferr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// writeOutput writes one input object's results next to a temporary name and
// renames it into place, so a reader never sees half an output file.
func writeOutput(inFile, target string, gen *generator) error {
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 64<<10)
	err = eachLine(inFile, func(line []byte) error {
		if _, err := w.Write(marshalJSON(gen.process(line))); err != nil {
			return err
		}
		return w.WriteByte('\n')
	})
	if err == nil {
		err = w.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), target)
}
