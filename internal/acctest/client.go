package acctest

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
)

// Client is a Personalize client for the environment, for tests that change
// a job behind Terraform's back (tags added by someone else, say).
func (e *Env) Client(t *testing.T) *personalize.Client {
	t.Helper()
	if e.Endpoint == "" {
		cfg, err := config.LoadDefaultConfig(context.Background(), config.WithRegion(e.Region))
		if err != nil {
			t.Fatalf("loading the AWS configuration: %s", err)
		}
		return personalize.NewFromConfig(cfg)
	}
	return personalize.New(personalize.Options{
		Region:       e.Region,
		BaseEndpoint: aws.String(e.Endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider("acctest", "acctest", ""),
	})
}
