package personalize

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// A request that could not connect to its endpoint never reached the
// service: what failed is the address (nothing listens there, the name does
// not resolve), not the service. Such a failure is told apart here, once,
// for the retries, for the outcome of a create and for what the user reads.

// ConnectFailure is a request's failure to connect to its endpoint.
type ConnectFailure struct {
	// Endpoint is the scheme and host tried, such as http://127.0.0.1:4599.
	Endpoint string
	// Problem says what went wrong, in a few words.
	Problem string
	// Refused is set when nothing listens at the endpoint: the connection
	// was refused.
	Refused bool
	// Permanent is set when trying again cannot help: the endpoint's scheme
	// or certificate is wrong, which Problem says how to fix.
	Permanent bool
}

// FindConnectFailure reports whether err is (or wraps) a failure to connect
// to the endpoint, which the request never left this machine for. A
// connection reset or a timeout after connecting is not one: that request
// may have reached the service.
func FindConnectFailure(err error) (ConnectFailure, bool) {
	if f, ok := findHandshakeFailure(err); ok {
		return f, true
	}
	var opErr *net.OpError
	if !errors.As(err, &opErr) || opErr.Op != "dial" {
		return ConnectFailure{}, false
	}
	f := ConnectFailure{Endpoint: endpointOf(err, opErr)}
	var dnsErr *net.DNSError
	switch {
	case errors.Is(opErr, syscall.ECONNREFUSED) || strings.Contains(opErr.Err.Error(), "refused"):
		// Windows reports a refusal as WSAECONNREFUSED, which is not
		// syscall.ECONNREFUSED there; its message says "actively refused".
		f.Refused, f.Problem = true, "nothing answers there (connection refused)"
	case errors.As(opErr, &dnsErr) && dnsErr.IsNotFound:
		f.Problem = fmt.Sprintf("its host name %s does not resolve (no such host)", dnsErr.Name)
	case errors.As(opErr, &dnsErr):
		f.Problem = fmt.Sprintf("its host name %s could not be looked up (%s)", dnsErr.Name, dnsErr.Err)
	case opErr.Timeout():
		f.Problem = "connecting to it timed out"
	default:
		f.Problem = "connecting to it failed: " + opErr.Err.Error()
	}
	return f, true
}

// findHandshakeFailure reports a TLS handshake that failed, which never
// sent the request either: an https:// endpoint that answers plain HTTP
// (the local emulator does), or a certificate this machine does not trust.
func findHandshakeFailure(err error) (ConnectFailure, bool) {
	var urlErr *url.Error
	if !errors.As(err, &urlErr) {
		return ConnectFailure{}, false
	}
	endpoint := urlErr.URL
	if u, perr := url.Parse(urlErr.URL); perr == nil && u.Host != "" {
		endpoint = u.Scheme + "://" + u.Host
	}
	var certErr *tls.CertificateVerificationError
	switch {
	case strings.Contains(urlErr.Err.Error(), "server gave HTTP response to HTTPS client"):
		return ConnectFailure{Endpoint: endpoint, Permanent: true,
			Problem: "it answers plain HTTP, not HTTPS: write the endpoint with http:// (" + strings.Replace(endpoint, "https://", "http://", 1) + "), as the local emulator needs"}, true
	case errors.As(err, &certErr):
		return ConnectFailure{Endpoint: endpoint, Permanent: true,
			Problem: fmt.Sprintf("its TLS certificate is not trusted (%s): set custom_ca_bundle (or AWS_CA_BUNDLE) to the certificate of the authority that signed it", certErr.Err)}, true
	}
	return ConnectFailure{}, false
}

// endpointOf is the scheme and host a request went to, from the URL the
// HTTP client reports, or else the address dialled.
func endpointOf(err error, opErr *net.OpError) string {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		if u, perr := url.Parse(urlErr.URL); perr == nil && u.Host != "" {
			return u.Scheme + "://" + u.Host
		}
	}
	if opErr.Addr != nil {
		return opErr.Addr.String()
	}
	return "the endpoint"
}

// EndpointUnreachableError is the error of a Personalize call that never
// reached the service: every attempt failed to connect to the endpoint.
type EndpointUnreachableError struct {
	ConnectFailure
	// Setting is where the endpoint came from: a provider setting
	// (endpoints.personalize) or an environment variable
	// (AWS_ENDPOINT_URL_PERSONALIZE); empty for the Region's own endpoint.
	Setting  string
	Attempts int
	Elapsed  time.Duration
	Err      error
}

func (e *EndpointUnreachableError) Unwrap() error { return e.Err }

func (e *EndpointUnreachableError) Error() string {
	tries := fmt.Sprintf("tried %d times over %s", e.Attempts, e.Elapsed.Round(100*time.Millisecond))
	if e.Attempts == 1 {
		tries = "tried once"
	}
	where := "the Region's own"
	fix := "Check this machine's network, DNS and proxy settings (http_proxy, HTTPS_PROXY), " +
		"or set endpoints.personalize (or AWS_ENDPOINT_URL_PERSONALIZE) to reach the service another way."
	if e.Setting != "" {
		setting := e.Setting + " in the provider block"
		if strings.HasPrefix(e.Setting, "AWS_") {
			setting = "the environment variable " + e.Setting
		}
		where = "set by " + setting
		fix = fmt.Sprintf("Start the service there (for the local emulator: make emulator, or personalize-emulator --listen %s), "+
			"or point %s at an endpoint that is running.", strings.TrimPrefix(strings.TrimPrefix(e.Endpoint, "http://"), "https://"), e.Setting)
	}
	if e.Permanent {
		fix = "" // the problem says how to fix it
	}
	return strings.TrimSpace(fmt.Sprintf("cannot reach the Personalize endpoint %s, %s: %s; %s, so the request never reached the service. %s",
		e.Endpoint, where, e.Problem, tries, fix))
}

// errorSummary is the summary of an error diagnostic about err: summary,
// unless no attempt reached the service, when what failed is the endpoint
// rather than what the call was about.
func errorSummary(summary string, err error) string {
	if neverReachedService(err) {
		return "Cannot reach the Personalize endpoint"
	}
	return summary
}

// unanswered reports whether a call got no answer from the service: no
// attempt connected, or the last one's connection broke before a response
// came (an endpoint stopped or restarted mid-request). Whether the request
// reached the service is unknown then, which does not matter for a read:
// it can be made again.
func unanswered(err error) bool {
	var sendErr *smithyhttp.RequestSendError
	return neverReachedService(err) || errors.As(err, &sendErr)
}

// neverReachedService reports whether a call failed without any of its
// attempts reaching the service.
func neverReachedService(err error) bool {
	var unreachable *EndpointUnreachableError
	return errors.As(err, &unreachable)
}

// ReportUnreachableEndpoint makes a call whose every attempt failed to
// connect fail with an *EndpointUnreachableError, which names the endpoint,
// where it was set (setting, empty for the Region's own endpoint) and the
// fix. A call of which any attempt connected keeps its error: that attempt
// may have reached the service. connected, when not nil, hears of every call
// that reached the endpoint, answered or not by the service.
func ReportUnreachableEndpoint(setting string, connected func()) func(*personalize.Options) {
	return func(o *personalize.Options) {
		o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
			return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("PersonalizeUnreachableEndpoint",
				func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
					start := time.Now()
					out, md, err := next.HandleInitialize(ctx, in)
					if err != nil {
						if failure, attempts, unreachable := noAttemptConnected(md); unreachable {
							return out, md, &EndpointUnreachableError{ConnectFailure: failure, Setting: setting,
								Attempts: attempts, Elapsed: time.Since(start), Err: err}
						}
					}
					if connected != nil {
						connected()
					}
					return out, md, err
				}), middleware.Before)
		})
	}
}

// noAttemptConnected reports whether every attempt of a call failed to
// connect, from the attempts the SDK's retries recorded, with the last
// failure and the number of attempts.
func noAttemptConnected(md middleware.Metadata) (ConnectFailure, int, bool) {
	results, ok := retry.GetAttemptResults(md)
	if !ok || len(results.Results) == 0 {
		return ConnectFailure{}, 0, false
	}
	var failure ConnectFailure
	for _, r := range results.Results {
		if failure, ok = FindConnectFailure(r.Err); !ok {
			return ConnectFailure{}, 0, false
		}
	}
	return failure, len(results.Results), true
}
