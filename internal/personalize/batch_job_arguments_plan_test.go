package personalize_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
)

// What the API refuses because an argument names the wrong kind of
// resource, a resource of another region, or a bucket whose name S3 refuses
// in the job's region: each stops the plan with an error naming the
// argument and the fix, before any API call.

const accAccount = "123456789012"

// regionProvider is a provider block for region, pointed at env's emulator,
// that makes no call when it is configured, so that a case that calls the
// API shows in the emulator's counts.
func regionProvider(env *acctest.Env, region string) string {
	return fmt.Sprintf(`provider "personalize" {
  region                      = %q
  access_key                  = "acctest"
  secret_key                  = "acctest"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  endpoints {
    personalize = %q
    sts         = %q
  }
}
`, region, env.Endpoint, env.Endpoint)
}

// regionJob is a job of resource type typ whose arguments all point into
// region, but for those set.
type regionJob struct {
	typ, region                               string
	sv, filter, role, input, inputKMS, output string
}

func (j regionJob) hcl() string {
	or := func(v, otherwise string) string {
		if v != "" {
			return v
		}
		return otherwise
	}
	arn := func(resource string) string {
		return fmt.Sprintf("arn:aws:personalize:%s:%s:%s", j.region, accAccount, resource)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "resource %q \"test\" {\n  job_name = \"in-%s\"\n", j.typ, j.region)
	fmt.Fprintf(&b, "  solution_version_arn = %q\n", or(j.sv, arn("solution/demo-user-personalization/1a2b3c4d")))
	fmt.Fprintf(&b, "  role_arn = %q\n", or(j.role, "arn:aws:iam::"+accAccount+":role/PersonalizeBatchAcc"))
	if j.filter != "" {
		fmt.Fprintf(&b, "  filter_arn = %q\n", j.filter)
	}
	kms := ""
	if j.inputKMS != "" {
		kms = fmt.Sprintf(", kms_key_arn = %q", j.inputKMS)
	}
	fmt.Fprintf(&b, "  job_input  = { s3_data_source = { path = %q%s } }\n", or(j.input, "s3://acc-bucket/input/"), kms)
	fmt.Fprintf(&b, "  job_output = { s3_data_destination = { path = %q } }\n}\n", or(j.output, "s3://acc-bucket/output/"))
	return b.String()
}

// inRegion is a case's configuration: a provider in region and body.
func inRegion(region string, body string) func(env *acctest.Env) string {
	return func(env *acctest.Env) string { return regionProvider(env, region) + body }
}

const (
	inference = "personalize_batch_inference_job"
	segment   = "personalize_batch_segment_job"
)

func TestAccBatchJobs_wrongKindOfARNStopsPlan(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	solution := "arn:aws:personalize:us-east-1:" + accAccount + ":solution/demo-user-personalization"
	version := solution + "/1a2b3c4d"
	filter := "arn:aws:personalize:us-east-1:" + accAccount + ":filter/demo-filter"
	in := func(body string) func(env *acctest.Env) string { return inRegion("us-east-1", body) }
	runBadInputs(t, []badInput{
		{"solution ARN for solution_version_arn", in(regionJob{typ: inference, region: "us-east-1", sv: solution}.hcl()),
			words(fmt.Sprintf("solution_version_arn %q is a solution ARN, not a solution version ARN: use the ARN of a trained version, %s/<version id>", solution, solution),
				"(the personalize_solution_version data source finds the latest)")},
		{"segment job: solution ARN for solution_version_arn", in(regionJob{typ: segment, region: "us-east-1", sv: solution}.hcl()),
			words(fmt.Sprintf("solution_version_arn %q is a solution ARN, not a solution version ARN", solution))},
		{"solution version for filter_arn", in(regionJob{typ: inference, region: "us-east-1", filter: version}.hcl()),
			words(fmt.Sprintf("filter_arn %q is a solution version ARN, not a filter ARN: use the ARN of a filter,", version),
				"arn:aws:personalize:us-east-1:"+accAccount+":filter/<filter name>")},
		{"segment job: filter for solution_version_arn", in(regionJob{typ: segment, region: "us-east-1", sv: filter}.hcl()),
			words(fmt.Sprintf("solution_version_arn %q is a filter ARN, not a solution version ARN", filter))},
		{"IAM user for role_arn", in(regionJob{typ: inference, region: "us-east-1", role: "arn:aws:iam::" + accAccount + ":user/ci"}.hcl()),
			words(`role_arn "arn:aws:iam::123456789012:user/ci" is an IAM user ARN, not an IAM role ARN: use the ARN of the role Amazon Personalize assumes,`,
				"arn:aws:iam::123456789012:role/<role name>")},
		{"segment job: assumed-role session for role_arn",
			in(regionJob{typ: segment, region: "us-east-1", role: "arn:aws:sts::" + accAccount + ":assumed-role/PersonalizeBatchAcc/ci"}.hcl()),
			words("is the ARN of a session of an assumed role, not of the role: use the role's own ARN, arn:aws:iam::123456789012:role/PersonalizeBatchAcc")},
		{"KMS alias for kms_key_arn", in(regionJob{typ: inference, region: "us-east-1", inputKMS: "arn:aws:kms:us-east-1:" + accAccount + ":alias/batch"}.hcl()),
			words(`job_input.s3_data_source.kms_key_arn "arn:aws:kms:us-east-1:123456789012:alias/batch" is a KMS alias ARN, not a KMS key ARN`,
				"Use the ARN of the key the alias points to, arn:aws:kms:us-east-1:123456789012:key/<key id>")},
		{"data source: solution ARN for solution_version_arn",
			in(fmt.Sprintf("data %q \"test\" {\n  job_name = \"weekly\"\n  solution_version_arn = %q\n}\n", inference, solution)),
			words(fmt.Sprintf("solution_version_arn %q is a solution ARN, not a solution version ARN", solution))},
		{"jobs data source: filter for solution_version_arn",
			in(fmt.Sprintf("data \"personalize_batch_segment_jobs\" \"test\" {\n  solution_version_arn = %q\n}\n", filter)),
			words(fmt.Sprintf("solution_version_arn %q is a filter ARN, not a solution version ARN", filter))},
	})
}

func TestAccBatchJobs_otherRegionStopsPlan(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	usEast := "arn:aws:personalize:us-east-1:" + accAccount + ":solution/demo-user-personalization/1a2b3c4d"
	inEU := func(body string) func(env *acctest.Env) string { return inRegion("eu-west-1", body) }
	runBadInputs(t, []badInput{
		{"solution version of another region", inEU(regionJob{typ: inference, region: "eu-west-1", sv: usEast}.hcl()),
			words(fmt.Sprintf("solution_version_arn %q is in us-east-1, but the provider's region is eu-west-1", usEast),
				"Amazon Personalize sees only the resources of the region it is called in",
				"use the ARN of a solution version in eu-west-1 (such as arn:aws:personalize:eu-west-1:123456789012:solution/demo-user-personalization/1a2b3c4d)",
				`or a provider configured for us-east-1 (a provider block with region = "us-east-1" and an alias)`)},
		{"segment job: filter of another partition",
			inEU(regionJob{typ: segment, region: "eu-west-1", filter: "arn:aws-cn:personalize:cn-north-1:" + accAccount + ":filter/demo-filter"}.hcl()),
			words("filter_arn", "is in the aws-cn partition, but the provider's region, eu-west-1, is in the aws partition")},
		{"role of another partition", inEU(regionJob{typ: inference, region: "eu-west-1", role: "arn:aws-us-gov:iam::" + accAccount + ":role/PersonalizeBatchAcc"}.hcl()),
			words("role_arn", "is a role of the aws-us-gov partition", "use a role of the aws partition, such as arn:aws:iam::123456789012:role/PersonalizeBatchAcc")},
		{"KMS key of another region", inEU(regionJob{typ: segment, region: "eu-west-1", inputKMS: "arn:aws:kms:us-east-1:" + accAccount + ":key/abcd"}.hcl()),
			words(`job_input.s3_data_source.kms_key_arn "arn:aws:kms:us-east-1:123456789012:key/abcd" is a key in us-east-1, but the job runs in the provider's region, eu-west-1`,
				"use a key in eu-west-1")},
		{"bucket name with capitals and underscores outside us-east-1", inEU(regionJob{typ: inference, region: "eu-west-1", input: "s3://Legacy_Bucket/input/"}.hcl()),
			words(`job_input.s3_data_source.path "s3://Legacy_Bucket/input/": S3 refuses the bucket name "Legacy_Bucket" in eu-west-1`,
				"it has capital letters", "it has underscores", "Use a bucket in eu-west-1")},
		{"segment job: reserved bucket suffix outside us-east-1", inEU(regionJob{typ: segment, region: "eu-west-1", output: "s3://results-s3alias/out/"}.hcl()),
			words(`job_output.s3_data_destination.path "s3://results-s3alias/out/"`, `ends with "-s3alias", which S3 reserves for access point aliases`)},
		{"data source: job of another region",
			inEU(fmt.Sprintf("data %q \"test\" {\n  batch_segment_job_arn = %q\n}\n", segment, "arn:aws:personalize:us-east-1:"+accAccount+":batch-segment-job/launch")),
			words("batch_segment_job_arn", "is in us-east-1, but the provider's region is eu-west-1")},
		{"jobs data source: solution version of another region",
			inEU(fmt.Sprintf("data \"personalize_batch_inference_jobs\" \"test\" {\n  solution_version_arn = %q\n}\n", usEast)),
			words("solution_version_arn", "is in us-east-1, but the provider's region is eu-west-1")},
		{"solution version data source: solution of another region",
			inEU(fmt.Sprintf("data \"personalize_solution_version\" \"test\" {\n  solution_arn = %q\n}\n", solutionOf(usEast))),
			words("solution_arn", "is in us-east-1, but the provider's region is eu-west-1", "use the ARN of a solution in eu-west-1")},
	})
}

// A status filter spelled otherwise than the service spells it would match
// no job at all; the plan stops and names the spelling.
func TestAccBatchJobsDataSources_misspeltStatusStopsPlan(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	runBadInputs(t, []badInput{
		{"CREATE_FAILED", inRegion("us-east-1", "data \"personalize_batch_inference_jobs\" \"test\" {\n  status = \"CREATE_FAILED\"\n}\n"),
			words(`status "CREATE_FAILED" is not a status the service returns: did you mean "CREATE FAILED"?`,
				`A batch inference job is "PENDING", "IN PROGRESS", "ACTIVE" or "CREATE FAILED"`)},
		{"active", inRegion("us-east-1", "data \"personalize_batch_segment_jobs\" \"test\" {\n  status = \"active\"\n}\n"),
			words(`status "active" is not a status the service returns: did you mean "ACTIVE"?`, "A batch segment job is")},
	})
}

// Outside us-east-1 a valid configuration still plans; in us-east-1 a
// bucket named before S3's naming rules (capitals, underscores) still runs
// a job.
func TestAccBatchJobs_bucketNamesTheRegionAccepts(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	env := acctest.New(t)
	em := env.RequireEmulator(t)
	legacy := "Legacy_Bucket.2017"
	for key, body := range map[string]string{acctest.UserInputPrefix + "users.jsonl": "{\"userId\":\"4638\"}\n"} {
		env.WriteObject(t, legacy, key, body)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: regionProvider(env, "eu-west-1") + regionJob{typ: inference, region: "eu-west-1",
					filter: "arn:aws:personalize:eu-west-1:" + accAccount + ":filter/demo-filter", inputKMS: "arn:aws:kms:eu-west-1:" + accAccount + ":key/abcd",
					input: "s3://my-bucket.eu-west-1/input/", output: "s3://my-bucket.eu-west-1/output/"}.hcl() +
					regionJob{typ: segment, region: "eu-west-1", output: "https://my-bucket.s3.eu-west-1.amazonaws.com/segments/"}.hcl(),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config(env, "", jobArgs{name: acctest.RandomName("legacy"), input: "s3://" + legacy + "/" + acctest.UserInputPrefix,
					output: "s3://" + legacy + "/output/"}.hcl(env, "test")),
				Check: resource.TestCheckResourceAttr(resourceName, "status", "ACTIVE"),
			},
		},
	})
	if n := em.Stats().Calls["CreateBatchInferenceJob"]; n != 1 {
		t.Errorf("%d CreateBatchInferenceJob calls, want 1: the legacy bucket's job alone", n)
	}
}

// terraform query refuses a misspelt status and a solution version of
// another region before listing anything.
func TestAccBatchJobList_badFiltersStopQuery(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	list := func(typ, filters string) string {
		return fmt.Sprintf("list %q \"test\" {\n  provider = personalize\n  config {\n%s\n  }\n}\n", typ, filters)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{
			acctest.SkipOnOpenTofu("terraform query (list blocks)"),
			tfversion.SkipBelow(tfversion.Version1_14_0),
		},
		Steps: []resource.TestStep{
			// The provider block stays in the working directory for the
			// list blocks of the steps that follow.
			{Config: regionProvider(env, "eu-west-1")},
			{
				Query:       true,
				Config:      list(inference, `    status = "IN_PROGRESS"`),
				ExpectError: words(`status "IN_PROGRESS" is not a status the service returns: did you mean "IN PROGRESS"?`),
			},
			{
				Query:       true,
				Config:      list(segment, `    status = "Create Failed"`),
				ExpectError: words(`status "Create Failed" is not a status the service returns: did you mean "CREATE FAILED"?`),
			},
			{
				Query:  true,
				Config: list(inference, fmt.Sprintf("    solution_version_arn = %q", env.UserPersonalizationSV)),
				ExpectError: words(fmt.Sprintf("solution_version_arn %q is in us-east-1, but the provider's region is eu-west-1", env.UserPersonalizationSV),
					"use the ARN of a solution version in eu-west-1"),
			},
		},
	})
	if env.Emulator != nil {
		for op, n := range env.Emulator.Stats().Calls {
			if n > 0 {
				t.Errorf("refused queries made %d %s call(s)", n, op)
			}
		}
	}
}

// The action refuses, when `terraform plan -invoke` plans it, a solution
// ARN where a version's is needed and a solution version of another region;
// no job starts.
func TestAccBatchInferenceJobAction_badArgumentsStopPlan(t *testing.T) {
	env, _ := acctest.NewCLIEnv(t, emulator.Config{JobDuration: time.Second})
	acctest.SkipUnlessTerraform(t, "1.14.0", "terraform plan -invoke (actions)")
	cli := acctest.NewCLI(t)
	action := func(region, sv string) string {
		return regionProvider(env, region) + fmt.Sprintf(`
action "personalize_batch_inference_job" "run" {
  config {
    job_name_prefix      = "invoked-"
    solution_version_arn = %q
    role_arn             = %q
    job_input  = { s3_data_source = { path = %q } }
    job_output = { s3_data_destination = { path = %q } }
  }
}
`, sv, env.RoleARN, env.S3URL(acctest.UserInputPrefix), env.OutputPrefix("invoked"))
	}
	for _, c := range []struct {
		name, config string
		want         []string
	}{
		{"solution ARN", action("us-east-1", solutionOf(env.UserPersonalizationSV)),
			[]string{"Wrong kind of ARN", fmt.Sprintf("solution_version_arn %q is a solution ARN, not a solution version ARN", solutionOf(env.UserPersonalizationSV))}},
		{"another region", action("eu-west-1", env.UserPersonalizationSV),
			[]string{"ARN in another region", fmt.Sprintf("solution_version_arn %q is in us-east-1, but the provider's region is eu-west-1", env.UserPersonalizationSV)}},
	} {
		cli.WriteConfig(c.config)
		res := cli.Run(2*time.Minute, "plan", "-input=false", "-no-color", "-invoke=action.personalize_batch_inference_job.run")
		if res.ExitCode == 0 {
			t.Errorf("%s: plan -invoke succeeded, want an error:\n%s", c.name, res.Output())
			continue
		}
		for _, w := range c.want {
			if !words(w).MatchString(res.Output()) {
				t.Errorf("%s: plan -invoke does not say %q:\n%s", c.name, w, res.Output())
			}
		}
	}
	for op, n := range env.Emulator.Stats().Calls {
		if op != "GetCallerIdentity" && n > 0 {
			t.Errorf("refused actions made %d %s call(s)", n, op)
		}
	}
}

// regionProtocolProvider is a provider served in the test for region,
// configured without any call, pointed at env's emulator.
func regionProtocolProvider(t *testing.T, env *acctest.Env, region string) *protocolProvider {
	return newProtocolProvider(t, env.Endpoint, map[string]tftypes.Value{
		"region":                      str(region),
		"skip_credentials_validation": tftypes.NewValue(tftypes.Bool, true),
		"skip_requesting_account_id":  tftypes.NewValue(tftypes.Bool, true),
	})
}

// The same checks at the protocol level, for the Terraform versions that
// cannot run actions and list resources: the action's plan refuses a
// solution version of another region (and takes one not yet known), and
// so does an invocation whose values were unknown when it was planned; a
// list request refuses it and a misspelt status before listing.
func TestProtocol_actionAndListRefuseArgumentsOfAnotherRegion(t *testing.T) {
	env := acctest.New(t)
	em := env.RequireEmulator(t)
	eu, us := regionProtocolProvider(t, env, "eu-west-1"), regionProtocolProvider(t, env, "us-east-1")
	settings := eu.jobSettings(env, env.S3URL(acctest.UserInputPrefix), env.OutputPrefix("regions"))
	settings["job_name_prefix"] = str("regions-")
	plan := func(p *protocolProvider, config *tfprotov6.DynamicValue) string {
		t.Helper()
		resp, err := p.actions().PlanAction(t.Context(), &tfprotov6.PlanActionRequest{ActionType: actionType, Config: config})
		if err != nil {
			t.Fatal(err)
		}
		return errorText(resp.Diagnostics)
	}
	otherRegion := words(fmt.Sprintf("solution_version_arn %q is in us-east-1, but the provider's region is eu-west-1", env.UserPersonalizationSV),
		"use the ARN of a solution version in eu-west-1")

	if got := plan(eu, eu.actionConfig(settings)); !otherRegion.MatchString(got) {
		t.Errorf("the action planned in eu-west-1: errors %q, want the solution version's region named", got)
	}
	if got := plan(us, us.actionConfig(settings)); got != "" {
		t.Errorf("the action planned in us-east-1, the solution version's region: errors %q, want none", got)
	}
	unknown := map[string]tftypes.Value{}
	for k, v := range settings {
		unknown[k] = v
	}
	unknown["solution_version_arn"] = tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	if got := plan(eu, eu.actionConfig(unknown)); got != "" {
		t.Errorf("the action planned with a solution version not known yet: errors %q, want none until it is known", got)
	}
	if _, diags := eu.invoke(eu.actionConfig(settings)); !otherRegion.MatchString(errorText(diags)) {
		t.Errorf("the action invoked in eu-west-1: errors %q, want the solution version's region named", errorText(diags))
	}

	listErrors := func(filters map[string]string) string {
		var text strings.Builder
		for _, r := range eu.list(filters, false, 100) {
			text.WriteString(errorText(r.Diagnostics))
		}
		return text.String()
	}
	if got := listErrors(map[string]string{"solution_version_arn": env.UserPersonalizationSV}); !otherRegion.MatchString(got) {
		t.Errorf("listing jobs of a solution version of another region: errors %q, want its region named", got)
	}
	if got := listErrors(map[string]string{"status": "CREATE_FAILED"}); !words(`status "CREATE_FAILED" is not a status the service returns: did you mean "CREATE FAILED"?`).MatchString(got) {
		t.Errorf("listing jobs with a misspelt status: errors %q, want the spelling named", got)
	}
	for op, n := range em.Stats().Calls {
		if n > 0 {
			t.Errorf("refused plans, invocations and listings made %d %s call(s)", n, op)
		}
	}
}
