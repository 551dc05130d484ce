package emulator

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// catalogSize is the number of items the emulated solution versions know;
// item IDs are "1" … "20000". userCount is the number of users, "1" … "50000":
// a user segment never holds more users than that, whatever numResults says.
const (
	catalogSize = 20000
	userCount   = 50000
)

const maxRankingItems = 500

var themes = []string{
	"Crowd pleasers", "Hidden gems", "Weekend favourites", "Cozy night in",
	"Bold and adventurous", "Timeless classics", "Quick and easy", "Fresh finds",
	"Feel-good picks", "Made for sharing", "Rise and shine", "Everyday essentials",
}

// generator turns input records into recommendations. Results depend only on
// the record and the solution version, so a rerun gives the same output.
type generator struct {
	solutionVersion string
	family          recipeFamily
	scores          bool
	numResults      int
	themes          bool
}

func newGenerator(j *job) *generator {
	info := recipes[j.Recipe]
	return &generator{
		solutionVersion: *j.Request.SolutionVersionArn,
		family:          info.family,
		scores:          info.scores,
		numResults:      int(*j.Request.NumResults),
		themes:          j.Request.BatchInferenceJobMode != nil && *j.Request.BatchInferenceJobMode == themeModeName,
	}
}

type outputLine struct {
	Input  json.RawMessage `json:"input"`
	Output any             `json:"output"` // *lineOutput or *segmentOutput; null on error
	Error  *string         `json:"error"`
}

// segmentOutput is a batch segment job's answer to one query: the users most
// likely to interact, most likely first.
type segmentOutput struct {
	RecommendedUsers []string `json:"recommendedUsers"`
}

type lineOutput struct {
	RecommendedItems          []string  `json:"recommendedItems"`
	Scores                    []float64 `json:"scores,omitempty"`
	Theme                     string    `json:"theme,omitempty"`
	ItemsThemeRelevanceScores []float64 `json:"itemsThemeRelevanceScores,omitempty"`
}

// process answers one input line. A line that cannot be used gets an error of
// its own; the rest of the job carries on.
func (g *generator) process(line []byte) outputLine {
	fail := func(input json.RawMessage, format string, args ...any) outputLine {
		msg := fmt.Sprintf(format, args...)
		return outputLine{Input: input, Error: &msg}
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, line); err != nil {
		raw, _ := json.Marshal(string(line))
		return fail(raw, "Invalid JSON: %v", err)
	}
	input := json.RawMessage(compact.Bytes())
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(input, &fields); err != nil || fields == nil {
		return fail(input, "Each input line must be a JSON object")
	}
	if fv, ok := fields["filterValues"]; ok {
		var values map[string]string
		if err := json.Unmarshal(fv, &values); err != nil {
			return fail(input, "filterValues must be an object of string values, such as {\"GENRES\":\"\\\"horror\\\"\"}")
		}
	}
	switch g.family {
	case familyItemAffinity:
		itemID, msg := stringField(fields, "itemId")
		if msg != "" {
			return fail(input, "%s", msg)
		}
		return outputLine{Input: input, Output: &segmentOutput{RecommendedUsers: pickDistinct(g.rng("segment-item", itemID), min(g.numResults, userCount), userCount, "")}}
	case familyItemAttributeAffinity:
		query, msg := stringField(fields, "itemAttributes")
		if msg != "" {
			return fail(input, "%s", msg)
		}
		if msg := checkItemAttributes(query); msg != "" {
			return fail(input, "%s", msg)
		}
		return outputLine{Input: input, Output: &segmentOutput{RecommendedUsers: pickDistinct(g.rng("segment-attributes", query), min(g.numResults, userCount), userCount, "")}}
	case familyRelated:
		itemID, msg := stringField(fields, "itemId")
		if msg != "" {
			return fail(input, "%s", msg)
		}
		rng := g.rng("item", itemID)
		items := pickItems(rng, g.numResults, itemID)
		out := &lineOutput{RecommendedItems: items}
		if g.themes {
			out.Theme = themes[rng.IntN(len(themes))]
			out.ItemsThemeRelevanceScores = descendingScores(rng, len(items), 0.35+0.6*rng.Float64(), 0.97)
		}
		return outputLine{Input: input, Output: out}
	case familyRanking:
		userID, msg := stringField(fields, "userId")
		if msg != "" {
			return fail(input, "%s", msg)
		}
		var list []string
		if raw, ok := fields["itemList"]; !ok || json.Unmarshal(raw, &list) != nil || len(list) == 0 {
			return fail(input, "itemList must be a non-empty list of item ID strings")
		}
		if len(list) > maxRankingItems {
			return fail(input, "itemList has %d items; at most %d can be ranked", len(list), maxRankingItems)
		}
		items, scores := g.rank(userID, list)
		out := &lineOutput{RecommendedItems: items}
		if g.scores {
			out.Scores = scores
		}
		return outputLine{Input: input, Output: out}
	default:
		userID, msg := stringField(fields, "userId")
		if msg != "" {
			return fail(input, "%s", msg)
		}
		rng := g.rng("user", userID)
		out := &lineOutput{RecommendedItems: pickItems(rng, g.numResults, "")}
		if g.scores {
			out.Scores = descendingScores(rng, g.numResults, 0.005+0.04*rng.Float64(), 0.93)
		}
		return outputLine{Input: input, Output: out}
	}
}

func stringField(fields map[string]json.RawMessage, name string) (string, string) {
	raw, ok := fields[name]
	if !ok {
		return "", "Missing required field " + name
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", name + " must be a string"
	}
	if s == "" {
		return "", name + " must not be empty"
	}
	return s, ""
}

func (g *generator) rng(kind, id string) *rand.Rand {
	sum := sha256.Sum256([]byte(g.solutionVersion + "\x00" + kind + "\x00" + id))
	return rand.New(rand.NewPCG(binary.BigEndian.Uint64(sum[:8]), binary.BigEndian.Uint64(sum[8:16])))
}

// pickItems draws n distinct catalog items, never exclude (an item is not
// recommended as similar to itself).
func pickItems(rng *rand.Rand, n int, exclude string) []string {
	return pickDistinct(rng, n, catalogSize, exclude)
}

// pickDistinct draws n distinct IDs from "1" … size, never exclude; n must
// leave room for the exclusion.
func pickDistinct(rng *rand.Rand, n, size int, exclude string) []string {
	ids := make([]string, 0, n)
	if n > size/4 { // most of the range: shuffle it rather than redraw collisions
		for _, i := range rng.Perm(size) {
			if id := strconv.Itoa(1 + i); id != exclude && len(ids) < n {
				ids = append(ids, id)
			}
		}
		return ids
	}
	seen := map[string]bool{exclude: true}
	for len(ids) < n {
		id := strconv.Itoa(1 + rng.IntN(size))
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids
}

// itemAttributeClause is one condition of an Item-Attribute-Affinity query:
// an Items dataset column compared with a value.
var itemAttributeClause = regexp.MustCompile(`^ITEMS\.[A-Za-z_][A-Za-z0-9_]*\s*(=|!=|<=|>=|<|>|\s(?i:NOT\s+IN|IN)\s)\s*\S.*$`)

var andOperator = regexp.MustCompile(`\s+(?i:AND)\s+`)

// checkItemAttributes checks the form of an Item-Attribute-Affinity query:
// conditions on Items columns, joined by AND.
func checkItemAttributes(query string) string {
	for _, clause := range andOperator.Split(strings.TrimSpace(query), -1) {
		if !itemAttributeClause.MatchString(strings.TrimSpace(clause)) {
			return fmt.Sprintf("itemAttributes condition %q: write ITEMS.<column> = \"<value>\" (or IN, <, >), joining several with AND", clause)
		}
	}
	return ""
}

// descendingScores mimics the service's scores: positive, decreasing, with
// seven significant digits.
func descendingScores(rng *rand.Rand, n int, first, decay float64) []float64 {
	scores := make([]float64, n)
	s := first
	for i := range scores {
		scores[i] = sigDigits(s, 7)
		s *= decay + (1-decay)*0.9*rng.Float64()
	}
	return scores
}

// rank orders the user's item list by a per-user affinity and gives each item
// its share of the probability mass, as Personalized-Ranking scores do.
func (g *generator) rank(userID string, list []string) ([]string, []float64) {
	type ranked struct {
		item     string
		affinity float64
		index    int
	}
	r := make([]ranked, len(list))
	total := 0.0
	for i, item := range list {
		a := math.Exp(3 * g.rng("rank", userID+"\x00"+item).Float64())
		r[i] = ranked{item, a, i}
		total += a
	}
	slices.SortStableFunc(r, func(a, b ranked) int {
		switch {
		case a.affinity > b.affinity:
			return -1
		case a.affinity < b.affinity:
			return 1
		}
		return a.index - b.index
	})
	items := make([]string, len(r))
	scores := make([]float64, len(r))
	for i, x := range r {
		items[i] = x.item
		scores[i] = sigDigits(x.affinity/total, 7)
	}
	return items, scores
}

func sigDigits(f float64, n int) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', n, 64), 64)
	return v
}
