package personalize

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// jobResourceFields are the arguments every job resource has beyond the
// API's fields and the name prefix.
type jobResourceFields struct {
	ID                types.String   `tfsdk:"id"`
	Tags              types.Map      `tfsdk:"tags"`
	TagsAll           types.Map      `tfsdk:"tags_all"`
	Timeouts          timeouts.Value `tfsdk:"timeouts"`
	WaitForCompletion types.Bool     `tfsdk:"wait_for_completion"`
}

func (f *jobResourceFields) fields() *jobResourceFields { return f }

// jobModel is what the shared lifecycle needs of a job resource's model:
// the job's run, name and ARN, the resource's own arguments, and the type's
// expand and flatten. A kind's newModel makes one.
type jobModel[J, In any] interface {
	run() *jobRun
	name() *types.String
	namePrefix() *types.String
	fields() *jobResourceFields
	arn() *types.String
	expand(ctx context.Context) (*In, diag.Diagnostics)
	Flatten(ctx context.Context, job *J) diag.Diagnostics
	// arguments are the type's immutable arguments, in a fixed order.
	arguments() []attr.Value
	// nullUnseen sets the computed attributes still unknown to null, for a
	// job that was never described.
	nullUnseen()
}

// finishing is a model with attributes beyond the run that the service
// reports only once the job has finished, and only through Describe (a
// training's hours and metrics).
type finishing interface {
	// unknownUntilFinished marks them unknown, in a plan that waits for the job.
	unknownUntilFinished()
	// missingFinished reports whether a finished job's model lacks them.
	missingFinished() bool
}

// immutableArgumentsDiffer reports whether plan replaces the job in state:
// the decision the attributes' RequiresReplace modifiers make, which
// ModifyPlan does not get to see.
func immutableArgumentsDiffer[J, In any](plan, state jobModel[J, In]) bool {
	if !plan.namePrefix().Equal(*state.namePrefix()) {
		return true
	}
	planned, prior := plan.arguments(), state.arguments()
	for i := range planned {
		if !planned[i].Equal(prior[i]) {
			return true
		}
	}
	return false
}

// jobResource is the lifecycle every job resource shares. A job type is a
// jobKind and a model; the type's resource adds its schema and the
// validation of its own arguments.
type jobResource[J, In any] struct {
	kind *jobKind[J, In]
	data *ProviderData
}

var (
	_ resource.ResourceWithConfigure      = &jobResource[struct{}, struct{}]{}
	_ resource.ResourceWithValidateConfig = &jobResource[struct{}, struct{}]{}
	_ resource.ResourceWithModifyPlan     = &jobResource[struct{}, struct{}]{}
	_ resource.ResourceWithImportState    = &jobResource[struct{}, struct{}]{}
	_ resource.ResourceWithIdentity       = &jobResource[struct{}, struct{}]{}
)

func (r *jobResource[J, In]) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = r.kind.resourceSchema(ctx, r.kind)
}

func (r *jobResource[J, In]) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.kind.typeName
}

func (r *jobResource[J, In]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// IdentitySchema gives the job an identity (its ARN) for import blocks by
// identity and for list results on Terraform 1.12 and later.
func (r *jobResource[J, In]) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
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

// ValidateConfig checks the name arguments every job type has, then the
// type's own rules.
func (r *jobResource[J, In]) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	r.validateName(ctx, req, resp)
	if r.kind.validate != nil {
		r.kind.validate(ctx, req.Config, &resp.Diagnostics)
	}
}

// validateName requires exactly one of job_name and job_name_prefix, in
// resourcevalidator.ExactlyOneOf's words; that validator matches path
// expressions against the whole configuration, which cost more than all the
// other checks of a job together. Both are accepted when job_name is a name
// job_name_prefix generated: that is what Terraform writes for an imported
// job with -generate-config-out.
func (r *jobResource[J, In]) validateName(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var name, prefix types.String
	nameAttr, prefixAttr := r.kind.nameAttribute, r.kind.prefixAttribute()
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(nameAttr), &name)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(prefixAttr), &prefix)...)
	if resp.Diagnostics.HasError() {
		return
	}
	exactlyOneName := fmt.Sprintf("Exactly one of these attributes must be configured: [%s,%s]", nameAttr, prefixAttr)
	switch {
	case !name.IsNull() && !name.IsUnknown() && !prefix.IsNull() && !prefix.IsUnknown():
		if generatedFrom, ok := prefixOfGeneratedName(name.ValueString()); ok && generatedFrom == prefix.ValueString() {
			return
		}
		resp.Diagnostics.AddAttributeError(path.Root(nameAttr), "Invalid Attribute Combination", exactlyOneName)
	case name.IsNull() && prefix.IsNull():
		resp.Diagnostics.AddError("Missing Attribute Configuration", exactlyOneName)
	}
}

func (r *jobResource[J, In]) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		// Destroy: say before the prompt what destroy cannot do.
		s := r.kind.newModel()
		resp.Diagnostics.Append(req.State.Get(ctx, s)...)
		if !resp.Diagnostics.HasError() {
			summary := "Destroy only forgets the " + r.kind.noun
			if r.kind.stop != nil && !isTerminalStatus(s.run().Status.ValueString()) {
				summary = "Destroy stops the " + r.kind.noun
			}
			resp.Diagnostics.AddWarning(summary, leftInAWSDetail(ctx, r.kind, s))
		}
		return
	}
	// Creates too: what the arguments point at must be in the provider's region.
	resp.Diagnostics.Append(checkPlacement(ctx, req.Config, r.data, r.kind.placement...)...)
	p := r.kind.newModel()
	pf, pr := p.fields(), p.run()
	creating := req.State.Raw.IsNull()
	if creating {
		// A create plans only tags_all here: decoding and encoding the whole
		// plan would cost more than the rest of planning the job.
		resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("tags"), &pf.Tags)...)
	} else {
		resp.Diagnostics.Append(req.Plan.Get(ctx, p)...)
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
		s := r.kind.newModel()
		resp.Diagnostics.Append(req.State.Get(ctx, s)...)
		if resp.Diagnostics.HasError() {
			return
		}
		sr, sname := s.run(), s.name().ValueString()
		nameAttr, prefixAttr := r.kind.nameAttribute, r.kind.prefixAttribute()
		var configName types.String
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(nameAttr), &configName)...)

		status := sr.Status.ValueString()
		replacing := immutableArgumentsDiffer(p, s)
		if status == statusCreateFailed && !replacing {
			// A failed job is finished for good; like a tainted resource it is
			// replaced, so that the configuration gets a job that ran.
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("status"))
			resp.Diagnostics.AddWarning("Failed "+r.kind.noun+" will be replaced",
				fmt.Sprintf(r.kind.phrased("%s %s ended in CREATE FAILED (%s). This plan replaces it with a new job; the failed job's record stays in AWS."),
					capitalize(r.kind.noun), s.arn().ValueString(), sr.FailureReason.ValueString()))
			replacing = true
		}
		if replacing && !configName.IsNull() && configName.ValueString() == sname {
			// Applying this would forget the job and then fail to create its
			// successor, leaving nothing in state: refuse it while the job is still there.
			fix := fmt.Sprintf("Change %s, or replace it with %s = %q so that every replacement gets a new generated name.", nameAttr, prefixAttr, sname+"-")
			var configPrefix types.String
			resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(prefixAttr), &configPrefix)...)
			if !configPrefix.IsNull() {
				// What -generate-config-out writes for a job named from a prefix.
				fix = fmt.Sprintf(r.kind.phrased("Remove the %s line: %s = %q then generates a new name for the new job."), nameAttr, prefixAttr, configPrefix.ValueString())
			}
			resp.Diagnostics.AddAttributeError(path.Root(nameAttr), r.kind.phrased("Replacement cannot reuse a job name"),
				fmt.Sprintf(r.kind.phrased("This plan would replace %s %q (%s) with a new job of the same name, but a job name is taken for ever in an account and region, "+
					"even after Terraform forgets the job, so the new job could never be created. %s "+
					"Nothing was changed: the job stays in state."),
					r.kind.noun, sname, s.arn().ValueString(), fix))
			return
		}
		if replacing && status != statusCreateFailed {
			resp.Diagnostics.AddWarning("Replacement leaves the old "+r.kind.noun+" in AWS", leftInAWSDetail(ctx, r.kind, s))
			warnOutputOverwritten(ctx, r.kind.noun, s, p, &resp.Diagnostics)
		}
		if !replacing && !isTerminalStatus(status) && pf.WaitForCompletion.ValueBool() {
			// The job was left running (wait_for_completion = false, a timeout or
			// an interrupted apply): plan an in-place update whose apply waits.
			pr.Status = types.StringUnknown()
			pr.LastUpdatedDateTime = timetypes.NewRFC3339Unknown()
			pr.FailureReason = types.StringUnknown()
			if f, ok := p.(finishing); ok {
				f.unknownUntilFinished()
			}
		}
	}

	resp.Diagnostics.Append(resp.Plan.Set(ctx, p)...)
}

func (r *jobResource[J, In]) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	conn := r.data.client(&resp.Diagnostics)
	p := r.kind.newModel()
	resp.Diagnostics.Append(req.Plan.Get(ctx, p)...)
	if resp.Diagnostics.HasError() {
		return
	}
	pf, name := p.fields(), p.name()
	timeout, d := pf.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}

	prefix := ""
	if name.IsUnknown() || name.IsNull() {
		prefix, *name = p.namePrefix().ValueString(), types.StringNull()
	}
	tagsAll, d := tagsFromMap(ctx, pf.TagsAll)
	resp.Diagnostics.Append(d...)
	input, d := createRequest(ctx, r.kind, p, tagsAll)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}

	waitCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var jobARN string
	var adopted bool
	if prefix != "" {
		jobARN, adopted, d = submitGeneratedJob(waitCtx, ctx, r.kind, r.data, conn, input, prefix, timeout)
	} else {
		jobARN, adopted, d = submitJob(waitCtx, ctx, r.kind, r.data, conn, input, timeout, nil, false)
	}
	resp.Diagnostics.Append(refusalsAt(req.Plan.Raw, d)...)
	if resp.Diagnostics.HasError() {
		return
	}
	*name = types.StringValue(r.kind.request(input).name())
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
				fmt.Sprintf(r.kind.phrased("The job name %q belongs to %s, the job this configuration had before a destroy or a replacement (-replace, taint). "+
					"A job name can never be used again in an account and region, so no new job can run under it: Terraform manages that same job again, "+
					"with the planned arguments, and nothing ran again. To run a new job, change %s, or use %s so that every replacement gets a new name."),
					name.ValueString(), jobARN, r.kind.nameAttribute, r.kind.prefixAttribute()))
		} else {
			resp.Diagnostics.AddWarning("Adopted an existing "+r.kind.noun,
				fmt.Sprintf("%s %q (%s) already existed with the planned name and arguments, submitted by an apply that was interrupted or killed, "+
					"or by an earlier attempt of this create whose answer was lost: Terraform now manages that job instead of starting another.",
					capitalize(r.kind.noun), name.ValueString(), jobARN))
		}
		if err == nil {
			err = updateTags(waitCtx, conn, jobARN, tagPolicyOf(r.data).withoutIgnored(current), tagsAll)
		}
		if err != nil {
			resp.Diagnostics.AddWarning(r.kind.phrased("Tags of the adopted job not updated"),
				fmt.Sprintf(r.kind.phrased("The job %s was adopted but its tags could not be set (%s); the next apply sets them."), jobARN, err))
		}
	}

	until := jobVisible
	if pf.WaitForCompletion.ValueBool() {
		until = jobFinished
		tflog.Info(ctx, "waiting for "+r.kind.noun+" to finish", map[string]any{"timeout": timeout.String()})
	}
	job, err := waitSubmitted(waitCtx, r.kind, r.data, conn, jobARN, input, adopted, until)
	if job == nil && waitCtx.Err() != nil {
		job = lastLook(ctx, r.kind, conn, jobARN)
	}
	job = r.describedIfFinished(waitCtx, p, conn, job, err)
	// An error for a wait cut short would taint the resource and make the
	// next apply start a second job; the job is in state, so a warning and a
	// resume suffice.
	r.recordWait(ctx, waitCtx, p, job, err, &resp.State, resp.Identity, "timeouts.create", timeout, false, &resp.Diagnostics)
}

// lastLookTimeout bounds the look lastLook takes after a wait was cut short.
const lastLookTimeout = 5 * time.Second

// lastLook describes a job whose wait was cut short (a timeout ran out,
// Terraform was interrupted) before it saw the job, typically amid the
// first Describe: a few seconds more put the job's status in state, where
// the next refresh would otherwise fill in nulls. nil when the look fails.
func lastLook[J, In any](ctx context.Context, k *jobKind[J, In], conn *personalize.Client, arn string) *J {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), lastLookTimeout)
	defer cancel()
	job, err := findJob(ctx, k, conn, arn)
	if err != nil {
		tflog.Debug(ctx, "describing the "+k.noun+" after its wait was cut short failed; the next refresh reads it", map[string]any{"error": err.Error()})
		return nil
	}
	return job
}

// recordWait puts the job a wait ended with into m and the new state, and
// reports how the wait ended: a job that failed is an error, a wait cut
// short (err) is an error when stoppedIsError, and a warning otherwise.
func (r *jobResource[J, In]) recordWait(ctx, waitCtx context.Context, m jobModel[J, In], job *J, err error, state *tfsdk.State, identity *tfsdk.ResourceIdentity,
	timeoutName string, timeout time.Duration, stoppedIsError bool, diags *diag.Diagnostics) {
	recordJob(ctx, m, job, diags)
	diags.Append(state.Set(ctx, m)...)
	setIdentity(ctx, r.kind, identity, *m.arn(), diags)
	if err != nil {
		summary := "Stopped waiting for the " + r.kind.noun
		detail := stoppedWaitingDetail(ctx, waitCtx, err, r.kind.noun, m.arn().ValueString(), m.run().Status.ValueString(), timeoutName, timeout)
		if stoppedIsError {
			diags.AddError(summary, detail)
		} else {
			diags.AddWarning(summary, detail)
		}
		return
	}
	addFailure(r.kind, job, diags)
}

// describedIfFinished is a job a wait ended with, described once more when
// it finished and its model reports what only Describe tells of a finished
// job (see finishing): the wait may have seen it finish in a List summary.
// When Describe fails, the job stays as the wait saw it, and Read describes
// it again.
func (r *jobResource[J, In]) describedIfFinished(ctx context.Context, m jobModel[J, In], conn *personalize.Client, job *J, waitErr error) *J {
	if _, ok := m.(finishing); !ok || job == nil || waitErr != nil || !isTerminalStatus(r.kind.view(job).Status) {
		return job
	}
	described, err := findJob(ctx, r.kind, conn, r.kind.view(job).ARN)
	if err != nil {
		tflog.Warn(ctx, "describing the finished "+r.kind.noun+" failed; the next refresh reads it", map[string]any{"error": err.Error()})
		return job
	}
	return described
}

// createRequest is the create request of the job m plans, with tags.
func createRequest[J, In any](ctx context.Context, k *jobKind[J, In], m jobModel[J, In], tags map[string]string) (*In, diag.Diagnostics) {
	input, diags := m.expand(ctx)
	if !diags.HasError() {
		*k.request(input).Tags = toAPITags(tags)
	}
	return input, diags
}

// recordJob puts what the service reports about a job into m. When the job
// was never seen (an apply interrupted right after submitting), the computed
// attributes are recorded as null and the next refresh fills them in.
func recordJob[J, In any](ctx context.Context, m jobModel[J, In], job *J, diags *diag.Diagnostics) {
	if job != nil {
		diags.Append(m.Flatten(ctx, job)...)
		m.fields().ID = *m.arn()
		return
	}
	m.nullUnseen()
}

func (r *jobResource[J, In]) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	conn := r.data.client(&resp.Diagnostics)
	s := r.kind.newModel()
	resp.Diagnostics.Append(req.State.Get(ctx, s)...)
	if resp.Diagnostics.HasError() {
		return
	}
	jobARN := s.arn().ValueString()
	// A finished job never changes again, only its tags can: its description
	// is already in state, and ListTagsForResource alone tells both whether
	// the job still exists and whether its tags drifted.
	var job *J
	var err error
	if f, ok := s.(finishing); !isTerminalStatus(s.run().Status.ValueString()) || (ok && f.missingFinished()) {
		job, err = findJob(ctx, r.kind, conn, jobARN)
	}
	var apiTags map[string]string
	var recorded bool
	readingTags := err == nil
	if readingTags {
		apiTags, recorded, err = listJobTags(ctx, conn, jobARN)
	}
	var rnf *awstypes.ResourceNotFoundException
	if isNotFound(err) || errors.As(err, &rnf) {
		resp.Diagnostics.AddWarning(capitalize(r.kind.noun)+" no longer exists",
			fmt.Sprintf(r.kind.phrased("%s %s was not found in AWS, so it is removed from the Terraform state; the next apply creates a new job. "+
				"(Jobs cannot be deleted, so check that the provider's region and account are the ones that ran it.)"), capitalize(r.kind.noun), jobARN))
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
	if _, generated := prefixOfGeneratedName(s.name().ValueString()); generated && !recorded {
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
		resp.Diagnostics.Append(resp.State.Set(ctx, s)...)
	}
	setIdentity(ctx, r.kind, resp.Identity, *s.arn(), &resp.Diagnostics)
}

// refreshJob puts a described job and the tags the service reports for it
// into m, keeping m's own tags apart from default_tags: what Read, import
// and the list resource all make of a job.
func refreshJob[J, In any](ctx context.Context, m jobModel[J, In], job *J, apiTags map[string]string, policy tagPolicy) diag.Diagnostics {
	// A nil job is a finished one whose description m already holds.
	var diags diag.Diagnostics
	if job != nil {
		diags = m.Flatten(ctx, job)
	}
	f := m.fields()
	f.ID = *m.arn()
	// A generated name brings its prefix along, for a type whose ARN does
	// not end in the name, so that import cannot derive it.
	if prefix := m.namePrefix(); prefix.IsNull() || prefix.IsUnknown() {
		if generatedFrom, ok := prefixOfGeneratedName(m.name().ValueString()); ok {
			*prefix = types.StringValue(generatedFrom)
		}
	}
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

func (r *jobResource[J, In]) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	conn := r.data.client(&resp.Diagnostics)
	p, s := r.kind.newModel(), r.kind.newModel()
	resp.Diagnostics.Append(req.Plan.Get(ctx, p)...)
	resp.Diagnostics.Append(req.State.Get(ctx, s)...)
	if resp.Diagnostics.HasError() {
		return
	}
	pf, sf, pr, sr := p.fields(), s.fields(), p.run(), s.run()
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

	if !pr.Status.IsUnknown() {
		// Nothing to wait for: wait_for_completion, timeouts and tags change
		// without touching the job.
		resp.Diagnostics.Append(resp.State.Set(ctx, p)...)
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
	tflog.Info(ctx, "resuming the wait for "+r.kind.noun, map[string]any{"status": sr.Status.ValueString(), "timeout": timeout.String()})
	job, err := waitJob(waitCtx, r.kind, r.data, conn, jobARN, nil, jobFinished)
	job = r.describedIfFinished(waitCtx, p, conn, job, err)
	if job == nil {
		pr.Status, pr.LastUpdatedDateTime, pr.FailureReason = sr.Status, sr.LastUpdatedDateTime, sr.FailureReason
	}
	// Updates do not taint, so an error for a wait cut short is safe here and
	// tells scripts that the job has not finished.
	r.recordWait(ctx, waitCtx, p, job, err, &resp.State, resp.Identity, "timeouts.update", timeout, true, &resp.Diagnostics)
}

// Delete only forgets the job: the API cannot delete one, and stops only
// some (training), which Delete does first.
func (r *jobResource[J, In]) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	s := r.kind.newModel()
	resp.Diagnostics.Append(req.State.Get(ctx, s)...)
	if resp.Diagnostics.HasError() {
		return
	}
	status := s.run().Status.ValueString()
	connected := r.data != nil && r.data.Client != nil
	stopping := r.kind.stop != nil && !isTerminalStatus(status) && connected
	if stopping {
		if err := r.kind.stop(ctx, r.data.Client, s.arn().ValueString()); err != nil {
			resp.Diagnostics.AddError(errorSummary("Cannot stop "+r.kind.noun, err),
				fmt.Sprintf(r.kind.phrased("%s %s is %s and could not be stopped: %s. Nothing was changed: the job stays in state; apply again to retry."),
					capitalize(r.kind.noun), s.arn().ValueString(), strings.ToLower(statusOrUnknown(status)), err))
			return
		}
	}
	// A job let go of (stopped or not) is never adopted again by a create
	// of the same generated name (a re-create after destroy, a replacement).
	if connected {
		markRecorded(ctx, r.data.Client, s.arn().ValueString())
	}
	if stopping {
		resp.Diagnostics.AddWarning(capitalize(r.kind.noun)+" stopped",
			fmt.Sprintf("%s was %s: it was stopped and removed from the state; its record and name stay in AWS.", s.arn().ValueString(), statusOrUnknown(status)))
		return
	}
	// The plan said in full what stays in AWS; this only confirms it.
	stays := r.kind.phrased("the job and its name stay")
	if _, ok := s.(jobOutput); ok {
		stays = "the job, its name and its output stay"
	}
	detail := fmt.Sprintf("%s was removed from the state only: %s in AWS.", s.arn().ValueString(), stays)
	if !isTerminalStatus(status) {
		detail += fmt.Sprintf(" It is %s and keeps running.", strings.ToLower(statusOrUnknown(status)))
	}
	resp.Diagnostics.AddWarning(capitalize(r.kind.noun)+" left in AWS", detail)
}

func (r *jobResource[J, In]) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := req.ID
	if id == "" && req.Identity != nil {
		var identity types.String
		resp.Diagnostics.Append(req.Identity.GetAttribute(ctx, path.Root(r.kind.arnAttribute), &identity)...)
		id = identity.ValueString()
	}
	if !r.kind.arnRegexp.MatchString(id) {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf(r.kind.phrased("%q is not a %s ARN. Import with the job's ARN, "+
				"arn:<partition>:personalize:<region>:<account>:%s, for example %s."), id, r.kind.noun, r.kind.arnForm(), r.kind.arnExample()))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(r.kind.arnAttribute), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("wait_for_completion"), true)...)
	// A generated name brings its prefix along, so that importing into a
	// job_name_prefix configuration plans no replacement.
	if prefix, ok := prefixOfGeneratedName(id[strings.LastIndex(id, "/")+1:]); ok {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(r.kind.prefixAttribute()), prefix)...)
	}
	setIdentity(ctx, r.kind, resp.Identity, types.StringValue(id), &resp.Diagnostics)
}
