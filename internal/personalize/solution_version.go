// Solution versions: training a solution into a model that batch jobs run.
// Everything that is particular to them is here: the descriptor the shared
// lifecycle reads (with the stop that destroy calls, since training is
// billed by the hour, and the lookup that finds a version by name, since its
// ARN does not contain the name), the models, the schema, expand and
// flatten, and the List pager.

package personalize

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/float64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Solution version statuses, as DescribeSolutionVersion spells them (the
// reference for StopSolutionVersionCreation writes CREATE_STOPPING and
// CREATE_STOPPED, the service and its other pages do not).
const svStatusStopping = "CREATE STOPPING"

var solutionVersionStatuses = []string{statusCreatePending, statusCreateInProgress, statusActive, statusCreateFailed, svStatusStopping, statusCreateStopped}

// solutionVersionLookback bounds how old a version may be for a create to
// take it for one it submitted itself: a training runs for hours, and the
// apply after a killed one comes within a day; an older version of the same
// name is some earlier configuration's.
const solutionVersionLookback = 24 * time.Hour

// trainedSolutionVersion is a solution version as DescribeSolutionVersion
// reports it, with the metrics GetSolutionMetrics reports once it is ACTIVE
// (nil before).
type trainedSolutionVersion struct {
	awstypes.SolutionVersion
	Metrics map[string]float64
}

// solutionVersionKind describes solution versions to the shared job
// lifecycle: a training is a job whose parent is its solution, which the
// API can stop, and whose ARN the service makes up.
var solutionVersionKind = &jobKind[trainedSolutionVersion, personalize.CreateSolutionVersionInput]{
	noun:            "solution version",
	typeName:        "solution_version",
	arnAttribute:    "solution_version_arn",
	arnResource:     "solution",
	arnShape:        "solution/<solution name>/<version id>",
	arnRegexp:       solutionVersionARNRegexp,
	nameAttribute:   "name",
	parentAttribute: "solution_arn",
	parentNoun:      "solution",
	parentFilter: filterAttribute{
		description: "Only versions of this solution (filtered by the service): a solution ARN " +
			"(`arn:<partition>:personalize:<region>:<account>:solution/<solution name>`) in the provider's region.",
		validators: solutionARNValidators(),
	},
	statuses: solutionVersionStatuses,
	statusDescription: "The version's status: `CREATE PENDING`, `CREATE IN_PROGRESS`, `ACTIVE` (trained: batch jobs can run it, `metrics` are known), " +
		"`CREATE FAILED` (see `failure_reason`), `CREATE STOPPING` or `CREATE STOPPED`.",
	placement:         []placedArgument{personalizeARNInRegion(path.Root("solution_arn"), "solution")},
	stop:              stopSolutionVersion,
	lookup:            lookupSolutionVersion,
	summariesUnnamed:  true,
	oneRunPerParent:   true,
	describeOperation: "DescribeSolutionVersion",
	listOperation:     "ListSolutionVersions",
	create: func(ctx context.Context, conn *personalize.Client, in *personalize.CreateSolutionVersionInput, optFns ...func(*personalize.Options)) (string, error) {
		out, err := conn.CreateSolutionVersion(ctx, in, optFns...)
		if err != nil {
			return "", err
		}
		return aws.ToString(out.SolutionVersionArn), nil
	},
	describe: describeSolutionVersion,
	fields:   solutionVersionFields,
	request: func(in *personalize.CreateSolutionVersionInput) jobRequest {
		return jobRequest{JobName: &in.Name, Tags: &in.Tags}
	},
	list: listSolutionVersions,
	fromRequest: func(in *personalize.CreateSolutionVersionInput) (*trainedSolutionVersion, bool) {
		// The service fills in the recipe, the dataset group and the
		// training mode, which only Describe tells.
		return &trainedSolutionVersion{SolutionVersion: awstypes.SolutionVersion{
			Name: in.Name, SolutionArn: in.SolutionArn, TrainingMode: in.TrainingMode,
		}}, false
	},
	differences: func(want *personalize.CreateSolutionVersionInput, got *trainedSolutionVersion) []string {
		diffs := appendStringDifference(nil, "solution_arn", want.SolutionArn, got.SolutionArn)
		if want.TrainingMode != "" && want.TrainingMode != got.TrainingMode {
			diffs = append(diffs, fmt.Sprintf("training_mode (planned %q, existing version %q)", want.TrainingMode, got.TrainingMode))
		}
		return diffs
	},
	withSummary: func(job *trainedSolutionVersion, s jobSummary) *trainedSolutionVersion {
		j := *job
		j.SolutionVersionArn, j.Status = aws.String(s.ARN), aws.String(s.Status)
		j.FailureReason = optionalString(s.FailureReason)
		j.CreationDateTime, j.LastUpdatedDateTime = s.CreationDateTime, s.LastUpdatedDateTime
		return &j
	},
	resourceSchema: solutionVersionResourceSchema,
	newModel: func() jobModel[trainedSolutionVersion, personalize.CreateSolutionVersionInput] {
		return &solutionVersionResourceModel{}
	},
}

// solutionVersionFields reads what the shared code reads of a version.
func solutionVersionFields(v *trainedSolutionVersion) jobFields {
	return jobFields{
		ARN: v.SolutionVersionArn, Name: v.Name, ParentARN: v.SolutionArn, Status: v.Status, FailureReason: v.FailureReason,
		CreationDateTime: v.CreationDateTime, LastUpdatedDateTime: v.LastUpdatedDateTime,
	}
}

// describeSolutionVersion describes a version, with its metrics once it is
// ACTIVE: a configuration gates on them, so they are part of what a
// trained version is.
func describeSolutionVersion(ctx context.Context, conn *personalize.Client, arn string, optFns ...func(*personalize.Options)) (*trainedSolutionVersion, error) {
	out, err := conn.DescribeSolutionVersion(ctx, &personalize.DescribeSolutionVersionInput{SolutionVersionArn: &arn}, optFns...)
	if err != nil || out == nil || out.SolutionVersion == nil {
		return nil, err
	}
	v := &trainedSolutionVersion{SolutionVersion: *out.SolutionVersion}
	if aws.ToString(v.Status) != statusActive {
		return v, nil
	}
	metrics, err := conn.GetSolutionMetrics(ctx, &personalize.GetSolutionMetricsInput{SolutionVersionArn: &arn}, optFns...)
	if err != nil {
		return nil, fmt.Errorf("reading the metrics of solution version %s: %w", arn, err)
	}
	v.Metrics = metrics.Metrics
	if v.Metrics == nil {
		v.Metrics = map[string]float64{}
	}
	return v, nil
}

// solutionOf is the solution a version ARN belongs to: the ARN less its
// version id.
func solutionOf(versionARN string) string {
	if i := strings.LastIndex(versionARN, "/"); i > strings.Index(versionARN, ":solution/") {
		return versionARN[:i]
	}
	return ""
}

func listSolutionVersions(ctx context.Context, conn *personalize.Client, solutionARN string, each func([]jobSummary) bool, optFns ...func(*personalize.Options)) error {
	return listPages(ctx, func(ctx context.Context, token *string) ([]awstypes.SolutionVersionSummary, *string, error) {
		out, err := conn.ListSolutionVersions(ctx, &personalize.ListSolutionVersionsInput{
			MaxResults: aws.Int32(listPageSize), NextToken: token, SolutionArn: optionalString(solutionARN),
		}, optFns...)
		if err != nil {
			return nil, nil, err
		}
		return out.SolutionVersions, out.NextToken, nil
	}, func(s awstypes.SolutionVersionSummary) jobSummary {
		arn := aws.ToString(s.SolutionVersionArn)
		return jobSummary{
			ARN: arn, Status: aws.ToString(s.Status), ParentARN: solutionOf(arn), FailureReason: aws.ToString(s.FailureReason),
			CreationDateTime: s.CreationDateTime, LastUpdatedDateTime: s.LastUpdatedDateTime,
		}
	}, each)
}

// lookupSolutionVersion finds the newest version of the request's solution
// with the request's name, created within solutionVersionLookback, as
// described. List summaries carry no name, so the recent ones are described,
// newest first.
func lookupSolutionVersion(ctx context.Context, conn *personalize.Client, in *personalize.CreateSolutionVersionInput) (*trainedSolutionVersion, error) {
	name := aws.ToString(in.Name)
	if name == "" {
		return nil, nil
	}
	since := time.Now().Add(-solutionVersionLookback)
	var found *trainedSolutionVersion
	var lookErr error
	err := listSolutionVersions(ctx, conn, aws.ToString(in.SolutionArn), func(page []jobSummary) bool {
		for _, s := range page {
			if s.CreationDateTime != nil && s.CreationDateTime.Before(since) {
				return false
			}
			out, err := conn.DescribeSolutionVersion(ctx, &personalize.DescribeSolutionVersionInput{SolutionVersionArn: aws.String(s.ARN)})
			var rnf *awstypes.ResourceNotFoundException
			switch {
			case errors.As(err, &rnf):
				continue
			case err != nil:
				lookErr = err
				return false
			case aws.ToString(out.SolutionVersion.Name) == name:
				found = &trainedSolutionVersion{SolutionVersion: *out.SolutionVersion}
				return false
			}
		}
		return true
	})
	if err == nil {
		err = lookErr
	}
	if err != nil {
		return nil, fmt.Errorf("looking for solution version %q among the versions of %s: %w", name, aws.ToString(in.SolutionArn), err)
	}
	return found, nil
}

// stopSolutionVersion stops a training. A version that stopped or finished
// since the state last saw it needs no stop: the service refuses one, and
// the version is then described to tell that from a real failure.
func stopSolutionVersion(ctx context.Context, conn *personalize.Client, arn string) error {
	_, err := conn.StopSolutionVersionCreation(ctx, &personalize.StopSolutionVersionCreationInput{SolutionVersionArn: &arn})
	var invalid *awstypes.InvalidInputException
	var inUse *awstypes.ResourceInUseException
	var rnf *awstypes.ResourceNotFoundException
	switch {
	case err == nil, errors.As(err, &rnf):
		return nil
	case !errors.As(err, &invalid) && !errors.As(err, &inUse):
		return err
	}
	out, derr := conn.DescribeSolutionVersion(ctx, &personalize.DescribeSolutionVersionInput{SolutionVersionArn: &arn})
	if derr != nil || out.SolutionVersion == nil {
		return err
	}
	if status := aws.ToString(out.SolutionVersion.Status); status == statusCreatePending || status == statusCreateInProgress {
		return err
	}
	return nil
}

// NewSolutionVersionResource returns the personalize_solution_version resource.
func NewSolutionVersionResource() resource.Resource {
	return &jobResource[trainedSolutionVersion, personalize.CreateSolutionVersionInput]{kind: solutionVersionKind}
}

// NewSolutionVersionListResource returns the personalize_solution_version
// list resource for `terraform query`.
func NewSolutionVersionListResource() list.ListResource {
	return &jobListResource[trainedSolutionVersion, personalize.CreateSolutionVersionInput]{kind: solutionVersionKind}
}

type solutionVersionResourceModel struct {
	jobRun
	jobResourceFields
	Name               types.String `tfsdk:"name"`
	NamePrefix         types.String `tfsdk:"name_prefix"`
	SolutionVersionARN types.String `tfsdk:"solution_version_arn"`
	solutionVersionTraining
	PerformHPO               types.Bool   `tfsdk:"perform_hpo"`
	PerformAutoML            types.Bool   `tfsdk:"perform_auto_ml"`
	PerformIncrementalUpdate types.Bool   `tfsdk:"perform_incremental_update"`
	TunedHPOParams           types.Object `tfsdk:"tuned_hpo_params"`
	Metrics                  types.Map    `tfsdk:"metrics"`
}

// solutionVersionTraining are the attributes that tell how a version was
// trained, which the resource and the data source share.
type solutionVersionTraining struct {
	SolutionARN     types.String  `tfsdk:"solution_arn"`
	TrainingMode    types.String  `tfsdk:"training_mode"`
	TrainingType    types.String  `tfsdk:"training_type"`
	TrainingHours   types.Float64 `tfsdk:"training_hours"`
	RecipeARN       types.String  `tfsdk:"recipe_arn"`
	DatasetGroupARN types.String  `tfsdk:"dataset_group_arn"`
	EventType       types.String  `tfsdk:"event_type"`
}

func (m *solutionVersionTraining) flattenTraining(v *awstypes.SolutionVersion) {
	m.SolutionARN = types.StringPointerValue(v.SolutionArn)
	m.TrainingMode = stringOrNull(string(v.TrainingMode))
	m.TrainingType = stringOrNull(string(v.TrainingType))
	m.TrainingHours = types.Float64PointerValue(v.TrainingHours)
	m.RecipeARN = types.StringPointerValue(v.RecipeArn)
	m.DatasetGroupARN = types.StringPointerValue(v.DatasetGroupArn)
	m.EventType = types.StringPointerValue(v.EventType)
}

var tunedHPOParamsAttrTypes = map[string]attr.Type{"algorithm_hyper_parameters": types.MapType{ElemType: types.StringType}}

func (m *solutionVersionResourceModel) name() *types.String       { return &m.Name }
func (m *solutionVersionResourceModel) namePrefix() *types.String { return &m.NamePrefix }
func (m *solutionVersionResourceModel) arn() *types.String        { return &m.SolutionVersionARN }

func (m *solutionVersionResourceModel) arguments() []attr.Value {
	return []attr.Value{m.Name, m.SolutionARN, m.TrainingMode}
}

// unknownUntilFinished: training hours, tuned hyperparameters and metrics
// are known once the version is trained.
func (m *solutionVersionResourceModel) unknownUntilFinished() {
	m.TrainingHours = types.Float64Unknown()
	m.TunedHPOParams = types.ObjectUnknown(tunedHPOParamsAttrTypes)
	m.Metrics = types.MapUnknown(types.Float64Type)
}

// missingFinished: an ACTIVE version always has metrics; without them the
// state holds it as a List summary told it.
func (m *solutionVersionResourceModel) missingFinished() bool {
	return m.Status.ValueString() == statusActive && m.Metrics.IsNull()
}

func (m *solutionVersionResourceModel) nullUnseen() {
	m.nullUnknown()
	for _, s := range []*types.String{&m.TrainingMode, &m.TrainingType, &m.RecipeARN, &m.DatasetGroupARN, &m.EventType} {
		if s.IsUnknown() {
			*s = types.StringNull()
		}
	}
	for _, b := range []*types.Bool{&m.PerformHPO, &m.PerformAutoML, &m.PerformIncrementalUpdate} {
		if b.IsUnknown() {
			*b = types.BoolNull()
		}
	}
	if m.TrainingHours.IsUnknown() {
		m.TrainingHours = types.Float64Null()
	}
	if m.TunedHPOParams.IsUnknown() {
		m.TunedHPOParams = types.ObjectNull(tunedHPOParamsAttrTypes)
	}
	if m.Metrics.IsUnknown() {
		m.Metrics = types.MapNull(types.Float64Type)
	}
}

func (m *solutionVersionResourceModel) expand(context.Context) (*personalize.CreateSolutionVersionInput, diag.Diagnostics) {
	in := &personalize.CreateSolutionVersionInput{Name: knownString(m.Name), SolutionArn: m.SolutionARN.ValueStringPointer()}
	if mode := knownString(m.TrainingMode); mode != nil {
		in.TrainingMode = awstypes.TrainingMode(*mode)
	}
	return in, nil
}

// Flatten fills m from a version as describeSolutionVersion returns it.
func (m *solutionVersionResourceModel) Flatten(ctx context.Context, v *trainedSolutionVersion) diag.Diagnostics {
	var diags diag.Diagnostics
	m.flatten(solutionVersionFields(v))
	m.SolutionVersionARN = types.StringPointerValue(v.SolutionVersionArn)
	m.Name = types.StringPointerValue(v.Name)
	m.flattenTraining(&v.SolutionVersion)
	m.PerformHPO = types.BoolValue(v.PerformHPO)
	m.PerformAutoML = types.BoolValue(v.PerformAutoML)
	m.PerformIncrementalUpdate = types.BoolPointerValue(v.PerformIncrementalUpdate)

	m.TunedHPOParams = types.ObjectNull(tunedHPOParamsAttrTypes)
	if p := v.TunedHPOParams; p != nil {
		params, d := types.MapValueFrom(ctx, types.StringType, p.AlgorithmHyperParameters)
		diags.Append(d...)
		m.TunedHPOParams, d = types.ObjectValue(tunedHPOParamsAttrTypes, map[string]attr.Value{"algorithm_hyper_parameters": params})
		diags.Append(d...)
	}
	m.Metrics = types.MapNull(types.Float64Type)
	if v.Metrics != nil {
		var d diag.Diagnostics
		m.Metrics, d = types.MapValueFrom(ctx, types.Float64Type, v.Metrics)
		diags.Append(d...)
	}
	return diags
}

// solutionARNValidators check a solution ARN argument: a solution version's
// ARN given by mistake gets the solution's ARN as the fix.
func solutionARNValidators() []validator.String {
	return []validator.String{stringvalidator.UTF8LengthAtMost(256), solutionARNValidator(solutionToTrainARNKind)}
}

// solutionVersionResourceSchema is the resource's schema.
func solutionVersionResourceSchema(ctx context.Context, k *jobKind[trainedSolutionVersion, personalize.CreateSolutionVersionInput]) schema.Schema {
	attrs := jobResourceAttributes(ctx, k)
	computedString := func(description string) schema.StringAttribute {
		return schema.StringAttribute{Description: description, Computed: true, PlanModifiers: keepString}
	}
	computedBool := func(description string) schema.BoolAttribute {
		return schema.BoolAttribute{Description: description, Computed: true, PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()}}
	}
	nameAttr := attrs["name"].(schema.StringAttribute)
	nameAttr.Description = "The version's name: 1 to 63 letters, digits, `-` and `_`, starting with a letter or digit. The API lets a version go unnamed, but here exactly one of " +
		"`name` and `name_prefix` is required: the name is what lets the apply after a lost response, an interrupted or a killed apply find the training it started " +
		"(and adopt it) instead of paying for a second one. Prefer `name_prefix`, which gives every replacement a new name."
	attrs["name"] = nameAttr
	attrs["solution_arn"] = schema.StringAttribute{
		Description: "The ARN of the solution to train (`arn:<partition>:personalize:<region>:<account>:solution/<solution name>`), in the provider's region. " +
			"The solution holds the recipe and the training configuration; its dataset group's data is what the version learns from. " +
			"A solution trains one version at a time: a create waits while another version of the solution trains. Changing it trains a new version.",
		Required:      true,
		Validators:    solutionARNValidators(),
		PlanModifiers: replaceString,
	}
	attrs["training_mode"] = schema.StringAttribute{
		Description: "`FULL` (the service's default, reported here when left out): a new model from all the data of the dataset group; " +
			"`UPDATE`: only the data changed since the latest training, for solutions of the User-Personalization (or legacy HRNN-Coldstart) recipe that have an `ACTIVE` `FULL` version; " +
			"`AUTOTRAIN` is reported for the versions Personalize trains by itself, and cannot be requested. Changing it trains a new version.",
		Optional:      true,
		Computed:      true,
		Validators:    []validator.String{trainingModeValidator{}},
		PlanModifiers: keepAndReplaceString,
	}
	attrs["training_type"] = computedString("`MANUAL` for versions trained by a create such as this one's, `AUTOMATIC` for those Personalize trains by itself.")
	attrs["training_hours"] = schema.Float64Attribute{
		Description:   "The hours of training billed for the version, known once it is `ACTIVE`.",
		Computed:      true,
		PlanModifiers: []planmodifier.Float64{float64planmodifier.UseStateForUnknown()},
	}
	attrs["recipe_arn"] = computedString("The ARN of the recipe the solution uses, such as `arn:aws:personalize:::recipe/aws-user-personalization`: it decides which batch jobs the version can run.")
	attrs["dataset_group_arn"] = computedString("The ARN of the dataset group the version was trained on.")
	attrs["event_type"] = computedString("The event type the version was trained on, if the solution names one.")
	attrs["perform_hpo"] = computedBool("Whether training optimised the recipe's hyperparameters (HPO), as the solution says.")
	attrs["perform_auto_ml"] = computedBool("Whether the solution searched for the best recipe (AutoML) instead of using `recipe_arn`.")
	attrs["perform_incremental_update"] = computedBool("Whether the version was trained only on the data changed since the latest training (User-Personalization recipes); null when the service does not say.")
	attrs["tuned_hpo_params"] = schema.SingleNestedAttribute{
		Description: "The hyperparameters of the best model HPO found, once the version is `ACTIVE` and when `perform_hpo` is true; null otherwise.",
		Computed:    true,
		Attributes: map[string]schema.Attribute{
			"algorithm_hyper_parameters": schema.MapAttribute{
				Description: "Each hyperparameter's value, by name.",
				ElementType: types.StringType,
				Computed:    true,
			},
		},
		PlanModifiers: []planmodifier.Object{objectplanmodifier.UseStateForUnknown()},
	}
	attrs["metrics"] = schema.MapAttribute{
		Description: "The version's metrics as GetSolutionMetrics reports them once it is `ACTIVE` (null before), by the service's names: " +
			"`coverage`, `mean_reciprocal_rank_at_25`, `normalized_discounted_cumulative_gain_at_5`, `_at_10`, `_at_25`, `precision_at_5`, `_at_10`, `_at_25`. " +
			"A postcondition on them gates what uses the version on the model's quality, for example " +
			"`self.metrics[\"normalized_discounted_cumulative_gain_at_10\"] >= 0.2`.",
		ElementType:   types.Float64Type,
		Computed:      true,
		PlanModifiers: []planmodifier.Map{mapplanmodifier.UseStateForUnknown()},
	}
	return schema.Schema{
		Description: "Trains an Amazon Personalize solution version: a model of a solution, trained on its dataset group's data, that batch jobs run. " +
			"Training takes minutes to hours and is billed by the hour. Create waits until the version is `ACTIVE` and then reads its `metrics`; " +
			"a version cannot be changed or deleted: every argument except `tags`, `wait_for_completion` and `timeouts` trains a new one. " +
			"Destroying or replacing a version that is still training stops it (billing ends; the hours it ran are billed), and a finished version stays in AWS: " +
			"destroy only removes it from the Terraform state. The solution's configuration (`solutionConfig` of DescribeSolutionVersion) is not repeated here: it belongs to the solution.",
		Attributes: attrs,
	}
}

// trainingModeValidator accepts the modes a create can request. AUTOTRAIN,
// which the service reports for the versions it trains by itself and
// refuses in a create, gets an explanation of its own.
type trainingModeValidator struct{}

// requestableTrainingModes are the modes a create can request.
var requestableTrainingModes = []string{string(awstypes.TrainingModeFull), string(awstypes.TrainingModeUpdate)}

func (trainingModeValidator) Description(context.Context) string {
	return "must be " + orList(requestableTrainingModes)
}

func (v trainingModeValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (trainingModeValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	mode := req.ConfigValue.ValueString()
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || slices.Contains(requestableTrainingModes, mode) {
		return
	}
	if mode == string(awstypes.TrainingModeAutotrain) {
		resp.Diagnostics.AddAttributeError(req.Path, "Training mode not available",
			"training_mode \"AUTOTRAIN\" is the mode of the versions Personalize trains by itself for a solution with automatic training, and a create cannot request it: "+
				"use \"FULL\" (the default), or \"UPDATE\" for a User-Personalization solution with an ACTIVE FULL version.")
		return
	}
	guess := didYouMean(mode, requestableTrainingModes)
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid training mode",
		fmt.Sprintf("training_mode %q: must be %s (\"FULL\", the default, trains on all the data; \"UPDATE\" on what changed since the latest training).%s", mode, orList(requestableTrainingModes), guess))
}
