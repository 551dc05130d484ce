package provider

import (
	"bytes"
	"context"
	"log"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// TestConfigure_logsNoCredentials captures every log line at trace level,
// including the SDK's request and response bodies, across a Configure and a
// Personalize call, and looks for each credential value in them.
func TestConfigure_logsNoCredentials(t *testing.T) {
	const webToken = "eyJhbGciOiJSUzI1NiJ9.oidc-token-body.signature"
	for _, tc := range []struct {
		name     string
		settings func(sts, p string) map[string]any
		env      map[string]string
		secrets  []string
	}{
		{
			name: "static credentials and an assumed role",
			settings: func(sts, p string) map[string]any {
				return staticSettings(map[string]any{
					"token":                       "static-session-token-value",
					"skip_credentials_validation": false,
					"skip_requesting_account_id":  false,
					"endpoints":                   []any{map[string]any{"sts": sts, "personalize": p}},
					"assume_role":                 []any{map[string]any{"role_arn": "arn:aws:iam::123456789012:role/logged"}},
				})
			},
			secrets: []string{"AKIDSTATICEXAMPLE", "static-secret-value-0123456789", "static-session-token-value"},
		},
		{
			name: "web identity token",
			settings: func(sts, p string) map[string]any {
				s := staticSettings(map[string]any{
					"skip_credentials_validation": false,
					"endpoints":                   []any{map[string]any{"sts": sts, "personalize": p}},
					"assume_role_with_web_identity": []any{map[string]any{
						"role_arn": "arn:aws:iam::123456789012:role/oidc", "web_identity_token": webToken,
					}},
				})
				delete(s, "access_key")
				delete(s, "secret_key")
				return s
			},
			secrets: []string{webToken},
		},
		{
			name: "credentials from the environment",
			settings: func(sts, p string) map[string]any {
				s := staticSettings(map[string]any{
					"skip_credentials_validation": false,
					"endpoints":                   []any{map[string]any{"sts": sts, "personalize": p}},
				})
				delete(s, "access_key")
				delete(s, "secret_key")
				return s
			},
			env: map[string]string{
				"AWS_ACCESS_KEY_ID": "AKIDENVIRONMENTKEY", "AWS_SECRET_ACCESS_KEY": "environment-secret-value", "AWS_SESSION_TOKEN": "environment-session-token",
			},
			secrets: []string{"AKIDENVIRONMENTKEY", "environment-secret-value", "environment-session-token"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			isolateEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			sts := newSTSStandIn(t)
			standIn := newPersonalizeStandIn(t, "p")

			var logs, stdLogs bytes.Buffer
			ctx := tflogtest.RootLogger(context.Background(), &logs)
			log.SetOutput(&stdLogs)
			t.Cleanup(func() { log.SetOutput(os.Stderr) })

			data, resp := configure(ctx, t, tc.settings(sts.URL, standIn.URL))
			if resp.Diagnostics.HasError() {
				t.Fatalf("Configure failed: %s", diagText(resp.Diagnostics))
			}
			describeJob(ctx, t, data)

			captured := logs.String()
			// The capture must hold the traffic that carried the credentials,
			// or the absence of secrets below proves nothing.
			for _, want := range []string{"HTTP Request Sent", "HTTP Response Received", "GetCallerIdentity", "DescribeBatchInferenceJob", "http.request.header.authorization"} {
				if !strings.Contains(captured, want) {
					t.Errorf("captured logs have no %q; the test is not seeing the SDK's request logs", want)
				}
			}
			if assumes, _ := sts.split("AssumeRole"); len(assumes) > 0 && !strings.Contains(captured, "AssumedRoleUser") {
				t.Error("captured logs have no AssumeRole response body")
			}

			secrets := append([]string(nil), tc.secrets...)
			for _, c := range sts.issued {
				secrets = append(secrets, c.AccessKeyID, c.SecretAccessKey, c.SessionToken)
			}
			for _, secret := range secrets {
				if strings.Contains(captured, secret) {
					t.Errorf("tflog output contains the credential %q", secret)
				}
				if strings.Contains(stdLogs.String(), secret) {
					t.Errorf("standard log output contains the credential %q", secret)
				}
				for _, d := range resp.Diagnostics {
					if strings.Contains(d.Summary()+d.Detail(), secret) {
						t.Errorf("diagnostic %q contains the credential %q", d.Summary(), secret)
					}
				}
			}
		})
	}
}
