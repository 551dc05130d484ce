package personalize

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
)

const (
	// ResourceTypeName is the resource's (and data source's) name in configurations.
	ResourceTypeName = "personalize_batch_inference_job"

	jobNameMaxLen = 63
	// A generated suffix is a UTC timestamp to the second, then a counter and
	// random hex, so names sort by creation time and two names generated in the
	// same second (parallel applies, several machines) still differ.
	jobNameTimestamp = "20060102150405"
	jobNameSuffixLen = len(jobNameTimestamp) + 4 + 6
	// JobNamePrefixMaxLen keeps generated names within the API's 63 characters.
	JobNamePrefixMaxLen = jobNameMaxLen - jobNameSuffixLen
)

var (
	nameCounterMu sync.Mutex
	nameCounter   uint16
)

// generateJobName returns prefix followed by a suffix no other call returns:
// job names are unique per account and region for ever, so each replacement
// needs a fresh one.
func generateJobName(prefix string, now time.Time) string {
	nameCounterMu.Lock()
	nameCounter++
	n := nameCounter
	nameCounterMu.Unlock()

	random := make([]byte, 3)
	if _, err := rand.Read(random); err != nil {
		// crypto/rand does not fail on supported platforms; the counter and
		// timestamp still keep names from one process apart.
		copy(random, []byte{0, 0, 0})
	}
	return fmt.Sprintf("%s%s%04x%s", prefix, now.UTC().Format(jobNameTimestamp), n, hex.EncodeToString(random))
}

// prefixOfGeneratedName returns the prefix generateJobName was given for
// name, when name has the shape of a generated name: a valid prefix followed
// by a timestamp, a counter and random hex.
func prefixOfGeneratedName(name string) (string, bool) {
	if len(name) <= jobNameSuffixLen || len(name) > jobNameMaxLen {
		return "", false
	}
	prefix, suffix := name[:len(name)-jobNameSuffixLen], name[len(name)-jobNameSuffixLen:]
	stamp, rest := suffix[:len(jobNameTimestamp)], suffix[len(jobNameTimestamp):]
	if _, err := time.Parse(jobNameTimestamp, stamp); err != nil || !jobNameRegexp.MatchString(prefix) {
		return "", false
	}
	for _, c := range rest {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return "", false
		}
	}
	return prefix, true
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
