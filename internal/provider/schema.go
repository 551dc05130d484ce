package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The limits AWS STS puts on AssumeRole and AssumeRoleWithWebIdentity.
const (
	minRoleSessionDuration = "15m"
	maxRoleSessionDuration = "12h"
)

// providerSchema mirrors the settings of provider "aws" so that a block can
// be copied across. Nested settings are blocks, not nested attributes, for
// the same reason.
func providerSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "Manages Amazon Personalize batch inference jobs. " +
			"The provider takes the same settings as `provider \"aws\"` and reads the same `AWS_*` environment variables.",
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "AWS Region where the provider creates and reads batch inference jobs, e.g. `us-east-1`. " +
					"Can also be set with the `AWS_REGION` or `AWS_DEFAULT_REGION` environment variables, or `region` in the shared config profile.",
			},
			"profile": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Name of the profile in the shared config and credentials files to take credentials and settings from. " +
					"Can also be set with the `AWS_PROFILE` environment variable. Without it, the `default` profile is used.",
			},
			"access_key": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "AWS access key ID. Must be set together with `secret_key`. " +
					"Prefer the `AWS_ACCESS_KEY_ID` environment variable or a profile: values written here are stored in plan files.",
			},
			"secret_key": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "AWS secret access key. Must be set together with `access_key`. " +
					"Prefer the `AWS_SECRET_ACCESS_KEY` environment variable or a profile: values written here are stored in plan files.",
			},
			"token": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				Validators: []validator.String{
					// secret_key then follows from the RequiredTogether config validator.
					stringvalidator.AlsoRequires(path.MatchRoot("access_key")),
				},
				MarkdownDescription: "Session token for temporary credentials, used with `access_key` and `secret_key`. " +
					"Can also be set with the `AWS_SESSION_TOKEN` environment variable.",
			},
			"shared_config_files": schema.ListAttribute{
				ElementType: types.StringType,
				Optional:    true,
				MarkdownDescription: "Paths of shared config files, read in order. `~` and environment variables are expanded. " +
					"Defaults to `~/.aws/config`; can also be set with the `AWS_CONFIG_FILE` environment variable.",
			},
			"shared_credentials_files": schema.ListAttribute{
				ElementType: types.StringType,
				Optional:    true,
				MarkdownDescription: "Paths of shared credentials files, read in order. `~` and environment variables are expanded. " +
					"Defaults to `~/.aws/credentials`; can also be set with the `AWS_SHARED_CREDENTIALS_FILE` environment variable.",
			},
			"max_retries": schema.Int64Attribute{
				Optional:   true,
				Validators: []validator.Int64{int64validator.AtLeast(0)},
				MarkdownDescription: "Maximum number of times an AWS API call is attempted when it fails with throttling or a transient error; " +
					"the delay between attempts grows exponentially, and `0` or `1` mean a single attempt. " +
					"Defaults to the `AWS_MAX_ATTEMPTS` environment variable, or else 25. " +
					"A refused connection (nothing listens at the endpoint) is retried for about 8 seconds only, in case the endpoint is restarting, " +
					"and an endpoint that refused a whole call is not retried again for a minute.",
			},
			"retry_mode": schema.StringAttribute{
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf("standard", "adaptive")},
				MarkdownDescription: "How the AWS SDK spaces retries: `standard` or `adaptive` (which also rate-limits the client). " +
					"Can also be set with the `AWS_RETRY_MODE` environment variable.",
			},
			"custom_ca_bundle": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Path of a PEM file with the root and intermediate certificates to trust, for a TLS-intercepting proxy or a private endpoint. " +
					"`~` and environment variables are expanded. Can also be set with the `AWS_CA_BUNDLE` environment variable.",
			},
			"http_proxy": schema.StringAttribute{
				Optional:   true,
				Validators: []validator.String{proxyURL()},
				MarkdownDescription: "URL of a proxy for requests to AWS, e.g. `http://proxy.example.com:3128`; it is used for HTTPS requests too unless `HTTPS_PROXY` is set. " +
					"An empty string uses no proxy. Can also be set with the `HTTP_PROXY` environment variable; `NO_PROXY` is honoured.",
			},
			"insecure": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Skip verification of the TLS certificates presented by AWS endpoints. " +
					"Only for test endpoints with self-signed certificates; defaults to `false`.",
			},
			"skip_credentials_validation": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Skip checking the credentials with STS `GetCallerIdentity` when the provider is configured. " +
					"Useful with AWS-compatible endpoints that have no STS. Defaults to `false`.",
			},
			"skip_requesting_account_id": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Skip finding out the AWS account ID (through STS, or IAM when `skip_credentials_validation` is set). " +
					"Arguments that need the account ID are then unavailable. Defaults to `false`.",
			},
			"skip_region_validation": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Skip checking `region` against the Regions this provider version knows, for new or private Regions " +
					"and AWS-compatible endpoints. Defaults to `false`.",
			},
		},
		Blocks: map[string]schema.Block{
			"assume_role": schema.ListNestedBlock{
				MarkdownDescription: "An IAM role to assume before calling AWS, with the credentials found otherwise. " +
					"Repeat the block to chain roles: each role is assumed with the credentials of the one before.",
				NestedObject: schema.NestedBlockObject{
					Attributes: withRoleSessionAttributes(map[string]schema.Attribute{
						"role_arn": schema.StringAttribute{
							Optional:   true,
							Validators: []validator.String{iamRoleARN()},
							MarkdownDescription: "ARN of the IAM role to assume, e.g. `arn:aws:iam::123456789012:role/terraform`. " +
								"A single block with an empty `role_arn` is ignored, so that a variable can switch role assumption off.",
						},
						"session_name": schema.StringAttribute{
							Optional:            true,
							Validators:          sessionNameValidators(),
							MarkdownDescription: "Name of the role session, shown in CloudTrail: 2 to 64 letters, digits and `+=,.@-_`.",
						},
						"external_id": schema.StringAttribute{
							Optional: true,
							Validators: []validator.String{
								stringvalidator.LengthBetween(2, 1224),
								stringvalidator.RegexMatches(externalIDPattern, "may contain only letters, digits and +=,.@:/-_"),
							},
							MarkdownDescription: "External ID the role's trust policy requires, when assuming a role in another account.",
						},
						"tags": schema.MapAttribute{
							ElementType:         types.StringType,
							Optional:            true,
							MarkdownDescription: "Session tags to pass when assuming the role.",
						},
						"transitive_tag_keys": schema.SetAttribute{
							ElementType:         types.StringType,
							Optional:            true,
							MarkdownDescription: "Keys of session `tags` that carry over to roles assumed later in a chain.",
						},
						"source_identity": schema.StringAttribute{
							Optional:            true,
							Validators:          sessionNameValidators(),
							MarkdownDescription: "Source identity to set on the role session, recorded in CloudTrail: 2 to 64 letters, digits and `+=,.@-_`.",
						},
					}),
				},
			},
			"assume_role_with_web_identity": schema.ListNestedBlock{
				MarkdownDescription: "An IAM role to assume with an OpenID Connect token, e.g. from a CI system or a Kubernetes service account. " +
					"Without this block the `AWS_ROLE_ARN` and `AWS_WEB_IDENTITY_TOKEN_FILE` environment variables do the same.",
				Validators: []validator.List{listvalidator.SizeAtMost(1)},
				NestedObject: schema.NestedBlockObject{
					Attributes: withRoleSessionAttributes(map[string]schema.Attribute{
						"role_arn": schema.StringAttribute{
							Required:            true,
							Validators:          []validator.String{iamRoleARN()},
							MarkdownDescription: "ARN of the IAM role to assume, e.g. `arn:aws:iam::123456789012:role/ci`.",
						},
						"session_name": schema.StringAttribute{
							Optional:            true,
							Validators:          sessionNameValidators(),
							MarkdownDescription: "Name of the role session, shown in CloudTrail: 2 to 64 letters, digits and `+=,.@-_`.",
						},
						"web_identity_token": schema.StringAttribute{
							Optional:  true,
							Sensitive: true,
							Validators: []validator.String{
								stringvalidator.LengthBetween(4, 20000),
								stringvalidator.ExactlyOneOf(path.MatchRelative().AtParent().AtName("web_identity_token_file")),
							},
							MarkdownDescription: "The OpenID Connect token itself. Exactly one of `web_identity_token` and `web_identity_token_file` must be set.",
						},
						"web_identity_token_file": schema.StringAttribute{
							// The ExactlyOneOf on web_identity_token covers this one too.
							Optional: true,
							MarkdownDescription: "Path of a file holding the OpenID Connect token; it is read again whenever the session is renewed. " +
								"`~` and environment variables are expanded.",
						},
					}),
				},
			},
			"endpoints": schema.ListNestedBlock{
				MarkdownDescription: "Custom endpoints, e.g. for the local emulator or a VPC endpoint. " +
					"For Personalize the order is: this block, then `AWS_ENDPOINT_URL_PERSONALIZE`, then `AWS_ENDPOINT_URL`, then the Region's public endpoint.",
				Validators: []validator.List{listvalidator.SizeAtMost(1)},
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"personalize": schema.StringAttribute{
							Optional:            true,
							Validators:          []validator.String{endpointURL()},
							MarkdownDescription: "Endpoint URL for Amazon Personalize, e.g. `http://127.0.0.1:4599` for the emulator.",
						},
						"sts": schema.StringAttribute{
							Optional:   true,
							Validators: []validator.String{endpointURL()},
							MarkdownDescription: "Endpoint URL for AWS STS, used to validate credentials, find the account ID and assume roles. " +
								"Defaults to `AWS_ENDPOINT_URL_STS`, then `AWS_ENDPOINT_URL`, then the Region's public endpoint.",
						},
					},
				},
			},
			"default_tags": schema.ListNestedBlock{
				MarkdownDescription: "Tags applied to every taggable resource of this provider. Tags set on a resource override these.",
				Validators:          []validator.List{listvalidator.SizeAtMost(1)},
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"tags": schema.MapAttribute{
							ElementType:         types.StringType,
							Optional:            true,
							MarkdownDescription: "Tags to apply by default, as a map of key to value.",
						},
					},
				},
			},
			"ignore_tags": schema.ListNestedBlock{
				MarkdownDescription: "Tags that the provider neither reports nor removes, such as tags managed by another system.",
				Validators:          []validator.List{listvalidator.SizeAtMost(1)},
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"keys": schema.SetAttribute{
							ElementType:         types.StringType,
							Optional:            true,
							MarkdownDescription: "Exact tag keys to ignore.",
						},
						"key_prefixes": schema.SetAttribute{
							ElementType:         types.StringType,
							Optional:            true,
							MarkdownDescription: "Tag key prefixes to ignore, e.g. `kubernetes.io/`.",
						},
					},
				},
			},
		},
	}
}

func sessionNameValidators() []validator.String {
	return []validator.String{
		stringvalidator.LengthBetween(2, 64),
		stringvalidator.RegexMatches(sessionNamePattern, "may contain only letters, digits and +=,.@-_"),
	}
}

// withRoleSessionAttributes adds the settings that both ways of assuming a
// role take, with the same meaning as in provider "aws".
func withRoleSessionAttributes(attrs map[string]schema.Attribute) map[string]schema.Attribute {
	attrs["duration"] = schema.StringAttribute{
		Optional:            true,
		Validators:          []validator.String{sessionDuration()},
		MarkdownDescription: "Duration of the role session, between `15m` and `12h` (and at most the role's maximum), e.g. `1h`. Units: `ns`, `us`, `ms`, `s`, `m`, `h`.",
	}
	attrs["policy"] = schema.StringAttribute{
		Optional:            true,
		Validators:          []validator.String{jsonDocument()},
		MarkdownDescription: "IAM policy JSON that further restricts the permissions of the role session.",
	}
	attrs["policy_arns"] = schema.SetAttribute{
		ElementType:         types.StringType,
		Optional:            true,
		Validators:          []validator.Set{setvalidator.ValueStringsAre(iamPolicyARN())},
		MarkdownDescription: "ARNs of IAM managed policies that further restrict the permissions of the role session.",
	}
	return attrs
}
