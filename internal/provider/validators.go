package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var (
	sessionNamePattern = regexp.MustCompile(`^[\w+=,.@-]*$`)
	externalIDPattern  = regexp.MustCompile(`^[\w+=,.@:/-]*$`)
	accountIDPattern   = regexp.MustCompile(`^\d{12}$`)
	partitionPattern   = regexp.MustCompile(`^aws(-[a-z]+)*$`)
)

// stringCheck adapts a plain check to a framework string validator. Null,
// unknown and empty values are left alone: an empty string means "unset" in
// provider "aws", and unknown values are checked once they are known.
type stringCheck struct {
	description string
	check       func(string) error
}

func (v stringCheck) Description(context.Context) string         { return v.description }
func (v stringCheck) MarkdownDescription(context.Context) string { return v.description }

func (v stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || req.ConfigValue.ValueString() == "" {
		return
	}
	if err := v.check(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid provider setting",
			fmt.Sprintf("%s %q: %s.", req.Path, req.ConfigValue.ValueString(), err))
	}
}

func endpointURL() validator.String {
	return stringCheck{description: "must be an absolute http or https URL", check: checkEndpointURL}
}

// checkEndpointURL accepts what the AWS SDK can send requests to: an absolute
// http(s) URL with a host. It also serves the endpoint environment variables.
func checkEndpointURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("not a URL (%w) — use an absolute URL such as https://personalize.us-east-1.amazonaws.com or http://127.0.0.1:4599", unwrapURLError(err))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("must start with http:// or https:// — e.g. http://127.0.0.1:4599")
	}
	if u.Host == "" || u.Hostname() == "" {
		return fmt.Errorf("has no host — use an absolute URL such as http://127.0.0.1:4599")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("must not have a query or fragment — use only scheme, host, port and path")
	}
	return nil
}

func proxyURL() validator.String {
	return stringCheck{
		description: "must be a proxy URL such as http://proxy.example.com:3128",
		check: func(s string) error {
			u, err := url.Parse(s)
			if err != nil {
				return fmt.Errorf("not a URL (%w) — use e.g. http://proxy.example.com:3128", unwrapURLError(err))
			}
			switch u.Scheme {
			case "http", "https", "socks5", "socks5h":
			default:
				return fmt.Errorf("must start with http://, https:// or socks5:// — e.g. http://proxy.example.com:3128")
			}
			if u.Host == "" {
				return fmt.Errorf("has no host — use e.g. http://proxy.example.com:3128")
			}
			return nil
		},
	}
}

// unwrapURLError drops url.Error's "parse <input>:" prefix, which would repeat
// the value already quoted in the diagnostic.
func unwrapURLError(err error) error {
	if ue := (*url.Error)(nil); errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func iamRoleARN() validator.String {
	return stringCheck{
		description: "must be an IAM role ARN such as arn:aws:iam::123456789012:role/name",
		check: func(s string) error {
			return checkIAMARN(s, "role/", false, "arn:aws:iam::123456789012:role/name")
		},
	}
}

func iamPolicyARN() validator.String {
	return stringCheck{
		description: "must be an IAM policy ARN such as arn:aws:iam::aws:policy/ReadOnlyAccess",
		check: func(s string) error {
			return checkIAMARN(s, "policy/", true, "arn:aws:iam::aws:policy/ReadOnlyAccess")
		},
	}
}

func checkIAMARN(s, resourcePrefix string, awsManaged bool, example string) error {
	a, err := arn.Parse(s)
	if err != nil {
		return fmt.Errorf("not an ARN — use the form %s", example)
	}
	switch {
	case !partitionPattern.MatchString(a.Partition):
		return fmt.Errorf("partition %q is not an AWS partition — use the form %s", a.Partition, example)
	case a.Service != "iam":
		return fmt.Errorf("service is %q, not iam — use the form %s", a.Service, example)
	case a.Region != "":
		return fmt.Errorf("IAM ARNs have no Region — use the form %s", example)
	case !accountIDPattern.MatchString(a.AccountID) && (!awsManaged || a.AccountID != "aws"):
		return fmt.Errorf("account ID %q is not 12 digits — use the form %s", a.AccountID, example)
	case !strings.HasPrefix(a.Resource, resourcePrefix) || len(a.Resource) == len(resourcePrefix):
		return fmt.Errorf("resource must be %s<name> — use the form %s", resourcePrefix, example)
	}
	return nil
}

func sessionDuration() validator.String {
	return stringCheck{
		description: "must be a duration between " + minRoleSessionDuration + " and " + maxRoleSessionDuration,
		check: func(s string) error {
			d, err := time.ParseDuration(s)
			if err != nil {
				return fmt.Errorf("not a duration — use a number with a unit, e.g. 1h or 90m")
			}
			lo, _ := time.ParseDuration(minRoleSessionDuration)
			hi, _ := time.ParseDuration(maxRoleSessionDuration)
			if d < lo || d > hi {
				return fmt.Errorf("must be between %s and %s", minRoleSessionDuration, maxRoleSessionDuration)
			}
			return nil
		},
	}
}

func jsonDocument() validator.String {
	return stringCheck{
		description: "must be a JSON document",
		check: func(s string) error {
			var v any
			if err := json.Unmarshal([]byte(s), &v); err != nil {
				return fmt.Errorf("not valid JSON (%w) — use jsonencode() or an aws_iam_policy_document data source", err)
			}
			return nil
		},
	}
}
