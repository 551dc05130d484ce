package provider

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsbase "github.com/hashicorp/aws-sdk-go-base/v2"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// defaultMaxAttempts is provider "aws"'s default for max_retries: patient
// enough to ride out throttling, which the SDK's default of 3 is not.
const defaultMaxAttempts = 25

type providerModel struct {
	Region                    types.String `tfsdk:"region"`
	Profile                   types.String `tfsdk:"profile"`
	AccessKey                 types.String `tfsdk:"access_key"`
	SecretKey                 types.String `tfsdk:"secret_key"`
	Token                     types.String `tfsdk:"token"`
	SharedConfigFiles         types.List   `tfsdk:"shared_config_files"`
	SharedCredentialsFiles    types.List   `tfsdk:"shared_credentials_files"`
	AssumeRole                types.List   `tfsdk:"assume_role"`
	AssumeRoleWithWebIdentity types.List   `tfsdk:"assume_role_with_web_identity"`
	Endpoints                 types.List   `tfsdk:"endpoints"`
	MaxRetries                types.Int64  `tfsdk:"max_retries"`
	RetryMode                 types.String `tfsdk:"retry_mode"`
	CustomCABundle            types.String `tfsdk:"custom_ca_bundle"`
	HTTPProxy                 types.String `tfsdk:"http_proxy"`
	Insecure                  types.Bool   `tfsdk:"insecure"`
	SkipCredentialsValidation types.Bool   `tfsdk:"skip_credentials_validation"`
	SkipRequestingAccountID   types.Bool   `tfsdk:"skip_requesting_account_id"`
	SkipRegionValidation      types.Bool   `tfsdk:"skip_region_validation"`
	DefaultTags               types.List   `tfsdk:"default_tags"`
	IgnoreTags                types.List   `tfsdk:"ignore_tags"`
}

type assumeRoleModel struct {
	RoleARN           types.String `tfsdk:"role_arn"`
	SessionName       types.String `tfsdk:"session_name"`
	ExternalID        types.String `tfsdk:"external_id"`
	Duration          types.String `tfsdk:"duration"`
	Policy            types.String `tfsdk:"policy"`
	PolicyARNs        types.Set    `tfsdk:"policy_arns"`
	Tags              types.Map    `tfsdk:"tags"`
	TransitiveTagKeys types.Set    `tfsdk:"transitive_tag_keys"`
	SourceIdentity    types.String `tfsdk:"source_identity"`
}

type webIdentityModel struct {
	RoleARN              types.String `tfsdk:"role_arn"`
	SessionName          types.String `tfsdk:"session_name"`
	WebIdentityToken     types.String `tfsdk:"web_identity_token"`
	WebIdentityTokenFile types.String `tfsdk:"web_identity_token_file"`
	Duration             types.String `tfsdk:"duration"`
	Policy               types.String `tfsdk:"policy"`
	PolicyARNs           types.Set    `tfsdk:"policy_arns"`
}

type endpointsModel struct {
	Personalize types.String `tfsdk:"personalize"`
	STS         types.String `tfsdk:"sts"`
}

type defaultTagsModel struct {
	Tags types.Map `tfsdk:"tags"`
}

type ignoreTagsModel struct {
	Keys        types.Set `tfsdk:"keys"`
	KeyPrefixes types.Set `tfsdk:"key_prefixes"`
}

// settings is the provider configuration in the terms of aws-sdk-go-base.
// Unknown values have become unset on the way, which is what provider "aws"
// does with them: the environment and shared files fill the gap.
type settings struct {
	base                 awsbase.Config
	personalizeEndpoint  string
	defaultTags          map[string]string
	ignoreTagKeys        []string
	ignoreTagKeyPrefixes []string
	skipRegionValidation bool
	secrets              secretSet
}

func (m providerModel) settings(ctx context.Context) (settings, diag.Diagnostics) {
	var diags diag.Diagnostics
	s := settings{
		base: awsbase.Config{
			AccessKey:               str(m.AccessKey),
			SecretKey:               str(m.SecretKey),
			Token:                   str(m.Token),
			Profile:                 str(m.Profile),
			Region:                  str(m.Region),
			CustomCABundle:          str(m.CustomCABundle),
			Insecure:                m.Insecure.ValueBool(),
			RetryMode:               aws.RetryMode(str(m.RetryMode)),
			SkipCredsValidation:     m.SkipCredentialsValidation.ValueBool(),
			SkipRequestingAccountId: m.SkipRequestingAccountID.ValueBool(),
			HTTPProxyMode:           awsbase.HTTPProxyModeLegacy,
			CallerName:              "Personalize provider",
			CallerDocumentationURL:  "https://registry.terraform.io/providers/tfpersonalize/personalize/latest/docs#authentication-and-configuration",
		},
		skipRegionValidation: m.SkipRegionValidation.ValueBool(),
	}
	var d diag.Diagnostics
	s.base.SharedConfigFiles, d = stringElements(ctx, m.SharedConfigFiles)
	diags.Append(d...)
	s.base.SharedCredentialsFiles, d = stringElements(ctx, m.SharedCredentialsFiles)
	diags.Append(d...)

	switch {
	case !m.MaxRetries.IsNull() && !m.MaxRetries.IsUnknown():
		// aws-sdk-go-base reads 0 as "not set"; a single attempt is what 0 retries means.
		s.base.MaxRetries = max(int(m.MaxRetries.ValueInt64()), 1)
	case os.Getenv("AWS_MAX_ATTEMPTS") != "":
		// Left at 0 so that the SDK takes AWS_MAX_ATTEMPTS.
	default:
		s.base.MaxRetries = defaultMaxAttempts
	}

	if !m.HTTPProxy.IsNull() && !m.HTTPProxy.IsUnknown() {
		// An empty string is kept: it switches off a proxy from the environment.
		s.base.HTTPProxy = aws.String(m.HTTPProxy.ValueString())
		if os.Getenv("HTTPS_PROXY") == "" && os.Getenv("https_proxy") == "" {
			// HTTPS requests go through http_proxy too, as in provider "aws";
			// saying so explicitly spares a warning about an https_proxy
			// setting this provider does not have.
			s.base.HTTPSProxy = s.base.HTTPProxy
		}
	}

	roles, d := blocks[assumeRoleModel](ctx, m.AssumeRole)
	diags.Append(d...)
	for i, r := range roles {
		p := path.Root("assume_role").AtListIndex(i)
		if str(r.RoleARN) == "" {
			if len(roles) == 1 {
				diags.AddAttributeWarning(p.AtName("role_arn"), "assume_role without role_arn is ignored",
					"The assume_role block has no role_arn, so no role is assumed. Set role_arn, or remove the block.")
				continue
			}
			diags.AddAttributeError(p.AtName("role_arn"), "Missing role_arn in assume_role",
				fmt.Sprintf("assume_role[%d] has no role_arn, so the role chain cannot be followed. "+
					"Set role_arn to the ARN of the role to assume, e.g. arn:aws:iam::123456789012:role/terraform, or remove the block.", i))
			continue
		}
		ar := awsbase.AssumeRole{
			RoleARN:        str(r.RoleARN),
			SessionName:    str(r.SessionName),
			ExternalID:     str(r.ExternalID),
			Policy:         str(r.Policy),
			SourceIdentity: str(r.SourceIdentity),
		}
		ar.Duration, d = duration(p.AtName("duration"), r.Duration)
		diags.Append(d...)
		ar.PolicyARNs, d = stringElements(ctx, r.PolicyARNs)
		diags.Append(d...)
		ar.Tags, d = stringMap(ctx, r.Tags)
		diags.Append(d...)
		ar.TransitiveTagKeys, d = stringElements(ctx, r.TransitiveTagKeys)
		diags.Append(d...)
		s.base.AssumeRole = append(s.base.AssumeRole, ar)
	}

	webIdentities, d := blocks[webIdentityModel](ctx, m.AssumeRoleWithWebIdentity)
	diags.Append(d...)
	for i, w := range webIdentities {
		p := path.Root("assume_role_with_web_identity").AtListIndex(i)
		wi := &awsbase.AssumeRoleWithWebIdentity{
			RoleARN:              str(w.RoleARN),
			SessionName:          str(w.SessionName),
			WebIdentityToken:     str(w.WebIdentityToken),
			WebIdentityTokenFile: str(w.WebIdentityTokenFile),
			Policy:               str(w.Policy),
		}
		wi.Duration, d = duration(p.AtName("duration"), w.Duration)
		diags.Append(d...)
		wi.PolicyARNs, d = stringElements(ctx, w.PolicyARNs)
		diags.Append(d...)
		s.base.AssumeRoleWithWebIdentity = wi
	}

	endpoints, d := blocks[endpointsModel](ctx, m.Endpoints)
	diags.Append(d...)
	for _, e := range endpoints {
		s.personalizeEndpoint = str(e.Personalize)
		s.base.StsEndpoint = str(e.STS)
	}

	tags, d := blocks[defaultTagsModel](ctx, m.DefaultTags)
	diags.Append(d...)
	for _, t := range tags {
		s.defaultTags, d = stringMap(ctx, t.Tags)
		diags.Append(d...)
	}

	ignore, d := blocks[ignoreTagsModel](ctx, m.IgnoreTags)
	diags.Append(d...)
	for _, t := range ignore {
		s.ignoreTagKeys, d = stringElements(ctx, t.Keys)
		diags.Append(d...)
		s.ignoreTagKeyPrefixes, d = stringElements(ctx, t.KeyPrefixes)
		diags.Append(d...)
	}

	s.secrets = secretSet{}.with(
		s.base.AccessKey, s.base.SecretKey, s.base.Token,
		os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY"), os.Getenv("AWS_SESSION_TOKEN"),
	)
	if wi := s.base.AssumeRoleWithWebIdentity; wi != nil {
		s.secrets = s.secrets.with(wi.WebIdentityToken)
	}
	return s, diags
}

// str reads a string setting; unknown counts as unset, like null and "".
func str(v types.String) string {
	if v.IsNull() || v.IsUnknown() {
		return ""
	}
	return v.ValueString()
}

func duration(p path.Path, v types.String) (time.Duration, diag.Diagnostics) {
	var diags diag.Diagnostics
	if str(v) == "" {
		return 0, diags
	}
	d, err := time.ParseDuration(v.ValueString())
	if err != nil {
		diags.AddAttributeError(p, "Invalid provider setting",
			fmt.Sprintf("%s %q: not a duration — use a number with a unit, e.g. 1h or 90m.", p, v.ValueString()))
	}
	return d, diags
}

type collection interface {
	IsNull() bool
	IsUnknown() bool
	ElementsAs(ctx context.Context, target any, allowUnhandled bool) diag.Diagnostics
}

// stringElements reads a list or set of strings, leaving out unknown and
// empty elements.
func stringElements(ctx context.Context, v collection) ([]string, diag.Diagnostics) {
	if v.IsNull() || v.IsUnknown() {
		return nil, nil
	}
	var elems []types.String
	diags := v.ElementsAs(ctx, &elems, false)
	var out []string
	for _, e := range elems {
		if s := str(e); s != "" {
			out = append(out, s)
		}
	}
	return out, diags
}

// stringMap reads a map of strings, leaving out null and unknown values.
func stringMap(ctx context.Context, v types.Map) (map[string]string, diag.Diagnostics) {
	if v.IsNull() || v.IsUnknown() {
		return nil, nil
	}
	var elems map[string]types.String
	diags := v.ElementsAs(ctx, &elems, false)
	out := make(map[string]string, len(elems))
	for k, e := range elems {
		if e.IsNull() || e.IsUnknown() {
			continue
		}
		out[k] = e.ValueString()
	}
	return out, diags
}

// blocks reads a list nested block; an unknown list (a dynamic block over an
// unknown collection) reads as absent.
func blocks[T any](ctx context.Context, v types.List) ([]T, diag.Diagnostics) {
	if v.IsNull() || v.IsUnknown() {
		return nil, nil
	}
	var out []T
	diags := v.ElementsAs(ctx, &out, false)
	return out, diags
}
