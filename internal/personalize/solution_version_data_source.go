package personalize

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSourceWithConfigure        = &solutionVersionDataSource{}
	_ datasource.DataSourceWithConfigValidators = &solutionVersionDataSource{}
)

var (
	solutionARNRegexp        = regexp.MustCompile(`^arn:[a-z\d-]+:personalize:[a-z0-9-]+:\d{12}:solution/[a-zA-Z0-9][a-zA-Z0-9\-_]*$`)
	solutionVersionARNRegexp = regexp.MustCompile(`^arn:[a-z\d-]+:personalize:[a-z0-9-]+:\d{12}:solution/[a-zA-Z0-9][a-zA-Z0-9\-_]*/[a-zA-Z0-9]+$`)
)

// NewSolutionVersionDataSource returns the personalize_solution_version data source.
func NewSolutionVersionDataSource() datasource.DataSource {
	return &solutionVersionDataSource{}
}

// solutionVersionDataSource reads the solution version (trained model) a job
// runs: one named by its ARN, or the latest ACTIVE version of a solution, so
// that a configuration follows retraining without editing ARNs.
type solutionVersionDataSource struct {
	data *ProviderData
}

type solutionVersionDataSourceModel struct {
	jobRun
	ID                 types.String `tfsdk:"id"`
	SolutionVersionARN types.String `tfsdk:"solution_version_arn"`
	solutionVersionTraining
	Name types.String `tfsdk:"name"`
}

func (d *solutionVersionDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_solution_version"
}

func (d *solutionVersionDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *solutionVersionDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(description string) schema.StringAttribute {
		return schema.StringAttribute{Description: description, Computed: true}
	}
	resp.Schema = schema.Schema{
		Description: "Reads an Amazon Personalize solution version (a trained model): the one named by `solution_version_arn`, " +
			"or the latest `ACTIVE` version of the solution named by `solution_arn` (by creation time), which is what a batch job should run " +
			"after each retraining. A solution with no `ACTIVE` version is an error at plan time, before any job starts.",
		Attributes: map[string]schema.Attribute{
			"id": computed("The solution version's ARN, repeated for tools that expect an `id`."),
			"solution_version_arn": schema.StringAttribute{
				Description: "The ARN of the solution version to read (`arn:<partition>:personalize:<region>:<account>:solution/<solution>/<version id>`). " +
					"Exactly one of `solution_version_arn` and `solution_arn` is required. It must be in the provider's region.",
				Optional: true,
				Computed: true,
				Validators: []validator.String{arnValidator{kind: solutionVersionARNKind, pattern: stringvalidator.RegexMatches(solutionVersionARNRegexp,
					"must be a solution version ARN such as "+solutionVersionExample)}},
			},
			"solution_arn": schema.StringAttribute{
				Description: "The ARN of the solution whose latest `ACTIVE` version to read (`arn:<partition>:personalize:<region>:<account>:solution/<solution>`). " +
					"Exactly one of `solution_version_arn` and `solution_arn` is required. It must be in the provider's region.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{solutionARNValidator(solutionARNKind)},
			},
			"name":              computed("The solution's name."),
			"status":            computed("The version's status: `ACTIVE` once trained; `CREATE PENDING`, `CREATE IN_PROGRESS`, `CREATE FAILED`, `CREATE STOPPING` or `CREATE STOPPED` otherwise."),
			"recipe_arn":        computed("The ARN of the recipe the solution uses, such as `arn:aws:personalize:::recipe/aws-user-personalization`: it decides which batch jobs the version can run."),
			"dataset_group_arn": computed("The ARN of the dataset group the version was trained on."),
			"event_type":        computed("The event type the version was trained on, if any."),
			"training_mode":     computed("`FULL`, `UPDATE` or `AUTOTRAIN`."),
			"training_type":     computed("`AUTOMATIC` or `MANUAL`."),
			"training_hours": schema.Float64Attribute{
				Description: "The hours billed for training the version.",
				Computed:    true,
			},
			"failure_reason": computed("Why training failed, when `status` is `CREATE FAILED`."),
			"creation_date_time": schema.StringAttribute{
				Description: "When the version was created (RFC 3339, UTC).",
				CustomType:  timetypes.RFC3339Type{},
				Computed:    true,
			},
			"last_updated_date_time": schema.StringAttribute{
				Description: "When the version last changed (RFC 3339, UTC).",
				CustomType:  timetypes.RFC3339Type{},
				Computed:    true,
			},
		},
	}
}

func (d *solutionVersionDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("solution_version_arn"), path.MatchRoot("solution_arn")),
	}
}

func (d *solutionVersionDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	conn := d.data.client(&resp.Diagnostics)
	var m solutionVersionDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	resp.Diagnostics.Append(checkPlacement(ctx, req.Config, d.data,
		personalizeARNInRegion(path.Root("solution_version_arn"), "solution version"),
		personalizeARNInRegion(path.Root("solution_arn"), "solution"))...)
	if resp.Diagnostics.HasError() {
		return
	}
	arn := m.SolutionVersionARN.ValueString()
	if m.SolutionVersionARN.IsNull() {
		solution := m.SolutionARN.ValueString()
		latest, err := latestActiveSolutionVersion(ctx, conn, solution)
		if neverReachedService(err) {
			resp.Diagnostics.AddError(errorSummary("", err), err.Error())
			return
		}
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("solution_arn"), "No ACTIVE solution version", err.Error())
			return
		}
		arn = latest
	}
	out, err := conn.DescribeSolutionVersion(ctx, &personalize.DescribeSolutionVersionInput{SolutionVersionArn: aws.String(arn)})
	var rnf *awstypes.ResourceNotFoundException
	if errors.As(err, &rnf) {
		resp.Diagnostics.AddAttributeError(path.Root("solution_version_arn"), "Solution version not found",
			fmt.Sprintf("No solution version has solution_version_arn %q in %s. Check the ARN, and that the provider's region and account are the solution's.", arn, d.data.Region))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(errorSummary("Cannot read solution version", err), fmt.Sprintf("Describing solution version %s: %s", arn, err))
		return
	}
	v := out.SolutionVersion
	m.ID = types.StringPointerValue(v.SolutionVersionArn)
	m.SolutionVersionARN = types.StringPointerValue(v.SolutionVersionArn)
	m.flattenTraining(v)
	m.Name = types.StringPointerValue(v.Name)
	m.flatten(solutionVersionFields(&trainedSolutionVersion{SolutionVersion: *v}))
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// latestActiveSolutionVersion returns the ARN of the solution's ACTIVE
// version created last (by creation time, then by ARN, so that the answer
// does not depend on the order of the pages). A version still training or
// one that failed is never picked: a batch job cannot run on it.
func latestActiveSolutionVersion(ctx context.Context, conn *personalize.Client, solutionARN string) (string, error) {
	var latest *jobSummary
	statuses := map[string]int{}
	err := listSolutionVersions(ctx, conn, solutionARN, func(page []jobSummary) bool {
		for i, s := range page {
			statuses[s.Status]++
			if s.Status != statusActive {
				continue
			}
			if latest == nil || cmp.Or(
				aws.ToTime(s.CreationDateTime).Compare(aws.ToTime(latest.CreationDateTime)),
				cmp.Compare(s.ARN, latest.ARN),
			) > 0 {
				latest = &page[i]
			}
		}
		return true
	})
	var rnf *awstypes.ResourceNotFoundException
	if errors.As(err, &rnf) {
		return "", fmt.Errorf("solution_arn %q: no such solution in the provider's region and account. Check the ARN (a solution ARN has no version id at the end)", solutionARN)
	}
	if err != nil {
		return "", fmt.Errorf("listing the versions of solution %s: %w", solutionARN, err)
	}
	if latest == nil {
		versions := "it has no versions yet"
		if len(statuses) > 0 {
			var counts []string
			for _, status := range slices.Sorted(maps.Keys(statuses)) {
				counts = append(counts, fmt.Sprintf("%d %s", statuses[status], status))
			}
			versions = "its versions: " + strings.Join(counts, ", ")
		}
		return "", fmt.Errorf("solution %s has no ACTIVE solution version (%s), so no batch job can run on it yet. "+
			"Wait for training to finish (or fix a failed training and train again), or name a version with solution_version_arn", solutionARN, versions)
	}
	return latest.ARN, nil
}
