package provider

import (
	"path/filepath"
	"testing"
)

// Malformed settings beyond the common ones: each gives one error that names
// the setting (or the environment variable) and says what is wrong.
func TestReliability_malformedSettingsNameTheSetting(t *testing.T) {
	role := func(block map[string]any) map[string]any {
		b := map[string]any{"role_arn": "arn:aws:iam::123456789012:role/deploy"}
		for k, v := range block {
			b[k] = v
		}
		return map[string]any{"assume_role": []any{b}}
	}
	webIdentity := func(block map[string]any) map[string]any {
		b := map[string]any{"role_arn": "arn:aws:iam::123456789012:role/ci", "web_identity_token": "oidc-token"}
		for k, v := range block {
			b[k] = v
		}
		return map[string]any{"assume_role_with_web_identity": []any{b}}
	}
	endpoints := func(personalize, sts string) map[string]any {
		return map[string]any{"endpoints": []any{map[string]any{"personalize": personalize, "sts": sts}}}
	}
	for _, tc := range []struct {
		name      string
		settings  map[string]any
		attribute string
		fragments []string
	}{
		{"endpoint with a fragment", endpoints("http://127.0.0.1:4599/#personalize", "http://127.0.0.1:4599"),
			"endpoints[0].personalize", []string{"http://127.0.0.1:4599/#personalize", "query or fragment"}},
		{"sts endpoint with a query", endpoints("http://127.0.0.1:4599", "http://127.0.0.1:4599/?Action=GetCallerIdentity"),
			"endpoints[0].sts", []string{"query or fragment"}},
		{"endpoint that is not a URL", endpoints("http://[::1", "http://127.0.0.1:4599"),
			"endpoints[0].personalize", []string{"not a URL"}},
		{"proxy with another scheme", map[string]any{"http_proxy": "ftp://proxy.example.com:21"},
			"http_proxy", []string{"ftp://proxy.example.com:21", "http://"}},
		{"external_id characters", role(map[string]any{"external_id": "id with spaces"}),
			"assume_role[0].external_id", []string{"letters, digits"}},
		{"external_id too short", role(map[string]any{"external_id": "x"}),
			"assume_role[0].external_id", []string{"between 2 and 1224"}},
		{"source_identity too short", role(map[string]any{"source_identity": "x"}),
			"assume_role[0].source_identity", []string{"between 2 and 64"}},
		{"duration too long", role(map[string]any{"duration": "13h"}),
			"assume_role[0].duration", []string{"15m", "12h"}},
		{"role ARN in another partition", role(map[string]any{"role_arn": "arn:azure:iam::123456789012:role/x"}),
			"assume_role[0].role_arn", []string{"partition", "azure"}},
		{"role ARN with a Region", role(map[string]any{"role_arn": "arn:aws:iam:us-east-1:123456789012:role/x"}),
			"assume_role[0].role_arn", []string{"no Region"}},
		{"role ARN without a name", role(map[string]any{"role_arn": "arn:aws:iam::123456789012:role/"}),
			"assume_role[0].role_arn", []string{"role/<name>"}},
		{"web identity role ARN of a user", webIdentity(map[string]any{"role_arn": "arn:aws:iam::123456789012:user/ci"}),
			"assume_role_with_web_identity[0].role_arn", []string{"role/"}},
		{"web identity policy not JSON", webIdentity(map[string]any{"policy": "{not json"}),
			"assume_role_with_web_identity[0].policy", []string{"JSON"}},
		{"web identity session name", webIdentity(map[string]any{"session_name": "ci run #1"}),
			"assume_role_with_web_identity[0].session_name", []string{"letters, digits"}},
		{"web identity token too short", webIdentity(map[string]any{"web_identity_token": "abc"}),
			"assume_role_with_web_identity[0].web_identity_token", []string{"between 4 and 20000"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			isolateEnv(t)
			wantError(t, serve(t, staticSettings(tc.settings)), tc.attribute, tc.fragments...)
		})
	}
}

// Malformed values that come from files and the environment rather than the
// provider block: the error names where the value came from.
func TestReliability_malformedEnvironmentNamesTheSource(t *testing.T) {
	t.Run("custom_ca_bundle that is a directory", func(t *testing.T) {
		isolateEnv(t)
		dir := t.TempDir()
		wantError(t, serve(t, staticSettings(map[string]any{"custom_ca_bundle": dir})), "custom_ca_bundle", dir, "cannot be read")
	})

	t.Run("AWS_CA_BUNDLE without certificates", func(t *testing.T) {
		isolateEnv(t)
		notPEM := filepath.Join(t.TempDir(), "ca.pem")
		writeFile(t, notPEM, "-----BEGIN NOTHING-----\n")
		t.Setenv("AWS_CA_BUNDLE", notPEM)
		wantError(t, serve(t, staticSettings(nil)), "", "AWS_CA_BUNDLE", "no PEM certificates")
	})

	t.Run("malformed AWS_ENDPOINT_URL_STS", func(t *testing.T) {
		isolateEnv(t)
		t.Setenv("AWS_ENDPOINT_URL_STS", "sts.local:4599")
		wantError(t, serve(t, staticSettings(map[string]any{
			"endpoints": []any{map[string]any{"personalize": "http://127.0.0.1:1"}},
		})), "", "AWS_ENDPOINT_URL_STS", "sts.local:4599", "http://")
	})

	t.Run("malformed AWS_ENDPOINT_URL with only one endpoint set", func(t *testing.T) {
		isolateEnv(t)
		t.Setenv("AWS_ENDPOINT_URL", "ftp://endpoints.local")
		wantError(t, serve(t, staticSettings(map[string]any{
			"endpoints": []any{map[string]any{"sts": "http://127.0.0.1:1"}},
		})), "", "AWS_ENDPOINT_URL", "ftp://endpoints.local")
	})

	t.Run("AWS_RETRY_MODE not a retry mode", func(t *testing.T) {
		isolateEnv(t)
		t.Setenv("AWS_RETRY_MODE", "fast")
		wantError(t, serve(t, staticSettings(nil)), "", "AWS_RETRY_MODE", "fast")
	})

	t.Run("AWS_MAX_ATTEMPTS not a number", func(t *testing.T) {
		isolateEnv(t)
		t.Setenv("AWS_MAX_ATTEMPTS", "many")
		s := staticSettings(nil)
		delete(s, "max_retries")
		wantError(t, serve(t, s), "", "AWS_MAX_ATTEMPTS", "many")
	})
}
