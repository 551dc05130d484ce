package personalize_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
)

const segmentResourceName = "personalize_batch_segment_job.test"

var segmentJobARNRegexp = regexp.MustCompile(`^arn:aws[a-z-]*:personalize:[a-z0-9-]+:\d{12}:batch-segment-job/`)

// segmentJob is a batch segment job's configuration: the env's Item-Affinity
// solution version and segment input unless sv says otherwise; body is
// extra HCL inside the resource block.
func segmentJob(env *acctest.Env, name, sv, output, body string) string {
	if sv == "" {
		sv = env.ItemAffinitySV
	}
	return fmt.Sprintf(`resource "personalize_batch_segment_job" "test" {
  job_name             = %q
  solution_version_arn = %q
  role_arn             = %q
  job_input  = { s3_data_source = { path = %q } }
  job_output = { s3_data_destination = { path = %q } }
%s
}
`, name, sv, env.RoleARN, env.S3URL(acctest.SegmentInputPrefix), output, body)
}

// checkSegmentsWritten proves the segment job ran to the end: an ACTIVE
// emulator job has written users for each input line.
func checkSegmentsWritten(env *acctest.Env, key string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if env.Emulator == nil {
			return nil
		}
		out, err := env.ReadObject(env.Bucket, key)
		if err != nil {
			return fmt.Errorf("segment job output %s: %w", key, err)
		}
		if lines := strings.Count(strings.TrimSpace(out), "\n") + 1; !strings.Contains(out, "recommendedUsers") || lines != 2 {
			return fmt.Errorf("segment job output %s: want recommendedUsers for each of the 2 input lines, got %d lines: %q", key, lines, out)
		}
		return nil
	}
}

// A segment job runs to ACTIVE through the same lifecycle as a batch
// inference job, and the data sources and import report it as the resource
// does.
func TestAccBatchSegmentJob_basic(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	name := acctest.RandomName("segments")
	output := env.OutputPrefix(name)
	lookups := `
data "personalize_batch_segment_job" "by_arn" {
  batch_segment_job_arn = personalize_batch_segment_job.test.batch_segment_job_arn
}
data "personalize_batch_segment_job" "by_name" {
  job_name = personalize_batch_segment_job.test.job_name
}
data "personalize_batch_segment_jobs" "all" {
  solution_version_arn = personalize_batch_segment_job.test.solution_version_arn
  depends_on           = [personalize_batch_segment_job.test]
}
data "personalize_batch_inference_jobs" "none" {
  depends_on = [personalize_batch_segment_job.test]
}
`
	same := func(attr string) statecheck.StateCheck {
		return statecheck.CompareValuePairs(segmentResourceName, tfjsonpath.New(attr), "data.personalize_batch_segment_job.by_name", tfjsonpath.New(attr), compare.ValuesSame())
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(env, "", segmentJob(env, name, "", output, `  tags = { team = "growth" }`), lookups),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(segmentResourceName, tfjsonpath.New("batch_segment_job_arn"),
						knownvalue.StringExact(fmt.Sprintf("arn:aws:personalize:%s:%s:batch-segment-job/%s", env.Region, env.AccountID, name))),
					statecheck.CompareValuePairs(segmentResourceName, tfjsonpath.New("id"), segmentResourceName, tfjsonpath.New("batch_segment_job_arn"), compare.ValuesSame()),
					statecheck.ExpectKnownValue(segmentResourceName, tfjsonpath.New("status"), knownvalue.StringExact("ACTIVE")),
					statecheck.ExpectKnownValue(segmentResourceName, tfjsonpath.New("failure_reason"), knownvalue.Null()),
					statecheck.ExpectKnownValue(segmentResourceName, tfjsonpath.New("num_results"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(segmentResourceName, tfjsonpath.New("creation_date_time"), knownvalue.StringRegexp(rfc3339Regexp)),
					statecheck.ExpectKnownValue(segmentResourceName, tfjsonpath.New("tags_all"), knownvalue.MapExact(map[string]knownvalue.Check{"team": knownvalue.StringExact("growth")})),
					same("batch_segment_job_arn"), same("status"), same("num_results"), same("job_input"), same("job_output"), same("creation_date_time"),
					statecheck.CompareValuePairs("data.personalize_batch_segment_job.by_arn", tfjsonpath.New("job_name"), segmentResourceName, tfjsonpath.New("job_name"), compare.ValuesSame()),
					statecheck.ExpectKnownValue("data.personalize_batch_segment_job.by_arn", tfjsonpath.New("tags"), knownvalue.MapExact(map[string]knownvalue.Check{"team": knownvalue.StringExact("growth")})),
					statecheck.ExpectKnownValue("data.personalize_batch_segment_jobs.all", tfjsonpath.New("arns"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.StringRegexp(regexp.MustCompile(regexp.QuoteMeta("batch-segment-job/"+name) + "$"))})),
					statecheck.ExpectKnownValue("data.personalize_batch_segment_jobs.all", tfjsonpath.New("batch_segment_jobs").AtSliceIndex(0).AtMapKey("status"), knownvalue.StringExact("ACTIVE")),
					// Segment jobs are not batch inference jobs.
					statecheck.ExpectKnownValue("data.personalize_batch_inference_jobs.none", tfjsonpath.New("arns"), knownvalue.ListExact([]knownvalue.Check{})),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestMatchResourceAttr(segmentResourceName, "batch_segment_job_arn", segmentJobARNRegexp),
					checkSegmentsWritten(env, "output/"+name+"/items.jsonl.out"),
					checkCallCount(env, "CreateBatchSegmentJob", 1),
					checkCallCount(env, "CreateBatchInferenceJob", 0),
				),
			},
			{
				// Tags change in place: the job is not run again.
				Config: config(env, "", segmentJob(env, name, "", output, `  tags = { team = "growth", cost = "recs" }`), lookups),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(segmentResourceName, plancheck.ResourceActionUpdate)},
				},
				Check: checkCallCount(env, "CreateBatchSegmentJob", 1),
			},
			{
				ResourceName:            segmentResourceName,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
		},
	})
}

// An argument of a segment job replaces it, and the plan warns when the new
// job would reuse the old one's name.
func TestAccBatchSegmentJob_replacedWithPrefix(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	prefix := acctest.RandomName("seg") + "-"
	job := func(numResults int) string {
		return fmt.Sprintf(`resource "personalize_batch_segment_job" "test" {
  job_name_prefix      = %q
  solution_version_arn = %q
  role_arn             = %q
  num_results          = %d
  job_input  = { s3_data_source = { path = %q } }
  job_output = { s3_data_destination = { path = %q } }
}
`, prefix, env.ItemAffinitySV, env.RoleARN, numResults, env.S3URL(acctest.SegmentInputPrefix), env.OutputPrefix(prefix))
	}
	var first string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(env, "", job(10)),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestMatchResourceAttr(segmentResourceName, "job_name", regexp.MustCompile("^"+regexp.QuoteMeta(prefix))),
					resource.TestCheckResourceAttr(segmentResourceName, "num_results", "10"),
					func(s *terraform.State) error {
						first = s.RootModule().Resources[segmentResourceName].Primary.Attributes["job_name"]
						return nil
					},
				),
			},
			{
				Config: config(env, "", job(20)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(segmentResourceName, plancheck.ResourceActionReplace)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(segmentResourceName, "num_results", "20"),
					resource.TestCheckResourceAttr(segmentResourceName, "status", "ACTIVE"),
					func(s *terraform.State) error {
						if second := s.RootModule().Resources[segmentResourceName].Primary.Attributes["job_name"]; second == first {
							return fmt.Errorf("the replacement kept the name %q; job_name_prefix must generate a new one", first)
						}
						return nil
					},
					checkCallCount(env, "CreateBatchSegmentJob", 2),
				),
			},
		},
	})
}

// Bad input for a segment job stops the plan naming the attribute, before
// any job starts; a solution version of the wrong recipe stops the apply
// with the service's reason and leaves nothing behind.
func TestAccBatchSegmentJob_rejectsBadInput(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	name := acctest.RandomName("badseg")
	output := env.OutputPrefix(name)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      config(env, "", segmentJob(env, name, "", output, "  num_results = 5000001")),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)num_results.*between 1 and 5000000`),
			},
			{
				Config:      config(env, "", segmentJob(env, name, "item-affinity", output, "")),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)solution_version_arn.*must be an Amazon Personalize ARN`),
			},
			{
				Config:      config(env, "", segmentJob(env, name, env.UserPersonalizationSV, output, "")),
				ExpectError: regexp.MustCompile(`(?s)Cannot create batch segment job.*USER_SEGMENTATION`),
				Check:       checkCallCount(env, "CreateBatchSegmentJob", 1),
			},
		},
		CheckDestroy: func(*terraform.State) error {
			if env.Emulator != nil && env.SegmentJobs()+env.Jobs() != 0 {
				return fmt.Errorf("emulator holds %d segment and %d inference jobs after a refused create, want none", env.SegmentJobs(), env.Jobs())
			}
			return nil
		},
	})
}

// Importing a batch inference job's ARN as a segment job names the ARN
// form the resource needs.
func TestAccBatchSegmentJob_importRejectsInferenceJobARN(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	arn := fmt.Sprintf("arn:aws:personalize:%s:%s:batch-inference-job/not-a-segment", env.Region, env.AccountID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:        config(env, "", segmentJob(env, "imported", "", env.OutputPrefix("imported"), "")),
			ResourceName:  segmentResourceName,
			ImportState:   true,
			ImportStateId: arn,
			ExpectError:   regexp.MustCompile(`(?s)is not a batch segment job ARN.*batch-segment-job/<job name>`),
		}},
	})
}

// `terraform query` finds segment jobs with the list resource, each with its
// identity (batch_segment_job_arn) and, asked for, the state an import would
// give; filters apply as they do to batch inference jobs.
func TestProtocolList_segmentJobs(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	conn := env.Client(t)
	for _, name := range []string{"audience-a", "audience-b", "other"} {
		if _, err := conn.CreateBatchSegmentJob(t.Context(), &personalize.CreateBatchSegmentJobInput{
			JobName: aws.String(name), SolutionVersionArn: aws.String(env.ItemAffinitySV), RoleArn: aws.String(env.RoleARN),
			JobInput:  &awstypes.BatchSegmentJobInput{S3DataSource: &awstypes.S3DataConfig{Path: aws.String(env.S3URL(acctest.SegmentInputPrefix))}},
			JobOutput: &awstypes.BatchSegmentJobOutput{S3DataDestination: &awstypes.S3DataConfig{Path: aws.String(env.OutputPrefix(name))}},
			Tags:      []awstypes.Tag{{TagKey: aws.String("job"), TagValue: aws.String(name)}},
		}); err != nil {
			t.Fatal(err)
		}
	}
	p := newProtocolProvider(t, env.Endpoint, nil)
	const typeName = "personalize_batch_segment_job"
	schema := p.schema.ListResourceSchemas[typeName]
	if schema == nil {
		t.Fatalf("the provider serves no list resource %s", typeName)
	}
	for _, a := range schema.Block.Attributes {
		if strings.HasSuffix(a.Name, "_mode") {
			t.Errorf("the segment job list offers the filter %s, but segment jobs have no mode", a.Name)
		}
	}
	stream, err := p.listServer().ListResource(t.Context(), &tfprotov6.ListResourceRequest{
		TypeName:        typeName,
		Config:          tfDynamic(t, tfBlock(schema.Block, map[string]tftypes.Value{"name_regex": tftypes.NewValue(tftypes.String, "^audience-")})),
		IncludeResource: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	resourceType := p.schema.ResourceSchemas[typeName].ValueType()
	var names []string
	for r := range stream.Results {
		requireNoErrors(t, "ListResource", r.Diagnostics)
		if r.Identity == nil || r.Identity.IdentityData == nil {
			t.Fatalf("result %q has no identity", r.DisplayName)
		}
		obj := tfDecode(t, r.Resource, resourceType)
		arn := tfString(t, obj, "batch_segment_job_arn")
		if want := "arn:aws:personalize:us-east-1:123456789012:batch-segment-job/" + r.DisplayName; arn != want {
			t.Errorf("result %q: batch_segment_job_arn %q, want %q", r.DisplayName, arn, want)
		}
		if tags := tfStringMap(t, obj, "tags_all"); tags["job"] != r.DisplayName {
			t.Errorf("result %q: tags_all %v, want its own tag", r.DisplayName, tags)
		}
		names = append(names, r.DisplayName)
	}
	if !slices.Equal(names, []string{"audience-a", "audience-b"}) {
		t.Errorf("listed %v, want the two audience-… jobs oldest first", names)
	}
}
