package personalize

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSource                   = &batchInferenceJobDataSource{}
	_ datasource.DataSourceWithConfigure      = &batchInferenceJobDataSource{}
	_ datasource.DataSourceWithValidateConfig = &batchInferenceJobDataSource{}
)

// NewBatchInferenceJobDataSource returns the personalize_batch_inference_job data source.
func NewBatchInferenceJobDataSource() datasource.DataSource {
	return &batchInferenceJobDataSource{jobDataSource[batchInferenceJobDataSourceModel, *batchInferenceJobDataSourceModel, awstypes.BatchInferenceJob, personalize.CreateBatchInferenceJobInput]{
		kind: batchInferenceJobKind,
	}}
}

// NewBatchInferenceJobsDataSource returns the personalize_batch_inference_jobs data source.
func NewBatchInferenceJobsDataSource() datasource.DataSource {
	return &jobsDataSource[awstypes.BatchInferenceJob, personalize.CreateBatchInferenceJobInput]{kind: batchInferenceJobKind}
}

type batchInferenceJobDataSource struct {
	jobDataSource[batchInferenceJobDataSourceModel, *batchInferenceJobDataSourceModel, awstypes.BatchInferenceJob, personalize.CreateBatchInferenceJobInput]
}

type batchInferenceJobDataSourceModel struct {
	BatchInferenceJobAttributes
	jobDataSourceFields
}

func (d *batchInferenceJobDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := jobDataSourceAttributes(d.kind, "The input's S3 path: a prefix or one file of JSON Lines.")
	attrs["batch_inference_job_config"] = schema.SingleNestedAttribute{
		Description: "Configuration of the recommendations, null when the job was created without one.",
		Computed:    true,
		Attributes: map[string]schema.Attribute{
			"item_exploration_config": schema.MapAttribute{
				Description: "Exploration settings for User-Personalization recipes, as strings: `explorationWeight` (0 to 1: how much to recommend new or less-known items) and " +
					"`explorationItemAgeCutOff` (days: how old an item may be and still be explored).",
				ElementType: types.StringType,
				Computed:    true,
			},
			"ranking_influence": schema.MapAttribute{
				Description: "How strongly objectives other than relevance shape the ranking: keys `POPULARITY` and `FRESHNESS`, values from 0 to 1.",
				ElementType: types.Float64Type,
				Computed:    true,
			},
		},
	}
	attrs["batch_inference_job_mode"] = schema.StringAttribute{
		Description: "`BATCH_INFERENCE` for recommendations or `THEME_GENERATION` for themed groups of similar items. Jobs from before modes existed report `BATCH_INFERENCE`.",
		Computed:    true,
	}
	attrs["num_results"] = schema.Int64Attribute{
		Description: "How many recommendations the job generates per input record.",
		Computed:    true,
	}
	attrs["theme_generation_config"] = schema.SingleNestedAttribute{
		Description: "Theme generation settings of a `THEME_GENERATION` job; null otherwise.",
		Computed:    true,
		Attributes: map[string]schema.Attribute{
			"fields_for_theme_generation": schema.SingleNestedAttribute{
				Description: "The Items dataset fields the themes are generated from.",
				Computed:    true,
				Attributes: map[string]schema.Attribute{
					"item_name": schema.StringAttribute{
						Description: "The Items dataset column holding each item's name or title.",
						Computed:    true,
					},
				},
			},
		},
	}
	resp.Schema = schema.Schema{
		Description: "Reads one Amazon Personalize batch inference job, found by its ARN or by its name, with every attribute the " +
			"`personalize_batch_inference_job` resource has. The job may have been created by Terraform or by anything else.",
		Attributes: attrs,
	}
}
