package emulator

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The dataset group the fixture solutions were trained in, with its datasets
// and their schemas. They are fixed: the emulator offers no operation that
// creates or deletes them.
const fixtureDatasetGroup = "demo"

// datasetInfo is a dataset as import jobs need it.
type datasetInfo struct {
	arn, name, datasetType, schemaArn string
	required                          []string // the schema's columns that are not nullable
	// loaded: bulk data was imported before the emulator's records begin,
	// so INCREMENTAL imports are allowed from the start.
	loaded bool
}

// catalogEntry is one dataset group, dataset or schema: what Describe shows
// of it, and the parent that List filters on.
type catalogEntry struct {
	arn, parent string
	created     time.Time
	view        map[string]any
}

// catalogListing is one type of catalog resource on the wire.
type catalogListing struct {
	describeOp, listOp string
	arnMember          string // in the Describe request
	itemMember         string // Describe answers {itemMember: view}
	listMember         string
	filterMember       string   // "" when List takes no filter
	listed             []string // the members of view a List summary shows
	listing            string
	entries            func(c *catalog) []catalogEntry
}

type catalog struct {
	groups, datasets, schemas []catalogEntry
	byDataset                 map[string]*datasetInfo
}

var catalogListings = []catalogListing{
	{
		describeOp: "DescribeDatasetGroup", listOp: "ListDatasetGroups",
		arnMember: "datasetGroupArn", itemMember: "datasetGroup", listMember: "datasetGroups",
		listed:  []string{"name", "datasetGroupArn", "status", "creationDateTime", "lastUpdatedDateTime"},
		listing: "dataset-groups", entries: func(c *catalog) []catalogEntry { return c.groups },
	},
	{
		describeOp: "DescribeDataset", listOp: "ListDatasets",
		arnMember: "datasetArn", itemMember: "dataset", listMember: "datasets", filterMember: "datasetGroupArn",
		listed:  []string{"name", "datasetArn", "datasetType", "status", "creationDateTime", "lastUpdatedDateTime"},
		listing: "datasets", entries: func(c *catalog) []catalogEntry { return c.datasets },
	},
	{
		describeOp: "DescribeSchema", listOp: "ListSchemas",
		arnMember: "schemaArn", itemMember: "schema", listMember: "schemas",
		listed:  []string{"name", "schemaArn", "creationDateTime", "lastUpdatedDateTime"},
		listing: "schemas", entries: func(c *catalog) []catalogEntry { return c.schemas },
	},
}

func init() {
	for _, l := range catalogListings {
		operations[l.describeOp] = func(e *Emulator, body []byte) (any, *apiError) { return e.describeCatalog(l, body) }
		operations[l.listOp] = func(e *Emulator, body []byte) (any, *apiError) { return e.listCatalog(l, body) }
	}
}

// avroField is a field of a Personalize schema (an Avro record).
type avroField struct {
	Name string `json:"name"`
	Type any    `json:"type"` // "string", or a union such as ["null", "string"]
}

// fixtureCatalog builds the demo dataset group in the emulator's region and
// account: an Interactions dataset whose schema requires USER_ID, ITEM_ID and
// TIMESTAMP and holds data already (the fixture solution versions were
// trained on it), and an empty Items dataset.
func (e *Emulator) fixtureCatalog() *catalog {
	c := &catalog{byDataset: map[string]*datasetInfo{}}
	created := fixtureTime(time.January, 2)
	group := e.resourceARN("dataset-group/" + fixtureDatasetGroup)
	c.groups = append(c.groups, catalogEntry{arn: group, created: created, view: map[string]any{
		"name": fixtureDatasetGroup, "datasetGroupArn": group, "status": svActive,
		"creationDateTime": epochSeconds(created), "lastUpdatedDateTime": epochSeconds(created.Add(time.Minute)),
	}})
	for i, d := range []struct {
		datasetType, record string
		fields              []avroField
		loaded              bool
	}{
		{"INTERACTIONS", "Interactions", []avroField{{"USER_ID", "string"}, {"ITEM_ID", "string"}, {"TIMESTAMP", "long"}, {"EVENT_TYPE", []any{"null", "string"}}}, true},
		{"ITEMS", "Items", []avroField{{"ITEM_ID", "string"}, {"GENRES", []any{"null", "string"}}, {"CREATION_TIMESTAMP", []any{"null", "long"}}}, false},
	} {
		at := created.Add(time.Duration(i+1) * 5 * time.Minute)
		name := fixtureDatasetGroup + "-" + strings.ToLower(d.datasetType)
		schemaArn := e.resourceARN("schema/" + name)
		schema, _ := json.Marshal(map[string]any{
			"type": "record", "name": d.record, "namespace": "com.amazonaws.personalize.schema", "fields": d.fields, "version": "1.0",
		})
		c.schemas = append(c.schemas, catalogEntry{arn: schemaArn, created: at, view: map[string]any{
			"name": name, "schemaArn": schemaArn, "schema": string(schema),
			"creationDateTime": epochSeconds(at), "lastUpdatedDateTime": epochSeconds(at),
		}})
		datasetArn := e.resourceARN("dataset/" + fixtureDatasetGroup + "/" + d.datasetType)
		c.datasets = append(c.datasets, catalogEntry{arn: datasetArn, parent: group, created: at, view: map[string]any{
			"name": name, "datasetArn": datasetArn, "datasetGroupArn": group, "datasetType": d.datasetType,
			"schemaArn": schemaArn, "status": svActive,
			"creationDateTime": epochSeconds(at), "lastUpdatedDateTime": epochSeconds(at.Add(time.Minute)),
		}})
		info := &datasetInfo{arn: datasetArn, name: name, datasetType: d.record, schemaArn: schemaArn, loaded: d.loaded}
		for _, f := range d.fields {
			if union, ok := f.Type.([]any); !ok || !slices.Contains(union, any("null")) {
				info.required = append(info.required, f.Name)
			}
		}
		c.byDataset[datasetArn] = info
	}
	return c
}

// taggable: dataset groups and datasets take tags; schemas do not.
func (c *catalog) taggable(arn string) bool {
	return slices.ContainsFunc(c.groups, func(g catalogEntry) bool { return g.arn == arn }) || c.byDataset[arn] != nil
}

func (e *Emulator) describeCatalog(l catalogListing, body []byte) (any, *apiError) {
	arn, err := decodeARN(body, l.arnMember)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(l.entries(e.catalog), func(c catalogEntry) bool { return c.arn == arn })
	if i < 0 {
		return nil, errNotFound("%s: no %s exists in %s for account %s", l.arnMember, arn, e.cfg.Region, e.cfg.AccountID)
	}
	return map[string]any{l.itemMember: l.entries(e.catalog)[i].view}, nil
}

// listCatalog lists newest first, as the service lists its resources.
func (e *Emulator) listCatalog(l catalogListing, body []byte) (any, *apiError) {
	req, err := decodeListRequest(body, l.filterMember)
	if err != nil {
		return nil, err
	}
	var entries []catalogEntry
	for _, c := range l.entries(e.catalog) {
		if req.filter == "" || c.parent == req.filter {
			entries = append(entries, c)
		}
	}
	key := func(c catalogEntry) string { return fmt.Sprintf("%020d.%s", c.created.UnixNano(), c.arn) }
	slices.SortFunc(entries, func(a, b catalogEntry) int { return strings.Compare(key(b), key(a)) })
	page, next, err := pageAfter(e, l.listing, l.filterMember, req, entries, key)
	if err != nil {
		return nil, err
	}
	summaries := make([]map[string]any, len(page))
	for i, c := range page {
		summaries[i] = map[string]any{}
		for _, m := range l.listed {
			summaries[i][m] = c.view[m]
		}
	}
	return listAnswer(l.listMember, summaries, next), nil
}
