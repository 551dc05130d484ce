package emulator

import (
	"fmt"
	"slices"
	"strings"
)

// recipeFamily groups recipes by the shape of their batch input and output,
// which is all a batch inference job cares about.
type recipeFamily int

const (
	familyUser                  recipeFamily = iota // {"userId"} in, ranked items out
	familyRelated                                   // {"itemId"} in, similar items out
	familyRanking                                   // {"userId","itemList"} in, itemList re-ordered out
	familyUnsupported                               // recipes the service refuses for batch inference
	familyItemAffinity                              // {"itemId"} in, a segment of users out (batch segment jobs only)
	familyItemAttributeAffinity                     // {"itemAttributes"} in, a segment of users out (batch segment jobs only)
)

// segments reports whether the family makes user segments, which only batch
// segment jobs do.
func (f recipeFamily) segments() bool {
	return f == familyItemAffinity || f == familyItemAttributeAffinity
}

type recipeInfo struct {
	family recipeFamily
	// scores: the service only reports scores for these recipes' batch output.
	scores bool
}

// recipes are the predefined Personalize recipes, by the name at the end of
// their ARN (arn:aws:personalize:::recipe/<name>).
var recipes = map[string]recipeInfo{
	"aws-user-personalization":    {familyUser, true},
	"aws-user-personalization-v2": {familyUser, true},
	"aws-hrnn":                    {familyUser, false},
	"aws-hrnn-metadata":           {familyUser, false},
	"aws-hrnn-coldstart":          {familyUser, false},
	"aws-popularity-count":        {familyUser, false},
	"aws-similar-items":           {familyRelated, false},
	"aws-sims":                    {familyRelated, false},
	"aws-personalized-ranking":    {familyRanking, true},
	"aws-personalized-ranking-v2": {familyRanking, true},
	"aws-trending-now":            {familyUnsupported, false},
	"aws-next-best-action":        {familyUnsupported, false},
	"aws-item-affinity":           {familyItemAffinity, false},
	"aws-item-attribute-affinity": {familyItemAttributeAffinity, false},
}

const (
	recipeSimilarItems          = "aws-similar-items"
	recipeUserPersonalization   = "aws-user-personalization"
	recipeItemAffinity          = "aws-item-affinity"
	recipeItemAttributeAffinity = "aws-item-attribute-affinity"
)

// themeRegions are the regions where Content Generator (THEME_GENERATION) runs.
var themeRegions = []string{"us-east-1", "us-west-2", "ap-northeast-1"}

// normalizeRecipe accepts a recipe ARN or its bare name and returns the name.
func normalizeRecipe(recipe string) (string, error) {
	name := recipe
	if i := strings.LastIndex(recipe, ":recipe/"); i >= 0 {
		name = recipe[i+len(":recipe/"):]
	}
	name = strings.ToLower(strings.TrimSpace(name))
	if _, ok := recipes[name]; !ok {
		known := make([]string, 0, len(recipes))
		for k := range recipes {
			known = append(known, k)
		}
		slices.Sort(known)
		return "", fmt.Errorf("recipe %q is not a predefined Personalize recipe; use one of %s (or its ARN arn:aws:personalize:::recipe/<name>)", recipe, strings.Join(known, ", "))
	}
	return name, nil
}

func recipeARN(name string) string { return "arn:aws:personalize:::recipe/" + name }

// partitionFor mirrors how AWS names partitions in ARNs.
func partitionFor(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(region, "us-iso-"):
		return "aws-iso"
	case strings.HasPrefix(region, "us-isob-"):
		return "aws-iso-b"
	}
	return "aws"
}

func (e *Emulator) resourceARN(resource string) string {
	return fmt.Sprintf("arn:%s:personalize:%s:%s:%s", e.partition, e.cfg.Region, e.cfg.AccountID, resource)
}

func (e *Emulator) fixtureFilters() []string {
	return []string{e.resourceARN("filter/demo-filter")}
}
