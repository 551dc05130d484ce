// Package provider defines the personalize provider: its schema, its AWS
// configuration (the same settings and environment variables as
// provider "aws", through aws-sdk-go-base) and the registration of the
// resources, data sources, list resources and actions of internal/personalize.
package provider

import (
	"context"
	"fmt"

	awsbase "github.com/hashicorp/aws-sdk-go-base/v2"
	"github.com/hashicorp/aws-sdk-go-base/v2/validation"
	"github.com/hashicorp/terraform-plugin-framework-validators/providervalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/personalize"
)

// TypeName is the provider's type name, the prefix of every resource type.
const TypeName = "personalize"

var (
	_ provider.Provider                     = (*personalizeProvider)(nil)
	_ provider.ProviderWithListResources    = (*personalizeProvider)(nil)
	_ provider.ProviderWithActions          = (*personalizeProvider)(nil)
	_ provider.ProviderWithConfigValidators = (*personalizeProvider)(nil)
	_ provider.ProviderWithValidateConfig   = (*personalizeProvider)(nil)
)

type personalizeProvider struct {
	version string
}

// New returns the provider factory that main and the acceptance tests serve.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &personalizeProvider{version: version}
	}
}

func (p *personalizeProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = TypeName
	resp.Version = p.version
}

func (p *personalizeProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = providerSchema()
}

func (p *personalizeProvider) ConfigValidators(context.Context) []provider.ConfigValidator {
	return []provider.ConfigValidator{
		providervalidator.RequiredTogether(path.MatchRoot("access_key"), path.MatchRoot("secret_key")),
	}
}

// ValidateConfig checks at plan time what needs more than one setting.
func (p *personalizeProvider) ValidateConfig(ctx context.Context, req provider.ValidateConfigRequest, resp *provider.ValidateConfigResponse) {
	var region types.String
	var skipRegion types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("region"), &region)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("skip_region_validation"), &skipRegion)...)
	if resp.Diagnostics.HasError() || region.IsNull() || region.IsUnknown() || region.ValueString() == "" || skipRegion.IsUnknown() || skipRegion.ValueBool() {
		return
	}
	if err := validation.SupportedRegion(region.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("region"), "Invalid AWS Region",
			fmt.Sprintf("region %q is not an AWS Region this provider knows — use a Region such as us-east-1, "+
				"or set skip_region_validation = true for a new or private Region or an AWS-compatible endpoint.", region.ValueString()))
	}
}

func (p *personalizeProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	if unknown := unknownSettings(req.Config.Raw); len(unknown) > 0 {
		if req.ClientCapabilities.DeferralAllowed {
			tflog.Info(ctx, "Deferring: provider settings are not known yet", map[string]any{"settings": unknown})
			resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
			return
		}
		// As provider "aws" does: settings not known yet are left to the
		// environment and shared files.
		tflog.Info(ctx, "Provider settings not known yet are treated as unset", map[string]any{"settings": unknown})
	}

	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	s, diags := m.settings(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	s.base.UserAgent = userAgent(req.TerraformVersion, p.version)

	data, diags := buildProviderData(ctx, s)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ListResourceData = data
	resp.ActionData = data
}

func (p *personalizeProvider) Resources(context.Context) []func() resource.Resource {
	return personalize.Resources()
}

func (p *personalizeProvider) DataSources(context.Context) []func() datasource.DataSource {
	return personalize.DataSources()
}

func (p *personalizeProvider) ListResources(context.Context) []func() list.ListResource {
	return personalize.ListResources()
}

func (p *personalizeProvider) Actions(context.Context) []func() action.Action {
	return personalize.Actions()
}

// userAgent identifies Terraform and this provider in AWS API calls, as
// provider "aws" does for itself.
func userAgent(terraformVersion, providerVersion string) awsbase.UserAgentProducts {
	if terraformVersion == "" {
		terraformVersion = "unknown"
	}
	return awsbase.UserAgentProducts{
		{Name: "Terraform", Version: terraformVersion, Comment: "+https://www.terraform.io"},
		{Name: "terraform-provider-personalize", Version: providerVersion, Comment: "+https://registry.terraform.io/providers/tfpersonalize/personalize"},
	}
}

// unknownSettings names the settings whose values are not known yet.
func unknownSettings(raw tftypes.Value) []string {
	var out []string
	_ = tftypes.Walk(raw, func(p *tftypes.AttributePath, v tftypes.Value) (bool, error) {
		if !v.IsKnown() {
			out = append(out, p.String())
			return false, nil
		}
		return true, nil
	})
	return out
}
