package personalize_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
)

const importResourceName = "personalize_dataset_import_job.test"

// importJob is a dataset import job's configuration into the env's
// Interactions dataset: named by name, or by a prefix when name ends in
// "-"; location is the CSV data unless empty; body is extra HCL inside the
// resource block.
func importJob(env *acctest.Env, label, name, location, body string) string {
	if location == "" {
		location = env.S3URL(acctest.InteractionsCSV)
	}
	naming := fmt.Sprintf("job_name        = %q", name)
	if strings.HasSuffix(name, "-") {
		naming = fmt.Sprintf("job_name_prefix = %q", name)
	}
	return fmt.Sprintf(`resource "personalize_dataset_import_job" %q {
  %s
  dataset_arn     = %q
  role_arn        = %q
  data_source     = { data_location = %q }
%s
}
`, label, naming, env.InteractionsDataset, env.RoleARN, location, body)
}

// importARN is the ARN the service gives the import named name.
func importARN(env *acctest.Env, name string) string {
	return fmt.Sprintf("arn:aws:personalize:%s:%s:dataset-import-job/%s", env.Region, env.AccountID, name)
}

// checkImportJobs proves how many dataset import jobs the emulator ran.
func checkImportJobs(env *acctest.Env, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if env.Emulator == nil {
			return nil
		}
		if got := env.Emulator.Stats().DatasetImportJobs; got != want {
			return fmt.Errorf("emulator holds %d dataset import jobs, want %d", got, want)
		}
		return nil
	}
}

// countedImports is a configuration of n imports of the env's CSV data,
// named from the prefixes <prefix>-<index>-.
func countedImports(env *acctest.Env, prefix string, n int) string {
	return config(env, "", fmt.Sprintf(`resource "personalize_dataset_import_job" "test" {
  count           = %d
  job_name_prefix = "%s-${count.index}-"
  dataset_arn     = %q
  data_source     = { data_location = %q }
}`, n, prefix, env.InteractionsDataset, env.S3URL(acctest.InteractionsCSV)))
}

// An import runs to ACTIVE and reports the service's defaults; the data
// sources read it by ARN, by name and in a listing as the resource holds
// it; tags change in place, and import by ARN reproduces the state.
func TestAccDatasetImportJob_basic(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	dataset := env.RequireDataset(t)
	name := acctest.RandomName("import")
	lookups := `
data "personalize_dataset_import_job" "by_arn" {
  dataset_import_job_arn = personalize_dataset_import_job.test.dataset_import_job_arn
}
data "personalize_dataset_import_job" "by_name" {
  job_name    = personalize_dataset_import_job.test.job_name
  dataset_arn = personalize_dataset_import_job.test.dataset_arn
}
data "personalize_dataset_import_jobs" "finished" {
  dataset_arn = personalize_dataset_import_job.test.dataset_arn
  status      = "ACTIVE"
  name_regex  = "^${personalize_dataset_import_job.test.job_name}$"
}
data "personalize_dataset_import_jobs" "everywhere" {
  name_regex = "^${personalize_dataset_import_job.test.job_name}$"
}
`
	same := func(attr string) statecheck.StateCheck {
		return statecheck.CompareValuePairs(importResourceName, tfjsonpath.New(attr), "data.personalize_dataset_import_job.by_name", tfjsonpath.New(attr), compare.ValuesSame())
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(env, "", importJob(env, "test", name, "", `  tags = { team = "data" }`), lookups),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(importResourceName, tfjsonpath.New("dataset_import_job_arn"), knownvalue.StringExact(importARN(env, name))),
					statecheck.CompareValuePairs(importResourceName, tfjsonpath.New("id"), importResourceName, tfjsonpath.New("dataset_import_job_arn"), compare.ValuesSame()),
					statecheck.ExpectKnownValue(importResourceName, tfjsonpath.New("status"), knownvalue.StringExact("ACTIVE")),
					statecheck.ExpectKnownValue(importResourceName, tfjsonpath.New("failure_reason"), knownvalue.Null()),
					statecheck.ExpectKnownValue(importResourceName, tfjsonpath.New("import_mode"), knownvalue.StringExact("FULL")),
					statecheck.ExpectKnownValue(importResourceName, tfjsonpath.New("publish_attribution_metrics_to_s3"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(importResourceName, tfjsonpath.New("dataset_arn"), knownvalue.StringExact(dataset)),
					statecheck.ExpectKnownValue(importResourceName, tfjsonpath.New("data_source"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"data_location": knownvalue.StringExact(env.S3URL(acctest.InteractionsCSV)),
					})),
					statecheck.ExpectKnownValue(importResourceName, tfjsonpath.New("creation_date_time"), knownvalue.StringRegexp(rfc3339Regexp)),
					statecheck.ExpectKnownValue(importResourceName, tfjsonpath.New("last_updated_date_time"), knownvalue.StringRegexp(rfc3339Regexp)),
					statecheck.ExpectKnownValue(importResourceName, tfjsonpath.New("tags_all"), knownvalue.MapExact(map[string]knownvalue.Check{"team": knownvalue.StringExact("data")})),
					same("dataset_import_job_arn"), same("status"), same("import_mode"), same("data_source"), same("role_arn"),
					same("publish_attribution_metrics_to_s3"), same("creation_date_time"),
					statecheck.CompareValuePairs("data.personalize_dataset_import_job.by_arn", tfjsonpath.New("job_name"), importResourceName, tfjsonpath.New("job_name"), compare.ValuesSame()),
					statecheck.CompareValuePairs("data.personalize_dataset_import_job.by_arn", tfjsonpath.New("dataset_arn"), importResourceName, tfjsonpath.New("dataset_arn"), compare.ValuesSame()),
					statecheck.ExpectKnownValue("data.personalize_dataset_import_job.by_arn", tfjsonpath.New("tags"), knownvalue.MapExact(map[string]knownvalue.Check{"team": knownvalue.StringExact("data")})),
					statecheck.ExpectKnownValue("data.personalize_dataset_import_jobs.finished", tfjsonpath.New("arns"), arnList(importARN(env, name))),
					statecheck.ExpectKnownValue("data.personalize_dataset_import_jobs.finished", tfjsonpath.New("dataset_import_jobs").AtSliceIndex(0), knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"job_name": knownvalue.StringExact(name), "status": knownvalue.StringExact("ACTIVE"), "dataset_arn": knownvalue.StringExact(dataset),
					})),
					// Listed without a dataset, an import still names its own.
					statecheck.ExpectKnownValue("data.personalize_dataset_import_jobs.everywhere", tfjsonpath.New("dataset_import_jobs").AtSliceIndex(0).AtMapKey("dataset_arn"), knownvalue.StringExact(dataset)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkCallCount(env, "CreateDatasetImportJob", 1),
					checkImportJobs(env, 1),
				),
			},
			{
				// Tags change in place: nothing is imported again.
				Config: config(env, "", importJob(env, "test", name, "", `  tags = { team = "data", cost = "recs" }`), lookups),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(importResourceName, plancheck.ResourceActionUpdate)},
				},
				Check: checkCallCount(env, "CreateDatasetImportJob", 1),
			},
			{
				ResourceName:            importResourceName,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
		},
	})
}

// An argument replaces the import; with job_name_prefix the new job gets a
// name of its own, and INCREMENTAL is what the new job ran with.
func TestAccDatasetImportJob_replacedWithPrefix(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	env.RequireDataset(t)
	prefix := acctest.RandomName("imp") + "-"
	var first string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(env, "", importJob(env, "test", prefix, "", "")),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestMatchResourceAttr(importResourceName, "job_name", regexp.MustCompile("^"+regexp.QuoteMeta(prefix)+"[0-9a-f]{24}$")),
					func(s *terraform.State) error {
						first = s.RootModule().Resources[importResourceName].Primary.Attributes["job_name"]
						return nil
					},
				),
			},
			{
				Config: config(env, "", importJob(env, "test", prefix, "", `  import_mode = "INCREMENTAL"`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(importResourceName, plancheck.ResourceActionReplace)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(importResourceName, "import_mode", "INCREMENTAL"),
					resource.TestCheckResourceAttr(importResourceName, "status", "ACTIVE"),
					func(s *terraform.State) error {
						if second := s.RootModule().Resources[importResourceName].Primary.Attributes["job_name"]; second == first {
							return fmt.Errorf("the replacement kept the name %q; job_name_prefix must generate a new one", first)
						}
						return nil
					},
					checkCallCount(env, "CreateDatasetImportJob", 2),
				),
			},
		},
	})
}

// CSV data that lacks a column the dataset's schema requires, or a data
// location with no CSV file, fails the job: apply is an error quoting the
// service's reason.
func TestAccDatasetImportJob_failureQuotesReason(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	env.RequireEmulator(t)
	env.RequireDataset(t)
	env.WriteObject(t, env.Bucket, "imports/bad/no-timestamp.csv", "USER_ID,ITEM_ID,EVENT_TYPE\n4638,105,click\n")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(env, "", importJob(env, "test", acctest.RandomName("nots"), env.S3URL("imports/bad/"), "")),
				ExpectError: words("Dataset import job failed", "ended in CREATE FAILED",
					`"Failed to create a data import job for Interactions dataset. Input CSV is missing the following columns: [TIMESTAMP] (s3://acc-bucket/imports/bad/no-timestamp.csv)"`,
					"the data location and its CSV files' columns against the dataset's schema"),
			},
			{
				Config:      config(env, "", importJob(env, "test", acctest.RandomName("nofile"), env.S3URL("imports/missing.csv"), "")),
				ExpectError: words("Dataset import job failed", "Invalid Data location: no CSV file at s3://acc-bucket/imports/missing.csv"),
			},
		},
	})
}

// On Terraform 1.12+, an import block by identity imports the job a first
// step made, with nothing else planned.
func TestAccDatasetImportJob_importBlockByIdentity(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	env.RequireDataset(t)
	name := acctest.RandomName("identity")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		Steps: []resource.TestStep{
			{
				Config: config(env, "", importJob(env, "test", name, "", "  tags = { owner = \"acc\" }")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(importResourceName, map[string]knownvalue.Check{"dataset_import_job_arn": knownvalue.StringExact(importARN(env, name))}),
				},
			},
			{
				ResourceName:    importResourceName,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
				ImportPlanChecks: resource.ImportPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(importResourceName, plancheck.ResourceActionNoop),
						plancheck.ExpectKnownValue(importResourceName, tfjsonpath.New("job_name"), knownvalue.StringExact(name)),
						plancheck.ExpectKnownValue(importResourceName, tfjsonpath.New("import_mode"), knownvalue.StringExact("FULL")),
						plancheck.ExpectKnownValue(importResourceName, tfjsonpath.New("status"), knownvalue.StringExact("ACTIVE")),
						plancheck.ExpectKnownValue(importResourceName, tfjsonpath.New("tags"), knownvalue.MapExact(map[string]knownvalue.Check{"owner": knownvalue.StringExact("acc")})),
					},
				},
			},
		},
	})
}

// `terraform query` lists imports, one dataset's or every dataset's, each
// with its identity and, asked for, the state an import would give.
func TestAccDatasetImportJobList_query(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	dataset := env.RequireDataset(t)
	tagged, untagged := acctest.RandomName("qimp-tagged"), acctest.RandomName("qimp-plain")
	identity := func(name string) map[string]knownvalue.Check {
		return map[string]knownvalue.Check{"dataset_import_job_arn": knownvalue.StringExact(importARN(env, name))}
	}
	list := func(label, body string) string {
		return fmt.Sprintf("list \"personalize_dataset_import_job\" %q {\n  provider = personalize\n%s\n}\n", label, body)
	}
	const all, found = "personalize_dataset_import_job.all", "personalize_dataset_import_job.found"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{
			acctest.SkipOnOpenTofu("terraform query (list blocks)"),
			tfversion.SkipBelow(tfversion.Version1_14_0),
		},
		Steps: []resource.TestStep{
			{
				// One import made outside Terraform, one it manages.
				PreConfig: func() {
					if _, err := env.Client(t).CreateDatasetImportJob(t.Context(), &personalize.CreateDatasetImportJobInput{
						JobName: aws.String(untagged), DatasetArn: aws.String(dataset), RoleArn: aws.String(env.RoleARN),
						DataSource: &awstypes.DataSource{DataLocation: aws.String(env.S3URL(acctest.InteractionsCSV))},
					}); err != nil {
						t.Fatal(err)
					}
				},
				Config: config(env, "", importJob(env, "test", tagged, "", "  tags = { team = \"query\" }")),
			},
			{
				Query: true,
				Config: list("all", "  config {\n    name_regex = \"^qimp-\"\n  }") +
					list("found", fmt.Sprintf("  include_resource = true\n  config {\n    dataset_arn = %q\n    name_regex  = \"^qimp-tagged-\"\n  }", dataset)),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength(all, 2),
					querycheck.ExpectIdentity(all, identity(untagged)),
					querycheck.ExpectIdentity(all, identity(tagged)),
					querycheck.ExpectLength(found, 1),
					querycheck.ExpectResourceDisplayName(found, queryfilter.ByResourceIdentity(identity(tagged)), knownvalue.StringExact(tagged)),
					querycheck.ExpectResourceKnownValues(found, queryfilter.ByResourceIdentity(identity(tagged)), []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("dataset_arn"), KnownValue: knownvalue.StringExact(dataset)},
						{Path: tfjsonpath.New("import_mode"), KnownValue: knownvalue.StringExact("FULL")},
						{Path: tfjsonpath.New("tags"), KnownValue: knownvalue.MapExact(map[string]knownvalue.Check{"team": knownvalue.StringExact("query")})},
						{Path: tfjsonpath.New("wait_for_completion"), KnownValue: knownvalue.Bool(true)},
					}),
				},
			},
		},
	})
}

// More imports than the running-import quota in one apply: the creates
// beyond it queue and retry, and every import runs once and finishes.
func TestAccDatasetImportJob_queuesBeyondQuota(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	env.RequireEmulator(t).SetMaxRunningImportJobs(2)
	const jobs = 6
	cfg := countedImports(env, "queued", jobs)
	checks := []resource.TestCheckFunc{
		checkImportJobs(env, jobs),
		func(*terraform.State) error {
			if n := env.Calls("CreateDatasetImportJob"); n <= jobs {
				return fmt.Errorf("%d create calls for %d imports over a quota of 2: nothing was queued", n, jobs)
			}
			return nil
		},
	}
	for i := range jobs {
		checks = append(checks, resource.TestCheckResourceAttr(fmt.Sprintf("personalize_dataset_import_job.test.%d", i), "status", "ACTIVE"))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{{Config: cfg, Check: resource.ComposeAggregateTestCheckFunc(checks...)}},
	})
}

// The service made the import but its answer was lost: the retry meets
// ResourceAlreadyExistsException and the import is adopted, not run again.
// An import of the same name into another location is someone else's.
func TestAccDatasetImportJob_lostCreateResponseAdopted(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	em := env.RequireEmulator(t)
	name := acctest.RandomName("lost")
	env.WriteObject(t, env.Bucket, "imports/other.csv", "USER_ID,ITEM_ID,TIMESTAMP\n1,2,1714000000\n")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() { em.SetFaults(emulator.Faults{DropCreateResponseRate: 1}) },
				Config:    config(env, "", importJob(env, "test", name, "", "")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(importResourceName, tfjsonpath.New("status"), knownvalue.StringExact("ACTIVE")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkCallCount(env, "CreateDatasetImportJob", 2), // the lost one and the retry
					checkImportJobs(env, 1),
				),
			},
			{
				PreConfig:   func() { em.SetFaults(emulator.Faults{}) },
				Config:      config(env, "", importJob(env, "test", name, "", ""), importJob(env, "clash", name, env.S3URL("imports/other.csv"), "")),
				ExpectError: words("Job name already taken", "data_source.data_location", "job_name_prefix"),
				Check:       checkImportJobs(env, 1),
			},
		},
	})
}

// Imports in one apply while the API throttles calls and loses create
// responses: each import runs once, finishes and is in state.
func TestAccDatasetImportJob_faultsRunEachImportOnce(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	em := env.RequireEmulator(t)
	const jobs = 5
	cfg := countedImports(env, "faults", jobs)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				em.SetFaults(emulator.Faults{ThrottleRate: 0.3, DropCreateResponseRate: 0.5, Seed: 20240601})
			},
			Config: cfg,
			Check: func(s *terraform.State) error {
				st := em.Stats()
				em.SetFaults(emulator.Faults{})
				if st.Faults[emulator.FaultThrottled] == 0 || st.Faults[emulator.FaultDroppedCreate] == 0 {
					return fmt.Errorf("the apply met %d throttled calls and %d lost create responses; want some of each", st.Faults[emulator.FaultThrottled], st.Faults[emulator.FaultDroppedCreate])
				}
				if st.DatasetImportJobs != jobs {
					return fmt.Errorf("emulator holds %d dataset import jobs, want %d: one per resource", st.DatasetImportJobs, jobs)
				}
				seen := map[string]bool{}
				for i := range jobs {
					rs := s.RootModule().Resources[fmt.Sprintf("personalize_dataset_import_job.test.%d", i)]
					if rs == nil || rs.Primary.Attributes["status"] != "ACTIVE" {
						return fmt.Errorf("import %d is not ACTIVE in state", i)
					}
					if arn := rs.Primary.Attributes["dataset_import_job_arn"]; seen[arn] {
						return fmt.Errorf("import %d holds %s, another resource's import", i, arn)
					} else {
						seen[arn] = true
					}
				}
				return nil
			},
		}},
	})
}

// A wrong dataset ARN, another resource's ARN for it, a dataset of another
// region or an import mode the API does not have stop the plan with an
// error naming the attribute, before any API call.
func TestAccDatasetImportJob_badInputStopsPlan(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	job := func(region, dataset, body string) func(env *acctest.Env) string {
		return func(env *acctest.Env) string {
			if !strings.Contains(body, "data_source") {
				body += "\n  data_source = { data_location = \"s3://my-bucket/imports/\" }"
			}
			return regionProvider(env, region) + fmt.Sprintf(`resource "personalize_dataset_import_job" "test" {
  job_name    = "bad-input"
  dataset_arn = %q
%s
}
`, dataset, body)
		}
	}
	const usEast = "arn:aws:personalize:us-east-1:" + accAccount + ":"
	dataset := usEast + "dataset/demo/INTERACTIONS"
	runBadInputs(t, []badInput{
		{"dataset_arn not an ARN", job("us-east-1", "demo/INTERACTIONS", ""),
			words("dataset_arn must be an Amazon Personalize dataset ARN such as", "dataset/my-dataset-group/INTERACTIONS")},
		{"solution ARN for dataset_arn", job("us-east-1", usEast+"solution/demo-user-personalization", ""),
			words(`dataset_arn "`+usEast+`solution/demo-user-personalization" is a solution ARN, not a dataset ARN`,
				"use the ARN of a dataset, "+usEast+"dataset/<dataset group name>/<dataset type>")},
		{"dataset group ARN for dataset_arn", job("us-east-1", usEast+"dataset-group/demo", ""),
			words("dataset_arn", "is a dataset group ARN, not a dataset ARN", "use the ARN of one of its datasets, such as "+usEast+"dataset/demo/INTERACTIONS")},
		{"dataset_arn without its type", job("us-east-1", usEast+"dataset/demo", ""),
			words("dataset_arn", "is not a dataset ARN: its resource must be dataset/<dataset group name>/<dataset type>")},
		{"dataset of another region", job("eu-west-1", dataset, ""),
			words(fmt.Sprintf("dataset_arn %q is in us-east-1, but the provider's region is eu-west-1", dataset),
				"use the ARN of a dataset in eu-west-1")},
		{"import_mode value", job("us-east-1", dataset, `  import_mode = "APPEND"`),
			words("import_mode value must be one of", `"FULL"`, `"INCREMENTAL"`, `got: "APPEND"`)},
		{"import_mode in lower case", job("us-east-1", dataset, `  import_mode = "full"`),
			words("import_mode value must be one of")},
		{"role_arn not a role", job("us-east-1", dataset, `  role_arn = "arn:aws:iam::`+accAccount+`:user/ci"`),
			words("role_arn", "is an IAM user ARN, not an IAM role ARN")},
		{"data_location not S3", job("us-east-1", dataset, `  data_source = { data_location = "bucket/imports/" }`),
			words("data_source.data_location must be an S3 URL")},
		{"jobs data source: status as batch jobs spell it", inRegion("us-east-1", "data \"personalize_dataset_import_jobs\" \"test\" {\n  status = \"IN PROGRESS\"\n}\n"),
			words(`status "IN PROGRESS" is not a status the service returns: did you mean "CREATE IN_PROGRESS"?`,
				`A dataset import job is "CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE" or "CREATE FAILED"`)},
	})
}
