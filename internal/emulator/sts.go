package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"net/http"
	"strings"
)

// STS speaks the awsQuery protocol: form-encoded requests, XML answers.
const stsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"

type stsResponseMetadata struct {
	RequestID string `xml:"RequestId"`
}

type getCallerIdentityResponse struct {
	XMLName xml.Name `xml:"GetCallerIdentityResponse"`
	Xmlns   string   `xml:"xmlns,attr"`
	Result  struct {
		Arn     string `xml:"Arn"`
		UserID  string `xml:"UserId"`
		Account string `xml:"Account"`
	} `xml:"GetCallerIdentityResult"`
	Metadata stsResponseMetadata `xml:"ResponseMetadata"`
}

type stsErrorResponse struct {
	XMLName xml.Name `xml:"ErrorResponse"`
	Xmlns   string   `xml:"xmlns,attr"`
	Error   struct {
		Type    string `xml:"Type"`
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	} `xml:"Error"`
	RequestID string `xml:"RequestId"`
}

func writeXML(w http.ResponseWriter, status int, v any) {
	out, err := xml.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(out)
}

func writeSTSError(w http.ResponseWriter, status int, code, message, requestID string) {
	var resp stsErrorResponse
	resp.Xmlns = stsNamespace
	resp.Error.Type = "Sender"
	if status >= 500 {
		resp.Error.Type = "Receiver"
	}
	resp.Error.Code = code
	resp.Error.Message = message
	resp.RequestID = requestID
	writeXML(w, status, resp)
}

// getCallerIdentity answers as the emulator's account, for a user named after
// the access key that signed the request, so clients that check identity at
// start-up (Terraform providers do) find a consistent account.
func (e *Emulator) getCallerIdentity(w http.ResponseWriter, r *http.Request, requestID string) {
	accessKey := "anonymous"
	if sig, failure := parseSigV4Header(r.Header.Get("Authorization")); failure == nil && sig.accessKey != "" {
		accessKey = sig.accessKey
	}
	sum := sha256.Sum256([]byte(accessKey))
	var resp getCallerIdentityResponse
	resp.Xmlns = stsNamespace
	resp.Result.Account = e.cfg.AccountID
	resp.Result.Arn = "arn:" + e.partition + ":iam::" + e.cfg.AccountID + ":user/personalize-emulator"
	resp.Result.UserID = "AIDA" + strings.ToUpper(hex.EncodeToString(sum[:8]))
	resp.Metadata.RequestID = requestID
	writeXML(w, http.StatusOK, resp)
}
