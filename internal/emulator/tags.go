package emulator

import (
	"fmt"
	"net/http"
)

// taggableLocked reports whether arn names a resource that exists here: a job
// (if already visible to reads, when readOnly), a solution version, a filter,
// a dataset group or a dataset.
func (e *Emulator) taggableLocked(arn string, readOnly bool) bool {
	if j, ok := e.jobs[arn]; ok {
		return !readOnly || e.visibleLocked(j, e.now())
	}
	_, sv := e.solutionVersions[arn]
	return sv || e.filters[arn] || e.catalog.taggable(arn)
}

func errNoResource(arn string) *apiError {
	return errNotFound("resourceArn: no resource %s exists", arn)
}

func (e *Emulator) tagResource(body []byte) (any, *apiError) {
	var req tagResourceRequest
	if err := decodeRequest(body, &req); err != nil {
		return nil, err
	}
	var v violations
	v.str("resourceArn", req.ResourceArn, ruleArn)
	if v.required(req.Tags != nil, "tags") {
		v.tags(*req.Tags)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := checkTagRules(*req.Tags); err != nil {
		return nil, err
	}
	arn := *req.ResourceArn
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.taggableLocked(arn, false) {
		return nil, errNoResource(arn)
	}
	merged := map[string]string{}
	for k, val := range e.tags[arn] {
		merged[k] = val
	}
	for _, t := range *req.Tags {
		merged[*t.TagKey] = *t.TagValue
	}
	if len(merged) > maxTagsPerResource {
		return nil, newAPIError(http.StatusBadRequest, "TooManyTagsException",
			"tags: %s would have %d tags; a resource can have at most %d, so remove some with UntagResource first", arn, len(merged), maxTagsPerResource)
	}
	e.tags[arn] = merged
	if err := e.persistLocked(); err != nil {
		return nil, errInternal("The emulator could not save its state file: %v", err)
	}
	return struct{}{}, nil
}

func (e *Emulator) untagResource(body []byte) (any, *apiError) {
	var req untagResourceRequest
	if err := decodeRequest(body, &req); err != nil {
		return nil, err
	}
	var v violations
	v.str("resourceArn", req.ResourceArn, ruleArn)
	if v.required(req.TagKeys != nil, "tagKeys") {
		keys := *req.TagKeys
		if len(keys) > 200 {
			n := fmt.Sprintf("%d keys", len(keys))
			v.add(&n, false, "tagKeys", "Member must have length less than or equal to 200")
		} else {
			for i, k := range keys {
				v.str(fmt.Sprintf("tagKeys.%d.member", i+1), k, ruleTagKey)
			}
		}
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	keys := *req.TagKeys
	for i, k := range keys {
		if hasReservedPrefix(*k) {
			return nil, errInvalidInput("tagKeys.%d.member %q: tags with the aws: prefix belong to AWS and cannot be removed", i+1, *k)
		}
	}
	if len(keys) > maxTagsPerResource {
		return nil, newAPIError(http.StatusBadRequest, "TooManyTagKeysException",
			"tagKeys: %d keys given; a resource has at most %d tags, so remove at most %d keys per call", len(keys), maxTagsPerResource, maxTagsPerResource)
	}
	arn := *req.ResourceArn
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.taggableLocked(arn, false) {
		return nil, errNoResource(arn)
	}
	if m := e.tags[arn]; m != nil {
		for _, k := range keys {
			delete(m, *k)
		}
		if len(m) == 0 {
			delete(e.tags, arn)
		}
	}
	if err := e.persistLocked(); err != nil {
		return nil, errInternal("The emulator could not save its state file: %v", err)
	}
	return struct{}{}, nil
}

func (e *Emulator) listTagsForResource(body []byte) (any, *apiError) {
	arn, err := decodeARN(body, "resourceArn")
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.taggableLocked(arn, true) {
		return nil, errNoResource(arn)
	}
	m := e.tags[arn]
	out := make([]wireTag, 0, len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, wireTag{TagKey: k, TagValue: m[k]})
	}
	return map[string]any{"tags": out}, nil
}
