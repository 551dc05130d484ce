package provider

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go/middleware"
	awslogging "github.com/hashicorp/aws-sdk-go-base/v2/logging"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// sdkLogSubsystem is the tflog subsystem of the AWS SDK's request and
// response logs, named as in provider "aws".
const sdkLogSubsystem = "aws-base"

// credentialPatterns find credentials whose values are not known in advance:
// temporary credentials in STS, SSO and container responses, and the web
// identity token in an AssumeRoleWithWebIdentity request body.
// aws-sdk-go-base only masks values shaped like long-term AWS keys.
var credentialPatterns = []*regexp.Regexp{
	regexp.MustCompile(`<(AccessKeyId|SecretAccessKey|SessionToken)>[^<]*</(AccessKeyId|SecretAccessKey|SessionToken)>`),
	regexp.MustCompile(`(?i)"(accessKeyId|secretAccessKey|sessionToken|token|accessToken|refreshToken|clientSecret)"\s*:\s*"[^"]*"`),
	regexp.MustCompile(`WebIdentityToken=[^&\s"]*`),
	regexp.MustCompile(`Credential=[^/,\s"]+`),
}

// secretSet holds the credential values known to the provider, so that logs
// and diagnostics can be scrubbed of them.
type secretSet []string

func (s secretSet) with(values ...string) secretSet {
	out := slices.Clone(s)
	for _, v := range values {
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	// Longest first, so that a secret containing another is replaced whole.
	slices.SortFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

func (s secretSet) redact(text string) string {
	for _, v := range s {
		text = strings.ReplaceAll(text, v, "***")
	}
	for _, re := range credentialPatterns {
		text = re.ReplaceAllString(text, "***")
	}
	return text
}

// maskRoot makes the provider's root logger in ctx mask the secrets.
func (s secretSet) maskRoot(ctx context.Context) context.Context {
	ctx = tflog.MaskLogStrings(ctx, s...)
	return tflog.MaskLogRegexes(ctx, credentialPatterns...)
}

// maskingLogger is the logger handed to aws-sdk-go-base. tflog subsystems do
// not inherit the root logger's masks, so every subsystem it creates gets the
// masks again.
type maskingLogger struct {
	subsystem string // empty for the provider's root logger
	secrets   secretSet
}

var _ awslogging.Logger = maskingLogger{}

func (l maskingLogger) SubLogger(ctx context.Context, name string) (context.Context, awslogging.Logger) {
	ctx = tflog.NewSubsystem(ctx, name, tflog.WithRootFields())
	ctx = tflog.SubsystemMaskLogStrings(ctx, name, l.secrets...)
	ctx = tflog.SubsystemMaskLogRegexes(ctx, name, credentialPatterns...)
	return ctx, maskingLogger{subsystem: name, secrets: l.secrets}
}

func (l maskingLogger) Warn(ctx context.Context, msg string, fields ...map[string]any) {
	if l.subsystem == "" {
		tflog.Warn(ctx, msg, fields...)
		return
	}
	tflog.SubsystemWarn(ctx, l.subsystem, msg, fields...)
}

func (l maskingLogger) Info(ctx context.Context, msg string, fields ...map[string]any) {
	if l.subsystem == "" {
		tflog.Info(ctx, msg, fields...)
		return
	}
	tflog.SubsystemInfo(ctx, l.subsystem, msg, fields...)
}

func (l maskingLogger) Debug(ctx context.Context, msg string, fields ...map[string]any) {
	if l.subsystem == "" {
		tflog.Debug(ctx, msg, fields...)
		return
	}
	tflog.SubsystemDebug(ctx, l.subsystem, msg, fields...)
}

func (l maskingLogger) Trace(ctx context.Context, msg string, fields ...map[string]any) {
	if l.subsystem == "" {
		tflog.Trace(ctx, msg, fields...)
		return
	}
	tflog.SubsystemTrace(ctx, l.subsystem, msg, fields...)
}

func (l maskingLogger) IsDebug(ctx context.Context) bool {
	if l.subsystem == "" {
		return tflog.IsDebug(ctx)
	}
	return tflog.SubsystemIsDebug(ctx, l.subsystem)
}

func (l maskingLogger) SetField(ctx context.Context, key string, value any) context.Context {
	if l.subsystem == "" {
		return tflog.SetField(ctx, key, value)
	}
	return tflog.SubsystemSetField(ctx, l.subsystem, key, value)
}

// withRequestLogging gives every Personalize API call the same masked
// request and response logging that Configure has. aws-sdk-go-base's logging
// middleware (already on the client) writes only to a logger found in the
// call's context, which resources do not register themselves. The
// credentials in use are added to the masks on every call because assumed
// role credentials change as they are renewed.
func withRequestLogging(secrets secretSet, creds aws.CredentialsProvider) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("PersonalizeProviderRequestLogging",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				s := secrets
				if creds != nil {
					if v, err := creds.Retrieve(ctx); err == nil {
						s = s.with(v.AccessKeyID, v.SecretAccessKey, v.SessionToken)
					}
				}
				ctx = s.maskRoot(ctx)
				ctx, logger := maskingLogger{secrets: s}.SubLogger(ctx, sdkLogSubsystem)
				ctx = awslogging.RegisterLogger(ctx, logger)
				return next.HandleInitialize(ctx, in)
			}), middleware.Before)
	}
}
