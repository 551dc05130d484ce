package personalize

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

const segmentInputPath = "The input's S3 path: a prefix (every object under it is read) or one file, JSON Lines such as `{\"itemId\": \"105\"}` " +
	"(Item-Affinity recipes) or `{\"itemAttributes\": \"ITEMS.genres = \\\"Comedy\\\"\"}` (Item-Attribute-Affinity recipes)."

func (r *batchSegmentJobResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Runs an Amazon Personalize batch segment job: for every item or item attribute query of an S3 input, the users most likely to interact with it, " +
			"written to S3. The solution version must use an Item-Affinity or Item-Attribute-Affinity recipe. A job cannot be changed, stopped or deleted: " +
			"every argument except `tags`, `wait_for_completion` and `timeouts` replaces it, and destroy only removes it from the Terraform state.",
		Attributes: jobResourceAttributes(ctx, r.kind, jobSchemaText{
			inputPath: segmentInputPath,
			numResults: fmt.Sprintf("How many users to put in each segment (per input line), 1 to %d. Left out, the service's default applies and is reported here.",
				maxSegmentUsers),
			numResultsValidators: segmentNumResultsValidators(),
		}),
	}
}

func (d *batchSegmentJobDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := jobDataSourceAttributes(d.kind, segmentInputPath)
	attrs["num_results"] = dsschema.Int64Attribute{
		Description: "How many users the job puts in each segment.",
		Computed:    true,
	}
	resp.Schema = dsschema.Schema{
		Description: "Reads one Amazon Personalize batch segment job, found by its ARN or by its name, with every attribute the " +
			"`personalize_batch_segment_job` resource has. The job may have been created by Terraform or by anything else.",
		Attributes: attrs,
	}
}
