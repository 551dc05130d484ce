// Package acctest runs the provider's acceptance tests with the real
// terraform binary against an in-process Personalize emulator, so they need
// no AWS account.
//
// The same tests run against AWS with PERSONALIZE_ACC_TARGET=aws and these
// fixtures (all required; the bucket must hold the input files the emulator
// gets seeded with, see SeedInput):
//
//	AWS_REGION (or AWS_DEFAULT_REGION), and credentials as the AWS SDK finds them
//	PERSONALIZE_ACC_USER_PERSONALIZATION_SV   solution version ARN, User-Personalization recipe
//	PERSONALIZE_ACC_SIMILAR_ITEMS_SV          solution version ARN, Similar-Items recipe
//	PERSONALIZE_ACC_PERSONALIZED_RANKING_SV   solution version ARN, Personalized-Ranking recipe
//	PERSONALIZE_ACC_ITEM_AFFINITY_SV          solution version ARN, Item-Affinity recipe (batch segment jobs)
//	PERSONALIZE_ACC_FILTER_ARN                a filter of the User-Personalization dataset group
//	PERSONALIZE_ACC_ROLE_ARN                  a role Personalize can assume to read and write the bucket
//	PERSONALIZE_ACC_BUCKET                    the bucket holding input/, items/, ranking/ and segments/
//
// Tests of dataset import jobs also need (they skip without it):
//
//	PERSONALIZE_ACC_INTERACTIONS_DATASET      an Interactions dataset (USER_ID, ITEM_ID, TIMESTAMP) the
//	                                          tests may overwrite; the bucket must hold imports/interactions.csv
//
// Tests that need the emulator's controls (faults, quota, reset, call
// counts) skip there.
package acctest

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
	"github.com/tfpersonalize/terraform-provider-personalize/internal/provider"
)

// ResourceType is the type name of the resource under test.
const ResourceType = "personalize_batch_inference_job"

// JobDuration is the emulator's job clock in tests: long enough for a job to
// be seen PENDING or IN PROGRESS, short enough to keep the suite quick.
const JobDuration = 300 * time.Millisecond

// ProtoV6ProviderFactories serves the provider in the test process.
var ProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"personalize": providerserver.NewProtocol6WithError(provider.New("acctest")()),
}

// Env is where a test's jobs run: an emulator of its own, or AWS.
type Env struct {
	// Emulator is nil against AWS.
	Emulator *emulator.Emulator
	// Endpoint is the emulator's URL ("" against AWS).
	Endpoint string
	// S3Dir is the emulator's local S3 root ("" against AWS).
	S3Dir string

	Region    string
	AccountID string
	Bucket    string

	UserPersonalizationSV string
	SimilarItemsSV        string
	PersonalizedRankingSV string
	// ItemAffinitySV runs batch segment jobs.
	ItemAffinitySV string
	FilterARN      string
	RoleARN        string
	// InteractionsDataset receives dataset import jobs: its schema requires
	// the columns USER_ID, ITEM_ID and TIMESTAMP. "" against AWS when no
	// such dataset is given.
	InteractionsDataset string
}

// Inputs the emulator's bucket is seeded with, one prefix per recipe family.
const (
	UserInputPrefix    = "input/"
	ItemInputPrefix    = "items/"
	RankingInputPrefix = "ranking/"
	SegmentInputPrefix = "segments/"
	// InteractionsCSV holds records every column of InteractionsDataset's
	// schema.
	InteractionsCSV = "imports/interactions.csv"
)

var seedFiles = map[string]string{
	UserInputPrefix + "users.jsonl":      "{\"userId\":\"4638\"}\n{\"userId\":\"891\"}\n{\"userId\":\"105\"}\n",
	ItemInputPrefix + "items.jsonl":      "{\"itemId\":\"105\"}\n{\"itemId\":\"27\"}\n",
	RankingInputPrefix + "ranking.jsonl": "{\"userId\":\"891\",\"itemList\":[\"27\",\"886\",\"105\"]}\n",
	SegmentInputPrefix + "items.jsonl":   "{\"itemId\":\"105\"}\n{\"itemId\":\"27\"}\n",
	InteractionsCSV:                      "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n4638,105,1714000000,click\n891,27,1714000060,purchase\n",
}

// TargetAWS reports whether the tests run against AWS instead of the emulator.
func TargetAWS() bool {
	return os.Getenv("PERSONALIZE_ACC_TARGET") == "aws"
}

// New returns the environment for one test. Against the emulator it starts
// one on a random loopback port with a fast job clock and a seeded bucket,
// stopped when the test ends; tests that each call New can run in parallel.
func New(t *testing.T) *Env {
	t.Helper()
	if TargetAWS() {
		return awsEnv(t)
	}
	env := emulatorEnv(t)
	em, err := emulator.New(emulator.Config{
		Region:      env.Region,
		AccountID:   env.AccountID,
		JobDuration: JobDuration,
		// Imports run on the same clock as jobs.
		ImportDuration: JobDuration,
		S3Dir:          env.S3Dir,
	})
	if err != nil {
		t.Fatalf("starting the emulator: %s", err)
	}
	srv := httptest.NewServer(em)
	t.Cleanup(func() {
		srv.Close()
		em.Close()
	})
	env.Emulator = em
	env.Endpoint = srv.URL
	return env
}

// emulatorEnv is an environment for an emulator yet to start: a seeded local
// S3, and the region, account, role and fixtures the emulator offers.
func emulatorEnv(t *testing.T) *Env {
	t.Helper()
	env := &Env{
		S3Dir:     t.TempDir(),
		Region:    "us-east-1",
		AccountID: "123456789012",
		Bucket:    "acc-bucket",
		RoleARN:   "arn:aws:iam::123456789012:role/PersonalizeBatchAcc",
	}
	for key, body := range seedFiles {
		env.WriteObject(t, env.Bucket, key, body)
	}
	prefix := fmt.Sprintf("arn:aws:personalize:%s:%s:", env.Region, env.AccountID)
	env.UserPersonalizationSV = prefix + "solution/demo-user-personalization/1a2b3c4d"
	env.SimilarItemsSV = prefix + "solution/demo-similar-items/5e6f7a8b"
	env.PersonalizedRankingSV = prefix + "solution/demo-personalized-ranking/9c0d1e2f"
	env.ItemAffinitySV = prefix + "solution/demo-item-affinity/3c4d5e6f"
	env.FilterARN = prefix + "filter/demo-filter"
	env.InteractionsDataset = prefix + "dataset/demo/INTERACTIONS"
	return env
}

func awsEnv(t *testing.T) *Env {
	region := os.Getenv("AWS_REGION")
	if region == "" {
		region = os.Getenv("AWS_DEFAULT_REGION")
	}
	env := &Env{
		Region:                region,
		Bucket:                os.Getenv("PERSONALIZE_ACC_BUCKET"),
		UserPersonalizationSV: os.Getenv("PERSONALIZE_ACC_USER_PERSONALIZATION_SV"),
		SimilarItemsSV:        os.Getenv("PERSONALIZE_ACC_SIMILAR_ITEMS_SV"),
		PersonalizedRankingSV: os.Getenv("PERSONALIZE_ACC_PERSONALIZED_RANKING_SV"),
		ItemAffinitySV:        os.Getenv("PERSONALIZE_ACC_ITEM_AFFINITY_SV"),
		FilterARN:             os.Getenv("PERSONALIZE_ACC_FILTER_ARN"),
		RoleARN:               os.Getenv("PERSONALIZE_ACC_ROLE_ARN"),
		InteractionsDataset:   os.Getenv("PERSONALIZE_ACC_INTERACTIONS_DATASET"),
	}
	var missing []string
	for name, v := range map[string]string{
		"AWS_REGION": env.Region, "PERSONALIZE_ACC_BUCKET": env.Bucket, "PERSONALIZE_ACC_ROLE_ARN": env.RoleARN,
		"PERSONALIZE_ACC_USER_PERSONALIZATION_SV": env.UserPersonalizationSV, "PERSONALIZE_ACC_SIMILAR_ITEMS_SV": env.SimilarItemsSV,
		"PERSONALIZE_ACC_PERSONALIZED_RANKING_SV": env.PersonalizedRankingSV, "PERSONALIZE_ACC_FILTER_ARN": env.FilterARN,
		"PERSONALIZE_ACC_ITEM_AFFINITY_SV": env.ItemAffinitySV,
	} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("PERSONALIZE_ACC_TARGET=aws needs %s (see internal/acctest's package documentation)", strings.Join(missing, ", "))
	}
	if m := regexp.MustCompile(`^arn:[^:]+:personalize:[^:]*:(\d{12}):`).FindStringSubmatch(env.UserPersonalizationSV); m != nil {
		env.AccountID = m[1]
	}
	return env
}

// RequireEmulator skips a test that needs the emulator's controls when the
// tests run against AWS, and returns the emulator otherwise.
func (e *Env) RequireEmulator(t *testing.T) *emulator.Emulator {
	t.Helper()
	if e.Emulator == nil {
		t.Skip("needs the emulator's controls (faults, quota, reset or call counts), which AWS does not offer")
	}
	return e.Emulator
}

// RequireDataset skips a test of dataset import jobs when the tests run
// against AWS with no dataset to import into, and returns the dataset.
func (e *Env) RequireDataset(t *testing.T) string {
	t.Helper()
	if e.InteractionsDataset == "" {
		t.Skip("needs PERSONALIZE_ACC_INTERACTIONS_DATASET, a dataset the tests may import into")
	}
	return e.InteractionsDataset
}

// ProviderConfig is a provider block for the environment, with extra HCL
// (default_tags, ignore_tags …) inside it. Against the emulator it points
// both endpoints at it and uses static test credentials.
func (e *Env) ProviderConfig(extra string) string {
	if e.Endpoint == "" {
		return fmt.Sprintf("provider \"personalize\" {\n  region = %q\n%s\n}\n", e.Region, extra)
	}
	return fmt.Sprintf(`provider "personalize" {
  region     = %[1]q
  access_key = "acctest"
  secret_key = "acctest"
  endpoints {
    personalize = %[2]q
    sts         = %[2]q
  }
%[3]s
}
`, e.Region, e.Endpoint, extra)
}

// S3URL is an s3:// URL in the environment's bucket.
func (e *Env) S3URL(key string) string {
	return "s3://" + e.Bucket + "/" + key
}

// OutputPrefix is an output location of its own for a test's job.
func (e *Env) OutputPrefix(name string) string {
	return e.S3URL("output/" + name + "/")
}

// WriteObject puts an object into the emulator's local S3.
func (e *Env) WriteObject(t *testing.T, bucket, key, body string) {
	t.Helper()
	if e.S3Dir == "" {
		t.Fatal("WriteObject needs the emulator's local S3")
	}
	p := filepath.Join(e.S3Dir, bucket, filepath.FromSlash(key))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// ReadObject reads an object from the emulator's local S3.
func (e *Env) ReadObject(bucket, key string) (string, error) {
	b, err := os.ReadFile(filepath.Join(e.S3Dir, bucket, filepath.FromSlash(key)))
	return string(b), err
}

// Calls is how many requests of an operation the emulator has served.
func (e *Env) Calls(operation string) int {
	return e.Emulator.Stats().Calls[operation]
}

// Jobs is how many jobs the emulator holds.
func (e *Env) Jobs() int {
	return e.Emulator.Stats().Jobs
}

// SegmentJobs is how many batch segment jobs the emulator holds.
func (e *Env) SegmentJobs() int {
	return e.Emulator.Stats().SegmentJobs
}

var nameSeq atomic.Int64

// RandomName is a job name no other test (or earlier run against AWS) uses.
func RandomName(prefix string) string {
	return fmt.Sprintf("%s-%d-%d", prefix, time.Now().Unix()%1_000_000_000, nameSeq.Add(1))
}
