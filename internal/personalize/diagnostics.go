// Diagnostics: what the lifecycle tells users about a job that failed, a
// wait that stopped, and what stays in AWS when Terraform lets go of a job.

package personalize

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// addFailure reports a job that ended in CREATE FAILED, quoting its reason.
func addFailure[J, In any](k *jobKind[J, In], job *J, diags *diag.Diagnostics) {
	if job == nil || k.view(job).Status != statusCreateFailed {
		return
	}
	diags.AddError(capitalize(k.noun)+" failed", failedDetail(k, job))
}

func failedDetail[J, In any](k *jobKind[J, In], job *J) string {
	v := k.view(job)
	return fmt.Sprintf("%s %s ended in CREATE FAILED: %q. Fix the cause (%s) and apply again: "+
		"the failed job stays in AWS for ever, so the next apply replaces it with a new job (use job_name_prefix, or change job_name, since the old name stays taken).",
		capitalize(k.noun), v.ARN, v.FailureReason, k.failureCauses)
}

// stoppedWaitingDetail explains a wait that ended before the job did and how
// the next apply picks it up again.
func stoppedWaitingDetail(ctx, waitCtx context.Context, err error, noun, jobARN, status, timeoutName string, timeout time.Duration) string {
	why := stoppedWaitingReason(ctx, waitCtx, err, timeoutName, timeout)
	if status == "" {
		status = "not yet visible"
	}
	return fmt.Sprintf("%s while %s %s was %s. The job keeps running in AWS and is saved in the Terraform state: "+
		"the next apply waits for it again instead of starting another job (that wait is bounded by timeouts.update: raise timeouts.update if the job needs longer, or set wait_for_completion = false to stop waiting).",
		why, noun, jobARN, status)
}

// stoppedWaitingReason says why a wait ended before the job did: ctx is the
// apply's, waitCtx the one the timeout bounds.
func stoppedWaitingReason(ctx, waitCtx context.Context, err error, timeoutName string, timeout time.Duration) string {
	switch {
	case ctx.Err() != nil:
		return "Terraform was interrupted"
	case waitCtx.Err() != nil:
		return fmt.Sprintf("%s (%s) ran out", timeoutName, timeout)
	default:
		return fmt.Sprintf("describing the job failed: %s", err)
	}
}

// jobOutput is what diagnostics read of the model of a type that writes its
// output to S3: the batch jobs.
type jobOutput interface {
	outputObject() types.Object
	outputPath(ctx context.Context) string
}

// jobLeftInAWS is what diagnostics read of the model of a type whose jobs
// leave more in AWS than their record and output files.
type jobLeftInAWS interface {
	leftInAWS(ctx context.Context) string
}

// leftInAWSDetail lists what stays in AWS when Terraform lets go of a job,
// for the plan of a destroy or a replacement.
func leftInAWSDetail[J, In any](ctx context.Context, k *jobKind[J, In], m jobModel[J, In]) string {
	cannot := "cannot delete or stop"
	if k.stop != nil {
		cannot = "cannot delete"
	}
	detail := fmt.Sprintf("Amazon Personalize %s %ss, so %s will only be removed from the state. What stays in AWS: "+
		"its record, for ever, and with it its name %q, which can never be used again in this account and region",
		cannot, k.noun, m.arn().ValueString(), m.name().ValueString())
	if out, ok := m.(jobOutput); ok {
		detail += fmt.Sprintf("; its output in %s, until you delete it (or another job writes files of the same names there)", out.outputPath(ctx))
	}
	if more, ok := m.(jobLeftInAWS); ok {
		detail += "; " + more.leftInAWS(ctx)
	}
	detail += "."
	status := m.run().Status.ValueString()
	switch {
	case isTerminalStatus(status):
	case k.stop != nil:
		detail += fmt.Sprintf(" It is %s: Terraform stops it first, and it is billed for the time it ran.", statusOrUnknown(status))
	default:
		doing := "running"
		if _, ok := m.(jobOutput); ok {
			doing = "running, writing output"
		}
		detail += fmt.Sprintf(" It is %s: it keeps %s and counting against the quota of running jobs until it ends.",
			strings.ToLower(statusOrUnknown(status)), doing)
	}
	return detail
}

// warnOutputOverwritten warns when a replacement writes where the job it
// replaces wrote: the new job's files take the old ones' names, so the old
// output does not survive the replacement.
func warnOutputOverwritten[J, In any](ctx context.Context, noun string, state, plan jobModel[J, In], diags *diag.Diagnostics) {
	stateOut, ok := state.(jobOutput)
	planOut, planOK := plan.(jobOutput)
	if !ok || !planOK || planOut.outputObject().IsUnknown() || !planOut.outputObject().Equal(stateOut.outputObject()) {
		return
	}
	diags.AddAttributeWarning(path.Root("job_output").AtName("s3_data_destination").AtName("path"), "Replacement overwrites the old job's output",
		fmt.Sprintf("The new %s writes to %s, where the %s it replaces (%s) wrote its output. Each output file is named after its input file, "+
			"so the new job's files overwrite the old job's files of the same names. To keep the old output, copy it away before applying, "+
			"or give the new job another job_output path.",
			noun, stateOut.outputPath(ctx), noun, state.name().ValueString()))
}

func statusOrUnknown(s string) string {
	if s == "" {
		return "in an unknown state"
	}
	return s
}

// capitalize starts a message with the job type's name: "Batch inference job".
func capitalize(noun string) string {
	if noun == "" {
		return noun
	}
	return strings.ToUpper(noun[:1]) + noun[1:]
}
