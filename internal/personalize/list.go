package personalize

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// listPageSize is the largest page ListBatchInferenceJobs serves, so that a
// region with many jobs costs as few calls as possible.
const listPageSize = 100

// BatchInferenceJobFilter narrows a listing of batch inference jobs. The zero
// value matches every job. SolutionVersionARN is sent to the service; the
// other fields are applied to each summary, since the API filters on nothing
// else.
type BatchInferenceJobFilter struct {
	SolutionVersionARN string
	// Name matches the job name exactly.
	Name string
	// Status matches exactly, as the service spells it ("IN PROGRESS").
	Status string
	// Mode is BATCH_INFERENCE or THEME_GENERATION; a job that reports no
	// mode counts as BATCH_INFERENCE, the mode it ran in.
	Mode string
	// NameRegex matches anywhere in the job name unless anchored.
	NameRegex *regexp.Regexp
}

// Match reports whether a summary passes the client-side part of the filter
// (and the solution version, so that Match is also right on its own).
func (f BatchInferenceJobFilter) Match(s awstypes.BatchInferenceJobSummary) bool {
	switch {
	case f.SolutionVersionARN != "" && aws.ToString(s.SolutionVersionArn) != f.SolutionVersionARN:
		return false
	case f.Name != "" && aws.ToString(s.JobName) != f.Name:
		return false
	case f.Status != "" && aws.ToString(s.Status) != f.Status:
		return false
	case f.Mode != "" && SummaryMode(s) != f.Mode:
		return false
	case f.NameRegex != nil && !f.NameRegex.MatchString(aws.ToString(s.JobName)):
		return false
	}
	return true
}

// SummaryMode is a summary's batch_inference_job_mode, with the same default
// the flattener gives a described job that reports none.
func SummaryMode(s awstypes.BatchInferenceJobSummary) string {
	return jobMode(s.BatchInferenceJobMode)
}

// ListBatchInferenceJobSummaries returns every job in the client's region that
// matches filter, following all pages, oldest first (by creation time, then
// by name). The service lists newest first and pages shift as jobs are
// created, so a fixed order keeps plans from showing spurious differences.
func ListBatchInferenceJobSummaries(ctx context.Context, conn personalize.ListBatchInferenceJobsAPIClient, filter BatchInferenceJobFilter) ([]awstypes.BatchInferenceJobSummary, error) {
	in := &personalize.ListBatchInferenceJobsInput{MaxResults: aws.Int32(listPageSize)}
	if filter.SolutionVersionARN != "" {
		in.SolutionVersionArn = aws.String(filter.SolutionVersionARN)
	}
	var out []awstypes.BatchInferenceJobSummary
	pages := personalize.NewListBatchInferenceJobsPaginator(conn, in)
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing batch inference jobs%s: %w", filterNote(filter.SolutionVersionARN), err)
		}
		for _, s := range page.BatchInferenceJobs {
			if filter.Match(s) {
				out = append(out, s)
			}
		}
	}
	SortBatchInferenceJobSummaries(out)
	return out, nil
}

// SortBatchInferenceJobSummaries orders summaries oldest first, by creation
// time and then by name, the order ListBatchInferenceJobSummaries returns.
func SortBatchInferenceJobSummaries(s []awstypes.BatchInferenceJobSummary) {
	slices.SortStableFunc(s, func(a, b awstypes.BatchInferenceJobSummary) int {
		return cmp.Or(
			aws.ToTime(a.CreationDateTime).Compare(aws.ToTime(b.CreationDateTime)),
			cmp.Compare(aws.ToString(a.JobName), aws.ToString(b.JobName)),
		)
	})
}

func filterNote(solutionVersionARN string) string {
	if solutionVersionARN == "" {
		return ""
	}
	return fmt.Sprintf(" (solution_version_arn %s)", solutionVersionARN)
}

// jobFilter describes one filter attribute of jobFilterModel.
type jobFilter struct {
	description string
	validators  []validator.String
}

// jobFilters are the filter attributes, keyed by name, that the
// personalize_batch_inference_jobs data source and the list resource's config
// block both offer.
func jobFilters() map[string]jobFilter {
	return map[string]jobFilter{
		"solution_version_arn": {
			description: "Only jobs of this solution version (filtered by the service).",
			validators:  personalizeARNValidators(solutionVersionExample),
		},
		"status": {
			description: "Only jobs with this status, spelled as the service does: `PENDING`, `IN PROGRESS`, `ACTIVE` or `CREATE FAILED`.",
			validators:  []validator.String{stringvalidator.UTF8LengthBetween(1, 256)},
		},
		"batch_inference_job_mode": {
			description: "Only jobs of this mode: `BATCH_INFERENCE` or `THEME_GENERATION`.",
			validators:  []validator.String{stringvalidator.OneOf(jobModeBatchInference, jobModeThemeGeneration)},
		},
		"name_regex": {
			description: "Only jobs whose name matches this regular expression (Go RE2 syntax; it matches anywhere in the name unless anchored with `^` and `$`).",
			validators:  []validator.String{regexpValidator{}},
		},
	}
}

// jobFilterModel holds the filters that the personalize_batch_inference_jobs
// data source and the list resource's config block share.
type jobFilterModel struct {
	SolutionVersionARN    types.String `tfsdk:"solution_version_arn"`
	Status                types.String `tfsdk:"status"`
	BatchInferenceJobMode types.String `tfsdk:"batch_inference_job_mode"`
	NameRegex             types.String `tfsdk:"name_regex"`
}

// filter turns the configured filters into a BatchInferenceJobFilter.
// Terraform validates configurations first, but a list request runs no
// validators, so unknown values and the regular expression are checked here
// again.
func (m jobFilterModel) filter() (BatchInferenceJobFilter, diag.Diagnostics) {
	var diags diag.Diagnostics
	for name, v := range map[string]types.String{
		"solution_version_arn":     m.SolutionVersionARN,
		"status":                   m.Status,
		"batch_inference_job_mode": m.BatchInferenceJobMode,
		"name_regex":               m.NameRegex,
	} {
		if v.IsUnknown() {
			diags.AddAttributeError(path.Root(name), "Filter not known",
				fmt.Sprintf("%s depends on a value that is not known before apply, so the jobs cannot be listed: give it a value known at plan time (a literal, variable or local), or leave it out.", name))
		}
	}
	f := BatchInferenceJobFilter{
		SolutionVersionARN: m.SolutionVersionARN.ValueString(),
		Status:             m.Status.ValueString(),
		Mode:               m.BatchInferenceJobMode.ValueString(),
	}
	if v := m.NameRegex.ValueString(); v != "" {
		re, err := regexp.Compile(v)
		if err != nil {
			diags.AddAttributeError(path.Root("name_regex"), "Invalid name_regex", regexpErrorDetail("name_regex", v, err))
		}
		f.NameRegex = re
	}
	return f, diags
}
