package emulator

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

var fuzzTargets = []string{
	"CreateBatchInferenceJob", "DescribeBatchInferenceJob", "ListBatchInferenceJobs",
	"TagResource", "UntagResource", "ListTagsForResource",
	"CreateBatchSegmentJob", "DescribeBatchSegmentJob", "ListBatchSegmentJobs",
	"DescribeSolutionVersion", "ListSolutionVersions",
}

// FuzzDecodeRequest feeds arbitrary bodies to every operation. Whatever
// arrives, the emulator must not panic and must answer with a well-formed
// awsJson response: 200 with a JSON object, or an error with a name in both
// the body and the X-Amzn-ErrorType header.
func FuzzDecodeRequest(f *testing.F) {
	valid := `{"jobName":"fz","solutionVersionArn":"` + fixtureSIMS + `","jobInput":{"s3DataSource":{"path":"s3://in/x"}},` +
		`"jobOutput":{"s3DataDestination":{"path":"s3://out/"}},"roleArn":"` + testRole + `","numResults":10,` +
		`"batchInferenceJobMode":"THEME_GENERATION","themeGenerationConfig":{"fieldsForThemeGeneration":{"itemName":"title"}},` +
		`"tags":[{"tagKey":"k","tagValue":"v"}]}`
	seeds := []struct {
		op   uint8
		body string
	}{
		{0, valid},
		{0, `{"jobName":"fz2","solutionVersionArn":"` + fixtureUP + `","jobInput":{"s3DataSource":{"path":"s3://a/b"}},"jobOutput":{"s3DataDestination":{"path":"s3://c/"}},"roleArn":"` + testRole + `","batchInferenceJobConfig":{"itemExplorationConfig":{"explorationWeight":"0.5"},"rankingInfluence":{"POPULARITY":0.2,"FRESHNESS":"NaN"}}}`},
		{0, `{}`},
		{0, ``},
		{0, `null`},
		{0, `{"jobName":null,"tags":[null,{}],"numResults":-1}`},
		{1, `{"batchInferenceJobArn":"` + jobARNPrefix + `fz"}`},
		{1, `{"batchInferenceJobArn":7}`},
		{2, `{"maxResults":1,"nextToken":"abc.def"}`},
		{2, `{"solutionVersionArn":"` + fixtureUP + `","maxResults":100}`},
		{3, `{"resourceArn":"` + fixtureFilter + `","tags":[{"tagKey":"a","tagValue":"b"}]}`},
		{4, `{"resourceArn":"` + fixtureFilter + `","tagKeys":["a",null]}`},
		{5, `{"resourceArn":"` + jobARNPrefix + `fz"}`},
		{6, `{"jobName":"fzs","solutionVersionArn":"` + fixtureAffinity + `","jobInput":{"s3DataSource":{"path":"s3://in/x"}},"jobOutput":{"s3DataDestination":{"path":"s3://out/"}},"roleArn":"` + testRole + `","numResults":5000000,"tags":[{"tagKey":"k","tagValue":"v"}]}`},
		{7, `{"batchSegmentJobArn":"` + segmentARNPrefix + `fzs"}`},
		{8, `{"solutionVersionArn":"` + fixtureAffinity + `","maxResults":1,"nextToken":"abc.def"}`},
		{9, `{"solutionVersionArn":"` + fixtureUPFailed + `"}`},
		{10, `{"solutionArn":"` + solutionUP + `","maxResults":1}`},
		{11, `{"jobName":"\u0000\ud800"}`},
		{12, `[[[[[[[[[[]]]]]]]]]]`},
	}
	for _, s := range seeds {
		f.Add(s.op, []byte(s.body))
	}
	em, err := New(Config{JobDuration: time.Millisecond, MaxRunningJobs: 1 << 20})
	if err != nil {
		f.Fatal(err)
	}
	defer em.Close()

	f.Fuzz(func(t *testing.T, op uint8, body []byte) {
		target := "AmazonPersonalize.Bogus"
		if int(op) < len(fuzzTargets) {
			target = "AmazonPersonalize." + fuzzTargets[op]
		}
		if em.Stats().Jobs > 5000 {
			em.Reset()
		}
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(string(body)))
		req.Header.Set("X-Amz-Target", target)
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=A/20250101/us-east-1/personalize/aws4_request, SignedHeaders=host, Signature=0")
		rec := httptest.NewRecorder()
		em.ServeHTTP(rec, req)

		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s: answer is not a JSON object: %q", target, rec.Body.String())
		}
		switch rec.Code {
		case http.StatusOK:
			if rec.Header().Get("X-Amzn-ErrorType") != "" {
				t.Fatalf("200 with an error type")
			}
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			typ, _ := out["__type"].(string)
			if typ == "" || rec.Header().Get("X-Amzn-ErrorType") != typ || out["message"] == nil {
				t.Fatalf("%s: malformed error %d %q", target, rec.Code, rec.Body.String())
			}
		default:
			t.Fatalf("%s: unexpected status %d: %s", target, rec.Code, rec.Body.String())
		}
	})
}
