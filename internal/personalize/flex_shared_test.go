package personalize

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

const sharedJobARN = "arn:aws:personalize:us-east-1:123456789012:batch-inference-job/weekly"

// sharedDescribeAnswer is one DescribeBatchInferenceJob answer with every
// member set, as the service puts it on the wire.
const sharedDescribeAnswer = `{"batchInferenceJob": {
  "batchInferenceJobArn": "` + sharedJobARN + `",
  "jobName": "weekly",
  "solutionVersionArn": "arn:aws:personalize:us-east-1:123456789012:solution/demo/1a2b3c4d",
  "roleArn": "arn:aws:iam::123456789012:role/Batch",
  "filterArn": "arn:aws:personalize:us-east-1:123456789012:filter/demo-filter",
  "numResults": 50,
  "jobInput": {"s3DataSource": {"path": "s3://bucket/in/", "kmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/abc"}},
  "jobOutput": {"s3DataDestination": {"path": "s3://bucket/out/"}},
  "batchInferenceJobConfig": {"itemExplorationConfig": {"explorationWeight": "0.5"}, "rankingInfluence": {"POPULARITY": 0.25}},
  "batchInferenceJobMode": "THEME_GENERATION",
  "themeGenerationConfig": {"fieldsForThemeGeneration": {"itemName": "TITLE"}},
  "status": "CREATE FAILED",
  "failureReason": "Invalid S3 input path",
  "creationDateTime": 1714557600,
  "lastUpdatedDateTime": 1714557690
}}`

const sharedTagsAnswer = `{"tags": [
  {"tagKey": "team", "tagValue": "recs"},
  {"tagKey": "owner", "tagValue": "acc"},
  {"tagKey": "ignored", "tagValue": "x"},
  {"tagKey": "sys:rotation", "tagValue": "weekly"},
  {"tagKey": "tfpersonalize:recorded", "tagValue": "2024-05-01T10:02:00Z"}
]}`

// servePersonalize answers Describe and ListTagsForResource with the canned
// bodies above.
func servePersonalize(t *testing.T) *personalize.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		switch op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AmazonPersonalize."); op {
		case "DescribeBatchInferenceJob":
			_, _ = io.WriteString(w, sharedDescribeAnswer)
		case "ListTagsForResource":
			_, _ = io.WriteString(w, sharedTagsAnswer)
		default:
			t.Errorf("unexpected operation %q", op)
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"__type": "InvalidInputException", "message": "unexpected"}`)
		}
	}))
	t.Cleanup(srv.Close)
	return personalize.New(personalize.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  aws.AnonymousCredentials{},
	})
}

// The resource and the data source must report one job alike: a user who
// reads a job with the data source gets what the resource holds for it.
func TestFlattenSharedByResourceAndDataSource(t *testing.T) {
	ctx := t.Context()
	data := &ProviderData{
		Client:               servePersonalize(t),
		Region:               "us-east-1",
		DefaultTags:          map[string]string{"team": "recs"},
		IgnoreTagKeys:        []string{"ignored"},
		IgnoreTagKeyPrefixes: []string{"sys:"},
	}

	// The resource, refreshing a job known only by its ARN (as after import).
	r := newBatchInferenceJobResource(data)
	var rsResp resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &rsResp)
	rsType := rsResp.Schema.Type().TerraformType(ctx)
	prior := tfsdk.State{Schema: rsResp.Schema, Raw: tftypes.NewValue(rsType, nil)}
	if d := prior.SetAttribute(ctx, path.Root("batch_inference_job_arn"), sharedJobARN); d.HasError() {
		t.Fatal(d)
	}
	readResp := resource.ReadResponse{State: prior}
	r.Read(ctx, resource.ReadRequest{State: prior}, &readResp)
	if readResp.Diagnostics.HasError() {
		t.Fatalf("resource Read: %v", readResp.Diagnostics)
	}

	// The data source, looking the same job up by its ARN.
	ds := NewBatchInferenceJobDataSource().(*jobDataSource[awstypes.BatchInferenceJob, personalize.CreateBatchInferenceJobInput])
	ds.data = data
	var dsResp datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &dsResp)
	dsType := dsResp.Schema.Type().TerraformType(ctx)
	cfgState := tfsdk.State{Schema: dsResp.Schema, Raw: tftypes.NewValue(dsType, nil)}
	if d := cfgState.SetAttribute(ctx, path.Root("batch_inference_job_arn"), sharedJobARN); d.HasError() {
		t.Fatal(d)
	}
	dsRead := datasource.ReadResponse{State: tfsdk.State{Schema: dsResp.Schema, Raw: tftypes.NewValue(dsType, nil)}}
	ds.Read(ctx, datasource.ReadRequest{Config: tfsdk.Config{Schema: dsResp.Schema, Raw: cfgState.Raw}}, &dsRead)
	if dsRead.Diagnostics.HasError() {
		t.Fatalf("data source Read: %v", dsRead.Diagnostics)
	}

	var rsVals, dsVals map[string]tftypes.Value
	if err := readResp.State.Raw.As(&rsVals); err != nil {
		t.Fatal(err)
	}
	if err := dsRead.State.Raw.As(&dsVals); err != nil {
		t.Fatal(err)
	}

	// The data source's tags are all the job's tags, which is the resource's
	// tags_all (the resource's tags leave out what default_tags supplies).
	resourceName := map[string]string{"tags": "tags_all"}
	for name := range dsResp.Schema.Attributes {
		rsName := name
		if n, ok := resourceName[name]; ok {
			rsName = n
		}
		got, want := dsVals[name], rsVals[rsName]
		if !got.Equal(want) {
			t.Errorf("%s: data source %s, resource %s %s", name, got, rsName, want)
		}
		if !got.IsKnown() || got.IsNull() {
			t.Errorf("%s is %s: the answer sets every member, so every attribute must have a value", name, got)
		}
	}

	// Every attribute the resource reports from AWS is in the data source;
	// only the resource's own arguments are not.
	argumentsOnly := map[string]bool{"job_name_prefix": true, "tags": true, "tags_all": true, "timeouts": true, "wait_for_completion": true}
	for name := range rsResp.Schema.Attributes {
		if _, ok := dsResp.Schema.Attributes[name]; !ok && !argumentsOnly[name] {
			t.Errorf("resource attribute %s is missing from the data source", name)
		}
	}

	// Spot checks that the shared values are the answer's, not just equal.
	var m batchInferenceJobDataSourceModel
	if d := dsRead.State.Get(ctx, &m); d.HasError() {
		t.Fatal(d)
	}
	if got := m.CreationDateTime.ValueString(); got != "2024-05-01T10:00:00Z" {
		t.Errorf("creation_date_time = %q, want 2024-05-01T10:00:00Z", got)
	}
	if got := m.Tags; !got.Equal(types.MapValueMust(types.StringType, map[string]attr.Value{
		"team": types.StringValue("recs"), "owner": types.StringValue("acc"),
	})) {
		t.Errorf("tags = %s, want team and owner only (ignore_tags drops ignored and sys:*)", got)
	}
	if m.ID.ValueString() != sharedJobARN {
		t.Errorf("id = %s, want the ARN", m.ID)
	}
}
