package personalize

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func (r *batchInferenceJobResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := jobResourceAttributes(ctx, r.kind, jobSchemaText{
		inputPath:            "The input's S3 path: a prefix (every object under it is read, JSON Lines such as `{\"userId\":\"4638\"}`) or one file.",
		numResults:           fmt.Sprintf("How many recommendations to generate per input record, 1 to %d. Left out, the service's default (25) applies and is reported here.", maxNumResults),
		numResultsValidators: numResultsValidators(),
	})
	attrs["batch_inference_job_config"] = schema.SingleNestedAttribute{
		Description: "Configuration of the recommendations. Left out, the service's defaults apply and are reported here.",
		Optional:    true,
		Computed:    true,
		Attributes: map[string]schema.Attribute{
			"item_exploration_config": schema.MapAttribute{
				Description: "Exploration settings for User-Personalization recipes, as strings: `explorationWeight` (0 to 1, default 0.3: how much to recommend new or less-known items) and " +
					"`explorationItemAgeCutOff` (days, greater than 0, default 30: how old an item may be and still be explored).",
				ElementType: types.StringType,
				Optional:    true,
				Validators:  itemExplorationConfigValidators(),
			},
			"ranking_influence": schema.MapAttribute{
				Description: "How strongly objectives other than relevance shape the ranking: keys `POPULARITY` and `FRESHNESS`, values from 0 to 1 (default 0).",
				ElementType: types.Float64Type,
				Optional:    true,
				Validators:  rankingInfluenceValidators(),
			},
		},
		PlanModifiers: keepAndReplaceObject,
	}
	attrs["batch_inference_job_mode"] = schema.StringAttribute{
		Description:   "`BATCH_INFERENCE` (the default) for recommendations, or `THEME_GENERATION` for themed groups of similar items (Similar-Items recipes only; needs `theme_generation_config`).",
		Optional:      true,
		Computed:      true,
		Default:       stringdefault.StaticString(jobModeBatchInference),
		Validators:    []validator.String{stringvalidator.OneOf(jobModeBatchInference, jobModeThemeGeneration)},
		PlanModifiers: replaceString,
	}
	attrs["theme_generation_config"] = schema.SingleNestedAttribute{
		Description: "Theme generation settings; required when, and only when, `batch_inference_job_mode` is `THEME_GENERATION`.",
		Optional:    true,
		Attributes: map[string]schema.Attribute{
			"fields_for_theme_generation": schema.SingleNestedAttribute{
				Description: "The Items dataset fields the themes are generated from.",
				Required:    true,
				Attributes: map[string]schema.Attribute{
					"item_name": schema.StringAttribute{
						Description: "The Items dataset column holding each item's name or title.",
						Required:    true,
						Validators:  itemNameValidators(),
					},
				},
			},
		},
		PlanModifiers: replaceObject,
	}
	resp.Schema = schema.Schema{
		Description: "Runs an Amazon Personalize batch inference job: recommendations (or themes) for every record of an S3 input, written to S3. " +
			"A job cannot be changed, stopped or deleted: every argument except `tags`, `wait_for_completion` and `timeouts` replaces it, " +
			"and destroy only removes it from the Terraform state.",
		Attributes: attrs,
	}
}
