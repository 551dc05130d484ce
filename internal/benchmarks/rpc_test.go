package benchmarks

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/benchmarks/floorprovider"
	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
	"github.com/tfpersonalize/terraform-provider-personalize/internal/provider"
)

// The RPCs Terraform sends for one resource, driven through tfprotov6 as
// Terraform drives them, for the provider and for the minimal framework
// provider side by side: go test -bench RPC -benchmem ./internal/benchmarks
// gives the cost of each RPC per resource with none of Terraform's own.

// rpcSide is one provider server, configured, and its resource's types.
type rpcSide struct {
	srv      tfprotov6.ProviderServer
	typeName string
	resource tftypes.Object
}

func newRPCSide(tb testing.TB, personalizeSide bool, endpoint string) rpcSide {
	tb.Helper()
	factory, typeName := providerserver.NewProtocol6WithError(floorprovider.New()()), floorprovider.ResourceTypeName
	if personalizeSide {
		factory, typeName = providerserver.NewProtocol6WithError(provider.New("bench")()), "personalize_batch_inference_job"
	}
	srv, err := factory()
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		tb.Fatal(err)
	}
	noErrors(tb, "GetProviderSchema", schemas.Diagnostics)
	providerType, _ := schemas.Provider.ValueType().(tftypes.Object)
	settings := map[string]any{}
	if personalizeSide {
		settings = map[string]any{
			"region": "us-east-1", "access_key": "bench", "secret_key": "bench",
			"skip_credentials_validation": true, "skip_requesting_account_id": true,
			"endpoints": []map[string]any{{"personalize": endpoint}},
		}
	}
	config := dynamic(tb, providerType, settings)
	conf, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.11.4", Config: &config})
	if err != nil {
		tb.Fatal(err)
	}
	noErrors(tb, "ConfigureProvider", conf.Diagnostics)
	resourceType, _ := schemas.ResourceSchemas[typeName].ValueType().(tftypes.Object)
	return rpcSide{srv: srv, typeName: typeName, resource: resourceType}
}

// jobConfig is the configuration the scale scenario gives each job.
func (s rpcSide) jobConfig(tb testing.TB, name string) tfprotov6.DynamicValue {
	return dynamic(tb, s.resource, map[string]any{
		"job_name":             name,
		"solution_version_arn": solutionVersionARN,
		"role_arn":             roleARN,
		"job_input":            map[string]any{"s3_data_source": map[string]any{"path": inputPath}},
		"job_output":           map[string]any{"s3_data_destination": map[string]any{"path": outputPath}},
	})
}

func (s rpcSide) plan(tb testing.TB, config tfprotov6.DynamicValue) *tfprotov6.PlanResourceChangeResponse {
	prior := nullDynamic(tb, s.resource)
	resp, err := s.srv.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
		TypeName: s.typeName, PriorState: &prior, ProposedNewState: &config, Config: &config,
	})
	if err != nil {
		tb.Fatal(err)
	}
	noErrors(tb, "PlanResourceChange", resp.Diagnostics)
	return resp
}

func (s rpcSide) apply(tb testing.TB, config tfprotov6.DynamicValue, planned *tfprotov6.PlanResourceChangeResponse) *tfprotov6.DynamicValue {
	prior := nullDynamic(tb, s.resource)
	resp, err := s.srv.ApplyResourceChange(context.Background(), &tfprotov6.ApplyResourceChangeRequest{
		TypeName: s.typeName, PriorState: &prior, PlannedState: planned.PlannedState, Config: &config, PlannedPrivate: planned.PlannedPrivate,
	})
	if err != nil {
		tb.Fatal(err)
	}
	noErrors(tb, "ApplyResourceChange", resp.Diagnostics)
	return resp.NewState
}

func BenchmarkRPC(b *testing.B) {
	emu, err := emulator.New(emulator.Config{JobDuration: time.Nanosecond, MaxRunningJobs: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	defer emu.Close()
	ts := httptest.NewServer(emu)
	defer ts.Close()
	ctx := context.Background()

	for _, side := range []struct {
		name string
		real bool
	}{{"provider", true}, {"floor", false}} {
		b.Run(side.name+"/GetProviderSchema", func(b *testing.B) {
			for b.Loop() {
				factory := providerserver.NewProtocol6WithError(floorprovider.New()())
				if side.real {
					factory = providerserver.NewProtocol6WithError(provider.New("bench")())
				}
				srv, err := factory()
				if err != nil {
					b.Fatal(err)
				}
				if _, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(side.name+"/ConfigureProvider", func(b *testing.B) {
			for b.Loop() {
				newRPCSide(b, side.real, ts.URL)
			}
		})
		s := newRPCSide(b, side.real, ts.URL)
		config := s.jobConfig(b, "bench-rpc-config")
		b.Run(side.name+"/ValidateResourceConfig", func(b *testing.B) {
			for b.Loop() {
				resp, err := s.srv.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: s.typeName, Config: &config})
				if err != nil {
					b.Fatal(err)
				}
				noErrors(b, "ValidateResourceConfig", resp.Diagnostics)
			}
		})
		b.Run(side.name+"/PlanResourceChange", func(b *testing.B) {
			for b.Loop() {
				s.plan(b, config)
			}
		})
		seq := 0
		b.Run(side.name+"/ApplyResourceChange", func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				seq++
				c := s.jobConfig(b, fmt.Sprintf("bench-rpc-%s-%d", side.name, seq))
				planned := s.plan(b, c)
				b.StartTimer()
				s.apply(b, c, planned)
			}
		})
		state := s.apply(b, config, s.plan(b, config))
		b.Run(side.name+"/ReadResource", func(b *testing.B) {
			for b.Loop() {
				resp, err := s.srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: s.typeName, CurrentState: state})
				if err != nil {
					b.Fatal(err)
				}
				noErrors(b, "ReadResource", resp.Diagnostics)
			}
		})
	}
}

// The RPC benchmark's drive must work before its figures mean anything.
func TestRPC_providerAndFloorCreateAndReadAJob(t *testing.T) {
	emu, err := emulator.New(emulator.Config{JobDuration: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	defer emu.Close()
	ts := httptest.NewServer(emu)
	defer ts.Close()
	for _, personalizeSide := range []bool{true, false} {
		s := newRPCSide(t, personalizeSide, ts.URL)
		config := s.jobConfig(t, fmt.Sprintf("rpc-test-%t", personalizeSide))
		state := s.apply(t, config, s.plan(t, config))
		resp, err := s.srv.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{TypeName: s.typeName, CurrentState: state})
		if err != nil {
			t.Fatal(err)
		}
		noErrors(t, "ReadResource", resp.Diagnostics)
		v, err := resp.NewState.Unmarshal(s.resource)
		if err != nil {
			t.Fatal(err)
		}
		var attrs map[string]tftypes.Value
		if err := v.As(&attrs); err != nil {
			t.Fatal(err)
		}
		var status string
		if err := attrs["status"].As(&status); err != nil || status != statusDone {
			t.Errorf("%s: status %q after read (%v), want %s", s.typeName, status, err, statusDone)
		}
	}
}

func noErrors(tb testing.TB, rpc string, diags []*tfprotov6.Diagnostic) {
	tb.Helper()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			tb.Fatalf("%s: %s: %s", rpc, d.Summary, d.Detail)
		}
	}
}

func nullDynamic(tb testing.TB, t tftypes.Type) tfprotov6.DynamicValue {
	tb.Helper()
	dv, err := tfprotov6.NewDynamicValue(t, tftypes.NewValue(t, nil))
	if err != nil {
		tb.Fatal(err)
	}
	return dv
}

func dynamic(tb testing.TB, t tftypes.Object, attrs map[string]any) tfprotov6.DynamicValue {
	tb.Helper()
	dv, err := tfprotov6.NewDynamicValue(t, value(t, attrs))
	if err != nil {
		tb.Fatal(err)
	}
	return dv
}

// value builds an object of type t: the given attributes, null for the rest.
func value(t tftypes.Type, v any) tftypes.Value {
	switch v := v.(type) {
	case nil:
		return tftypes.NewValue(t, nil)
	case map[string]any:
		obj, _ := t.(tftypes.Object)
		out := make(map[string]tftypes.Value, len(obj.AttributeTypes))
		for name, at := range obj.AttributeTypes {
			out[name] = value(at, v[name])
		}
		return tftypes.NewValue(t, out)
	case []map[string]any:
		list, _ := t.(tftypes.List)
		elems := make([]tftypes.Value, len(v))
		for i, e := range v {
			elems[i] = value(list.ElementType, e)
		}
		return tftypes.NewValue(t, elems)
	default:
		return tftypes.NewValue(t, v)
	}
}
