package provider

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/personalize"
)

// refusedRetryDelays space the retries of a refused connection. Nothing
// listens at the endpoint, which waiting rarely changes unless the endpoint
// is restarting (a local emulator, a proxy): such a call is retried quickly
// for about 8 s and then given up, instead of on the schedule meant for
// throttling and server faults, whose 25 attempts up to 20 s apart made a
// dead endpoint take minutes to report.
var refusedRetryDelays = []time.Duration{
	250 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second, 2 * time.Second, 2 * time.Second,
}

// deadEndpointMemory is how long an endpoint that refused every attempt of
// a call gets no retries: the calls after it (the other reads of a refresh,
// the next way of finding the account ID) fail at once instead of each
// waiting out its own retries. A call that connects is never affected, and
// one that connects to Personalize ends the memory: an endpoint that
// restarted (an emulator, a proxy) is back.
const deadEndpointMemory = time.Minute

// retryBackoff is the delay between the SDK's attempts, for every client
// the provider builds (Personalize, and STS and IAM while configuring):
// the SDK's own exponential backoff, except for refused connections.
type retryBackoff struct {
	other retry.BackoffDelayer
	dead  *deadEndpoints
}

func newRetryBackoff() retryBackoff {
	return retryBackoff{
		other: retry.NewExponentialJitterBackoff(retry.DefaultMaxBackoff),
		dead:  &deadEndpoints{at: map[string]time.Time{}, now: time.Now},
	}
}

func (b retryBackoff) BackoffDelay(attempt int, err error) (time.Duration, error) {
	f, ok := personalize.FindConnectFailure(err)
	if ok && f.Permanent {
		return 0, fmt.Errorf("not retried, since trying again cannot help: %w", err)
	}
	if !ok || !f.Refused {
		return b.other.BackoffDelay(attempt, err)
	}
	if b.dead.recently(f.Endpoint) {
		return 0, fmt.Errorf("connection refused, as on every attempt of an earlier call: %w", err)
	}
	if attempt > len(refusedRetryDelays) {
		b.dead.mark(f.Endpoint)
		return 0, fmt.Errorf("connection refused, given up after %d attempts: %w", attempt, err)
	}
	return refusedRetryDelays[max(attempt, 1)-1], nil
}

// deadEndpoints remembers the endpoints that refused every attempt of a
// call, and when.
type deadEndpoints struct {
	mu  sync.Mutex
	at  map[string]time.Time
	now func() time.Time
}

func (d *deadEndpoints) mark(endpoint string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.at[endpoint] = d.now()
}

// forget ends the memory of every endpoint.
func (d *deadEndpoints) forget() {
	d.mu.Lock()
	defer d.mu.Unlock()
	clear(d.at)
}

func (d *deadEndpoints) recently(endpoint string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	at, ok := d.at[endpoint]
	return ok && d.now().Sub(at) < deadEndpointMemory
}

// endpointSetting names where the endpoint of a service came from: its
// setting in the endpoints block, its own environment variable or
// AWS_ENDPOINT_URL; empty when the SDK uses the Region's own endpoint.
func endpointSetting(configured, block, serviceVariable string) string {
	if configured != "" {
		return block
	}
	if os.Getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") == "true" {
		return ""
	}
	for _, name := range []string{serviceVariable, "AWS_ENDPOINT_URL"} {
		if os.Getenv(name) != "" {
			return name
		}
	}
	return ""
}

// settingPhrase says where a setting lives: in the provider block, or in
// the environment.
func settingPhrase(setting string) string {
	if strings.HasPrefix(setting, "AWS_") {
		return "the environment variable " + setting
	}
	return setting + " in the provider block"
}

// stsUnreachableDetail explains an STS call that could not connect: what the
// provider needed STS for (purpose), where the endpoint came from, and how
// to point it elsewhere or do without it (skip, when that is a way out).
func (s settings) stsUnreachableDetail(f personalize.ConnectFailure, purpose, skip string, err error) string {
	where, point := "the Region's own STS endpoint", "endpoints.sts in the provider block, AWS_ENDPOINT_URL_STS or AWS_ENDPOINT_URL"
	if setting := endpointSetting(s.base.StsEndpoint, "endpoints.sts", "AWS_ENDPOINT_URL_STS"); setting != "" {
		where, point = "the STS endpoint set by "+settingPhrase(setting), setting
	}
	fixes := "  * point " + point + " at an STS endpoint that answers, such as the local emulator;\n"
	if skip != "" {
		fixes += "  * or set " + skip + " to work without STS.\n"
	}
	return fmt.Sprintf("The provider %s, but it cannot reach %s, %s: %s. The request never reached STS.\n\nFix one of:\n%s\n"+
		"The emulator answers STS GetCallerIdentity: AWS_ENDPOINT_URL set to its address sends both Personalize and STS there.\n\n"+
		"The AWS SDK reported: %s",
		purpose, f.Endpoint, where, f.Problem, fixes, err)
}

// accountIDLookupDetail explains an account ID lookup (IAM and STS) that
// failed, naming what each way of finding it ran into.
func (s settings) accountIDLookupDetail(err error) string {
	var b strings.Builder
	b.WriteString("skip_requesting_account_id is not set, so the provider looks up the AWS account ID, through IAM and STS, and every way failed:\n")
	for _, leaf := range leafErrors(err) {
		call := "lookup"
		var opErr *smithy.OperationError
		if errors.As(leaf, &opErr) {
			call = opErr.Service() + " " + opErr.Operation()
		}
		if f, ok := personalize.FindConnectFailure(leaf); ok {
			fmt.Fprintf(&b, "  * %s: cannot reach %s: %s\n", call, f.Endpoint, f.Problem)
		} else {
			fmt.Fprintf(&b, "  * %s: %s\n", call, leaf)
		}
	}
	b.WriteString("\nSet skip_requesting_account_id = true: the provider needs no account ID of its own (where a job's ARN needs one, it takes the solution version's). " +
		"Or point endpoints.sts in the provider block (or the environment variable AWS_ENDPOINT_URL_STS, or AWS_ENDPOINT_URL) at an STS endpoint that answers, " +
		"such as the local emulator.")
	return b.String()
}

// leafErrors lists the errors a multi-error holds (the account ID lookup
// gathers one per way it tried), or err itself.
func leafErrors(err error) []error {
	var multi interface{ WrappedErrors() []error }
	if errors.As(err, &multi) {
		return multi.WrappedErrors()
	}
	var joined interface{ Unwrap() []error }
	if errors.As(err, &joined) {
		return joined.Unwrap()
	}
	return []error{err}
}
