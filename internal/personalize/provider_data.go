package personalize

import (
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/personalize"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// ProviderData is what the provider's Configure hands to every resource, data
// source and list resource.
type ProviderData struct {
	Client    *personalize.Client
	Region    string
	AccountID string // empty when skip_requesting_account_id is set

	// DefaultTags are merged under each resource's tags (resource tags win).
	DefaultTags map[string]string
	// IgnoreTagKeys and IgnoreTagKeyPrefixes name tags that Read never
	// reports and Update never removes.
	IgnoreTagKeys        []string
	IgnoreTagKeyPrefixes []string

	pollerOnce sync.Once
	poller     *jobPoller
	claims     nameClaims
}

// nameClaims are the generated names the process's creates took; a nil
// ProviderData (unit tests) gets claims of its own.
func (d *ProviderData) nameClaims() *nameClaims {
	if d == nil {
		return &nameClaims{}
	}
	return &d.claims
}

// jobPoller is the one poller every wait of the provider process shares, so
// that their calls are paced together under the service's rate limits. A
// nil ProviderData (unit tests) gets a poller of its own.
func (d *ProviderData) jobPoller(conn *personalize.Client) *jobPoller {
	if d == nil {
		return newJobPoller(conn)
	}
	d.pollerOnce.Do(func() { d.poller = newJobPoller(conn) })
	return d.poller
}

// providerDataFrom is what Configure of every resource, data source and list
// resource keeps: nil until the provider is configured (Terraform validates
// configurations before that).
func providerDataFrom(providerData any, diags *diag.Diagnostics) *ProviderData {
	if providerData == nil {
		return nil
	}
	data, ok := providerData.(*ProviderData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *personalize.ProviderData from the provider, got %T. This is a bug in the provider.", providerData))
		return nil
	}
	return data
}

// client is the configured Personalize client, or an error diagnostic when
// the provider was not configured.
func (d *ProviderData) client(diags *diag.Diagnostics) *personalize.Client {
	if d == nil || d.Client == nil {
		diags.AddError("Provider not configured",
			"The personalize provider has no AWS client. Check the provider block (region and credentials) and run again.")
		return nil
	}
	return d.Client
}
