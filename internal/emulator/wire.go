package emulator

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"reflect"
	"strconv"
	"time"
)

// awsJSON is the content type of every Personalize request and answer.
const awsJSON = "application/x-amz-json-1.1"

// apiError is an error as the service reports it: an HTTP status, an error
// name (the __type) and one message.
type apiError struct {
	Status  int
	Type    string
	Message string
}

func (e *apiError) Error() string { return e.Type + ": " + e.Message }

func newAPIError(status int, typ, format string, args ...any) *apiError {
	return &apiError{Status: status, Type: typ, Message: fmt.Sprintf(format, args...)}
}

func errInvalidInput(format string, args ...any) *apiError {
	return newAPIError(http.StatusBadRequest, "InvalidInputException", format, args...)
}

func errNotFound(format string, args ...any) *apiError {
	return newAPIError(http.StatusBadRequest, "ResourceNotFoundException", format, args...)
}

func errSerialization(format string, args ...any) *apiError {
	return newAPIError(http.StatusBadRequest, "SerializationException", format, args...)
}

func errInternal(format string, args ...any) *apiError {
	return newAPIError(http.StatusInternalServerError, "InternalFailure", format, args...)
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func marshalJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only values built by this package reach here; failing to encode
		// them is a bug worth a loud answer rather than a silent empty body.
		return []byte(`{"__type":"InternalFailure","message":"encoding the response failed: ` + err.Error() + `"}`)
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}

func writeJSON(w http.ResponseWriter, status int, contentType string, v any) {
	writeBody(w, status, contentType, marshalJSON(v))
}

func writeBody(w http.ResponseWriter, status int, contentType string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeAPIError(w http.ResponseWriter, err *apiError) {
	w.Header().Set("X-Amzn-ErrorType", err.Type)
	writeJSON(w, err.Status, awsJSON, map[string]string{"__type": err.Type, "message": err.Message})
}

// decodeRequest reads an awsJson 1.1 request body into v. Member names are
// matched exactly, as the service does: a member spelled with other letter
// case is an unknown member and is ignored, not silently accepted.
func decodeRequest(body []byte, v any) *apiError {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil // SDKs send {} for empty input; an empty body means the same.
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var generic any
	if err := dec.Decode(&generic); err != nil {
		return errSerialization("Malformed JSON request body: %s", describeJSONError(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errSerialization("Malformed JSON request body: unexpected data after the top-level object")
	}
	if generic == nil {
		return nil
	}
	if _, ok := generic.(map[string]any); !ok {
		return errSerialization("The request body must be a JSON object, not %s", jsonKind(generic))
	}
	exact, err := json.Marshal(keepExactMembers(generic, reflect.TypeOf(v)))
	if err != nil {
		return errSerialization("Malformed JSON request body: %v", err)
	}
	if err := json.Unmarshal(exact, v); err != nil {
		return errSerialization("%s", describeJSONError(err))
	}
	return nil
}

func describeJSONError(err error) string {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "(request)"
		}
		return fmt.Sprintf("Cannot deserialize member '%s': expected %s, got JSON %s", field, goKindName(typeErr.Type), typeErr.Value)
	case errors.As(err, &syntaxErr):
		return fmt.Sprintf("%v (at byte %d)", syntaxErr, syntaxErr.Offset)
	}
	return err.Error()
}

func goKindName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int32, reflect.Int64, reflect.Int:
		return "an integer"
	case reflect.Float64:
		return "a number"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Slice:
		return "a list"
	}
	return t.String()
}

func jsonKind(v any) string {
	switch v.(type) {
	case []any:
		return "a list"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "a value"
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// keepExactMembers drops object members whose names are not spelled exactly
// as in t's json tags (encoding/json would otherwise match them ignoring case).
func keepExactMembers(v any, t reflect.Type) any {
	for t.Kind() == reflect.Pointer {
		if reflect.PointerTo(t.Elem()).Implements(unmarshalerType) {
			return v
		}
		t = t.Elem()
	}
	switch val := v.(type) {
	case map[string]any:
		switch t.Kind() {
		case reflect.Struct:
			members := map[string]reflect.Type{}
			jsonMembers(t, members)
			out := make(map[string]any, len(val))
			for name, ft := range members {
				if member, ok := val[name]; ok {
					out[name] = keepExactMembers(member, ft)
				}
			}
			return out
		case reflect.Map:
			out := make(map[string]any, len(val))
			for k, member := range val {
				out[k] = keepExactMembers(member, t.Elem())
			}
			return out
		}
	case []any:
		if t.Kind() == reflect.Slice {
			out := make([]any, len(val))
			for i, member := range val {
				out[i] = keepExactMembers(member, t.Elem())
			}
			return out
		}
	}
	return v
}

// jsonMembers maps the JSON member names of struct type t to their types,
// with the members of embedded structs, which encoding/json flattens.
func jsonMembers(t reflect.Type, into map[string]reflect.Type) {
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := cutComma(f.Tag.Get("json"))
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			jsonMembers(f.Type, into)
			continue
		}
		if name != "" && name != "-" {
			into[name] = f.Type
		}
	}
}

// decodeMembers reads the named top-level members of a request, each into
// the pointer it maps to; other members are unknown and ignored, as the
// service ignores them. Members are read in name order, so the first one
// of the wrong JSON type is the one reported.
func decodeMembers(body []byte, members map[string]any) *apiError {
	var raw map[string]json.RawMessage
	if err := decodeRequest(body, &raw); err != nil {
		return err
	}
	for _, name := range sortedKeys(members) {
		value, ok := raw[name]
		if !ok {
			continue
		}
		if err := json.Unmarshal(value, members[name]); err != nil {
			var typeErr *json.UnmarshalTypeError
			if errors.As(err, &typeErr) {
				typeErr.Field = name
			}
			return errSerialization("%s", describeJSONError(err))
		}
	}
	return nil
}

// decodeARN reads the request of an operation that takes nothing but the ARN
// in member, and checks it.
func decodeARN(body []byte, member string) (string, *apiError) {
	var arn *string
	if err := decodeMembers(body, map[string]any{member: &arn}); err != nil {
		return "", err
	}
	var v violations
	v.str(member, arn, ruleArn)
	if err := v.err(); err != nil {
		return "", err
	}
	return *arn, nil
}

func cutComma(tag string) (string, string, bool) {
	for i := range len(tag) {
		if tag[i] == ',' {
			return tag[:i], tag[i+1:], true
		}
	}
	return tag, "", false
}

// epochSeconds is a timestamp on the wire: a JSON number of seconds since the
// epoch, with milliseconds as the fraction, as the service sends it.
type epochSeconds time.Time

func (t epochSeconds) MarshalJSON() ([]byte, error) {
	ms := time.Time(t).UnixMilli()
	return strconv.AppendFloat(nil, float64(ms)/1000, 'f', -1, 64), nil
}

// jsonDouble is a Smithy double: a JSON number, or one of the strings the SDKs
// use for values JSON cannot express.
type jsonDouble float64

func (d *jsonDouble) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		switch s {
		case "NaN":
			*d = jsonDouble(math.NaN())
		case "Infinity":
			*d = jsonDouble(math.Inf(1))
		case "-Infinity":
			*d = jsonDouble(math.Inf(-1))
		default:
			return &json.UnmarshalTypeError{Value: "string " + strconv.Quote(s), Type: reflect.TypeFor[float64]()}
		}
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*d = jsonDouble(f)
	return nil
}

func (d jsonDouble) MarshalJSON() ([]byte, error) {
	f := float64(d)
	switch {
	case math.IsNaN(f):
		return []byte(`"NaN"`), nil
	case math.IsInf(f, 1):
		return []byte(`"Infinity"`), nil
	case math.IsInf(f, -1):
		return []byte(`"-Infinity"`), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}
