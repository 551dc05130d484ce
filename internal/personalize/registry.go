package personalize

import (
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// Resources lists the resources the provider registers.
func Resources() []func() resource.Resource {
	return []func() resource.Resource{NewBatchInferenceJobResource, NewBatchSegmentJobResource, NewDatasetImportJobResource, NewSolutionVersionResource}
}

// DataSources lists the data sources the provider registers.
func DataSources() []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewBatchInferenceJobDataSource, NewBatchInferenceJobsDataSource,
		NewBatchSegmentJobDataSource, NewBatchSegmentJobsDataSource,
		NewDatasetImportJobDataSource, NewDatasetImportJobsDataSource,
		NewSolutionVersionDataSource,
	}
}

// ListResources lists the list resources (terraform query) the provider registers.
func ListResources() []func() list.ListResource {
	return []func() list.ListResource{NewBatchInferenceJobListResource, NewBatchSegmentJobListResource, NewDatasetImportJobListResource, NewSolutionVersionListResource}
}

// Actions lists the actions (Terraform 1.14+) the provider registers.
func Actions() []func() action.Action {
	return []func() action.Action{NewBatchInferenceJobAction}
}
