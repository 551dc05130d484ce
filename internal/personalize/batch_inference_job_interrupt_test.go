package personalize

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
)

// An apply interrupted while the job runs (Terraform cancels the request's
// context) records the job in state with a warning, not an error, so it is
// not tainted and the next apply resumes waiting instead of starting another.
func TestCreateInterruptedKeepsRunningJob(t *testing.T) {
	em, err := emulator.New(emulator.Config{JobDuration: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(em)
	defer srv.Close()
	defer em.Close()
	conn := personalize.New(personalize.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	r := newBatchInferenceJobResource(&ProviderData{Client: conn, Region: "us-east-1", AccountID: "123456789012"})

	job := fullJob()
	job.SolutionVersionArn = aws.String("arn:aws:personalize:us-east-1:123456789012:solution/demo-user-personalization/1a2b3c4d")
	job.BatchInferenceJobMode, job.ThemeGenerationConfig = awstypes.BatchInferenceJobModeBatchInference, nil
	job.JobInput.S3DataSource.KmsKeyArn = nil
	plan := resourceModel(t, job)
	plan.JobName = types.StringValue("interrupted")
	for _, unknown := range []*types.String{&plan.ID, &plan.BatchInferenceJobARN, &plan.Status, &plan.FailureReason} {
		*unknown = types.StringUnknown()
	}

	ctx := context.Background()
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	null := tftypes.NewValue(sr.Schema.Type().TerraformType(ctx), nil)
	pl := tfsdk.Plan{Schema: sr.Schema, Raw: null}
	if d := pl.Set(ctx, &plan); d.HasError() {
		t.Fatal(d)
	}
	resp := &resource.CreateResponse{State: tfsdk.State{Schema: sr.Schema, Raw: null}}
	applyCtx, interrupt := context.WithCancel(ctx)
	time.AfterFunc(1500*time.Millisecond, interrupt)
	r.Create(applyCtx, resource.CreateRequest{Plan: pl}, resp)

	if resp.Diagnostics.HasError() {
		t.Fatalf("an interrupted wait must not be an error (it would taint the job): %v", resp.Diagnostics)
	}
	warned := false
	for _, d := range resp.Diagnostics.Warnings() {
		warned = warned || (strings.Contains(d.Detail(), "Terraform was interrupted") && strings.Contains(d.Detail(), "the next apply waits for it again"))
	}
	if !warned {
		t.Errorf("no warning saying how the wait resumes: %v", resp.Diagnostics)
	}
	var state batchInferenceJobResourceModel
	if d := resp.State.Get(ctx, &state); d.HasError() {
		t.Fatal(d)
	}
	if got := state.BatchInferenceJobARN.ValueString(); got != "arn:aws:personalize:us-east-1:123456789012:batch-inference-job/interrupted" {
		t.Errorf("state ARN = %q", got)
	}
	if s := state.Status.ValueString(); isTerminalStatus(s) || s == "" {
		t.Errorf("state status = %q, want the running status last seen", s)
	}
	if n := em.Stats().Calls["CreateBatchInferenceJob"]; n != 1 {
		t.Errorf("%d create calls, want 1", n)
	}
}
