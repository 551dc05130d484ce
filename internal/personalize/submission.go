// Submission: creating a job, queueing behind the running-job quota, and
// adopting the job a lost or killed create made instead of making another.

package personalize

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/aws/smithy-go"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// How long a create that failed in a way that leaves its outcome unknown
// (a 5xx or a broken connection) looks for the job it may have made. A
// create refused with ResourceAlreadyExistsException looks for the job
// holding the name within the create timeout instead: that job exists, and
// the waiter already bounds how long it may stay invisible
// (visibilityWindow), while describing it can take long under throttling.
var ambiguousCreateLookup = 30 * time.Second

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
	name := k.request(input).name()
	if k.lookup != nil {
		// A service that makes up ARNs may take a second job of the same
		// name: the job an earlier apply submitted and never recorded (it
		// was killed, or lost the answer) is looked for before paying for
		// another.
		jobARN, ours, err := earlierJob(ctx, k, conn, input)
		switch {
		case err != nil:
			// The look goes by the parent, which the service refuses as a
			// create would when it does not exist.
			diags.Append(newRefusedCreate(k.noun, name, err))
			return "", false, diags
		case ours:
			tflog.Info(ctx, "adopting the "+k.noun+" an earlier apply submitted under the planned name", map[string]any{k.arnAttribute: jobARN})
			return jobARN, true, nil
		case jobARN != "" && generated:
			return "", false, nil
		}
	}
	createOptions := []func(*personalize.Options){withoutQuotaRetries}
	if k.lookup != nil {
		// The SDK would retry a create whose answer was lost into a second
		// job where the service takes a name twice: adoptJob looks for the
		// job instead.
		createOptions = append(createOptions, withoutAmbiguousRetries)
	}
	queuedSince := time.Time{}
	for {
		jobARN, err := k.create(ctx, conn, input, createOptions...)
		if err == nil {
			if !queuedSince.IsZero() {
				pd.jobPoller(conn).leftQueue(listerOf(k))
				queuedFor := time.Since(queuedSince).Round(time.Second).String()
				tflog.Info(ctx, k.noun+" left the queue", map[string]any{"job_name": name, "queued_for": queuedFor})
				notify(fmt.Sprintf("%s %q left the queue after %s", capitalize(k.noun), name, queuedFor))
			}
			return jobARN, false, nil
		}

		var limit *awstypes.LimitExceededException
		var inUse *awstypes.ResourceInUseException
		var exists *awstypes.ResourceAlreadyExistsException
		busy := k.oneRunPerParent && errors.As(err, &inUse)
		if busy && queuedSince.IsZero() {
			// The job holding the parent may be the one this create made
			// before its answer was lost (and the SDK retried it). Once
			// queued, no create of this name was ambiguous since: the SDK
			// retries none of this kind's (withoutAmbiguousRetries), so a
			// later look would find the same.
			if jobARN, ours, lookErr := earlierJob(ctx, k, conn, input); lookErr == nil && ours {
				tflog.Info(ctx, "adopting the "+k.noun+" this create made before its answer was lost", map[string]any{k.arnAttribute: jobARN})
				return jobARN, true, nil
			}
		}
		switch {
		case errors.As(err, &limit) || busy:
			if queuedSince.IsZero() {
				queuedSince = time.Now()
				if busy {
					tflog.Info(ctx, k.noun+" queued: its "+k.parentNoun+" runs another job; create is retried until it finishes",
						map[string]any{"job_name": name, "message": inUse.ErrorMessage()})
					notify(fmt.Sprintf("%s %q queued: its %s runs one job at a time (%s); retrying until it is free", capitalize(k.noun), name, k.parentNoun, inUse.ErrorMessage()))
				} else {
					tflog.Info(ctx, k.noun+" queued: the account's limit of running jobs is reached; create is retried until a job finishes",
						map[string]any{"job_name": name, "message": limit.ErrorMessage()})
					notify(fmt.Sprintf("%s %q queued: the account is at its quota of running jobs (%s); retrying until a slot frees", capitalize(k.noun), name, limit.ErrorMessage()))
				}
			} else {
				tflog.Debug(ctx, k.noun+" still queued", map[string]any{"job_name": name, "queued_for": time.Since(queuedSince).Round(time.Second).String()})
			}
			// A slot frees when any running job ends, which the poller sees in
			// its listings (see awaitSlot).
			if !pd.jobPoller(conn).awaitSlot(ctx, listerOf(k), queuedSince) {
				why := fmt.Sprintf("timeouts.create (%s) ran out", timeout)
				if outer.Err() != nil {
					why = "Terraform was interrupted"
				}
				if busy {
					diags.AddError(capitalize(k.noun)+" still queued",
						fmt.Sprintf("%s while %s %q waited for its %s, which runs one job at a time (%s). No %s was created. "+
							"Apply again once that job finishes (or stop it), or raise timeouts.create.", why, k.noun, name, k.parentNoun, inUse.ErrorMessage(), k.noun))
					return "", false, diags
				}
				diags.AddError(capitalize(k.noun)+" still queued",
					fmt.Sprintf("%s while job %q waited for a free slot: the account is at its quota of running %ss (%s). No job was created. "+
						"Apply again once running jobs finish, raise timeouts.create, or ask AWS for a higher quota.", why, name, k.noun, limit.ErrorMessage()))
				return "", false, diags
			}

		case errors.As(err, &exists):
			return adoptJob(ctx, k, pd, conn, input, err, 0, generated)

		case createOutcomeUnknown(err):
			tflog.Warn(ctx, "create failed without a clear answer; looking for the job it may have made", map[string]any{"job_name": name, "error": err.Error()})
			return adoptJob(ctx, k, pd, conn, input, err, ambiguousCreateLookup, generated)

		default:
			diags.Append(newRefusedCreate(k.noun, name, err))
			return "", false, diags
		}
	}
}

// adoptJob looks for the job named in input and takes it over when it has
// the planned arguments. cause is the error the create got; lookup, when not
// zero, bounds the search, since a new job can take a moment to become
// visible and a job the create may not have made should not hold the apply
// for long. A generated
// name held by a job a state holds or held, or by one with other arguments,
// is not adopted: adoptJob returns no ARN and no error, for the next name.
func adoptJob[J, In any](ctx context.Context, k *jobKind[J, In], pd *ProviderData, conn *personalize.Client, input *In, cause error, lookup time.Duration, generated bool) (string, bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	name := k.request(input).name()
	lookupCtx := ctx
	if lookup > 0 {
		var cancel context.CancelFunc
		lookupCtx, cancel = context.WithTimeout(ctx, lookup)
		defer cancel()
	}
	jobARN, err := locateJob(lookupCtx, k, pd, conn, input)
	if err != nil {
		diags.AddError("Cannot create "+k.noun, fmt.Sprintf("Creating %s %q: %s (and the job it may have made cannot be looked for: %s)", k.noun, name, cause, err))
		return "", false, diags
	}
	var job *J
	if jobARN != "" {
		job, err = waitJob(lookupCtx, k, pd, conn, jobARN, nil, jobVisible)
	}
	if job == nil {
		var exists *awstypes.ResourceAlreadyExistsException
		if errors.As(cause, &exists) {
			diags.AddAttributeError(path.Root(k.nameAttribute), "Job name already taken",
				fmt.Sprintf("A %s named %q already exists (%s), but %s could not be described (%v). Job names are unique for ever in an account and region: "+
					"choose another %s, or use %s to generate one.", k.noun, name, cause, jobARN, err, k.nameAttribute, k.prefixAttribute()))
		} else {
			diags.AddError("Cannot create "+k.noun, fmt.Sprintf("Creating %s %q: %s (no job of that name appeared afterwards)", k.noun, name, cause))
		}
		return "", false, diags
	}
	diffs := k.differences(input, job)
	if generated {
		_, recorded, err := listJobTags(ctx, conn, jobARN)
		switch {
		case err != nil:
			diags.AddError("Cannot create "+k.noun, fmt.Sprintf("Creating %s %q: the name is held by %s, and whether a Terraform state holds that job cannot be told: %s", k.noun, name, jobARN, err))
			return "", false, diags
		case recorded || len(diffs) > 0:
			tflog.Debug(ctx, "the generated name is held by a job that is not this one's to adopt", map[string]any{k.arnAttribute: jobARN, "recorded": recorded})
			return "", false, nil
		}
	}
	if len(diffs) > 0 {
		diags.AddAttributeError(path.Root(k.nameAttribute), "Job name already taken",
			fmt.Sprintf("Job name %q already belongs to %s, a %s with different arguments: %s. "+
				"Job names are unique for ever in an account and region, even for jobs Terraform no longer manages: choose another %s, "+
				"or use %s to generate one; to manage the existing job, import it instead.",
				name, jobARN, k.noun, strings.Join(diffs, "; "), k.nameAttribute, k.prefixAttribute()))
		return "", false, diags
	}
	tflog.Info(ctx, "adopting the existing "+k.noun+" of the planned name and arguments (an earlier attempt of this create made it)",
		map[string]any{k.arnAttribute: jobARN, "create_error": cause.Error()})
	return jobARN, true, nil
}

// earlierJob looks once for a job of the name input plans: its ARN ("" when
// there is none), and whether it is this configuration's to adopt, with the
// planned arguments and never recorded by a state (an earlier apply
// submitted it and was killed, or lost the answer).
func earlierJob[J, In any](ctx context.Context, k *jobKind[J, In], conn *personalize.Client, input *In) (string, bool, error) {
	job, err := k.lookup(ctx, conn, input)
	if err != nil || job == nil {
		return "", false, err
	}
	jobARN := k.view(job).ARN
	_, recorded, err := listJobTags(ctx, conn, jobARN)
	if err != nil {
		return "", false, err
	}
	return jobARN, !recorded && len(k.differences(input, job)) == 0, nil
}

// locateJob is the ARN of the job input names: worked out from the name, or
// for a type whose ARNs the service makes up, looked for until it appears
// (within the visibility window); "" when none did.
func locateJob[J, In any](ctx context.Context, k *jobKind[J, In], pd *ProviderData, conn *personalize.Client, input *In) (string, error) {
	if k.lookup == nil {
		return plannedJobARN(k, pd, input)
	}
	start := time.Now()
	for {
		job, err := k.lookup(ctx, conn, input)
		if err != nil {
			return "", err
		}
		if job != nil {
			return k.view(job).ARN, nil
		}
		elapsed := time.Since(start)
		if elapsed >= visibilityWindow || !sleep(ctx, jitter(pollInterval(elapsed))) {
			return "", nil
		}
	}
}

// plannedJobARN is the ARN the service gives a job named in input, in the
// client's region and the parent's partition; the account is the caller's,
// or the parent's when the provider skips looking it up.
func plannedJobARN[J, In any](k *jobKind[J, In], pd *ProviderData, input *In) (string, error) {
	sv, err := arn.Parse(aws.ToString(k.requestFields(input).ParentARN))
	if err != nil {
		return "", fmt.Errorf("%s: %w", k.parentAttribute, err)
	}
	region, account := sv.Region, sv.AccountID
	if pd != nil && pd.Region != "" {
		region = pd.Region
	}
	if pd != nil && pd.AccountID != "" {
		account = pd.AccountID
	}
	return jobARNFor(sv.Partition, region, account, k.arnResource, k.request(input).name()), nil
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
		o.Retryer = notRetried{wrappedRetryer{o.Retryer}, func(err error) bool {
			var limit *awstypes.LimitExceededException
			return errors.As(err, &limit)
		}}
	}
}

// withoutAmbiguousRetries stops the SDK from retrying a create that may
// have made its job (a server fault, a broken connection); throttling, a
// refusal, is still retried.
func withoutAmbiguousRetries(o *personalize.Options) {
	if o.Retryer != nil {
		o.Retryer = notRetried{wrappedRetryer{o.Retryer}, func(err error) bool {
			return createOutcomeUnknown(err) && retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err) != aws.TrueTernary
		}}
	}
}

// notRetried is a retryer that leaves the errors skip picks to the caller.
type notRetried struct {
	wrappedRetryer
	skip func(error) bool
}

func (q notRetried) IsErrorRetryable(err error) bool {
	return !q.skip(err) && q.Retryer.IsErrorRetryable(err)
}

// submitGeneratedJob submits input under the first generation of the names
// prefix gives its arguments that no other job holds, adopting the job of a
// killed apply that holds one (see jobNameFor). The name ends up in input.
func submitGeneratedJob[J, In any](ctx, outer context.Context, k *jobKind[J, In], pd *ProviderData, conn *personalize.Client, input *In, prefix string, timeout time.Duration) (string, bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	claims := pd.nameClaims()
	jobName := k.request(input).JobName
	for g := range maxNameGenerations {
		name, err := jobNameFor(k, input, prefix, g)
		if err != nil {
			diags.AddError("Cannot name "+k.noun, err.Error())
			return "", false, diags
		}
		if !claims.claim(k.arnResource, name) {
			continue // a sibling with the same arguments took it
		}
		*jobName = &name
		jobARN, adopted, d := submitJob(ctx, outer, k, pd, conn, input, timeout, nil, true)
		if jobARN != "" || d.HasError() {
			if jobARN == "" {
				claims.release(k.arnResource, name)
			}
			return jobARN, adopted, d
		}
		tflog.Debug(ctx, "generated job name held by another job; trying the next", map[string]any{"job_name": name, "generation": g})
	}
	diags.AddAttributeError(path.Root(k.prefixAttribute()), "No free job name",
		fmt.Sprintf("The %d names %s %q generates for a %s with these arguments are all held by other jobs: change %s.", maxNameGenerations, k.prefixAttribute(), prefix, k.noun, k.prefixAttribute()))
	return "", false, diags
}

// nameClaims are the generated job names this provider process has
// submitted or adopted, so that two resource instances with the same
// arguments never take the same job.
type nameClaims struct {
	mu    sync.Mutex
	names map[string]bool
}

// claim takes name (with the job kind's ARN resource type) for the caller;
// false when it was taken already.
func (c *nameClaims) claim(arnResource, name string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := arnResource + "/" + name
	if c.names[key] {
		return false
	}
	if c.names == nil {
		c.names = map[string]bool{}
	}
	c.names[key] = true
	return true
}

// release gives a name back, for a create that made no job.
func (c *nameClaims) release(arnResource, name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.names, arnResource+"/"+name)
}
