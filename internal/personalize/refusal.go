// Refusals: a create the service refused, told in the configuration's words
// and pointed at the argument it is about.

package personalize

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// refusedCreate is the error of a create the service refused. It reads as
// the SDK words it until Create points it at an argument (refusalsAt),
// which needs the plan that submission does not see.
type refusedCreate struct {
	diag.ErrorDiagnostic
	noun, name string
	api        smithy.APIError
	err        error
}

// newRefusedCreate is the error of a create of the noun named name that
// failed with err, for the caller to point at an argument when the service
// refused it.
func newRefusedCreate(noun, name string, err error) diag.Diagnostic {
	d := diag.NewErrorDiagnostic("Cannot create "+noun, fmt.Sprintf("Creating %s %q: %s", noun, name, err))
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorFault() != smithy.FaultClient {
		return d
	}
	return refusedCreate{ErrorDiagnostic: d, noun: noun, name: name, api: api, err: err}
}

// refusalsAt points each refused create among diags at the argument of plan
// (the planned resource's value) the service's message names or quotes, and
// tells the message in argument names. A refusal that names none stays as
// the SDK words it.
func refusalsAt(plan tftypes.Value, diags diag.Diagnostics) diag.Diagnostics {
	out := make(diag.Diagnostics, 0, len(diags))
	for _, d := range diags {
		if r, ok := d.(refusedCreate); ok {
			d = r.at(argumentsOf(plan))
		}
		out = append(out, d)
	}
	return out
}

func (r refusedCreate) at(args []argument) diag.Diagnostic {
	message := r.api.ErrorMessage()
	mentioned := mentions(args, message)
	about, ok := quoted(args, message, r.name)
	if len(mentioned) > 0 {
		about, ok = mentioned[0].argument, true
	}
	if !ok {
		return r.ErrorDiagnostic
	}
	fix := fmt.Sprintf("Change %s as the message says.", about.attribute)
	if r.api.ErrorCode() == "ResourceNotFoundException" {
		fix = fmt.Sprintf("Check %s: what it names must exist in the provider's region and account.", about.attribute)
	}
	code := r.api.ErrorCode()
	var resp *awshttp.ResponseError
	if errors.As(r.err, &resp) && resp.ServiceRequestID() != "" {
		code += ", request ID " + resp.ServiceRequestID()
	}
	return diag.NewAttributeErrorDiagnostic(about.path, r.Summary(), fmt.Sprintf(
		"The service refused to create %s %q: %s (%s)\n\nNo %s was created. %s",
		r.noun, r.name, inArgumentNames(message, mentioned), code, r.noun, fix))
}

// argument is an attribute of a planned resource, with the API member it
// stands for: job_input.s3_data_source.path is jobInput.s3DataSource.path.
type argument struct {
	path      path.Path
	attribute string // dotted, as users write it
	member    string // dotted, as the API's messages write it
	value     string // the planned string, "" for other values
}

// argumentsOf lists the attributes of a planned resource, nested ones
// included; the elements of lists, sets and maps are left out.
func argumentsOf(plan tftypes.Value) []argument {
	var args []argument
	_ = tftypes.Walk(plan, func(p *tftypes.AttributePath, v tftypes.Value) (bool, error) {
		steps := p.Steps()
		if len(steps) == 0 {
			return true, nil
		}
		a := argument{path: path.Empty()}
		var attrs, members []string
		for _, step := range steps {
			name, ok := step.(tftypes.AttributeName)
			if !ok {
				return false, nil
			}
			a.path = a.path.AtName(string(name))
			attrs, members = append(attrs, string(name)), append(members, lowerCamel(string(name)))
		}
		a.attribute, a.member = strings.Join(attrs, "."), strings.Join(members, ".")
		if v.Type().Is(tftypes.String) && v.IsKnown() && !v.IsNull() {
			_ = v.As(&a.value)
		}
		args = append(args, a)
		return true, nil
	})
	return args
}

// lowerCamel is the API's name of an attribute: s3_data_source is
// s3DataSource.
func lowerCamel(snake string) string {
	words := strings.Split(snake, "_")
	for i := 1; i < len(words); i++ {
		if words[i] != "" {
			words[i] = strings.ToUpper(words[i][:1]) + words[i][1:]
		}
	}
	return strings.Join(words, "")
}

// mention is where a message names an argument by its member name.
type mention struct {
	at, length int
	argument
}

// mentions lists, in order, where message names an argument by its API
// member: the full dotted name, or the last part of a nested one when that
// part is of more than one word (itemExplorationConfig). A member of one
// word (name, tags) counts only quoted ('name') or leading the message
// (name: ...), where it cannot be an ordinary word. The longest name wins
// at each place.
func mentions(args []argument, message string) []mention {
	type spelling struct {
		text string
		arg  argument
	}
	lastPart := func(member string) string { return member[strings.LastIndex(member, ".")+1:] }
	owners := map[string]int{}
	for _, a := range args {
		owners[lastPart(a.member)]++
	}
	var spellings []spelling
	for _, a := range args {
		spellings = append(spellings, spelling{a.member, a})
		// A last part that two arguments share (kmsKeyArn of the input
		// and of the output) says nothing about which one is meant.
		if last := lastPart(a.member); last != a.member && strings.ToLower(last) != last && owners[last] == 1 {
			spellings = append(spellings, spelling{last, a})
		}
	}
	sort.SliceStable(spellings, func(i, j int) bool { return len(spellings[i].text) > len(spellings[j].text) })
	var found []mention
	for i := 0; i < len(message); i++ {
		for _, s := range spellings {
			if strings.HasPrefix(message[i:], s.text) && standsAlone(message, i, len(s.text)) {
				found = append(found, mention{at: i, length: len(s.text), argument: s.arg})
				i += len(s.text) - 1
				break
			}
		}
	}
	return found
}

// standsAlone reports whether the text at message[i:i+n] is a whole name
// rather than part of a longer one or of an ordinary word.
func standsAlone(message string, i, n int) bool {
	isNamePart := func(r byte) bool { return r == '_' || unicode.IsLetter(rune(r)) || unicode.IsDigit(rune(r)) }
	var before, after, afterNext byte = ' ', ' ', ' '
	if i > 0 {
		before = message[i-1]
	}
	if i+n < len(message) {
		after = message[i+n]
	}
	if i+n+1 < len(message) {
		afterNext = message[i+n+1]
	}
	if isNamePart(before) || before == '.' || isNamePart(after) || (after == '.' && isNamePart(afterNext)) {
		return false
	}
	text := message[i : i+n]
	if strings.ToLower(text) == text && !strings.Contains(text, ".") {
		return (before == '\'' && after == '\'') || (i == 0 && after == ':')
	}
	return true
}

// quoted is the argument whose planned value message quotes first, for a
// message that names no member ("Resource arn:… does not exist."). Short
// values (FULL, 25) would match ordinary words, so only values of 8
// characters or more count; the job's own name is how a message says
// which job it is about, not what is wrong with it.
func quoted(args []argument, message, jobName string) (argument, bool) {
	best, at := argument{}, -1
	for _, a := range args {
		if len(a.value) < 8 || a.value == jobName {
			continue
		}
		if i := strings.Index(message, a.value); i >= 0 && (at < 0 || i < at || (i == at && len(a.value) > len(best.value))) {
			best, at = a, i
		}
	}
	return best, at >= 0
}

// inArgumentNames is message with the members it mentions written as the
// attributes users set.
func inArgumentNames(message string, mentioned []mention) string {
	var b strings.Builder
	last := 0
	for _, m := range mentioned {
		b.WriteString(message[last:m.at])
		b.WriteString(m.attribute)
		last = m.at + m.length
	}
	b.WriteString(message[last:])
	return b.String()
}
