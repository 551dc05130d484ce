// Command provider-schema prints the provider's schemas as
// `terraform providers schema -json` does, identity and list resource
// schemas included, straight from the provider server: tfplugindocs
// --providers-schema then needs no terraform new enough to report them.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/zclconf/go-cty/cty"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/provider"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "provider-schema:", err)
		os.Exit(1)
	}
}

func run() error {
	out, err := providerSchemas(context.Background())
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(out)
}

// providerSchemas asks the provider server for its schemas and renders them
// in the shape of `terraform providers schema -json`.
func providerSchemas(ctx context.Context) (*tfjson.ProviderSchemas, error) {
	server, err := providerserver.NewProtocol6WithError(provider.New("docs")())()
	if err != nil {
		return nil, err
	}
	s, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		return nil, err
	}
	ids, err := server.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		return nil, err
	}
	ps := &tfjson.ProviderSchema{
		ConfigSchema:            convertSchema(s.Provider),
		ResourceSchemas:         map[string]*tfjson.Schema{},
		DataSourceSchemas:       map[string]*tfjson.Schema{},
		ListResourceSchemas:     map[string]*tfjson.Schema{},
		ActionSchemas:           map[string]*tfjson.ActionSchema{},
		ResourceIdentitySchemas: map[string]*tfjson.IdentitySchema{},
	}
	for k, v := range s.ResourceSchemas {
		ps.ResourceSchemas[k] = convertSchema(v)
	}
	for k, v := range s.DataSourceSchemas {
		ps.DataSourceSchemas[k] = convertSchema(v)
	}
	for k, v := range s.ListResourceSchemas {
		ps.ListResourceSchemas[k] = convertSchema(v)
	}
	for k, v := range s.ActionSchemas {
		ps.ActionSchemas[k] = &tfjson.ActionSchema{Block: convertBlock(v.Schema.Block)}
	}
	for k, v := range ids.IdentitySchemas {
		is := &tfjson.IdentitySchema{Version: uint64(v.Version), Attributes: map[string]*tfjson.IdentityAttribute{}}
		for _, a := range v.IdentityAttributes {
			is.Attributes[a.Name] = &tfjson.IdentityAttribute{IdentityType: ctyType(a.Type), Description: a.Description,
				RequiredForImport: a.RequiredForImport, OptionalForImport: a.OptionalForImport}
		}
		ps.ResourceIdentitySchemas[k] = is
	}
	return &tfjson.ProviderSchemas{FormatVersion: "1.0", Schemas: map[string]*tfjson.ProviderSchema{
		// tfplugindocs looks the schema up by the provider's short name.
		"personalize": ps,
	}}, nil
}

func ctyType(t tftypes.Type) cty.Type {
	// tftypes has no other way to spell a type as terraform-json wants it.
	b, err := t.MarshalJSON() //nolint:staticcheck // the documented JSON type encoding is what cty reads back
	if err != nil {
		panic(err)
	}
	var c cty.Type
	if err := c.UnmarshalJSON(b); err != nil {
		panic(err)
	}
	return c
}

func convertSchema(s *tfprotov6.Schema) *tfjson.Schema {
	return &tfjson.Schema{Version: uint64(s.Version), Block: convertBlock(s.Block)}
}

func kind(k tfprotov6.StringKind) tfjson.SchemaDescriptionKind {
	if k == tfprotov6.StringKindMarkdown {
		return tfjson.SchemaDescriptionKindMarkdown
	}
	return tfjson.SchemaDescriptionKindPlain
}

func convertBlock(b *tfprotov6.SchemaBlock) *tfjson.SchemaBlock {
	out := &tfjson.SchemaBlock{Description: b.Description, DescriptionKind: kind(b.DescriptionKind), Deprecated: b.Deprecated,
		Attributes: map[string]*tfjson.SchemaAttribute{}, NestedBlocks: map[string]*tfjson.SchemaBlockType{}}
	for _, a := range b.Attributes {
		out.Attributes[a.Name] = convertAttribute(a)
	}
	for _, nb := range b.BlockTypes {
		modes := map[tfprotov6.SchemaNestedBlockNestingMode]tfjson.SchemaNestingMode{
			tfprotov6.SchemaNestedBlockNestingModeSingle: tfjson.SchemaNestingModeSingle,
			tfprotov6.SchemaNestedBlockNestingModeList:   tfjson.SchemaNestingModeList,
			tfprotov6.SchemaNestedBlockNestingModeSet:    tfjson.SchemaNestingModeSet,
			tfprotov6.SchemaNestedBlockNestingModeMap:    tfjson.SchemaNestingModeMap,
			tfprotov6.SchemaNestedBlockNestingModeGroup:  tfjson.SchemaNestingModeGroup,
		}
		out.NestedBlocks[nb.TypeName] = &tfjson.SchemaBlockType{NestingMode: modes[nb.Nesting], Block: convertBlock(nb.Block),
			MinItems: uint64(nb.MinItems), MaxItems: uint64(nb.MaxItems)}
	}
	return out
}

func convertAttribute(a *tfprotov6.SchemaAttribute) *tfjson.SchemaAttribute {
	out := &tfjson.SchemaAttribute{Description: a.Description, DescriptionKind: kind(a.DescriptionKind), Deprecated: a.Deprecated,
		Required: a.Required, Optional: a.Optional, Computed: a.Computed, Sensitive: a.Sensitive, WriteOnly: a.WriteOnly}
	if a.NestedType == nil {
		out.AttributeType = ctyType(a.Type)
		return out
	}
	modes := map[tfprotov6.SchemaObjectNestingMode]tfjson.SchemaNestingMode{
		tfprotov6.SchemaObjectNestingModeSingle: tfjson.SchemaNestingModeSingle,
		tfprotov6.SchemaObjectNestingModeList:   tfjson.SchemaNestingModeList,
		tfprotov6.SchemaObjectNestingModeSet:    tfjson.SchemaNestingModeSet,
		tfprotov6.SchemaObjectNestingModeMap:    tfjson.SchemaNestingModeMap,
	}
	nt := &tfjson.SchemaNestedAttributeType{NestingMode: modes[a.NestedType.Nesting], Attributes: map[string]*tfjson.SchemaAttribute{}}
	for _, na := range a.NestedType.Attributes {
		nt.Attributes[na.Name] = convertAttribute(na)
	}
	out.AttributeNestedType = nt
	return out
}
