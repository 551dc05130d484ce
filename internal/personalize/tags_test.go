package personalize

import (
	"maps"
	"testing"
)

func TestTagPolicy(t *testing.T) {
	p := tagPolicy{
		defaults:       map[string]string{"team": "recs", "env": "dev", "ignored-default": "x"},
		ignoreKeys:     []string{"ignored-default"},
		ignorePrefixes: []string{"kubernetes.io/"},
	}
	all := p.all(map[string]string{"env": "prod", "app": "batch"})
	if want := map[string]string{"team": "recs", "env": "prod", "app": "batch"}; !maps.Equal(all, want) {
		t.Errorf("all = %v, want %v (resource tags win, ignored keys dropped)", all, want)
	}

	fromAPI := map[string]string{"team": "recs", "env": "prod", "app": "batch", "kubernetes.io/x": "y", "added-outside": "1"}
	got := p.resourceTags(p.withoutIgnored(fromAPI), map[string]string{"env": "prod", "app": "batch"})
	if want := map[string]string{"env": "prod", "app": "batch", "added-outside": "1"}; !maps.Equal(got, want) {
		t.Errorf("resourceTags = %v, want %v", got, want)
	}
}
