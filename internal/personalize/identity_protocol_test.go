package personalize_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
	tfpersonalize "github.com/tfpersonalize/terraform-provider-personalize/internal/personalize"
	"github.com/tfpersonalize/terraform-provider-personalize/internal/provider"
)

// Terraform before 1.12 neither sends nor keeps resource identities, and
// before 1.14 it cannot run `terraform query`; these tests speak the plugin
// protocol the way those versions do, so that the features are proven with
// any terraform on PATH.

// identityAttribute is the one attribute of the job's resource identity.
const identityAttribute = "batch_inference_job_arn"

// protocolProvider is the provider as Terraform talks to it: a protocol 6
// server, configured like a provider block that points at an emulator.
type protocolProvider struct {
	t      *testing.T
	server tfprotov6.ProviderServer
	schema *tfprotov6.GetProviderSchemaResponse
}

// newProtocolProvider serves the provider and configures it against the
// emulator at endpoint, with extra provider settings (attributes or blocks,
// by name) on top of region, static credentials and endpoints.
func newProtocolProvider(t *testing.T, endpoint string, extra map[string]tftypes.Value) *protocolProvider {
	t.Helper()
	server, err := providerserver.NewProtocol6WithError(provider.New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	schema, err := server.GetProviderSchema(t.Context(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	requireNoErrors(t, "GetProviderSchema", schema.Diagnostics)
	p := &protocolProvider{t: t, server: server, schema: schema}

	settings := map[string]tftypes.Value{
		"region":     tftypes.NewValue(tftypes.String, "us-east-1"),
		"access_key": tftypes.NewValue(tftypes.String, "protocol"),
		"secret_key": tftypes.NewValue(tftypes.String, "protocol"),
		"endpoints": p.providerBlock("endpoints", map[string]tftypes.Value{
			"personalize": tftypes.NewValue(tftypes.String, endpoint),
			"sts":         tftypes.NewValue(tftypes.String, endpoint),
		}),
	}
	for k, v := range extra {
		settings[k] = v
	}
	resp, err := server.ConfigureProvider(t.Context(), &tfprotov6.ConfigureProviderRequest{
		TerraformVersion: "1.14.0",
		Config:           tfDynamic(t, tfBlock(schema.Provider.Block, settings)),
	})
	if err != nil {
		t.Fatal(err)
	}
	requireNoErrors(t, "ConfigureProvider", resp.Diagnostics)
	return p
}

// providerBlock is the value of one nested block of the provider
// configuration (endpoints, default_tags …) holding attrs.
func (p *protocolProvider) providerBlock(name string, attrs map[string]tftypes.Value) tftypes.Value {
	p.t.Helper()
	for _, nb := range p.schema.Provider.Block.BlockTypes {
		if nb.TypeName == name {
			elem := tfBlock(nb.Block, attrs)
			return tftypes.NewValue(tftypes.List{ElementType: nb.Block.ValueType()}, []tftypes.Value{elem})
		}
	}
	p.t.Fatalf("the provider schema has no block %q", name)
	return tftypes.Value{}
}

func (p *protocolProvider) resourceType() tftypes.Type {
	return p.schema.ResourceSchemas[tfpersonalize.ResourceTypeName].ValueType()
}

func (p *protocolProvider) identitySchema() *tfprotov6.ResourceIdentitySchema {
	p.t.Helper()
	resp, err := p.server.GetResourceIdentitySchemas(p.t.Context(), &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		p.t.Fatal(err)
	}
	requireNoErrors(p.t, "GetResourceIdentitySchemas", resp.Diagnostics)
	s := resp.IdentitySchemas[tfpersonalize.ResourceTypeName]
	if s == nil {
		p.t.Fatalf("GetResourceIdentitySchemas has no identity schema for %s (got %v)", tfpersonalize.ResourceTypeName, resp.IdentitySchemas)
	}
	return s
}

// identity is identity data naming the job with this ARN.
func (p *protocolProvider) identity(jobARN string) *tfprotov6.ResourceIdentityData {
	p.t.Helper()
	v := tftypes.NewValue(p.identitySchema().ValueType(), map[string]tftypes.Value{
		identityAttribute: tftypes.NewValue(tftypes.String, jobARN),
	})
	return &tfprotov6.ResourceIdentityData{IdentityData: tfDynamic(p.t, v)}
}

// identityARN reads the ARN out of identity data; "" when there is none.
func (p *protocolProvider) identityARN(data *tfprotov6.ResourceIdentityData) string {
	p.t.Helper()
	if data == nil || data.IdentityData == nil {
		return ""
	}
	return tfString(p.t, tfDecode(p.t, data.IdentityData, p.identitySchema().ValueType()), identityAttribute)
}

func (p *protocolProvider) importState(req *tfprotov6.ImportResourceStateRequest) *tfprotov6.ImportResourceStateResponse {
	p.t.Helper()
	req.TypeName = tfpersonalize.ResourceTypeName
	resp, err := p.server.ImportResourceState(p.t.Context(), req)
	if err != nil {
		p.t.Fatal(err)
	}
	return resp
}

func (p *protocolProvider) readResource(state *tfprotov6.DynamicValue, identity *tfprotov6.ResourceIdentityData) *tfprotov6.ReadResourceResponse {
	p.t.Helper()
	resp, err := p.server.ReadResource(p.t.Context(), &tfprotov6.ReadResourceRequest{
		TypeName:        tfpersonalize.ResourceTypeName,
		CurrentState:    state,
		CurrentIdentity: identity,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return resp
}

// importAndRead is what `terraform plan` does with an import block: import,
// then read the imported resource. It returns the state and identity the
// read ends with.
func (p *protocolProvider) importAndRead(req *tfprotov6.ImportResourceStateRequest) (tftypes.Value, *tfprotov6.ResourceIdentityData) {
	p.t.Helper()
	imp := p.importState(req)
	requireNoErrors(p.t, "ImportResourceState", imp.Diagnostics)
	if len(imp.ImportedResources) != 1 {
		p.t.Fatalf("ImportResourceState returned %d resources, want 1", len(imp.ImportedResources))
	}
	imported := imp.ImportedResources[0]
	read := p.readResource(imported.State, imported.Identity)
	requireNoErrors(p.t, "ReadResource", read.Diagnostics)
	return tfDecode(p.t, read.NewState, p.resourceType()), read.NewIdentity
}

// blockValue is an object of block's type with the given attributes and
// nested blocks set; the rest are null, or empty for repeatable blocks, as
// Terraform sends a configuration that leaves them out.
func tfBlock(block *tfprotov6.SchemaBlock, set map[string]tftypes.Value) tftypes.Value {
	vals := map[string]tftypes.Value{}
	for _, a := range block.Attributes {
		vals[a.Name] = tftypes.NewValue(a.ValueType(), nil)
	}
	for _, nb := range block.BlockTypes {
		switch t := nb.ValueType().(type) {
		case tftypes.List:
			vals[nb.TypeName] = tftypes.NewValue(t, []tftypes.Value{})
		case tftypes.Set:
			vals[nb.TypeName] = tftypes.NewValue(t, []tftypes.Value{})
		default:
			vals[nb.TypeName] = tftypes.NewValue(t, nil)
		}
	}
	for k, v := range set {
		vals[k] = v
	}
	return tftypes.NewValue(block.ValueType(), vals)
}

func tfDynamic(t *testing.T, v tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(v.Type(), v)
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

func tfDecode(t *testing.T, dv *tfprotov6.DynamicValue, typ tftypes.Type) tftypes.Value {
	t.Helper()
	if dv == nil {
		t.Fatal("no value where one was expected")
	}
	v, err := dv.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func tfAttrs(t *testing.T, v tftypes.Value) map[string]tftypes.Value {
	t.Helper()
	var m map[string]tftypes.Value
	if err := v.As(&m); err != nil {
		t.Fatalf("%s is not an object: %s", v, err)
	}
	return m
}

// stringAttr is a string attribute of an object; "" when null.
func tfString(t *testing.T, obj tftypes.Value, name string) string {
	t.Helper()
	v, ok := tfAttrs(t, obj)[name]
	if !ok {
		t.Fatalf("no attribute %q in %s", name, obj)
	}
	var s *string
	if err := v.As(&s); err != nil {
		t.Fatalf("attribute %q: %s", name, err)
	}
	return aws.ToString(s)
}

func tfStringMap(t *testing.T, obj tftypes.Value, name string) map[string]string {
	t.Helper()
	v := tfAttrs(t, obj)[name]
	if v.IsNull() {
		return nil
	}
	var m map[string]tftypes.Value
	if err := v.As(&m); err != nil {
		t.Fatalf("attribute %q: %s", name, err)
	}
	out := make(map[string]string, len(m))
	for k, e := range m {
		var s string
		if err := e.As(&s); err != nil {
			t.Fatalf("attribute %q[%q]: %s", name, k, err)
		}
		out[k] = s
	}
	return out
}

func tfStringMapValue(m map[string]string) tftypes.Value {
	vals := make(map[string]tftypes.Value, len(m))
	for k, v := range m {
		vals[k] = tftypes.NewValue(tftypes.String, v)
	}
	return tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, vals)
}

func requireNoErrors(t *testing.T, call string, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Fatalf("%s: error %q: %s", call, d.Summary, d.Detail)
		}
	}
}

// errorText joins the error diagnostics; "" when there are none.
func errorText(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			fmt.Fprintf(&b, "%s: %s\n", d.Summary, d.Detail)
		}
	}
	return b.String()
}

// protocolJob makes a finished job with tags in an emulator of its own and
// returns the emulator's client, the job's ARN and its name.
func protocolJob(t *testing.T, tags map[string]string) (*personalize.Client, string, string) {
	t.Helper()
	_, conn, clk := newListEmulator(t)
	name := "identity-job"
	createListedJob(t, conn, name, listSV)
	jobARN := fmt.Sprintf("arn:aws:personalize:us-east-1:123456789012:batch-inference-job/%s", name)
	if len(tags) > 0 {
		tagJob(t, conn, jobARN, tags)
	}
	clk.Set(clk.Now().Add(2 * time.Hour)) // past the job's duration: ACTIVE
	return conn, jobARN, name
}

func tagJob(t *testing.T, conn *personalize.Client, jobARN string, tags map[string]string) {
	t.Helper()
	in := &personalize.TagResourceInput{ResourceArn: aws.String(jobARN)}
	for k, v := range tags {
		in.Tags = append(in.Tags, awstypes.Tag{TagKey: aws.String(k), TagValue: aws.String(v)})
	}
	if _, err := conn.TagResource(t.Context(), in); err != nil {
		t.Fatalf("tagging %s: %s", jobARN, err)
	}
}

func endpointOf(conn *personalize.Client) string {
	return aws.ToString(conn.Options().BaseEndpoint)
}

func TestProtocol_identitySchema(t *testing.T) {
	t.Parallel()
	_, conn, _ := newListEmulator(t)
	p := newProtocolProvider(t, endpointOf(conn), nil)
	s := p.identitySchema()

	if s.Version != 0 {
		t.Errorf("identity schema version %d, want 0 (no identity upgrade exists yet)", s.Version)
	}
	if len(s.IdentityAttributes) != 1 {
		t.Fatalf("identity has %d attributes, want only %q", len(s.IdentityAttributes), identityAttribute)
	}
	a := s.IdentityAttributes[0]
	if a.Name != identityAttribute || !a.Type.Is(tftypes.String) || !a.RequiredForImport || a.OptionalForImport {
		t.Errorf("identity attribute %q (type %s, required for import %v, optional %v), want %q, a string required for import",
			a.Name, a.Type, a.RequiredForImport, a.OptionalForImport, identityAttribute)
	}
	if a.Description == "" {
		t.Errorf("identity attribute %q has no description, which the docs' identity table shows", a.Name)
	}
}

func TestProtocol_importByIdentityAndByID(t *testing.T) {
	t.Parallel()
	conn, jobARN, _ := protocolJob(t, nil)
	p := newProtocolProvider(t, endpointOf(conn), nil)

	for name, req := range map[string]*tfprotov6.ImportResourceStateRequest{
		"identity": {Identity: p.identity(jobARN)},
		"ID":       {ID: jobARN},
	} {
		resp := p.importState(req)
		requireNoErrors(t, "ImportResourceState by "+name, resp.Diagnostics)
		if len(resp.ImportedResources) != 1 {
			t.Fatalf("import by %s returned %d resources, want 1", name, len(resp.ImportedResources))
		}
		imported := resp.ImportedResources[0]
		if imported.TypeName != tfpersonalize.ResourceTypeName {
			t.Errorf("import by %s: type %q", name, imported.TypeName)
		}
		state := tfDecode(t, imported.State, p.resourceType())
		for _, attr := range []string{"id", "batch_inference_job_arn"} {
			if got := tfString(t, state, attr); got != jobARN {
				t.Errorf("import by %s: %s = %q, want %q", name, attr, got, jobARN)
			}
		}
		var wait *bool
		if err := tfAttrs(t, state)["wait_for_completion"].As(&wait); err != nil || wait == nil || !*wait {
			t.Errorf("import by %s: wait_for_completion = %v, want true, its default", name, wait)
		}
		if got := p.identityARN(imported.Identity); got != jobARN {
			t.Errorf("import by %s: identity %s = %q, want %q", name, identityAttribute, got, jobARN)
		}
	}
}

func TestProtocol_importByIdentityRejectsWhatIsNotAJobARN(t *testing.T) {
	t.Parallel()
	_, conn, _ := newListEmulator(t)
	p := newProtocolProvider(t, endpointOf(conn), nil)
	resp := p.importState(&tfprotov6.ImportResourceStateRequest{
		Identity: p.identity("arn:aws:personalize:us-east-1:123456789012:solution/weekly"),
	})
	if got := errorText(resp.Diagnostics); !strings.Contains(got, "is not a batch inference job ARN") {
		t.Errorf("import of a solution ARN by identity: errors %q, want one that says it is not a job ARN", got)
	}
}

// An import block by identity ends, after the read that follows it, with
// the whole job in state and the identity Terraform keeps.
func TestProtocol_importByIdentityThenReadGivesTheJob(t *testing.T) {
	t.Parallel()
	conn, jobARN, name := protocolJob(t, map[string]string{"team": "recs"})
	p := newProtocolProvider(t, endpointOf(conn), nil)

	state, identity := p.importAndRead(&tfprotov6.ImportResourceStateRequest{Identity: p.identity(jobARN)})
	for attr, want := range map[string]string{
		"id": jobARN, "batch_inference_job_arn": jobARN, "job_name": name, "status": "ACTIVE",
		"solution_version_arn": listSV, "batch_inference_job_mode": "BATCH_INFERENCE",
	} {
		if got := tfString(t, state, attr); got != want {
			t.Errorf("%s = %q, want %q", attr, got, want)
		}
	}
	if got := tfStringMap(t, state, "tags"); len(got) != 1 || got["team"] != "recs" {
		t.Errorf("tags = %v, want the job's tag team = recs", got)
	}
	if got := p.identityARN(identity); got != jobARN {
		t.Errorf("identity after read %q, want %q", got, jobARN)
	}
}

// State written by Terraform before 1.12 has no identity: the first read
// with a newer Terraform must supply it, or the framework refuses the read.
func TestProtocol_readGivesIdentityToStateWithoutOne(t *testing.T) {
	t.Parallel()
	conn, jobARN, _ := protocolJob(t, nil)
	p := newProtocolProvider(t, endpointOf(conn), nil)

	imp := p.importState(&tfprotov6.ImportResourceStateRequest{ID: jobARN})
	requireNoErrors(t, "ImportResourceState", imp.Diagnostics)
	read := p.readResource(imp.ImportedResources[0].State, nil)
	requireNoErrors(t, "ReadResource", read.Diagnostics)
	if got := p.identityARN(read.NewIdentity); got != jobARN {
		t.Errorf("read of state with no identity: identity %q, want %q", got, jobARN)
	}
	if got := tfString(t, tfDecode(t, read.NewState, p.resourceType()), "status"); got != "ACTIVE" {
		t.Errorf("status after read %q, want ACTIVE", got)
	}
}

// A job that is gone is dropped from state with a warning, and the read
// still answers with the identity, which the framework requires.
func TestProtocol_readOfVanishedJobKeepsIdentity(t *testing.T) {
	t.Parallel()
	_, conn, _ := newListEmulator(t)
	p := newProtocolProvider(t, endpointOf(conn), nil)
	gone := "arn:aws:personalize:us-east-1:123456789012:batch-inference-job/never-made"

	imp := p.importState(&tfprotov6.ImportResourceStateRequest{Identity: p.identity(gone)})
	requireNoErrors(t, "ImportResourceState", imp.Diagnostics)
	read := p.readResource(imp.ImportedResources[0].State, imp.ImportedResources[0].Identity)
	requireNoErrors(t, "ReadResource", read.Diagnostics)
	if state := tfDecode(t, read.NewState, p.resourceType()); !state.IsNull() {
		t.Errorf("state of a job that does not exist: %s, want null (removed)", state)
	}
	warned := false
	for _, d := range read.Diagnostics {
		warned = warned || (d.Severity == tfprotov6.DiagnosticSeverityWarning && strings.Contains(d.Summary, "no longer exists"))
	}
	if !warned {
		t.Errorf("no warning that the job no longer exists: %v", read.Diagnostics)
	}
	if got := p.identityARN(read.NewIdentity); got != gone {
		t.Errorf("identity of the dropped job %q, want %q", got, gone)
	}
}

// On Terraform 1.12+, an import block by identity imports the job a first
// step made, into the same state as the resource had.
func TestAccBatchInferenceJob_importBlockByIdentity(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	name := acctest.RandomName("identity")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		Steps: []resource.TestStep{
			{
				Config: config(env, "", jobArgs{name: name, output: env.OutputPrefix(name), body: "  tags = { owner = \"acc\" }\n"}.hcl(env, "test")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(resourceName, map[string]knownvalue.Check{
						identityAttribute: knownvalue.StringRegexp(regexp.MustCompile(jobARNRegexp.String() + regexp.QuoteMeta(name) + "$")),
					}),
				},
			},
			{
				// The import block plans the import and nothing else: the
				// imported job is the configured one, identity and all.
				ResourceName:    resourceName,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
				ImportPlanChecks: resource.ImportPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionNoop),
						plancheck.ExpectKnownValue(resourceName, tfjsonpath.New("job_name"), knownvalue.StringExact(name)),
						plancheck.ExpectKnownValue(resourceName, tfjsonpath.New("status"), knownvalue.StringExact("ACTIVE")),
						plancheck.ExpectKnownValue(resourceName, tfjsonpath.New("tags"), knownvalue.MapExact(map[string]knownvalue.Check{"owner": knownvalue.StringExact("acc")})),
					},
				},
			},
		},
	})
}
