package floorprovider_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/benchmarks/floorprovider"
	"github.com/tfpersonalize/terraform-provider-personalize/internal/provider"
)

// The floor only means something while its resource has the shape of the
// real one: the same attributes with the same types, flags and nesting.
// Descriptions, validators and plan modifiers do not reach the wire shape and
// are the real provider's own cost.
func TestFloor_resourceSchemaHasTheShapeOfTheRealResource(t *testing.T) {
	want := resourceShape(t, providerserver.NewProtocol6WithError(provider.New("test")()), "personalize_batch_inference_job")
	floor := resourceShape(t, providerserver.NewProtocol6WithError(floorprovider.New()()), floorprovider.ResourceTypeName)
	if len(want) < 20 {
		t.Fatalf("the real resource's schema has only %d attributes: %v", len(want), want)
	}
	if !slices.Equal(want, floor) {
		t.Errorf("the floor's resource no longer has the real resource's shape: change internal/benchmarks/floorprovider to match.\nonly in %s: %v\nonly in %s: %v",
			"personalize_batch_inference_job", missing(want, floor), floorprovider.ResourceTypeName, missing(floor, want))
	}
}

func TestShape_seesANestedAttributeChange(t *testing.T) {
	a := &tfprotov6.SchemaBlock{Attributes: []*tfprotov6.SchemaAttribute{{
		Name: "job_input", Required: true, NestedType: &tfprotov6.SchemaObject{Nesting: tfprotov6.SchemaObjectNestingModeSingle,
			Attributes: []*tfprotov6.SchemaAttribute{{Name: "path", Required: true}}},
	}}}
	before := blockShape("", a)
	a.Attributes[0].NestedType.Attributes[0].Optional, a.Attributes[0].NestedType.Attributes[0].Required = true, false
	if after := blockShape("", a); slices.Equal(before, after) {
		t.Errorf("shape %v did not change when a nested attribute became optional", before)
	}
}

func resourceShape(t *testing.T, factory func() (tfprotov6.ProviderServer, error), typeName string) []string {
	t.Helper()
	srv, err := factory()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		t.Fatalf("%s: %s", d.Summary, d.Detail)
	}
	s, ok := resp.ResourceSchemas[typeName]
	if !ok {
		t.Fatalf("no resource %s in the schema", typeName)
	}
	return blockShape("", s.Block)
}

// blockShape lists every attribute as "path type flags", sorted.
func blockShape(prefix string, b *tfprotov6.SchemaBlock) []string {
	var out []string
	for _, a := range b.Attributes {
		out = append(out, attributeShape(prefix, a)...)
	}
	for _, nb := range b.BlockTypes {
		out = append(out, fmt.Sprintf("%s%s block %v", prefix, nb.TypeName, nb.Nesting))
		out = append(out, blockShape(prefix+nb.TypeName+".", nb.Block)...)
	}
	slices.Sort(out)
	return out
}

func attributeShape(prefix string, a *tfprotov6.SchemaAttribute) []string {
	var flags []string
	for name, on := range map[string]bool{"required": a.Required, "optional": a.Optional, "computed": a.Computed, "sensitive": a.Sensitive, "write-only": a.WriteOnly} {
		if on {
			flags = append(flags, name)
		}
	}
	slices.Sort(flags)
	name := prefix + a.Name
	if a.NestedType != nil {
		out := []string{fmt.Sprintf("%s nested %v %s", name, a.NestedType.Nesting, strings.Join(flags, ","))}
		for _, na := range a.NestedType.Attributes {
			out = append(out, attributeShape(name+".", na)...)
		}
		return out
	}
	return []string{fmt.Sprintf("%s %s %s", name, a.Type, strings.Join(flags, ","))}
}

func missing(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}
