// Expand and flatten helpers every job type uses.

package personalize

import (
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// rfc3339Value renders a service timestamp in UTC, so the value does not
// change with the machine that ran Terraform.
func rfc3339Value(t *time.Time) timetypes.RFC3339 {
	if t == nil {
		return timetypes.NewRFC3339Null()
	}
	return timetypes.NewRFC3339TimeValue(t.UTC())
}

func knownString(v types.String) *string {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	return v.ValueStringPointer()
}

func appendStringDifference(diffs []string, name string, planned, existing *string) []string {
	if aws.ToString(planned) == aws.ToString(existing) {
		return diffs
	}
	return append(diffs, fmt.Sprintf("%s (planned %q, existing job %q)", name, aws.ToString(planned), aws.ToString(existing)))
}

// optionalString is nil for "", as the API leaves out members it has no
// value for.
func optionalString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
