package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	sigv4Algorithm = "AWS4-HMAC-SHA256"
	amzDateFormat  = "20060102T150405Z"
	maxClockSkew   = 15 * time.Minute
)

// authFailure is why a request's signature was refused. Its kind maps to the
// error names of each protocol (awsJson for Personalize, awsQuery for STS).
type authFailure struct {
	kind    authFailureKind
	message string
}

type authFailureKind int

const (
	authMissing authFailureKind = iota
	authIncomplete
	authUnknownKey
	authBadSignature
)

// sigv4Header is a parsed "Authorization: AWS4-HMAC-SHA256 Credential=…,
// SignedHeaders=…, Signature=…" header.
type sigv4Header struct {
	accessKey, date, region, service, terminator string
	signedHeaders                                []string
	signature                                    string
}

func parseSigV4Header(h string) (*sigv4Header, *authFailure) {
	alg, rest, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || alg != sigv4Algorithm {
		return nil, &authFailure{authIncomplete, "Authorization header must use the " + sigv4Algorithm + " algorithm"}
	}
	fields := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return nil, &authFailure{authIncomplete, "Authorization header has a malformed element " + strconv.Quote(strings.TrimSpace(part))}
		}
		fields[k] = v
	}
	for _, k := range []string{"Credential", "SignedHeaders", "Signature"} {
		if fields[k] == "" {
			return nil, &authFailure{authIncomplete, "Authorization header requires '" + k + "' parameter"}
		}
	}
	scope := strings.Split(fields["Credential"], "/")
	if len(scope) != 5 {
		return nil, &authFailure{authIncomplete, "Credential must have the form <access key>/<date>/<region>/<service>/aws4_request"}
	}
	return &sigv4Header{
		accessKey:     scope[0],
		date:          scope[1],
		region:        scope[2],
		service:       scope[3],
		terminator:    scope[4],
		signedHeaders: strings.Split(fields["SignedHeaders"], ";"),
		signature:     fields["Signature"],
	}, nil
}

// authenticate checks a request's signature. Without configured keys any
// signed request passes; with them the signature is recomputed from the
// canonical request, exactly as the client computed it.
func (e *Emulator) authenticate(r *http.Request, body []byte, service string) *authFailure {
	h := r.Header.Get("Authorization")
	if h == "" {
		return &authFailure{authMissing, "Missing Authentication Token"}
	}
	if e.cfg.AccessKey == "" {
		return nil
	}
	sig, failure := parseSigV4Header(h)
	if failure != nil {
		return failure
	}
	if sig.accessKey != e.cfg.AccessKey {
		return &authFailure{authUnknownKey, "The security token included in the request is invalid."}
	}
	if sig.terminator != "aws4_request" {
		return &authFailure{authIncomplete, "Credential should be scoped with a valid terminator: 'aws4_request', not '" + sig.terminator + "'."}
	}
	if sig.service != service {
		return &authFailure{authBadSignature, "Credential should be scoped to correct service: '" + service + "'."}
	}
	if sig.region != e.cfg.Region {
		return &authFailure{authBadSignature, "Credential should be scoped to a valid region, not '" + sig.region + "'; this endpoint serves " + e.cfg.Region + "."}
	}
	amzDate := r.Header.Get("X-Amz-Date")
	if amzDate == "" {
		return &authFailure{authIncomplete, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."}
	}
	signedAt, err := time.Parse(amzDateFormat, amzDate)
	if err != nil {
		return &authFailure{authIncomplete, "X-Amz-Date " + strconv.Quote(amzDate) + " is not in the ISO 8601 basic format YYYYMMDD'T'HHMMSS'Z'."}
	}
	if !strings.HasPrefix(amzDate, sig.date) || len(sig.date) != 8 {
		return &authFailure{authBadSignature, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" + sig.date + "' != '" + amzDate[:8] + "'."}
	}
	// Signatures are checked against the wall clock, which clients sign with,
	// not against an injected test clock.
	if skew := time.Since(signedAt); skew > maxClockSkew || skew < -maxClockSkew {
		return &authFailure{authBadSignature, "Signature expired: " + amzDate + " is now more than 15 minutes from the server time " + time.Now().UTC().Format(amzDateFormat) + "."}
	}
	if !slices.Contains(sig.signedHeaders, "host") {
		return &authFailure{authBadSignature, "'Host' must be a signed header."}
	}

	payloadHash := hex.EncodeToString(sha256Sum(body))
	if declared := r.Header.Get("X-Amz-Content-Sha256"); declared != "" && declared != "UNSIGNED-PAYLOAD" && declared != payloadHash {
		return &authFailure{authBadSignature, "The provided 'x-amz-content-sha256' header does not match what was computed."}
	} else if declared == "UNSIGNED-PAYLOAD" {
		payloadHash = declared
	}
	want := signature(r, payloadHash, e.cfg.SecretKey, sig, amzDate)
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(sig.signature))) {
		return &authFailure{authBadSignature, "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."}
	}
	return nil
}

// signature computes SigV4: canonical request, string to sign, signing key.
func signature(r *http.Request, payloadHash, secret string, sig *sigv4Header, amzDate string) string {
	canonical := strings.Join([]string{
		r.Method,
		canonicalURI(r),
		canonicalQuery(r.URL.RawQuery),
		canonicalHeaders(r, sig.signedHeaders),
		strings.Join(sig.signedHeaders, ";"),
		payloadHash,
	}, "\n")
	scope := strings.Join([]string{sig.date, sig.region, sig.service, sig.terminator}, "/")
	stringToSign := strings.Join([]string{sigv4Algorithm, amzDate, scope, hex.EncodeToString(sha256Sum([]byte(canonical)))}, "\n")
	key := hmacSHA256([]byte("AWS4"+secret), sig.date)
	for _, part := range []string{sig.region, sig.service, sig.terminator} {
		key = hmacSHA256(key, part)
	}
	return hex.EncodeToString(hmacSHA256(key, stringToSign))
}

func sha256Sum(b []byte) []byte {
	s := sha256.Sum256(b)
	return s[:]
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// canonicalURI encodes the path as it was sent once more, as SigV4 does for
// every service but S3.
func canonicalURI(r *http.Request) string {
	p := r.URL.EscapedPath()
	if p == "" {
		return "/"
	}
	return uriEncode(p, false)
}

func canonicalQuery(raw string) string {
	if raw == "" {
		return ""
	}
	values, err := url.ParseQuery(raw)
	if err != nil {
		return raw
	}
	var pairs []string
	for k, vs := range values {
		for _, v := range vs {
			pairs = append(pairs, uriEncode(k, true)+"="+uriEncode(v, true))
		}
	}
	slices.Sort(pairs)
	return strings.Join(pairs, "&")
}

func canonicalHeaders(r *http.Request, signed []string) string {
	var b strings.Builder
	for _, name := range signed {
		var values []string
		switch name {
		case "host":
			values = []string{r.Host}
		case "content-length":
			if v := r.Header.Values("Content-Length"); len(v) > 0 {
				values = slices.Clone(v)
			} else if r.ContentLength >= 0 {
				values = []string{strconv.FormatInt(r.ContentLength, 10)}
			}
		default:
			values = slices.Clone(r.Header.Values(name))
		}
		for i, v := range values {
			values[i] = strings.Join(strings.Fields(v), " ")
		}
		b.WriteString(name + ":" + strings.Join(values, ",") + "\n")
	}
	return b.String()
}

// uriEncode is SigV4's percent-encoding: everything but unreserved
// characters, and '/' too when encodeSlash.
func uriEncode(s string, encodeSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := range len(s) {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == '~':
			b.WriteByte(c)
		case c == '/' && !encodeSlash:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}
