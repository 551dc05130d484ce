package personalize

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// validatorCase is a value for an attribute's validators: want holds the
// parts of the one error it must get (none when want is empty).
type validatorCase struct {
	value    types.String
	want     []string
	unwanted []string // what the error must not say
}

func runStringValidators(t *testing.T, attr string, validators []validator.String, v types.String) diag.Diagnostics {
	t.Helper()
	p := path.Root(attr)
	var diags diag.Diagnostics
	for _, check := range validators {
		resp := validator.StringResponse{}
		check.ValidateString(t.Context(), validator.StringRequest{Path: p, PathExpression: p.Expression(), ConfigValue: v}, &resp)
		diags.Append(resp.Diagnostics...)
	}
	return diags
}

// checkValidatorCases runs each case through validators as the value of
// attr and checks that a valid value passes and an invalid one gets exactly
// one error, on attr, whose text has every part of want.
func checkValidatorCases(t *testing.T, attr string, validators []validator.String, cases map[string]validatorCase) {
	t.Helper()
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			diags := runStringValidators(t, attr, validators, c.value)
			errs := diags.Errors()
			if len(c.want) == 0 {
				if len(errs) > 0 {
					t.Fatalf("%s = %s: want no error, got %q", attr, c.value, errs[0].Detail())
				}
				return
			}
			if len(errs) != 1 {
				t.Fatalf("%s = %s: want one error, got %d: %v", attr, c.value, len(errs), errs)
			}
			detail := errs[0].Detail()
			if wp, ok := errs[0].(diag.DiagnosticWithPath); !ok || !wp.Path().Equal(path.Root(attr)) {
				t.Errorf("the error is not on %s: %v", attr, errs[0])
			}
			for _, w := range c.want {
				if !strings.Contains(detail, w) {
					t.Errorf("%s = %s: the error\n  %s\ndoes not say\n  %s", attr, c.value, detail, w)
				}
			}
			for _, w := range c.unwanted {
				if strings.Contains(detail, w) {
					t.Errorf("%s = %s: the error\n  %s\nshould not say\n  %s", attr, c.value, detail, w)
				}
			}
		})
	}
}

func str(s string) types.String { return types.StringValue(s) }

func TestValidators_solutionVersionARN(t *testing.T) {
	checkValidatorCases(t, "solution_version_arn", solutionVersionARNValidators(), map[string]validatorCase{
		"a solution version":   {value: str("arn:aws:personalize:us-east-1:123456789012:solution/my-solution/1a2b3c4d")},
		"in another partition": {value: str("arn:aws-cn:personalize:cn-north-1:123456789012:solution/my-solution/1a2b3c4d")},
		"unknown":              {value: types.StringUnknown()},
		"null":                 {value: types.StringNull()},
		"the solution": {value: str("arn:aws:personalize:us-east-1:123456789012:solution/my-solution"), want: []string{
			`solution_version_arn "arn:aws:personalize:us-east-1:123456789012:solution/my-solution" is a solution ARN, not a solution version ARN: ` +
				"use the ARN of a trained version, arn:aws:personalize:us-east-1:123456789012:solution/my-solution/<version id> " +
				"(the personalize_solution_version data source finds the latest).",
		}},
		"a filter": {value: str("arn:aws:personalize:eu-west-1:123456789012:filter/in-stock"), want: []string{
			"is a filter ARN, not a solution version ARN",
			"use the ARN of a trained solution version, arn:aws:personalize:eu-west-1:123456789012:solution/<solution name>/<version id>",
		}},
		"a recipe, which has no region or account": {value: str("arn:aws:personalize:::recipe/aws-user-personalization"), want: []string{
			"is a recipe ARN, not a solution version ARN",
			"arn:aws:personalize:<region>:<account>:solution/<solution name>/<version id>",
		}},
		"a campaign": {value: str("arn:aws:personalize:us-east-1:123456789012:campaign/recs"), want: []string{"is a campaign ARN, not a solution version ARN"}},
		"too many names": {value: str("arn:aws:personalize:us-east-1:123456789012:solution/my-solution/1a2b/extra"), want: []string{
			"is not a solution version ARN: its resource must be solution/<solution name>/<version id>",
		}},
		"an empty version id": {value: str("arn:aws:personalize:us-east-1:123456789012:solution/my-solution/"), want: []string{
			"is not a solution version ARN: its resource must be solution/<solution name>/<version id>",
		}},
		"no region": {value: str("arn:aws:personalize::123456789012:solution/my-solution/1a2b3c4d"), want: []string{
			"is not a complete solution version ARN: it must name the solution version's region and 12-digit account",
		}},
		"another service": {value: str("arn:aws:sagemaker:us-east-1:123456789012:model/x"), want: []string{
			"solution_version_arn must be an Amazon Personalize ARN such as arn:aws:personalize:us-east-1:123456789012:solution/my-solution/1a2b3c4d",
		}},
		"no ARN": {value: str("my-solution"), want: []string{"solution_version_arn must be an Amazon Personalize ARN"}},
	})
}

func TestValidators_filterARN(t *testing.T) {
	checkValidatorCases(t, "filter_arn", filterARNValidators(), map[string]validatorCase{
		"a filter": {value: str("arn:aws:personalize:us-east-1:123456789012:filter/in-stock")},
		"a solution version": {value: str("arn:aws:personalize:us-east-1:123456789012:solution/my-solution/1a2b3c4d"), want: []string{
			`filter_arn "arn:aws:personalize:us-east-1:123456789012:solution/my-solution/1a2b3c4d" is a solution version ARN, not a filter ARN: ` +
				"use the ARN of a filter, arn:aws:personalize:us-east-1:123456789012:filter/<filter name>.",
		}},
		"a dataset group": {value: str("arn:aws:personalize:us-east-1:123456789012:dataset-group/retail"), want: []string{"is a dataset group ARN, not a filter ARN"}},
		"no filter name": {value: str("arn:aws:personalize:us-east-1:123456789012:filter/"), want: []string{
			"is not a filter ARN: its resource must be filter/<filter name>",
		}},
		"a name only": {value: str("demo-filter"), want: []string{"filter_arn must be an Amazon Personalize ARN such as arn:aws:personalize:us-east-1:123456789012:filter/my-filter"}},
	})
}

func TestValidators_roleARN(t *testing.T) {
	checkValidatorCases(t, "role_arn", roleARNValidators(), map[string]validatorCase{
		"a role":           {value: str("arn:aws:iam::123456789012:role/PersonalizeBatch")},
		"a role in a path": {value: str("arn:aws:iam::123456789012:role/service-role/PersonalizeBatch")},
		"a user": {value: str("arn:aws:iam::123456789012:user/ci"), want: []string{
			`role_arn "arn:aws:iam::123456789012:user/ci" is an IAM user ARN, not an IAM role ARN: ` +
				"use the ARN of the role Amazon Personalize assumes, arn:aws:iam::123456789012:role/<role name>.",
		}},
		"a policy":           {value: str("arn:aws:iam::123456789012:policy/read-s3"), want: []string{"is an IAM policy ARN, not an IAM role ARN"}},
		"the account's root": {value: str("arn:aws:iam::123456789012:root"), want: []string{"is an account root user ARN, not an IAM role ARN"}},
		"an assumed-role session": {value: str("arn:aws:sts::123456789012:assumed-role/PersonalizeBatch/session-1"), want: []string{
			"is the ARN of a session of an assumed role, not of the role: use the role's own ARN, arn:aws:iam::123456789012:role/PersonalizeBatch",
		}},
		"a region": {value: str("arn:aws:iam:us-east-1:123456789012:role/PersonalizeBatch"), want: []string{
			"names a region (us-east-1), but IAM ARNs have none: write it as arn:aws:iam::123456789012:role/PersonalizeBatch.",
		}},
		"no role name": {value: str("arn:aws:iam::123456789012:role/service-role/"), want: []string{
			"names no role: write the role's name after role/",
		}},
		"role without its slash": {value: str("arn:aws:iam::123456789012:roleAdmin"), want: []string{
			"is not an IAM role ARN: its resource must be role/<role name>, as in arn:aws:iam::123456789012:role/<role name>.",
		}},
		"a bucket":        {value: str("arn:aws:s3:::bucket"), want: []string{"role_arn must be an IAM role ARN such as", "got: arn:aws:s3:::bucket"}},
		"a short account": {value: str("arn:aws:iam::123:role/x"), want: []string{"role_arn must be an IAM role ARN"}},
	})
}

func TestValidators_kmsKeyARN(t *testing.T) {
	checkValidatorCases(t, "kms_key_arn", kmsKeyARNValidators(), map[string]validatorCase{
		"a key": {value: str("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")},
		"an alias": {value: str("arn:aws:kms:us-east-1:123456789012:alias/batch"), want: []string{
			`kms_key_arn "arn:aws:kms:us-east-1:123456789012:alias/batch" is a KMS alias ARN, not a KMS key ARN: Amazon Personalize takes keys only. ` +
				"Use the ARN of the key the alias points to, arn:aws:kms:us-east-1:123456789012:key/<key id> " +
				"(`aws kms describe-key --key-id arn:aws:kms:us-east-1:123456789012:alias/batch` shows it).",
		}},
		"no key id": {value: str("arn:aws:kms:us-east-1:123456789012:key/"), want: []string{"names no key: write the key's id after key/"}},
		"no region": {value: str("arn:aws:kms::123456789012:key/abc"), want: []string{
			`kms_key_arn "arn:aws:kms::123456789012:key/abc" names no region: a KMS key ARN names the key's region, as in arn:aws:kms:<region>:123456789012:key/<key id>.`,
		}},
		"a short account": {value: str("arn:aws:kms:us-east-1:1234:key/abc"), want: []string{
			"kms_key_arn must be a KMS key ARN such as arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		}},
		"another KMS resource": {value: str("arn:aws:kms:us-east-1:123456789012:grant/abc"), want: []string{
			"is not a KMS key ARN: its resource must be key/<key id>",
		}},
		"an alias name": {value: str("alias/batch"), want: []string{"kms_key_arn must be a KMS key ARN", "aliases are not accepted"}},
	})
}

// dataSourceStringValidators are the validators of a data source's string
// attribute, as its schema wires them.
func dataSourceStringValidators(t *testing.T, ds datasource.DataSource, attr string) []validator.String {
	t.Helper()
	var resp datasource.SchemaResponse
	ds.Schema(context.Background(), datasource.SchemaRequest{}, &resp)
	a, ok := resp.Schema.Attributes[attr].(dsschema.StringAttribute)
	if !ok {
		t.Fatalf("the data source has no string attribute %s", attr)
	}
	return a.Validators
}

func TestValidators_jobARNOfTheDataSources(t *testing.T) {
	checkValidatorCases(t, "batch_inference_job_arn", dataSourceStringValidators(t, NewBatchInferenceJobDataSource(), "batch_inference_job_arn"), map[string]validatorCase{
		"a batch inference job": {value: str("arn:aws:personalize:us-east-1:123456789012:batch-inference-job/weekly")},
		"a batch segment job": {value: str("arn:aws:personalize:us-east-1:123456789012:batch-segment-job/weekly"), want: []string{
			"is a batch segment job ARN, not a batch inference job ARN: use the ARN of a batch inference job, " +
				"arn:aws:personalize:us-east-1:123456789012:batch-inference-job/<job name>, or read this one with the personalize_batch_segment_job data source.",
		}},
		"a solution version": {value: str("arn:aws:personalize:us-east-1:123456789012:solution/s/1a2b"), want: []string{
			"is a solution version ARN, not a batch inference job ARN: use the ARN of a batch inference job, arn:aws:personalize:us-east-1:123456789012:batch-inference-job/<job name>.",
		}},
		"a job name": {value: str("weekly"), want: []string{"batch_inference_job_arn must be a batch inference job ARN such as"}},
	})
	checkValidatorCases(t, "batch_segment_job_arn", dataSourceStringValidators(t, NewBatchSegmentJobDataSource(), "batch_segment_job_arn"), map[string]validatorCase{
		"a batch segment job": {value: str("arn:aws:personalize:us-east-1:123456789012:batch-segment-job/launch")},
		"a batch inference job": {value: str("arn:aws:personalize:us-east-1:123456789012:batch-inference-job/launch"), want: []string{
			"is a batch inference job ARN, not a batch segment job ARN", "or read this one with the personalize_batch_inference_job data source",
		}},
	})
	checkValidatorCases(t, "solution_version_arn", dataSourceStringValidators(t, NewBatchSegmentJobDataSource(), "solution_version_arn"), map[string]validatorCase{
		"the solution": {value: str("arn:aws:personalize:us-east-1:123456789012:solution/s"), want: []string{"is a solution ARN, not a solution version ARN"}},
	})
}

func TestValidators_solutionVersionDataSource(t *testing.T) {
	ds := NewSolutionVersionDataSource()
	checkValidatorCases(t, "solution_arn", dataSourceStringValidators(t, ds, "solution_arn"), map[string]validatorCase{
		"a solution": {value: str("arn:aws:personalize:us-east-1:123456789012:solution/my-solution")},
		"a version": {value: str("arn:aws:personalize:us-east-1:123456789012:solution/my-solution/1a2b3c4d"), want: []string{
			`solution_arn "arn:aws:personalize:us-east-1:123456789012:solution/my-solution/1a2b3c4d" is a solution version ARN, not a solution ARN: ` +
				"use the solution's ARN, arn:aws:personalize:us-east-1:123456789012:solution/my-solution, or set solution_version_arn instead to read this version.",
		}},
		"a filter": {value: str("arn:aws:personalize:us-east-1:123456789012:filter/f"), want: []string{
			"is a filter ARN, not a solution ARN: use the ARN of a solution, arn:aws:personalize:us-east-1:123456789012:solution/<solution name>.",
		}},
	})
	checkValidatorCases(t, "solution_version_arn", dataSourceStringValidators(t, ds, "solution_version_arn"), map[string]validatorCase{
		"a version": {value: str("arn:aws:personalize:us-east-1:123456789012:solution/my-solution/1a2b3c4d")},
		"a solution": {value: str("arn:aws:personalize:us-east-1:123456789012:solution/my-solution"), want: []string{
			"is a solution ARN, not a solution version ARN: use the ARN of a trained version",
		}},
	})
}

func TestValidators_s3Path(t *testing.T) {
	checkValidatorCases(t, "job_input.s3_data_source.path", s3PathValidators(), map[string]validatorCase{
		"a prefix":                   {value: str("s3://my-bucket/batch/input/")},
		"a bucket only":              {value: str("s3://my-bucket")},
		"a legacy us-east-1 name":    {value: str("s3://My_Legacy.Bucket/input/")},
		"an https URL the API takes": {value: str("https://my-bucket.s3.us-east-1.amazonaws.com/input/")},
		"keys take any character":    {value: str("s3://my-bucket/日本語 input/")},
		"no bucket": {value: str("s3:///input/"), want: []string{
			`job_input.s3_data_source.path "s3:///input/" names no bucket: write the bucket's name after s3://, as in s3://my-bucket/batch/input/.`,
		}},
		"a space in the bucket": {value: str("s3://my bucket/input/"), want: []string{
			`job_input.s3_data_source.path "s3://my bucket/input/": the bucket name "my bucket" has " ", which S3 allows in no bucket name`,
			`lowercase letters, digits, "." and "-"`,
		}},
		"characters S3 never allows": {value: str("s3://bücket@home/input/"), want: []string{`has "ü" and "@"`}},
		"another scheme":             {value: str("ftp://bucket/input/"), want: []string{`job_input.s3_data_source.path must be an S3 URL such as "s3://bucket/prefix/", got: ftp://bucket/input/`}},
		"no scheme":                  {value: str("bucket/input/"), want: []string{"must be an S3 URL"}},
	})
}

func TestValidators_jobStatus(t *testing.T) {
	cases := map[string]validatorCase{}
	for _, s := range []string{"PENDING", "IN PROGRESS", "ACTIVE", "CREATE FAILED"} {
		cases[s] = validatorCase{value: str(s)}
	}
	guesses := map[string]string{
		"CREATE_FAILED": "CREATE FAILED", "create failed": "CREATE FAILED", "FAILED": "CREATE FAILED",
		"IN_PROGRESS": "IN PROGRESS", "in-progress": "IN PROGRESS", "CREATE IN_PROGRESS": "IN PROGRESS", "RUNNING": "IN PROGRESS",
		"active": "ACTIVE", "COMPLETED": "ACTIVE", "CREATE PENDING": "PENDING", "pending ": "PENDING",
	}
	for bad, guess := range guesses {
		cases[bad] = validatorCase{value: str(bad), want: []string{
			`status "` + bad + `" is not a status the service returns: did you mean "` + guess + `"?`,
			`A batch inference job is "PENDING", "IN PROGRESS", "ACTIVE" or "CREATE FAILED"`,
		}}
	}
	cases["no likely meaning"] = validatorCase{value: str("STOPPED"), want: []string{
		`status "STOPPED" is not a status the service returns. A batch inference job is "PENDING", "IN PROGRESS", "ACTIVE" or "CREATE FAILED"`,
	}}
	cases["empty"] = validatorCase{value: str(""), want: []string{`status "" is not a status the service returns.`, "leave status out to list jobs of every status"}}
	checkValidatorCases(t, "status", jobStatusValidators(batchInferenceJobKind.noun, batchInferenceJobKind.statuses), cases)
}

func TestBucketProblems(t *testing.T) {
	for _, c := range []struct {
		bucket, region string
		want           []string
	}{
		{"my-bucket", "eu-west-1", nil},
		{"my.bucket-2024", "ap-northeast-1", nil},
		{"abc", "eu-west-1", nil},
		{strings.Repeat("b", 63), "eu-west-1", nil},
		{"ab", "eu-west-1", []string{"is 2 characters long, not 3 to 63"}},
		{strings.Repeat("b", 64), "eu-west-1", []string{"is 64 characters long, not 3 to 63"}},
		{"My-Bucket", "eu-west-1", []string{"has capital letters (only buckets made in us-east-1 before March 2018 have them)"}},
		{"my_bucket", "cn-north-1", []string{"has underscores (only buckets made in us-east-1 before March 2018 have them)"}},
		{"192.168.5.4", "eu-west-1", []string{"is shaped like an IP address"}},
		{"-bucket", "eu-west-1", []string{"does not start with a letter or digit"}},
		{".bucket", "eu-west-1", []string{"does not start with a letter or digit"}},
		{"bucket-", "eu-west-1", []string{"does not end with a letter or digit"}},
		{"my..bucket", "eu-west-1", []string{"has two dots in a row"}},
		{"xn--bucket", "eu-west-1", []string{`starts with "xn--", which S3 reserves`}},
		{"sthree-bucket", "eu-west-1", []string{`starts with "sthree-", which S3 reserves`}},
		{"sthree-configurator-x", "eu-west-1", []string{`starts with "sthree-", which S3 reserves`}},
		{"amzn-s3-demo-bucket", "eu-west-1", []string{`starts with "amzn-s3-demo-", which S3 reserves`}},
		{"bucket-s3alias", "eu-west-1", []string{`ends with "-s3alias", which S3 reserves for access point aliases`}},
		{"bucket--ol-s3", "eu-west-1", []string{`ends with "--ol-s3", which S3 reserves`}},
		{"bucket.mrap", "eu-west-1", []string{`ends with ".mrap", which S3 reserves`}},
		{"bucket--usw2-az1--x-s3", "us-west-2", []string{`ends with "--x-s3", which S3 reserves for directory buckets`}},
		{"bucket--table-s3", "eu-west-1", []string{`ends with "--table-s3", which S3 reserves`}},
		{"_My..Legacy_", "eu-west-1", []string{"has capital letters", "has underscores", "does not start", "does not end", "has two dots in a row"}},
		// us-east-1 keeps buckets named before the rules: only the
		// characters S3PathValidator checks and the legacy length apply.
		{"My_Legacy.Bucket", "us-east-1", nil},
		{"xn--legacy", "us-east-1", nil},
		{strings.Repeat("b", 255), "us-east-1", nil},
		{"ab", "us-east-1", []string{"is 2 characters long, not 3 to 255"}},
	} {
		got := bucketProblems(c.bucket, c.region)
		if len(got) != len(c.want) {
			t.Errorf("bucket %q in %s: problems %q, want %d: %q", c.bucket, c.region, got, len(c.want), c.want)
			continue
		}
		for i, w := range c.want {
			if !strings.HasPrefix(got[i], w) {
				t.Errorf("bucket %q in %s: problem %d is %q, want %q", c.bucket, c.region, i, got[i], w)
			}
		}
	}
}
