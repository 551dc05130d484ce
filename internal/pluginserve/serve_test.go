package pluginserve

import (
	"os"
	"strings"
	"testing"
)

func TestQuietLogsTerraformDiscards(t *testing.T) {
	sdkVars := []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_PERSONALIZE"}
	unsetTFLog := func(t *testing.T) {
		for _, kv := range os.Environ() {
			if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "TF_LOG") {
				t.Setenv(name, "") // restored after the test
				os.Unsetenv(name)
			}
		}
		for _, name := range sdkVars {
			t.Setenv(name, "")
			os.Unsetenv(name)
		}
	}

	t.Run("no TF_LOG variable: plugin logs off", func(t *testing.T) {
		unsetTFLog(t)
		QuietLogsTerraformDiscards("personalize")
		for _, name := range sdkVars {
			if got := os.Getenv(name); got != "off" {
				t.Errorf("%s = %q, want off", name, got)
			}
		}
	})
	t.Run("TF_LOG set: logs as the user asked", func(t *testing.T) {
		unsetTFLog(t)
		t.Setenv("TF_LOG", "debug")
		QuietLogsTerraformDiscards("personalize")
		for _, name := range sdkVars {
			if got := os.Getenv(name); got != "" {
				t.Errorf("%s = %q, want it left unset", name, got)
			}
		}
	})
	t.Run("only TF_LOG_PROVIDER set: logs as the user asked", func(t *testing.T) {
		unsetTFLog(t)
		t.Setenv("TF_LOG_PROVIDER", "trace")
		QuietLogsTerraformDiscards("personalize")
		if got := os.Getenv("TF_LOG_SDK_FRAMEWORK"); got != "" {
			t.Errorf("TF_LOG_SDK_FRAMEWORK = %q, want it left unset", got)
		}
	})
}
