package emulator

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	"github.com/aws/aws-sdk-go-v2/service/personalize/types"
)

func (h *harness) tagsOf(arn string) string {
	h.t.Helper()
	out, err := h.client.ListTagsForResource(ctx, &personalize.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	if err != nil {
		h.t.Fatalf("ListTagsForResource: %v", err)
	}
	s := ""
	for _, t := range out.Tags {
		s += aws.ToString(t.TagKey) + "=" + aws.ToString(t.TagValue) + " "
	}
	return s
}

func tagsFrom(kv ...string) []types.Tag {
	var tags []types.Tag
	for i := 0; i < len(kv); i += 2 {
		tags = append(tags, types.Tag{TagKey: aws.String(kv[i]), TagValue: aws.String(kv[i+1])})
	}
	return tags
}

func TestEmulator_tagsRoundTrip(t *testing.T) {
	h := newHarness(t, Config{})
	in := validCreate("tagged")
	in.Tags = tagsFrom("team", "recs", "env", "dev")
	arn := h.create(in)
	if got := h.tagsOf(arn); got != "env=dev team=recs " {
		t.Fatalf("after create: %q", got)
	}
	if _, err := h.client.TagResource(ctx, &personalize.TagResourceInput{ResourceArn: aws.String(arn), Tags: tagsFrom("env", "prod", "cost", "42")}); err != nil {
		t.Fatal(err)
	}
	if got := h.tagsOf(arn); got != "cost=42 env=prod team=recs " {
		t.Fatalf("after tag: %q", got)
	}
	if _, err := h.client.UntagResource(ctx, &personalize.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"team", "absent"}}); err != nil {
		t.Fatal(err)
	}
	if got := h.tagsOf(arn); got != "cost=42 env=prod " {
		t.Fatalf("after untag: %q", got)
	}
	// Filters and solution versions are resources too.
	if _, err := h.client.TagResource(ctx, &personalize.TagResourceInput{ResourceArn: aws.String(fixtureFilter), Tags: tagsFrom("a", "b")}); err != nil {
		t.Fatal(err)
	}
	if got := h.tagsOf(fixtureFilter); got != "a=b " {
		t.Fatalf("filter tags: %q", got)
	}
}

func TestEmulator_tagLimits(t *testing.T) {
	h := newHarness(t, Config{})
	in := validCreate("limits")
	in.Tags = manyTags(49)
	arn := h.create(in)

	_, err := h.client.TagResource(ctx, &personalize.TagResourceInput{ResourceArn: aws.String(arn), Tags: tagsFrom("x", "1", "y", "2")})
	wantAPIError(t, err, "TooManyTagsException", "51", "50")
	// Overwriting existing keys does not add tags.
	if _, err := h.client.TagResource(ctx, &personalize.TagResourceInput{ResourceArn: aws.String(arn), Tags: tagsFrom("k0", "new", "x", "1")}); err != nil {
		t.Fatalf("50th tag: %v", err)
	}

	_, err = h.client.TagResource(ctx, &personalize.TagResourceInput{ResourceArn: aws.String(arn), Tags: tagsFrom("aws:created", "me")})
	wantAPIError(t, err, "InvalidInputException", "aws:")
	_, err = h.client.UntagResource(ctx, &personalize.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"aws:created"}})
	wantAPIError(t, err, "InvalidInputException", "aws:")

	keys := make([]string, 51)
	for i := range keys {
		keys[i] = fmt.Sprintf("k%d", i)
	}
	_, err = h.client.UntagResource(ctx, &personalize.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: keys})
	wantAPIError(t, err, "TooManyTagKeysException", "50")
}

func TestEmulator_tagsOnUnknownResource(t *testing.T) {
	h := newHarness(t, Config{})
	ghost := aws.String(jobARNPrefix + "ghost")
	_, err := h.client.TagResource(ctx, &personalize.TagResourceInput{ResourceArn: ghost, Tags: tagsFrom("a", "b")})
	wantAPIError(t, err, "ResourceNotFoundException", "ghost")
	_, err = h.client.UntagResource(ctx, &personalize.UntagResourceInput{ResourceArn: ghost, TagKeys: []string{"a"}})
	wantAPIError(t, err, "ResourceNotFoundException", "ghost")
	_, err = h.client.ListTagsForResource(ctx, &personalize.ListTagsForResourceInput{ResourceArn: ghost})
	wantAPIError(t, err, "ResourceNotFoundException", "ghost")
}
