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
	if diags.HasError() {
		t.Fatal(diags)
	}
	resp := &resource.ModifyPlanResponse{Plan: pl}
	r.ModifyPlan(ctx, resource.ModifyPlanRequest{Config: tfsdk.Config{Schema: sr.Schema, Raw: pl.Raw}, Plan: pl, State: st}, resp)
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

func TestModifyPlanWarnsWhenReplacementKeepsJobName(t *testing.T) {
	state := resourceModel(t, fullJob())
	plan := state
	plan.RoleARN = types.StringValue("arn:aws:iam::123456789012:role/Other")
	_, resp := modifyPlan(t, plan, state)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	if !hasWarning(resp, `job_name_prefix = "weekly-"`) || !hasWarning(resp, "taken for ever") {
		t.Errorf("no warning that the replacement reuses job_name %q: %v", "weekly", resp.Diagnostics)
	}

	// A new name, or no replacement at all, needs no warning.
	plan.JobName = types.StringValue("weekly-2")
	if _, resp := modifyPlan(t, plan, state); len(resp.Diagnostics) != 0 {
		t.Errorf("renamed replacement warned: %v", resp.Diagnostics)
	}
	if _, resp := modifyPlan(t, state, state); len(resp.Diagnostics) != 0 {
		t.Errorf("unchanged job warned: %v", resp.Diagnostics)
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
	job.Status, job.FailureReason = aws.String(StatusCreateFailed), aws.String("Invalid S3 input path")
	state := resourceModel(t, job)
	_, resp := modifyPlan(t, state, state)
	if len(resp.RequiresReplace) == 0 {
		t.Error("a CREATE FAILED job must be planned for replacement")
	}
	if !hasWarning(resp, "Invalid S3 input path") {
		t.Errorf("the replacement warning must quote the failure reason: %v", resp.Diagnostics)
	}
}
