package emulator

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	"github.com/aws/aws-sdk-go-v2/service/personalize/types"
)

const (
	fixtureGroup        = "arn:aws:personalize:us-east-1:123456789012:dataset-group/demo"
	fixtureInteractions = "arn:aws:personalize:us-east-1:123456789012:dataset/demo/INTERACTIONS"
	fixtureItems        = "arn:aws:personalize:us-east-1:123456789012:dataset/demo/ITEMS"
	importARNPrefix     = "arn:aws:personalize:us-east-1:123456789012:dataset-import-job/"
	interactionsCSV     = "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n1,105,1700000000,click\n2,106,1700000100,watch\n"
)

func importInput(name, dataset, location string) *personalize.CreateDatasetImportJobInput {
	return &personalize.CreateDatasetImportJobInput{
		JobName:    aws.String(name),
		DatasetArn: aws.String(dataset),
		DataSource: &types.DataSource{DataLocation: aws.String(location)},
		RoleArn:    aws.String(testRole),
	}
}

func (h *harness) createImport(in *personalize.CreateDatasetImportJobInput) string {
	h.t.Helper()
	out, err := h.client.CreateDatasetImportJob(ctx, in)
	if err != nil {
		h.t.Fatalf("CreateDatasetImportJob %s: %v", aws.ToString(in.JobName), err)
	}
	return aws.ToString(out.DatasetImportJobArn)
}

func (h *harness) describeImport(arn string) *types.DatasetImportJob {
	h.t.Helper()
	out, err := h.client.DescribeDatasetImportJob(ctx, &personalize.DescribeDatasetImportJobInput{DatasetImportJobArn: aws.String(arn)})
	if err != nil {
		h.t.Fatalf("DescribeDatasetImportJob %s: %v", arn, err)
	}
	return out.DatasetImportJob
}

// runImportToEnd creates the import, moves the clock past its end and
// describes it until the emulator's own loop has finished reading its data.
func (h *harness) runImportToEnd(in *personalize.CreateDatasetImportJobInput) *types.DatasetImportJob {
	h.t.Helper()
	arn := h.createImport(in)
	h.clock.Advance(time.Hour)
	return untilFinished(h.t, func() (*types.DatasetImportJob, string) {
		j := h.describeImport(arn)
		return j, aws.ToString(j.Status)
	})
}

func TestEmulator_datasetFixturesCanBeFound(t *testing.T) {
	h := newHarness(t, Config{})
	groups, err := h.client.ListDatasetGroups(ctx, &personalize.ListDatasetGroupsInput{})
	if err != nil || len(groups.DatasetGroups) != 1 || aws.ToString(groups.DatasetGroups[0].DatasetGroupArn) != fixtureGroup ||
		aws.ToString(groups.DatasetGroups[0].Status) != "ACTIVE" || aws.ToString(groups.DatasetGroups[0].Name) != "demo" {
		t.Fatalf("ListDatasetGroups: %+v %v", groups, err)
	}
	group, err := h.client.DescribeDatasetGroup(ctx, &personalize.DescribeDatasetGroupInput{DatasetGroupArn: aws.String(fixtureGroup)})
	if err != nil || aws.ToString(group.DatasetGroup.Name) != "demo" || group.DatasetGroup.CreationDateTime == nil {
		t.Fatalf("DescribeDatasetGroup: %+v %v", group, err)
	}

	// Newest first, a page at a time.
	var names []string
	pages := personalize.NewListDatasetsPaginator(h.client, &personalize.ListDatasetsInput{DatasetGroupArn: aws.String(fixtureGroup), MaxResults: aws.Int32(1)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			t.Fatalf("ListDatasets: %v", err)
		}
		for _, d := range page.Datasets {
			names = append(names, aws.ToString(d.DatasetArn)+" "+aws.ToString(d.DatasetType))
		}
	}
	if want := []string{fixtureItems + " ITEMS", fixtureInteractions + " INTERACTIONS"}; !slices.Equal(names, want) {
		t.Errorf("ListDatasets: %v, want %v", names, want)
	}
	other, err := h.client.ListDatasets(ctx, &personalize.ListDatasetsInput{DatasetGroupArn: aws.String(fixtureGroup + "-other")})
	if err != nil || len(other.Datasets) != 0 {
		t.Errorf("ListDatasets of another group: %+v %v", other, err)
	}

	ds, err := h.client.DescribeDataset(ctx, &personalize.DescribeDatasetInput{DatasetArn: aws.String(fixtureInteractions)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(ds.Dataset.DatasetGroupArn) != fixtureGroup || aws.ToString(ds.Dataset.Status) != "ACTIVE" {
		t.Errorf("DescribeDataset: %+v", ds.Dataset)
	}
	schema, err := h.client.DescribeSchema(ctx, &personalize.DescribeSchemaInput{SchemaArn: ds.Dataset.SchemaArn})
	if err != nil {
		t.Fatal(err)
	}
	var avro struct {
		Fields []struct {
			Name string `json:"name"`
			Type any    `json:"type"`
		} `json:"fields"`
	}
	if err := json.Unmarshal([]byte(aws.ToString(schema.Schema.Schema)), &avro); err != nil {
		t.Fatalf("schema %q: %v", aws.ToString(schema.Schema.Schema), err)
	}
	var required []string
	for _, f := range avro.Fields {
		if _, nullable := f.Type.([]any); !nullable {
			required = append(required, f.Name)
		}
	}
	if want := []string{"USER_ID", "ITEM_ID", "TIMESTAMP"}; !slices.Equal(required, want) {
		t.Errorf("the Interactions schema requires %v, want %v", required, want)
	}
	schemas, err := h.client.ListSchemas(ctx, &personalize.ListSchemasInput{})
	if err != nil || len(schemas.Schemas) != 2 {
		t.Errorf("ListSchemas: %+v %v", schemas, err)
	}

	_, err = h.client.DescribeDataset(ctx, &personalize.DescribeDatasetInput{DatasetArn: aws.String(fixtureGroup + "/USERS")})
	wantAPIError(t, err, "ResourceNotFoundException", "datasetArn")
	if got := h.tagsOf(fixtureItems); got != "" {
		t.Errorf("a dataset has no tags at start: %q", got)
	}
}

func TestEmulator_datasetImportJobLifecycle(t *testing.T) {
	h := newHarness(t, Config{ImportDuration: 8 * time.Second})
	in := importInput("interactions-1", fixtureInteractions, "s3://data/interactions.csv")
	in.Tags = tagsFrom("team", "recs")
	in.PublishAttributionMetricsToS3 = aws.Bool(true)
	arn := h.createImport(in)
	if arn != importARNPrefix+"interactions-1" {
		t.Fatalf("ARN %s", arn)
	}
	j := h.describeImport(arn)
	if aws.ToString(j.Status) != "CREATE PENDING" || aws.ToString(j.JobName) != "interactions-1" || aws.ToString(j.DatasetArn) != fixtureInteractions ||
		aws.ToString(j.DataSource.DataLocation) != "s3://data/interactions.csv" || aws.ToString(j.RoleArn) != testRole ||
		j.ImportMode != types.ImportModeFull || !aws.ToBool(j.PublishAttributionMetricsToS3) ||
		!j.CreationDateTime.Equal(h.clock.Now()) || j.FailureReason != nil {
		t.Fatalf("just created: %+v", j)
	}
	h.clock.Advance(2 * time.Second)
	if j := h.describeImport(arn); aws.ToString(j.Status) != "CREATE IN_PROGRESS" || !j.LastUpdatedDateTime.Equal(h.clock.Now()) {
		t.Fatalf("at +2s: %s updated %s", aws.ToString(j.Status), j.LastUpdatedDateTime)
	}
	h.clock.Advance(6 * time.Second)
	if j := h.describeImport(arn); aws.ToString(j.Status) != "ACTIVE" || !j.LastUpdatedDateTime.Equal(h.clock.Now()) {
		t.Fatalf("at +8s: %s", aws.ToString(j.Status))
	}
	if got := h.tagsOf(arn); got != "team=recs " {
		t.Errorf("tags: %q", got)
	}
	if st := h.em.Stats(); st.DatasetImportJobs != 1 || st.Jobs != 0 || st.Calls["CreateDatasetImportJob"] != 1 || st.Calls["DescribeDatasetImportJob"] != 3 {
		t.Errorf("stats: %+v", st)
	}

	_, err := h.client.CreateDatasetImportJob(ctx, importInput("interactions-1", fixtureItems, "s3://data/items.csv"))
	wantAPIError(t, err, "ResourceAlreadyExistsException", "interactions-1", "unique for ever")
	_, err = h.client.DescribeDatasetImportJob(ctx, &personalize.DescribeDatasetImportJobInput{DatasetImportJobArn: aws.String(importARNPrefix + "nope")})
	wantAPIError(t, err, "ResourceNotFoundException", "datasetImportJobArn")
	// A batch inference job's ARN names no import job.
	_, err = h.client.DescribeDatasetImportJob(ctx, &personalize.DescribeDatasetImportJobInput{DatasetImportJobArn: aws.String(h.create(validCreate("a-batch-job")))})
	wantAPIError(t, err, "ResourceNotFoundException")
}

func TestEmulator_datasetImportJobValidation(t *testing.T) {
	h := newHarness(t, Config{})
	for _, c := range []struct {
		name  string
		edit  func(*personalize.CreateDatasetImportJobInput)
		code  string
		wants []string
	}{
		{"unknown dataset", func(in *personalize.CreateDatasetImportJobInput) { in.DatasetArn = aws.String(fixtureGroup + "/USERS") },
			"ResourceNotFoundException", []string{"datasetArn", fixtureGroup + "/USERS"}},
		{"import mode", func(in *personalize.CreateDatasetImportJobInput) { in.ImportMode = "PARTIAL" },
			"InvalidInputException", []string{"Value 'PARTIAL' at 'importMode'", "enum value set: [FULL, INCREMENTAL]"}},
		{"no data location", func(in *personalize.CreateDatasetImportJobInput) { in.DataSource = &types.DataSource{} },
			"InvalidInputException", []string{"Value null at 'dataSource.dataLocation'"}},
		{"data location", func(in *personalize.CreateDatasetImportJobInput) {
			in.DataSource.DataLocation = aws.String("ftp://x/y.csv")
		},
			"InvalidInputException", []string{"'dataSource.dataLocation'", "(s3|http|https)://.+"}},
		{"name", func(in *personalize.CreateDatasetImportJobInput) { in.JobName = aws.String("-bad name") },
			"InvalidInputException", []string{"'jobName'"}},
		{"role", func(in *personalize.CreateDatasetImportJobInput) { in.RoleArn = aws.String("arn:aws:iam::1:user/x") },
			"InvalidInputException", []string{"'roleArn'"}},
		{"reserved tag", func(in *personalize.CreateDatasetImportJobInput) { in.Tags = tagsFrom("aws:owner", "me") },
			"InvalidInputException", []string{"aws: prefix"}},
		{"incremental first", func(in *personalize.CreateDatasetImportJobInput) {
			in.DatasetArn, in.ImportMode = aws.String(fixtureItems), types.ImportModeIncremental
		}, "InvalidInputException", []string{"importMode INCREMENTAL", fixtureItems, "use importMode FULL"}},
	} {
		in := importInput("invalid", fixtureInteractions, "s3://data/x.csv")
		c.edit(in)
		_, err := h.client.CreateDatasetImportJob(ctx, in)
		t.Run(c.name, func(t *testing.T) { wantAPIError(t, err, c.code, c.wants...) })
	}
	// The SDK checks required members itself: only a hand-made request lacks one.
	r := h.raw("AmazonPersonalize.CreateDatasetImportJob", `{"jobName":"x","datasetArn":"`+fixtureItems+`"}`, nil)
	if r.body["__type"] != "InvalidInputException" || !strings.Contains(r.text, "Value null at 'dataSource'") {
		t.Errorf("no dataSource: %d %s", r.status, r.text)
	}
	// The Interactions dataset holds data from the start; roleArn is optional.
	in := importInput("incremental", fixtureInteractions, "s3://data/more.csv")
	in.ImportMode, in.RoleArn = types.ImportModeIncremental, nil
	if j := h.describeImport(h.createImport(in)); j.ImportMode != types.ImportModeIncremental || j.RoleArn != nil {
		t.Errorf("incremental import: %+v", j)
	}
	if n := h.em.Stats().DatasetImportJobs; n != 1 {
		t.Errorf("%d import jobs recorded, want only the valid one", n)
	}
}

// "Total number of pending or in progress dataset import jobs: 5" per region
// (developer guide, endpoints and quotas; not adjustable).
func TestEmulator_datasetImportJobQuota(t *testing.T) {
	h := newHarness(t, Config{ImportDuration: time.Minute})
	for i := range 5 {
		h.createImport(importInput(fmt.Sprintf("queued-%d", i), fixtureInteractions, "s3://data/x.csv"))
	}
	_, err := h.client.CreateDatasetImportJob(ctx, importInput("sixth", fixtureInteractions, "s3://data/x.csv"))
	wantAPIError(t, err, "LimitExceededException", "At most 5 dataset import jobs")
	// Batch jobs have quotas of their own.
	h.create(validCreate("not-an-import"))
	h.clock.Advance(time.Minute)
	h.createImport(importInput("sixth", fixtureInteractions, "s3://data/x.csv"))

	var settings map[string]int
	h.control("POST", "settings", map[string]int{"max_running_import_jobs": 1}, &settings)
	if settings["max_running_import_jobs"] != 1 || settings["max_running_jobs"] != 5 {
		t.Fatalf("settings: %v", settings)
	}
	_, err = h.client.CreateDatasetImportJob(ctx, importInput("seventh", fixtureInteractions, "s3://data/x.csv"))
	wantAPIError(t, err, "LimitExceededException", "At most 1 dataset import job")
}

func TestEmulator_listDatasetImportJobs(t *testing.T) {
	h := newHarness(t, Config{})
	for i := range 5 {
		dataset := fixtureInteractions
		if i%2 == 1 {
			dataset = fixtureItems
		}
		h.createImport(importInput(fmt.Sprintf("import-%d", i), dataset, "s3://data/x.csv"))
		h.clock.Advance(time.Second)
	}
	h.clock.Advance(time.Minute)
	list := func(in *personalize.ListDatasetImportJobsInput) []string {
		t.Helper()
		var names []string
		pages := personalize.NewListDatasetImportJobsPaginator(h.client, in)
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			if err != nil {
				t.Fatalf("ListDatasetImportJobs: %v", err)
			}
			for _, s := range page.DatasetImportJobs {
				names = append(names, aws.ToString(s.JobName)+" "+string(s.ImportMode)+" "+aws.ToString(s.Status))
			}
		}
		return names
	}
	all := list(&personalize.ListDatasetImportJobsInput{MaxResults: aws.Int32(2)})
	if want := []string{"import-4 FULL ACTIVE", "import-3 FULL ACTIVE", "import-2 FULL ACTIVE", "import-1 FULL ACTIVE", "import-0 FULL ACTIVE"}; !slices.Equal(all, want) {
		t.Errorf("every import, newest first: %v", all)
	}
	items := list(&personalize.ListDatasetImportJobsInput{DatasetArn: aws.String(fixtureItems), MaxResults: aws.Int32(1)})
	if want := []string{"import-3 FULL ACTIVE", "import-1 FULL ACTIVE"}; !slices.Equal(items, want) {
		t.Errorf("the Items dataset's imports: %v", items)
	}
	first, err := h.client.ListDatasetImportJobs(ctx, &personalize.ListDatasetImportJobsInput{DatasetArn: aws.String(fixtureItems), MaxResults: aws.Int32(1)})
	if err != nil || first.NextToken == nil {
		t.Fatalf("first page: %+v %v", first, err)
	}
	_, err = h.client.ListDatasetImportJobs(ctx, &personalize.ListDatasetImportJobsInput{DatasetArn: aws.String(fixtureInteractions), NextToken: first.NextToken})
	wantAPIError(t, err, "InvalidNextTokenException", "datasetArn")
	_, err = h.client.ListBatchInferenceJobs(ctx, &personalize.ListBatchInferenceJobsInput{NextToken: first.NextToken})
	wantAPIError(t, err, "InvalidNextTokenException")
	_, err = h.client.ListDatasetImportJobs(ctx, &personalize.ListDatasetImportJobsInput{MaxResults: aws.Int32(101)})
	wantAPIError(t, err, "InvalidInputException", "'maxResults'")
}

func TestEmulator_datasetImportReadsCSV(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "data/interactions.csv"), interactionsCSV)
	writeFile(t, filepath.Join(dir, "data/no-time.csv"), "USER_ID,ITEM_ID,EVENT_TYPE\n1,105,click\n")
	writeFile(t, filepath.Join(dir, "data/empty.csv"), "")
	writeFile(t, filepath.Join(dir, "data/parts/a.csv"), interactionsCSV)
	writeFile(t, filepath.Join(dir, "data/parts/b.csv"), "\ufeffUSER_ID,TIMESTAMP\n1,1700000000\n")
	writeFile(t, filepath.Join(dir, "data/good/a.csv"), interactionsCSV)
	writeFile(t, filepath.Join(dir, "data/good/b.csv"), "TIMESTAMP,ITEM_ID,USER_ID\n1700000000,7,1\n")
	writeFile(t, filepath.Join(dir, "data/items.csv"), "ITEM_ID,GENRES\n105,Comedy\n")
	h := newHarness(t, Config{S3Dir: dir})

	for _, c := range []struct {
		name, dataset, location, status, reason string
	}{
		{"one-file", fixtureInteractions, "s3://data/interactions.csv", "ACTIVE", ""},
		{"folder", fixtureInteractions, "s3://data/good/", "ACTIVE", ""},
		{"missing-file", fixtureInteractions, "s3://data/nope.csv", "CREATE FAILED",
			"Failed to create a data import job for Interactions dataset. Invalid Data location: no CSV file at s3://data/nope.csv; give the path of a CSV file, or of a folder of them ending in /"},
		{"missing-bucket", fixtureInteractions, "s3://nobucket/x.csv", "CREATE FAILED", "Invalid Data location"},
		{"empty-folder", fixtureInteractions, "s3://data/none/", "CREATE FAILED", "Invalid Data location"},
		{"missing-column", fixtureInteractions, "s3://data/no-time.csv", "CREATE FAILED",
			"Failed to create a data import job for Interactions dataset. Input CSV is missing the following columns: [TIMESTAMP] (s3://data/no-time.csv)"},
		{"empty-file", fixtureInteractions, "s3://data/empty.csv", "CREATE FAILED", "missing the following columns: [USER_ID, ITEM_ID, TIMESTAMP]"},
		{"folder-one-bad", fixtureInteractions, "s3://data/parts/", "CREATE FAILED", "missing the following columns: [ITEM_ID] (s3://data/parts/b.csv)"},
		{"items", fixtureItems, "s3://data/items.csv", "ACTIVE", ""},
		{"items-wrong-file", fixtureItems, "s3://data/no-time.csv", "ACTIVE", ""},
	} {
		j := h.runImportToEnd(importInput(c.name, c.dataset, c.location))
		if aws.ToString(j.Status) != c.status || !strings.Contains(aws.ToString(j.FailureReason), c.reason) || (c.reason == "") != (j.FailureReason == nil) {
			t.Errorf("%s: %s %q, want %s %q", c.name, aws.ToString(j.Status), aws.ToString(j.FailureReason), c.status, c.reason)
		}
	}
	// A FULL import made the Items dataset hold data, so it now takes INCREMENTAL ones.
	in := importInput("items-more", fixtureItems, "s3://data/items.csv")
	in.ImportMode = types.ImportModeIncremental
	if j := h.runImportToEnd(in); aws.ToString(j.Status) != "ACTIVE" {
		t.Errorf("incremental import after a full one: %+v", j)
	}
}

// Without --s3-dir there is nothing to read, and imports succeed, as batch jobs do.
func TestEmulator_datasetImportWithoutS3Succeeds(t *testing.T) {
	h := newHarness(t, Config{})
	if j := h.runImportToEnd(importInput("no-s3", fixtureInteractions, "s3://nowhere/x.csv")); aws.ToString(j.Status) != "ACTIVE" {
		t.Errorf("%+v", j)
	}
}
