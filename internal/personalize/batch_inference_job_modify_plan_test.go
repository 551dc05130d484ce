package personalize

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func resourceModel(t *testing.T, job *awstypes.BatchInferenceJob) batchInferenceJobResourceModel {
	t.Helper()
	var m batchInferenceJobResourceModel
	if d := m.Flatten(context.Background(), job); d.HasError() {
		t.Fatal(d)
	}
	m.ID = m.BatchInferenceJobARN
	m.JobNamePrefix = types.StringNull()
	m.Tags = types.MapNull(types.StringType)
	m.TagsAll = tagsAllValue(nil)
	m.Timeouts = timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{"create": types.StringType, "update": types.StringType})}
	m.WaitForCompletion = types.BoolValue(true)
	return m
}

// modifyPlan runs the resource's ModifyPlan for a configuration equal to plan.
func modifyPlan(t *testing.T, plan, state batchInferenceJobResourceModel) (batchInferenceJobResourceModel, *resource.ModifyPlanResponse) {
	t.Helper()
	return modifyPlanConfig(t, plan, plan, state)
}

// prefixed is m as a job_name_prefix configuration gives it: the name is
// the one in state, not the configuration's.
func prefixed(m batchInferenceJobResourceModel) batchInferenceJobResourceModel {
	m.JobNamePrefix = types.StringValue("weekly-")
	m.JobName = types.StringNull()
	return m
}

// modifyPlanConfig runs the resource's ModifyPlan for configuration config
// and proposed plan.
func modifyPlanConfig(t *testing.T, config, plan, state batchInferenceJobResourceModel) (batchInferenceJobResourceModel, *resource.ModifyPlanResponse) {
	t.Helper()
	ctx := context.Background()
	r := newBatchInferenceJobResource(&ProviderData{})
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	null := tftypes.NewValue(sr.Schema.Type().TerraformType(ctx), nil)
	st := tfsdk.State{Schema: sr.Schema, Raw: null}
	pl := tfsdk.Plan{Schema: sr.Schema, Raw: null}
	var diags diag.Diagnostics
	diags.Append(st.Set(ctx, &state)...)
	diags.Append(pl.Set(ctx, &plan)...)
	cf := tfsdk.Plan{Schema: sr.Schema, Raw: null}
	diags.Append(cf.Set(ctx, &config)...)
	if diags.HasError() {
		t.Fatal(diags)
	}
	resp := &resource.ModifyPlanResponse{Plan: pl}
	r.ModifyPlan(ctx, resource.ModifyPlanRequest{Config: tfsdk.Config{Schema: sr.Schema, Raw: cf.Raw}, Plan: pl, State: st}, resp)
	var out batchInferenceJobResourceModel
	if d := resp.Plan.Get(ctx, &out); d.HasError() {
		t.Fatal(d)
	}
	return out, resp
}

func hasWarning(resp *resource.ModifyPlanResponse, text string) bool {
	for _, d := range resp.Diagnostics.Warnings() {
		if strings.Contains(d.Detail(), text) {
			return true
		}
	}
	return false
}

func hasError(resp *resource.ModifyPlanResponse, attribute string, texts ...string) bool {
	for _, d := range resp.Diagnostics.Errors() {
		withPath, ok := d.(diag.DiagnosticWithPath)
		if !ok || withPath.Path().String() != attribute {
			continue
		}
		all := true
		for _, text := range texts {
			all = all && strings.Contains(d.Detail(), text)
		}
		if all {
			return true
		}
	}
	return false
}

// A replacement that keeps a fixed job_name could never create its job:
// apply would forget the old job and then fail. Plan refuses it instead.
func TestModifyPlanRefusesReplacementThatKeepsJobName(t *testing.T) {
	state := resourceModel(t, fullJob())
	plan := state
	plan.RoleARN = types.StringValue("arn:aws:iam::123456789012:role/Other")
	_, resp := modifyPlan(t, plan, state)
	if !hasError(resp, "job_name", "taken for ever", `job_name_prefix = "weekly-"`, "stays in state") {
		t.Errorf("no error on job_name refusing a replacement under the same name %q: %v", "weekly", resp.Diagnostics)
	}

	// The configuration -generate-config-out writes for a job named from a
	// prefix has both: the fix is to drop job_name.
	both := plan
	both.JobNamePrefix = types.StringValue("week")
	if _, resp := modifyPlanConfig(t, both, plan, state); !hasError(resp, "job_name", `Remove the job_name line: job_name_prefix = "week" then generates a new name`) {
		t.Errorf("with job_name_prefix configured too, the fix is not to remove job_name: %v", resp.Diagnostics)
	}

	// A new name, or no replacement at all, is fine.
	plan.JobName = types.StringValue("weekly-2")
	if _, resp := modifyPlan(t, plan, state); resp.Diagnostics.HasError() {
		t.Errorf("renamed replacement refused: %v", resp.Diagnostics)
	}
	if _, resp := modifyPlan(t, state, state); len(resp.Diagnostics) != 0 {
		t.Errorf("unchanged job warned: %v", resp.Diagnostics)
	}
	// So is a replacement whose new name job_name_prefix generates.
	plan = prefixed(state)
	plan.RoleARN = types.StringValue("arn:aws:iam::123456789012:role/Other")
	if _, resp := modifyPlanConfig(t, prefixed(plan), plan, state); resp.Diagnostics.HasError() {
		t.Errorf("a prefixed replacement is refused: %v", resp.Diagnostics)
	}
}

// A replacement writing where the old job wrote overwrites its output; the
// plan says so while there is time to copy it away.
func TestModifyPlanWarnsWhenReplacementOverwritesOutput(t *testing.T) {
	state := prefixed(resourceModel(t, fullJob()))
	state.JobName = types.StringValue("weekly-20261206055310000a1b2c3d")
	plan := state
	plan.NumResults = types.Int64Value(10)
	_, resp := modifyPlanConfig(t, prefixed(plan), plan, state)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	if !hasWarning(resp, "s3://bucket/out/") || !hasWarning(resp, "overwrite") {
		t.Errorf("no warning that the replacement overwrites the output in s3://bucket/out/: %v", resp.Diagnostics)
	}

	elsewhere := fullJob()
	elsewhere.JobOutput.S3DataDestination.Path = aws.String("s3://bucket/elsewhere/")
	plan.JobOutput = resourceModel(t, elsewhere).JobOutput
	_, resp = modifyPlanConfig(t, prefixed(plan), plan, state)
	if hasWarning(resp, "overwrite") {
		t.Errorf("a replacement writing elsewhere warned of overwriting: %v", resp.Diagnostics)
	}
	// Any replacement says that the old job stays in AWS.
	if !hasWarning(resp, "can never be used again") || !hasWarning(resp, state.BatchInferenceJobARN.ValueString()) {
		t.Errorf("the plan of a replacement does not say that the old job stays in AWS: %v", resp.Diagnostics)
	}
}

// The plan of a destroy says what stays in AWS, before the prompt.
func TestModifyPlanWarnsThatDestroyOnlyForgets(t *testing.T) {
	ctx := context.Background()
	job := fullJob()
	job.Status = aws.String("IN PROGRESS")
	state := resourceModel(t, job)
	r := newBatchInferenceJobResource(&ProviderData{})
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	null := tftypes.NewValue(sr.Schema.Type().TerraformType(ctx), nil)
	st := tfsdk.State{Schema: sr.Schema, Raw: null}
	if d := st.Set(ctx, &state); d.HasError() {
		t.Fatal(d)
	}
	pl := tfsdk.Plan{Schema: sr.Schema, Raw: null}
	resp := &resource.ModifyPlanResponse{Plan: pl}
	r.ModifyPlan(ctx, resource.ModifyPlanRequest{Config: tfsdk.Config{Schema: sr.Schema, Raw: null}, Plan: pl, State: st}, resp)
	for _, text := range []string{state.BatchInferenceJobARN.ValueString(), `name "weekly"`, "can never be used again", "s3://bucket/out/", "keeps running"} {
		if !hasWarning(resp, text) {
			t.Errorf("the destroy plan's warning does not say %q: %v", text, resp.Diagnostics)
		}
	}
	if resp.Diagnostics.HasError() || !resp.Plan.Raw.IsNull() {
		t.Errorf("a destroy plan must stay a destroy, with warnings only: %v", resp.Diagnostics)
	}
}

func TestModifyPlanResumesRunningJob(t *testing.T) {
	job := fullJob()
	job.Status = aws.String("IN PROGRESS")
	state := resourceModel(t, job)

	plan, _ := modifyPlan(t, state, state)
	if !plan.Status.IsUnknown() || !plan.LastUpdatedDateTime.IsUnknown() || !plan.FailureReason.IsUnknown() {
		t.Errorf("a running job with wait_for_completion must plan status, last_updated_date_time and failure_reason unknown; got %v %v %v",
			plan.Status, plan.LastUpdatedDateTime, plan.FailureReason)
	}
	if plan.CreationDateTime.IsUnknown() || plan.BatchInferenceJobARN.IsUnknown() {
		t.Error("resuming must keep the values that cannot change")
	}

	state.WaitForCompletion = types.BoolValue(false)
	plan, _ = modifyPlan(t, state, state)
	if plan.Status.IsUnknown() {
		t.Error("wait_for_completion = false must not resume waiting")
	}
}

func TestModifyPlanReplacesFailedJob(t *testing.T) {
	job := fullJob()
	job.Status, job.FailureReason = aws.String(statusCreateFailed), aws.String("Invalid S3 input path")
	state := resourceModel(t, job)
	_, resp := modifyPlanConfig(t, prefixed(state), state, state)
	if len(resp.RequiresReplace) == 0 {
		t.Error("a CREATE FAILED job must be planned for replacement")
	}
	if !hasWarning(resp, "Invalid S3 input path") {
		t.Errorf("the replacement warning must quote the failure reason: %v", resp.Diagnostics)
	}
	if resp.Diagnostics.HasError() {
		t.Errorf("replacing a failed job named from job_name_prefix is refused: %v", resp.Diagnostics)
	}

	// Under a fixed job_name the replacement could not be created.
	_, resp = modifyPlan(t, state, state)
	if !hasError(resp, "job_name", "taken for ever") {
		t.Errorf("replacing a failed job under its fixed job_name is not refused: %v", resp.Diagnostics)
	}
}
