package personalize_test

import (
	"archive/zip"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
)

// randomSecret is a value that cannot occur in a log by chance.
func randomSecret(t *testing.T, prefix string, n int) string {
	t.Helper()
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := []byte(prefix)
	for range n {
		i, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			t.Fatal(err)
		}
		b = append(b, alphabet[i.Int64()])
	}
	return string(b)
}

// A plan saved to a file, shown as JSON and applied, all at TF_LOG=trace:
// the credentials appear in no log, no state, no plan output and (when they
// come from the environment) not in the plan file either, while the log
// holds the provider's signed requests.
func TestAccReliability_secretsStayOutOfLogsStateAndPlans(t *testing.T) {
	requireFaultTests(t)
	for _, source := range []string{"environment", "provider block"} {
		t.Run(source, func(t *testing.T) {
			t.Parallel()
			accessKey := randomSecret(t, "AKIDREL", 33)
			secretKey := randomSecret(t, "", 64)
			token := randomSecret(t, "IQoJb3JpZ2luX2VjE", 320)
			secrets := map[string]string{"access key": accessKey, "secret key": secretKey, "session token": token}

			// The emulator checks the signatures, so the provider must really
			// sign with these credentials.
			env, _ := acctest.NewCLIEnv(t, emulator.Config{JobDuration: 200 * time.Millisecond, AccessKey: accessKey, SecretKey: secretKey})
			cli := acctest.NewCLI(t)
			name := acctest.RandomName("secrets")
			credentials := ""
			if source == "environment" {
				cli.Env = append(cli.Env, "AWS_ACCESS_KEY_ID="+accessKey, "AWS_SECRET_ACCESS_KEY="+secretKey, "AWS_SESSION_TOKEN="+token)
			} else {
				credentials = fmt.Sprintf("  access_key = %q\n  secret_key = %q\n  token      = %q\n", accessKey, secretKey, token)
			}
			providerBlock := fmt.Sprintf("provider \"personalize\" {\n  region = %q\n%s  endpoints {\n    personalize = %q\n    sts         = %q\n  }\n}\n",
				env.Region, credentials, env.Endpoint, env.Endpoint)
			cli.WriteConfig(providerBlock + jobArgs{name: name, output: env.OutputPrefix(name), body: `  tags = { team = "recs" }`}.hcl(env, "test"))

			logs := filepath.Join(t.TempDir(), "logs")
			if err := os.Mkdir(logs, 0o755); err != nil {
				t.Fatal(err)
			}
			traced := func(name string) {
				cli.Env = append(cli.Env, "TF_LOG=trace", "TF_LOG_PATH="+filepath.Join(logs, name+".log"))
			}

			traced("plan")
			plan := cli.MustRun(2*time.Minute, "plan", "-out=tfplan", "-no-color")
			traced("show")
			show := cli.MustRun(time.Minute, "show", "-json", "tfplan")
			traced("apply")
			apply := cli.MustRun(2*time.Minute, "apply", "-no-color", "tfplan")
			traced("refresh")
			refresh := cli.MustRun(2*time.Minute, "plan", "-refresh-only", "-no-color")

			shown := show.Stdout
			if source == "provider block" {
				shown = withoutConfiguration(t, shown)
			}
			texts := map[string]string{
				"plan output":          plan.Output(),
				"terraform show -json": shown + show.Stderr,
				"apply output":         apply.Output(),
				"refresh output":       refresh.Output(),
			}
			var allLogs strings.Builder
			for _, name := range []string{"plan", "show", "apply", "refresh"} {
				b, err := os.ReadFile(filepath.Join(logs, name+".log"))
				if err != nil {
					t.Fatalf("TF_LOG_PATH: %s", err)
				}
				texts["TF_LOG of "+name] = string(b)
				allLogs.Write(b)
			}
			state, err := os.ReadFile(filepath.Join(cli.Dir, "terraform.tfstate"))
			if err != nil {
				t.Fatal(err)
			}
			texts["terraform.tfstate"] = string(state)
			if source == "environment" {
				// Set in the provider block, credentials are part of the
				// configuration terraform saves into the plan file; from the
				// environment, nothing puts them there.
				for name, body := range planFileEntries(t, filepath.Join(cli.Dir, "tfplan")) {
					texts["plan file entry "+name] = body
				}
			}

			// Without the traffic in the log, finding no secret proves nothing:
			// the signed requests must be there, with their credential slots
			// (the Authorization header's key and the token header) masked.
			for _, want := range []string{"HTTP Request Sent", "HTTP Response Received", "AmazonPersonalize.CreateBatchInferenceJob",
				"AmazonPersonalize.DescribeBatchInferenceJob", "AmazonPersonalize.ListTagsForResource", "GetCallerIdentity",
				`http.request.header.authorization="AWS4-HMAC-SHA256 ***/`, `http.request.header.x_amz_security_token="*****"`} {
				if !strings.Contains(allLogs.String(), want) {
					t.Errorf("the trace logs have no %q: the test is not seeing the provider's requests", want)
				}
			}
			for where, text := range texts {
				for what, secret := range secrets {
					if strings.Contains(text, secret) {
						t.Errorf("the %s appears in the %s", what, where)
					}
				}
			}
		})
	}
}

// withoutConfiguration drops the "configuration" member of terraform show
// -json: it is terraform's rendering of the .tf files, so literal values
// written in the provider block appear there whatever the provider does.
func withoutConfiguration(t *testing.T, shown string) string {
	t.Helper()
	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(shown), &doc); err != nil {
		t.Fatalf("terraform show -json: %s", err)
	}
	if _, ok := doc["resource_changes"]; !ok {
		t.Fatalf("terraform show -json has no resource_changes: %s", shown)
	}
	delete(doc, "configuration")
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// planFileEntries reads every file inside a saved plan (a zip archive).
func planFileEntries(t *testing.T, path string) map[string]string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("reading the plan file: %s", err)
	}
	defer zr.Close()
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = string(b)
	}
	return out
}
