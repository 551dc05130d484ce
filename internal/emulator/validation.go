package emulator

import (
	"fmt"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Constraints from the service model. The model's patterns must match the
// whole value (the service matches them that way), so they are anchored here
// while messages quote them as the model spells them.
const (
	patName   = `^[a-zA-Z0-9][a-zA-Z0-9\-_]*`
	patArn    = `arn:([a-z\d-]+):personalize:.*:.*:.+`
	patS3     = `(s3|http|https)://.+`
	patKMS    = `arn:aws.*:kms:.*:[0-9]{12}:key/.*`
	patRole   = `arn:([a-z\d-]+):iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+`
	patTag    = `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`
	patColumn = `[A-Za-z_][A-Za-z\d_]*`

	maxTagsPerResource = 50
	maxNumResults      = 500
	maxSegmentUsers    = 5_000_000 // "The maximum number of users per segment is 5 million."
	defaultNumResults  = 25
	defaultMaxResults  = 100
)

const (
	explorationWeight  = "explorationWeight"
	explorationCutOff  = "explorationItemAgeCutOff"
	reservedTagPrefix  = "aws:"
	themeModeName      = "THEME_GENERATION"
	batchInferenceMode = "BATCH_INFERENCE"
)

var (
	modes             = []string{batchInferenceMode, themeModeName}
	rankingInfluences = []string{"POPULARITY", "FRESHNESS"}
	explorationKeys   = []string{explorationWeight, explorationCutOff}
	patterns          = map[string]*regexp.Regexp{}
)

func init() {
	for _, p := range []string{patName, patArn, patS3, patKMS, patRole, patTag, patColumn} {
		patterns[p] = regexp.MustCompile(`^(?:` + p + `)$`)
	}
}

// javaLen counts as the service does: UTF-16 code units.
func javaLen(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// violations collects constraint failures and reports them the way the
// service does: "N validation errors detected: Value 'x' at 'member' failed
// to satisfy constraint: ...", naming every member that is wrong.
type violations struct{ msgs []string }

func (v *violations) add(value *string, sensitive bool, path, constraint string) {
	var shown string
	switch {
	case value == nil:
		shown = "Value null"
	case sensitive:
		shown = "Value '***'"
	default:
		s := *value
		if utf8.RuneCountInString(s) > 200 {
			s = string([]rune(s)[:200]) + "..."
		}
		shown = "Value '" + s + "'"
	}
	v.msgs = append(v.msgs, fmt.Sprintf("%s at '%s' failed to satisfy constraint: %s", shown, path, constraint))
}

func (v *violations) required(present bool, path string) bool {
	if !present {
		v.add(nil, false, path, "Member must not be null")
	}
	return present
}

type strRule struct {
	required  bool
	min, max  int // max 0: no limit
	pattern   string
	sensitive bool
}

func (v *violations) str(path string, s *string, r strRule) {
	if s == nil {
		if r.required {
			v.required(false, path)
		}
		return
	}
	n := javaLen(*s)
	if n < r.min {
		v.add(s, r.sensitive, path, fmt.Sprintf("Member must have length greater than or equal to %d", r.min))
	}
	if r.max > 0 && n > r.max {
		v.add(s, r.sensitive, path, fmt.Sprintf("Member must have length less than or equal to %d", r.max))
	}
	if r.pattern != "" && !patterns[r.pattern].MatchString(*s) {
		v.add(s, r.sensitive, path, "Member must satisfy regular expression pattern: "+r.pattern)
	}
}

// enum checks an optional member whose model shape lists its values.
func (v *violations) enum(path string, s *string, values []string) {
	if s != nil && !slices.Contains(values, *s) {
		v.add(s, false, path, "Member must satisfy enum value set: ["+strings.Join(values, ", ")+"]")
	}
}

func (v *violations) intRange(path string, n *int32, lo, hi int32) {
	if n == nil {
		return
	}
	s := strconv.Itoa(int(*n))
	if *n < lo {
		v.add(&s, false, path, fmt.Sprintf("Member must have value greater than or equal to %d", lo))
	}
	if *n > hi {
		v.add(&s, false, path, fmt.Sprintf("Member must have value less than or equal to %d", hi))
	}
}

func (v *violations) err() *apiError {
	switch len(v.msgs) {
	case 0:
		return nil
	case 1:
		return errInvalidInput("1 validation error detected: %s", v.msgs[0])
	}
	return errInvalidInput("%d validation errors detected: %s", len(v.msgs), strings.Join(v.msgs, "; "))
}

var (
	ruleName     = strRule{required: true, min: 1, max: 63, pattern: patName}
	ruleArn      = strRule{required: true, max: 256, pattern: patArn}
	ruleOptArn   = strRule{max: 256, pattern: patArn}
	ruleS3Path   = strRule{required: true, max: 256, pattern: patS3}
	ruleKMS      = strRule{max: 2048, pattern: patKMS}
	ruleRole     = strRule{required: true, max: 256, pattern: patRole}
	ruleTagKey   = strRule{required: true, min: 1, max: 128, pattern: patTag, sensitive: true}
	ruleTagValue = strRule{required: true, min: 0, max: 256, pattern: patTag, sensitive: true}
	ruleColumn   = strRule{required: true, max: 150, pattern: patColumn}
)

func (v *violations) s3Config(path string, c *s3DataConfig) {
	if !v.required(c != nil, path) {
		return
	}
	v.str(path+".path", c.Path, ruleS3Path)
	v.str(path+".kmsKeyArn", c.KMSKeyArn, ruleKMS)
}

func (v *violations) tags(tags []tag) {
	const path = "tags"
	if len(tags) > 200 {
		n := strconv.Itoa(len(tags)) + " tags"
		v.add(&n, false, path, "Member must have length less than or equal to 200")
		return
	}
	for i, t := range tags {
		p := fmt.Sprintf("%s.%d.member", path, i+1)
		v.str(p+".tagKey", t.TagKey, ruleTagKey)
		v.str(p+".tagValue", t.TagValue, ruleTagValue)
	}
}

// jobShape checks the members batch inference and batch segment jobs share,
// with the documented numResults range of the job's kind.
func (v *violations) jobShape(c *jobCommon, b *batchJobMembers, tags []tag, maxResults int32) {
	v.str("jobName", c.JobName, ruleName)
	v.str("solutionVersionArn", b.SolutionVersionArn, ruleArn)
	v.str("filterArn", b.FilterArn, ruleOptArn)
	v.intRange("numResults", b.NumResults, 1, maxResults)
	if v.required(b.JobInput != nil, "jobInput") {
		v.s3Config("jobInput.s3DataSource", b.JobInput.S3DataSource)
	}
	if v.required(b.JobOutput != nil, "jobOutput") {
		v.s3Config("jobOutput.s3DataDestination", b.JobOutput.S3DataDestination)
	}
	v.str("roleArn", c.RoleArn, ruleRole)
	v.tags(tags)
}

// validateCreateShape checks every modelled constraint of a
// CreateBatchInferenceJob request, plus the documented numResults range.
func validateCreateShape(r *createBatchInferenceJobRequest) *apiError {
	var v violations
	v.jobShape(&r.jobCommon, &r.batchJobMembers, r.Tags, maxNumResults)
	if c := r.BatchInferenceJobConfig; c != nil {
		const p = "batchInferenceJobConfig.itemExplorationConfig"
		if len(c.ItemExplorationConfig) > 100 {
			n := strconv.Itoa(len(c.ItemExplorationConfig)) + " entries"
			v.add(&n, false, p, "Member must have length less than or equal to 100")
		}
		for _, k := range sortedKeys(c.ItemExplorationConfig) {
			val := c.ItemExplorationConfig[k]
			if javaLen(k) > 256 {
				v.add(&k, false, p, "Map keys must satisfy constraint: [Member must have length less than or equal to 256]")
			}
			if val == nil {
				v.add(nil, false, p+"."+k, "Map value must not be null")
			} else if javaLen(*val) > 1000 {
				v.add(val, false, p+"."+k, "Map value must satisfy constraint: [Member must have length less than or equal to 1000]")
			}
		}
		const q = "batchInferenceJobConfig.rankingInfluence"
		for _, k := range sortedKeys(c.RankingInfluence) {
			val := c.RankingInfluence[k]
			if !slices.Contains(rankingInfluences, k) {
				v.add(&k, false, q, "Map keys must satisfy constraint: [Member must satisfy enum value set: ["+strings.Join(rankingInfluences, ", ")+"]]")
			}
			if val == nil {
				v.add(nil, false, q+"."+k, "Map value must not be null")
				continue
			}
			f := float64(*val)
			s := strconv.FormatFloat(f, 'g', -1, 64)
			if math.IsNaN(f) || f < 0 {
				v.add(&s, false, q+"."+k, "Map value must satisfy constraint: [Member must have value greater than or equal to 0]")
			}
			if math.IsNaN(f) || f > 1 {
				v.add(&s, false, q+"."+k, "Map value must satisfy constraint: [Member must have value less than or equal to 1]")
			}
		}
	}
	v.enum("batchInferenceJobMode", r.BatchInferenceJobMode, modes)
	if t := r.ThemeGenerationConfig; t != nil {
		if v.required(t.FieldsForThemeGeneration != nil, "themeGenerationConfig.fieldsForThemeGeneration") {
			v.str("themeGenerationConfig.fieldsForThemeGeneration.itemName", t.FieldsForThemeGeneration.ItemName, ruleColumn)
		}
	}
	return v.err()
}

// validateCreateRules checks the documented rules that span members; each
// message names the member and says how to fix it.
func validateCreateRules(r *createBatchInferenceJobRequest, region string) *apiError {
	if err := checkTagRules(r.Tags); err != nil {
		return err
	}
	mode := batchInferenceMode
	if r.BatchInferenceJobMode != nil {
		mode = *r.BatchInferenceJobMode
	}
	if mode == themeModeName && r.ThemeGenerationConfig == nil {
		return errInvalidInput("batchInferenceJobMode is THEME_GENERATION but themeGenerationConfig is missing: set themeGenerationConfig.fieldsForThemeGeneration.itemName to the Items dataset column that holds item names")
	}
	if mode != themeModeName && r.ThemeGenerationConfig != nil {
		return errInvalidInput("themeGenerationConfig is only valid when batchInferenceJobMode is THEME_GENERATION (it is %s): set batchInferenceJobMode to THEME_GENERATION or remove themeGenerationConfig", mode)
	}
	if mode == themeModeName && !slices.Contains(themeRegions, region) {
		return errInvalidInput("batchInferenceJobMode THEME_GENERATION is not available in %s: Content Generator runs only in %s", region, strings.Join(themeRegions, ", "))
	}
	if c := r.BatchInferenceJobConfig; c != nil {
		for _, k := range sortedKeys(c.ItemExplorationConfig) {
			val := *c.ItemExplorationConfig[k]
			path := "batchInferenceJobConfig.itemExplorationConfig." + k
			f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
			switch k {
			case explorationWeight:
				if err != nil || math.IsNaN(f) || f < 0 || f > 1 {
					return errInvalidInput("%s %q: must be a number from 0 to 1 (default 0.3); higher values recommend more new, less relevant items", path, val)
				}
			case explorationCutOff:
				if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f <= 0 {
					return errInvalidInput("%s %q: must be a number of days greater than 0 (default 30)", path, val)
				}
			default:
				return errInvalidInput("batchInferenceJobConfig.itemExplorationConfig has unknown key %q: the valid keys are %s", k, strings.Join(explorationKeys, " and "))
			}
		}
	}
	return nil
}

// checkTagRules applies the developer guide's tag rules on top of the model:
// the aws: prefix is reserved (keys and values, in any letter case) and a
// resource carries at most 50 tags.
func checkTagRules(tags []tag) *apiError {
	const path = "tags"
	keys := map[string]bool{}
	for i, t := range tags {
		if hasReservedPrefix(*t.TagKey) {
			return errInvalidInput("%s.%d.member.tagKey %q: the aws: prefix is reserved for AWS; choose a key that does not start with aws:", path, i+1, *t.TagKey)
		}
		if hasReservedPrefix(*t.TagValue) {
			return errInvalidInput("%s.%d.member.tagValue for key %q: the aws: prefix is reserved for AWS; choose a value that does not start with aws:", path, i+1, *t.TagKey)
		}
		keys[*t.TagKey] = true
	}
	if len(keys) > maxTagsPerResource {
		return newAPIError(http.StatusBadRequest, "TooManyTagsException", "%s: a resource can have at most %d tags; this request has %d", path, maxTagsPerResource, len(keys))
	}
	return nil
}

func hasReservedPrefix(s string) bool {
	return len(s) >= len(reservedTagPrefix) && strings.EqualFold(s[:len(reservedTagPrefix)], reservedTagPrefix)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
