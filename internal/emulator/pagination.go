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

// Listings that issue next tokens. A token is only good for the listing (and
// the filter) it was issued for.
const (
	listingInferenceJobs    = ""
	listingSegmentJobs      = "batch-segment-jobs"
	listingSolutionVersions = "solution-versions"
	listingImportJobs       = "dataset-import-jobs"
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
// filterMember names the request member the filter came from, for messages.
func (e *Emulator) pageStart(listing, filter, filterMember string, token *string) (string, *apiError) {
	if token == nil || *token == "" {
		return "", nil
	}
	after, ok := e.parseToken(*token, listing, filter)
	if !ok {
		return "", newAPIError(http.StatusBadRequest, "InvalidNextTokenException",
			"nextToken: this token was not issued by this service for this listing%s; list again without nextToken", filterNote(filterMember, filter))
	}
	return after, nil
}

// pageAfter is one page of items, which are sorted by key, greatest first:
// those after the token's key, at most req.limit of them, and the token of
// the next page ("" on the last).
func pageAfter[T any](e *Emulator, listing, filterMember string, req listRequest, items []T, key func(T) string) ([]T, string, *apiError) {
	after, err := e.pageStart(listing, req.filter, filterMember, req.token)
	if err != nil {
		return nil, "", err
	}
	limit, filter := req.limit, req.filter
	page := []T{}
	for _, item := range items {
		if after != "" && key(item) >= after {
			continue
		}
		if len(page) == limit {
			return page, e.issueToken(listing, key(page[len(page)-1]), filter), nil
		}
		page = append(page, item)
	}
	return page, "", nil
}

// listAnswer is a List operation's answer: the page under the operation's
// member, and nextToken unless the page is the last.
func listAnswer[T any](member string, page []T, next string) map[string]any {
	out := map[string]any{member: page}
	if next != "" {
		out["nextToken"] = next
	}
	return out
}

// listRequest is what every List operation takes: an optional filter (""
// when absent), nextToken and maxResults (limit, with its default).
type listRequest struct {
	filter string
	token  *string
	limit  int
}

// decodeListRequest reads and checks a List request whose filter, if the
// operation takes one, is the ARN in filterMember.
func decodeListRequest(body []byte, filterMember string) (listRequest, *apiError) {
	var req listRequest
	var filterArn *string
	var maxResults *int32
	members := map[string]any{"nextToken": &req.token, "maxResults": &maxResults}
	if filterMember != "" {
		members[filterMember] = &filterArn
	}
	if err := decodeMembers(body, members); err != nil {
		return req, err
	}
	var v violations
	if filterMember != "" {
		v.str(filterMember, filterArn, ruleOptArn)
	}
	if t := req.token; t != nil {
		if len(*t) > 1500 {
			v.add(t, false, "nextToken", "Member must have length less than or equal to 1500")
		}
		if strings.IndexFunc(*t, func(r rune) bool { return r > 127 }) >= 0 {
			v.add(t, false, "nextToken", `Member must satisfy regular expression pattern: \p{ASCII}{0,1500}`)
		}
	}
	v.intRange("maxResults", maxResults, 1, 100)
	if filterArn != nil {
		req.filter = *filterArn
	}
	req.limit = defaultMaxResults
	if maxResults != nil {
		req.limit = int(*maxResults)
	}
	return req, v.err()
}

// listJobs answers a List of the spec's kind: its jobs newest first, only
// those of the filter's value when the request sets it, a page at a time.
func (e *Emulator) listJobs(spec *kindSpec, body []byte) (any, *apiError) {
	req, err := decodeListRequest(body, spec.filter.member)
	if err != nil {
		return nil, err
	}
	filter := req.filter

	e.mu.Lock()
	defer e.mu.Unlock()
	after := int64(-1) // no cursor: start with the newest job
	text, apiErr := e.pageStart(spec.listing, filter, spec.filter.member, req.token)
	if apiErr != nil {
		return nil, apiErr
	}
	if text != "" {
		seq, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return nil, newAPIError(http.StatusBadRequest, "InvalidNextTokenException", "nextToken: this token does not continue a job listing; list again without nextToken")
		}
		after = seq
	}
	now := e.now()
	page := []any{}
	next, lastSeq := "", int64(0)
	for i := len(e.order) - 1; i >= 0; i-- { // newest first
		j := e.order[i]
		if j.Kind.spec() != spec || (after >= 0 && j.Seq >= after) {
			continue
		}
		if (filter != "" && spec.filter.of(j) != filter) || !e.visibleLocked(j, now) {
			continue
		}
		if len(page) == req.limit {
			next = e.issueToken(spec.listing, strconv.FormatInt(lastSeq, 10), filter)
			break
		}
		lastSeq = j.Seq
		page = append(page, j.seenAt(now).view(spec, spec.listed))
	}
	return listAnswer(spec.listMember, page, next), nil
}

func filterNote(member, filter string) string {
	if filter == "" {
		return ""
	}
	return fmt.Sprintf(" (%s %s)", member, filter)
}
