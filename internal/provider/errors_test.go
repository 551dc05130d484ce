package provider

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

func TestProvider_planTimeErrorsNameTheSetting(t *testing.T) {
	role := func(block map[string]any) map[string]any {
		return map[string]any{"assume_role": []any{block}}
	}
	webIdentity := func(block map[string]any) map[string]any {
		b := map[string]any{"role_arn": "arn:aws:iam::123456789012:role/ci"}
		for k, v := range block {
			b[k] = v
		}
		return map[string]any{"assume_role_with_web_identity": []any{b}}
	}
	for _, tc := range []struct {
		name      string
		settings  map[string]any
		attribute string
		fragments []string
	}{
		{"unknown region", map[string]any{"region": "us-moon-1"}, "region", []string{`"us-moon-1"`, "skip_region_validation"}},
		{"endpoint without scheme", map[string]any{"endpoints": []any{map[string]any{"personalize": "localhost:4599"}}},
			"endpoints[0].personalize", []string{"localhost:4599", "http://"}},
		{"endpoint with another scheme", map[string]any{"endpoints": []any{map[string]any{"personalize": "ftp://example.com"}}},
			"endpoints[0].personalize", []string{"ftp://example.com", "http://"}},
		{"endpoint without host", map[string]any{"endpoints": []any{map[string]any{"sts": "http://"}}},
			"endpoints[0].sts", []string{"no host"}},
		{"relative endpoint", map[string]any{"endpoints": []any{map[string]any{"personalize": "/personalize"}}},
			"endpoints[0].personalize", []string{"http://"}},
		{"retry_mode", map[string]any{"retry_mode": "fast"}, "retry_mode", []string{"standard", "adaptive"}},
		{"negative max_retries", map[string]any{"max_retries": -1}, "max_retries", []string{"at least 0"}},
		{"proxy URL", map[string]any{"http_proxy": "proxy.example.com:3128"}, "http_proxy", []string{"http://"}},
		{"role ARN of another service", role(map[string]any{"role_arn": "arn:aws:s3:::bucket"}),
			"assume_role[0].role_arn", []string{"arn:aws:s3:::bucket", "iam", "arn:aws:iam::123456789012:role/"}},
		{"role ARN with a short account ID", role(map[string]any{"role_arn": "arn:aws:iam::1234:role/x"}),
			"assume_role[0].role_arn", []string{"12 digits"}},
		{"user ARN as role", role(map[string]any{"role_arn": "arn:aws:iam::123456789012:user/bob"}),
			"assume_role[0].role_arn", []string{"role/"}},
		{"duration without unit", role(map[string]any{"role_arn": "arn:aws:iam::123456789012:role/x", "duration": "3600"}),
			"assume_role[0].duration", []string{"1h"}},
		{"duration too short", role(map[string]any{"role_arn": "arn:aws:iam::123456789012:role/x", "duration": "5m"}),
			"assume_role[0].duration", []string{"15m", "12h"}},
		{"policy not JSON", role(map[string]any{"role_arn": "arn:aws:iam::123456789012:role/x", "policy": "allow all"}),
			"assume_role[0].policy", []string{"JSON"}},
		{"policy ARN", role(map[string]any{"role_arn": "arn:aws:iam::123456789012:role/x", "policy_arns": []any{"ReadOnlyAccess"}}),
			`assume_role[0].policy_arns`, []string{"ReadOnlyAccess", "arn:aws:iam::aws:policy/"}},
		{"session name", role(map[string]any{"role_arn": "arn:aws:iam::123456789012:role/x", "session_name": "has spaces"}),
			"assume_role[0].session_name", []string{"letters, digits"}},
		{"web identity duration", webIdentity(map[string]any{"web_identity_token": "abcd", "duration": "13h"}),
			"assume_role_with_web_identity[0].duration", []string{"12h"}},
		{"web identity token and file", webIdentity(map[string]any{"web_identity_token": "abcd", "web_identity_token_file": "/tmp/t"}),
			"assume_role_with_web_identity[0].web_identity_token", []string{"web_identity_token_file"}},
		{"web identity without token", webIdentity(nil),
			"assume_role_with_web_identity[0].web_identity_token", []string{"web_identity_token_file"}},
		{"access_key without secret_key", map[string]any{"secret_key": nil}, "access_key", []string{"access_key", "secret_key"}},
		{"token without keys", map[string]any{"access_key": nil, "secret_key": nil, "token": "t0ken"}, "token", []string{"access_key", "token"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			isolateEnv(t)
			diags := serve(t, staticSettings(tc.settings))
			wantError(t, diags, tc.attribute, tc.fragments...)
		})
	}
}

func TestProvider_configureErrorsNameTheSetting(t *testing.T) {
	t.Run("Region from the environment", func(t *testing.T) {
		isolateEnv(t)
		t.Setenv("AWS_REGION", "us-moon-1")
		diags := serve(t, staticSettings(map[string]any{"region": nil}))
		wantError(t, diags, "", `"us-moon-1"`, "environment", "skip_region_validation")
	})

	t.Run("skip_region_validation accepts an unknown Region", func(t *testing.T) {
		isolateEnv(t)
		wantNoError(t, serve(t, staticSettings(map[string]any{"region": "us-moon-1", "skip_region_validation": true})))
	})

	t.Run("no Region at all", func(t *testing.T) {
		isolateEnv(t)
		diags := serve(t, staticSettings(map[string]any{"region": nil}))
		wantError(t, diags, "", "No AWS Region", "region", "AWS_REGION")
	})

	t.Run("profile missing from the shared files", func(t *testing.T) {
		isolateEnv(t)
		cfg := filepath.Join(t.TempDir(), "config")
		writeFile(t, cfg, "[profile other]\nregion = us-east-1\n")
		diags := serve(t, staticSettings(map[string]any{
			"profile": "nope", "shared_config_files": []any{cfg}, "access_key": nil, "secret_key": nil,
		}))
		wantError(t, diags, "profile", `"nope"`, cfg, "shared_config_files")
	})

	t.Run("profile from AWS_PROFILE missing", func(t *testing.T) {
		isolateEnv(t)
		t.Setenv("AWS_PROFILE", "ghost")
		diags := serve(t, staticSettings(map[string]any{"access_key": nil, "secret_key": nil}))
		wantError(t, diags, "", `"ghost"`, "AWS_PROFILE")
	})

	t.Run("unreadable shared credentials file", func(t *testing.T) {
		isolateEnv(t)
		dir := t.TempDir()
		diags := serve(t, staticSettings(map[string]any{
			"profile": "work", "shared_credentials_files": []any{dir}, "access_key": nil, "secret_key": nil,
		}))
		wantError(t, diags, "shared_credentials_files", dir, "cannot be read")
	})

	t.Run("unreadable custom_ca_bundle", func(t *testing.T) {
		isolateEnv(t)
		missing := filepath.Join(t.TempDir(), "missing.pem")
		wantError(t, serve(t, staticSettings(map[string]any{"custom_ca_bundle": missing})), "custom_ca_bundle", missing, "cannot be read")
	})

	t.Run("custom_ca_bundle without certificates", func(t *testing.T) {
		isolateEnv(t)
		notPEM := filepath.Join(t.TempDir(), "ca.pem")
		writeFile(t, notPEM, "this is not a certificate\n")
		wantError(t, serve(t, staticSettings(map[string]any{"custom_ca_bundle": notPEM})), "custom_ca_bundle", "no PEM certificates")
	})

	t.Run("custom_ca_bundle with a broken certificate", func(t *testing.T) {
		// The provider only looks for a certificate block; the SDK parses
		// them and still stops a bundle whose certificates are not.
		isolateEnv(t)
		broken := filepath.Join(t.TempDir(), "ca.pem")
		writeFile(t, broken, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n")
		wantError(t, serve(t, staticSettings(map[string]any{"custom_ca_bundle": broken})), "", "CA bundle")
	})

	t.Run("unreadable AWS_CA_BUNDLE", func(t *testing.T) {
		isolateEnv(t)
		t.Setenv("AWS_CA_BUNDLE", filepath.Join(t.TempDir(), "missing.pem"))
		wantError(t, serve(t, staticSettings(nil)), "", "AWS_CA_BUNDLE", "cannot be read")
	})

	t.Run("malformed AWS_ENDPOINT_URL_PERSONALIZE", func(t *testing.T) {
		isolateEnv(t)
		t.Setenv("AWS_ENDPOINT_URL_PERSONALIZE", "127.0.0.1:4599")
		wantError(t, serve(t, staticSettings(nil)), "", "AWS_ENDPOINT_URL_PERSONALIZE", "127.0.0.1:4599", "http://")
	})

	t.Run("malformed AWS_ENDPOINT_URL is ignored when both endpoints are set", func(t *testing.T) {
		isolateEnv(t)
		t.Setenv("AWS_ENDPOINT_URL", "not a url")
		wantNoError(t, serve(t, staticSettings(map[string]any{
			"endpoints": []any{map[string]any{"personalize": "http://127.0.0.1:1", "sts": "http://127.0.0.1:1"}},
		})))
	})

	t.Run("no credentials", func(t *testing.T) {
		isolateEnv(t)
		diags := serve(t, staticSettings(map[string]any{"access_key": nil, "secret_key": nil}))
		wantError(t, diags, "", "No AWS credentials found", "access_key", "AWS_ACCESS_KEY_ID", "profile")
	})

	t.Run("second assume_role without role_arn", func(t *testing.T) {
		isolateEnv(t)
		diags := serve(t, staticSettings(map[string]any{"assume_role": []any{
			map[string]any{"role_arn": "arn:aws:iam::123456789012:role/a"}, map[string]any{"session_name": "second"},
		}}))
		wantError(t, diags, "assume_role[1].role_arn", "role_arn")
	})

	t.Run("rejected credentials", func(t *testing.T) {
		isolateEnv(t)
		sts := newSTSStandIn(t)
		sts.reject = true
		settings := staticSettings(map[string]any{
			"skip_credentials_validation": false,
			"token":                       "static-session-token",
			"endpoints":                   []any{map[string]any{"sts": sts.URL}},
		})
		diags := serve(t, settings)
		wantError(t, diags, "", "Invalid AWS credentials", "InvalidClientTokenId", "skip_credentials_validation")
		wantNoSecrets(t, diags, settings)
	})

	t.Run("STS endpoint where nothing answers", func(t *testing.T) {
		isolateEnv(t)
		sts := closedEndpoint(t)
		diags := serve(t, staticSettings(map[string]any{
			"skip_credentials_validation": false,
			"endpoints":                   []any{map[string]any{"sts": sts}},
		}))
		wantError(t, diags, "", "Cannot reach the STS endpoint", sts, "endpoints.sts in the provider block", "connection refused",
			"skip_credentials_validation = true and skip_requesting_account_id = true")
		wantNoneSays(t, diags, "Invalid AWS credentials")
	})

	t.Run("STS endpoint from AWS_ENDPOINT_URL_STS where nothing answers", func(t *testing.T) {
		isolateEnv(t)
		sts := closedEndpoint(t)
		t.Setenv("AWS_ENDPOINT_URL_STS", sts)
		diags := serve(t, staticSettings(map[string]any{"skip_credentials_validation": false}))
		wantError(t, diags, "", "Cannot reach the STS endpoint", sts, "environment variable AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL")
	})

	t.Run("account ID lookup where nothing answers", func(t *testing.T) {
		isolateEnv(t)
		endpoint := closedEndpoint(t)
		t.Setenv("AWS_ENDPOINT_URL", endpoint) // IAM and STS both
		diags := serve(t, staticSettings(map[string]any{"skip_requesting_account_id": false}))
		wantError(t, diags, "", "Cannot find the AWS account ID", "IAM GetUser", "STS GetCallerIdentity", endpoint,
			"connection refused", "skip_requesting_account_id = true")
	})

	t.Run("role to assume through an STS where nothing answers", func(t *testing.T) {
		isolateEnv(t)
		sts := closedEndpoint(t)
		diags := serve(t, staticSettings(map[string]any{
			"endpoints":   []any{map[string]any{"sts": sts}},
			"assume_role": []any{map[string]any{"role_arn": "arn:aws:iam::123456789012:role/deploy"}},
		}))
		wantError(t, diags, "", "Cannot reach the STS endpoint", "assume_role", sts, "connection refused", "point endpoints.sts")
	})

	t.Run("role that cannot be assumed", func(t *testing.T) {
		isolateEnv(t)
		sts := newSTSStandIn(t)
		sts.reject = true
		settings := staticSettings(map[string]any{
			"endpoints":   []any{map[string]any{"sts": sts.URL}},
			"assume_role": []any{map[string]any{"role_arn": "arn:aws:iam::123456789012:role/locked"}},
		})
		diags := serve(t, settings)
		wantError(t, diags, "", "arn:aws:iam::123456789012:role/locked", "assume_role.role_arn")
		wantNoSecrets(t, diags, settings)
	})
}

func wantNoError(t *testing.T, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Errorf("unexpected error: %s: %s", d.Summary, d.Detail)
		}
	}
}

func wantNoneSays(t *testing.T, diags []*tfprotov6.Diagnostic, text string) {
	t.Helper()
	for _, d := range diags {
		if strings.Contains(d.Summary+d.Detail, text) {
			t.Errorf("diagnostic %q says %q: %s", d.Summary, text, d.Detail)
		}
	}
}

func wantNoSecrets(t *testing.T, diags []*tfprotov6.Diagnostic, settings map[string]any) {
	t.Helper()
	for _, name := range []string{"access_key", "secret_key", "token"} {
		secret, _ := settings[name].(string)
		if secret == "" {
			continue
		}
		for _, d := range diags {
			if strings.Contains(d.Summary+d.Detail, secret) {
				t.Errorf("diagnostic %q reveals %s", d.Summary, name)
			}
		}
	}
}
