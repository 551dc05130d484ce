package personalize

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
)

const (
	interactionsDataset = "arn:aws:personalize:us-east-1:123456789012:dataset/demo/INTERACTIONS"
	itemsDataset        = "arn:aws:personalize:us-east-1:123456789012:dataset/demo/ITEMS"
)

func fullImportJob() *awstypes.DatasetImportJob {
	created := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	return &awstypes.DatasetImportJob{
		DatasetImportJobArn:           aws.String("arn:aws:personalize:us-east-1:123456789012:dataset-import-job/nightly"),
		JobName:                       aws.String("nightly"),
		DatasetArn:                    aws.String(interactionsDataset),
		DataSource:                    &awstypes.DataSource{DataLocation: aws.String("s3://bucket/imports/")},
		RoleArn:                       aws.String("arn:aws:iam::123456789012:role/Import"),
		ImportMode:                    awstypes.ImportModeIncremental,
		PublishAttributionMetricsToS3: aws.Bool(true),
		Status:                        aws.String("ACTIVE"),
		CreationDateTime:              &created,
		LastUpdatedDateTime:           aws.Time(created.Add(time.Minute)),
	}
}

// An import flattened and expanded again asks for the same import: what
// import and the adoption of a lost create rely on.
func TestDatasetImportJob_flattenExpandRoundTrip(t *testing.T) {
	ctx := context.Background()
	job := fullImportJob()
	var m datasetImportJobAttributes
	if d := m.Flatten(ctx, job); d.HasError() {
		t.Fatal(d)
	}
	in, d := m.expand(ctx)
	if d.HasError() {
		t.Fatal(d)
	}
	want := &personalize.CreateDatasetImportJobInput{
		JobName: job.JobName, DatasetArn: job.DatasetArn, DataSource: job.DataSource, RoleArn: job.RoleArn,
		ImportMode: job.ImportMode, PublishAttributionMetricsToS3: job.PublishAttributionMetricsToS3,
	}
	if diff := cmp.Diff(want, in, cmpopts.IgnoreUnexported(personalize.CreateDatasetImportJobInput{}, awstypes.DataSource{})); diff != "" {
		t.Errorf("expand(flatten(job)) differs (-want +got):\n%s", diff)
	}
	if diffs := datasetImportJobKind.differences(in, job); len(diffs) != 0 {
		t.Errorf("an import compared with its own arguments reports differences: %v", diffs)
	}
	if m.Status.ValueString() != "ACTIVE" || m.CreationDateTime.ValueString() != "2024-05-01T10:00:00Z" || m.DatasetImportJobARN.ValueString() != aws.ToString(job.DatasetImportJobArn) {
		t.Errorf("status %s, creation_date_time %s, ARN %s", m.Status, m.CreationDateTime, m.DatasetImportJobARN)
	}
}

// What a configuration leaves out takes the service's defaults, and plans
// stay clean: no role and no publishing flag flatten to null and false, and
// a request that leaves out the import mode makes the FULL import the
// service reports.
func TestDatasetImportJob_unsetArgumentsTakeServiceDefaults(t *testing.T) {
	ctx := context.Background()
	job := fullImportJob()
	job.RoleArn, job.PublishAttributionMetricsToS3, job.ImportMode = nil, nil, awstypes.ImportModeFull
	var m datasetImportJobAttributes
	m.Flatten(ctx, job)
	if !m.RoleARN.IsNull() || m.PublishAttributionMetricsToS3.IsNull() || m.PublishAttributionMetricsToS3.ValueBool() {
		t.Errorf("no role and no publishing flag flatten to role_arn %s, publish_attribution_metrics_to_s3 %s; want null and false", m.RoleARN, m.PublishAttributionMetricsToS3)
	}

	m.ImportMode = types.StringUnknown()
	in, _ := m.expand(ctx)
	if in.RoleArn != nil || in.PublishAttributionMetricsToS3 != nil || in.ImportMode != "" {
		t.Errorf("unset arguments must be left out of the request: role %v, publish %v, mode %q", in.RoleArn, in.PublishAttributionMetricsToS3, in.ImportMode)
	}
	planned, ok := datasetImportJobKind.fromRequest(in)
	if !ok || planned.ImportMode != awstypes.ImportModeFull {
		t.Errorf("fromRequest = mode %q, ok %t; want the service's default FULL, known from the request", planned.ImportMode, ok)
	}
	if diffs := datasetImportJobKind.differences(in, job); len(diffs) != 0 {
		t.Errorf("the FULL import a request without a mode made reports differences: %v", diffs)
	}
	job.ImportMode = awstypes.ImportModeIncremental
	if diffs := datasetImportJobKind.differences(in, job); len(diffs) != 1 || !strings.Contains(diffs[0], `import_mode (planned "FULL", existing job "INCREMENTAL")`) {
		t.Errorf("an INCREMENTAL import where FULL is planned gives differences %q", diffs)
	}
}

// A job of the planned name with other arguments is someone else's: every
// argument it differs in is named as the configuration names it.
func TestDatasetImportJob_differencesNameAttributes(t *testing.T) {
	ctx := context.Background()
	var m datasetImportJobAttributes
	m.Flatten(ctx, fullImportJob())
	in, _ := m.expand(ctx)
	other := fullImportJob()
	other.DatasetArn = aws.String(itemsDataset)
	other.DataSource.DataLocation = aws.String("s3://bucket/other.csv")
	other.RoleArn = nil
	other.ImportMode = awstypes.ImportModeFull
	other.PublishAttributionMetricsToS3 = nil
	joined := strings.Join(datasetImportJobKind.differences(in, other), "\n")
	for _, name := range []string{"dataset_arn", "data_source.data_location", "role_arn", "import_mode", "publish_attribution_metrics_to_s3 (planned true, existing job false)"} {
		if !strings.Contains(joined, name) {
			t.Errorf("differences %q do not name %s", joined, name)
		}
	}
}

// Destroy's plan says the imported records stay in the dataset, and a
// failed import's error points at what an import can get wrong, not at a
// batch job's output.
func TestDatasetImportJob_messagesSpeakOfImports(t *testing.T) {
	ctx := context.Background()
	m := &datasetImportJobResourceModel{}
	m.Flatten(ctx, fullImportJob())
	detail := leftInAWSDetail(ctx, datasetImportJobKind, m)
	for _, want := range []string{`its name "nightly"`, "the records it imported, which stay in dataset " + interactionsDataset} {
		if !strings.Contains(detail, want) {
			t.Errorf("destroy's warning %q does not say %q", detail, want)
		}
	}
	if strings.Contains(detail, "output") {
		t.Errorf("destroy's warning speaks of output, which an import has none of: %q", detail)
	}

	failed := fullImportJob()
	failed.Status, failed.FailureReason = aws.String(statusCreateFailed), aws.String("Input CSV is missing the following columns: [TIMESTAMP]")
	detail = failedDetail(datasetImportJobKind, failed)
	for _, want := range []string{`"Input CSV is missing the following columns: [TIMESTAMP]"`, "columns against the dataset's schema"} {
		if !strings.Contains(detail, want) {
			t.Errorf("the failure %q does not say %q", detail, want)
		}
	}
	if strings.Contains(detail, "solution version") {
		t.Errorf("an import's failure speaks of a solution version: %q", detail)
	}
}

// The summaries of ListDatasetImportJobs do not name their dataset: a
// listing of one dataset names it, and a listing of every dataset's imports
// names each import's own.
func TestDatasetImportJob_listingNamesEachDataset(t *testing.T) {
	em, err := emulator.New(emulator.Config{Region: "us-east-1", AccountID: "123456789012", ImportDuration: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(em)
	t.Cleanup(func() { srv.Close(); em.Close() })
	conn := personalize.New(personalize.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	for name, dataset := range map[string]string{"interactions-1": interactionsDataset, "interactions-2": interactionsDataset, "items-1": itemsDataset} {
		if _, err := conn.CreateDatasetImportJob(t.Context(), &personalize.CreateDatasetImportJobInput{
			JobName: aws.String(name), DatasetArn: aws.String(dataset), DataSource: &awstypes.DataSource{DataLocation: aws.String("s3://bucket/" + name + ".csv")},
		}); err != nil {
			t.Fatal(err)
		}
	}
	datasetOf := func(filter jobFilter) map[string]string {
		t.Helper()
		jobs, err := listJobs(t.Context(), datasetImportJobKind, conn, filter)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, s := range jobs {
			got[s.Name] = s.ParentARN
		}
		return got
	}
	if got, want := datasetOf(jobFilter{}), map[string]string{"interactions-1": interactionsDataset, "interactions-2": interactionsDataset, "items-1": itemsDataset}; !cmp.Equal(got, want) {
		t.Errorf("every import listed with its dataset: %v, want %v", got, want)
	}
	if got, want := datasetOf(jobFilter{ParentARN: itemsDataset}), map[string]string{"items-1": itemsDataset}; !cmp.Equal(got, want) {
		t.Errorf("the Items dataset's imports: %v, want %v", got, want)
	}
	if got, want := datasetOf(jobFilter{Name: "interactions-2"}), map[string]string{"interactions-2": interactionsDataset}; !cmp.Equal(got, want) {
		t.Errorf("an import found by name: %v, want %v", got, want)
	}
}

// A dataset ARN argument takes a dataset's ARN only, and tells a user who
// gave its dataset group, a solution or a dataset without its type what to
// write instead.
func TestValidators_datasetARN(t *testing.T) {
	const prefix = "arn:aws:personalize:us-east-1:123456789012:"
	checkValidatorCases(t, "dataset_arn", datasetARNValidators(), map[string]validatorCase{
		"dataset":         {value: types.StringValue(interactionsDataset)},
		"dataset group":   {value: types.StringValue(prefix + "dataset-group/demo"), want: []string{"is a dataset group ARN, not a dataset ARN", prefix + "dataset/demo/INTERACTIONS"}},
		"solution":        {value: types.StringValue(prefix + "solution/demo"), want: []string{"is a solution ARN, not a dataset ARN", prefix + "dataset/<dataset group name>/<dataset type>"}},
		"no type":         {value: types.StringValue(prefix + "dataset/demo"), want: []string{"is not a dataset ARN", "dataset/<dataset group name>/<dataset type>"}},
		"no account":      {value: types.StringValue("arn:aws:personalize:us-east-1::dataset/demo/ITEMS"), want: []string{"is not a complete dataset ARN"}},
		"not an ARN":      {value: types.StringValue("demo/INTERACTIONS"), want: []string{"must be an Amazon Personalize dataset ARN such as " + datasetExample}},
		"misspelt type":   {value: types.StringValue(prefix + "dataset/demo/INTERACTION"), want: []string{`ends in "INTERACTION", which is not a dataset type`, `"INTERACTIONS", "ITEMS", "USERS", "ACTIONS" or "ACTION_INTERACTIONS". Did you mean "INTERACTIONS"?`}},
		"letters swapped": {value: types.StringValue(prefix + "dataset/demo/INTERACTIOSN"), want: []string{`Did you mean "INTERACTIONS"?`}},
		"lower case":      {value: types.StringValue(prefix + "dataset/demo/items"), want: []string{`Did you mean "ITEMS"?`}},
		"a dash":          {value: types.StringValue(prefix + "dataset/demo/action-interactions"), want: []string{`Did you mean "ACTION_INTERACTIONS"?`}},
		"nothing close":   {value: types.StringValue(prefix + "dataset/demo/EVENTS"), want: []string{`which is not a dataset type`}, unwanted: []string{"Did you mean"}},
	})
}
