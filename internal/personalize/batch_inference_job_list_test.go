package personalize_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
	tfpersonalize "github.com/tfpersonalize/terraform-provider-personalize/internal/personalize"
)

const listSimilarItemsSV = "arn:aws:personalize:us-east-1:123456789012:solution/demo-similar-items/5e6f7a8b"

func (p *protocolProvider) listSchema() *tfprotov6.Schema {
	p.t.Helper()
	s := p.schema.ListResourceSchemas[tfpersonalize.ResourceTypeName]
	if s == nil {
		p.t.Fatalf("the provider serves no list resource %s (list resources: %v)", tfpersonalize.ResourceTypeName, p.schema.ListResourceSchemas)
	}
	return s
}

// listServer is the server's list resource half, which Terraform only
// calls when the server has one.
func (p *protocolProvider) listServer() tfprotov6.ListResourceServer {
	p.t.Helper()
	ls, ok := p.server.(tfprotov6.ListResourceServer)
	if !ok {
		p.t.Fatalf("the provider server (%T) does not serve list resources", p.server)
	}
	return ls
}

// listConfig is the `config` block of a list block with these filters set.
func (p *protocolProvider) listConfig(filters map[string]string) *tfprotov6.DynamicValue {
	p.t.Helper()
	set := make(map[string]tftypes.Value, len(filters))
	for k, v := range filters {
		set[k] = tftypes.NewValue(tftypes.String, v)
	}
	return tfDynamic(p.t, tfBlock(p.listSchema().Block, set))
}

// list runs a query the way `terraform query` does and reads the whole
// stream of results.
func (p *protocolProvider) list(filters map[string]string, includeResource bool, limit int64) []tfprotov6.ListResourceResult {
	p.t.Helper()
	stream, err := p.listServer().ListResource(p.t.Context(), &tfprotov6.ListResourceRequest{
		TypeName:        tfpersonalize.ResourceTypeName,
		Config:          p.listConfig(filters),
		IncludeResource: includeResource,
		Limit:           limit,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	var results []tfprotov6.ListResourceResult
	for r := range stream.Results {
		results = append(results, r)
	}
	return results
}

// listedARNs checks that every result is a job found without error and
// returns the ARNs of their identities, in order.
func (p *protocolProvider) listedARNs(results []tfprotov6.ListResourceResult) []string {
	p.t.Helper()
	arns := make([]string, 0, len(results))
	for i, r := range results {
		requireNoErrors(p.t, fmt.Sprintf("ListResource result %d", i), r.Diagnostics)
		arns = append(arns, p.identityARN(r.Identity))
	}
	return arns
}

func jobARNs(names ...string) []string {
	arns := make([]string, len(names))
	for i, n := range names {
		arns[i] = "arn:aws:personalize:us-east-1:123456789012:batch-inference-job/" + n
	}
	return arns
}

func TestProtocolList_identitiesAndDisplayNamesAcrossPages(t *testing.T) {
	t.Parallel()
	em, conn, clk := newListEmulator(t)
	start := clk.Now()
	var names []string
	for i := range 130 {
		clk.Set(start.Add(time.Duration(i) * time.Second))
		name := fmt.Sprintf("listed-%03d", i)
		createListedJob(t, conn, name, listSV)
		names = append(names, name)
	}
	p := newProtocolProvider(t, endpointOf(conn), nil)

	lists, describes := em.Stats().Calls["ListBatchInferenceJobs"], em.Stats().Calls["DescribeBatchInferenceJob"]
	results := p.list(nil, false, 1000)
	if got, want := p.listedARNs(results), jobARNs(names...); !slices.Equal(got, want) {
		t.Fatalf("identities of %d results, want the %d jobs oldest first; first ones %v", len(got), len(want), got[:min(3, len(got))])
	}
	for i, r := range results {
		if r.DisplayName != names[i] {
			t.Errorf("result %d: display name %q, want the job name %q", i, r.DisplayName, names[i])
		}
		if r.Resource != nil {
			t.Errorf("result %d has a resource object, which the query did not ask for", i)
		}
	}
	if n := em.Stats().Calls["ListBatchInferenceJobs"] - lists; n != 2 {
		t.Errorf("listing 130 jobs took %d ListBatchInferenceJobs calls, want 2 pages", n)
	}
	if n := em.Stats().Calls["DescribeBatchInferenceJob"] - describes; n != 0 {
		t.Errorf("a query without include_resource described %d jobs, want none", n)
	}

	// With resource objects, every job is described once and its object is
	// the job the result names.
	results = p.list(nil, true, 1000)
	if got := p.listedARNs(results); len(got) != len(names) {
		t.Fatalf("%d results with resource objects, want %d", len(got), len(names))
	}
	for i, r := range results {
		if r.Resource == nil {
			t.Fatalf("result %d (%s) has no resource object", i, r.DisplayName)
		}
		obj := tfDecode(t, r.Resource, p.resourceType())
		if got := tfString(t, obj, "job_name"); got != r.DisplayName {
			t.Errorf("result %d: resource job_name %q, display name %q", i, got, r.DisplayName)
		}
		if got := tfString(t, obj, "batch_inference_job_arn"); got != p.identityARN(r.Identity) {
			t.Errorf("result %d: resource ARN %q, identity %q", i, got, p.identityARN(r.Identity))
		}
	}
	if n := em.Stats().Calls["DescribeBatchInferenceJob"] - describes; n != len(names) {
		t.Errorf("%d DescribeBatchInferenceJob calls for %d resource objects", n, len(names))
	}
}

func TestProtocolList_filters(t *testing.T) {
	t.Parallel()
	em, conn, clk := newListEmulator(t)
	start := clk.Now()
	at := func(d time.Duration) { clk.Set(start.Add(d)) }

	at(0)
	createListedJob(t, conn, "done-user-1", listSV)
	at(time.Second)
	createListedJob(t, conn, "done-ranking", listOtherSV)
	at(2 * time.Second)
	createListedJob(t, conn, "done-user-2", listSV)
	at(3 * time.Second)
	_, err := conn.CreateBatchInferenceJob(t.Context(), &personalize.CreateBatchInferenceJobInput{
		JobName:               aws.String("done-themes"),
		SolutionVersionArn:    aws.String(listSimilarItemsSV),
		RoleArn:               aws.String("arn:aws:iam::123456789012:role/PersonalizeBatch"),
		BatchInferenceJobMode: awstypes.BatchInferenceJobModeThemeGeneration,
		ThemeGenerationConfig: &awstypes.ThemeGenerationConfig{FieldsForThemeGeneration: &awstypes.FieldsForThemeGeneration{ItemName: aws.String("TITLE")}},
		JobInput:              &awstypes.BatchInferenceJobInput{S3DataSource: &awstypes.S3DataConfig{Path: aws.String("s3://bucket/items/")}},
		JobOutput:             &awstypes.BatchInferenceJobOutput{S3DataDestination: &awstypes.S3DataConfig{Path: aws.String("s3://bucket/output/themes/")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	at(2 * time.Hour) // the jobs so far finish
	createListedJob(t, conn, "fresh-user", listSV)
	at(2*time.Hour + time.Second)
	createListedJob(t, conn, "fresh-ranking", listOtherSV)
	p := newProtocolProvider(t, endpointOf(conn), nil)

	for _, tc := range []struct {
		name    string
		filters map[string]string
		want    []string
	}{
		{"none", nil, []string{"done-user-1", "done-ranking", "done-user-2", "done-themes", "fresh-user", "fresh-ranking"}},
		{"solution version", map[string]string{"solution_version_arn": listOtherSV}, []string{"done-ranking", "fresh-ranking"}},
		{"status ACTIVE", map[string]string{"status": "ACTIVE"}, []string{"done-user-1", "done-ranking", "done-user-2", "done-themes"}},
		{"status PENDING", map[string]string{"status": "PENDING"}, []string{"fresh-user", "fresh-ranking"}},
		{"mode", map[string]string{"batch_inference_job_mode": "THEME_GENERATION"}, []string{"done-themes"}},
		{"unanchored regex", map[string]string{"name_regex": "user"}, []string{"done-user-1", "done-user-2", "fresh-user"}},
		{"anchored regex", map[string]string{"name_regex": "^fresh-"}, []string{"fresh-user", "fresh-ranking"}},
		{"all together", map[string]string{"solution_version_arn": listSV, "status": "ACTIVE", "name_regex": `-\d$`}, []string{"done-user-1", "done-user-2"}},
		{"nothing matches", map[string]string{"name_regex": "^nothing$"}, nil},
	} {
		before := em.Stats().Calls["ListBatchInferenceJobs"]
		if got, want := p.listedARNs(p.list(tc.filters, false, 100)), jobARNs(tc.want...); !slices.Equal(got, want) {
			t.Errorf("%s: listed %v, want %v", tc.name, got, want)
		}
		if n := em.Stats().Calls["ListBatchInferenceJobs"] - before; n != 1 {
			t.Errorf("%s: %d ListBatchInferenceJobs calls, want 1", tc.name, n)
		}
	}
}

// Terraform stops at the list block's limit, and so does the provider:
// with resource objects, jobs past the limit are never described.
func TestProtocolList_limit(t *testing.T) {
	t.Parallel()
	em, conn, clk := newListEmulator(t)
	start := clk.Now()
	var names []string
	for i := range 10 {
		clk.Set(start.Add(time.Duration(i) * time.Second))
		names = append(names, fmt.Sprintf("limited-%d", i))
		createListedJob(t, conn, names[i], listSV)
	}
	p := newProtocolProvider(t, endpointOf(conn), nil)

	describes := em.Stats().Calls["DescribeBatchInferenceJob"]
	if got, want := p.listedARNs(p.list(nil, true, 4)), jobARNs(names[:4]...); !slices.Equal(got, want) {
		t.Errorf("limit 4: listed %v, want the 4 oldest %v", got, want)
	}
	if n := em.Stats().Calls["DescribeBatchInferenceJob"] - describes; n != 4 {
		t.Errorf("limit 4 with resource objects: %d jobs described, want 4", n)
	}
}

// A result's resource object is the state an import of the job ends with,
// default_tags and ignore_tags applied, so that `terraform query
// -generate-config-out` writes a configuration that plans with no changes.
func TestProtocolList_resourceObjectIsTheImportedState(t *testing.T) {
	t.Parallel()
	conn, jobARN, name := protocolJob(t, map[string]string{
		"team":        "recs",     // the job's own
		"environment": "test",     // the same as a default tag: belongs to default_tags
		"cost-center": "other",    // differs from the default tag of that key: the job's own
		"ops:owner":   "platform", // ignored
	})
	p := newProtocolProvider(t, endpointOf(conn), nil)
	p = newProtocolProvider(t, endpointOf(conn), map[string]tftypes.Value{
		"default_tags": p.providerBlock("default_tags", map[string]tftypes.Value{
			"tags": tfStringMapValue(map[string]string{"environment": "test", "cost-center": "42"}),
		}),
		"ignore_tags": p.providerBlock("ignore_tags", map[string]tftypes.Value{
			"key_prefixes": tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{tftypes.NewValue(tftypes.String, "ops:")}),
		}),
	})

	results := p.list(map[string]string{"name_regex": "^" + name + "$"}, true, 100)
	if got := p.listedARNs(results); !slices.Equal(got, []string{jobARN}) {
		t.Fatalf("listed %v, want only %s", got, jobARN)
	}
	if results[0].Resource == nil {
		t.Fatal("the result has no resource object")
	}
	listed := tfDecode(t, results[0].Resource, p.resourceType())
	imported, _ := p.importAndRead(&tfprotov6.ImportResourceStateRequest{Identity: p.identity(jobARN)})

	if !listed.Equal(imported) {
		diffs, _ := listed.Diff(imported)
		var b strings.Builder
		for _, d := range diffs {
			fmt.Fprintf(&b, "\n  %s: listed %v, imported %v", d.Path, d.Value1, d.Value2)
		}
		t.Errorf("the listed resource object differs from the state an import reads:%s", b.String())
	}

	// And that state is the job, as a user would write it.
	if got, want := tfStringMap(t, listed, "tags"), map[string]string{"team": "recs", "cost-center": "other"}; !mapsEqual(got, want) {
		t.Errorf("tags = %v, want %v (the tag equal to a default tag belongs to default_tags; ignored tags are left out)", got, want)
	}
	if got, want := tfStringMap(t, listed, "tags_all"), map[string]string{"team": "recs", "cost-center": "other", "environment": "test"}; !mapsEqual(got, want) {
		t.Errorf("tags_all = %v, want %v", got, want)
	}
	for attr, want := range map[string]string{"id": jobARN, "job_name": name, "status": "ACTIVE", "solution_version_arn": listSV, "job_name_prefix": ""} {
		if got := tfString(t, listed, attr); got != want {
			t.Errorf("%s = %q, want %q", attr, got, want)
		}
	}
	var wait *bool
	if err := tfAttrs(t, listed)["wait_for_completion"].As(&wait); err != nil || wait == nil || !*wait {
		t.Errorf("wait_for_completion = %v, want true (its default, as import sets it)", wait)
	}
	if v := tfAttrs(t, listed)["timeouts"]; !v.IsNull() {
		t.Errorf("timeouts = %s, want null, as after an import", v)
	}
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

// ListResource runs no validators, so a bad expression that reaches it (a
// query with a variable, say) must still be an error on name_regex, not a
// listing of every job.
func TestProtocolList_invalidRegexIsAnErrorOnNameRegex(t *testing.T) {
	t.Parallel()
	em, conn, _ := newListEmulator(t)
	createListedJob(t, conn, "some-job", listSV)
	p := newProtocolProvider(t, endpointOf(conn), nil)

	before := em.Stats().Calls["ListBatchInferenceJobs"]
	results := p.list(map[string]string{"name_regex": "weekly-(recs"}, false, 100)
	if len(results) != 1 {
		t.Fatalf("%d results, want one that carries the error", len(results))
	}
	if results[0].Identity != nil {
		t.Errorf("the error result names a job: %s", p.identityARN(results[0].Identity))
	}
	requireNameRegexError(t, results[0].Diagnostics, "weekly-(recs")
	if n := em.Stats().Calls["ListBatchInferenceJobs"] - before; n != 0 {
		t.Errorf("%d ListBatchInferenceJobs calls for an invalid query, want none", n)
	}
}

func requireNameRegexError(t *testing.T, diags []*tfprotov6.Diagnostic, pattern string) {
	t.Helper()
	want := tftypes.NewAttributePath().WithAttributeName("name_regex")
	for _, d := range diags {
		if d.Severity != tfprotov6.DiagnosticSeverityError {
			continue
		}
		if !want.Equal(d.Attribute) {
			t.Errorf("error %q is on %v, want name_regex", d.Summary, d.Attribute)
		}
		text := d.Summary + " " + d.Detail
		for _, part := range []string{"name_regex", pattern, "RE2"} {
			if !strings.Contains(text, part) {
				t.Errorf("error %q does not mention %q", text, part)
			}
		}
		return
	}
	t.Errorf("no error diagnostic, got %v", diags)
}

func TestProtocolList_validateConfig(t *testing.T) {
	t.Parallel()
	_, conn, _ := newListEmulator(t)
	p := newProtocolProvider(t, endpointOf(conn), nil)

	schema := p.listSchema()
	var names []string
	for _, a := range schema.Block.Attributes {
		names = append(names, a.Name)
		if !a.Optional || a.Required || a.Computed {
			t.Errorf("list config attribute %s: optional %v required %v computed %v, want an optional filter", a.Name, a.Optional, a.Required, a.Computed)
		}
	}
	slices.Sort(names)
	if want := []string{"batch_inference_job_mode", "name_regex", "solution_version_arn", "status"}; !slices.Equal(names, want) {
		t.Errorf("list config attributes %v, want %v", names, want)
	}

	validate := func(config *tfprotov6.DynamicValue) []*tfprotov6.Diagnostic {
		t.Helper()
		resp, err := p.listServer().ValidateListResourceConfig(t.Context(), &tfprotov6.ValidateListResourceConfigRequest{
			TypeName: tfpersonalize.ResourceTypeName,
			Config:   config,
		})
		if err != nil {
			t.Fatal(err)
		}
		return resp.Diagnostics
	}
	errorOn := func(diags []*tfprotov6.Diagnostic) []string {
		var on []string
		for _, d := range diags {
			if d.Severity == tfprotov6.DiagnosticSeverityError {
				on = append(on, d.Attribute.String())
			}
		}
		return on
	}

	if d := validate(p.listConfig(map[string]string{
		"solution_version_arn": listSV, "status": "IN PROGRESS", "batch_inference_job_mode": "BATCH_INFERENCE", "name_regex": `^weekly-\d+$`,
	})); len(errorOn(d)) > 0 {
		t.Errorf("a valid config: %s", errorText(d))
	}
	requireNameRegexError(t, validate(p.listConfig(map[string]string{"name_regex": "weekly-(recs"})), "weekly-(recs")
	for attr, bad := range map[string]string{
		"solution_version_arn":     "demo-user-personalization",
		"batch_inference_job_mode": "THEMES",
		"status":                   "",
	} {
		if got := errorOn(validate(p.listConfig(map[string]string{attr: bad}))); len(got) != 1 || !strings.Contains(got[0], attr) {
			t.Errorf("%s = %q: errors on %v, want one on %s", attr, bad, got, attr)
		}
	}

	// A value not known yet is checked later, when it is.
	unknown := tfBlock(schema.Block, map[string]tftypes.Value{"name_regex": tftypes.NewValue(tftypes.String, tftypes.UnknownValue)})
	if d := validate(tfDynamic(t, unknown)); len(errorOn(d)) > 0 {
		t.Errorf("an unknown name_regex: %s", errorText(d))
	}
}

// On Terraform 1.14+, `terraform query` finds jobs Terraform does not
// manage as well as those it does, filtered, with identities, display
// names and, with include_resource, their attributes.
func TestAccBatchInferenceJobList_query(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	managed, tagged, untagged := acctest.RandomName("qmanaged"), acctest.RandomName("qfound"), acctest.RandomName("qfound")
	arnOf := func(name string) string {
		return fmt.Sprintf("arn:aws:personalize:%s:%s:batch-inference-job/%s", env.Region, env.AccountID, name)
	}
	identity := func(name string) map[string]knownvalue.Check {
		return map[string]knownvalue.Check{identityAttribute: knownvalue.StringExact(arnOf(name))}
	}
	list := func(label, body string) string {
		return fmt.Sprintf("list %q %q {\n  provider = personalize\n%s\n}\n", tfpersonalize.ResourceTypeName, label, body)
	}
	all, found := tfpersonalize.ResourceTypeName+".all", tfpersonalize.ResourceTypeName+".found"

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{
			acctest.SkipOnOpenTofu("terraform query (list blocks)"),
			tfversion.SkipBelow(tfversion.Version1_14_0),
		},
		Steps: []resource.TestStep{
			{
				// Jobs made outside Terraform, and one it manages. The
				// provider block stays in the working directory, where the
				// list blocks of the next step find it.
				PreConfig: func() {
					createJobsWithSDK(t, env, sdkJob{name: tagged, tags: map[string]string{"team": "query"}}, sdkJob{name: untagged})
				},
				Config: config(env, "", jobArgs{name: managed, output: env.OutputPrefix(managed)}.hcl(env, "test")),
			},
			{
				Query: true,
				Config: list("all", "  config {\n    name_regex = \"^q(managed|found)-\"\n  }") +
					list("found", "  include_resource = true\n  config {\n    name_regex = \"^qfound-\"\n  }"),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLengthAtLeast(all, 3),
					querycheck.ExpectIdentity(all, identity(managed)),
					querycheck.ExpectLength(found, 2),
					querycheck.ExpectIdentity(found, identity(tagged)),
					querycheck.ExpectResourceDisplayName(found, queryfilter.ByResourceIdentity(identity(untagged)), knownvalue.StringExact(untagged)),
					querycheck.ExpectResourceKnownValues(found, queryfilter.ByResourceIdentity(identity(tagged)), []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("job_name"), KnownValue: knownvalue.StringExact(tagged)},
						{Path: tfjsonpath.New("tags"), KnownValue: knownvalue.MapExact(map[string]knownvalue.Check{"team": knownvalue.StringExact("query")})},
						{Path: tfjsonpath.New("wait_for_completion"), KnownValue: knownvalue.Bool(true)},
					}),
				},
			},
		},
	})
}
