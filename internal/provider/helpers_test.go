package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awspersonalize "github.com/aws/aws-sdk-go-v2/service/personalize"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/personalize"
)

const (
	testAccountID = "123456789012"
	testJobARN    = "arn:aws:personalize:us-west-2:123456789012:batch-inference-job/probe"
)

// unknown stands for a value Terraform does not know yet.
type unknownValue struct{}

var unknown = unknownValue{}

// isolateEnv removes every AWS_* and proxy variable and points the shared
// files at nowhere, so that the machine's own AWS setup cannot leak in.
func isolateEnv(t *testing.T) {
	t.Helper()
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "AWS_") {
			unsetEnv(t, name)
		}
	}
	for _, name := range []string{"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"} {
		unsetEnv(t, name)
	}
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "no-config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "no-credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

func unsetEnv(t *testing.T, name string) {
	t.Helper()
	t.Setenv(name, "") // restores the original value after the test
	os.Unsetenv(name)
}

// staticSettings are the settings that let Configure run with no network.
func staticSettings(extra map[string]any) map[string]any {
	m := map[string]any{
		"region":                      "us-west-2",
		"access_key":                  "AKIDSTATICEXAMPLE",
		"secret_key":                  "static-secret-value-0123456789",
		"skip_credentials_validation": true,
		"skip_requesting_account_id":  true,
		"max_retries":                 1,
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

// configValue builds the provider configuration Terraform would send for
// the given settings; settings not named are null.
func configValue(t *testing.T, settings map[string]any) tftypes.Value {
	t.Helper()
	typ := providerSchema().Type().TerraformType(context.Background())
	v, err := toValue(typ, settings)
	if err != nil {
		t.Fatalf("building provider configuration: %v", err)
	}
	return v
}

func toValue(typ tftypes.Type, v any) (tftypes.Value, error) {
	if v == nil {
		return tftypes.NewValue(typ, nil), nil
	}
	if _, ok := v.(unknownValue); ok {
		return tftypes.NewValue(typ, tftypes.UnknownValue), nil
	}
	switch {
	case typ.Is(tftypes.String), typ.Is(tftypes.Bool):
		return tftypes.NewValue(typ, v), nil
	case typ.Is(tftypes.Number):
		return tftypes.NewValue(typ, new(big.Float).SetInt64(int64(v.(int)))), nil
	}
	switch tt := typ.(type) {
	case tftypes.List, tftypes.Set:
		var elem tftypes.Type
		if l, ok := tt.(tftypes.List); ok {
			elem = l.ElementType
		} else {
			elem = tt.(tftypes.Set).ElementType
		}
		var items []tftypes.Value
		switch vv := v.(type) {
		case []any:
			for _, e := range vv {
				ev, err := toValue(elem, e)
				if err != nil {
					return tftypes.Value{}, err
				}
				items = append(items, ev)
			}
		case []string:
			for _, e := range vv {
				items = append(items, tftypes.NewValue(elem, e))
			}
		default:
			return tftypes.Value{}, fmt.Errorf("%T for %s", v, typ)
		}
		return tftypes.NewValue(typ, items), nil
	case tftypes.Map:
		items := map[string]tftypes.Value{}
		for k, e := range v.(map[string]any) {
			ev, err := toValue(tt.ElementType, e)
			if err != nil {
				return tftypes.Value{}, err
			}
			items[k] = ev
		}
		return tftypes.NewValue(typ, items), nil
	case tftypes.Object:
		given := v.(map[string]any)
		for name := range given {
			if _, ok := tt.AttributeTypes[name]; !ok {
				return tftypes.Value{}, fmt.Errorf("no setting %q in the schema", name)
			}
		}
		attrs := map[string]tftypes.Value{}
		for name, at := range tt.AttributeTypes {
			av, err := toValue(at, given[name])
			if err != nil {
				return tftypes.Value{}, fmt.Errorf("%s: %w", name, err)
			}
			attrs[name] = av
		}
		return tftypes.NewValue(typ, attrs), nil
	}
	return tftypes.Value{}, fmt.Errorf("unsupported type %s", typ)
}

// configure runs the provider's Configure with a configuration built from
// the schema and returns what resources would receive.
func configure(ctx context.Context, t *testing.T, settings map[string]any) (*personalize.ProviderData, *provider.ConfigureResponse) {
	t.Helper()
	p := New("test")()
	resp := &provider.ConfigureResponse{}
	p.Configure(ctx, provider.ConfigureRequest{
		TerraformVersion: "1.11.0",
		Config:           tfsdk.Config{Raw: configValue(t, settings), Schema: providerSchema()},
	}, resp)
	data, _ := resp.ResourceData.(*personalize.ProviderData)
	if !resp.Diagnostics.HasError() && resp.Deferred == nil {
		if data == nil {
			t.Fatal("Configure succeeded but handed no ProviderData to resources")
		}
		if resp.DataSourceData != data || resp.ListResourceData != data {
			t.Fatal("data sources and list resources did not get the same ProviderData as resources")
		}
	}
	return data, resp
}

// mustConfigure is configure for settings expected to work.
func mustConfigure(t *testing.T, settings map[string]any) *personalize.ProviderData {
	t.Helper()
	data, resp := configure(context.Background(), t, settings)
	if resp.Diagnostics.HasError() {
		t.Fatalf("Configure failed: %s", diagText(resp.Diagnostics))
	}
	return data
}

func diagText(diags diag.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "[%s] %s: %s\n", d.Severity(), d.Summary(), d.Detail())
	}
	return b.String()
}

// serve drives the provider through the protocol server as Terraform does:
// ValidateProviderConfig, then ConfigureProvider if validation passed.
func serve(t *testing.T, settings map[string]any) []*tfprotov6.Diagnostic {
	t.Helper()
	ctx := context.Background()
	server, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	raw := configValue(t, settings)
	dv, err := tfprotov6.NewDynamicValue(raw.Type(), raw)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil {
		t.Fatal(err)
	}
	vresp, err := server.ValidateProviderConfig(ctx, &tfprotov6.ValidateProviderConfigRequest{Config: &dv})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range vresp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return vresp.Diagnostics
		}
	}
	cresp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.11.0", Config: &dv})
	if err != nil {
		t.Fatal(err)
	}
	return append(vresp.Diagnostics, cresp.Diagnostics...)
}

// wantError checks that exactly the expected error came back, attached to
// the named setting (empty for none) and mentioning every fragment.
func wantError(t *testing.T, diags []*tfprotov6.Diagnostic, attribute string, fragments ...string) {
	t.Helper()
	var errs []*tfprotov6.Diagnostic
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			errs = append(errs, d)
		}
	}
	if len(errs) != 1 {
		var all []string
		for _, d := range diags {
			all = append(all, fmt.Sprintf("%s %s: %s (%v)", d.Severity, d.Summary, d.Detail, d.Attribute))
		}
		t.Fatalf("want one error, got %d:\n%s", len(errs), strings.Join(all, "\n"))
	}
	d := errs[0]
	got := ""
	if d.Attribute != nil {
		got = attributePathString(d.Attribute)
	}
	if got != attribute {
		t.Errorf("error is attached to %q, want %q: %s: %s", got, attribute, d.Summary, d.Detail)
	}
	text := d.Summary + "\n" + d.Detail
	for _, f := range fragments {
		if !strings.Contains(text, f) {
			t.Errorf("error does not mention %q:\n%s", f, text)
		}
	}
}

func attributePathString(p *tftypes.AttributePath) string {
	var parts []string
	for _, s := range p.Steps() {
		switch s := s.(type) {
		case tftypes.AttributeName:
			parts = append(parts, string(s))
		case tftypes.ElementKeyInt:
			parts[len(parts)-1] += fmt.Sprintf("[%d]", int64(s))
		case tftypes.ElementKeyString:
			parts[len(parts)-1] += fmt.Sprintf("[%q]", string(s))
		}
	}
	return strings.Join(parts, ".")
}

// recordedRequest is what a stand-in server saw of one request.
type recordedRequest struct {
	Host, Target, Authorization, SecurityToken string
	Form                                       url.Values
}

// accessKeyID is the access key the request was signed with.
func (r recordedRequest) accessKeyID() string {
	_, after, ok := strings.Cut(r.Authorization, "Credential=")
	if !ok {
		return ""
	}
	id, _, _ := strings.Cut(after, "/")
	return id
}

// signingRegion is the Region in the request's SigV4 credential scope.
func (r recordedRequest) signingRegion() string {
	_, after, _ := strings.Cut(r.Authorization, "Credential=")
	parts := strings.Split(after, "/")
	if len(parts) < 3 {
		return ""
	}
	return parts[2]
}

type recorder struct {
	mu       sync.Mutex
	requests []recordedRequest
}

func (rec *recorder) record(r *http.Request) recordedRequest {
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	rr := recordedRequest{
		Host:          r.Host,
		Target:        r.Header.Get("X-Amz-Target"),
		Authorization: r.Header.Get("Authorization"),
		SecurityToken: r.Header.Get("X-Amz-Security-Token"),
		Form:          form,
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.requests = append(rec.requests, rr)
	return rr
}

func (rec *recorder) all() []recordedRequest {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]recordedRequest(nil), rec.requests...)
}

// personalizeStandIn answers DescribeBatchInferenceJob with a job whose name
// is the stand-in's own, so a test can tell which endpoint was called.
type personalizeStandIn struct {
	recorder
	name string
	*httptest.Server
}

func newPersonalizeStandIn(t *testing.T, name string) *personalizeStandIn {
	t.Helper()
	s := &personalizeStandIn{name: name}
	s.Server = httptest.NewServer(http.HandlerFunc(s.handle))
	t.Cleanup(s.Close)
	return s
}

func (s *personalizeStandIn) handle(w http.ResponseWriter, r *http.Request) {
	rr := s.record(r)
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	if rr.Target != "AmazonPersonalize.DescribeBatchInferenceJob" {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"__type":"InvalidInputException","message":"unexpected operation %s"}`, rr.Target)
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{
		"batchInferenceJob": map[string]any{"batchInferenceJobArn": testJobARN, "jobName": s.name, "status": "ACTIVE"},
	})
}

// describeJob calls Personalize through the configured client and returns
// the name of the stand-in that answered.
func describeJob(ctx context.Context, t *testing.T, data *personalize.ProviderData) string {
	t.Helper()
	out, err := data.Client.DescribeBatchInferenceJob(ctx, &awspersonalize.DescribeBatchInferenceJobInput{
		BatchInferenceJobArn: aws.String(testJobARN),
	})
	if err != nil {
		t.Fatalf("DescribeBatchInferenceJob: %v", err)
	}
	return aws.ToString(out.BatchInferenceJob.JobName)
}

// Temporary credentials the STS stand-in hands out.
type tempCredentials struct{ AccessKeyID, SecretAccessKey, SessionToken string }

// stsStandIn answers GetCallerIdentity, AssumeRole and
// AssumeRoleWithWebIdentity in the STS query protocol's XML. Each role it
// hands out gets distinct temporary credentials.
type stsStandIn struct {
	recorder
	*httptest.Server
	mu     sync.Mutex
	issued map[string]tempCredentials // by RoleArn
	// reject makes every call fail with InvalidClientTokenId.
	reject bool
}

func newSTSStandIn(t *testing.T) *stsStandIn {
	t.Helper()
	s := &stsStandIn{issued: map[string]tempCredentials{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.handle))
	t.Cleanup(s.Close)
	return s
}

func (s *stsStandIn) credentialsFor(roleARN string) tempCredentials {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.issued[roleARN]
	if !ok {
		n := len(s.issued) + 1
		c = tempCredentials{
			AccessKeyID:     fmt.Sprintf("ASIATEMPORARY%04d", n),
			SecretAccessKey: fmt.Sprintf("temporary-secret-%d-abcdefghijklmnop", n),
			SessionToken:    fmt.Sprintf("temporary-session-token-%d-qrstuvwxyz", n),
		}
		s.issued[roleARN] = c
	}
	return c
}

func (s *stsStandIn) handle(w http.ResponseWriter, r *http.Request) {
	rr := s.record(r)
	w.Header().Set("Content-Type", "text/xml")
	if s.reject {
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>`+
			`<Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error>`+
			`<RequestId>rejected</RequestId></ErrorResponse>`)
		return
	}
	action := rr.Form.Get("Action")
	switch action {
	case "GetCallerIdentity":
		fmt.Fprintf(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>`+
			`<Arn>arn:aws:iam::%[1]s:user/tester</Arn><UserId>AIDAEXAMPLE</UserId><Account>%[1]s</Account>`+
			`</GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`, testAccountID)
	case "AssumeRole", "AssumeRoleWithWebIdentity":
		c := s.credentialsFor(rr.Form.Get("RoleArn"))
		fmt.Fprintf(w, `<%[1]sResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><%[1]sResult>`+
			`<AssumedRoleUser><Arn>arn:aws:sts::%[2]s:assumed-role/r/s</Arn><AssumedRoleId>AROAEXAMPLE:s</AssumedRoleId></AssumedRoleUser>`+
			`<Credentials><AccessKeyId>%[3]s</AccessKeyId><SecretAccessKey>%[4]s</SecretAccessKey><SessionToken>%[5]s</SessionToken>`+
			`<Expiration>%[6]s</Expiration></Credentials></%[1]sResult><ResponseMetadata><RequestId>2</RequestId></ResponseMetadata></%[1]sResponse>`,
			action, testAccountID, c.AccessKeyID, c.SecretAccessKey, c.SessionToken, time.Now().Add(time.Hour).UTC().Format(time.RFC3339))
	default:
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `<ErrorResponse><Error><Code>InvalidAction</Code><Message>%s</Message></Error></ErrorResponse>`, action)
	}
}

func (s *stsStandIn) actions() []string {
	var out []string
	for _, r := range s.all() {
		out = append(out, r.Form.Get("Action"))
	}
	return out
}

// split separates the requests for one action from all others.
func (s *stsStandIn) split(action string) (matching, others []recordedRequest) {
	for _, r := range s.all() {
		if r.Form.Get("Action") == action {
			matching = append(matching, r)
		} else {
			others = append(others, r)
		}
	}
	return matching, others
}
