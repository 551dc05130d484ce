package personalize

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// configSource turns fuzz bytes into choices; once they run out every
// choice is the smallest, so any input gives a valid configuration.
type configSource struct {
	b []byte
	i int
}

func (s *configSource) next() byte {
	if s.i >= len(s.b) {
		return 0
	}
	s.i++
	return s.b[s.i-1]
}

func (s *configSource) intn(n int) int {
	if n <= 1 {
		return 0
	}
	v := int(s.next())<<8 | int(s.next())
	return v % n
}

func (s *configSource) chance() bool { return s.next()&1 == 1 }

func (s *configSource) pick(options ...string) string { return options[s.intn(len(options))] }

// text is min to max characters (runes) drawn from alphabet.
func (s *configSource) text(alphabet []rune, minLen, maxLen int) string {
	n := minLen + s.intn(maxLen-minLen+1)
	var b strings.Builder
	for range n {
		b.WriteRune(alphabet[s.intn(len(alphabet))])
	}
	return b.String()
}

var (
	nameFirst   = []rune("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
	nameRest    = append(append([]rune{}, nameFirst...), '-', '_')
	digits      = []rune("0123456789")
	lowerDigits = []rune("abcdefghijklmnopqrstuvwxyz0123456789-")
	roleChars   = append(append([]rune{}, nameFirst...), []rune("_+=,.@-/")...)
	// Any character may follow s3://: S3 keys take Unicode, spaces and
	// characters that need escaping in JSON.
	pathChars   = append(append([]rune{}, nameRest...), []rune("/ .%+=é日😀\"\\\t<>&")...)
	tagChars    = append(append([]rune{}, nameRest...), []rune(" .:/=+@éß日")...)
	columnFirst = []rune("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
	column      = append(append([]rune{}, nameFirst...), '_')
)

// generatedConfig is a valid job configuration as the plan hands it to
// Create: arguments known (or null when left out), and the optional computed
// arguments left out of the configuration unknown.
type generatedConfig struct {
	attrs batchInferenceJobAttributes
	tags  map[string]string
}

func (s *configSource) arn(service, resource string) string {
	partition := s.pick("aws", "aws-cn", "aws-us-gov")
	region := s.pick("us-east-1", "eu-west-1", "ap-northeast-1", "cn-north-1")
	return fmt.Sprintf("arn:%s:%s:%s:%s:%s", partition, service, region, s.text(digits, 12, 12), resource)
}

func (s *configSource) s3Config() types.Object {
	path := s.pick("s3", "http", "https") + "://" + s.text(pathChars, 1, 240)
	kms := types.StringNull()
	if s.chance() {
		kms = types.StringValue(fmt.Sprintf("arn:%s:kms:%s:%s:key/%s", s.pick("aws", "aws-cn", "aws-us-gov"),
			s.pick("us-east-1", "eu-central-1", ""), s.text(digits, 12, 12), s.text(lowerDigits, 0, 64)))
	}
	return types.ObjectValueMust(s3DataConfigAttrTypes, map[string]attr.Value{"path": types.StringValue(path), "kms_key_arn": kms})
}

func (s *configSource) config() generatedConfig {
	var m batchInferenceJobAttributes
	m.JobName = types.StringValue(string(nameFirst[s.intn(len(nameFirst))]) + s.text(nameRest, 0, 62))
	m.SolutionVersionARN = types.StringValue(s.arn("personalize", "solution/"+s.text(lowerDigits, 1, 63)+"/"+s.text(lowerDigits, 8, 8)))
	m.RoleARN = types.StringValue(fmt.Sprintf("arn:%s:iam::%s:role/%s", s.pick("aws", "aws-cn"), s.text(digits, 12, 12), s.text(roleChars, 1, 64)))
	m.FilterARN = types.StringNull()
	if s.chance() {
		m.FilterARN = types.StringValue(s.arn("personalize", "filter/"+s.text(lowerDigits, 1, 63)))
	}
	m.JobInput = types.ObjectValueMust(jobInputAttrTypes, map[string]attr.Value{"s3_data_source": s.s3Config()})
	m.JobOutput = types.ObjectValueMust(jobOutputAttrTypes, map[string]attr.Value{"s3_data_destination": s.s3Config()})

	m.NumResults = types.Int64Unknown()
	if s.chance() {
		m.NumResults = types.Int64Value(int64(1 + s.intn(500)))
	}

	m.BatchInferenceJobMode = types.StringValue(jobModeBatchInference)
	m.ThemeGenerationConfig = types.ObjectNull(themeGenerationConfigAttrTypes)
	if s.chance() {
		m.BatchInferenceJobMode = types.StringValue(jobModeThemeGeneration)
		fields := types.ObjectValueMust(fieldsForThemeGenerationAttrTypes, map[string]attr.Value{
			"item_name": types.StringValue(s.text(columnFirst, 1, 1) + s.text(column, 0, 149)),
		})
		m.ThemeGenerationConfig = types.ObjectValueMust(themeGenerationConfigAttrTypes, map[string]attr.Value{"fields_for_theme_generation": fields})
	}

	m.BatchInferenceJobConfig = types.ObjectUnknown(batchInferenceJobConfigAttrTypes)
	if s.chance() {
		exploration, ranking := types.MapNull(types.StringType), types.MapNull(types.Float64Type)
		// At least one of the two: the plan rejects an empty config.
		switch s.intn(3) {
		case 0:
			exploration = s.explorationConfig()
		case 1:
			ranking = s.rankingInfluence()
		default:
			exploration, ranking = s.explorationConfig(), s.rankingInfluence()
		}
		m.BatchInferenceJobConfig = types.ObjectValueMust(batchInferenceJobConfigAttrTypes, map[string]attr.Value{
			"item_exploration_config": exploration, "ranking_influence": ranking,
		})
	}

	// Computed attributes are unknown in a plan for a new job.
	m.BatchInferenceJobARN = types.StringUnknown()
	m.Status = types.StringUnknown()
	m.FailureReason = types.StringUnknown()
	m.CreationDateTime = timetypes.NewRFC3339Unknown()
	m.LastUpdatedDateTime = timetypes.NewRFC3339Unknown()

	tags := map[string]string{}
	for range s.intn(maxTagsPerResource + 1) {
		key := s.text(tagChars, 1, 128)
		if strings.HasPrefix(strings.ToLower(key), "aws:") {
			continue
		}
		tags[key] = s.text(tagChars, 0, 256)
	}
	return generatedConfig{attrs: m, tags: tags}
}

func (s *configSource) explorationConfig() types.Map {
	elems := map[string]attr.Value{}
	if s.intn(4) != 0 {
		elems[explorationWeightKey] = types.StringValue(s.pick("0", "1", "0.3", ".5", "0.05", "1e-1", " 0.25", "0.999999999999999999"))
	}
	if len(elems) == 0 || s.chance() {
		elems[explorationItemAgeCutOffKey] = types.StringValue(s.pick("30", "1", "0.5", "365", "1e2", "7.25", "100000"))
	}
	return types.MapValueMust(types.StringType, elems)
}

func (s *configSource) rankingInfluence() types.Map {
	elems := map[string]attr.Value{}
	value := func() attr.Value {
		switch s.intn(4) {
		case 0:
			return types.Float64Value(0)
		case 1:
			return types.Float64Value(1)
		default:
			// Any float64 in [0, 1], not just the ones decimal text shows exactly.
			return types.Float64Value(float64(uint64(s.intn(1<<16))<<37|uint64(s.intn(1<<16))<<21|uint64(s.intn(1<<16))<<5) / (1 << 53))
		}
	}
	if s.intn(4) != 0 {
		elems["POPULARITY"] = value()
	}
	if len(elems) == 0 || s.chance() {
		elems["FRESHNESS"] = value()
	}
	return types.MapValueMust(types.Float64Type, elems)
}

// describeStandIn plays the service for one job at a time, the way the
// emulator does: it keeps each create request as sent and describes the job
// with those members, so what comes back is exactly what went over the wire.
type describeStandIn struct {
	mu      sync.Mutex
	created map[string]map[string]json.RawMessage // job ARN → create request members
}

// standInCreated is 2024-05-01T10:00:00Z; state keeps whole seconds.
const standInCreated = 1714557600

func (d *describeStandIn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var req map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	d.mu.Lock()
	defer d.mu.Unlock()
	var out any
	switch op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AmazonPersonalize."); op {
	case "CreateBatchInferenceJob":
		var name string
		_ = json.Unmarshal(req["jobName"], &name)
		arn := "arn:aws:personalize:us-east-1:123456789012:batch-inference-job/" + name
		d.created[arn] = req
		out = map[string]string{"batchInferenceJobArn": arn}
	case "DescribeBatchInferenceJob":
		var arn string
		_ = json.Unmarshal(req["batchInferenceJobArn"], &arn)
		job := maps.Clone(d.created[arn])
		delete(job, "tags")
		job["batchInferenceJobArn"], _ = json.Marshal(arn)
		job["status"] = json.RawMessage(`"ACTIVE"`)
		job["creationDateTime"] = json.RawMessage(strconv.FormatFloat(standInCreated, 'f', -1, 64))
		job["lastUpdatedDateTime"] = json.RawMessage(strconv.FormatFloat(standInCreated+90, 'f', -1, 64))
		out = map[string]any{"batchInferenceJob": job}
	case "ListTagsForResource":
		var arn string
		_ = json.Unmarshal(req["resourceArn"], &arn)
		tags := d.created[arn]["tags"]
		if tags == nil {
			tags = json.RawMessage("[]")
		}
		out = map[string]any{"tags": tags}
	default:
		w.WriteHeader(http.StatusBadRequest)
		out = map[string]string{"__type": "UnknownOperationException", "message": op}
	}
	_ = json.NewEncoder(w).Encode(out)
}

// FuzzReliability_expandFlattenRoundTrip sends a valid configuration through
// the create request, over the wire, back in a Describe answer made from
// that request, and through Flatten into state: every argument the
// configuration sets must come back unchanged, every one it leaves to the
// service must come back known, and the tags must come back as sent.
func FuzzReliability_expandFlattenRoundTrip(f *testing.F) {
	f.Add([]byte{})
	f.Add(bytes.Repeat([]byte{0xff}, 4096))
	f.Add(bytes.Repeat([]byte{0x01, 0x00, 0x80, 0x7f}, 1024))
	// Plain go test runs these too: a fixed sample of random configurations.
	rng := rand.New(rand.NewPCG(2024, 5))
	for range 100 {
		b := make([]byte, 64+rng.IntN(4096))
		for i := range b {
			b[i] = byte(rng.UintN(256))
		}
		f.Add(b)
	}

	standIn := &describeStandIn{created: map[string]map[string]json.RawMessage{}}
	srv := httptest.NewServer(standIn)
	f.Cleanup(srv.Close)
	conn := personalize.New(personalize.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(srv.URL),
		Credentials:      aws.AnonymousCredentials{},
		RetryMaxAttempts: 1,
	})

	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		src := &configSource{b: data}
		cfg := src.config()
		planned := cfg.attrs

		input, diags := planned.expand(ctx)
		if diags.HasError() {
			t.Fatalf("expand: %v", diags)
		}
		input.Tags = toAPITags(cfg.tags)
		out, err := conn.CreateBatchInferenceJob(ctx, input)
		if err != nil {
			t.Fatalf("create: %s", err)
		}
		arn := aws.ToString(out.BatchInferenceJobArn)
		job, err := findJob(ctx, batchInferenceJobKind, conn, arn)
		if err != nil {
			t.Fatalf("describe: %s", err)
		}
		var state batchInferenceJobAttributes
		if diags := state.Flatten(ctx, job); diags.HasError() {
			t.Fatalf("flatten: %v", diags)
		}

		for _, a := range []struct {
			name          string
			planned, read attr.Value
		}{
			{"job_name", planned.JobName, state.JobName},
			{"solution_version_arn", planned.SolutionVersionARN, state.SolutionVersionARN},
			{"role_arn", planned.RoleARN, state.RoleARN},
			{"filter_arn", planned.FilterARN, state.FilterARN},
			{"job_input", planned.JobInput, state.JobInput},
			{"job_output", planned.JobOutput, state.JobOutput},
			{"num_results", planned.NumResults, state.NumResults},
			{"batch_inference_job_mode", planned.BatchInferenceJobMode, state.BatchInferenceJobMode},
			{"batch_inference_job_config", planned.BatchInferenceJobConfig, state.BatchInferenceJobConfig},
			{"theme_generation_config", planned.ThemeGenerationConfig, state.ThemeGenerationConfig},
		} {
			switch {
			case a.read.IsUnknown():
				t.Errorf("%s is unknown after the round trip", a.name)
			case a.planned.IsUnknown():
				// Left to the service: whatever it reports is right.
			case !a.planned.Equal(a.read):
				t.Errorf("%s changed on the round trip:\n planned %s\n    read %s", a.name, a.planned, a.read)
			}
		}
		if got := state.BatchInferenceJobARN.ValueString(); got != arn {
			t.Errorf("batch_inference_job_arn = %q, want %q", got, arn)
		}
		if got := state.Status.ValueString(); got != statusActive {
			t.Errorf("status = %q, want ACTIVE", got)
		}
		if got, want := state.CreationDateTime.ValueString(), "2024-05-01T10:00:00Z"; got != want {
			t.Errorf("creation_date_time = %q, want %q", got, want)
		}
		if !state.FailureReason.IsNull() {
			t.Errorf("failure_reason = %s, want null", state.FailureReason)
		}

		tags, err := listTags(ctx, conn, arn)
		if err != nil {
			t.Fatalf("list tags: %s", err)
		}
		if !maps.Equal(tags, cfg.tags) {
			t.Errorf("tags changed on the round trip:\n sent %q\n read %q", cfg.tags, tags)
		}

		// The job read back must be recognised as the one the configuration
		// asks for, or a lost create response would not be adopted.
		if diffs := batchInferenceJobKind.differences(input, job); len(diffs) > 0 {
			t.Errorf("the job made from this configuration differs from it: %v", diffs)
		}
	})
}
