package personalize

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
)

const (
	jobNameMaxLen = 63
	// A generated name is the prefix and 24 lowercase hex digits.
	jobNameSuffixLen = 24
	// jobNamePrefixMaxLen keeps generated names within the API's 63 characters.
	jobNamePrefixMaxLen = jobNameMaxLen - jobNameSuffixLen
	// maxNameGenerations bounds how many jobs one prefix and one set of
	// arguments can name: each destroy, replacement or identical sibling
	// takes the next generation.
	maxNameGenerations = 1000
)

// A name job_name_prefix generates is an idempotency key: it is derived from
// the prefix, the job's arguments (less its name and tags) and a generation,
// so that the apply after a killed one derives the names the killed one
// submitted and adopts those jobs instead of running them again. What tells
// such an orphan from a job that must not be adopted:
//   - a job some Terraform state holds, or held and let go (destroyed,
//     replaced, removed), carries recordedTagKey: Read sets it the first
//     time it refreshes a job with a generated name, and Delete sets it on
//     every job it lets go of;
//   - a job a sibling of this provider process (count, for_each, or the same
//     arguments twice) submitted or adopted is claimed in ProviderData.
// A name held by either goes to the next generation.

// jobNameFor is generation g of the name the arguments in input take under
// prefix.
func jobNameFor[J, In any](k *jobKind[J, In], input *In, prefix string, g int) (string, error) {
	req := k.request(input)
	name, tags := *req.JobName, *req.Tags
	*req.JobName, *req.Tags = nil, nil
	args, err := setFieldsJSON(input)
	*req.JobName, *req.Tags = name, tags
	if err != nil {
		return "", fmt.Errorf("encoding the job's arguments to name it: %w", err)
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%d\x00", k.arnResource, prefix, g)
	h.Write(args)
	return prefix + hex.EncodeToString(h.Sum(nil))[:jobNameSuffixLen], nil
}

// setFieldsJSON encodes v without its null fields, with object keys sorted:
// the arguments a request sets, whatever fields later versions of the SDK
// add to it.
func setFieldsJSON(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var tree any
	if err := json.Unmarshal(raw, &tree); err != nil {
		return nil, err
	}
	return json.Marshal(withoutNulls(tree))
}

func withoutNulls(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if e == nil {
				delete(v, k)
			} else {
				v[k] = withoutNulls(e)
			}
		}
	case []any:
		for i, e := range v {
			v[i] = withoutNulls(e)
		}
	}
	return v
}

// prefixOfGeneratedName returns the prefix a generated name was made with,
// when name has the shape of a generated name: a valid prefix followed by
// 24 lowercase hex digits (as the first versions' timestamp, counter and
// random hex were too).
func prefixOfGeneratedName(name string) (string, bool) {
	if len(name) <= jobNameSuffixLen || len(name) > jobNameMaxLen {
		return "", false
	}
	prefix, suffix := name[:len(name)-jobNameSuffixLen], name[len(name)-jobNameSuffixLen:]
	if !jobNameRegexp.MatchString(prefix) {
		return "", false
	}
	for _, c := range suffix {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return "", false
		}
	}
	return prefix, true
}

// randomJobName is prefix followed by random hex: a name no other call gives.
func randomJobName(prefix string) string {
	b := make([]byte, jobNameSuffixLen/2)
	_, _ = rand.Read(b) // crypto/rand does not fail on supported platforms
	return prefix + hex.EncodeToString(b)
}

// jobARNFor builds the ARN the service gives a job of the ARN resource type
// ("batch-inference-job"): it ends in the job name, which is what lets a
// retried create find the job it already made.
func jobARNFor(partition, region, accountID, resourceType, jobName string) string {
	return arn.ARN{
		Partition: partition,
		Service:   "personalize",
		Region:    region,
		AccountID: accountID,
		Resource:  resourceType + "/" + jobName,
	}.String()
}
