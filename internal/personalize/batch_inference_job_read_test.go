package personalize_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// A finished job can change only its tags, so its refresh costs one call,
// and that call still sees tags changed outside Terraform.
func TestProtocol_readOfFinishedJobSeesTagDriftInOneCall(t *testing.T) {
	t.Parallel()
	em, conn, clk := newListEmulator(t)
	name := "read-drift"
	createListedJob(t, conn, name, listSV)
	jobARN := fmt.Sprintf("arn:aws:personalize:us-east-1:123456789012:batch-inference-job/%s", name)
	tagJob(t, conn, jobARN, map[string]string{"team": "recs"})
	clk.Set(clk.Now().Add(2 * time.Hour))
	p := newProtocolProvider(t, endpointOf(conn), nil)

	imp := p.importState(&tfprotov6.ImportResourceStateRequest{ID: jobARN})
	requireNoErrors(t, "ImportResourceState", imp.Diagnostics)
	first := p.readResource(imp.ImportedResources[0].State, imp.ImportedResources[0].Identity)
	requireNoErrors(t, "ReadResource", first.Diagnostics)

	tagJob(t, conn, jobARN, map[string]string{"owner": "someone-else"})
	before := em.Stats().Calls
	again := p.readResource(first.NewState, first.NewIdentity)
	requireNoErrors(t, "ReadResource", again.Diagnostics)
	after := em.Stats().Calls

	state := tfDecode(t, again.NewState, p.resourceType())
	if got := tfStringMap(t, state, "tags"); len(got) != 2 || got["owner"] != "someone-else" {
		t.Errorf("tags after a tag was added outside Terraform = %v, want it seen (team and owner)", got)
	}
	if got := tfString(t, state, "status"); got != "ACTIVE" {
		t.Errorf("status %q, want ACTIVE kept from state", got)
	}
	if d, l := after["DescribeBatchInferenceJob"]-before["DescribeBatchInferenceJob"], after["ListTagsForResource"]-before["ListTagsForResource"]; d != 0 || l != 1 {
		t.Errorf("refresh of a finished job made %d Describe and %d ListTagsForResource calls, want 0 and 1", d, l)
	}
	if got := p.identityARN(again.NewIdentity); got != jobARN {
		t.Errorf("identity %q, want %q", got, jobARN)
	}
}

// A finished job that cannot be found (another account or region, say) is
// dropped from state by its tags call, as a running one is by Describe.
func TestProtocol_readOfFinishedJobThatVanishedDropsIt(t *testing.T) {
	t.Parallel()
	conn, jobARN, _ := protocolJob(t, nil)
	p := newProtocolProvider(t, endpointOf(conn), nil)
	imp := p.importState(&tfprotov6.ImportResourceStateRequest{ID: jobARN})
	requireNoErrors(t, "ImportResourceState", imp.Diagnostics)
	read := p.readResource(imp.ImportedResources[0].State, imp.ImportedResources[0].Identity)
	requireNoErrors(t, "ReadResource", read.Diagnostics)

	_, elsewhere, _ := newListEmulator(t)
	other := newProtocolProvider(t, endpointOf(elsewhere), nil)
	gone := other.readResource(read.NewState, read.NewIdentity)
	requireNoErrors(t, "ReadResource", gone.Diagnostics)
	if state := tfDecode(t, gone.NewState, other.resourceType()); !state.IsNull() {
		t.Errorf("state of a finished job that is not found: %s, want null (removed)", state)
	}
	warned := false
	for _, d := range gone.Diagnostics {
		warned = warned || (d.Severity == tfprotov6.DiagnosticSeverityWarning && strings.Contains(d.Summary, "no longer exists"))
	}
	if !warned {
		t.Errorf("no warning that the job no longer exists: %v", gone.Diagnostics)
	}
}
