package provider

import (
	"context"
	"crypto/tls"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awspersonalize "github.com/aws/aws-sdk-go-v2/service/personalize"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
)

func TestConfigure_endpointPrecedence(t *testing.T) {
	cases := []struct {
		name                      string
		block, envService, envAll bool
		want                      string
	}{
		{name: "endpoints block beats both environment variables", block: true, envService: true, envAll: true, want: "block"},
		{name: "AWS_ENDPOINT_URL_PERSONALIZE beats AWS_ENDPOINT_URL", envService: true, envAll: true, want: "service-env"},
		{name: "AWS_ENDPOINT_URL alone", envAll: true, want: "global-env"},
		{name: "endpoints block alone", block: true, want: "block"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			isolateEnv(t)
			block := newPersonalizeStandIn(t, "block")
			serviceEnv := newPersonalizeStandIn(t, "service-env")
			globalEnv := newPersonalizeStandIn(t, "global-env")

			settings := staticSettings(nil)
			if tc.block {
				settings["endpoints"] = []any{map[string]any{"personalize": block.URL}}
			}
			if tc.envService {
				t.Setenv("AWS_ENDPOINT_URL_PERSONALIZE", serviceEnv.URL)
			}
			if tc.envAll {
				t.Setenv("AWS_ENDPOINT_URL", globalEnv.URL)
			}

			data := mustConfigure(t, settings)
			if got := describeJob(context.Background(), t, data); got != tc.want {
				t.Errorf("DescribeBatchInferenceJob was answered by %q, want %q", got, tc.want)
			}
			for _, s := range []*personalizeStandIn{block, serviceEnv, globalEnv} {
				want := 0
				if s.name == tc.want {
					want = 1
				}
				if n := len(s.all()); n != want {
					t.Errorf("%s endpoint got %d requests, want %d", s.name, n, want)
				}
			}
		})
	}

	t.Run("no endpoint setting uses the Region's public endpoint", func(t *testing.T) {
		isolateEnv(t)
		// The public endpoint is unreachable here; a proxy sees where the
		// request was going.
		proxy := newConnectRecorder(t)
		data, resp := configure(context.Background(), t, staticSettings(map[string]any{"http_proxy": proxy.URL}))
		if len(resp.Diagnostics) != 0 {
			t.Fatalf("Configure with http_proxy: %s", diagText(resp.Diagnostics))
		}
		_, err := data.Client.DescribeBatchInferenceJob(context.Background(), &awspersonalize.DescribeBatchInferenceJobInput{
			BatchInferenceJobArn: aws.String(testJobARN),
		})
		if err == nil {
			t.Fatal("DescribeBatchInferenceJob through a refusing proxy succeeded")
		}
		if got, want := proxy.targets(), []string{"personalize.us-west-2.amazonaws.com:443"}; !slices.Equal(got, want) {
			t.Errorf("requests went to %v, want %v", got, want)
		}
	})
}

// connectRecorder is an HTTP proxy that records the hosts clients ask it to
// tunnel to and refuses them all.
type connectRecorder struct {
	*httptest.Server
	mu    sync.Mutex
	hosts []string
}

func newConnectRecorder(t *testing.T) *connectRecorder {
	p := &connectRecorder{}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.hosts = append(p.hosts, r.Host)
		p.mu.Unlock()
		http.Error(w, "refused", http.StatusForbidden)
	}))
	t.Cleanup(p.Close)
	return p
}

func (p *connectRecorder) targets() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.hosts)
}

func TestConfigure_region(t *testing.T) {
	for _, tc := range []struct {
		name   string
		config string
		env    map[string]string
		want   string
	}{
		{name: "from AWS_REGION", env: map[string]string{"AWS_REGION": "eu-west-1"}, want: "eu-west-1"},
		{name: "from AWS_DEFAULT_REGION", env: map[string]string{"AWS_DEFAULT_REGION": "ap-southeast-2"}, want: "ap-southeast-2"},
		{name: "AWS_REGION beats AWS_DEFAULT_REGION", env: map[string]string{"AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "ap-southeast-2"}, want: "eu-west-1"},
		{name: "region setting beats the environment", config: "ca-central-1", env: map[string]string{"AWS_REGION": "eu-west-1"}, want: "ca-central-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			isolateEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			standIn := newPersonalizeStandIn(t, "p")
			settings := staticSettings(map[string]any{"endpoints": []any{map[string]any{"personalize": standIn.URL}}})
			settings["region"] = nil
			if tc.config != "" {
				settings["region"] = tc.config
			}
			data := mustConfigure(t, settings)
			if data.Region != tc.want {
				t.Errorf("ProviderData.Region = %q, want %q", data.Region, tc.want)
			}
			describeJob(context.Background(), t, data)
			if got := standIn.all()[0].signingRegion(); got != tc.want {
				t.Errorf("request signed for Region %q, want %q", got, tc.want)
			}
		})
	}

	t.Run("from the shared config profile", func(t *testing.T) {
		isolateEnv(t)
		cfg := filepath.Join(t.TempDir(), "config")
		writeFile(t, cfg, "[profile work]\nregion = sa-east-1\n")
		settings := staticSettings(map[string]any{"profile": "work", "shared_config_files": []any{cfg}})
		settings["region"] = nil
		if data := mustConfigure(t, settings); data.Region != "sa-east-1" {
			t.Errorf("ProviderData.Region = %q, want sa-east-1 from the profile", data.Region)
		}
	})
}

func TestConfigure_tags(t *testing.T) {
	isolateEnv(t)
	data := mustConfigure(t, staticSettings(map[string]any{
		"default_tags": []any{map[string]any{"tags": map[string]any{"team": "recs", "env": "prod", "dropped": nil}}},
		"ignore_tags": []any{map[string]any{
			"keys":         []any{"LastScanned", "Owner"},
			"key_prefixes": []any{"kubernetes.io/"},
		}},
	}))
	if want := map[string]string{"team": "recs", "env": "prod"}; !mapsEqual(data.DefaultTags, want) {
		t.Errorf("DefaultTags = %v, want %v (a null value drops the tag)", data.DefaultTags, want)
	}
	keys := slices.Sorted(slices.Values(data.IgnoreTagKeys))
	if want := []string{"LastScanned", "Owner"}; !slices.Equal(keys, want) {
		t.Errorf("IgnoreTagKeys = %v, want %v", keys, want)
	}
	if want := []string{"kubernetes.io/"}; !slices.Equal(data.IgnoreTagKeyPrefixes, want) {
		t.Errorf("IgnoreTagKeyPrefixes = %v, want %v", data.IgnoreTagKeyPrefixes, want)
	}

	t.Run("absent blocks give no tags", func(t *testing.T) {
		data := mustConfigure(t, staticSettings(nil))
		if len(data.DefaultTags) != 0 || len(data.IgnoreTagKeys) != 0 || len(data.IgnoreTagKeyPrefixes) != 0 {
			t.Errorf("got tags %v, ignore %v %v; want none", data.DefaultTags, data.IgnoreTagKeys, data.IgnoreTagKeyPrefixes)
		}
	})
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestConfigure_accountID(t *testing.T) {
	t.Run("credential validation finds the account ID in one STS call", func(t *testing.T) {
		isolateEnv(t)
		sts := newSTSStandIn(t)
		data := mustConfigure(t, staticSettings(map[string]any{
			"skip_credentials_validation": false,
			"skip_requesting_account_id":  false,
			"endpoints":                   []any{map[string]any{"sts": sts.URL}},
		}))
		if data.AccountID != testAccountID {
			t.Errorf("AccountID = %q, want %q", data.AccountID, testAccountID)
		}
		if got := sts.actions(); !slices.Equal(got, []string{"GetCallerIdentity"}) {
			t.Errorf("STS calls = %v, want one GetCallerIdentity", got)
		}
		if got := sts.all()[0].accessKeyID(); got != "AKIDSTATICEXAMPLE" {
			t.Errorf("GetCallerIdentity signed with %q, want the configured access_key", got)
		}
	})

	t.Run("STS endpoint from AWS_ENDPOINT_URL_STS", func(t *testing.T) {
		isolateEnv(t)
		sts := newSTSStandIn(t)
		t.Setenv("AWS_ENDPOINT_URL_STS", sts.URL)
		data := mustConfigure(t, staticSettings(map[string]any{"skip_credentials_validation": false}))
		if data.AccountID != testAccountID {
			t.Errorf("AccountID = %q, want %q", data.AccountID, testAccountID)
		}
	})

	t.Run("skip_requesting_account_id leaves it empty and makes no call", func(t *testing.T) {
		isolateEnv(t)
		sts := newSTSStandIn(t)
		t.Setenv("AWS_ENDPOINT_URL", sts.URL) // IAM and STS would both land here
		data := mustConfigure(t, staticSettings(nil))
		if data.AccountID != "" {
			t.Errorf("AccountID = %q, want empty", data.AccountID)
		}
		if n := len(sts.all()); n != 0 {
			t.Errorf("Configure made %d requests, want none: %v", n, sts.actions())
		}
	})
}

func TestConfigure_assumeRole(t *testing.T) {
	isolateEnv(t)
	sts := newSTSStandIn(t)
	standIn := newPersonalizeStandIn(t, "p")
	const role = "arn:aws:iam::210987654321:role/batch-inference"
	data := mustConfigure(t, staticSettings(map[string]any{
		"token":                       "static-session-token",
		"skip_credentials_validation": false,
		"skip_requesting_account_id":  false,
		"endpoints":                   []any{map[string]any{"sts": sts.URL, "personalize": standIn.URL}},
		"assume_role": []any{map[string]any{
			"role_arn":            role,
			"session_name":        "terraform-run",
			"external_id":         "ext-1234",
			"duration":            "1h",
			"policy":              `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"personalize:*","Resource":"*"}]}`,
			"policy_arns":         []any{"arn:aws:iam::aws:policy/ReadOnlyAccess"},
			"tags":                map[string]any{"project": "recs"},
			"transitive_tag_keys": []any{"project"},
			"source_identity":     "alice",
		}},
	}))

	// aws-sdk-go-base assumes the role once to check it and once more to
	// fill its credentials cache.
	assumes, others := sts.split("AssumeRole")
	if len(assumes) == 0 || len(others) != 1 || others[0].Form.Get("Action") != "GetCallerIdentity" {
		t.Fatalf("STS calls = %v, want AssumeRole then one GetCallerIdentity", sts.actions())
	}
	assume := assumes[0]
	for param, want := range map[string]string{
		"RoleArn":                    role,
		"RoleSessionName":            "terraform-run",
		"ExternalId":                 "ext-1234",
		"DurationSeconds":            "3600",
		"PolicyArns.member.1.arn":    "arn:aws:iam::aws:policy/ReadOnlyAccess",
		"Tags.member.1.Key":          "project",
		"Tags.member.1.Value":        "recs",
		"TransitiveTagKeys.member.1": "project",
		"SourceIdentity":             "alice",
	} {
		for _, a := range assumes {
			if got := a.Form.Get(param); got != want {
				t.Errorf("AssumeRole %s = %q, want %q", param, got, want)
			}
		}
	}
	if !strings.Contains(assume.Form.Get("Policy"), "personalize:*") {
		t.Errorf("AssumeRole Policy = %q, want the configured policy", assume.Form.Get("Policy"))
	}
	if assume.accessKeyID() != "AKIDSTATICEXAMPLE" || assume.SecurityToken != "static-session-token" {
		t.Errorf("AssumeRole signed with %q/%q, want the static credentials", assume.accessKeyID(), assume.SecurityToken)
	}

	temp := sts.credentialsFor(role)
	if got := others[0].accessKeyID(); got != temp.AccessKeyID {
		t.Errorf("GetCallerIdentity signed with %q, want the role's %q", got, temp.AccessKeyID)
	}
	if data.AccountID != testAccountID {
		t.Errorf("AccountID = %q, want %q", data.AccountID, testAccountID)
	}

	describeJob(context.Background(), t, data)
	call := standIn.all()[0]
	if call.accessKeyID() != temp.AccessKeyID || call.SecurityToken != temp.SessionToken {
		t.Errorf("Personalize call signed with %q/%q, want the assumed role's %q/%q",
			call.accessKeyID(), call.SecurityToken, temp.AccessKeyID, temp.SessionToken)
	}
}

func TestConfigure_assumeRoleChain(t *testing.T) {
	isolateEnv(t)
	sts := newSTSStandIn(t)
	standIn := newPersonalizeStandIn(t, "p")
	const first, second = "arn:aws:iam::111111111111:role/hop", "arn:aws:iam::222222222222:role/target"
	data := mustConfigure(t, staticSettings(map[string]any{
		"endpoints":   []any{map[string]any{"sts": sts.URL, "personalize": standIn.URL}},
		"assume_role": []any{map[string]any{"role_arn": first}, map[string]any{"role_arn": second}},
	}))
	assumes, others := sts.split("AssumeRole")
	if len(others) != 0 || len(assumes) == 0 {
		t.Fatalf("STS saw %v, want only AssumeRole", sts.actions())
	}
	var order []string
	for _, a := range assumes {
		order = append(order, a.Form.Get("RoleArn"))
		if a.Form.Get("RoleArn") == second {
			if got, want := a.accessKeyID(), sts.credentialsFor(first).AccessKeyID; got != want {
				t.Errorf("AssumeRole of the second role signed with %q, want the first role's %q", got, want)
			}
		}
	}
	if i, j := slices.Index(order, first), slices.Index(order, second); i < 0 || j < 0 || i > j {
		t.Errorf("roles assumed in order %v, want %s before %s", order, first, second)
	}
	describeJob(context.Background(), t, data)
	if got, want := standIn.all()[0].accessKeyID(), sts.credentialsFor(second).AccessKeyID; got != want {
		t.Errorf("Personalize call signed with %q, want the last role's %q", got, want)
	}
}

func TestConfigure_assumeRoleWithWebIdentity(t *testing.T) {
	const role = "arn:aws:iam::123456789012:role/ci"
	tokenFile := filepath.Join(t.TempDir(), "token")
	writeFile(t, tokenFile, "token-from-file")

	for _, tc := range []struct {
		name      string
		block     map[string]any
		wantToken string
	}{
		{name: "token", block: map[string]any{"web_identity_token": "inline-oidc-token"}, wantToken: "inline-oidc-token"},
		{name: "token file", block: map[string]any{"web_identity_token_file": tokenFile}, wantToken: "token-from-file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			isolateEnv(t)
			sts := newSTSStandIn(t)
			standIn := newPersonalizeStandIn(t, "p")
			block := map[string]any{"role_arn": role, "session_name": "ci-run", "duration": "30m"}
			for k, v := range tc.block {
				block[k] = v
			}
			settings := staticSettings(map[string]any{
				"endpoints":                     []any{map[string]any{"sts": sts.URL, "personalize": standIn.URL}},
				"assume_role_with_web_identity": []any{block},
			})
			delete(settings, "access_key")
			delete(settings, "secret_key")
			data := mustConfigure(t, settings)

			assumes, others := sts.split("AssumeRoleWithWebIdentity")
			if len(assumes) == 0 || len(others) != 0 {
				t.Fatalf("STS calls = %v, want only AssumeRoleWithWebIdentity", sts.actions())
			}
			for param, want := range map[string]string{
				"RoleArn": role, "RoleSessionName": "ci-run", "DurationSeconds": "1800", "WebIdentityToken": tc.wantToken,
			} {
				if got := assumes[0].Form.Get(param); got != want {
					t.Errorf("AssumeRoleWithWebIdentity %s = %q, want %q", param, got, want)
				}
			}
			describeJob(context.Background(), t, data)
			temp := sts.credentialsFor(role)
			if call := standIn.all()[0]; call.accessKeyID() != temp.AccessKeyID || call.SecurityToken != temp.SessionToken {
				t.Errorf("Personalize call signed with %q/%q, want the web identity role's", call.accessKeyID(), call.SecurityToken)
			}
		})
	}
}

func TestConfigure_credentialsFromEnvironmentAndProfile(t *testing.T) {
	t.Run("environment variables", func(t *testing.T) {
		isolateEnv(t)
		t.Setenv("AWS_ACCESS_KEY_ID", "AKIDFROMENVIRONMENT")
		t.Setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
		standIn := newPersonalizeStandIn(t, "p")
		settings := staticSettings(map[string]any{"endpoints": []any{map[string]any{"personalize": standIn.URL}}})
		delete(settings, "access_key")
		delete(settings, "secret_key")
		describeJob(context.Background(), t, mustConfigure(t, settings))
		if got := standIn.all()[0].accessKeyID(); got != "AKIDFROMENVIRONMENT" {
			t.Errorf("signed with %q, want AWS_ACCESS_KEY_ID", got)
		}
	})

	t.Run("profile in shared_credentials_files", func(t *testing.T) {
		isolateEnv(t)
		creds := filepath.Join(t.TempDir(), "credentials")
		writeFile(t, creds, "[work]\naws_access_key_id = AKIDFROMPROFILE\naws_secret_access_key = profile-secret\n")
		standIn := newPersonalizeStandIn(t, "p")
		settings := staticSettings(map[string]any{
			"profile":                  "work",
			"shared_credentials_files": []any{creds},
			"endpoints":                []any{map[string]any{"personalize": standIn.URL}},
		})
		delete(settings, "access_key")
		delete(settings, "secret_key")
		describeJob(context.Background(), t, mustConfigure(t, settings))
		if got := standIn.all()[0].accessKeyID(); got != "AKIDFROMPROFILE" {
			t.Errorf("signed with %q, want the profile's key", got)
		}
	})
}

func TestConfigure_tls(t *testing.T) {
	server := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_, _ = w.Write([]byte(`{"batchInferenceJob":{"jobName":"tls"}}`))
	}))
	server.Config.ErrorLog = log.New(io.Discard, "", 0) // the rejected handshake is expected
	server.StartTLS()
	t.Cleanup(server.Close)
	bundle := filepath.Join(t.TempDir(), "ca.pem")
	writeFile(t, bundle, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: server.Certificate().Raw})))
	endpoint := []any{map[string]any{"personalize": server.URL}}

	t.Run("custom_ca_bundle trusts the endpoint", func(t *testing.T) {
		isolateEnv(t)
		data := mustConfigure(t, staticSettings(map[string]any{"endpoints": endpoint, "custom_ca_bundle": bundle}))
		if got := describeJob(context.Background(), t, data); got != "tls" {
			t.Errorf("got %q", got)
		}
	})
	t.Run("AWS_CA_BUNDLE trusts the endpoint", func(t *testing.T) {
		isolateEnv(t)
		t.Setenv("AWS_CA_BUNDLE", bundle)
		data := mustConfigure(t, staticSettings(map[string]any{"endpoints": endpoint}))
		if got := describeJob(context.Background(), t, data); got != "tls" {
			t.Errorf("got %q", got)
		}
	})
	t.Run("insecure skips verification", func(t *testing.T) {
		isolateEnv(t)
		data := mustConfigure(t, staticSettings(map[string]any{"endpoints": endpoint, "insecure": true}))
		if got := describeJob(context.Background(), t, data); got != "tls" {
			t.Errorf("got %q", got)
		}
	})
	t.Run("without either the certificate is rejected", func(t *testing.T) {
		isolateEnv(t)
		data := mustConfigure(t, staticSettings(map[string]any{"endpoints": endpoint}))
		_, err := data.Client.DescribeBatchInferenceJob(context.Background(), &awspersonalize.DescribeBatchInferenceJobInput{
			BatchInferenceJobArn: aws.String(testJobARN),
		})
		var certErr *tls.CertificateVerificationError
		if !errors.As(err, &certErr) {
			t.Errorf("got %v, want a certificate verification error", err)
		}
	})
}

func TestConfigure_unknownValues(t *testing.T) {
	t.Run("deferred when Terraform allows it", func(t *testing.T) {
		isolateEnv(t)
		sts := newSTSStandIn(t)
		t.Setenv("AWS_ENDPOINT_URL", sts.URL)
		settings := staticSettings(map[string]any{"region": unknown, "skip_credentials_validation": false})
		p := New("test")()
		resp := &provider.ConfigureResponse{}
		p.Configure(context.Background(), provider.ConfigureRequest{
			Config:             tfsdk.Config{Raw: configValue(t, settings), Schema: providerSchema()},
			ClientCapabilities: provider.ConfigureProviderClientCapabilities{DeferralAllowed: true},
		}, resp)
		if resp.Deferred == nil || resp.Deferred.Reason != provider.DeferredReasonProviderConfigUnknown {
			t.Fatalf("Deferred = %v, want provider config unknown", resp.Deferred)
		}
		if resp.Diagnostics.HasError() || resp.ResourceData != nil {
			t.Errorf("a deferred Configure should neither fail nor configure: %s", diagText(resp.Diagnostics))
		}
		if n := len(sts.all()); n != 0 {
			t.Errorf("a deferred Configure made %d requests", n)
		}
	})

	t.Run("otherwise left to the environment", func(t *testing.T) {
		isolateEnv(t)
		t.Setenv("AWS_REGION", "eu-central-1")
		settings := staticSettings(map[string]any{
			"region":       unknown,
			"endpoints":    unknown,
			"default_tags": []any{map[string]any{"tags": map[string]any{"known": "yes", "later": unknown}}},
		})
		data := mustConfigure(t, settings)
		if data.Region != "eu-central-1" {
			t.Errorf("Region = %q, want eu-central-1 from AWS_REGION", data.Region)
		}
		if want := map[string]string{"known": "yes"}; !mapsEqual(data.DefaultTags, want) {
			t.Errorf("DefaultTags = %v, want %v", data.DefaultTags, want)
		}
	})
}

func TestConfigure_noNetworkWhenValidationSkipped(t *testing.T) {
	isolateEnv(t)
	sts := newSTSStandIn(t)
	t.Setenv("AWS_ENDPOINT_URL", sts.URL) // STS and IAM would both land here
	mustConfigure(t, staticSettings(nil))
	if n := len(sts.all()); n != 0 {
		t.Errorf("Configure made %d requests with both skips set: %v", n, sts.actions())
	}
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestConfigure_retries(t *testing.T) {
	for _, tc := range []struct {
		name         string
		settings     map[string]any
		env          map[string]string
		wantAttempts int
		wantMode     aws.RetryMode // empty: unset, and aws-sdk-go-base builds a standard retryer
	}{
		{name: "defaults", settings: map[string]any{"max_retries": nil}, wantAttempts: 25, wantMode: ""},
		{name: "max_retries", settings: map[string]any{"max_retries": 5}, wantAttempts: 5, wantMode: ""},
		{name: "max_retries zero is a single attempt", settings: map[string]any{"max_retries": 0}, wantAttempts: 1, wantMode: ""},
		{name: "AWS_MAX_ATTEMPTS", settings: map[string]any{"max_retries": nil}, env: map[string]string{"AWS_MAX_ATTEMPTS": "7"}, wantAttempts: 7, wantMode: ""},
		{name: "max_retries beats AWS_MAX_ATTEMPTS", settings: map[string]any{"max_retries": 4}, env: map[string]string{"AWS_MAX_ATTEMPTS": "7"}, wantAttempts: 4, wantMode: ""},
		{name: "retry_mode", settings: map[string]any{"retry_mode": "adaptive"}, wantAttempts: 1, wantMode: aws.RetryModeAdaptive},
		{name: "AWS_RETRY_MODE", env: map[string]string{"AWS_RETRY_MODE": "adaptive"}, wantAttempts: 1, wantMode: aws.RetryModeAdaptive},
	} {
		t.Run(tc.name, func(t *testing.T) {
			isolateEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			opts := mustConfigure(t, staticSettings(tc.settings)).Client.Options()
			if got := opts.Retryer.MaxAttempts(); got != tc.wantAttempts {
				t.Errorf("client makes at most %d attempts, want %d", got, tc.wantAttempts)
			}
			if opts.RetryMode != tc.wantMode {
				t.Errorf("retry mode %q, want %q", opts.RetryMode, tc.wantMode)
			}
		})
	}
}
