package personalize_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
)

// Terraform 1.14 runs actions; these tests speak the protocol as it does, so
// the action is proven with any terraform on PATH. The acceptance test in
// batch_inference_job_action_cli_test.go runs it with a real terraform.

const actionType = "personalize_batch_inference_job"

// actions is the provider server's action half.
func (p *protocolProvider) actions() tfprotov6.ActionServer {
	p.t.Helper()
	s, ok := p.server.(tfprotov6.ActionServer)
	if !ok {
		p.t.Fatal("the provider server serves no actions")
	}
	return s
}

func (p *protocolProvider) actionBlock() *tfprotov6.SchemaBlock {
	s, ok := p.schema.ActionSchemas[actionType]
	if !ok {
		p.t.Fatalf("the provider serves no %s action", actionType)
	}
	return s.Schema.Block
}

// actionConfig is the action's configuration with the attributes set; the
// others are null.
func (p *protocolProvider) actionConfig(set map[string]tftypes.Value) *tfprotov6.DynamicValue {
	return tfDynamic(p.t, tfBlock(p.actionBlock(), set))
}

// tfObject is a value of an object type with the attributes set; the
// others are null.
func tfObject(t tftypes.Type, set map[string]tftypes.Value) tftypes.Value {
	obj := t.(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, at := range obj.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	for k, v := range set {
		vals[k] = v
	}
	return tftypes.NewValue(t, vals)
}

func (p *protocolProvider) actionAttrType(name string) tftypes.Type {
	for _, a := range p.actionBlock().Attributes {
		if a.Name == name {
			return a.ValueType()
		}
	}
	p.t.Fatalf("the action has no attribute %q", name)
	return nil
}

// s3Location is job_input or job_output pointing at path.
func (p *protocolProvider) s3Location(attr, inner, path string) tftypes.Value {
	outer := p.actionAttrType(attr)
	innerType := outer.(tftypes.Object).AttributeTypes[inner]
	return tfObject(outer, map[string]tftypes.Value{inner: tfObject(innerType, map[string]tftypes.Value{"path": tftypes.NewValue(tftypes.String, path)})})
}

// jobSettings are the arguments of a job the emulator can run to ACTIVE.
func (p *protocolProvider) jobSettings(env *acctest.Env, input, output string) map[string]tftypes.Value {
	return map[string]tftypes.Value{
		"solution_version_arn": tftypes.NewValue(tftypes.String, env.UserPersonalizationSV),
		"role_arn":             tftypes.NewValue(tftypes.String, env.RoleARN),
		"job_input":            p.s3Location("job_input", "s3_data_source", input),
		"job_output":           p.s3Location("job_output", "s3_data_destination", output),
	}
}

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

// invoke runs the action and returns its progress messages and the
// diagnostics of its completion.
func (p *protocolProvider) invoke(config *tfprotov6.DynamicValue) ([]string, []*tfprotov6.Diagnostic) {
	p.t.Helper()
	stream, err := p.actions().InvokeAction(p.t.Context(), &tfprotov6.InvokeActionRequest{ActionType: actionType, Config: config})
	if err != nil {
		p.t.Fatal(err)
	}
	var progress []string
	var completed *tfprotov6.CompletedInvokeActionEventType
	for ev := range stream.Events {
		switch e := ev.Type.(type) {
		case tfprotov6.ProgressInvokeActionEventType:
			progress = append(progress, e.Message)
		case tfprotov6.CompletedInvokeActionEventType:
			completed = &e
		}
	}
	if completed == nil {
		p.t.Fatalf("the action sent no completion event (progress: %q)", progress)
	}
	return progress, completed.Diagnostics
}

func (p *protocolProvider) validateAction(config *tfprotov6.DynamicValue) []*tfprotov6.Diagnostic {
	p.t.Helper()
	resp, err := p.actions().ValidateActionConfig(p.t.Context(), &tfprotov6.ValidateActionConfigRequest{ActionType: actionType, Config: config})
	if err != nil {
		p.t.Fatal(err)
	}
	return resp.Diagnostics
}

func describeOnlyJob(t *testing.T, conn *personalize.Client) *awstypes.BatchInferenceJob {
	t.Helper()
	list, err := conn.ListBatchInferenceJobs(t.Context(), &personalize.ListBatchInferenceJobsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.BatchInferenceJobs) != 1 {
		t.Fatalf("the emulator holds %d jobs, want exactly 1", len(list.BatchInferenceJobs))
	}
	out, err := conn.DescribeBatchInferenceJob(t.Context(), &personalize.DescribeBatchInferenceJobInput{BatchInferenceJobArn: list.BatchInferenceJobs[0].BatchInferenceJobArn})
	if err != nil {
		t.Fatal(err)
	}
	return out.BatchInferenceJob
}

// The action takes exactly the resource's arguments (less what the service
// computes), with the same requiredness, plus its own wait and timeout.
func TestProtocol_actionSchemaHasTheResourceArguments(t *testing.T) {
	env := acctest.New(t)
	p := newProtocolProvider(t, env.Endpoint, nil)
	resource := p.schema.ResourceSchemas[acctest.ResourceType].Block
	action := map[string]*tfprotov6.SchemaAttribute{}
	for _, a := range p.actionBlock().Attributes {
		action[a.Name] = a
	}
	var want []string
	for _, a := range resource.Attributes {
		if a.Name == "timeouts" || (!a.Required && !a.Optional) {
			if _, ok := action[a.Name]; ok && a.Name != "timeouts" {
				t.Errorf("the action has %s, which the service computes", a.Name)
			}
			continue
		}
		want = append(want, a.Name)
		got, ok := action[a.Name]
		switch {
		case !ok:
			t.Errorf("the action lacks the resource argument %s", a.Name)
		case got.Required != a.Required:
			t.Errorf("%s: required %v in the action, %v in the resource", a.Name, got.Required, a.Required)
		case !got.ValueType().Equal(a.ValueType()):
			t.Errorf("%s: type %s in the action, %s in the resource", a.Name, got.ValueType(), a.ValueType())
		}
	}
	want = append(want, "timeout")
	var have []string
	for name := range action {
		have = append(have, name)
	}
	slices.Sort(want)
	slices.Sort(have)
	if !slices.Equal(have, want) {
		t.Errorf("action arguments %v, want %v", have, want)
	}
}

// Bad arguments stop the action at validation, before any API call, with
// the resource's messages.
func TestProtocol_actionValidatesLikeTheResource(t *testing.T) {
	env := acctest.New(t)
	p := newProtocolProvider(t, env.Endpoint, nil)
	base := p.jobSettings(env, env.S3URL(acctest.UserInputPrefix), env.OutputPrefix("validate"))
	with := func(extra map[string]tftypes.Value) *tfprotov6.DynamicValue {
		set := map[string]tftypes.Value{}
		for k, v := range base {
			set[k] = v
		}
		for k, v := range extra {
			set[k] = v
		}
		return p.actionConfig(set)
	}
	themeType := p.actionAttrType("theme_generation_config")
	fieldsType := themeType.(tftypes.Object).AttributeTypes["fields_for_theme_generation"]
	theme := tfObject(themeType, map[string]tftypes.Value{"fields_for_theme_generation": tfObject(fieldsType, map[string]tftypes.Value{"item_name": str("TITLE")})})
	for _, tc := range []struct {
		name  string
		extra map[string]tftypes.Value
		want  string
	}{
		{"name and prefix", map[string]tftypes.Value{"job_name": str("a"), "job_name_prefix": str("b-")}, `(?s)job_name.*job_name_prefix`},
		{"neither name nor prefix", nil, `(?s)Exactly one of these attributes must be configured`},
		{"theme settings without the mode", map[string]tftypes.Value{"job_name_prefix": str("t-"), "theme_generation_config": theme}, `theme_generation_config needs THEME_GENERATION mode`},
		{"theme mode without settings", map[string]tftypes.Value{"job_name_prefix": str("t-"), "batch_inference_job_mode": str("THEME_GENERATION")}, `Missing theme_generation_config`},
		{"bad job name", map[string]tftypes.Value{"job_name": str("no spaces")}, `must start with a letter or digit`},
		{"num_results out of range", map[string]tftypes.Value{"job_name_prefix": str("n-"), "num_results": tftypes.NewValue(tftypes.Number, 501)}, `num_results`},
		{"timeout that is no duration", map[string]tftypes.Value{"job_name_prefix": str("d-"), "timeout": str("soon")}, `timeout "soon" is not a duration`},
	} {
		got := errorText(p.validateAction(with(tc.extra)))
		if !regexp.MustCompile(tc.want).MatchString(got) {
			t.Errorf("%s: errors %q, want a match for %s", tc.name, got, tc.want)
		}
	}
	if errs := errorText(p.validateAction(with(map[string]tftypes.Value{"job_name_prefix": str("ok-"), "timeout": str("90m")}))); errs != "" {
		t.Errorf("a valid configuration: errors %q", errs)
	}
	if calls := env.Calls("CreateBatchInferenceJob"); calls != 0 {
		t.Errorf("validation made %d create calls, want none", calls)
	}
}

// Invoked, the action starts a job with a generated name and the provider's
// default tags, reports each status as the job moves, and completes when
// the job is ACTIVE with its output written. A second invocation starts a
// second job.
func TestProtocol_actionInvokeRunsAJobAndReportsProgress(t *testing.T) {
	env := acctest.New(t)
	defaults := newProtocolProvider(t, env.Endpoint, nil).providerBlock("default_tags", map[string]tftypes.Value{"tags": tfStringMapValue(map[string]string{"team": "recs"})})
	p := newProtocolProvider(t, env.Endpoint, map[string]tftypes.Value{"default_tags": defaults})
	output := env.OutputPrefix("action")
	set := p.jobSettings(env, env.S3URL(acctest.UserInputPrefix), output)
	set["job_name_prefix"] = str("nightly-")
	set["tags"] = tfStringMapValue(map[string]string{"run": "manual"})

	progress, diags := p.invoke(p.actionConfig(set))
	requireNoErrors(t, "InvokeAction", diags)
	joined := strings.Join(progress, "\n")
	for _, want := range []string{`Submitting batch inference job "nightly-`, "Started arn:aws:personalize:us-east-1:123456789012:batch-inference-job/nightly-", ": ACTIVE after "} {
		if !strings.Contains(joined, want) {
			t.Errorf("progress %q does not say %q", progress, want)
		}
	}
	if last := progress[len(progress)-1]; !strings.Contains(last, "ACTIVE") {
		t.Errorf("last progress message %q, want the job ACTIVE", last)
	}

	conn := env.Client(t)
	job := describeOnlyJob(t, conn)
	if aws.ToString(job.Status) != "ACTIVE" || !strings.HasPrefix(aws.ToString(job.JobName), "nightly-") {
		t.Errorf("job %s is %s, want a nightly-… job ACTIVE", aws.ToString(job.JobName), aws.ToString(job.Status))
	}
	tags, err := conn.ListTagsForResource(t.Context(), &personalize.ListTagsForResourceInput{ResourceArn: job.BatchInferenceJobArn})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, tag := range tags.Tags {
		got[aws.ToString(tag.TagKey)] = aws.ToString(tag.TagValue)
	}
	if got["team"] != "recs" || got["run"] != "manual" || len(got) != 2 {
		t.Errorf("job tags %v, want the action's run=manual and the provider's team=recs", got)
	}
	if _, err := env.ReadObject(env.Bucket, strings.TrimPrefix(output, env.S3URL(""))+"users.jsonl.out"); err != nil {
		t.Errorf("the job wrote no output: %s", err)
	}

	if _, diags := p.invoke(p.actionConfig(set)); errorText(diags) != "" {
		t.Fatalf("second invocation: %s", errorText(diags))
	}
	if n := env.Jobs(); n != 2 {
		t.Errorf("two invocations left %d jobs, want 2 (each invocation runs a job)", n)
	}
	if calls := env.Calls("CreateBatchInferenceJob"); calls != 2 {
		t.Errorf("two invocations made %d create calls, want 2", calls)
	}
}

// A job that fails makes the action fail with the service's reason.
func TestProtocol_actionFailsWithTheJob(t *testing.T) {
	env := acctest.New(t)
	p := newProtocolProvider(t, env.Endpoint, nil)
	set := p.jobSettings(env, env.S3URL("nothing-here/"), env.OutputPrefix("failing"))
	set["job_name"] = str("failing-action")
	progress, diags := p.invoke(p.actionConfig(set))
	errs := errorText(diags)
	if !strings.Contains(errs, "Batch inference job failed") || !strings.Contains(errs, "Invalid S3 input path") {
		t.Errorf("errors %q, want the job's failure with its reason (progress %q)", errs, progress)
	}
	if !strings.Contains(strings.Join(progress, "\n"), "CREATE FAILED") {
		t.Errorf("progress %q does not report CREATE FAILED", progress)
	}
}

// A create the service refuses fails the action at the argument it is
// about, in the argument's name.
func TestProtocol_actionRefusalNamesTheArgument(t *testing.T) {
	env := acctest.New(t)
	p := newProtocolProvider(t, env.Endpoint, nil)
	set := p.jobSettings(env, env.S3URL(acctest.UserInputPrefix), env.OutputPrefix("refused"))
	set["job_name"] = str("refused-action")
	set["solution_version_arn"] = str(strings.TrimSuffix(env.UserPersonalizationSV, "1a2b3c4d") + "00000000")
	_, diags := p.invoke(p.actionConfig(set))
	var refusal *tfprotov6.Diagnostic
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			refusal = d
		}
	}
	if refusal == nil {
		t.Fatalf("the action ran with a solution version that does not exist")
	}
	if !refusal.Attribute.Equal(tftypes.NewAttributePath().WithAttributeName("solution_version_arn")) ||
		!strings.Contains(refusal.Detail, "solution_version_arn: no solution version") || !strings.Contains(refusal.Detail, "No batch inference job was created.") {
		t.Errorf("the refusal is at %v, saying %q; want it at solution_version_arn, in the argument's name", refusal.Attribute, refusal.Detail)
	}
}

// With wait_for_completion = false the action completes once the job is
// submitted; the job runs on.
func TestProtocol_actionWithoutWaitingReturnsOnSubmit(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator(t).SetJobDuration(time.Hour)
	p := newProtocolProvider(t, env.Endpoint, nil)
	set := p.jobSettings(env, env.S3URL(acctest.UserInputPrefix), env.OutputPrefix("nowait"))
	set["job_name"] = str("no-wait")
	set["wait_for_completion"] = tftypes.NewValue(tftypes.Bool, false)
	start := time.Now()
	progress, diags := p.invoke(p.actionConfig(set))
	requireNoErrors(t, "InvokeAction", diags)
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("the action took %s without waiting", took)
	}
	if job := describeOnlyJob(t, env.Client(t)); aws.ToString(job.Status) == "ACTIVE" {
		t.Errorf("job is already ACTIVE; want it still running after an action that does not wait")
	}
	if !strings.Contains(strings.Join(progress, "\n"), "Started arn:") {
		t.Errorf("progress %q does not name the started job", progress)
	}
}

// At the running-job quota the action queues and says so; when its timeout
// runs out first, it fails having created nothing.
func TestProtocol_actionQueuesAtTheQuota(t *testing.T) {
	env := acctest.New(t)
	em := env.RequireEmulator(t)
	em.SetJobDuration(time.Hour)
	em.SetMaxRunningJobs(1)
	conn := env.Client(t)
	if _, err := conn.CreateBatchInferenceJob(t.Context(), &personalize.CreateBatchInferenceJobInput{
		JobName: aws.String("holds-the-slot"), SolutionVersionArn: aws.String(env.UserPersonalizationSV), RoleArn: aws.String(env.RoleARN),
		JobInput:  &awstypes.BatchInferenceJobInput{S3DataSource: &awstypes.S3DataConfig{Path: aws.String(env.S3URL(acctest.UserInputPrefix))}},
		JobOutput: &awstypes.BatchInferenceJobOutput{S3DataDestination: &awstypes.S3DataConfig{Path: aws.String(env.OutputPrefix("slot"))}},
	}); err != nil {
		t.Fatal(err)
	}
	p := newProtocolProvider(t, env.Endpoint, nil)
	set := p.jobSettings(env, env.S3URL(acctest.UserInputPrefix), env.OutputPrefix("queued"))
	set["job_name"] = str("queued-action")
	set["timeout"] = str("3s")
	progress, diags := p.invoke(p.actionConfig(set))
	if errs := errorText(diags); !strings.Contains(errs, "still queued") || !strings.Contains(errs, "No job was created") {
		t.Errorf("errors %q, want the queued job's timeout", errs)
	}
	if !strings.Contains(strings.Join(progress, "\n"), "queued") {
		t.Errorf("progress %q does not say the job queued", progress)
	}
	if n := env.Jobs(); n != 1 {
		t.Errorf("the emulator holds %d jobs, want only the one holding the slot", n)
	}
}
