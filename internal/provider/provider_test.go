package provider

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/personalize"
)

func TestProvider_schemaHasTheAWSProviderSettings(t *testing.T) {
	resp := providerSchemaOverProtocol(t)
	block := resp.Provider.Block

	var attributes []string
	for _, a := range block.Attributes {
		attributes = append(attributes, a.Name)
	}
	want := []string{
		"access_key", "custom_ca_bundle", "http_proxy", "insecure", "max_retries", "profile", "region", "retry_mode",
		"secret_key", "shared_config_files", "shared_credentials_files", "skip_credentials_validation",
		"skip_region_validation", "skip_requesting_account_id", "token",
	}
	slices.Sort(attributes)
	if !slices.Equal(attributes, want) {
		t.Errorf("provider attributes = %v, want %v", attributes, want)
	}

	wantBlocks := map[string][]string{
		"assume_role":                   {"duration", "external_id", "policy", "policy_arns", "role_arn", "session_name", "source_identity", "tags", "transitive_tag_keys"},
		"assume_role_with_web_identity": {"duration", "policy", "policy_arns", "role_arn", "session_name", "web_identity_token", "web_identity_token_file"},
		"endpoints":                     {"personalize", "sts"},
		"default_tags":                  {"tags"},
		"ignore_tags":                   {"key_prefixes", "keys"},
	}
	if len(block.BlockTypes) != len(wantBlocks) {
		t.Errorf("provider has %d blocks, want %d", len(block.BlockTypes), len(wantBlocks))
	}
	for _, b := range block.BlockTypes {
		// Blocks, not nested attributes: that is what a copied aws block is.
		if b.Nesting != tfprotov6.SchemaNestedBlockNestingModeList {
			t.Errorf("%s is nested as %v, want a list block", b.TypeName, b.Nesting)
		}
		var names []string
		for _, a := range b.Block.Attributes {
			names = append(names, a.Name)
		}
		slices.Sort(names)
		if !slices.Equal(names, wantBlocks[b.TypeName]) {
			t.Errorf("%s has %v, want %v", b.TypeName, names, wantBlocks[b.TypeName])
		}
	}

	sensitive := map[string]bool{}
	walkAttributes(block, "", func(name string, a *tfprotov6.SchemaAttribute) {
		if strings.TrimSpace(a.Description) == "" {
			t.Errorf("%s has no description", name)
		}
		sensitive[name] = a.Sensitive
	})
	for _, name := range []string{"access_key", "secret_key", "token", "assume_role_with_web_identity.web_identity_token"} {
		if !sensitive[name] {
			t.Errorf("%s is not marked sensitive", name)
		}
	}
	for _, b := range block.BlockTypes {
		if strings.TrimSpace(b.Block.Description) == "" {
			t.Errorf("block %s has no description", b.TypeName)
		}
	}
}

func walkAttributes(b *tfprotov6.SchemaBlock, prefix string, fn func(string, *tfprotov6.SchemaAttribute)) {
	for _, a := range b.Attributes {
		fn(prefix+a.Name, a)
	}
	for _, nb := range b.BlockTypes {
		walkAttributes(nb.Block, prefix+nb.TypeName+".", fn)
	}
}

func TestProvider_registersEverythingFromThePersonalizePackage(t *testing.T) {
	ctx := context.Background()
	resp := providerSchemaOverProtocol(t)

	for _, f := range personalize.Resources() {
		var m resource.MetadataResponse
		f().Metadata(ctx, resource.MetadataRequest{ProviderTypeName: TypeName}, &m)
		if _, ok := resp.ResourceSchemas[m.TypeName]; !ok {
			t.Errorf("resource %s is not served", m.TypeName)
		}
	}
	for _, f := range personalize.DataSources() {
		var m datasource.MetadataResponse
		f().Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: TypeName}, &m)
		if _, ok := resp.DataSourceSchemas[m.TypeName]; !ok {
			t.Errorf("data source %s is not served", m.TypeName)
		}
	}
	for _, f := range personalize.ListResources() {
		var m resource.MetadataResponse
		f().Metadata(ctx, resource.MetadataRequest{ProviderTypeName: TypeName}, &m)
		if _, ok := resp.ListResourceSchemas[m.TypeName]; !ok {
			t.Errorf("list resource %s is not served", m.TypeName)
		}
	}
}

func TestProvider_metadata(t *testing.T) {
	var resp provider.MetadataResponse
	New("1.2.3")().Metadata(context.Background(), provider.MetadataRequest{}, &resp)
	if resp.TypeName != "personalize" || resp.Version != "1.2.3" {
		t.Errorf("Metadata = %q %q, want personalize 1.2.3", resp.TypeName, resp.Version)
	}
}

func providerSchemaOverProtocol(t *testing.T) *tfprotov6.GetProviderSchemaResponse {
	t.Helper()
	server, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		t.Errorf("GetProviderSchema: %s: %s", d.Summary, d.Detail)
	}
	return resp
}
