package emulator

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// maxBodyBytes bounds request bodies; the largest valid request is far smaller.
const maxBodyBytes = 1 << 20

const (
	targetPrefix     = "AmazonPersonalize."
	unknownOperation = "UnknownOperation"
)

type operation func(*Emulator, []byte) (any, *apiError)

// operations are the Personalize operations served, by name; every job
// kind's Describe and List are added from jobKinds, and those of dataset
// groups, datasets and schemas from catalogListings.
var operations = map[string]operation{
	"CreateBatchInferenceJob":     (*Emulator).createBatchInferenceJob,
	"CreateBatchSegmentJob":       (*Emulator).createBatchSegmentJob,
	"DescribeSolutionVersion":     (*Emulator).describeSolutionVersion,
	"ListSolutionVersions":        (*Emulator).listSolutionVersions,
	"CreateSolutionVersion":       (*Emulator).createSolutionVersion,
	"StopSolutionVersionCreation": (*Emulator).stopSolutionVersionCreation,
	"GetSolutionMetrics":          (*Emulator).getSolutionMetrics,
	"CreateDatasetImportJob":      (*Emulator).createDatasetImportJob,
	"TagResource":                 (*Emulator).tagResource,
	"UntagResource":               (*Emulator).untagResource,
	"ListTagsForResource":         (*Emulator).listTagsForResource,
}

var (
	operationName  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]{0,63}$`)
	accountPattern = regexp.MustCompile(`^\d{12}$`)
	regionPattern  = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d+$`)
)

// ServeHTTP serves the Personalize API (awsJson 1.1 on POST /), STS
// GetCallerIdentity (awsQuery), and the control API under /_emulator/.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	requestID := newRequestID()
	w.Header().Set("x-amzn-RequestId", requestID)
	if r.URL.Path == "/_emulator" || strings.HasPrefix(r.URL.Path, "/_emulator/") {
		e.serveControl(w, r)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	var readErr *apiError
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		readErr = newAPIError(http.StatusRequestEntityTooLarge, "RequestEntityTooLargeException",
			"The request body is larger than %d bytes", maxBodyBytes)
	} else if err != nil {
		readErr = errSerialization("The request body could not be read: %v", err)
	}

	target := r.Header.Get("X-Amz-Target")
	if target == "" && isForm(r) {
		e.serveSTS(w, r, body, readErr, requestID)
		return
	}
	op := unknownOperation
	if name, ok := strings.CutPrefix(target, targetPrefix); ok && operationName.MatchString(name) {
		op = name
	}
	e.count(op)
	if callErr := e.personalizeCall(r, body, readErr, op); callErr != nil {
		writeAPIError(w, callErr)
		return
	}
	handler := operations[op]
	e.settle()
	out, apiErr := handler(e, body)
	if apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	writeJSON(w, http.StatusOK, awsJSON, out)
}

// personalizeCall runs the checks every Personalize call goes through before
// its operation: body size, signature, operation name, then injected faults.
func (e *Emulator) personalizeCall(r *http.Request, body []byte, readErr *apiError, op string) *apiError {
	if readErr != nil {
		return readErr
	}
	if f := e.authenticate(r, body, "personalize"); f != nil {
		return f.jsonError()
	}
	if _, ok := operations[op]; !ok || r.Method != http.MethodPost {
		target := r.Header.Get("X-Amz-Target")
		if target == "" {
			return newAPIError(http.StatusBadRequest, "UnknownOperationException", "The request has no X-Amz-Target header; Personalize calls are POST / with X-Amz-Target: AmazonPersonalize.<Operation>")
		}
		if r.Method != http.MethodPost {
			return newAPIError(http.StatusBadRequest, "UnknownOperationException", "Personalize calls must use POST, not %s", r.Method)
		}
		return newAPIError(http.StatusBadRequest, "UnknownOperationException", "Unknown operation %q; this emulator serves AmazonPersonalize.%s", target, strings.Join(sortedKeys(operations), ", AmazonPersonalize."))
	}
	latency, fault := e.injectFault(op)
	if latency > 0 {
		select {
		case <-time.After(latency):
		case <-r.Context().Done():
		}
	}
	return fault
}

func (f *authFailure) jsonError() *apiError {
	switch f.kind {
	case authMissing:
		return newAPIError(http.StatusForbidden, "MissingAuthenticationTokenException", "%s", f.message)
	case authIncomplete:
		return newAPIError(http.StatusBadRequest, "IncompleteSignatureException", "%s", f.message)
	case authUnknownKey:
		return newAPIError(http.StatusForbidden, "UnrecognizedClientException", "%s", f.message)
	}
	return newAPIError(http.StatusForbidden, "InvalidSignatureException", "%s", f.message)
}

func (f *authFailure) queryError() (int, string) {
	switch f.kind {
	case authMissing:
		return http.StatusForbidden, "MissingAuthenticationToken"
	case authIncomplete:
		return http.StatusBadRequest, "IncompleteSignature"
	case authUnknownKey:
		return http.StatusForbidden, "InvalidClientTokenId"
	}
	return http.StatusForbidden, "SignatureDoesNotMatch"
}

func isForm(r *http.Request) bool {
	ct := strings.ToLower(r.Header.Get("Content-Type"))
	return strings.HasPrefix(ct, "application/x-www-form-urlencoded") || (r.Method == http.MethodGet && r.URL.Query().Has("Action"))
}

func (e *Emulator) serveSTS(w http.ResponseWriter, r *http.Request, body []byte, readErr *apiError, requestID string) {
	params := r.URL.Query()
	if form, err := url.ParseQuery(string(body)); err == nil {
		for k, v := range form {
			params[k] = append(params[k], v...)
		}
	}
	action := params.Get("Action")
	op := unknownOperation
	if operationName.MatchString(action) {
		op = action
	}
	e.count(op)
	if readErr != nil {
		writeSTSError(w, readErr.Status, strings.TrimSuffix(readErr.Type, "Exception"), readErr.Message, requestID)
		return
	}
	if f := e.authenticate(r, body, "sts"); f != nil {
		status, code := f.queryError()
		writeSTSError(w, status, code, f.message, requestID)
		return
	}
	if action != "GetCallerIdentity" {
		writeSTSError(w, http.StatusBadRequest, "InvalidAction", "Could not find operation "+action+" for version "+params.Get("Version")+"; this emulator serves only GetCallerIdentity", requestID)
		return
	}
	e.getCallerIdentity(w, r, requestID)
}

func (e *Emulator) count(op string) {
	e.mu.Lock()
	e.calls[op]++
	e.mu.Unlock()
}
