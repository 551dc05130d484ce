package personalize

import (
	"strings"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// A planned job as Terraform hands it to Create, with the nesting of the
// batch inference job's schema.
func refusalPlan() tftypes.Value {
	s3 := func(dir string) (tftypes.Object, tftypes.Value) {
		typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"path": tftypes.String, "kms_key_arn": tftypes.String}}
		return typ, tftypes.NewValue(typ, map[string]tftypes.Value{
			"path":        tftypes.NewValue(tftypes.String, "s3://bucket/"+dir+"/"),
			"kms_key_arn": tftypes.NewValue(tftypes.String, nil),
		})
	}
	inType, in := s3("input")
	outType, out := s3("output")
	wrap := func(name string, typ tftypes.Object, v tftypes.Value) (tftypes.Object, tftypes.Value) {
		t := tftypes.Object{AttributeTypes: map[string]tftypes.Type{name: typ}}
		return t, tftypes.NewValue(t, map[string]tftypes.Value{name: v})
	}
	jobInType, jobIn := wrap("s3_data_source", inType, in)
	jobOutType, jobOut := wrap("s3_data_destination", outType, out)
	exploration := tftypes.Map{ElementType: tftypes.String}
	cfgType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"item_exploration_config": exploration}}
	cfg := tftypes.NewValue(cfgType, map[string]tftypes.Value{"item_exploration_config": tftypes.NewValue(exploration, map[string]tftypes.Value{
		"explorationWeight": tftypes.NewValue(tftypes.String, "0.3"),
	})})
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"job_name": tftypes.String, "name": tftypes.String, "solution_version_arn": tftypes.String, "num_results": tftypes.Number,
		"job_input": jobInType, "job_output": jobOutType, "batch_inference_job_config": cfgType,
	}}
	return tftypes.NewValue(typ, map[string]tftypes.Value{
		"job_name":                   tftypes.NewValue(tftypes.String, "nightly-refresh"),
		"name":                       tftypes.NewValue(tftypes.String, nil),
		"solution_version_arn":       tftypes.NewValue(tftypes.String, "arn:aws:personalize:us-east-1:123456789012:solution/shop/1a2b3c4d"),
		"num_results":                tftypes.NewValue(tftypes.Number, 25),
		"job_input":                  jobIn,
		"job_output":                 jobOut,
		"batch_inference_job_config": cfg,
	})
}

// Refusals worded as AWS words them, and as the emulator does, are pointed
// at the argument they are about; messages that name no argument for sure
// are left as they are.
func TestRefusalsAt_findsTheArgumentAMessageIsAbout(t *testing.T) {
	for _, c := range []struct {
		name, code, message string
		attribute           string // "" when the refusal must stay unattributed
		says                string
	}{
		{"a validation error's member path", "ValidationException",
			"1 validation error detected: Value 'x' at 'jobInput.s3DataSource.path' failed to satisfy constraint",
			"job_input.s3_data_source.path", "Value 'x' at 'job_input.s3_data_source.path' failed"},
		{"the ARN a message quotes", "ResourceNotFoundException",
			"Resource arn:aws:personalize:us-east-1:123456789012:solution/shop/1a2b3c4d does not exist.",
			"solution_version_arn", "Check solution_version_arn"},
		{"the longest member at a place", "InvalidInputException",
			"batchInferenceJobConfig.itemExplorationConfig is only supported with the User-Personalization recipe",
			"batch_inference_job_config.item_exploration_config", "batch_inference_job_config.item_exploration_config is only supported"},
		{"the last part of a nested member", "InvalidInputException",
			"itemExplorationConfig has unknown key \"foo\"",
			"batch_inference_job_config.item_exploration_config", "Change batch_inference_job_config.item_exploration_config"},
		{"the first of several members", "InvalidInputException",
			"numResults 900 is more than solutionVersionArn allows",
			"num_results", "num_results 900 is more than solution_version_arn allows"},
		{"a last part two arguments share", "InvalidInputException", "kmsKeyArn is not a KMS key", "", ""},
		{"a member of one word used as a word", "InvalidInputException", "the name of the job is not valid", "", ""},
		{"a member of one word quoted", "ValidationException", "Value at 'name' failed to satisfy constraint", "name", "at 'name' failed"},
		{"a member inside a longer word", "InvalidInputException", "jobNameX is odd", "", ""},
		{"the job's own name", "InvalidInputException", "Job nightly-refresh cannot be created now", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := &smithy.GenericAPIError{Code: c.code, Message: c.message, Fault: smithy.FaultClient}
			got := refusalsAt(refusalPlan(), diag.Diagnostics{newRefusedCreate("batch inference job", "nightly-refresh", err)})
			if len(got) != 1 {
				t.Fatalf("got %d diagnostics, want 1", len(got))
			}
			withPath, pointed := got[0].(diag.DiagnosticWithPath)
			if c.attribute == "" {
				if pointed {
					t.Fatalf("the refusal was pointed at %s; the message names no argument for sure", withPath.Path())
				}
				if !strings.Contains(got[0].Detail(), c.message) {
					t.Errorf("the unattributed refusal lost the service's message: %s", got[0].Detail())
				}
				return
			}
			if !pointed || withPath.Path().String() != c.attribute {
				t.Fatalf("the refusal points at %v, want %s:\n%s", got[0], c.attribute, got[0].Detail())
			}
			if !strings.Contains(got[0].Detail(), c.says) || !strings.Contains(got[0].Detail(), "No batch inference job was created.") {
				t.Errorf("the detail does not say %q and that nothing was created:\n%s", c.says, got[0].Detail())
			}
		})
	}
}

// A failure that is not the service refusing the request (a throttle that
// outlasted the retries, a fault of the service) is never pointed at an
// argument.
func TestRefusalsAt_leavesOtherFailuresAlone(t *testing.T) {
	err := &smithy.GenericAPIError{Code: "InternalFailure", Message: "solutionVersionArn lookup failed", Fault: smithy.FaultServer}
	got := refusalsAt(refusalPlan(), diag.Diagnostics{newRefusedCreate("batch inference job", "nightly-refresh", err)})
	if _, pointed := got[0].(diag.DiagnosticWithPath); pointed || !strings.Contains(got[0].Detail(), "solutionVersionArn lookup failed") {
		t.Errorf("a server fault was reworded or pointed at an argument: %s", got[0].Detail())
	}
}

// Messages written of jobs read naturally for every kind, and are left as
// they are for the kinds that are jobs.
func TestJobKind_phrased(t *testing.T) {
	const template = "Jobs cannot be deleted: the job stays in state, like other jobs; a job-like word (jobless) stays."
	if got := batchInferenceJobKind.phrased(template); got != template {
		t.Errorf("a job kind rewords %q as %q", template, got)
	}
	want := "Versions cannot be deleted: the version stays in state, like other versions; a version-like word (jobless) stays."
	if got := solutionVersionKind.phrased(template); got != want {
		t.Errorf("solution versions: %q, want %q", got, want)
	}
}
