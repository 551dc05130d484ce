package personalize_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
)

// A create the service refuses is reported at the argument it is about,
// in the names the configuration uses, saying that nothing was created.
func TestAccRefusal_pointsAtTheArgumentInItsOwnName(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	const (
		missingVersion  = "arn:aws:personalize:us-east-1:123456789012:solution/demo-user-personalization/00000000"
		missingSolution = "arn:aws:personalize:us-east-1:123456789012:solution/demo-user-personalisation"
	)
	for _, c := range []struct {
		name     string
		resource func(env *acctest.Env) string
		line     string
		want     []string
		unwanted string
	}{
		{
			name: "a solution version that does not exist",
			resource: func(env *acctest.Env) string {
				name := acctest.RandomName("refused")
				return jobArgs{name: name, sv: missingVersion, output: env.OutputPrefix(name)}.hcl(env, "test")
			},
			line: `solution_version_arn = "` + missingVersion + `"`,
			want: []string{
				"The service refused to create batch inference job", ": solution_version_arn: no solution version", "(ResourceNotFoundException, request ID",
				"No batch inference job was created. Check solution_version_arn: what it names must exist in the provider's region and account.",
			},
			unwanted: "solutionVersionArn: no solution",
		},
		{
			name: "a first import that only adds",
			resource: func(env *acctest.Env) string {
				// The Items dataset holds no data yet: its first import must
				// be FULL.
				hcl := importJob(env, "test", acctest.RandomName("refused"), "", `  import_mode = "INCREMENTAL"`)
				return strings.Replace(hcl, env.InteractionsDataset, strings.TrimSuffix(env.InteractionsDataset, "INTERACTIONS")+"ITEMS", 1)
			},
			line: `import_mode = "INCREMENTAL"`,
			want: []string{
				": import_mode INCREMENTAL: dataset", "use import_mode FULL (InvalidInputException, request ID",
				"No dataset import job was created. Change import_mode as the message says.",
			},
			unwanted: "importMode INCREMENTAL: dataset",
		},
		{
			name: "a solution that does not exist",
			resource: func(env *acctest.Env) string {
				return trainedVersion(env, "refused-", missingSolution, "")
			},
			line: `solution_arn = "` + missingSolution + `"`,
			want: []string{
				"The service refused to create solution version", ": solution_arn: no solution", "(ResourceNotFoundException, request ID",
				"No solution version was created. Check solution_arn",
			},
			unwanted: "solutionArn: no solution",
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			env, _ := acctest.NewCLIEnv(t, emulator.Config{})
			cli := acctest.NewCLI(t)
			cli.WriteConfig(config(env, "", c.resource(env)))
			res := cli.Run(2*time.Minute, "apply", "-auto-approve", "-no-color")
			if res.ExitCode == 0 {
				t.Fatalf("the apply succeeded; the service should have refused the create:\n%s", res)
			}
			text := strings.Join(strings.Fields(res.Output()), " ")
			t.Logf("the refused apply:\n%s", res)
			// Terraform quotes the configuration's line of the attribute an
			// error is about, after the line number.
			if !strings.Contains(text, ": "+strings.Join(strings.Fields(c.line), " ")) {
				t.Errorf("the error does not point at the line %q:\n%s", c.line, res)
			}
			for _, want := range c.want {
				if !strings.Contains(text, want) {
					t.Errorf("the error does not say %q:\n%s", want, res)
				}
			}
			if strings.Contains(text, c.unwanted) {
				t.Errorf("the error still tells the refusal in the API's member names (%q):\n%s", c.unwanted, res)
			}
			if state := cli.State(); len(state) != 0 {
				t.Errorf("the refused create left %d resources in state: %v", len(state), state)
			}
		})
	}
}
