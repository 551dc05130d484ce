package emulator

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

func randomKey() []byte {
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	return k
}

// Listings that issue next tokens. A token is only good for the listing (and
// the filter) it was issued for.
const (
	listingInferenceJobs    = ""
	listingSegmentJobs      = "batch-segment-jobs"
	listingSolutionVersions = "solution-versions"
)

// A next token names the last entry of the page it ends (a job's creation
// sequence, a solution version's sort key) and the listing and filter it was
// issued for, signed so that only tokens this emulator issued are accepted.
// Pages stay stable while new entries are created.
func (e *Emulator) issueToken(listing, after, filter string) string {
	payload := after + "|" + filterDigest(listing, filter)
	return base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + base64.RawURLEncoding.EncodeToString(e.tokenMAC(payload))
}

func (e *Emulator) tokenMAC(payload string) []byte {
	m := hmac.New(sha256.New, e.tokenKey)
	m.Write([]byte(payload))
	return m.Sum(nil)[:16]
}

func filterDigest(listing, filter string) string {
	if listing != listingInferenceJobs {
		filter = listing + "\x00" + filter
	}
	sum := sha256.Sum256([]byte(filter))
	return base64.RawURLEncoding.EncodeToString(sum[:9])
}

func (e *Emulator) parseToken(token, listing, filter string) (string, bool) {
	p, sig, ok := strings.Cut(token, ".")
	if !ok {
		return "", false
	}
	payload, err1 := base64.RawURLEncoding.DecodeString(p)
	mac, err2 := base64.RawURLEncoding.DecodeString(sig)
	if err1 != nil || err2 != nil || !hmac.Equal(mac, e.tokenMAC(string(payload))) {
		return "", false
	}
	after, digest, ok := strings.Cut(string(payload), "|")
	if !ok || digest != filterDigest(listing, filter) || after == "" {
		return "", false
	}
	return after, true
}

// pageStart reads a request's next token: "" (no token) starts with the
// newest entry; otherwise the page continues after the entry it names.
func (e *Emulator) pageStart(listing, filter string, token *string) (string, *apiError) {
	if token == nil || *token == "" {
		return "", nil
	}
	after, ok := e.parseToken(*token, listing, filter)
	if !ok {
		return "", newAPIError(http.StatusBadRequest, "InvalidNextTokenException",
			"nextToken: this token was not issued by this service for this listing%s; list again without nextToken", filterNote(filter))
	}
	return after, nil
}

// listPaging checks the nextToken and maxResults every List operation takes.
func (v *violations) listPaging(token *string, maxResults *int32) {
	if t := token; t != nil {
		if len(*t) > 1500 {
			v.add(t, false, "nextToken", "Member must have length less than or equal to 1500")
		}
		if strings.IndexFunc(*t, func(r rune) bool { return r > 127 }) >= 0 {
			v.add(t, false, "nextToken", `Member must satisfy regular expression pattern: \p{ASCII}{0,1500}`)
		}
	}
	v.intRange("maxResults", maxResults, 1, 100)
}

func (e *Emulator) listBatchInferenceJobs(body []byte) (any, *apiError) {
	var req listBatchInferenceJobsRequest
	if err := decodeRequest(body, &req); err != nil {
		return nil, err
	}
	page, next, err := e.listJobs(kindInference, req)
	if err != nil {
		return nil, err
	}
	summaries := make([]batchInferenceJobSummary, len(page))
	for i, s := range page {
		summaries[i] = batchInferenceJobSummary{
			BatchInferenceJobArn:  s.job.Arn,
			JobName:               s.job.name(),
			Status:                s.status,
			CreationDateTime:      epochSeconds(s.job.CreatedAt),
			LastUpdatedDateTime:   epochSeconds(s.updated),
			FailureReason:         s.failureReason,
			SolutionVersionArn:    *s.job.Request.SolutionVersionArn,
			BatchInferenceJobMode: *s.job.Request.BatchInferenceJobMode,
		}
	}
	out := map[string]any{"batchInferenceJobs": summaries}
	if next != "" {
		out["nextToken"] = next
	}
	return out, nil
}

// jobSeen is a job as one listing saw it, under the lock: what settles
// later (status, failure reason) is copied; the rest never changes.
type jobSeen struct {
	job           *job
	status        string
	failureReason string
	updated       time.Time
}

// listJobs pages through the jobs of one kind, newest first, optionally only
// those of one solution version: the part ListBatchInferenceJobs and
// ListBatchSegmentJobs share (their requests have the same members).
func (e *Emulator) listJobs(kind jobKind, req listBatchInferenceJobsRequest) ([]jobSeen, string, *apiError) {
	var v violations
	v.str("solutionVersionArn", req.SolutionVersionArn, ruleOptArn)
	v.listPaging(req.NextToken, req.MaxResults)
	if err := v.err(); err != nil {
		return nil, "", err
	}
	filter := ""
	if req.SolutionVersionArn != nil {
		filter = *req.SolutionVersionArn
	}
	limit := defaultMaxResults
	if req.MaxResults != nil {
		limit = int(*req.MaxResults)
	}
	listing := kind.listing()

	e.mu.Lock()
	defer e.mu.Unlock()
	after := int64(-1) // no cursor: start with the newest job
	text, apiErr := e.pageStart(listing, filter, req.NextToken)
	if apiErr != nil {
		return nil, "", apiErr
	}
	if text != "" {
		seq, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return nil, "", newAPIError(http.StatusBadRequest, "InvalidNextTokenException", "nextToken: this token does not continue a job listing; list again without nextToken")
		}
		after = seq
	}
	now := e.now()
	page := []jobSeen{}
	next, lastSeq := "", int64(0)
	for i := len(e.order) - 1; i >= 0; i-- { // newest first
		j := e.order[i]
		if j.Kind != kind || (after >= 0 && j.Seq >= after) {
			continue
		}
		if (filter != "" && *j.Request.SolutionVersionArn != filter) || !e.visibleLocked(j, now) {
			continue
		}
		if len(page) == limit {
			next = e.issueToken(listing, strconv.FormatInt(lastSeq, 10), filter)
			break
		}
		status, updated := j.statusAt(now)
		lastSeq = j.Seq
		page = append(page, jobSeen{job: j, status: status, failureReason: j.FailureReason, updated: updated})
	}
	return page, next, nil
}

func filterNote(filter string) string {
	if filter == "" {
		return ""
	}
	return fmt.Sprintf(" (solutionVersionArn %s)", filter)
}
