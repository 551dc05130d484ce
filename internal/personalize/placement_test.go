package personalize

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestPartitionOf(t *testing.T) {
	for region, want := range map[string]string{
		"us-east-1": "aws", "eu-west-1": "aws", "ap-southeast-7": "aws", "mx-central-1": "aws",
		"cn-north-1": "aws-cn", "cn-northwest-1": "aws-cn",
		"us-gov-west-1": "aws-us-gov", "us-gov-east-1": "aws-us-gov",
		"us-iso-east-1": "aws-iso", "us-isob-east-1": "aws-iso-b", "eu-isoe-west-1": "aws-iso-e",
		// A region no partition claims (skip_region_validation) is taken
		// for the standard partition's, as the AWS SDKs take it.
		"moon-base-1": "aws",
	} {
		if got := partitionOf(region); got != want {
			t.Errorf("partitionOf(%q) = %q, want %q", region, got, want)
		}
	}
}

// jobConfig is a job's configuration for checkPlacement: the values of the
// arguments it reads, by path; the others are null.
type jobConfig map[string]types.String

func (c jobConfig) GetAttribute(_ context.Context, p path.Path, target any) diag.Diagnostics {
	v, ok := c[p.String()]
	if !ok {
		v = types.StringNull()
	}
	*target.(*types.String) = v
	return nil
}

func validJobConfig(region string) jobConfig {
	return jobConfig{
		"solution_version_arn":                       str("arn:aws:personalize:" + region + ":123456789012:solution/recs/1a2b3c4d"),
		"filter_arn":                                 str("arn:aws:personalize:" + region + ":123456789012:filter/in-stock"),
		"role_arn":                                   str("arn:aws:iam::123456789012:role/PersonalizeBatch"),
		"job_input.s3_data_source.path":              str("s3://my-bucket/input/"),
		"job_input.s3_data_source.kms_key_arn":       str("arn:aws:kms:" + region + ":123456789012:key/abcd"),
		"job_output.s3_data_destination.path":        str("s3://my-bucket/output/"),
		"job_output.s3_data_destination.kms_key_arn": str("arn:aws:kms:" + region + ":123456789012:key/abcd"),
	}
}

func TestCheckJobPlacement(t *testing.T) {
	euWest := &ProviderData{Region: "eu-west-1"}
	for name, c := range map[string]struct {
		data   *ProviderData
		change jobConfig
		// want are the parts of the one error, on attr; none when empty.
		attr, summary string
		want          []string
	}{
		"all in the provider's region": {data: euWest},
		"in the China partition": {data: &ProviderData{Region: "cn-north-1"}, change: jobConfig{
			"solution_version_arn":                       str("arn:aws-cn:personalize:cn-north-1:123456789012:solution/recs/1a2b3c4d"),
			"filter_arn":                                 str("arn:aws-cn:personalize:cn-north-1:123456789012:filter/in-stock"),
			"role_arn":                                   str("arn:aws-cn:iam::123456789012:role/PersonalizeBatch"),
			"job_input.s3_data_source.kms_key_arn":       str("arn:aws-cn:kms:cn-north-1:123456789012:key/abcd"),
			"job_output.s3_data_destination.kms_key_arn": types.StringNull(),
		}},
		"solution version in another region": {data: euWest,
			change: jobConfig{"solution_version_arn": str("arn:aws:personalize:us-east-1:123456789012:solution/recs/1a2b3c4d")},
			attr:   "solution_version_arn", summary: "ARN in another region", want: []string{
				`solution_version_arn "arn:aws:personalize:us-east-1:123456789012:solution/recs/1a2b3c4d" is in us-east-1, but the provider's region is eu-west-1, ` +
					"and Amazon Personalize sees only the resources of the region it is called in: use the ARN of a solution version in eu-west-1 " +
					"(such as arn:aws:personalize:eu-west-1:123456789012:solution/recs/1a2b3c4d), " +
					`or a provider configured for us-east-1 (a provider block with region = "us-east-1" and an alias).`,
			}},
		"filter in another partition": {data: euWest,
			change: jobConfig{"filter_arn": str("arn:aws-cn:personalize:cn-north-1:123456789012:filter/in-stock")},
			attr:   "filter_arn", summary: "ARN in another region", want: []string{
				"is in the aws-cn partition, but the provider's region, eu-west-1, is in the aws partition",
				"use the ARN of a filter in eu-west-1, such as arn:aws:personalize:eu-west-1:123456789012:filter/in-stock.",
			}},
		"role of another partition": {data: &ProviderData{Region: "us-gov-west-1"}, change: jobConfig{
			"solution_version_arn":                       str("arn:aws-us-gov:personalize:us-gov-west-1:123456789012:solution/recs/1a2b3c4d"),
			"filter_arn":                                 types.StringNull(),
			"job_input.s3_data_source.kms_key_arn":       types.StringNull(),
			"job_output.s3_data_destination.kms_key_arn": types.StringNull(),
		}, attr: "role_arn", summary: "IAM role in another partition", want: []string{
			`role_arn "arn:aws:iam::123456789012:role/PersonalizeBatch" is a role of the aws partition, but the provider's region, us-gov-west-1, is in the aws-us-gov partition`,
			"use a role of the aws-us-gov partition, such as arn:aws-us-gov:iam::123456789012:role/PersonalizeBatch.",
		}},
		"KMS key in another region": {data: euWest,
			change: jobConfig{"job_output.s3_data_destination.kms_key_arn": str("arn:aws:kms:eu-central-1:123456789012:key/abcd")},
			attr:   "job_output.s3_data_destination.kms_key_arn", summary: "KMS key in another region", want: []string{
				`job_output.s3_data_destination.kms_key_arn "arn:aws:kms:eu-central-1:123456789012:key/abcd" is a key in eu-central-1, but the job runs in the provider's region, eu-west-1`,
				"use a key in eu-west-1, such as arn:aws:kms:eu-west-1:123456789012:key/abcd",
			}},
		"bucket name refused outside us-east-1": {data: euWest,
			change: jobConfig{"job_input.s3_data_source.path": str("s3://My_Bucket/input/")},
			attr:   "job_input.s3_data_source.path", summary: "S3 bucket name refused in the provider's region", want: []string{
				`job_input.s3_data_source.path "s3://My_Bucket/input/": S3 refuses the bucket name "My_Bucket" in eu-west-1, the provider's region, where the job's buckets must be: ` +
					"it has capital letters (only buckets made in us-east-1 before March 2018 have them); it has underscores",
				`Use a bucket in eu-west-1, named with 3 to 63 lowercase letters, digits, "." and "-"`,
			}},
		"too short a bucket name in us-east-1": {data: &ProviderData{Region: "us-east-1"}, change: jobConfig{
			"solution_version_arn":                       str("arn:aws:personalize:us-east-1:123456789012:solution/recs/1a2b3c4d"),
			"filter_arn":                                 types.StringNull(),
			"job_input.s3_data_source.path":              str("s3://ab/input/"),
			"job_input.s3_data_source.kms_key_arn":       types.StringNull(),
			"job_output.s3_data_destination.kms_key_arn": types.StringNull(),
		},
			attr: "job_input.s3_data_source.path", summary: "S3 bucket name refused in the provider's region", want: []string{
				`S3 refuses the bucket name "ab" in us-east-1`, "is 2 characters long, not 3 to 255",
			}},
		"legacy bucket name in us-east-1": {data: &ProviderData{Region: "us-east-1"}, change: jobConfig{
			"solution_version_arn":                       str("arn:aws:personalize:us-east-1:123456789012:solution/recs/1a2b3c4d"),
			"filter_arn":                                 types.StringNull(),
			"job_input.s3_data_source.path":              str("s3://My_Legacy_Bucket/input/"),
			"job_input.s3_data_source.kms_key_arn":       types.StringNull(),
			"job_output.s3_data_destination.kms_key_arn": types.StringNull(),
		}},
		"an https path is the API's to judge": {data: euWest,
			change: jobConfig{"job_output.s3_data_destination.path": str("https://My_Bucket.s3.eu-west-1.amazonaws.com/out/")}},
		"values not known yet": {data: euWest, change: jobConfig{
			"solution_version_arn":          types.StringUnknown(),
			"job_input.s3_data_source.path": types.StringUnknown(),
		}},
		"the provider not configured yet": {data: nil,
			change: jobConfig{"solution_version_arn": str("arn:aws:personalize:us-east-1:123456789012:solution/recs/1a2b3c4d")}},
	} {
		t.Run(name, func(t *testing.T) {
			config := validJobConfig("eu-west-1")
			for k, v := range c.change {
				config[k] = v
			}
			errs := checkPlacement(t.Context(), config, c.data, batchInferenceJobKind.placement...).Errors()
			if len(c.want) == 0 {
				for _, e := range errs {
					t.Errorf("unexpected error %s: %s", e.Summary(), e.Detail())
				}
				return
			}
			if len(errs) != 1 {
				t.Fatalf("want one error on %s, got %d: %v", c.attr, len(errs), errs)
			}
			e := errs[0]
			if wp, ok := e.(diag.DiagnosticWithPath); !ok || wp.Path().String() != c.attr {
				t.Errorf("the error is not on %s: %v", c.attr, e)
			}
			if e.Summary() != c.summary {
				t.Errorf("summary %q, want %q", e.Summary(), c.summary)
			}
			for _, w := range c.want {
				if !strings.Contains(e.Detail(), w) {
					t.Errorf("the error\n  %s\ndoes not say\n  %s", e.Detail(), w)
				}
			}
		})
	}
}
