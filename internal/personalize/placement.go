package personalize

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/hashicorp/aws-sdk-go-base/v2/endpoints"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Where an argument points must suit the provider's region: Amazon
// Personalize sees only its own region's resources and buckets, and uses
// KMS keys of the job's region. The region is only known once the provider
// is configured, after `terraform validate` has run the attribute
// validators, so these checks run when planning a job (ModifyPlan of the
// resources and the action) and before a data source or list resource makes
// its first call.

// place is the region the provider works in and its partition.
type place struct {
	region, partition string
}

// placeOf is the provider's place; ok is false before the provider is
// configured, when nothing can be checked yet.
func placeOf(data *ProviderData) (p place, ok bool) {
	if data == nil || data.Region == "" {
		return place{}, false
	}
	return place{region: data.Region, partition: partitionOf(data.Region)}, true
}

// partitionOf is the partition of a region as the AWS SDKs tell it: by the
// regions each partition lists, then by each partition's region pattern,
// and the standard partition for a region no partition claims.
func partitionOf(region string) string {
	if p, ok := endpoints.PartitionForRegion(endpoints.DefaultPartitions(), region); ok {
		return p.ID()
	}
	return endpoints.AwsPartitionID
}

// placedArgument is an argument whose value must suit the provider's place.
// check returns the problem and its fix, "" when there is none; values the
// attribute validators refuse are left to them.
type placedArgument struct {
	path    path.Path
	summary string
	check   func(attr, value string, p place) string
}

// attributeReader is a configuration or a plan.
type attributeReader interface {
	GetAttribute(ctx context.Context, p path.Path, target any) diag.Diagnostics
}

// checkPlacement checks args in config against the provider's place.
// Values not known yet are checked when they are: Terraform plans an action
// again and runs the resource's ModifyPlan again at apply time, and reads a
// data source only once its arguments are known.
func checkPlacement(ctx context.Context, config attributeReader, data *ProviderData, args ...placedArgument) diag.Diagnostics {
	var diags diag.Diagnostics
	p, ok := placeOf(data)
	if !ok {
		return diags
	}
	for _, a := range args {
		var v types.String
		diags.Append(config.GetAttribute(ctx, a.path, &v)...)
		if v.IsNull() || v.IsUnknown() {
			continue
		}
		if detail := a.check(a.path.String(), v.ValueString(), p); detail != "" {
			diags.AddAttributeError(a.path, a.summary, detail)
		}
	}
	return diags
}

// personalizeARNInRegion is an argument holding the ARN of a Personalize
// resource (noun), which must be in the provider's region and partition.
func personalizeARNInRegion(p path.Path, noun string) placedArgument {
	return placedArgument{path: p, summary: "ARN in another region", check: func(attr, value string, at place) string {
		a, err := arn.Parse(value)
		if err != nil || a.Service != "personalize" {
			return ""
		}
		inPlace := a
		inPlace.Partition, inPlace.Region = at.partition, at.region
		switch {
		case a.Partition != at.partition:
			return fmt.Sprintf("%s %q is in the %s partition, but the provider's region, %s, is in the %s partition, and Amazon Personalize sees only the resources of the region it is called in: "+
				"use the ARN of %s %s in %s, such as %s.", attr, value, a.Partition, at.region, at.partition, article(noun), noun, at.region, inPlace)
		case a.Region != at.region:
			return fmt.Sprintf("%s %q is in %s, but the provider's region is %s, and Amazon Personalize sees only the resources of the region it is called in: "+
				"use the ARN of %s %s in %s (such as %s), or a provider configured for %s (a provider block with region = %q and an alias).",
				attr, value, a.Region, at.region, article(noun), noun, at.region, inPlace, a.Region, a.Region)
		}
		return ""
	}}
}

// roleInPartition: IAM roles are global, but only within a partition.
func roleInPartition(attr, value string, at place) string {
	a, err := arn.Parse(value)
	if err != nil || a.Service != "iam" || a.Partition == at.partition {
		return ""
	}
	inPlace := a
	inPlace.Partition = at.partition
	return fmt.Sprintf("%s %q is a role of the %s partition, but the provider's region, %s, is in the %s partition, where that role does not exist: "+
		"use a role of the %s partition, such as %s.", attr, value, a.Partition, at.region, at.partition, at.partition, inPlace)
}

// kmsKeyInRegion: a job encrypts and decrypts with keys of its own region.
func kmsKeyInRegion(attr, value string, at place) string {
	a, err := arn.Parse(value)
	if err != nil || a.Service != "kms" || (a.Partition == at.partition && a.Region == at.region) {
		return ""
	}
	where := a.Region
	if a.Partition != at.partition {
		where = fmt.Sprintf("%s (partition %s)", a.Region, a.Partition)
	}
	inPlace := a
	inPlace.Partition, inPlace.Region = at.partition, at.region
	return fmt.Sprintf("%s %q is a key in %s, but the job runs in the provider's region, %s, and Amazon Personalize uses only KMS keys of the job's region: "+
		"use a key in %s, such as %s (a replica of a multi-Region key has an ARN of its own there).", attr, value, where, at.region, at.region, inPlace)
}

// bucketInRegion: the bucket of an S3 path must be in the region of the
// API endpoint, the provider's, so its name must be one S3 accepts there.
func bucketInRegion(attr, value string, at place) string {
	bucket, ok := s3Bucket(value)
	if !ok {
		return ""
	}
	problems := bucketProblems(bucket, at.region)
	if len(problems) == 0 {
		return ""
	}
	return fmt.Sprintf("%s %q: S3 refuses the bucket name %q in %s, the provider's region, where the job's buckets must be: it %s. "+
		"Use a bucket in %s, named with 3 to 63 lowercase letters, digits, \".\" and \"-\", starting and ending with a letter or digit (such as s3://my-bucket/batch/).",
		attr, value, bucket, at.region, strings.Join(problems, "; it "), at.region)
}
