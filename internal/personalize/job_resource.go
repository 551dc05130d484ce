package personalize

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/aws/smithy-go"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// jobResourceFields are the arguments every job resource has beyond the
// API's fields.
type jobResourceFields struct {
	ID                types.String   `tfsdk:"id"`
	JobNamePrefix     types.String   `tfsdk:"job_name_prefix"`
	Tags              types.Map      `tfsdk:"tags"`
	TagsAll           types.Map      `tfsdk:"tags_all"`
	Timeouts          timeouts.Value `tfsdk:"timeouts"`
	WaitForCompletion types.Bool     `tfsdk:"wait_for_completion"`
}

func (f *jobResourceFields) fields() *jobResourceFields { return f }

// jobModel is what the shared lifecycle needs of a job resource's model M:
// the API's fields every job type has, the resource's own arguments, and the
// type's expand and flatten.
type jobModel[M, J, In any] interface {
	*M
	attributes() *jobAttributes
	fields() *jobResourceFields
	arn() *types.String
	expand(ctx context.Context) (*In, diag.Diagnostics)
	Flatten(ctx context.Context, job *J) diag.Diagnostics
	// immutableArgumentsDiffer reports whether the plan m replaces the job in
	// state: the decision the attributes' RequiresReplace modifiers make,
	// which ModifyPlan does not get to see.
	immutableArgumentsDiffer(state *M) bool
	// nullUnseen sets the type's own computed attributes still unknown to
	// null, for a job that was never described.
	nullUnseen()
}

// jobResource is the lifecycle every job resource shares. A job type is a
// jobKind and a model; the type's resource adds its schema and the
// validation of its own arguments.
type jobResource[M any, P jobModel[M, J, In], J, In any] struct {
	kind *jobKind[J, In]
	data *ProviderData
}

var (
	// How long a create that failed in a way that leaves its outcome unknown
	// (a 5xx or a broken connection) looks for the job it may have made.
	ambiguousCreateLookup = 30 * time.Second
	// How long a create refused with ResourceAlreadyExistsException looks for
	// the job holding the name, which may not be visible yet.
	existingJobLookup = 2 * time.Minute
)

func (r *jobResource[M, P, J, In]) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.kind.typeName
}

func (r *jobResource[M, P, J, In]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// IdentitySchema gives the job an identity (its ARN) for import blocks by
// identity and for list results on Terraform 1.12 and later.
func (r *jobResource[M, P, J, In]) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			r.kind.arnAttribute: identityschema.StringAttribute{
				Description:       "The ARN of the " + r.kind.noun + ".",
				RequiredForImport: true,
			},
		},
	}
}

// setIdentity records the job's ARN as its identity, when Terraform keeps one.
func setIdentity[J, In any](ctx context.Context, k *jobKind[J, In], identity *tfsdk.ResourceIdentity, arn types.String, diags *diag.Diagnostics) {
	if identity == nil || arn.IsNull() || arn.IsUnknown() {
		return
	}
	diags.Append(identity.SetAttribute(ctx, path.Root(k.arnAttribute), arn)...)
}

// ValidateConfig requires exactly one of job_name and job_name_prefix, in
// resourcevalidator.ExactlyOneOf's words; that validator matches path
// expressions against the whole configuration, which cost more than all the
// other checks of a job together. Both are accepted when job_name is a name
// job_name_prefix generated: that is what Terraform writes for an imported
// job with -generate-config-out.
func (r *jobResource[M, P, J, In]) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var name, prefix types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("job_name"), &name)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("job_name_prefix"), &prefix)...)
	if resp.Diagnostics.HasError() {
		return
	}
	const exactlyOneName = "Exactly one of these attributes must be configured: [job_name,job_name_prefix]"
	switch {
	case !name.IsNull() && !name.IsUnknown() && !prefix.IsNull() && !prefix.IsUnknown():
		if generatedFrom, ok := prefixOfGeneratedName(name.ValueString()); ok && generatedFrom == prefix.ValueString() {
			return
		}
		resp.Diagnostics.AddAttributeError(path.Root("job_name"), "Invalid Attribute Combination", exactlyOneName)
	case name.IsNull() && prefix.IsNull():
		resp.Diagnostics.AddError("Missing Attribute Configuration", exactlyOneName)
	}
}

func (r *jobResource[M, P, J, In]) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		// Destroy: say before the prompt what destroy cannot do.
		var state M
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if !resp.Diagnostics.HasError() {
			resp.Diagnostics.AddWarning("Destroy only forgets the "+r.kind.noun, leftInAWSDetail(ctx, r.kind.noun, P(&state)))
		}
		return
	}
	// Creates too: what the arguments point at must be in the provider's region.
	resp.Diagnostics.Append(checkJobPlacement(ctx, req.Config, r.data)...)
	var plan M
	p := P(&plan)
	pf, pa := p.fields(), p.attributes()
	creating := req.State.Raw.IsNull()
	if creating {
		// A create plans only tags_all here: decoding and encoding the whole
		// plan would cost more than the rest of planning the job.
		resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("tags"), &pf.Tags)...)
	} else {
		resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}

	// tags_all is known at plan time, so the plan shows default_tags changes.
	if pf.Tags.IsUnknown() || r.data == nil {
		pf.TagsAll = types.MapUnknown(types.StringType)
	} else {
		tags, d := tagsFromMap(ctx, pf.Tags)
		resp.Diagnostics.Append(d...)
		all := tagPolicyOf(r.data).all(tags)
		if len(all) > maxTagsPerResource {
			resp.Diagnostics.AddAttributeError(path.Root("tags"), "Too many tags",
				fmt.Sprintf("tags and the provider's default_tags together give the job %d tags; a %s can have at most %d: remove some tags or default_tags.", len(all), r.kind.noun, maxTagsPerResource))
		}
		pf.TagsAll = tagsAllValue(all)
	}

	if creating {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("tags_all"), pf.TagsAll)...)
		return
	}
	{
		var state M
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		s := P(&state)
		sa := s.attributes()
		var configName types.String
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("job_name"), &configName)...)

		status := sa.Status.ValueString()
		replacing := p.immutableArgumentsDiffer(&state)
		if status == StatusCreateFailed && !replacing {
			// A failed job is finished for good; like a tainted resource it is
			// replaced, so that the configuration gets a job that ran.
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("status"))
			resp.Diagnostics.AddWarning("Failed "+r.kind.noun+" will be replaced",
				fmt.Sprintf("%s %s ended in CREATE FAILED (%s). This plan replaces it with a new job; the failed job's record stays in AWS.",
					capitalize(r.kind.noun), s.arn().ValueString(), sa.FailureReason.ValueString()))
			replacing = true
		}
		if replacing && !configName.IsNull() && configName.Equal(sa.JobName) {
			// Applying this would forget the job and then fail to create its
			// successor, leaving nothing in state: refuse it while the job is still there.
			fix := fmt.Sprintf("Change job_name, or replace it with job_name_prefix = %q so that every replacement gets a new generated name.", sa.JobName.ValueString()+"-")
			var configPrefix types.String
			resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("job_name_prefix"), &configPrefix)...)
			if !configPrefix.IsNull() {
				// What -generate-config-out writes for a job named from a prefix.
				fix = fmt.Sprintf("Remove the job_name line: job_name_prefix = %q then generates a new name for the new job.", configPrefix.ValueString())
			}
			resp.Diagnostics.AddAttributeError(path.Root("job_name"), "Replacement cannot reuse a job name",
				fmt.Sprintf("This plan would replace %s %q (%s) with a new job of the same name, but a job name is taken for ever in an account and region, "+
					"even after Terraform forgets the job, so the new job could never be created. %s "+
					"Nothing was changed: the job stays in state.",
					r.kind.noun, sa.JobName.ValueString(), s.arn().ValueString(), fix))
			return
		}
		if replacing && status != StatusCreateFailed {
			resp.Diagnostics.AddWarning("Replacement leaves the old "+r.kind.noun+" in AWS", leftInAWSDetail(ctx, r.kind.noun, s))
			warnOutputOverwritten(ctx, r.kind.noun, sa, pa, &resp.Diagnostics)
		}
		if !replacing && !IsTerminalStatus(status) && pf.WaitForCompletion.ValueBool() {
			// The job was left running (wait_for_completion = false, a timeout or
			// an interrupted apply): plan an in-place update whose apply waits.
			pa.Status = types.StringUnknown()
			pa.LastUpdatedDateTime = timetypes.NewRFC3339Unknown()
			pa.FailureReason = types.StringUnknown()
		}
	}

	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (r *jobResource[M, P, J, In]) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	conn := r.data.client(&resp.Diagnostics)
	var plan M
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	p := P(&plan)
	pf, pa := p.fields(), p.attributes()
	timeout, d := pf.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}

	prefix := ""
	if pa.JobName.IsUnknown() || pa.JobName.IsNull() {
		prefix, pa.JobName = pf.JobNamePrefix.ValueString(), types.StringNull()
	}
	input, d := p.expand(ctx)
	resp.Diagnostics.Append(d...)
	tagsAll, d := tagsFromMap(ctx, pf.TagsAll)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	*r.kind.request(input).Tags = toAPITags(tagsAll)

	waitCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var jobARN string
	var adopted bool
	if prefix != "" {
		jobARN, adopted, d = submitGeneratedJob(waitCtx, ctx, r.kind, r.data, conn, input, prefix, timeout)
	} else {
		jobARN, adopted, d = submitJob(waitCtx, ctx, r.kind, r.data, conn, input, timeout, nil, false)
	}
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	pa.JobName = types.StringValue(r.kind.request(input).Name)
	ctx = tflog.SetField(ctx, r.kind.arnAttribute, jobARN)
	pf.ID = types.StringValue(jobARN)
	*p.arn() = types.StringValue(jobARN)

	if adopted {
		// The job came from an earlier attempt of this create, or holds the
		// name already; either way its tags must end up as planned.
		current, recorded, err := listJobTags(waitCtx, conn, jobARN)
		if recorded {
			// Only a fixed job_name adopts a job a state held: the plan cannot
			// see -replace or taint, nor a destroy followed by a create.
			resp.Diagnostics.AddWarning("The "+r.kind.noun+" was not run again",
				fmt.Sprintf("The job name %q belongs to %s, the job this configuration had before a destroy or a replacement (-replace, taint). "+
					"A job name can never be used again in an account and region, so no new job can run under it: Terraform manages that same job again, "+
					"with the planned arguments, and nothing ran again. To run a new job, change job_name, or use job_name_prefix so that every replacement gets a new name.",
					pa.JobName.ValueString(), jobARN))
		} else {
			resp.Diagnostics.AddWarning("Adopted an existing "+r.kind.noun,
				fmt.Sprintf("%s %q (%s) already existed with the planned name and arguments, submitted by an apply that was interrupted or killed, "+
					"or by an earlier attempt of this create whose answer was lost: Terraform now manages that job instead of starting another.",
					capitalize(r.kind.noun), pa.JobName.ValueString(), jobARN))
		}
		if err == nil {
			err = updateTags(waitCtx, conn, jobARN, tagPolicyOf(r.data).withoutIgnored(current), tagsAll)
		}
		if err != nil {
			resp.Diagnostics.AddWarning("Tags of the adopted job not updated",
				fmt.Sprintf("The job %s was adopted but its tags could not be set (%s); the next apply sets them.", jobARN, err))
		}
	}

	until := jobVisible
	if pf.WaitForCompletion.ValueBool() {
		until = jobFinished
		tflog.Info(ctx, "waiting for "+r.kind.noun+" to finish", map[string]any{"timeout": timeout.String()})
	}
	job, err := waitJob(waitCtx, r.kind, r.data, conn, jobARN, r.kind.submitted(input, adopted), until)
	recordJob(ctx, p, job, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setIdentity(ctx, r.kind, resp.Identity, *p.arn(), &resp.Diagnostics)

	switch {
	case err != nil:
		// An error here would taint the resource and make the next apply start
		// a second job; the job is in state, so a warning and a resume suffice.
		resp.Diagnostics.AddWarning("Stopped waiting for the "+r.kind.noun,
			stoppedWaitingDetail(ctx, waitCtx, err, r.kind.noun, p.arn().ValueString(), pa.Status.ValueString(), "timeouts.create", timeout))
	case r.kind.view(job).Status == StatusCreateFailed:
		resp.Diagnostics.AddError(capitalize(r.kind.noun)+" failed", failedDetail(r.kind, job))
	}
}

// recordJob puts what the service reports about a job into m. When the job
// was never seen (an apply interrupted right after submitting), the computed
// attributes are recorded as null and the next refresh fills them in.
func recordJob[M any, P jobModel[M, J, In], J, In any](ctx context.Context, m P, job *J, diags *diag.Diagnostics) {
	if job != nil {
		diags.Append(m.Flatten(ctx, job)...)
		m.fields().ID = *m.arn()
		return
	}
	m.nullUnseen()
	a := m.attributes()
	if a.NumResults.IsUnknown() {
		a.NumResults = types.Int64Null()
	}
	if a.CreationDateTime.IsUnknown() {
		a.CreationDateTime = timetypes.NewRFC3339Null()
	}
	if a.LastUpdatedDateTime.IsUnknown() {
		a.LastUpdatedDateTime = timetypes.NewRFC3339Null()
	}
	if a.Status.IsUnknown() {
		a.Status = types.StringNull()
	}
	if a.FailureReason.IsUnknown() {
		a.FailureReason = types.StringNull()
	}
}

func failedDetail[J, In any](k *jobKind[J, In], job *J) string {
	v := k.view(job)
	return fmt.Sprintf("%s %s ended in CREATE FAILED: %q. Fix the cause (input and output paths, the role's permissions, the solution version) and apply again: "+
		"the failed job stays in AWS for ever, so the next apply replaces it with a new job (use job_name_prefix, or change job_name, since the old name stays taken).",
		capitalize(k.noun), v.ARN, v.FailureReason)
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

// submitJob creates the job, queueing while the account is at its
// running-job quota, and returns its ARN. adopted is true when the job
// already existed under the planned name with the planned arguments, which
// is what a create whose response was lost and then retried runs into. ctx
// bounds the whole submission (the create timeout); outer is the apply's
// own context, which tells an interrupt from a timeout. notify, when not
// nil, hears when the job joins and leaves the queue. generated is true for
// a name job_name_prefix generated: a job holding it that must not be
// adopted then returns no ARN and no error, and the caller tries the next
// name.
func submitJob[J, In any](ctx, outer context.Context, k *jobKind[J, In], pd *ProviderData, conn *personalize.Client, input *In, timeout time.Duration, notify func(string), generated bool) (string, bool, diag.Diagnostics) {
	if notify == nil {
		notify = func(string) {}
	}
	var diags diag.Diagnostics
	name := k.request(input).Name
	queuedSince := time.Time{}
	for {
		jobARN, err := k.create(ctx, conn, input, withoutQuotaRetries)
		if err == nil {
			if !queuedSince.IsZero() {
				queuedFor := time.Since(queuedSince).Round(time.Second).String()
				tflog.Info(ctx, k.noun+" left the queue", map[string]any{"job_name": name, "queued_for": queuedFor})
				notify(fmt.Sprintf("%s %q left the queue after %s", capitalize(k.noun), name, queuedFor))
			}
			return jobARN, false, nil
		}

		var limit *awstypes.LimitExceededException
		var exists *awstypes.ResourceAlreadyExistsException
		switch {
		case errors.As(err, &limit):
			if queuedSince.IsZero() {
				queuedSince = time.Now()
				tflog.Info(ctx, k.noun+" queued: the account's limit of running jobs is reached; create is retried until a job finishes",
					map[string]any{"job_name": name, "message": limit.ErrorMessage()})
				notify(fmt.Sprintf("%s %q queued: the account is at its quota of running jobs (%s); retrying until a slot frees", capitalize(k.noun), name, limit.ErrorMessage()))
			} else {
				tflog.Debug(ctx, k.noun+" still queued", map[string]any{"job_name": name, "queued_for": time.Since(queuedSince).Round(time.Second).String()})
			}
			// A slot frees when any running job ends, which may be any moment:
			// retry as the waiter polls, a tenth of the time queued so far
			// (jittered, between half a second and a minute), so a freed slot
			// is taken within about 10 % of the queueing time.
			if !sleep(ctx, jitter(pollInterval(time.Since(queuedSince)))) {
				why := fmt.Sprintf("timeouts.create (%s) ran out", timeout)
				if outer.Err() != nil {
					why = "Terraform was interrupted"
				}
				diags.AddError(capitalize(k.noun)+" still queued",
					fmt.Sprintf("%s while job %q waited for a free slot: the account is at its quota of running %ss (%s). No job was created. "+
						"Apply again once running jobs finish, raise timeouts.create, or ask AWS for a higher quota.", why, name, k.noun, limit.ErrorMessage()))
				return "", false, diags
			}

		case errors.As(err, &exists):
			return adoptJob(ctx, k, pd, conn, input, err, existingJobLookup, generated)

		case createOutcomeUnknown(err):
			tflog.Warn(ctx, "create failed without a clear answer; looking for the job it may have made", map[string]any{"job_name": name, "error": err.Error()})
			return adoptJob(ctx, k, pd, conn, input, err, ambiguousCreateLookup, generated)

		default:
			diags.AddError("Cannot create "+k.noun, fmt.Sprintf("Creating %s %q: %s", k.noun, name, err))
			return "", false, diags
		}
	}
}

// adoptJob looks for the job named in input and takes it over when it has
// the planned arguments. cause is the error the create got; lookup bounds the
// search, since a new job can take a moment to become visible. A generated
// name held by a job a state holds or held, or by one with other arguments,
// is not adopted: adoptJob returns no ARN and no error, for the next name.
func adoptJob[J, In any](ctx context.Context, k *jobKind[J, In], pd *ProviderData, conn *personalize.Client, input *In, cause error, lookup time.Duration, generated bool) (string, bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	name := k.request(input).Name
	jobARN, err := plannedJobARN(k, pd, input)
	if err != nil {
		diags.AddError("Cannot create "+k.noun, fmt.Sprintf("Creating %s %q: %s (and its ARN cannot be worked out to look for it: %s)", k.noun, name, cause, err))
		return "", false, diags
	}
	lookupCtx, cancel := context.WithTimeout(ctx, lookup)
	defer cancel()
	job, err := waitJob(lookupCtx, k, pd, conn, jobARN, nil, jobVisible)
	if job == nil {
		var exists *awstypes.ResourceAlreadyExistsException
		if errors.As(cause, &exists) {
			diags.AddAttributeError(path.Root("job_name"), "Job name already taken",
				fmt.Sprintf("A %s named %q already exists (%s), but %s could not be described (%v). Job names are unique for ever in an account and region: "+
					"choose another job_name, or use job_name_prefix to generate one.", k.noun, name, cause, jobARN, err))
		} else {
			diags.AddError("Cannot create "+k.noun, fmt.Sprintf("Creating %s %q: %s (no job of that name appeared afterwards)", k.noun, name, cause))
		}
		return "", false, diags
	}
	if generated {
		_, recorded, err := listJobTags(ctx, conn, jobARN)
		switch {
		case err != nil:
			diags.AddError("Cannot create "+k.noun, fmt.Sprintf("Creating %s %q: the name is held by %s, and whether a Terraform state holds that job cannot be told: %s", k.noun, name, jobARN, err))
			return "", false, diags
		case recorded || len(k.differences(input, job)) > 0:
			tflog.Debug(ctx, "the generated name is held by a job that is not this one's to adopt", map[string]any{k.arnAttribute: jobARN, "recorded": recorded})
			return "", false, nil
		}
	}
	if diffs := k.differences(input, job); len(diffs) > 0 {
		diags.AddAttributeError(path.Root("job_name"), "Job name already taken",
			fmt.Sprintf("Job name %q already belongs to %s, a %s with different arguments: %s. "+
				"Job names are unique for ever in an account and region, even for jobs Terraform no longer manages: choose another job_name, "+
				"or use job_name_prefix to generate one; to manage the existing job, import it instead.",
				name, jobARN, k.noun, strings.Join(diffs, "; ")))
		return "", false, diags
	}
	tflog.Info(ctx, "adopting the existing "+k.noun+" of the planned name and arguments (an earlier attempt of this create made it)",
		map[string]any{k.arnAttribute: jobARN, "create_error": cause.Error()})
	return jobARN, true, nil
}

// plannedJobARN is the ARN the service gives a job named in input, in the
// client's region and the solution version's partition; the account is the
// caller's, or the solution version's when the provider skips looking it up.
func plannedJobARN[J, In any](k *jobKind[J, In], pd *ProviderData, input *In) (string, error) {
	req := k.request(input)
	sv, err := arn.Parse(req.SolutionVersionARN)
	if err != nil {
		return "", fmt.Errorf("solution_version_arn: %w", err)
	}
	region, account := sv.Region, sv.AccountID
	if pd != nil && pd.Region != "" {
		region = pd.Region
	}
	if pd != nil && pd.AccountID != "" {
		account = pd.AccountID
	}
	return jobARNFor(sv.Partition, region, account, k.arnResource, req.Name), nil
}

// createOutcomeUnknown reports whether a failed create may nonetheless have
// made the job: server faults and transport errors, as opposed to the
// service's definite refusals and to a create that never reached the
// service.
func createOutcomeUnknown(err error) bool {
	if neverReachedService(err) {
		return false
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorFault() != smithy.FaultClient
	}
	return !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
}

// withoutQuotaRetries stops the SDK from retrying LimitExceededException
// itself: its quick retries would spend the retry budget in seconds, while a
// queued job waits for minutes; submitJob retries it on its own schedule.
func withoutQuotaRetries(o *personalize.Options) {
	if o.Retryer != nil {
		o.Retryer = quotaNotRetried{o.Retryer}
	}
}

type quotaNotRetried struct{ aws.Retryer }

func (q quotaNotRetried) IsErrorRetryable(err error) bool {
	var limit *awstypes.LimitExceededException
	if errors.As(err, &limit) {
		return false
	}
	return q.Retryer.IsErrorRetryable(err)
}

func (q quotaNotRetried) GetAttemptToken(ctx context.Context) (func(error) error, error) {
	if v2, ok := q.Retryer.(aws.RetryerV2); ok {
		return v2.GetAttemptToken(ctx)
	}
	return q.GetInitialToken(), nil
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// jitter spreads retries of parallel creates (one apply often queues several
// jobs) over [d/2, d).
func jitter(d time.Duration) time.Duration {
	n := time.Now().UnixNano()
	return d/2 + time.Duration(n%int64(d/2+1))
}

func (r *jobResource[M, P, J, In]) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	conn := r.data.client(&resp.Diagnostics)
	var state M
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	s := P(&state)
	jobARN := s.arn().ValueString()
	// A finished job never changes again, only its tags can: its description
	// is already in state, and ListTagsForResource alone tells both whether
	// the job still exists and whether its tags drifted.
	var job *J
	var err error
	if !IsTerminalStatus(s.attributes().Status.ValueString()) {
		job, err = findJob(ctx, r.kind, conn, jobARN)
	}
	var apiTags map[string]string
	var recorded bool
	readingTags := err == nil
	if readingTags {
		apiTags, recorded, err = listJobTags(ctx, conn, jobARN)
	}
	var rnf *awstypes.ResourceNotFoundException
	if IsNotFound(err) || errors.As(err, &rnf) {
		resp.Diagnostics.AddWarning(capitalize(r.kind.noun)+" no longer exists",
			fmt.Sprintf("%s %s was not found in AWS, so it is removed from the Terraform state; the next apply creates a new job. "+
				"(Jobs cannot be deleted, so check that the provider's region and account are the ones that ran it.)", capitalize(r.kind.noun), jobARN))
		// The framework wants an identity even for a resource being dropped.
		setIdentity(ctx, r.kind, resp.Identity, *s.arn(), &resp.Diagnostics)
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		summary := "Cannot read " + r.kind.noun
		if readingTags {
			summary += " tags"
		}
		resp.Diagnostics.AddError(errorSummary(summary, err), err.Error())
		return
	}
	if _, generated := prefixOfGeneratedName(s.attributes().JobName.ValueString()); generated && !recorded {
		// From now on the job is this state's: a create with the same
		// generated name will not adopt it. (A fixed name is never looked
		// for by generation; Delete marks those jobs when it lets go.)
		markRecorded(ctx, conn, jobARN)
	}
	prior := *s.fields()
	resp.Diagnostics.Append(refreshJob(ctx, s, job, apiTags, tagPolicyOf(r.data))...)
	// resp.State starts as the prior state: when nothing changed there is
	// nothing to encode.
	if f := s.fields(); job != nil || !f.Tags.Equal(prior.Tags) || !f.TagsAll.Equal(prior.TagsAll) || !f.ID.Equal(prior.ID) || !f.WaitForCompletion.Equal(prior.WaitForCompletion) {
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	}
	setIdentity(ctx, r.kind, resp.Identity, *s.arn(), &resp.Diagnostics)
}

// refreshJob puts a described job and the tags the service reports for it
// into m, keeping m's own tags apart from default_tags: what Read, import
// and the list resource all make of a job.
func refreshJob[M any, P jobModel[M, J, In], J, In any](ctx context.Context, m P, job *J, apiTags map[string]string, policy tagPolicy) diag.Diagnostics {
	// A nil job is a finished one whose description m already holds.
	var diags diag.Diagnostics
	if job != nil {
		diags = m.Flatten(ctx, job)
	}
	f := m.fields()
	f.ID = *m.arn()
	all := policy.withoutIgnored(apiTags)
	prior, d := tagsFromMap(ctx, f.Tags)
	diags.Append(d...)
	f.Tags = tagsValue(policy.resourceTags(all, prior), f.Tags)
	f.TagsAll = tagsAllValue(all)
	// An imported or listed job has no value for this yet; it takes its
	// default, which is what a configuration that leaves it out plans.
	if f.WaitForCompletion.IsNull() {
		f.WaitForCompletion = types.BoolValue(true)
	}
	return diags
}

func (r *jobResource[M, P, J, In]) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	conn := r.data.client(&resp.Diagnostics)
	var plan, state M
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	p, s := P(&plan), P(&state)
	pf, sf, pa, sa := p.fields(), s.fields(), p.attributes(), s.attributes()
	jobARN := s.arn().ValueString()
	ctx = tflog.SetField(ctx, r.kind.arnAttribute, jobARN)

	if !pf.TagsAll.Equal(sf.TagsAll) {
		oldTags, d := tagsFromMap(ctx, sf.TagsAll)
		resp.Diagnostics.Append(d...)
		newTags, d := tagsFromMap(ctx, pf.TagsAll)
		resp.Diagnostics.Append(d...)
		if resp.Diagnostics.HasError() {
			return
		}
		if !maps.Equal(oldTags, newTags) {
			if err := updateTags(ctx, conn, jobARN, oldTags, newTags); err != nil {
				resp.Diagnostics.AddError("Cannot update "+r.kind.noun+" tags", err.Error())
				return
			}
		}
	}

	if !pa.Status.IsUnknown() {
		// Nothing to wait for: wait_for_completion, timeouts and tags change
		// without touching the job.
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		setIdentity(ctx, r.kind, resp.Identity, *p.arn(), &resp.Diagnostics)
		return
	}

	timeout, d := pf.Timeouts.Update(ctx, defaultUpdateTimeout)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	waitCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tflog.Info(ctx, "resuming the wait for "+r.kind.noun, map[string]any{"status": sa.Status.ValueString(), "timeout": timeout.String()})
	job, err := waitJob(waitCtx, r.kind, r.data, conn, jobARN, nil, jobFinished)
	if job == nil {
		pa.Status, pa.LastUpdatedDateTime, pa.FailureReason = sa.Status, sa.LastUpdatedDateTime, sa.FailureReason
	}
	recordJob(ctx, p, job, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setIdentity(ctx, r.kind, resp.Identity, *p.arn(), &resp.Diagnostics)

	switch {
	case err != nil:
		// Updates do not taint, so an error is safe here and tells scripts
		// that the job has not finished.
		resp.Diagnostics.AddError("Stopped waiting for the "+r.kind.noun,
			stoppedWaitingDetail(ctx, waitCtx, err, r.kind.noun, p.arn().ValueString(), pa.Status.ValueString(), "timeouts.update", timeout))
	case r.kind.view(job).Status == StatusCreateFailed:
		resp.Diagnostics.AddError(capitalize(r.kind.noun)+" failed", failedDetail(r.kind, job))
	}
}

// Delete only forgets the job: the API can neither delete nor stop one.
func (r *jobResource[M, P, J, In]) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state M
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	s := P(&state)
	// A job let go of is never adopted again by a create of the same
	// generated name (a re-create after destroy, a replacement).
	if r.data != nil && r.data.Client != nil {
		markRecorded(ctx, r.data.Client, s.arn().ValueString())
	}
	// The plan said in full what stays in AWS; this only confirms it.
	detail := fmt.Sprintf("%s was removed from the state only: the job, its name and its output stay in AWS.", s.arn().ValueString())
	if status := s.attributes().Status.ValueString(); !IsTerminalStatus(status) {
		detail += fmt.Sprintf(" It is %s and keeps running.", strings.ToLower(statusOrUnknown(status)))
	}
	resp.Diagnostics.AddWarning(capitalize(r.kind.noun)+" left in AWS", detail)
}

// leftInAWSDetail lists what stays in AWS when Terraform lets go of a job,
// for the plan of a destroy or a replacement.
func leftInAWSDetail(ctx context.Context, noun string, m interface {
	attributes() *jobAttributes
	arn() *types.String
}) string {
	a := m.attributes()
	detail := fmt.Sprintf("Amazon Personalize cannot delete or stop %ss, so %s will only be removed from the state. What stays in AWS: "+
		"the job's record, for ever, and with it its name %q, which can never be used again in this account and region; "+
		"its output in %s, until you delete it (or another job writes files of the same names there).",
		noun, m.arn().ValueString(), a.JobName.ValueString(), outputPath(ctx, a))
	if status := a.Status.ValueString(); !IsTerminalStatus(status) {
		detail += fmt.Sprintf(" The job is %s: it keeps running, writing output and counting against the quota of running jobs until it ends.",
			strings.ToLower(statusOrUnknown(status)))
	}
	return detail
}

// warnOutputOverwritten warns when a replacement writes where the job it
// replaces wrote: the new job's files take the old ones' names, so the old
// output does not survive the replacement.
func warnOutputOverwritten(ctx context.Context, noun string, state, plan *jobAttributes, diags *diag.Diagnostics) {
	if plan.JobOutput.IsUnknown() || !plan.JobOutput.Equal(state.JobOutput) {
		return
	}
	out := outputPath(ctx, state)
	diags.AddAttributeWarning(path.Root("job_output").AtName("s3_data_destination").AtName("path"), "Replacement overwrites the old job's output",
		fmt.Sprintf("The new %s writes to %s, where the %s it replaces (%s) wrote its output. Each output file is named after its input file, "+
			"so the new job's files overwrite the old job's files of the same names. To keep the old output, copy it away before applying, "+
			"or give the new job another job_output path.",
			noun, out, noun, state.JobName.ValueString()))
}

func statusOrUnknown(s string) string {
	if s == "" {
		return "in an unknown state"
	}
	return s
}

func outputPath(ctx context.Context, m *jobAttributes) string {
	var out jobOutputModel
	var s3 S3DataConfigModel
	if m.JobOutput.IsNull() || m.JobOutput.IsUnknown() || m.JobOutput.As(ctx, &out, basetypes.ObjectAsOptions{}).HasError() ||
		out.S3DataDestination.IsNull() || out.S3DataDestination.As(ctx, &s3, basetypes.ObjectAsOptions{}).HasError() {
		return "the job's output path"
	}
	return s3.Path.ValueString()
}

func (r *jobResource[M, P, J, In]) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := req.ID
	if id == "" && req.Identity != nil {
		var identity types.String
		resp.Diagnostics.Append(req.Identity.GetAttribute(ctx, path.Root(r.kind.arnAttribute), &identity)...)
		id = identity.ValueString()
	}
	if !r.kind.arnRegexp.MatchString(id) {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("%q is not a %s ARN. Import with the job's ARN, "+
				"arn:<partition>:personalize:<region>:<account>:%s/<job name>, for example %s.", id, r.kind.noun, r.kind.arnResource, r.kind.arnExample()))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(r.kind.arnAttribute), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("wait_for_completion"), true)...)
	// A generated name brings its prefix along, so that importing into a
	// job_name_prefix configuration plans no replacement.
	if prefix, ok := prefixOfGeneratedName(id[strings.LastIndex(id, "/")+1:]); ok {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("job_name_prefix"), prefix)...)
	}
	setIdentity(ctx, r.kind, resp.Identity, types.StringValue(id), &resp.Diagnostics)
}

// capitalize starts a message with the job type's name: "Batch inference job".
func capitalize(noun string) string {
	if noun == "" {
		return noun
	}
	return strings.ToUpper(noun[:1]) + noun[1:]
}
