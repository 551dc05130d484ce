package personalize_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/zclconf/go-cty/cty"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
)

// upgradeTestdataVariable, set to 1, makes TestAccReliability_stateUpgrade
// write the state each old version produced into testdata/upgrade/, for
// TestAccStateUpgrade_firstVersionsPlanClean.
const upgradeTestdataVariable = "PERSONALIZE_UPGRADE_TESTDATA"

// Each first version of a job type, built from its commit, applies a
// configuration against an emulator keeping a state file; the emulator is
// restarted from that file and the current provider plans the same
// configuration: no change, no replacement, and the same schema.
func TestAccReliability_stateUpgrade(t *testing.T) {
	requireFaultTests(t)
	t.Parallel()
	root := gitRoot(t)
	for _, c := range upgradeCases {
		t.Run(c.commit, func(t *testing.T) {
			oldProvider := buildProviderAt(t, root, c.commit)
			stateFile := filepath.Join(t.TempDir(), "emulator-state.json")
			env, first := acctest.NewCLIEnv(t, emulator.Config{StateFile: stateFile, JobDuration: acctest.JobDuration})
			cli := acctest.NewCLI(t)
			cli.UseProvider(oldProvider)
			cli.WriteConfig(c.config(env))
			oldSchema := providerSchema(t, cli)
			cli.MustRun(5*time.Minute, "apply", "-auto-approve", "-no-color", "-input=false")
			for _, r := range cli.State() {
				if r.Attributes["status"] != "ACTIVE" || r.Tainted {
					t.Fatalf("the provider built from %s left %s %v (tainted %v), want ACTIVE", c.commit, r.Address, r.Attributes["status"], r.Tainted)
				}
			}
			if n := len(cli.State()); n != c.jobs() {
				t.Fatalf("the provider built from %s left %d jobs in state, want %d", c.commit, n, c.jobs())
			}

			// The API the state file brings back is all the new provider
			// gets: the same as the committed testdata gives the fast test.
			first.Stop()
			if os.Getenv(upgradeTestdataVariable) == "1" {
				dir := c.testdata()
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				copyFile(t, stateFile, filepath.Join(dir, "emulator-state.json"))
				copyFile(t, filepath.Join(cli.Dir, "terraform.tfstate"), filepath.Join(dir, "terraform.tfstate"))
				t.Logf("wrote the state of %s into %s", c.commit, dir)
			}
			second := acctest.StartEmulatorServer(t, first.Addr, emulator.Config{
				Region: env.Region, AccountID: env.AccountID, S3Dir: env.S3Dir, StateFile: stateFile, JobDuration: acctest.JobDuration,
			})
			env.Emulator = second.Emulator

			cli.UseCurrentProvider()
			requireSameSchema(t, c.commit, oldSchema, providerSchema(t, cli))
			requireCleanPlan(t, cli, env, c.jobs())
		})
	}
}

// gitRoot is the top of this repository's working tree. A source tree with
// no git history (an unpacked archive) skips the test, which needs to build
// old commits; any other problem with git fails it.
func gitRoot(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			break
		} else if !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
		if filepath.Dir(dir) == dir {
			t.Skipf("no git history above %s: building the provider's earlier versions needs a clone of the repository", wd)
		}
	}
	out, err := exec.Command("git", "rev-parse", "--show-toplevel").CombinedOutput()
	if err != nil {
		t.Fatalf("git rev-parse --show-toplevel: %s\n%s", err, out)
	}
	return strings.TrimSpace(string(out))
}

// buildProviderAt builds the provider of commit into a directory of its own
// (from git archive, so the working tree is untouched) and returns that
// directory, for dev_overrides.
func buildProviderAt(t *testing.T, root, commit string) string {
	t.Helper()
	if out, err := exec.Command("git", "-C", root, "cat-file", "-e", commit+"^{commit}").CombinedOutput(); err != nil {
		t.Fatalf("commit %s is not in %s (a shallow clone? git fetch --unshallow): %s\n%s", commit, root, err, out)
	}
	src := t.TempDir()
	archive := exec.Command("git", "-C", root, "archive", "--format=tar", commit)
	untar := exec.Command("tar", "-x", "-C", src)
	pipe, err := archive.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	untar.Stdin = pipe
	var archiveErr, untarErr strings.Builder
	archive.Stderr, untar.Stderr = &archiveErr, &untarErr
	if err := untar.Start(); err != nil {
		t.Fatalf("tar: %s", err)
	}
	if err := archive.Run(); err != nil {
		t.Fatalf("git archive %s: %s\n%s", commit, err, archiveErr.String())
	}
	if err := untar.Wait(); err != nil {
		t.Fatalf("unpacking %s: %s\n%s", commit, err, untarErr.String())
	}
	bin := t.TempDir()
	build := exec.Command("go", "build", "-buildvcs=false", "-ldflags", "-X main.version=0.0.0-"+commit,
		"-o", filepath.Join(bin, "terraform-provider-personalize"), ".")
	build.Dir = src
	build.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
	start := time.Now()
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider at %s: %s\n%s", commit, err, out)
	}
	t.Logf("built the provider at %s in %s", commit, time.Since(start).Round(time.Millisecond))
	return bin
}

// providerSchema is what `terraform providers schema -json` reports for the
// provider the CLI runs now.
func providerSchema(t *testing.T, cli *acctest.CLI) *tfjson.ProviderSchema {
	t.Helper()
	res := cli.MustRun(time.Minute, "providers", "schema", "-json")
	var schemas tfjson.ProviderSchemas
	if err := json.Unmarshal([]byte(res.Stdout), &schemas); err != nil {
		t.Fatalf("terraform providers schema -json: %s\n%s", err, res.Stdout)
	}
	s, ok := schemas.Schemas[acctest.ProviderAddress()]
	if !ok {
		t.Fatalf("terraform providers schema -json has no %s: %s", acctest.ProviderAddress(), res.Stdout)
	}
	return s
}

// requireSameSchema fails when a resource the old version had changed the
// shape of its state (an attribute's type, nesting, or presence, or whether
// the provider or the user sets it) while keeping its schema version: state
// of that shape needs a version bump and an upgrader.
func requireSameSchema(t *testing.T, commit string, old, current *tfjson.ProviderSchema) {
	t.Helper()
	if len(old.ResourceSchemas) == 0 {
		t.Fatalf("the provider at %s reports no resources", commit)
	}
	for name, was := range old.ResourceSchemas {
		now, ok := current.ResourceSchemas[name]
		if !ok {
			t.Errorf("%s, which the provider at %s has, is gone", name, commit)
			continue
		}
		if was.Version != now.Version {
			t.Logf("%s: schema version %d at %s, %d now: its state upgrader carries the old state", name, was.Version, commit, now.Version)
			continue
		}
		before, after := stateShape(was.Block), stateShape(now.Block)
		if reflect.DeepEqual(before, after) {
			continue
		}
		for attr := range before {
			if fmt.Sprint(before[attr]) != fmt.Sprint(after[attr]) && !optionalGainsComputed(now.Block, attr, before[attr], after[attr]) {
				t.Errorf("%s.%s: %v at %s, %v now, with schema version %d on both: bump the version and add a state upgrader", name, attr, before[attr], commit, after[attr], now.Version)
			}
		}
		for attr := range after {
			if _, ok := before[attr]; !ok {
				t.Logf("%s.%s is new since %s", name, attr, commit)
			}
		}
	}
}

// optionalGainsComputed reports whether a top-level optional argument only
// became computed too: state written before holds either the configured
// value or null, both of which the argument still plans as they are (the
// reverse, dropping computed, leaves provider-chosen values behind).
func optionalGainsComputed(now *tfjson.SchemaBlock, attr, before, after string) bool {
	a, ok := now.Attributes[attr]
	return ok && a.Optional && a.Computed && strings.Replace(before, "computed=false", "computed=true", 1) == after
}

// stateShape flattens a schema block into what decides how its state
// decodes: each attribute path with its type and whether it is computed.
// Descriptions, validators and defaults do not matter to a state upgrade.
func stateShape(b *tfjson.SchemaBlock) map[string]string {
	out := map[string]string{}
	var walk func(prefix string, attrs map[string]*tfjson.SchemaAttribute)
	walk = func(prefix string, attrs map[string]*tfjson.SchemaAttribute) {
		for name, a := range attrs {
			path := prefix + name
			switch {
			case a.AttributeNestedType != nil:
				out[path] = fmt.Sprintf("nested %s computed=%v", a.AttributeNestedType.NestingMode, a.Computed)
				walk(path+".", a.AttributeNestedType.Attributes)
			default:
				typ, _ := a.AttributeType.MarshalJSON()
				out[path] = fmt.Sprintf("%s computed=%v", typ, a.Computed)
			}
		}
	}
	walk("", b.Attributes)
	for name := range b.NestedBlocks {
		out[name] = "block"
	}
	return out
}

// The schema comparison behind TestAccReliability_stateUpgrade sees what
// changes how state decodes, and nothing else.
func TestStateShape_seesWhatChangesState(t *testing.T) {
	block := func(numResults cty.Type, computed bool, description string) *tfjson.SchemaBlock {
		return &tfjson.SchemaBlock{Attributes: map[string]*tfjson.SchemaAttribute{
			"num_results": {AttributeType: numResults, Optional: true, Computed: computed, Description: description},
			"job_input": {AttributeNestedType: &tfjson.SchemaNestedAttributeType{
				NestingMode: tfjson.SchemaNestingModeSingle,
				Attributes:  map[string]*tfjson.SchemaAttribute{"path": {AttributeType: cty.String, Required: true}},
			}},
		}}
	}
	base := stateShape(block(cty.Number, true, "one"))
	if len(base) != 3 || base["job_input.path"] == "" {
		t.Fatalf("shape misses nested attributes: %v", base)
	}
	if got := stateShape(block(cty.Number, true, "another description")); !reflect.DeepEqual(base, got) {
		t.Errorf("a new description changed the shape: %v vs %v", base, got)
	}
	if got := stateShape(block(cty.String, true, "one")); reflect.DeepEqual(base, got) {
		t.Errorf("a type change went unseen: %v", got)
	}
	if got := stateShape(block(cty.Number, false, "one")); reflect.DeepEqual(base, got) {
		t.Errorf("dropping computed went unseen: %v", got)
	}
	// An optional argument that becomes computed too plans old state as it is;
	// one that stops being computed does not.
	was, now := stateShape(block(cty.Number, false, "one")), block(cty.Number, true, "one")
	if !optionalGainsComputed(now, "num_results", was["num_results"], base["num_results"]) {
		t.Errorf("an optional argument gaining computed is refused: %s -> %s", was["num_results"], base["num_results"])
	}
	if optionalGainsComputed(block(cty.Number, false, "one"), "num_results", base["num_results"], was["num_results"]) {
		t.Errorf("an optional argument losing computed is accepted: %s -> %s", base["num_results"], was["num_results"])
	}
	if optionalGainsComputed(now, "num_results", stateShape(block(cty.String, false, "one"))["num_results"], base["num_results"]) {
		t.Error("a type change hidden behind gaining computed is accepted")
	}
}
