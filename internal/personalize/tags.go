package personalize

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// tagPolicy is the provider's default_tags and ignore_tags.
type tagPolicy struct {
	defaults       map[string]string
	ignoreKeys     []string
	ignorePrefixes []string
}

func tagPolicyOf(pd *ProviderData) tagPolicy {
	if pd == nil {
		return tagPolicy{}
	}
	return tagPolicy{defaults: pd.DefaultTags, ignoreKeys: pd.IgnoreTagKeys, ignorePrefixes: pd.IgnoreTagKeyPrefixes}
}

func (p tagPolicy) ignored(key string) bool {
	if slices.Contains(p.ignoreKeys, key) {
		return true
	}
	for _, prefix := range p.ignorePrefixes {
		if strings.HasPrefix(key, prefix) {
			return true
		}
	}
	return false
}

// withoutIgnored drops the keys ignore_tags names.
func (p tagPolicy) withoutIgnored(tags map[string]string) map[string]string {
	out := make(map[string]string, len(tags))
	for k, v := range tags {
		if !p.ignored(k) {
			out[k] = v
		}
	}
	return out
}

// all is what tags_all should hold: default tags under the resource's own
// (which win), less the ignored keys, which Terraform neither reports nor manages.
func (p tagPolicy) all(resourceTags map[string]string) map[string]string {
	merged := maps.Clone(p.defaults)
	if merged == nil {
		merged = map[string]string{}
	}
	maps.Copy(merged, resourceTags)
	return p.withoutIgnored(merged)
}

// resourceTags recovers the `tags` argument from the tags a job has: a tag
// that only repeats a default tag belongs to default_tags, unless the
// configuration had set it on the resource too.
func (p tagPolicy) resourceTags(all map[string]string, prior map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range all {
		if _, inPrior := prior[k]; inPrior {
			out[k] = v
			continue
		}
		if dv, isDefault := p.defaults[k]; isDefault && dv == v {
			continue
		}
		out[k] = v
	}
	return out
}

func listTags(ctx context.Context, conn *personalize.Client, arn string) (map[string]string, error) {
	tags, _, err := listJobTags(ctx, conn, arn)
	return tags, err
}

// recordedTagKey marks a job a Terraform state holds or held, so that a
// create of the same generated name never adopts it (see jobNameFor). It is
// the provider's own: never reported in tags or tags_all, never removed.
const recordedTagKey = "tfpersonalize:recorded"

// listJobTags is a job's tags, less recordedTagKey, and whether the job
// carries it.
func listJobTags(ctx context.Context, conn *personalize.Client, arn string) (map[string]string, bool, error) {
	out, err := conn.ListTagsForResource(ctx, &personalize.ListTagsForResourceInput{ResourceArn: &arn})
	if err != nil {
		return nil, false, fmt.Errorf("listing tags of %s: %w", arn, err)
	}
	tags := make(map[string]string, len(out.Tags))
	for _, t := range out.Tags {
		tags[aws.ToString(t.TagKey)] = aws.ToString(t.TagValue)
	}
	_, recorded := tags[recordedTagKey]
	delete(tags, recordedTagKey)
	return tags, recorded, nil
}

// markRecorded tags a job with recordedTagKey. It is best effort: a job
// left unmarked (at its quota of tags, say) can only be adopted by a create
// of the same generated name and arguments, which no apply makes while a
// state holds the job and refreshes it.
func markRecorded(ctx context.Context, conn *personalize.Client, arn string) {
	_, err := conn.TagResource(ctx, &personalize.TagResourceInput{ResourceArn: &arn,
		Tags: toAPITags(map[string]string{recordedTagKey: time.Now().UTC().Format(time.RFC3339)})})
	if err != nil {
		tflog.Warn(ctx, "could not mark the job as held by a Terraform state", map[string]any{"arn": arn, "error": err.Error()})
	}
}

// updateTags makes a job's tags go from old to new, touching only the keys
// that changed. Both maps are tags_all values, so ignored keys are never in
// either and never removed.
func updateTags(ctx context.Context, conn *personalize.Client, arn string, old, want map[string]string) error {
	var remove []string
	for k := range old {
		if _, keep := want[k]; !keep {
			remove = append(remove, k)
		}
	}
	slices.Sort(remove)
	if len(remove) > 0 {
		if _, err := conn.UntagResource(ctx, &personalize.UntagResourceInput{ResourceArn: &arn, TagKeys: remove}); err != nil {
			return fmt.Errorf("removing tags %v from %s: %w", remove, arn, err)
		}
	}
	set := map[string]string{}
	for k, v := range want {
		if ov, ok := old[k]; !ok || ov != v {
			set[k] = v
		}
	}
	if len(set) > 0 {
		if _, err := conn.TagResource(ctx, &personalize.TagResourceInput{ResourceArn: &arn, Tags: toAPITags(set)}); err != nil {
			return fmt.Errorf("setting tags on %s: %w", arn, err)
		}
	}
	return nil
}

func toAPITags(tags map[string]string) []awstypes.Tag {
	if len(tags) == 0 {
		return nil
	}
	out := make([]awstypes.Tag, 0, len(tags))
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		out = append(out, awstypes.Tag{TagKey: aws.String(k), TagValue: aws.String(tags[k])})
	}
	return out
}

// tagsFromMap reads a known map attribute; null gives an empty map.
func tagsFromMap(ctx context.Context, m types.Map) (map[string]string, diag.Diagnostics) {
	out := map[string]string{}
	if m.IsNull() || m.IsUnknown() {
		return out, nil
	}
	diags := m.ElementsAs(ctx, &out, false)
	return out, diags
}

// tagsValue gives the `tags` argument for a job with these tags: null when
// there are none, unless the prior value was an explicit empty map, so that
// either spelling of "no tags" reads back as written.
func tagsValue(tags map[string]string, prior types.Map) types.Map {
	if len(tags) == 0 && (prior.IsNull() || prior.IsUnknown()) {
		return types.MapNull(types.StringType)
	}
	return tagsAllValue(tags)
}

// tagsAllValue is always a known map, empty when there are no tags.
func tagsAllValue(tags map[string]string) types.Map {
	elems := make(map[string]attr.Value, len(tags))
	for k, v := range tags {
		elems[k] = types.StringValue(v)
	}
	return types.MapValueMust(types.StringType, elems)
}
