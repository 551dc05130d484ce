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

var (
	_ resource.Resource                   = &batchInferenceJobResource{}
	_ resource.ResourceWithConfigure      = &batchInferenceJobResource{}
	_ resource.ResourceWithValidateConfig = &batchInferenceJobResource{}
	_ resource.ResourceWithModifyPlan     = &batchInferenceJobResource{}
	_ resource.ResourceWithImportState    = &batchInferenceJobResource{}
	_ resource.ResourceWithIdentity       = &batchInferenceJobResource{}
)

// NewBatchInferenceJobResource returns the personalize_batch_inference_job resource.
func NewBatchInferenceJobResource() resource.Resource {
	return &batchInferenceJobResource{}
}

type batchInferenceJobResource struct {
	data *ProviderData
}

type batchInferenceJobResourceModel struct {
	BatchInferenceJobAttributes
	ID                types.String   `tfsdk:"id"`
	JobNamePrefix     types.String   `tfsdk:"job_name_prefix"`
	Tags              types.Map      `tfsdk:"tags"`
	TagsAll           types.Map      `tfsdk:"tags_all"`
	Timeouts          timeouts.Value `tfsdk:"timeouts"`
	WaitForCompletion types.Bool     `tfsdk:"wait_for_completion"`
}

var (
	// How long a create that failed in a way that leaves its outcome unknown
	// (a 5xx or a broken connection) looks for the job it may have made.
	ambiguousCreateLookup = 30 * time.Second
	// How long a create refused with ResourceAlreadyExistsException looks for
	// the job holding the name, which may not be visible yet.
	existingJobLookup = 2 * time.Minute
)

func (r *batchInferenceJobResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_batch_inference_job"
}

func (r *batchInferenceJobResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// IdentitySchema gives the job an identity (its ARN) for import blocks by
// identity and for list results on Terraform 1.12 and later.
func (r *batchInferenceJobResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"batch_inference_job_arn": identityschema.StringAttribute{
				Description:       "The ARN of the batch inference job.",
				RequiredForImport: true,
			},
		},
	}
}

// BatchInferenceJobIdentityModel is the resource identity; the list resource
// returns it for each job it finds.
type BatchInferenceJobIdentityModel struct {
	ARN types.String `tfsdk:"batch_inference_job_arn"`
}

// setIdentity records the job's ARN as its identity, when Terraform keeps one.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, arn types.String, diags *diag.Diagnostics) {
	if identity == nil || arn.IsNull() || arn.IsUnknown() {
		return
	}
	diags.Append(identity.Set(ctx, BatchInferenceJobIdentityModel{ARN: arn})...)
}

// ValidateConfig checks the rules that tie several arguments together.
func (r *batchInferenceJobResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var mode, name, prefix types.String
	var theme, config types.Object
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("batch_inference_job_mode"), &mode)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("theme_generation_config"), &theme)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("batch_inference_job_config"), &config)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("job_name"), &name)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("job_name_prefix"), &prefix)...)
	if resp.Diagnostics.HasError() {
		return
	}

	// Exactly one of job_name and job_name_prefix, as
	// resourcevalidator.ExactlyOneOf words it; that validator matches path
	// expressions against the whole configuration, which cost more than all
	// the other checks of a job together.
	const exactlyOneName = "Exactly one of these attributes must be configured: [job_name,job_name_prefix]"
	switch {
	case !name.IsNull() && !name.IsUnknown() && !prefix.IsNull() && !prefix.IsUnknown():
		resp.Diagnostics.AddAttributeError(path.Root("job_name"), "Invalid Attribute Combination", exactlyOneName)
	case name.IsNull() && prefix.IsNull():
		resp.Diagnostics.AddError("Missing Attribute Configuration", exactlyOneName)
	}

	if !mode.IsUnknown() && !theme.IsUnknown() {
		themeMode := mode.ValueString() == jobModeThemeGeneration
		switch {
		case themeMode && theme.IsNull():
			resp.Diagnostics.AddAttributeError(path.Root("theme_generation_config"), "Missing theme_generation_config",
				`batch_inference_job_mode = "THEME_GENERATION" needs theme_generation_config = { fields_for_theme_generation = { item_name = "<Items column with the item name>" } }: add it, or use batch_inference_job_mode = "BATCH_INFERENCE".`)
		case !themeMode && !theme.IsNull():
			current := mode.ValueString()
			if mode.IsNull() {
				current = jobModeBatchInference + " (the default)"
			}
			resp.Diagnostics.AddAttributeError(path.Root("theme_generation_config"), "theme_generation_config needs THEME_GENERATION mode",
				fmt.Sprintf(`theme_generation_config is only accepted with batch_inference_job_mode = "THEME_GENERATION", but the mode is %s: set the mode to "THEME_GENERATION" or remove theme_generation_config.`, current))
		}
	}

	if !config.IsNull() && !config.IsUnknown() {
		attrs := config.Attributes()
		if attrs["item_exploration_config"].IsNull() && attrs["ranking_influence"].IsNull() {
			resp.Diagnostics.AddAttributeError(path.Root("batch_inference_job_config"), "Empty batch_inference_job_config",
				"batch_inference_job_config sets neither item_exploration_config nor ranking_influence: set one of them, or remove batch_inference_job_config to use the service's defaults.")
		}
	}
}

// immutableArgumentsDiffer reports whether the plan replaces the job, the
// same decision the attributes' RequiresReplace modifiers make, which
// ModifyPlan does not get to see.
func immutableArgumentsDiffer(plan, state *batchInferenceJobResourceModel) bool {
	p, s := plan.BatchInferenceJobAttributes, state.BatchInferenceJobAttributes
	return !p.BatchInferenceJobConfig.Equal(s.BatchInferenceJobConfig) ||
		!p.BatchInferenceJobMode.Equal(s.BatchInferenceJobMode) ||
		!p.FilterARN.Equal(s.FilterARN) ||
		!p.JobInput.Equal(s.JobInput) ||
		!p.JobName.Equal(s.JobName) ||
		!plan.JobNamePrefix.Equal(state.JobNamePrefix) ||
		!p.JobOutput.Equal(s.JobOutput) ||
		!p.NumResults.Equal(s.NumResults) ||
		!p.RoleARN.Equal(s.RoleARN) ||
		!p.SolutionVersionARN.Equal(s.SolutionVersionARN) ||
		!p.ThemeGenerationConfig.Equal(s.ThemeGenerationConfig)
}

func (r *batchInferenceJobResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy: nothing to plan, Delete explains what stays behind
	}
	var plan batchInferenceJobResourceModel
	creating := req.State.Raw.IsNull()
	if creating {
		// A create plans only tags_all here: decoding and encoding the whole
		// plan would cost more than the rest of planning the job.
		resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("tags"), &plan.Tags)...)
	} else {
		resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}

	// tags_all is known at plan time, so the plan shows default_tags changes.
	if plan.Tags.IsUnknown() || r.data == nil {
		plan.TagsAll = types.MapUnknown(types.StringType)
	} else {
		tags, d := tagsFromMap(ctx, plan.Tags)
		resp.Diagnostics.Append(d...)
		all := tagPolicyOf(r.data).all(tags)
		if len(all) > maxTagsPerResource {
			resp.Diagnostics.AddAttributeError(path.Root("tags"), "Too many tags",
				fmt.Sprintf("tags and the provider's default_tags together give the job %d tags; a batch inference job can have at most %d: remove some tags or default_tags.", len(all), maxTagsPerResource))
		}
		plan.TagsAll = tagsAllValue(all)
	}

	if !req.State.Raw.IsNull() {
		var state batchInferenceJobResourceModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		var configName types.String
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("job_name"), &configName)...)

		status := state.Status.ValueString()
		replacing := immutableArgumentsDiffer(&plan, &state)
		if status == StatusCreateFailed && !replacing {
			// A failed job is finished for good; like a tainted resource it is
			// replaced, so that the configuration gets a job that ran.
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("status"))
			resp.Diagnostics.AddWarning("Failed batch inference job will be replaced",
				fmt.Sprintf("Batch inference job %s ended in CREATE FAILED (%s). This plan replaces it with a new job; the failed job's record stays in AWS.",
					state.BatchInferenceJobARN.ValueString(), state.FailureReason.ValueString()))
			replacing = true
		}
		if replacing && !configName.IsNull() && configName.Equal(state.JobName) {
			resp.Diagnostics.AddAttributeWarning(path.Root("job_name"), "Replacement reuses a job name",
				fmt.Sprintf("This plan replaces batch inference job %q with a new job of the same name, but a job name is taken for ever in an account and region, "+
					"even after Terraform forgets the job: the create will fail with ResourceAlreadyExistsException. "+
					"Change job_name, or replace it with job_name_prefix = %q so that every replacement gets a new generated name.",
					state.JobName.ValueString(), state.JobName.ValueString()+"-"))
		}
		if !replacing && !IsTerminalStatus(status) && plan.WaitForCompletion.ValueBool() {
			// The job was left running (wait_for_completion = false, a timeout or
			// an interrupted apply): plan an in-place update whose apply waits.
			plan.Status = types.StringUnknown()
			plan.LastUpdatedDateTime = timetypes.NewRFC3339Unknown()
			plan.FailureReason = types.StringUnknown()
		}
	}

	if creating {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("tags_all"), plan.TagsAll)...)
		return
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (r *batchInferenceJobResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	conn := r.data.client(&resp.Diagnostics)
	var plan batchInferenceJobResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := plan.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}

	if plan.JobName.IsUnknown() || plan.JobName.IsNull() {
		plan.JobName = types.StringValue(generateJobName(plan.JobNamePrefix.ValueString(), time.Now()))
	}
	input, d := expandCreateBatchInferenceJobInput(ctx, &plan.BatchInferenceJobAttributes)
	resp.Diagnostics.Append(d...)
	tagsAll, d := tagsFromMap(ctx, plan.TagsAll)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	input.Tags = toAPITags(tagsAll)

	waitCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	jobARN, adopted, d := r.submit(waitCtx, ctx, conn, input, timeout)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx = tflog.SetField(ctx, "batch_inference_job_arn", jobARN)
	plan.ID = types.StringValue(jobARN)
	plan.BatchInferenceJobARN = types.StringValue(jobARN)

	if adopted {
		// The job came from an earlier attempt of this create, or holds the
		// name already; either way its tags must end up as planned.
		current, err := listTags(waitCtx, conn, jobARN)
		if err == nil {
			err = updateTags(waitCtx, conn, jobARN, tagPolicyOf(r.data).withoutIgnored(current), tagsAll)
		}
		if err != nil {
			resp.Diagnostics.AddWarning("Tags of the adopted job not updated",
				fmt.Sprintf("The job %s was adopted but its tags could not be set (%s); the next apply sets them.", jobARN, err))
		}
	}

	until := jobVisible
	if plan.WaitForCompletion.ValueBool() {
		until = jobFinished
		tflog.Info(ctx, "waiting for batch inference job to finish", map[string]any{"timeout": timeout.String()})
	}
	job, err := waitBatchInferenceJob(waitCtx, conn, jobARN, until)
	r.recordJob(ctx, &plan, job, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setIdentity(ctx, resp.Identity, plan.BatchInferenceJobARN, &resp.Diagnostics)

	switch {
	case err != nil:
		// An error here would taint the resource and make the next apply start
		// a second job; the job is in state, so a warning and a resume suffice.
		resp.Diagnostics.AddWarning("Stopped waiting for the batch inference job",
			stoppedWaitingDetail(ctx, waitCtx, err, &plan, "timeouts.create", timeout))
	case aws.ToString(job.Status) == StatusCreateFailed:
		resp.Diagnostics.AddError("Batch inference job failed", failedDetail(job))
	}
}

// recordJob puts what the service reports about a job into m. When the job
// was never seen (an apply interrupted right after submitting), the computed
// attributes are recorded as null and the next refresh fills them in.
func (r *batchInferenceJobResource) recordJob(ctx context.Context, m *batchInferenceJobResourceModel, job *awstypes.BatchInferenceJob, diags *diag.Diagnostics) {
	if job != nil {
		diags.Append(m.Flatten(ctx, job)...)
		m.ID = m.BatchInferenceJobARN
		return
	}
	if m.BatchInferenceJobConfig.IsUnknown() {
		m.BatchInferenceJobConfig = types.ObjectNull(BatchInferenceJobConfigAttrTypes)
	}
	if m.NumResults.IsUnknown() {
		m.NumResults = types.Int64Null()
	}
	if m.CreationDateTime.IsUnknown() {
		m.CreationDateTime = timetypes.NewRFC3339Null()
	}
	if m.LastUpdatedDateTime.IsUnknown() {
		m.LastUpdatedDateTime = timetypes.NewRFC3339Null()
	}
	if m.Status.IsUnknown() {
		m.Status = types.StringNull()
	}
	if m.FailureReason.IsUnknown() {
		m.FailureReason = types.StringNull()
	}
}

func failedDetail(job *awstypes.BatchInferenceJob) string {
	return fmt.Sprintf("Batch inference job %s ended in CREATE FAILED: %q. Fix the cause (input and output paths, the role's permissions, the solution version) and apply again: "+
		"the failed job stays in AWS for ever, so the next apply replaces it with a new job (use job_name_prefix, or change job_name, since the old name stays taken).",
		aws.ToString(job.BatchInferenceJobArn), aws.ToString(job.FailureReason))
}

// stoppedWaitingDetail explains a wait that ended before the job did and how
// the next apply picks it up again.
func stoppedWaitingDetail(ctx, waitCtx context.Context, err error, m *batchInferenceJobResourceModel, timeoutName string, timeout time.Duration) string {
	var why string
	switch {
	case ctx.Err() != nil:
		why = "Terraform was interrupted"
	case waitCtx.Err() != nil:
		why = fmt.Sprintf("%s (%s) ran out", timeoutName, timeout)
	default:
		why = fmt.Sprintf("describing the job failed: %s", err)
	}
	status := m.Status.ValueString()
	if status == "" {
		status = "not yet visible"
	}
	return fmt.Sprintf("%s while batch inference job %s was %s. The job keeps running in AWS and is saved in the Terraform state: "+
		"the next apply waits for it again instead of starting another job (that wait is bounded by timeouts.update: raise timeouts.update if the job needs longer, or set wait_for_completion = false to stop waiting).",
		why, m.BatchInferenceJobARN.ValueString(), status)
}

// submit creates the job, queueing while the account is at its running-job
// quota, and returns its ARN. adopted is true when the job already existed
// under the planned name with the planned arguments, which is what a create
// whose response was lost and then retried runs into.
func (r *batchInferenceJobResource) submit(ctx, outer context.Context, conn *personalize.Client, input *personalize.CreateBatchInferenceJobInput, timeout time.Duration) (string, bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	name := aws.ToString(input.JobName)
	queuedSince := time.Time{}
	for {
		out, err := conn.CreateBatchInferenceJob(ctx, input, withoutQuotaRetries)
		if err == nil {
			if !queuedSince.IsZero() {
				tflog.Info(ctx, "batch inference job left the queue", map[string]any{"job_name": name, "queued_for": time.Since(queuedSince).Round(time.Second).String()})
			}
			return aws.ToString(out.BatchInferenceJobArn), false, nil
		}

		var limit *awstypes.LimitExceededException
		var exists *awstypes.ResourceAlreadyExistsException
		switch {
		case errors.As(err, &limit):
			if queuedSince.IsZero() {
				queuedSince = time.Now()
				tflog.Info(ctx, "batch inference job queued: the account's limit of running jobs is reached; create is retried until a job finishes",
					map[string]any{"job_name": name, "message": limit.ErrorMessage()})
			} else {
				tflog.Debug(ctx, "batch inference job still queued", map[string]any{"job_name": name, "queued_for": time.Since(queuedSince).Round(time.Second).String()})
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
				diags.AddError("Batch inference job still queued",
					fmt.Sprintf("%s while job %q waited for a free slot: the account is at its quota of running batch inference jobs (%s). No job was created. "+
						"Apply again once running jobs finish, raise timeouts.create, or ask AWS for a higher quota.", why, name, limit.ErrorMessage()))
				return "", false, diags
			}

		case errors.As(err, &exists):
			return r.adopt(ctx, conn, input, err, existingJobLookup)

		case createOutcomeUnknown(err):
			tflog.Warn(ctx, "create failed without a clear answer; looking for the job it may have made", map[string]any{"job_name": name, "error": err.Error()})
			return r.adopt(ctx, conn, input, err, ambiguousCreateLookup)

		default:
			diags.AddError("Cannot create batch inference job", fmt.Sprintf("Creating batch inference job %q: %s", name, err))
			return "", false, diags
		}
	}
}

// adopt looks for the job named in input and takes it over when it has the
// planned arguments. cause is the error the create got; lookup bounds the
// search, since a new job can take a moment to become visible.
func (r *batchInferenceJobResource) adopt(ctx context.Context, conn *personalize.Client, input *personalize.CreateBatchInferenceJobInput, cause error, lookup time.Duration) (string, bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	name := aws.ToString(input.JobName)
	jobARN, err := r.jobARN(input)
	if err != nil {
		diags.AddError("Cannot create batch inference job", fmt.Sprintf("Creating batch inference job %q: %s (and its ARN cannot be worked out to look for it: %s)", name, cause, err))
		return "", false, diags
	}
	lookupCtx, cancel := context.WithTimeout(ctx, lookup)
	defer cancel()
	job, err := waitBatchInferenceJob(lookupCtx, conn, jobARN, jobVisible)
	if job == nil {
		var exists *awstypes.ResourceAlreadyExistsException
		if errors.As(cause, &exists) {
			diags.AddAttributeError(path.Root("job_name"), "Job name already taken",
				fmt.Sprintf("A batch inference job named %q already exists (%s), but %s could not be described (%v). Job names are unique for ever in an account and region: "+
					"choose another job_name, or use job_name_prefix to generate one.", name, cause, jobARN, err))
		} else {
			diags.AddError("Cannot create batch inference job", fmt.Sprintf("Creating batch inference job %q: %s (no job of that name appeared afterwards)", name, cause))
		}
		return "", false, diags
	}
	if diffs := jobArgumentDifferences(input, job); len(diffs) > 0 {
		diags.AddAttributeError(path.Root("job_name"), "Job name already taken",
			fmt.Sprintf("Job name %q already belongs to %s, a batch inference job with different arguments: %s. "+
				"Job names are unique for ever in an account and region, even for jobs Terraform no longer manages: choose another job_name, "+
				"or use job_name_prefix to generate one; to manage the existing job, import it instead.",
				name, jobARN, strings.Join(diffs, "; ")))
		return "", false, diags
	}
	tflog.Info(ctx, "adopting the existing batch inference job of the planned name and arguments (an earlier attempt of this create made it)",
		map[string]any{"batch_inference_job_arn": jobARN, "create_error": cause.Error()})
	return jobARN, true, nil
}

// jobARN is the ARN the service gives a job named in input, in the client's
// region and the solution version's partition; the account is the caller's,
// or the solution version's when the provider skips looking it up.
func (r *batchInferenceJobResource) jobARN(input *personalize.CreateBatchInferenceJobInput) (string, error) {
	sv, err := arn.Parse(aws.ToString(input.SolutionVersionArn))
	if err != nil {
		return "", fmt.Errorf("solution_version_arn: %w", err)
	}
	region, account := sv.Region, sv.AccountID
	if r.data != nil && r.data.Region != "" {
		region = r.data.Region
	}
	if r.data != nil && r.data.AccountID != "" {
		account = r.data.AccountID
	}
	return batchInferenceJobARN(sv.Partition, region, account, aws.ToString(input.JobName)), nil
}

// createOutcomeUnknown reports whether a failed create may nonetheless have
// made the job: server faults and transport errors, as opposed to the
// service's definite refusals.
func createOutcomeUnknown(err error) bool {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorFault() != smithy.FaultClient
	}
	return !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
}

// withoutQuotaRetries stops the SDK from retrying LimitExceededException
// itself: its quick retries would spend the retry budget in seconds, while a
// queued job waits for minutes; submit retries it on its own schedule.
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

func (r *batchInferenceJobResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	conn := r.data.client(&resp.Diagnostics)
	var state batchInferenceJobResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	jobARN := state.BatchInferenceJobARN.ValueString()
	// A finished job never changes again, only its tags can: its description
	// is already in state, and ListTagsForResource alone tells both whether
	// the job still exists and whether its tags drifted.
	var job *awstypes.BatchInferenceJob
	var err error
	if !IsTerminalStatus(state.Status.ValueString()) {
		job, err = FindBatchInferenceJobByARN(ctx, conn, jobARN)
	}
	var apiTags map[string]string
	readingTags := err == nil
	if readingTags {
		apiTags, err = listTags(ctx, conn, jobARN)
	}
	var rnf *awstypes.ResourceNotFoundException
	if IsNotFound(err) || errors.As(err, &rnf) {
		resp.Diagnostics.AddWarning("Batch inference job no longer exists",
			fmt.Sprintf("Batch inference job %s was not found in AWS, so it is removed from the Terraform state; the next apply creates a new job. "+
				"(Jobs cannot be deleted, so check that the provider's region and account are the ones that ran it.)", jobARN))
		// The framework wants an identity even for a resource being dropped.
		setIdentity(ctx, resp.Identity, state.BatchInferenceJobARN, &resp.Diagnostics)
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		summary := "Cannot read batch inference job"
		if readingTags {
			summary += " tags"
		}
		resp.Diagnostics.AddError(summary, err.Error())
		return
	}
	prior := state
	resp.Diagnostics.Append(state.refresh(ctx, job, apiTags, tagPolicyOf(r.data))...)
	// resp.State starts as the prior state: when nothing changed there is
	// nothing to encode.
	if job != nil || !state.Tags.Equal(prior.Tags) || !state.TagsAll.Equal(prior.TagsAll) || !state.ID.Equal(prior.ID) || !state.WaitForCompletion.Equal(prior.WaitForCompletion) {
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	}
	setIdentity(ctx, resp.Identity, state.BatchInferenceJobARN, &resp.Diagnostics)
}

// refresh puts a described job and the tags the service reports for it into
// m, keeping m's own tags apart from default_tags: what Read, import and the
// list resource all make of a job.
func (m *batchInferenceJobResourceModel) refresh(ctx context.Context, job *awstypes.BatchInferenceJob, apiTags map[string]string, policy tagPolicy) diag.Diagnostics {
	// A nil job is a finished one whose description m already holds.
	var diags diag.Diagnostics
	if job != nil {
		diags = m.Flatten(ctx, job)
	}
	m.ID = m.BatchInferenceJobARN
	all := policy.withoutIgnored(apiTags)
	prior, d := tagsFromMap(ctx, m.Tags)
	diags.Append(d...)
	m.Tags = tagsValue(policy.resourceTags(all, prior), m.Tags)
	m.TagsAll = tagsAllValue(all)
	// An imported or listed job has no value for this yet; it takes its
	// default, which is what a configuration that leaves it out plans.
	if m.WaitForCompletion.IsNull() {
		m.WaitForCompletion = types.BoolValue(true)
	}
	return diags
}

func (r *batchInferenceJobResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	conn := r.data.client(&resp.Diagnostics)
	var plan, state batchInferenceJobResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	jobARN := state.BatchInferenceJobARN.ValueString()
	ctx = tflog.SetField(ctx, "batch_inference_job_arn", jobARN)

	if !plan.TagsAll.Equal(state.TagsAll) {
		oldTags, d := tagsFromMap(ctx, state.TagsAll)
		resp.Diagnostics.Append(d...)
		newTags, d := tagsFromMap(ctx, plan.TagsAll)
		resp.Diagnostics.Append(d...)
		if resp.Diagnostics.HasError() {
			return
		}
		if !maps.Equal(oldTags, newTags) {
			if err := updateTags(ctx, conn, jobARN, oldTags, newTags); err != nil {
				resp.Diagnostics.AddError("Cannot update batch inference job tags", err.Error())
				return
			}
		}
	}

	if !plan.Status.IsUnknown() {
		// Nothing to wait for: wait_for_completion, timeouts and tags change
		// without touching the job.
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		setIdentity(ctx, resp.Identity, plan.BatchInferenceJobARN, &resp.Diagnostics)
		return
	}

	timeout, d := plan.Timeouts.Update(ctx, defaultUpdateTimeout)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	waitCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tflog.Info(ctx, "resuming the wait for batch inference job", map[string]any{"status": state.Status.ValueString(), "timeout": timeout.String()})
	job, err := waitBatchInferenceJob(waitCtx, conn, jobARN, jobFinished)
	if job == nil {
		plan.Status, plan.LastUpdatedDateTime, plan.FailureReason = state.Status, state.LastUpdatedDateTime, state.FailureReason
	}
	r.recordJob(ctx, &plan, job, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setIdentity(ctx, resp.Identity, plan.BatchInferenceJobARN, &resp.Diagnostics)

	switch {
	case err != nil:
		// Updates do not taint, so an error is safe here and tells scripts
		// that the job has not finished.
		resp.Diagnostics.AddError("Stopped waiting for the batch inference job",
			stoppedWaitingDetail(ctx, waitCtx, err, &plan, "timeouts.update", timeout))
	case aws.ToString(job.Status) == StatusCreateFailed:
		resp.Diagnostics.AddError("Batch inference job failed", failedDetail(job))
	}
}

// Delete only forgets the job: the API can neither delete nor stop one.
func (r *batchInferenceJobResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state batchInferenceJobResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	detail := fmt.Sprintf("Amazon Personalize cannot delete or stop batch inference jobs, so %s was only removed from the Terraform state. "+
		"Its record stays in AWS for ever (its name cannot be used again), and its output stays in %s until you delete it.",
		state.BatchInferenceJobARN.ValueString(), outputPath(ctx, &state))
	if status := state.Status.ValueString(); !IsTerminalStatus(status) {
		detail += fmt.Sprintf(" The job was still %s: it keeps running and writing output.", strings.ToLower(statusOrUnknown(status)))
	}
	resp.Diagnostics.AddWarning("Batch inference job left in AWS", detail)
}

func statusOrUnknown(s string) string {
	if s == "" {
		return "in an unknown state"
	}
	return s
}

func outputPath(ctx context.Context, m *batchInferenceJobResourceModel) string {
	var out BatchInferenceJobOutputModel
	var s3 S3DataConfigModel
	if m.JobOutput.IsNull() || m.JobOutput.IsUnknown() || m.JobOutput.As(ctx, &out, basetypes.ObjectAsOptions{}).HasError() ||
		out.S3DataDestination.IsNull() || out.S3DataDestination.As(ctx, &s3, basetypes.ObjectAsOptions{}).HasError() {
		return "the job's output path"
	}
	return s3.Path.ValueString()
}

func (r *batchInferenceJobResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := req.ID
	if id == "" && req.Identity != nil {
		var identity BatchInferenceJobIdentityModel
		resp.Diagnostics.Append(req.Identity.Get(ctx, &identity)...)
		id = identity.ARN.ValueString()
	}
	if !jobARNRegexp.MatchString(id) {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("%q is not a batch inference job ARN. Import with the job's ARN, "+
				"arn:<partition>:personalize:<region>:<account>:batch-inference-job/<job name>, for example "+
				"arn:aws:personalize:us-east-1:123456789012:batch-inference-job/weekly-recs.", id))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("batch_inference_job_arn"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("wait_for_completion"), true)...)
	setIdentity(ctx, resp.Identity, types.StringValue(id), &resp.Diagnostics)
}
