package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

func (h *harness) stsClient(accessKey, secretKey string) *sts.Client {
	return sts.New(sts.Options{
		BaseEndpoint:     aws.String(h.srv.URL),
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider(accessKey, secretKey, ""),
		RetryMaxAttempts: 1,
	})
}

func TestEmulator_sigv4Verified(t *testing.T) {
	h := newHarness(t, Config{AccessKey: "AKIDVERIFY", SecretKey: "s3cr3t/key+1"})
	good := h.newClient("AKIDVERIFY", "s3cr3t/key+1")
	if _, err := good.CreateBatchInferenceJob(ctx, validCreate("signed")); err != nil {
		t.Fatalf("correctly signed create: %v", err)
	}
	if _, err := good.ListBatchInferenceJobs(ctx, &personalize.ListBatchInferenceJobsInput{}); err != nil {
		t.Fatalf("correctly signed list: %v", err)
	}
	withToken := personalize.New(personalize.Options{
		BaseEndpoint: aws.String(h.srv.URL), Region: "us-east-1", RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDVERIFY", "s3cr3t/key+1", "session-token"),
	})
	if _, err := withToken.ListBatchInferenceJobs(ctx, &personalize.ListBatchInferenceJobsInput{}); err != nil {
		t.Fatalf("signed with a session token: %v", err)
	}

	_, err := h.newClient("AKIDVERIFY", "wrong").ListBatchInferenceJobs(ctx, &personalize.ListBatchInferenceJobsInput{})
	wantAPIError(t, err, "InvalidSignatureException", "signature")
	if httpStatus(err) != http.StatusForbidden {
		t.Errorf("bad signature: HTTP %d", httpStatus(err))
	}
	_, err = h.newClient("AKIDOTHER", "s3cr3t/key+1").ListBatchInferenceJobs(ctx, &personalize.ListBatchInferenceJobsInput{})
	wantAPIError(t, err, "UnrecognizedClientException", "security token")
	if httpStatus(err) != http.StatusForbidden {
		t.Errorf("unknown key: HTTP %d", httpStatus(err))
	}
	_, err = h.newClient("AKIDVERIFY", "s3cr3t/key+1", func(o *personalize.Options) { o.Region = "eu-west-1" }).
		ListBatchInferenceJobs(ctx, &personalize.ListBatchInferenceJobsInput{})
	wantAPIError(t, err, "InvalidSignatureException", "eu-west-1")

	if _, err := h.stsClient("AKIDVERIFY", "s3cr3t/key+1").GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatalf("STS correctly signed: %v", err)
	}
	_, err = h.stsClient("AKIDVERIFY", "nope").GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantAPIError(t, err, "SignatureDoesNotMatch")
	_, err = h.stsClient("AKIDOTHER", "nope").GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantAPIError(t, err, "InvalidClientTokenId")
	if n := h.em.Stats().Jobs; n != 1 {
		t.Errorf("%d jobs; only the signed create should have made one", n)
	}
}

// signedRequest signs a request the way the SDK does, so a test can then
// tamper with it.
func signedRequest(t *testing.T, h *harness, body string, at time.Time) *http.Request {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/", strings.NewReader(body))
	req.Header.Set("Content-Type", awsJSON)
	req.Header.Set("X-Amz-Target", "AmazonPersonalize.ListBatchInferenceJobs")
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: "AKIDVERIFY", SecretAccessKey: "secret"}
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "personalize", "us-east-1", at); err != nil {
		t.Fatal(err)
	}
	return req
}

func TestEmulator_sigv4RejectsTamperingAndReplays(t *testing.T) {
	h := newHarness(t, Config{AccessKey: "AKIDVERIFY", SecretKey: "secret"})
	if r := h.do(signedRequest(t, h, `{"maxResults":5}`, time.Now())); r.status != 200 {
		t.Fatalf("untampered: %d %s", r.status, r.text)
	}

	req := signedRequest(t, h, `{"maxResults":5}`, time.Now())
	req.Body = readCloser(`{"maxResults":6}`)
	req.ContentLength = int64(len(`{"maxResults":6}`))
	if r := h.do(req); r.status != 403 || r.body["__type"] != "InvalidSignatureException" {
		t.Errorf("tampered body: %d %s", r.status, r.text)
	}

	req = signedRequest(t, h, `{}`, time.Now())
	req.Header.Set("X-Amz-Target", "AmazonPersonalize.DescribeBatchInferenceJob")
	if r := h.do(req); r.status != 403 || r.body["__type"] != "InvalidSignatureException" {
		t.Errorf("tampered signed header: %d %s", r.status, r.text)
	}

	old := signedRequest(t, h, `{}`, time.Now().Add(-time.Hour))
	if r := h.do(old); r.status != 403 || !strings.Contains(r.text, "Signature expired") {
		t.Errorf("an hour-old signature: %d %s", r.status, r.text)
	}

	req = signedRequest(t, h, `{}`, time.Now())
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDVERIFY/20250101/us-east-1/personalize/aws4_request")
	if r := h.do(req); r.status != 400 || r.body["__type"] != "IncompleteSignatureException" {
		t.Errorf("malformed Authorization: %d %s", r.status, r.text)
	}
}

func TestEmulator_missingAuthentication(t *testing.T) {
	for _, cfg := range []Config{{}, {AccessKey: "A", SecretKey: "B"}} {
		h := newHarness(t, cfg)
		r := h.raw("AmazonPersonalize.ListBatchInferenceJobs", `{}`, map[string]string{"Authorization": ""})
		if r.status != http.StatusForbidden || r.body["__type"] != "MissingAuthenticationTokenException" || r.header.Get("X-Amzn-ErrorType") != "MissingAuthenticationTokenException" {
			t.Errorf("verify=%v: %d %s", cfg.AccessKey != "", r.status, r.text)
		}
	}
	// Without configured keys, any signed request is accepted.
	h := newHarness(t, Config{})
	if _, err := h.newClient("anything", "at-all").ListBatchInferenceJobs(ctx, &personalize.ListBatchInferenceJobsInput{}); err != nil {
		t.Fatal(err)
	}
}

// The emulator's SigV4 must agree with the SDK's signer on requests whose
// canonical form is not trivial: escaped paths, repeated and unsorted query
// parameters, headers with runs of spaces.
func TestSignatureAgreesWithSDKSigner(t *testing.T) {
	at := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	for _, url := range []string{
		"http://127.0.0.1:4599/",
		"http://127.0.0.1:4599/base/path%20with%20space/x",
		"http://127.0.0.1:4599/?b=2&a=1&a=0&c=x%2Fy&space=a%20b&empty=",
	} {
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(`{"k":"v"}`))
		req.Header.Set("X-Amz-Target", "AmazonPersonalize.ListBatchInferenceJobs")
		req.Header.Set("X-Custom", "  two   spaces  ")
		sum := sha256.Sum256([]byte(`{"k":"v"}`))
		payload := hex.EncodeToString(sum[:])
		creds := aws.Credentials{AccessKeyID: "AKID", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
		if err := v4.NewSigner().SignHTTP(ctx, creds, req, payload, "personalize", "us-east-1", at); err != nil {
			t.Fatal(err)
		}
		sig, failure := parseSigV4Header(req.Header.Get("Authorization"))
		if failure != nil {
			t.Fatal(failure.message)
		}
		// On the server side the host arrives as r.Host, as here.
		if got := signature(req, payload, creds.SecretAccessKey, sig, req.Header.Get("X-Amz-Date")); got != sig.signature {
			t.Errorf("%s: emulator computes %s, SDK signed %s", url, got, sig.signature)
		}
	}
}

func TestEmulator_getCallerIdentity(t *testing.T) {
	h := newHarness(t, Config{AccountID: "210987654321"})
	out, err := h.stsClient("AKIDSTS", "x").GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.Account) != "210987654321" || !strings.HasPrefix(aws.ToString(out.Arn), "arn:aws:iam::210987654321:") || aws.ToString(out.UserId) == "" {
		t.Errorf("identity %s %s %s", aws.ToString(out.Account), aws.ToString(out.Arn), aws.ToString(out.UserId))
	}
	if n := h.em.Stats().Calls["GetCallerIdentity"]; n != 1 {
		t.Errorf("GetCallerIdentity counted %d times", n)
	}
}
