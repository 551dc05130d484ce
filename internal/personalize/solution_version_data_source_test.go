package personalize_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
)

// solutionOf is a solution version's solution: its ARN less the version id.
func solutionOf(svARN string) string {
	return svARN[:strings.LastIndex(svARN, "/")]
}

// The latest ACTIVE version of a solution is the one a job runs on: not a
// newer version whose training failed, not an older ACTIVE one. A job
// configured from the data source runs on it.
func TestAccSolutionVersionDataSource_latestActive(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	em := env.RequireEmulator(t)
	solution := solutionOf(env.UserPersonalizationSV)
	// The emulator's User-Personalization solution has an older ACTIVE
	// version, the fixture version, and a newer one that failed; a version
	// still training, newer than all of them, must not be picked either.
	if err := em.PutSolutionVersion(emulator.SolutionVersionSpec{
		Arn: solution + "/9f9f9f9f", Recipe: "aws-user-personalization", Status: "CREATE IN_PROGRESS", CreatedAt: time.Now(),
	}); err != nil {
		t.Fatal(err)
	}
	name := acctest.RandomName("latest")
	cfg := fmt.Sprintf(`
data "personalize_solution_version" "latest" {
  solution_arn = %q
}
data "personalize_solution_version" "older" {
  solution_version_arn = %q
}
resource "personalize_batch_inference_job" "test" {
  job_name             = %q
  solution_version_arn = data.personalize_solution_version.latest.solution_version_arn
  role_arn             = %q
  job_input  = { s3_data_source = { path = %q } }
  job_output = { s3_data_destination = { path = %q } }
}
`, solution, solution+"/0a9b8c7d", name, env.RoleARN, env.S3URL(acctest.UserInputPrefix), env.OutputPrefix(name))
	const latest, older = "data.personalize_solution_version.latest", "data.personalize_solution_version.older"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config(env, "", cfg),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(latest, tfjsonpath.New("solution_version_arn"), knownvalue.StringExact(env.UserPersonalizationSV)),
				statecheck.ExpectKnownValue(latest, tfjsonpath.New("status"), knownvalue.StringExact("ACTIVE")),
				statecheck.ExpectKnownValue(latest, tfjsonpath.New("solution_arn"), knownvalue.StringExact(solution)),
				statecheck.ExpectKnownValue(latest, tfjsonpath.New("recipe_arn"), knownvalue.StringExact("arn:aws:personalize:::recipe/aws-user-personalization")),
				statecheck.ExpectKnownValue(latest, tfjsonpath.New("creation_date_time"), knownvalue.StringRegexp(rfc3339Regexp)),
				statecheck.ExpectKnownValue(older, tfjsonpath.New("solution_version_arn"), knownvalue.StringExact(solution+"/0a9b8c7d")),
				statecheck.ExpectKnownValue(older, tfjsonpath.New("solution_arn"), knownvalue.StringExact(solution)),
				statecheck.ExpectKnownValue(older, tfjsonpath.New("status"), knownvalue.StringExact("ACTIVE")),
				statecheck.CompareValuePairs(resourceName, tfjsonpath.New("solution_version_arn"), latest, tfjsonpath.New("id"), compare.ValuesSame()),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("status"), knownvalue.StringExact("ACTIVE")),
			},
		}},
	})
}

// A solution with no ACTIVE version stops the plan, naming the solution and
// what its versions are, before any job starts; so do malformed ARNs and a
// configuration that names both or neither.
func TestAccSolutionVersionDataSource_errors(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	em := env.RequireEmulator(t)
	untrained := fmt.Sprintf("arn:aws:personalize:%s:%s:solution/untrained", env.Region, env.AccountID)
	if err := em.PutSolutionVersion(emulator.SolutionVersionSpec{Arn: untrained + "/1b1b1b1b", Recipe: "aws-user-personalization", Status: "CREATE FAILED"}); err != nil {
		t.Fatal(err)
	}
	ds := func(body string) string {
		return config(env, "", fmt.Sprintf("data \"personalize_solution_version\" \"test\" {\n%s\n}\n", body))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      ds(fmt.Sprintf("solution_arn = %q", untrained)),
				ExpectError: regexp.MustCompile(`(?s)No ACTIVE solution version.*solution/untrained has no\s+ACTIVE solution version\s+\(its versions: 1 CREATE\s+FAILED\)`),
			},
			{
				Config:      ds(fmt.Sprintf("solution_arn = %q", untrained+"-gone")),
				ExpectError: regexp.MustCompile(`(?s)solution/untrained-gone".*no\s+such\s+solution`),
			},
			{
				Config: ds(fmt.Sprintf("solution_arn = %q", env.UserPersonalizationSV)),
				ExpectError: words(fmt.Sprintf("solution_arn %q is a solution version ARN, not a solution ARN: use the solution's ARN, %s, or set solution_version_arn instead",
					env.UserPersonalizationSV, solutionOf(env.UserPersonalizationSV))),
			},
			{
				Config:      ds(fmt.Sprintf("solution_version_arn = %q", solutionOf(env.UserPersonalizationSV)+"/ffffffff")),
				ExpectError: regexp.MustCompile(`(?s)Solution version not found`),
			},
			{
				Config:      ds(fmt.Sprintf("solution_arn = %q\nsolution_version_arn = %q", untrained, env.UserPersonalizationSV)),
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination`),
			},
			{
				Config:      ds(""),
				ExpectError: regexp.MustCompile(`(?s)Exactly one of these attributes must be configured:\s+\[solution_version_arn,solution_arn\]`),
			},
		},
	})
}
