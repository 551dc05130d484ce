// Listing jobs: one pager for every List operation, the filters the data
// sources and list resources offer, and the order they return jobs in.

package personalize

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// listPageSize is the largest page the List operations serve, so that a
// region with many jobs costs as few calls as possible.
const listPageSize = 100

// JobFilter narrows a listing of jobs. The zero value matches every job.
// ParentARN is sent to the service; the other fields are applied to
// each summary, since the API filters on nothing else.
type jobFilter struct {
	ParentARN string
	// Name matches the job name exactly.
	Name string
	// Status matches exactly, as the service spells it ("IN PROGRESS").
	Status string
	// Mode is BATCH_INFERENCE or THEME_GENERATION (batch inference jobs
	// only); a job that reports no mode counts as BATCH_INFERENCE, the mode
	// it ran in.
	Mode string
	// NameRegex matches anywhere in the job name unless anchored.
	NameRegex *regexp.Regexp
}

// Match reports whether a summary passes the client-side part of the filter
// (and the parent, so that Match is also right on its own).
func (f jobFilter) Match(s jobSummary) bool {
	switch {
	case f.ParentARN != "" && s.ParentARN != f.ParentARN:
		return false
	case f.Name != "" && s.Name != f.Name:
		return false
	case f.Status != "" && s.Status != f.Status:
		return false
	case f.Mode != "" && s.Mode != f.Mode:
		return false
	case f.NameRegex != nil && !f.NameRegex.MatchString(s.Name):
		return false
	}
	return true
}

// listJobs returns every job of kind k in the client's region that matches
// filter, following all pages, oldest first (by creation time, then by
// name). The service lists newest first and pages shift as jobs are
// created, so a fixed order keeps plans from showing spurious differences.
func listJobs[J, In any](ctx context.Context, k *jobKind[J, In], conn *personalize.Client, filter jobFilter) ([]jobSummary, error) {
	var out []jobSummary
	err := k.list(ctx, conn, filter.ParentARN, func(page []jobSummary) bool {
		for _, s := range page {
			if filter.Match(s) {
				out = append(out, s)
			}
		}
		return true
	})
	if err != nil {
		return nil, fmt.Errorf("listing %ss%s: %w", k.noun, filterNote(k.parentAttribute, filter.ParentARN), err)
	}
	sortJobSummaries(out)
	return out, nil
}

// listPages pages through a List operation: call returns one page's
// summaries and the next page's token, summary reads one of them, and each
// gets every page until it returns false. The SDK's paginators do the same
// per operation; one function serves every job type.
func listPages[S any](ctx context.Context, call func(ctx context.Context, token *string) ([]S, *string, error), summary func(S) jobSummary, each func([]jobSummary) bool) error {
	var token *string
	for {
		items, next, err := call(ctx, token)
		if err != nil {
			return err
		}
		summaries := make([]jobSummary, len(items))
		for i, s := range items {
			summaries[i] = summary(s)
		}
		// A token the service repeats would page for ever.
		if !each(summaries) || aws.ToString(next) == "" || aws.ToString(next) == aws.ToString(token) {
			return nil
		}
		token = next
	}
}

// SortJobSummaries orders summaries oldest first, by creation time and then
// by name, the order listJobs returns.
func sortJobSummaries(s []jobSummary) {
	slices.SortStableFunc(s, func(a, b jobSummary) int {
		return cmp.Or(
			aws.ToTime(a.CreationDateTime).Compare(aws.ToTime(b.CreationDateTime)),
			cmp.Compare(a.Name, b.Name),
		)
	})
}

func filterNote(attribute, parentARN string) string {
	if parentARN == "" {
		return ""
	}
	return fmt.Sprintf(" (%s %s)", attribute, parentARN)
}

// jobFilter describes one filter attribute of jobFilterModel.
type filterAttribute struct {
	description string
	validators  []validator.String
}

// jobFilters are the filter attributes, keyed by name, that the jobs data
// sources and the list resources' config blocks offer.
func filterAttributes[J, In any](k *jobKind[J, In]) map[string]filterAttribute {
	filters := map[string]filterAttribute{
		k.parentAttribute: k.parentFilter,
		"status": {
			description: "Only jobs with this status, spelled as the service does: " + strings.ReplaceAll(orList(k.statuses), `"`, "`") +
				" (another spelling, such as `CREATE_FAILED`, is an error).",
			validators: jobStatusValidators(k.noun, k.statuses),
		},
	}
	if !k.summariesUnnamed {
		filters["name_regex"] = filterAttribute{
			description: "Only jobs whose name matches this regular expression (Go RE2 syntax; it matches anywhere in the name unless anchored with `^` and `$`).",
			validators:  []validator.String{regexpValidator{}},
		}
	}
	if len(k.modes) > 0 {
		filters[k.modeAttribute()] = filterAttribute{
			description: "Only jobs of this mode: `" + strings.Join(k.modes, "` or `") + "`.",
			validators:  []validator.String{stringvalidator.OneOf(k.modes...)},
		}
	}
	return filters
}

// configuredFilter reads the filter attributes of k's jobs from a data
// source's or a list resource's configuration. Terraform validates
// configurations first, but a list request runs no validators, so unknown
// values are refused and the validators run here again.
func configuredFilter[J, In any](ctx context.Context, k *jobKind[J, In], config tfsdk.Config) (jobFilter, diag.Diagnostics) {
	var diags diag.Diagnostics
	values := map[string]types.String{}
	for name, filter := range filterAttributes(k) {
		var v types.String
		p := path.Root(name)
		diags.Append(config.GetAttribute(ctx, p, &v)...)
		if v.IsUnknown() {
			diags.AddAttributeError(p, "Filter not known",
				fmt.Sprintf("%s depends on a value that is not known before apply, so the jobs cannot be listed: give it a value known at plan time (a literal, variable or local), or leave it out.", name))
		}
		for _, check := range filter.validators {
			resp := validator.StringResponse{}
			check.ValidateString(ctx, validator.StringRequest{Path: p, PathExpression: p.Expression(), ConfigValue: v, Config: config}, &resp)
			diags.Append(resp.Diagnostics...)
		}
		values[name] = v
	}
	f := jobFilter{
		ParentARN: values[k.parentAttribute].ValueString(),
		Status:    values["status"].ValueString(),
		Mode:      values[k.modeAttribute()].ValueString(),
	}
	if v := values["name_regex"].ValueString(); v != "" {
		// A pattern that does not compile was reported by its validator.
		if re, err := regexp.Compile(v); err == nil {
			f.NameRegex = re
		}
	}
	return f, diags
}
