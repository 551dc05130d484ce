// Package personalize holds everything the provider knows about Amazon
// Personalize batch inference jobs: the resource, the data sources, the list
// resource, expand/flatten, validators, the waiter and tag handling.
package personalize

import (
	"github.com/aws/aws-sdk-go-v2/service/personalize"
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
}
