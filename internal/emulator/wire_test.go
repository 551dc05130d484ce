package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
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
