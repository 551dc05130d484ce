package personalize

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// importJob runs ImportState with an import ID or, when id is empty, with an
// identity holding identityARN (Terraform 1.12+ import blocks by identity).
func importJob(t *testing.T, id, identityARN string) (*resource.ImportStateResponse, string) {
	t.Helper()
	ctx := context.Background()
	r := newBatchInferenceJobResource(nil)
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	var ir resource.IdentitySchemaResponse
	r.IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &ir)
	idType := ir.IdentitySchema.Type().TerraformType(ctx)

	req := resource.ImportStateRequest{ID: id}
	if id == "" {
		req.Identity = &tfsdk.ResourceIdentity{Schema: ir.IdentitySchema,
			Raw: tftypes.NewValue(idType, map[string]tftypes.Value{"batch_inference_job_arn": tftypes.NewValue(tftypes.String, identityARN)})}
	}
	resp := &resource.ImportStateResponse{
		State:    tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(sr.Schema.Type().TerraformType(ctx), nil)},
		Identity: &tfsdk.ResourceIdentity{Schema: ir.IdentitySchema, Raw: tftypes.NewValue(idType, nil)},
	}
	r.ImportState(ctx, req, resp)
	var got types.String
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.GetAttribute(ctx, path.Root("batch_inference_job_arn"), &got)...)
	}
	return resp, got.ValueString()
}

func TestImportStateByIDAndByIdentity(t *testing.T) {
	const arn = "arn:aws:personalize:us-east-1:123456789012:batch-inference-job/weekly"
	for name, c := range map[string]struct{ id, identity string }{
		"import ID": {id: arn},
		"identity":  {identity: arn},
	} {
		resp, got := importJob(t, c.id, c.identity)
		if resp.Diagnostics.HasError() {
			t.Fatalf("%s: %v", name, resp.Diagnostics)
		}
		if got != arn {
			t.Errorf("%s: batch_inference_job_arn = %q, want %q", name, got, arn)
		}
		var identity types.String
		resp.Identity.GetAttribute(context.Background(), path.Root("batch_inference_job_arn"), &identity)
		if identity.ValueString() != arn {
			t.Errorf("%s: identity arn = %q, want %q", name, identity.ValueString(), arn)
		}
	}
}

func TestImportStateRejectsWhatIsNotAJobARN(t *testing.T) {
	for _, id := range []string{
		"weekly",
		"arn:aws:personalize:us-east-1:123456789012:solution/weekly",
		"arn:aws:personalize:us-east-1:1234:batch-inference-job/weekly",
		"arn:aws:personalize:us-east-1:123456789012:batch-inference-job/bad name",
	} {
		if resp, _ := importJob(t, id, ""); !resp.Diagnostics.HasError() {
			t.Errorf("import of %q accepted", id)
		}
	}
}

// A job named from job_name_prefix imports with that prefix, by ID and by
// identity, so that a job_name_prefix configuration takes it over as it is.
func TestImportStateDerivesPrefixOfGeneratedName(t *testing.T) {
	const base = "arn:aws:personalize:us-east-1:123456789012:batch-inference-job/"
	generated := randomJobName("nightly-")
	for name, c := range map[string]struct{ id, identity, want string }{
		"generated, import ID": {id: base + generated, want: "nightly-"},
		"generated, identity":  {identity: base + generated, want: "nightly-"},
		"chosen, import ID":    {id: base + "weekly"},
		"chosen, identity":     {identity: base + "weekly"},
	} {
		resp, _ := importJob(t, c.id, c.identity)
		if resp.Diagnostics.HasError() {
			t.Fatalf("%s: %v", name, resp.Diagnostics)
		}
		var prefix types.String
		resp.State.GetAttribute(context.Background(), path.Root("job_name_prefix"), &prefix)
		if prefix.ValueString() != c.want || (c.want == "") != prefix.IsNull() {
			t.Errorf("%s: job_name_prefix = %s, want %q", name, prefix, c.want)
		}
	}
}
