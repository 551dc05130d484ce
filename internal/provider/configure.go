package provider

import (
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	awspersonalize "github.com/aws/aws-sdk-go-v2/service/personalize"
	awsbase "github.com/hashicorp/aws-sdk-go-base/v2"
	basediag "github.com/hashicorp/aws-sdk-go-base/v2/diag"
	basevalidation "github.com/hashicorp/aws-sdk-go-base/v2/validation"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/personalize"
)

const credentialsHelp = "Provide credentials in one of these ways:\n" +
	"  * access_key and secret_key in the provider block;\n" +
	"  * the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY environment variables;\n" +
	"  * a profile in the shared config and credentials files (profile, AWS_PROFILE), including SSO and credential_process profiles;\n" +
	"  * assume_role_with_web_identity, or AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE;\n" +
	"  * a container or EC2 instance role.\n" +
	"With the local emulator any non-empty access_key and secret_key will do."

// buildProviderData turns the settings into an AWS configuration and a
// Personalize client. It calls STS only when credentials are validated, the
// account ID is requested, or a role is assumed.
func buildProviderData(ctx context.Context, s settings) (*personalize.ProviderData, diag.Diagnostics) {
	var diags diag.Diagnostics

	diags.Append(checkEndpointEnvironment(s)...)
	diags.Append(checkCABundle(s)...)
	if diags.HasError() {
		return nil, diags
	}

	ctx = s.secrets.maskRoot(ctx)
	base := s.base
	base.Logger = maskingLogger{secrets: s.secrets}
	// When the provider's logger emits nothing at all (Terraform discards
	// plugin logs), aws-sdk-go-base need not break every request and
	// response down into log fields, and nothing needs masking per call.
	logsOff := !tflog.IsError(ctx)
	base.SuppressDebugLog = logsOff
	// Validation happens once, below, in the same STS call that finds the
	// account ID; GetAwsConfig would otherwise make that call a second time.
	base.SkipCredsValidation = true
	backoff := newRetryBackoff()
	base.Backoff = backoff

	tflog.Debug(ctx, "Resolving AWS configuration", map[string]any{
		"region_from_config":   s.base.Region != "",
		"profile":              s.base.Profile,
		"assume_role_count":    len(s.base.AssumeRole),
		"web_identity":         s.base.AssumeRoleWithWebIdentity != nil,
		"personalize_endpoint": s.personalizeEndpoint,
		"sts_endpoint":         s.base.StsEndpoint,
	})
	ctx, awsCfg, baseDiags := awsbase.GetAwsConfig(ctx, &base)
	diags.Append(s.convert(baseDiags, "")...)
	if diags.HasError() {
		return nil, diags
	}

	// Credentials now resolved (from any source) are masked too.
	secrets := s.secrets
	if creds, err := awsCfg.Credentials.Retrieve(ctx); err == nil {
		secrets = secrets.with(creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken)
		ctx = secrets.maskRoot(ctx)
		base.Logger = maskingLogger{secrets: secrets}
	}
	s.secrets = secrets

	diags.Append(checkRegion(s, awsCfg.Region)...)
	if diags.HasError() {
		return nil, diags
	}

	base.SkipCredsValidation = s.base.SkipCredsValidation
	accountID, _, baseDiags := awsbase.GetAwsAccountIDAndPartition(ctx, awsCfg, &base)
	diags.Append(s.convert(baseDiags, "Retrieving the AWS account ID: ")...)
	if diags.HasError() {
		return nil, diags
	}

	client := awspersonalize.NewFromConfig(awsCfg, func(o *awspersonalize.Options) {
		if s.personalizeEndpoint != "" {
			o.BaseEndpoint = aws.String(s.personalizeEndpoint)
		}
		if !logsOff {
			o.APIOptions = append(o.APIOptions, withRequestLogging(secrets, awsCfg.Credentials))
		}
	}, personalize.ReportUnreachableEndpoint(endpointSetting(s.personalizeEndpoint, "endpoints.personalize", "AWS_ENDPOINT_URL_PERSONALIZE"), backoff.dead.forget))
	tflog.Info(ctx, "Configured the Amazon Personalize client", map[string]any{
		"region":     awsCfg.Region,
		"account_id": accountID,
	})

	return &personalize.ProviderData{
		Client:               client,
		Region:               awsCfg.Region,
		AccountID:            accountID,
		DefaultTags:          s.defaultTags,
		IgnoreTagKeys:        s.ignoreTagKeys,
		IgnoreTagKeyPrefixes: s.ignoreTagKeyPrefixes,
	}, diags
}

// checkEndpointEnvironment checks the endpoint environment variables the SDK
// would use; a value in the endpoints block was checked by its validator.
func checkEndpointEnvironment(s settings) diag.Diagnostics {
	var diags diag.Diagnostics
	check := func(name string) {
		if v := os.Getenv(name); v != "" {
			if err := checkEndpointURL(v); err != nil {
				diags.AddError("Invalid endpoint in the environment",
					fmt.Sprintf("Environment variable %s %q: %s. Fix or unset the variable, or set the endpoint in the provider's endpoints block.", name, v, err))
			}
		}
	}
	if os.Getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") == "true" {
		return diags
	}
	if s.personalizeEndpoint == "" {
		check("AWS_ENDPOINT_URL_PERSONALIZE")
	}
	if s.base.StsEndpoint == "" {
		check("AWS_ENDPOINT_URL_STS")
	}
	if s.personalizeEndpoint == "" || s.base.StsEndpoint == "" {
		check("AWS_ENDPOINT_URL")
	}
	return diags
}

// checkCABundle reads the CA bundle up front so that a bad file is reported
// against the setting that named it, rather than as an SDK loading error.
// It looks for one certificate block and leaves parsing them to the SDK,
// which does it anyway: parsing a system bundle of a hundred and more
// certificates twice was most of the cost of configuring the provider, in
// every provider process Terraform starts.
func checkCABundle(s settings) diag.Diagnostics {
	var diags diag.Diagnostics
	file, source := s.base.CustomCABundle, "custom_ca_bundle"
	if file == "" {
		file, source = os.Getenv("AWS_CA_BUNDLE"), "environment variable AWS_CA_BUNDLE"
	}
	if file == "" {
		return diags
	}
	report := func(problem string) {
		detail := fmt.Sprintf("%s %q: %s. Point it at a readable PEM file of CA certificates, or remove it to trust the system's CAs.", source, file, problem)
		if s.base.CustomCABundle != "" {
			diags.AddAttributeError(path.Root("custom_ca_bundle"), "Unusable custom_ca_bundle", detail)
		} else {
			diags.AddError("Unusable AWS_CA_BUNDLE", detail)
		}
	}
	bundle, err := os.ReadFile(expandPath(file))
	if err != nil {
		report(fmt.Sprintf("cannot be read (%v)", errors.Unwrap(err)))
		return diags
	}
	if !hasPEMCertificate(bundle) {
		report("contains no PEM certificates")
	}
	return diags
}

func hasPEMCertificate(b []byte) bool {
	for {
		var block *pem.Block
		if block, b = pem.Decode(b); block == nil {
			return false
		}
		if block.Type == "CERTIFICATE" {
			return true
		}
	}
}

// expandPath expands environment variables and a leading ~ as aws-sdk-go-base
// does for file settings.
func expandPath(p string) string {
	p = os.ExpandEnv(p)
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			p = filepath.Join(home, p[1:])
		}
	}
	return p
}

func expandPaths(in []string) []string {
	out := make([]string, len(in))
	for i, p := range in {
		out[i] = expandPath(p)
	}
	return out
}

func checkRegion(s settings, region string) diag.Diagnostics {
	var diags diag.Diagnostics
	addError := func(summary, detail string) {
		if s.base.Region != "" {
			diags.AddAttributeError(path.Root("region"), summary, detail)
		} else {
			diags.AddError(summary, detail)
		}
	}
	if region == "" {
		addError("No AWS Region configured",
			"The provider needs an AWS Region. Set region in the provider block (e.g. region = \"us-east-1\"), "+
				"or the AWS_REGION environment variable, or region in the shared config profile.")
		return diags
	}
	if !s.skipRegionValidation {
		if err := basevalidation.SupportedRegion(region); err != nil {
			source := "region"
			if s.base.Region == "" {
				source = "the Region from the environment or shared config"
			}
			addError("Invalid AWS Region",
				fmt.Sprintf("%s %q is not an AWS Region this provider knows — use a Region such as us-east-1, "+
					"or set skip_region_validation = true for a new or private Region or an AWS-compatible endpoint.", source, region))
		}
	}
	return diags
}

// convert turns aws-sdk-go-base diagnostics into framework ones, pointing
// the common failures at the setting to fix and scrubbing credential values.
func (s settings) convert(in basediag.Diagnostics, prefix string) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, d := range in {
		summary, detail := prefix+d.Summary(), d.Detail()
		var err error
		if de, ok := d.(basediag.DiagnosticWithErr); ok {
			err = de.Err()
		}

		var profileErr awsconfig.SharedConfigProfileNotExistError
		var loadErr awsconfig.SharedConfigLoadError
		switch {
		case d.Severity() == basediag.SeverityWarning:
			diags.AddWarning(s.secrets.redact(summary), s.secrets.redact(detail))
			continue
		case errors.As(err, &profileErr):
			msg := fmt.Sprintf("Profile %q was not found in the shared config and credentials files (%s). "+
				"Check the profile name, shared_config_files and shared_credentials_files (or AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE).",
				profileErr.Profile, strings.Join(s.sharedFiles(), ", "))
			if s.base.Profile != "" {
				diags.AddAttributeError(path.Root("profile"), "Unknown AWS profile", s.secrets.redact(msg))
			} else {
				diags.AddError("Unknown AWS profile", s.secrets.redact(msg+" The profile name came from the AWS_PROFILE environment variable."))
			}
			continue
		case errors.As(err, &loadErr):
			msg := s.secrets.redact(fmt.Sprintf(
				"%s cannot be read (%v). Fix the file or its permissions, or leave it out of shared_config_files and shared_credentials_files "+
					"(or AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE).", loadErr.Filename, errors.Unwrap(loadErr.Err)))
			switch {
			case slices.Contains(expandPaths(s.base.SharedConfigFiles), loadErr.Filename):
				diags.AddAttributeError(path.Root("shared_config_files"), "Unreadable shared config file", msg)
			case slices.Contains(expandPaths(s.base.SharedCredentialsFiles), loadErr.Filename):
				diags.AddAttributeError(path.Root("shared_credentials_files"), "Unreadable shared credentials file", msg)
			default:
				diags.AddError("Unreadable shared config file", msg)
			}
			continue
		case awsbase.IsNoValidCredentialSourcesError(d):
			summary = "No AWS credentials found"
			detail = credentialsHelp + "\n\nThe AWS SDK reported: " + errorText(err, detail)
		case awsbase.IsCannotAssumeRoleError(d) && connectFailed(err):
			f, _ := personalize.FindConnectFailure(err)
			summary = "Cannot reach the STS endpoint"
			detail = s.stsUnreachableDetail(f, "assumes the role of assume_role through STS", "", err)
		case awsbase.IsCannotAssumeRoleError(d):
			detail += "\nCheck assume_role.role_arn, the role's trust policy, and the credentials used to assume it."
		case errorContains(err, "validating provider credentials") && connectFailed(err):
			f, _ := personalize.FindConnectFailure(err)
			summary = "Cannot reach the STS endpoint"
			detail = s.stsUnreachableDetail(f, "checks the credentials with STS GetCallerIdentity, which also finds the account ID",
				"skip_credentials_validation = true and skip_requesting_account_id = true", err)
		case errorContains(err, "AWS account ID not previously found"):
			summary = "Cannot find the AWS account ID"
			detail = s.accountIDLookupDetail(err)
		case errorContains(err, "validating provider credentials"):
			summary = "Invalid AWS credentials"
			detail = "STS GetCallerIdentity did not accept the credentials: " + err.Error() +
				"\n\nCheck access_key, secret_key, token or profile (or the AWS_* environment variables), and endpoints.sts. " +
				"For an endpoint without STS, set skip_credentials_validation = true and skip_requesting_account_id = true."
		case err != nil && detail == "":
			// aws-sdk-go-base puts a plain error in the summary.
			summary, detail = strings.TrimSuffix(prefix, ": "), err.Error()
			if summary == "" {
				summary = "Cannot configure the AWS SDK"
			}
		}
		diags.AddError(s.secrets.redact(summary), s.secrets.redact(detail))
	}
	return diags
}

// sharedFiles lists the shared config and credentials files the SDK reads,
// for messages about a profile it did not find there.
func (s settings) sharedFiles() []string {
	files := func(configured []string, env, fallback string) []string {
		if len(configured) > 0 {
			return configured
		}
		if v := os.Getenv(env); v != "" {
			return []string{v}
		}
		return []string{fallback}
	}
	return append(files(s.base.SharedConfigFiles, "AWS_CONFIG_FILE", "~/.aws/config"),
		files(s.base.SharedCredentialsFiles, "AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials")...)
}

func errorText(err error, fallback string) string {
	if err != nil {
		return err.Error()
	}
	return fallback
}

func connectFailed(err error) bool {
	_, ok := personalize.FindConnectFailure(err)
	return ok
}

func errorContains(err error, text string) bool {
	return err != nil && strings.Contains(err.Error(), text)
}
