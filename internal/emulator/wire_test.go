package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"net/http"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
)

func TestEmulator_unknownOperation(t *testing.T) {
	h := newHarness(t, Config{})
	for _, target := range []string{"AmazonPersonalize.CreateCampaign", "SomethingElse.Describe", ""} {
		r := h.raw(target, "{}", nil)
		if r.status != http.StatusBadRequest || r.body["__type"] != "UnknownOperationException" {
			t.Errorf("target %q: got %d %s", target, r.status, r.text)
		}
		if r.header.Get("X-Amzn-ErrorType") != "UnknownOperationException" {
			t.Errorf("target %q: X-Amzn-ErrorType %q", target, r.header.Get("X-Amzn-ErrorType"))
		}
	}
}

func TestEmulator_malformedJSONIsSerializationException(t *testing.T) {
	h := newHarness(t, Config{})
	for body, fragment := range map[string]string{
		`{"jobName":`:            "Malformed JSON",
		`{"jobName": "a"} {}`:    "unexpected data",
		`["jobName"]`:            "JSON object",
		`{"numResults": "many"}`: "numResults",
		`{"numResults": 1.5}`:    "numResults",
		`{"numResults": 1e12}`:   "numResults",
		`{"jobInput": "s3://x"}`: "jobInput",
		`{"tags": {"a": "b"}}`:   "tags",
		`{"jobName": 12}`:        "jobName",
		`{"batchInferenceJobConfig": {"rankingInfluence": {"POPULARITY": "high"}}}`: "high",
	} {
		r := h.raw("AmazonPersonalize.CreateBatchInferenceJob", body, nil)
		if r.status != http.StatusBadRequest || r.body["__type"] != "SerializationException" {
			t.Errorf("body %s: got %d %s", body, r.status, r.text)
			continue
		}
		if msg, _ := r.body["message"].(string); !strings.Contains(msg, fragment) {
			t.Errorf("body %s: message %q does not mention %q", body, msg, fragment)
		}
	}
}

func TestEmulator_memberNamesAreCaseSensitive(t *testing.T) {
	h := newHarness(t, Config{})
	r := h.raw("AmazonPersonalize.DescribeBatchInferenceJob", `{"BatchInferenceJobArn": "`+jobARNPrefix+`x"}`, nil)
	if r.body["__type"] != "InvalidInputException" || !strings.Contains(r.text, "Value null at 'batchInferenceJobArn'") {
		t.Fatalf("a member spelled with other letter case must count as absent: %d %s", r.status, r.text)
	}
}

func TestEmulator_requiredMembersAreNamed(t *testing.T) {
	h := newHarness(t, Config{})
	r := h.raw("AmazonPersonalize.CreateBatchInferenceJob", `{}`, nil)
	if r.body["__type"] != "InvalidInputException" {
		t.Fatalf("got %d %s", r.status, r.text)
	}
	msg, _ := r.body["message"].(string)
	if !strings.HasPrefix(msg, "5 validation errors detected") {
		t.Errorf("message %q", msg)
	}
	for _, m := range []string{"jobName", "solutionVersionArn", "jobInput", "jobOutput", "roleArn"} {
		if !strings.Contains(msg, "Value null at '"+m+"' failed to satisfy constraint: Member must not be null") {
			t.Errorf("message does not name %s: %s", m, msg)
		}
	}
}

func TestEmulator_requestIDOnEveryAnswer(t *testing.T) {
	h := newHarness(t, Config{})
	ok := h.raw("AmazonPersonalize.ListBatchInferenceJobs", `{}`, nil)
	bad := h.raw("AmazonPersonalize.DescribeBatchInferenceJob", `{}`, nil)
	unsigned := h.raw("AmazonPersonalize.ListBatchInferenceJobs", `{}`, map[string]string{"Authorization": ""})
	ids := map[string]bool{}
	for _, r := range []rawResponse{ok, bad, unsigned} {
		id := r.header.Get("x-amzn-RequestId")
		if id == "" || ids[id] {
			t.Errorf("status %d: request id %q missing or reused", r.status, id)
		}
		ids[id] = true
	}
	if ok.status != 200 || ok.header.Get("Content-Type") != awsJSON {
		t.Errorf("list: %d %s %q", ok.status, ok.header.Get("Content-Type"), ok.text)
	}
}

func TestEmulator_timestampsAreEpochSecondNumbers(t *testing.T) {
	h := newHarness(t, Config{})
	arn := h.create(validCreate("stamps"))
	r := h.raw("AmazonPersonalize.DescribeBatchInferenceJob", `{"batchInferenceJobArn":"`+arn+`"}`, nil)
	var out struct {
		Job map[string]json.RawMessage `json:"batchInferenceJob"`
	}
	if err := json.Unmarshal([]byte(r.text), &out); err != nil {
		t.Fatal(err)
	}
	var created float64
	if err := json.Unmarshal(out.Job["creationDateTime"], &created); err != nil {
		t.Fatalf("creationDateTime %s is not a JSON number", out.Job["creationDateTime"])
	}
	if want := float64(h.clock.Now().Unix()); created != want {
		t.Errorf("creationDateTime %v, want %v", created, want)
	}
}

func TestEmulator_bodyLimit(t *testing.T) {
	h := newHarness(t, Config{})
	big := `{"jobName":"` + strings.Repeat("a", maxBodyBytes) + `"}`
	r := h.raw("AmazonPersonalize.CreateBatchInferenceJob", big, nil)
	if r.status != http.StatusRequestEntityTooLarge || r.body["__type"] != "RequestEntityTooLargeException" {
		t.Fatalf("got %d %.200s", r.status, r.text)
	}
	// The server still answers afterwards.
	if r := h.raw("AmazonPersonalize.ListBatchInferenceJobs", `{}`, nil); r.status != 200 {
		t.Fatalf("after an oversized request: %d %s", r.status, r.text)
	}
}

func TestEmulator_methodMustBePost(t *testing.T) {
	h := newHarness(t, Config{})
	req, _ := http.NewRequest(http.MethodGet, h.srv.URL+"/", nil)
	req.Header.Set("X-Amz-Target", "AmazonPersonalize.ListBatchInferenceJobs")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=A/20250601/us-east-1/personalize/aws4_request, SignedHeaders=host, Signature=0")
	r := h.do(req)
	if r.status != http.StatusBadRequest || r.body["__type"] != "UnknownOperationException" {
		t.Fatalf("GET: %d %s", r.status, r.text)
	}
}

// modelShape is a shape of the service model botocore ships, as
// testdata/model_shapes.py prints it.
type modelShape struct {
	Type     string                 `json:"type"`
	Members  map[string]*modelShape `json:"members"`
	Required []string               `json:"required"`
	Member   *modelShape            `json:"member"` // of a list
	Value    *modelShape            `json:"value"`  // of a map
	Enum     []string               `json:"enum"`
	Max      *int                   `json:"max"`
}

type modelOperation struct {
	Input  *modelShape `json:"input"`
	Output *modelShape `json:"output"`
	Errors []string    `json:"errors"`
}

// serviceModel reads the operations' shapes from botocore's Personalize
// model, the service's own description of its wire; it skips the test on a
// machine without python3 and botocore.
func serviceModel(t *testing.T, ops []string) map[string]modelOperation {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not on PATH")
	}
	out, err := exec.Command(python, append([]string{filepath.Join("testdata", "model_shapes.py")}, ops...)...).Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) && strings.Contains(string(exit.Stderr), "No module named 'botocore'") {
			t.Skip("botocore is not installed")
		}
		t.Fatalf("reading the service model: %v", err)
	}
	model := map[string]modelOperation{}
	if err := json.Unmarshal(out, &model); err != nil {
		t.Fatal(err)
	}
	return model
}

// conforms checks that a JSON value the emulator sent is one the model
// allows: known members only, the required ones present, every value of
// its member's type and enum.
func conforms(t *testing.T, path string, v any, s *modelShape) {
	t.Helper()
	switch s.Type {
	case "structure":
		obj, ok := v.(map[string]any)
		if !ok {
			t.Errorf("%s: %v is not an object", path, v)
			return
		}
		for name, member := range obj {
			if s.Members[name] == nil {
				t.Errorf("%s.%s: no such member in the model (it has %v)", path, name, slices.Sorted(maps.Keys(s.Members)))
				continue
			}
			conforms(t, path+"."+name, member, s.Members[name])
		}
		for _, name := range s.Required {
			if _, ok := obj[name]; !ok {
				t.Errorf("%s.%s: required, missing", path, name)
			}
		}
	case "list":
		list, ok := v.([]any)
		if !ok {
			t.Errorf("%s: %v is not a list", path, v)
		}
		for i, item := range list {
			conforms(t, fmt.Sprintf("%s[%d]", path, i), item, s.Member)
		}
	case "map":
		obj, ok := v.(map[string]any)
		if !ok {
			t.Errorf("%s: %v is not a map", path, v)
		}
		for k, item := range obj {
			conforms(t, path+"."+k, item, s.Value)
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			t.Errorf("%s: %v is not a string", path, v)
		}
		if len(s.Enum) > 0 && !slices.Contains(s.Enum, str) {
			t.Errorf("%s: %q is none of %v", path, str, s.Enum)
		}
		if s.Max != nil && len(str) > *s.Max {
			t.Errorf("%s: %d characters, at most %d", path, len(str), *s.Max)
		}
	case "timestamp", "double", "float":
		if _, ok := v.(float64); !ok {
			t.Errorf("%s: %v is not a number", path, v)
		}
	case "integer", "long":
		if f, ok := v.(float64); !ok || f != math.Trunc(f) {
			t.Errorf("%s: %v is not an integer", path, v)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			t.Errorf("%s: %v is not a boolean", path, v)
		}
	default:
		t.Errorf("%s: model type %s not checked", path, s.Type)
	}
}

// requestMembers are the members the emulator reads from each operation's
// request: a request type's JSON members, or for the operations served from
// a table, the members that table names.
func requestMembers(op string) []string {
	types := map[string]any{
		"CreateBatchInferenceJob": createBatchInferenceJobRequest{}, "CreateBatchSegmentJob": createBatchSegmentJobRequest{},
		"CreateDatasetImportJob": createDatasetImportJobRequest{}, "CreateSolutionVersion": createSolutionVersionRequest{},
		"TagResource": tagResourceRequest{}, "UntagResource": untagResourceRequest{},
	}
	if v, ok := types[op]; ok {
		members := map[string]reflect.Type{}
		jsonMembers(reflect.TypeOf(v), members)
		return slices.Sorted(maps.Keys(members))
	}
	paging := []string{"maxResults", "nextToken"}
	switch op {
	case "DescribeSolutionVersion", "StopSolutionVersionCreation", "GetSolutionMetrics":
		return []string{"solutionVersionArn"}
	case "ListTagsForResource":
		return []string{"resourceArn"}
	case "ListSolutionVersions":
		return []string{"maxResults", "nextToken", "solutionArn"}
	}
	for _, spec := range jobKinds {
		switch op {
		case spec.describeOp:
			return []string{spec.arnMember}
		case spec.listOp:
			return slices.Sorted(slices.Values(append(paging, spec.filter.member)))
		}
	}
	for _, l := range catalogListings {
		switch {
		case op == l.describeOp:
			return []string{l.arnMember}
		case op == l.listOp && l.filterMember != "":
			return slices.Sorted(slices.Values(append(paging, l.filterMember)))
		case op == l.listOp:
			return paging
		}
	}
	return nil
}

// commonErrors may answer any operation (the API reference's common errors,
// and the emulator's injected faults).
var commonErrors = []string{"ThrottlingException", "InternalFailure", "ServiceUnavailable", "SerializationException"}

// Every operation reads the members the service model gives its request and
// answers with members, types and enum values the model gives its response,
// and with error names the model lists for it.
func TestEmulator_operationsMatchTheServiceModel(t *testing.T) {
	ops := slices.Sorted(maps.Keys(operations))
	model := serviceModel(t, ops)
	for _, op := range ops {
		var want []string
		for name := range model[op].Input.Members {
			want = append(want, name)
		}
		slices.Sort(want)
		if got := requestMembers(op); !slices.Equal(got, want) {
			t.Errorf("%s reads %v; the model's request has %v", op, got, want)
		}
	}

	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "data/interactions.csv"), interactionsCSV)
	h := newHarness(t, Config{S3Dir: dir, MaxRunningImportJobs: 3, MaxRunningTrainings: 2})
	job := h.create(validCreate("model"))
	segment := h.createSegment(validSegment("model"))
	imported := h.createImport(importInput("model", fixtureInteractions, "s3://data/interactions.csv"))
	failed := h.createImport(importInput("model-failed", fixtureInteractions, "s3://data/missing.csv"))
	trained := h.train(&personalize.CreateSolutionVersionInput{SolutionArn: aws.String(solutionUP), Name: aws.String("model")})
	calls := []struct{ op, body string }{
		{"CreateBatchInferenceJob", `{}`},
		{"CreateBatchInferenceJob", `{"jobName":"model","solutionVersionArn":"` + fixtureUP + `","jobInput":{"s3DataSource":{"path":"s3://a/b"}},"jobOutput":{"s3DataDestination":{"path":"s3://a/c"}},"roleArn":"` + testRole + `"}`},
		{"CreateBatchInferenceJob", `{"jobName":"model-2","solutionVersionArn":"` + fixtureUP + `","jobInput":{"s3DataSource":{"path":"s3://a/b"}},"jobOutput":{"s3DataDestination":{"path":"s3://a/c"}},"roleArn":"` + testRole + `"}`},
		{"CreateBatchSegmentJob", `{"jobName":"model-2","solutionVersionArn":"` + fixtureUP + `","jobInput":{"s3DataSource":{"path":"s3://a/b"}},"jobOutput":{"s3DataDestination":{"path":"s3://a/c"}},"roleArn":"` + testRole + `"}`},
		{"CreateBatchSegmentJob", `{"jobName":"model-2","solutionVersionArn":"` + fixtureAffinity + `","jobInput":{"s3DataSource":{"path":"s3://a/b"}},"jobOutput":{"s3DataDestination":{"path":"s3://a/c"}},"roleArn":"` + testRole + `"}`},
		{"CreateDatasetImportJob", `{"jobName":"model-3","datasetArn":"` + fixtureInteractions + `","dataSource":{"dataLocation":"s3://a/b"}}`},
		{"CreateDatasetImportJob", `{"jobName":"model","datasetArn":"` + fixtureInteractions + `","dataSource":{"dataLocation":"s3://a/b"}}`},
		{"CreateDatasetImportJob", `{"jobName":"model-3","datasetArn":"` + fixtureGroup + `","dataSource":{"dataLocation":"s3://a/b"}}`},
		{"CreateDatasetImportJob", `{"jobName":"model-4","datasetArn":"` + fixtureItems + `","dataSource":{"dataLocation":"s3://a/b"},"importMode":"INCREMENTAL"}`},
		{"CreateDatasetImportJob", `{"jobName":"model-4","datasetArn":"` + fixtureItems + `","dataSource":{"dataLocation":"s3://a/b"}}`},
		{"CreateSolutionVersion", `{"solutionArn":"` + solutionUP + `"}`},
		{"CreateSolutionVersion", `{"solutionArn":"` + solutionARN(fixtureSIMS) + `"}`},
		{"CreateSolutionVersion", `{"solutionArn":"` + solutionUP + `-x"}`},
		{"CreateSolutionVersion", `{"solutionArn":"` + solutionUP + `","trainingMode":"AUTOTRAIN"}`},
		{"CreateSolutionVersion", `{"solutionArn":"` + solutionARN(fixtureRanking) + `","trainingMode":"UPDATE"}`},
		{"CreateSolutionVersion", `{"solutionArn":"` + solutionARN(fixtureAffinity) + `"}`},
		{"DescribeBatchInferenceJob", `{"batchInferenceJobArn":"` + job + `"}`},
		{"DescribeBatchSegmentJob", `{"batchSegmentJobArn":"` + segment + `"}`},
		{"DescribeDatasetImportJob", `{"datasetImportJobArn":"` + imported + `"}`},
		{"DescribeDatasetImportJob", `{"datasetImportJobArn":"` + job + `"}`},
		{"DescribeDatasetGroup", `{"datasetGroupArn":"` + fixtureGroup + `"}`},
		{"DescribeDataset", `{"datasetArn":"` + fixtureItems + `"}`},
		{"DescribeSchema", `{"schemaArn":"arn:aws:personalize:us-east-1:123456789012:schema/demo-interactions"}`},
		{"DescribeSolutionVersion", `{"solutionVersionArn":"` + trained + `"}`},
		{"DescribeSolutionVersion", `{"solutionVersionArn":"` + fixtureUPFailed + `"}`},
		{"GetSolutionMetrics", `{"solutionVersionArn":"` + trained + `"}`},
		{"GetSolutionMetrics", `{"solutionVersionArn":"` + fixtureUPFailed + `"}`},
		{"StopSolutionVersionCreation", `{"solutionVersionArn":"` + fixtureUP + `"}`},
		{"ListBatchInferenceJobs", `{"maxResults":1}`},
		{"ListBatchSegmentJobs", `{}`},
		{"ListDatasetImportJobs", `{"maxResults":1}`},
		{"ListDatasetImportJobs", `{"nextToken":"nope"}`},
		{"ListDatasetGroups", `{}`},
		{"ListDatasets", `{"datasetGroupArn":"` + fixtureGroup + `"}`},
		{"ListSchemas", `{"maxResults":1}`},
		{"ListSolutionVersions", `{"solutionArn":"` + solutionUP + `"}`},
		{"ListTagsForResource", `{"resourceArn":"` + imported + `"}`},
		{"TagResource", `{"resourceArn":"` + trained + `","tags":[{"tagKey":"a","tagValue":"b"}]}`},
		{"UntagResource", `{"resourceArn":"` + fixtureGroup + `","tagKeys":["a"]}`},
		{"StopSolutionVersionCreation", `{"solutionVersionArn":"` + trained + `"}`},
		{"StopSolutionVersionCreation", `{"solutionVersionArn":"` + trained + `"}`},
		// Once the jobs are done, their answers hold their final members.
		{"", ""},
		{"DescribeDatasetImportJob", `{"datasetImportJobArn":"` + failed + `"}`},
		{"DescribeBatchInferenceJob", `{"batchInferenceJobArn":"` + job + `"}`},
		{"GetSolutionMetrics", `{"solutionVersionArn":"` + fixtureUP + `"}`},
	}
	answered := map[string]bool{}
	for _, c := range calls {
		if c.op == "" {
			h.clock.Advance(time.Hour)
			if j := h.runImportToEnd(importInput("model-last", fixtureInteractions, "s3://data/missing.csv")); aws.ToString(j.Status) != "CREATE FAILED" {
				t.Fatalf("an import of a missing file: %+v", j)
			}
			continue
		}
		r := h.raw("AmazonPersonalize."+c.op, c.body, nil)
		m := model[c.op]
		if r.status != http.StatusOK {
			if code, _ := r.body["__type"].(string); !slices.Contains(m.Errors, code) && !slices.Contains(commonErrors, code) {
				t.Errorf("%s %s answered %s, which the model does not list (%v): %s", c.op, c.body, code, m.Errors, r.text)
			}
			continue
		}
		answered[c.op] = true
		var body any
		if err := json.Unmarshal([]byte(r.text), &body); err != nil {
			t.Fatalf("%s: %v", c.op, err)
		}
		if m.Output == nil {
			m.Output = &modelShape{Type: "structure"}
		}
		conforms(t, c.op, body, m.Output)
	}
	for _, op := range ops {
		if !answered[op] {
			t.Errorf("%s never answered; add a call that succeeds", op)
		}
	}
}
