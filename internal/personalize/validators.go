package personalize

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The patterns and limits below are the service's (reference/personalize-api.md);
// they are checked at plan time because the API only reports them one at a
// time, after Terraform has started applying.
var (
	jobNameRegexp        = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9\-_]*$`)
	personalizeARNRegexp = regexp.MustCompile(`^arn:([a-z\d-]+):personalize:.*:.*:.+$`)
	roleARNRegexp        = regexp.MustCompile(`^arn:([a-z\d-]+):iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+$`)
	s3PathRegexp         = regexp.MustCompile(`^(s3|http|https)://.+$`)
	kmsKeyARNRegexp      = regexp.MustCompile(`^arn:aws.*:kms:.*:[0-9]{12}:key/.*$`)
	itemNameRegexp       = regexp.MustCompile(`^[A-Za-z_][A-Za-z\d_]*$`)
	tagRegexp            = regexp.MustCompile(`^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`)
)

const (
	explorationWeightKey        = "explorationWeight"
	explorationItemAgeCutOffKey = "explorationItemAgeCutOff"

	maxTagsPerResource = 50
)

func jobNameValidators(maxLen int) []validator.String {
	return []validator.String{
		stringvalidator.UTF8LengthBetween(1, maxLen),
		stringvalidator.RegexMatches(jobNameRegexp,
			`must start with a letter or digit and contain only letters, digits, "-" and "_" (for example "weekly-recs-2024")`),
	}
}

// solutionVersionARNValidators check a solution version ARN argument: the
// API's pattern, and that it names a version rather than the solution, a
// filter or anything else the pattern lets through.
func solutionVersionARNValidators() []validator.String {
	return []validator.String{
		stringvalidator.UTF8LengthAtMost(256),
		arnValidator{kind: solutionVersionARNKind,
			pattern: stringvalidator.RegexMatches(personalizeARNRegexp, "must be an Amazon Personalize ARN such as "+solutionVersionExample)},
	}
}

// solutionARNValidator checks a solution ARN of the kind (which says what to
// do with a version's ARN given instead).
func solutionARNValidator(kind arnKind) validator.String {
	return arnValidator{kind: kind, pattern: stringvalidator.RegexMatches(solutionARNRegexp,
		"must be a solution ARN such as arn:aws:personalize:us-east-1:123456789012:solution/my-solution (no version id)")}
}

func filterARNValidators() []validator.String {
	return []validator.String{
		stringvalidator.UTF8LengthAtMost(256),
		arnValidator{kind: filterARNKind,
			pattern: stringvalidator.RegexMatches(personalizeARNRegexp, "must be an Amazon Personalize ARN such as "+filterExample)},
	}
}

const datasetExample = "arn:aws:personalize:us-east-1:123456789012:dataset/my-dataset-group/INTERACTIONS"

// datasetARNValidators check a dataset ARN argument: the API's pattern,
// and that it names a dataset rather than its dataset group, a solution or
// anything else the pattern lets through.
func datasetARNValidators() []validator.String {
	return []validator.String{
		stringvalidator.UTF8LengthAtMost(256),
		arnValidator{kind: datasetARNKind,
			pattern: stringvalidator.RegexMatches(personalizeARNRegexp, "must be an Amazon Personalize dataset ARN such as "+datasetExample)},
		datasetTypeValidator{},
	}
}

// datasetTypes are the types a dataset ARN ends in, one dataset of each per
// dataset group.
var datasetTypes = []string{"INTERACTIONS", "ITEMS", "USERS", "ACTIONS", "ACTION_INTERACTIONS"}

// datasetTypeValidator refuses a dataset ARN whose type is none of
// datasetTypes, which the service would only report as a dataset it cannot
// find.
type datasetTypeValidator struct{}

func (datasetTypeValidator) Description(context.Context) string {
	return "the dataset type must be " + orList(datasetTypes)
}

func (v datasetTypeValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (datasetTypeValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	a, err := arn.Parse(req.ConfigValue.ValueString())
	if err != nil {
		return
	}
	typ, names := personalizeResource(a)
	if typ != "dataset" || len(names) != 2 || slices.Contains(datasetTypes, names[1]) {
		return
	}
	guess := didYouMean(strings.ReplaceAll(names[1], "-", "_"), datasetTypes)
	resp.Diagnostics.AddAttributeError(req.Path, "Unknown dataset type",
		fmt.Sprintf("%s %q ends in %q, which is not a dataset type: a dataset ARN ends in its type, one of %s.%s",
			req.Path, req.ConfigValue.ValueString(), names[1], orList(datasetTypes), guess))
}

// didYouMean is " Did you mean "V"?" for the one of values s most likely
// misspells (see closest), for the end of a message; "" when none.
func didYouMean(s string, values []string) string {
	if g := closest(s, values); g != "" {
		return fmt.Sprintf(" Did you mean %q?", g)
	}
	return ""
}

// closest is the one of values that s most likely misspells: the same but
// for case, or within two typing slips (INTERACTIOSN for INTERACTIONS); ""
// when none is that close, or two are equally close.
func closest(s string, values []string) string {
	best, bestDistance, tie := "", 3, false
	for _, v := range values {
		d := editDistance(strings.ToUpper(s), strings.ToUpper(v))
		switch {
		case d < bestDistance:
			best, bestDistance, tie = v, d, false
		case d == bestDistance:
			tie = true
		}
	}
	if tie || bestDistance >= len(best) {
		return ""
	}
	return best
}

// editDistance is the number of letters to insert, delete or change to
// turn a into b (Levenshtein distance).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			change := prev[j-1]
			if a[i-1] != b[j-1] {
				change++
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, change)
		}
		prev = cur
	}
	return prev[len(b)]
}

func roleARNValidators() []validator.String {
	return []validator.String{
		stringvalidator.UTF8LengthAtMost(256),
		arnValidator{kind: roleARNKind, pattern: stringvalidator.RegexMatches(roleARNRegexp,
			"must be an IAM role ARN such as arn:aws:iam::123456789012:role/PersonalizeBatchRole")},
	}
}

// s3PathValidators check what holds in every region; the bucket naming
// rules that depend on the bucket's region (bucketProblems) are checked
// when the provider's region is known.
func s3PathValidators() []validator.String {
	return []validator.String{
		stringvalidator.UTF8LengthAtMost(256),
		s3PathValidator{pattern: stringvalidator.RegexMatches(s3PathRegexp, `must be an S3 URL such as "s3://bucket/prefix/"`)},
	}
}

func kmsKeyARNValidators() []validator.String {
	return []validator.String{
		stringvalidator.UTF8LengthAtMost(2048),
		arnValidator{kind: kmsKeyARNKind, pattern: stringvalidator.RegexMatches(kmsKeyARNRegexp,
			"must be a KMS key ARN such as arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab (aliases are not accepted)")},
	}
}

// jobStatusValidators accept the statuses the service reports for a job of
// the kind named by noun, spelled as it spells them.
func jobStatusValidators(noun string, statuses []string) []validator.String {
	return []validator.String{jobStatusValidator{noun: noun, statuses: statuses}}
}

func itemNameValidators() []validator.String {
	return []validator.String{
		stringvalidator.UTF8LengthBetween(1, 150),
		stringvalidator.RegexMatches(itemNameRegexp,
			"must be the name of a column of the Items dataset: a letter or _ followed by letters, digits or _"),
	}
}

// numResultsValidators bounds num_results by a job type's maximum.
func numResultsValidators(maxResults int64) []validator.Int64 {
	return []validator.Int64{int64validator.Between(1, maxResults)}
}

func rankingInfluenceValidators() []validator.Map {
	return []validator.Map{
		mapvalidator.SizeAtLeast(1),
		mapvalidator.KeysAre(stringvalidator.OneOf("POPULARITY", "FRESHNESS")),
		mapvalidator.ValueFloat64sAre(float64validator.Between(0, 1)),
	}
}

func itemExplorationConfigValidators() []validator.Map {
	return []validator.Map{
		mapvalidator.SizeAtLeast(1),
		mapvalidator.KeysAre(stringvalidator.OneOf(explorationWeightKey, explorationItemAgeCutOffKey)),
		mapvalidator.ValueStringsAre(stringvalidator.UTF8LengthAtMost(1000)),
		itemExplorationValuesValidator{},
	}
}

// tagsValidators holds the developer guide's tag rules; the API model alone
// would let 200 tags through and reject them at apply time.
func tagsValidators() []validator.Map {
	return []validator.Map{
		mapvalidator.SizeAtMost(maxTagsPerResource),
		mapvalidator.KeysAre(
			stringvalidator.UTF8LengthBetween(1, 128),
			stringvalidator.RegexMatches(tagRegexp, "may contain only letters, digits, spaces and _ . : / = + - @"),
			reservedTagPrefixValidator{what: "key"},
		),
		mapvalidator.ValueStringsAre(
			stringvalidator.UTF8LengthAtMost(256),
			stringvalidator.RegexMatches(tagRegexp, "may contain only letters, digits, spaces and _ . : / = + - @"),
			reservedTagPrefixValidator{what: "value"},
		),
	}
}

// reservedTagPrefixValidator rejects the "aws:" prefix, in any letter case,
// which the tagging rules reserve for AWS in both keys and values.
type reservedTagPrefixValidator struct{ what string }

func (reservedTagPrefixValidator) Description(context.Context) string {
	return `must not start with "aws:"`
}

func (v reservedTagPrefixValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v reservedTagPrefixValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if s := req.ConfigValue.ValueString(); strings.HasPrefix(strings.ToLower(s), "aws:") {
		resp.Diagnostics.AddAttributeError(req.Path, "Reserved tag "+v.what,
			fmt.Sprintf("Tag %s %q starts with \"aws:\", a prefix AWS reserves for its own tags (in any letter case): choose a %s without it.", v.what, s, v.what))
	}
}

// itemExplorationValuesValidator checks each documented key's value, which
// the API takes as a string but reads as a number.
type itemExplorationValuesValidator struct{}

func (itemExplorationValuesValidator) Description(context.Context) string {
	return "explorationWeight must be a number from 0 to 1 and explorationItemAgeCutOff a number of days greater than 0"
}

func (v itemExplorationValuesValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (itemExplorationValuesValidator) ValidateMap(_ context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	elems := req.ConfigValue.Elements()
	keys := make([]string, 0, len(elems))
	for k := range elems {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		s, ok := elems[k].(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			continue
		}
		p := req.Path.AtMapKey(k)
		f, err := strconv.ParseFloat(strings.TrimSpace(s.ValueString()), 64)
		switch {
		// ParseFloat reads "NaN" and "Inf", which compare false with every
		// bound below and which the service refuses.
		case err != nil || math.IsNaN(f) || math.IsInf(f, 0):
			resp.Diagnostics.AddAttributeError(p, "Invalid item exploration value",
				fmt.Sprintf("batch_inference_job_config.item_exploration_config.%s %q is not a number: write it as a decimal number in a string, for example \"0.3\".", k, s.ValueString()))
		case k == explorationWeightKey && (f < 0 || f > 1):
			resp.Diagnostics.AddAttributeError(p, "Invalid item exploration value",
				fmt.Sprintf("batch_inference_job_config.item_exploration_config.explorationWeight %q is out of range: use a number from 0 (no exploration) to 1 (most exploration); the service default is 0.3.", s.ValueString()))
		case k == explorationItemAgeCutOffKey && f <= 0:
			resp.Diagnostics.AddAttributeError(p, "Invalid item exploration value",
				fmt.Sprintf("batch_inference_job_config.item_exploration_config.explorationItemAgeCutOff %q is not positive: use a number of days greater than 0; the service default is 30.", s.ValueString()))
		}
	}
}

// arnKind is the kind of resource an ARN argument must name. mismatch
// explains why a well-formed ARN (a) names something else and what to write
// instead; it returns "" when a is of the kind, and when only the API's
// pattern can tell what is wrong (another service altogether).
type arnKind struct {
	noun     string
	mismatch func(attr, value string, a arn.ARN) string
}

// arnValidator checks an ARN argument: first its kind, since the API's
// patterns let through a solution where a solution version is needed, a
// filter where a solution version is needed and so on, and the service
// would only refuse them at apply time; then the pattern, which also
// catches values that are no ARN at all.
type arnValidator struct {
	kind    arnKind
	pattern validator.String
}

func (v arnValidator) Description(context.Context) string {
	return "must be " + article(v.kind.noun) + " " + v.kind.noun + " ARN"
}

func (v arnValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v arnValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	if a, err := arn.Parse(s); err == nil {
		if detail := v.kind.mismatch(req.Path.String(), s, a); detail != "" {
			resp.Diagnostics.AddAttributeError(req.Path, "Wrong kind of ARN", detail)
			return
		}
	}
	v.pattern.ValidateString(ctx, req, resp)
}

var accountIDRegexp = regexp.MustCompile(`^\d{12}$`)

// arnLike writes an ARN of the partition, region and account of a, with
// placeholders for those a lacks: the form to suggest to a user who gave a.
func arnLike(a arn.ARN, service, region, resource string) string {
	partition, account := a.Partition, a.AccountID
	if partition == "" {
		partition = "aws"
	}
	if !accountIDRegexp.MatchString(account) {
		account = "<account>"
	}
	return fmt.Sprintf("arn:%s:%s:%s:%s:%s", partition, service, region, account, resource)
}

// regionOf is a's region, or a placeholder when it names none.
func regionOf(a arn.ARN) string {
	if a.Region == "" {
		return "<region>"
	}
	return a.Region
}

func article(noun string) string {
	if strings.ContainsRune("aeiouAEIOU", rune(noun[0])) {
		return "an"
	}
	return "a"
}

// personalizeNouns name the resources of Personalize ARNs by their type;
// solutions are named by personalizeNoun, which tells a version from its
// solution.
var personalizeNouns = map[string]string{
	"algorithm": "algorithm", "batch-inference-job": "batch inference job", "batch-segment-job": "batch segment job",
	"campaign": "campaign", "data-deletion-job": "data deletion job", "dataset": "dataset", "dataset-export-job": "dataset export job",
	"dataset-group": "dataset group", "dataset-import-job": "dataset import job", "event-tracker": "event tracker",
	"feature-transformation": "feature transformation", "filter": "filter", "metric-attribution": "metric attribution",
	"recipe": "recipe", "recommender": "recommender", "schema": "schema",
}

// personalizeResource splits a Personalize ARN's resource into its type and
// the names after it: solution/my-solution/1a2b3c4d is "solution" with
// ["my-solution", "1a2b3c4d"].
func personalizeResource(a arn.ARN) (typ string, names []string) {
	typ, rest, found := strings.Cut(a.Resource, "/")
	if !found {
		return typ, nil
	}
	return typ, strings.Split(rest, "/")
}

// personalizeNoun names what a Personalize resource is, "" when unknown.
func personalizeNoun(typ string, names []string) string {
	if typ == "solution" {
		switch len(names) {
		case 1:
			return "solution"
		case 2:
			return "solution version"
		}
		return ""
	}
	return personalizeNouns[typ]
}

// personalizeARNKind is a Personalize ARN whose resource is typ followed by
// one name per placeholder ("<solution name>", "<version id>"). fix tells a
// user who gave a resource of another type (got) what to write instead.
func personalizeARNKind(noun, typ string, placeholders []string, fix func(a arn.ARN, got string, example string) string) arnKind {
	form := strings.Join(append([]string{typ}, placeholders...), "/")
	return arnKind{noun: noun, mismatch: func(attr, value string, a arn.ARN) string {
		if a.Service != "personalize" {
			return ""
		}
		example := arnLike(a, "personalize", regionOf(a), form)
		gotType, names := personalizeResource(a)
		if gotType == typ && len(names) == len(placeholders) && !slices.Contains(names, "") {
			if a.Region == "" || !accountIDRegexp.MatchString(a.AccountID) {
				return fmt.Sprintf("%s %q is not a complete %s ARN: it must name the %s's region and 12-digit account, as in %s.", attr, value, noun, noun, example)
			}
			return ""
		}
		got := personalizeNoun(gotType, names)
		if got == "" || got == noun {
			return fmt.Sprintf("%s %q is not a %s ARN: its resource must be %s, as in %s.", attr, value, noun, form, example)
		}
		return fmt.Sprintf("%s %q is %s %s ARN, not %s %s ARN: %s.", attr, value, article(got), got, article(noun), noun, fix(a, got, example))
	}}
}

var (
	solutionVersionARNKind = personalizeARNKind("solution version", "solution", []string{"<solution name>", "<version id>"},
		func(a arn.ARN, got, example string) string {
			if got == "solution" {
				return fmt.Sprintf("use the ARN of a trained version, %s/<version id> (the personalize_solution_version data source finds the latest)", a)
			}
			return fmt.Sprintf("use the ARN of a trained solution version, %s (the personalize_solution_version data source finds the latest version of a solution)", example)
		})
	solutionARNKind = solutionARNKindFor(", or set solution_version_arn instead to read this version")
	filterARNKind   = personalizeARNKind("filter", "filter", []string{"<filter name>"},
		func(_ arn.ARN, _, example string) string {
			return "use the ARN of a filter, " + example
		})
	// solutionToTrainARNKind is the solution a solution version trains.
	solutionToTrainARNKind = solutionARNKindFor(": this resource trains a new version of it")
	datasetARNKind         = personalizeARNKind("dataset", "dataset", []string{"<dataset group name>", "<dataset type>"},
		func(a arn.ARN, got, example string) string {
			if _, names := personalizeResource(a); got == "dataset group" && len(names) == 1 {
				return "use the ARN of one of its datasets, such as " + arnLike(a, "personalize", regionOf(a), "dataset/"+names[0]+"/INTERACTIONS")
			}
			return "use the ARN of a dataset, " + example
		})
)

// solutionARNKindFor is a solution ARN argument; versionAdvice ends the fix
// for a user who gave a version of the solution, after its solution's ARN.
func solutionARNKindFor(versionAdvice string) arnKind {
	return personalizeARNKind("solution", "solution", []string{"<solution name>"},
		func(a arn.ARN, got, example string) string {
			if got == "solution version" {
				return fmt.Sprintf("use the solution's ARN, %s%s", solutionOf(a.String()), versionAdvice)
			}
			return "use the ARN of a solution, " + example
		})
}

// jobARNKind is the ARN of a job of k's kind; a job of another kind is
// read by that kind's data source.
func jobARNKind[J, In any](k *jobKind[J, In]) arnKind {
	return personalizeARNKind(k.noun, k.arnResource, []string{"<job name>"}, func(_ arn.ARN, got, example string) string {
		if strings.HasSuffix(got, " job") && strings.HasPrefix(got, "batch ") {
			return fmt.Sprintf("use the ARN of %s %s, %s, or read this one with the personalize_%s data source",
				article(k.noun), k.noun, example, strings.ReplaceAll(got, " ", "_"))
		}
		return fmt.Sprintf("use the ARN of %s %s, %s", article(k.noun), k.noun, example)
	})
}

// iamNouns name IAM resources by the type an ARN gives them.
var iamNouns = map[string]string{
	"user": "IAM user", "group": "IAM group", "policy": "IAM policy", "instance-profile": "IAM instance profile",
	"oidc-provider": "IAM OIDC identity provider", "saml-provider": "IAM SAML identity provider",
	"server-certificate": "IAM server certificate", "mfa": "IAM MFA device", "root": "account root user",
}

var roleARNKind = arnKind{noun: "IAM role", mismatch: func(attr, value string, a arn.ARN) string {
	typ, name, _ := strings.Cut(a.Resource, "/")
	switch a.Service {
	case "sts":
		if typ != "assumed-role" {
			return ""
		}
		role, _, _ := strings.Cut(name, "/")
		return fmt.Sprintf("%s %q is the ARN of a session of an assumed role, not of the role: use the role's own ARN, %s (with the role's path, if it has one).",
			attr, value, arnLike(a, "iam", "", "role/"+role))
	case "iam":
	default:
		return ""
	}
	example := arnLike(a, "iam", "", "role/<role name>")
	switch {
	case typ == "role" && a.Region != "":
		return fmt.Sprintf("%s %q names a region (%s), but IAM ARNs have none: write it as %s.", attr, value, a.Region, arnLike(a, "iam", "", a.Resource))
	case typ == "role" && (name == "" || strings.HasSuffix(name, "/")):
		return fmt.Sprintf("%s %q names no role: write the role's name after role/, as in %s.", attr, value, example)
	case typ == "role":
		return ""
	case iamNouns[typ] != "":
		return fmt.Sprintf("%s %q is %s %s ARN, not an IAM role ARN: use the ARN of the role Amazon Personalize assumes, %s.",
			attr, value, article(iamNouns[typ]), iamNouns[typ], example)
	}
	return fmt.Sprintf("%s %q is not an IAM role ARN: its resource must be role/<role name>, as in %s.", attr, value, example)
}}

var kmsKeyARNKind = arnKind{noun: "KMS key", mismatch: func(attr, value string, a arn.ARN) string {
	if a.Service != "kms" {
		return ""
	}
	typ, id, _ := strings.Cut(a.Resource, "/")
	example := arnLike(a, "kms", regionOf(a), "key/<key id>")
	switch {
	case typ == "alias":
		return fmt.Sprintf("%s %q is a KMS alias ARN, not a KMS key ARN: Amazon Personalize takes keys only. "+
			"Use the ARN of the key the alias points to, %s (`aws kms describe-key --key-id %s` shows it).", attr, value, example, value)
	case typ != "key":
		return fmt.Sprintf("%s %q is not a KMS key ARN: its resource must be key/<key id>, as in %s.", attr, value, example)
	case id == "":
		return fmt.Sprintf("%s %q names no key: write the key's id after key/, as in %s.", attr, value, example)
	case a.Region == "":
		// The API's pattern takes a key ARN with no region; the account it checks.
		return fmt.Sprintf("%s %q names no region: a KMS key ARN names the key's region, as in %s.", attr, value, example)
	}
	return ""
}}

// s3PathValidator checks an S3 path: the API's pattern, and for an s3://
// path a bucket name made of characters S3 allows in some region. What a
// bucket name may be depends on the bucket's region (bucketProblems), which
// is only known once the provider is configured.
type s3PathValidator struct {
	pattern validator.String
}

func (s3PathValidator) Description(context.Context) string {
	return `must be an S3 URL such as "s3://bucket/prefix/"`
}

func (v s3PathValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v s3PathValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	if !s3PathRegexp.MatchString(s) {
		v.pattern.ValidateString(ctx, req, resp)
		return
	}
	bucket, ok := s3Bucket(s)
	if !ok {
		return // an http(s) URL, which the API takes as it is
	}
	if bucket == "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid S3 path",
			fmt.Sprintf("%s %q names no bucket: write the bucket's name after s3://, as in s3://my-bucket/batch/input/.", req.Path, s))
		return
	}
	var bad []string
	for _, r := range bucket {
		if q := strconv.Quote(string(r)); !bucketCharRegexp.MatchString(string(r)) && !slices.Contains(bad, q) {
			bad = append(bad, q)
		}
	}
	if len(bad) > 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid S3 bucket name",
			fmt.Sprintf("%s %q: the bucket name %q has %s, which S3 allows in no bucket name: "+
				"use the bucket's name as S3 shows it, lowercase letters, digits, \".\" and \"-\" (for example s3://my-bucket/batch/).",
				req.Path, s, bucket, strings.Join(bad, " and ")))
	}
}

// bucketCharRegexp matches a character S3 allows in bucket names of some
// region: us-east-1 still holds buckets named with capitals and
// underscores, from before the rules that hold everywhere else.
var bucketCharRegexp = regexp.MustCompile(`^[0-9A-Za-z._-]$`)

// s3Bucket is the bucket of an s3:// path; ok is false for other URLs.
func s3Bucket(path string) (bucket string, ok bool) {
	rest, ok := strings.CutPrefix(path, "s3://")
	if !ok {
		return "", false
	}
	bucket, _, _ = strings.Cut(rest, "/")
	return bucket, true
}

const legacyBucketRegion = "us-east-1"

var ipAddressRegexp = regexp.MustCompile(`^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$`)

// reservedBucketAffixes are the prefixes and suffixes S3 keeps for itself.
var (
	reservedBucketPrefixes = [][2]string{
		{"xn--", "for internationalized domain names"},
		{"sthree-", "for its own use"},
		{"amzn-s3-demo-", "for the examples of its documentation"},
	}
	reservedBucketSuffixes = [][2]string{
		{"-s3alias", "for access point aliases"},
		{"--ol-s3", "for Object Lambda access point aliases"},
		{".mrap", "for Multi-Region Access Points"},
		{"--x-s3", "for directory buckets"},
		{"--table-s3", "for table buckets"},
	}
)

// bucketProblems says why S3 refuses a bucket name in region, nil when it
// does not. Outside us-east-1 bucket names follow S3's naming rules;
// us-east-1 still has buckets made before those rules, so there a name is
// held only to the characters s3PathValidator allows, as hashicorp/aws does.
func bucketProblems(bucket, region string) []string {
	if bucket == "" {
		return nil
	}
	if region == legacyBucketRegion {
		// Older us-east-1 buckets may have up to 255 characters, capitals
		// and underscores, but never fewer than 3.
		if n := utf8.RuneCountInString(bucket); n < 3 || n > 255 {
			return []string{fmt.Sprintf("is %d characters long, not 3 to 255 (63 for buckets made since March 2018)", n)}
		}
		return nil
	}
	var problems []string
	if n := utf8.RuneCountInString(bucket); n < 3 || n > 63 {
		problems = append(problems, fmt.Sprintf("is %d characters long, not 3 to 63", n))
	}
	legacy := " (only buckets made in us-east-1 before March 2018 have them)"
	if strings.ContainsFunc(bucket, unicode.IsUpper) {
		problems = append(problems, "has capital letters"+legacy)
	}
	if strings.Contains(bucket, "_") {
		problems = append(problems, "has underscores"+legacy)
	}
	if ipAddressRegexp.MatchString(bucket) {
		problems = append(problems, "is shaped like an IP address")
	}
	// Capitals are reported above already.
	isAlnum := func(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' }
	if !isAlnum(bucket[0]) {
		problems = append(problems, "does not start with a letter or digit")
	}
	if !isAlnum(bucket[len(bucket)-1]) {
		problems = append(problems, "does not end with a letter or digit")
	}
	if strings.Contains(bucket, "..") {
		problems = append(problems, "has two dots in a row")
	}
	for _, p := range reservedBucketPrefixes {
		if strings.HasPrefix(bucket, p[0]) {
			problems = append(problems, fmt.Sprintf("starts with %q, which S3 reserves %s", p[0], p[1]))
		}
	}
	for _, s := range reservedBucketSuffixes {
		if strings.HasSuffix(bucket, s[0]) {
			problems = append(problems, fmt.Sprintf("ends with %q, which S3 reserves %s", s[0], s[1]))
		}
	}
	return problems
}

// batchJobStatuses are the statuses the service reports for batch inference
// and batch segment jobs, spelled as it spells them.
var batchJobStatuses = []string{"PENDING", "IN PROGRESS", statusActive, statusCreateFailed}

// jobStatusValidator refuses a status filter the service never reports,
// which would match no job and give an empty list with no hint why.
type jobStatusValidator struct {
	noun     string
	statuses []string
}

func (v jobStatusValidator) Description(context.Context) string {
	return "must be " + orList(v.statuses)
}

func (v jobStatusValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v jobStatusValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	if slices.Contains(v.statuses, s) {
		return
	}
	detail := fmt.Sprintf("%s %q is not a status the service returns", req.Path, s)
	if guess := guessJobStatus(s, v.statuses); guess != "" {
		detail += fmt.Sprintf(": did you mean %q?", guess)
	} else {
		detail += "."
	}
	detail += fmt.Sprintf(" A %s is %s, in capitals and with spaces as the service spells them; leave %s out to list jobs of every status.",
		v.noun, orList(v.statuses), req.Path)
	resp.Diagnostics.AddAttributeError(req.Path, "Unknown job status", detail)
}

// orList quotes values and joins them: "A", "B" or "C".
func orList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = strconv.Quote(v)
	}
	if len(quoted) < 2 {
		return strings.Join(quoted, "")
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1]
}

// guessJobStatus is the one of statuses a misspelt status most likely
// means, "" when none: other letter case, _ or - for a space, the CREATE
// prefix some Personalize resources use and others do not, and the usual
// words for the same states.
func guessJobStatus(s string, statuses []string) string {
	normal := func(s string) string {
		words := strings.FieldsFunc(strings.ToUpper(s), func(r rune) bool { return r == ' ' || r == '_' || r == '-' })
		return strings.TrimPrefix(strings.Join(words, " "), "CREATE ")
	}
	want := normal(s)
	switch want {
	case "QUEUED", "SUBMITTED", "WAITING":
		want = "PENDING"
	case "INPROGRESS", "RUNNING", "STARTED":
		want = "IN PROGRESS"
	case "COMPLETE", "COMPLETED", "DONE", "FINISHED", "SUCCEEDED", "SUCCESS":
		want = statusActive
	case "FAILURE", "ERROR", "CREATEFAILED":
		want = "FAILED"
	}
	for _, status := range statuses {
		if normal(status) == want {
			return status
		}
	}
	return ""
}

// regexpValidator rejects a pattern Go cannot compile, at plan time rather
// than when the jobs are read.
type regexpValidator struct{}

func (regexpValidator) Description(context.Context) string {
	return "must be a valid regular expression (Go RE2 syntax)"
}

func (v regexpValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (regexpValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := regexp.Compile(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(), regexpErrorDetail(req.Path.String(), req.ConfigValue.ValueString(), err))
	}
}

func regexpErrorDetail(attribute, pattern string, err error) string {
	return fmt.Sprintf("%s %q is not a valid regular expression: %q. Fix the expression (Go RE2 syntax, see https://golang.org/s/re2syntax; "+
		"escape literal characters such as . ( [ with a backslash).", attribute, pattern, err.Error())
}

// durationValidator accepts what time.ParseDuration does, greater than zero.
type durationValidator struct{}

func (durationValidator) Description(context.Context) string {
	return `must be a duration such as "30m" or "4h"`
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (durationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if d, err := time.ParseDuration(req.ConfigValue.ValueString()); err != nil || d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(), durationErrorDetail(req.Path.String(), req.ConfigValue.ValueString()))
	}
}

func durationErrorDetail(attribute, value string) string {
	return fmt.Sprintf("%s %q is not a duration: use a positive number with a unit, such as \"30m\", \"4h\" or \"1h30m\".", attribute, value)
}
