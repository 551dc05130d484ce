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
)

func randomKey() []byte {
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	return k
}

// A next token names the last job of the page it ends (by creation sequence)
// and the filter it was issued for, signed so that only tokens this emulator
// issued are accepted. Pages stay stable while new jobs are created.
func (e *Emulator) issueToken(afterSeq int64, filter string) string {
	payload := strconv.FormatInt(afterSeq, 10) + "|" + filterDigest(filter)
	return base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + base64.RawURLEncoding.EncodeToString(e.tokenMAC(payload))
}

func (e *Emulator) tokenMAC(payload string) []byte {
	m := hmac.New(sha256.New, e.tokenKey)
	m.Write([]byte(payload))
	return m.Sum(nil)[:16]
}

func filterDigest(filter string) string {
	sum := sha256.Sum256([]byte(filter))
	return base64.RawURLEncoding.EncodeToString(sum[:9])
}

func (e *Emulator) parseToken(token, filter string) (int64, bool) {
	p, sig, ok := strings.Cut(token, ".")
	if !ok {
		return 0, false
	}
	payload, err1 := base64.RawURLEncoding.DecodeString(p)
	mac, err2 := base64.RawURLEncoding.DecodeString(sig)
	if err1 != nil || err2 != nil || !hmac.Equal(mac, e.tokenMAC(string(payload))) {
		return 0, false
	}
	seqText, digest, ok := strings.Cut(string(payload), "|")
	if !ok || digest != filterDigest(filter) {
		return 0, false
	}
	seq, err := strconv.ParseInt(seqText, 10, 64)
	return seq, err == nil
}

func (e *Emulator) listBatchInferenceJobs(body []byte) (any, *apiError) {
	var req listBatchInferenceJobsRequest
	if err := decodeRequest(body, &req); err != nil {
		return nil, err
	}
	var v violations
	v.str("solutionVersionArn", req.SolutionVersionArn, ruleOptArn)
	if t := req.NextToken; t != nil {
		if len(*t) > 1500 {
			v.add(t, false, "nextToken", "Member must have length less than or equal to 1500")
		}
		if strings.IndexFunc(*t, func(r rune) bool { return r > 127 }) >= 0 {
			v.add(t, false, "nextToken", `Member must satisfy regular expression pattern: \p{ASCII}{0,1500}`)
		}
	}
	v.intRange("maxResults", req.MaxResults, 1, 100)
	if err := v.err(); err != nil {
		return nil, err
	}
	filter := ""
	if req.SolutionVersionArn != nil {
		filter = *req.SolutionVersionArn
	}
	limit := defaultMaxResults
	if req.MaxResults != nil {
		limit = int(*req.MaxResults)
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	after := int64(-1) // no cursor: start with the newest job
	if req.NextToken != nil && *req.NextToken != "" {
		seq, ok := e.parseToken(*req.NextToken, filter)
		if !ok {
			return nil, newAPIError(http.StatusBadRequest, "InvalidNextTokenException",
				"nextToken: this token was not issued by this service for this listing%s; list again without nextToken", filterNote(filter))
		}
		after = seq
	}
	now := e.now()
	page := []batchInferenceJobSummary{}
	next, lastSeq := "", int64(0)
	for i := len(e.order) - 1; i >= 0; i-- { // newest first
		j := e.order[i]
		if after >= 0 && j.Seq >= after {
			continue
		}
		if !j.visibleAt(now) || (filter != "" && *j.Request.SolutionVersionArn != filter) {
			continue
		}
		if len(page) == limit {
			next = e.issueToken(lastSeq, filter)
			break
		}
		status, updated := j.statusAt(now)
		lastSeq = j.Seq
		page = append(page, batchInferenceJobSummary{
			BatchInferenceJobArn:  j.Arn,
			JobName:               j.name(),
			Status:                status,
			CreationDateTime:      epochSeconds(j.CreatedAt),
			LastUpdatedDateTime:   epochSeconds(updated),
			FailureReason:         j.FailureReason,
			SolutionVersionArn:    *j.Request.SolutionVersionArn,
			BatchInferenceJobMode: *j.Request.BatchInferenceJobMode,
		})
	}
	out := map[string]any{"batchInferenceJobs": page}
	if next != "" {
		out["nextToken"] = next
	}
	return out, nil
}

func filterNote(filter string) string {
	if filter == "" {
		return ""
	}
	return fmt.Sprintf(" (solutionVersionArn %s)", filter)
}
