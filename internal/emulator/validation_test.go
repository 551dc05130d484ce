package emulator

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	"github.com/aws/aws-sdk-go-v2/service/personalize/types"
)

func manyTags(n int) []types.Tag {
	tags := make([]types.Tag, n)
	for i := range tags {
		tags[i] = types.Tag{TagKey: aws.String(fmt.Sprintf("k%d", i)), TagValue: aws.String("v")}
	}
	return tags
}

func themeConfig(itemName string) *types.ThemeGenerationConfig {
	return &types.ThemeGenerationConfig{FieldsForThemeGeneration: &types.FieldsForThemeGeneration{ItemName: aws.String(itemName)}}
}

func TestEmulator_createValidation(t *testing.T) {
	h := newHarness(t, Config{})
	if err := h.em.AddSolutionVersion("arn:aws:personalize:us-east-1:123456789012:solution/trending/1", "aws-trending-now"); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name      string
		mutate    func(*personalize.CreateBatchInferenceJobInput)
		code      string
		fragments []string
	}{
		{"name pattern", func(in *personalize.CreateBatchInferenceJobInput) { in.JobName = aws.String("bad name") }, "InvalidInputException", []string{"'jobName'", "regular expression"}},
		{"name leading dash", func(in *personalize.CreateBatchInferenceJobInput) { in.JobName = aws.String("-x") }, "InvalidInputException", []string{"'jobName'"}},
		{"name too long", func(in *personalize.CreateBatchInferenceJobInput) { in.JobName = aws.String(strings.Repeat("a", 64)) }, "InvalidInputException", []string{"'jobName'", "less than or equal to 63"}},
		{"solution version pattern", func(in *personalize.CreateBatchInferenceJobInput) { in.SolutionVersionArn = aws.String("solution/x") }, "InvalidInputException", []string{"'solutionVersionArn'"}},
		{"solution version too long", func(in *personalize.CreateBatchInferenceJobInput) {
			in.SolutionVersionArn = aws.String(fixtureUP + strings.Repeat("x", 200))
		}, "InvalidInputException", []string{"'solutionVersionArn'", "256"}},
		{"filter pattern", func(in *personalize.CreateBatchInferenceJobInput) { in.FilterArn = aws.String("filter") }, "InvalidInputException", []string{"'filterArn'"}},
		{"numResults zero", func(in *personalize.CreateBatchInferenceJobInput) { in.NumResults = aws.Int32(0) }, "InvalidInputException", []string{"'numResults'", "greater than or equal to 1"}},
		{"numResults above 500", func(in *personalize.CreateBatchInferenceJobInput) { in.NumResults = aws.Int32(501) }, "InvalidInputException", []string{"'numResults'", "less than or equal to 500"}},
		{"input path scheme", func(in *personalize.CreateBatchInferenceJobInput) {
			in.JobInput.S3DataSource.Path = aws.String("ftp://in/x")
		}, "InvalidInputException", []string{"'jobInput.s3DataSource.path'"}},
		{"output path too long", func(in *personalize.CreateBatchInferenceJobInput) {
			in.JobOutput.S3DataDestination.Path = aws.String("s3://out/" + strings.Repeat("p", 260))
		}, "InvalidInputException", []string{"'jobOutput.s3DataDestination.path'"}},
		{"kms key pattern", func(in *personalize.CreateBatchInferenceJobInput) {
			in.JobOutput.S3DataDestination.KmsKeyArn = aws.String("arn:aws:kms:us-east-1:123:key/x")
		}, "InvalidInputException", []string{"'jobOutput.s3DataDestination.kmsKeyArn'"}},
		{"role pattern", func(in *personalize.CreateBatchInferenceJobInput) {
			in.RoleArn = aws.String("arn:aws:iam::123456789012:user/bob")
		}, "InvalidInputException", []string{"'roleArn'"}},
		{"exploration entries", func(in *personalize.CreateBatchInferenceJobInput) {
			m := map[string]string{}
			for i := range 101 {
				m[fmt.Sprint(i)] = "1"
			}
			in.BatchInferenceJobConfig = &types.BatchInferenceJobConfig{ItemExplorationConfig: m}
		}, "InvalidInputException", []string{"itemExplorationConfig", "100"}},
		{"exploration weight range", func(in *personalize.CreateBatchInferenceJobInput) {
			in.BatchInferenceJobConfig = &types.BatchInferenceJobConfig{ItemExplorationConfig: map[string]string{"explorationWeight": "1.5"}}
		}, "InvalidInputException", []string{"itemExplorationConfig.explorationWeight", "0 to 1"}},
		{"exploration weight not a number", func(in *personalize.CreateBatchInferenceJobInput) {
			in.BatchInferenceJobConfig = &types.BatchInferenceJobConfig{ItemExplorationConfig: map[string]string{"explorationWeight": "lots"}}
		}, "InvalidInputException", []string{"explorationWeight"}},
		{"exploration cut-off zero", func(in *personalize.CreateBatchInferenceJobInput) {
			in.BatchInferenceJobConfig = &types.BatchInferenceJobConfig{ItemExplorationConfig: map[string]string{"explorationItemAgeCutOff": "0"}}
		}, "InvalidInputException", []string{"explorationItemAgeCutOff", "greater than 0"}},
		{"exploration unknown key", func(in *personalize.CreateBatchInferenceJobInput) {
			in.BatchInferenceJobConfig = &types.BatchInferenceJobConfig{ItemExplorationConfig: map[string]string{"explorationRate": "0.1"}}
		}, "InvalidInputException", []string{"explorationRate", "explorationWeight", "explorationItemAgeCutOff"}},
		{"ranking influence key", func(in *personalize.CreateBatchInferenceJobInput) {
			in.BatchInferenceJobConfig = &types.BatchInferenceJobConfig{RankingInfluence: map[string]float64{"NOVELTY": 0.5}}
		}, "InvalidInputException", []string{"batchInferenceJobConfig.rankingInfluence", "POPULARITY, FRESHNESS"}},
		{"ranking influence above 1", func(in *personalize.CreateBatchInferenceJobInput) {
			in.BatchInferenceJobConfig = &types.BatchInferenceJobConfig{RankingInfluence: map[string]float64{"POPULARITY": 1.5}}
		}, "InvalidInputException", []string{"rankingInfluence.POPULARITY", "less than or equal to 1"}},
		{"ranking influence negative", func(in *personalize.CreateBatchInferenceJobInput) {
			in.BatchInferenceJobConfig = &types.BatchInferenceJobConfig{RankingInfluence: map[string]float64{"FRESHNESS": -0.1}}
		}, "InvalidInputException", []string{"rankingInfluence.FRESHNESS", "greater than or equal to 0"}},
		{"ranking influence NaN", func(in *personalize.CreateBatchInferenceJobInput) {
			in.BatchInferenceJobConfig = &types.BatchInferenceJobConfig{RankingInfluence: map[string]float64{"FRESHNESS": math.NaN()}}
		}, "InvalidInputException", []string{"rankingInfluence.FRESHNESS"}},
		{"51 tags", func(in *personalize.CreateBatchInferenceJobInput) { in.Tags = manyTags(51) }, "TooManyTagsException", []string{"tags", "50"}},
		{"201 tags", func(in *personalize.CreateBatchInferenceJobInput) { in.Tags = manyTags(201) }, "InvalidInputException", []string{"'tags'", "200"}},
		{"empty tag key", func(in *personalize.CreateBatchInferenceJobInput) {
			in.Tags = []types.Tag{{TagKey: aws.String(""), TagValue: aws.String("v")}}
		}, "InvalidInputException", []string{"'tags.1.member.tagKey'"}},
		{"long tag key", func(in *personalize.CreateBatchInferenceJobInput) {
			in.Tags = []types.Tag{{TagKey: aws.String("ok"), TagValue: aws.String("v")}, {TagKey: aws.String(strings.Repeat("k", 129)), TagValue: aws.String("v")}}
		}, "InvalidInputException", []string{"'tags.2.member.tagKey'", "128"}},
		{"long tag value", func(in *personalize.CreateBatchInferenceJobInput) {
			in.Tags = []types.Tag{{TagKey: aws.String("k"), TagValue: aws.String(strings.Repeat("v", 257))}}
		}, "InvalidInputException", []string{"'tags.1.member.tagValue'", "256"}},
		{"tag key characters", func(in *personalize.CreateBatchInferenceJobInput) {
			in.Tags = []types.Tag{{TagKey: aws.String("cost#centre"), TagValue: aws.String("v")}}
		}, "InvalidInputException", []string{"'tags.1.member.tagKey'", "regular expression"}},
		{"reserved tag key", func(in *personalize.CreateBatchInferenceJobInput) {
			in.Tags = []types.Tag{{TagKey: aws.String("AWS:owner"), TagValue: aws.String("v")}}
		}, "InvalidInputException", []string{"tags.1.member.tagKey", "aws:"}},
		{"reserved tag value", func(in *personalize.CreateBatchInferenceJobInput) {
			in.Tags = []types.Tag{{TagKey: aws.String("owner"), TagValue: aws.String("aws:me")}}
		}, "InvalidInputException", []string{"tags.1.member.tagValue", "aws:"}},
		{"mode enum", func(in *personalize.CreateBatchInferenceJobInput) { in.BatchInferenceJobMode = "FAST" }, "InvalidInputException", []string{"'batchInferenceJobMode'", "BATCH_INFERENCE, THEME_GENERATION"}},
		{"theme mode without config", func(in *personalize.CreateBatchInferenceJobInput) {
			in.SolutionVersionArn = aws.String(fixtureSIMS)
			in.BatchInferenceJobMode = types.BatchInferenceJobModeThemeGeneration
		}, "InvalidInputException", []string{"themeGenerationConfig", "THEME_GENERATION"}},
		{"theme config without theme mode", func(in *personalize.CreateBatchInferenceJobInput) {
			in.SolutionVersionArn = aws.String(fixtureSIMS)
			in.ThemeGenerationConfig = themeConfig("title")
		}, "InvalidInputException", []string{"themeGenerationConfig", "THEME_GENERATION"}},
		{"theme item name pattern", func(in *personalize.CreateBatchInferenceJobInput) {
			in.SolutionVersionArn = aws.String(fixtureSIMS)
			in.BatchInferenceJobMode = types.BatchInferenceJobModeThemeGeneration
			in.ThemeGenerationConfig = themeConfig("1title")
		}, "InvalidInputException", []string{"'themeGenerationConfig.fieldsForThemeGeneration.itemName'"}},
		{"theme with user personalization", func(in *personalize.CreateBatchInferenceJobInput) {
			in.BatchInferenceJobMode = types.BatchInferenceJobModeThemeGeneration
			in.ThemeGenerationConfig = themeConfig("title")
		}, "InvalidInputException", []string{"THEME_GENERATION", "aws-similar-items", "aws-user-personalization"}},
		{"exploration with similar items", func(in *personalize.CreateBatchInferenceJobInput) {
			in.SolutionVersionArn = aws.String(fixtureSIMS)
			in.BatchInferenceJobConfig = &types.BatchInferenceJobConfig{ItemExplorationConfig: map[string]string{"explorationWeight": "0.3"}}
		}, "InvalidInputException", []string{"itemExplorationConfig", "aws-user-personalization"}},
		{"trending-now recipe", func(in *personalize.CreateBatchInferenceJobInput) {
			in.SolutionVersionArn = aws.String("arn:aws:personalize:us-east-1:123456789012:solution/trending/1")
		}, "InvalidInputException", []string{"solutionVersionArn", "aws-trending-now"}},
		{"unknown solution version", func(in *personalize.CreateBatchInferenceJobInput) {
			in.SolutionVersionArn = aws.String("arn:aws:personalize:us-east-1:123456789012:solution/nope/1")
		}, "ResourceNotFoundException", []string{"solutionVersionArn", "solution/nope/1"}},
		{"unknown filter", func(in *personalize.CreateBatchInferenceJobInput) {
			in.FilterArn = aws.String("arn:aws:personalize:us-east-1:123456789012:filter/nope")
		}, "ResourceNotFoundException", []string{"filterArn", "filter/nope"}},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := validCreate(fmt.Sprintf("invalid-%d", i))
			c.mutate(in)
			_, err := h.client.CreateBatchInferenceJob(ctx, in)
			wantAPIError(t, err, c.code, c.fragments...)
		})
	}
	if n := h.em.Stats().Jobs; n != 0 {
		t.Errorf("rejected creates made %d jobs", n)
	}
}

func TestEmulator_createAcceptsDocumentedValues(t *testing.T) {
	h := newHarness(t, Config{})
	h.em.SetMaxRunningJobs(100)
	cases := map[string]func(*personalize.CreateBatchInferenceJobInput){
		"defaults only": func(*personalize.CreateBatchInferenceJobInput) {},
		"themes with similar items": func(in *personalize.CreateBatchInferenceJobInput) {
			in.SolutionVersionArn = aws.String(fixtureSIMS)
			in.BatchInferenceJobMode = types.BatchInferenceJobModeThemeGeneration
			in.ThemeGenerationConfig = themeConfig("item_title")
		},
		"exploration with user personalization": func(in *personalize.CreateBatchInferenceJobInput) {
			in.BatchInferenceJobConfig = &types.BatchInferenceJobConfig{ItemExplorationConfig: map[string]string{"explorationWeight": "1", "explorationItemAgeCutOff": "7.5"}}
		},
		"ranking influence at the bounds": func(in *personalize.CreateBatchInferenceJobInput) {
			in.SolutionVersionArn = aws.String(fixtureRanking)
			in.BatchInferenceJobConfig = &types.BatchInferenceJobConfig{RankingInfluence: map[string]float64{"POPULARITY": 0, "FRESHNESS": 1}}
		},
		"50 tags": func(in *personalize.CreateBatchInferenceJobInput) { in.Tags = manyTags(50) },
		"unicode tags": func(in *personalize.CreateBatchInferenceJobInput) {
			in.Tags = []types.Tag{{TagKey: aws.String("équipe 1"), TagValue: aws.String("")}}
		},
		"500 results": func(in *personalize.CreateBatchInferenceJobInput) { in.NumResults = aws.Int32(500) },
		"filter and keys": func(in *personalize.CreateBatchInferenceJobInput) {
			in.FilterArn = aws.String(fixtureFilter)
			in.JobInput.S3DataSource.KmsKeyArn = aws.String("arn:aws:kms:us-east-1:123456789012:key/1234abcd")
		},
		"63 character name": func(in *personalize.CreateBatchInferenceJobInput) {
			in.JobName = aws.String("A" + strings.Repeat("b-_", 20) + "zz")
		},
	}
	i := 0
	for name, mutate := range cases {
		i++
		in := validCreate(fmt.Sprintf("valid-%d", i))
		mutate(in)
		if _, err := h.client.CreateBatchInferenceJob(ctx, in); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestEmulator_themeGenerationOnlyInContentGeneratorRegions(t *testing.T) {
	h := newHarness(t, Config{Region: "eu-west-1"})
	sims := "arn:aws:personalize:eu-west-1:123456789012:solution/demo-similar-items/5e6f7a8b"
	in := validCreate("themes")
	in.SolutionVersionArn = aws.String(sims)
	in.BatchInferenceJobMode = types.BatchInferenceJobModeThemeGeneration
	in.ThemeGenerationConfig = themeConfig("title")
	_, err := h.newClient("a", "b", func(o *personalize.Options) { o.Region = "eu-west-1" }).CreateBatchInferenceJob(ctx, in)
	wantAPIError(t, err, "InvalidInputException", "THEME_GENERATION", "eu-west-1")
}

func TestEmulator_otherOperationsValidate(t *testing.T) {
	h := newHarness(t, Config{})
	_, err := h.client.DescribeBatchInferenceJob(ctx, &personalize.DescribeBatchInferenceJobInput{BatchInferenceJobArn: aws.String("job-1")})
	wantAPIError(t, err, "InvalidInputException", "'batchInferenceJobArn'")
	for _, n := range []int32{0, 101} {
		_, err = h.client.ListBatchInferenceJobs(ctx, &personalize.ListBatchInferenceJobsInput{MaxResults: aws.Int32(n)})
		wantAPIError(t, err, "InvalidInputException", "'maxResults'")
	}
	_, err = h.client.ListBatchInferenceJobs(ctx, &personalize.ListBatchInferenceJobsInput{NextToken: aws.String(strings.Repeat("t", 1501))})
	wantAPIError(t, err, "InvalidInputException", "'nextToken'")
	_, err = h.client.ListBatchInferenceJobs(ctx, &personalize.ListBatchInferenceJobsInput{SolutionVersionArn: aws.String("nope")})
	wantAPIError(t, err, "InvalidInputException", "'solutionVersionArn'")
	_, err = h.client.ListTagsForResource(ctx, &personalize.ListTagsForResourceInput{ResourceArn: aws.String("nope")})
	wantAPIError(t, err, "InvalidInputException", "'resourceArn'")
	_, err = h.client.UntagResource(ctx, &personalize.UntagResourceInput{ResourceArn: aws.String(fixtureFilter), TagKeys: []string{""}})
	wantAPIError(t, err, "InvalidInputException", "'tagKeys.1.member'")
}
