//go:build unix

package doctest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/acctest"
)

// emulatorAddr is where the documents start the emulator: its default
// address, which they print.
const emulatorAddr = "127.0.0.1:4599"

// TestDocs runs README.md and docs/guides/*.md: every command block and
// every Terraform block a marker asks for, in order, one shell per
// document. See the package documentation for the markers.
func TestDocs(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("TF_ACC=1 runs the documents' commands (make doctest)")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	guides, err := filepath.Glob(filepath.Join(root, "docs/guides/*.md"))
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"README.md"}
	for _, g := range guides {
		names = append(names, "docs/guides/"+filepath.Base(g))
	}
	// Parse everything first: a marker mistake anywhere fails at once.
	docs := make([]Document, len(names))
	for i, name := range names {
		src, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		if docs[i], err = Parse(name, string(src)); err != nil {
			t.Fatal(sourceHint(name, err.Error()))
		}
	}

	cli, err := acctest.Binary()
	if err != nil {
		t.Fatalf("%s: the documents run terraform", err)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	// One directory per checkout, at the same path on every run: the Go
	// build cache keys the module's own packages by their directory, so
	// at a new path the documents' builds would compile them again.
	sum := sha256.Sum256([]byte(root))
	scratch := filepath.Join(cache, "terraform-provider-personalize", "doctest", hex.EncodeToString(sum[:6]))
	// One run at a time per checkout: the runs share the directory.
	unlock := lock(t, scratch+".lock")
	defer unlock()

	providerDir := filepath.Join(scratch, "provider")
	build := exec.Command("go", "build", "-o", filepath.Join(providerDir, "terraform-provider-personalize"), ".")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	cliDir := filepath.Join(scratch, "cli")
	if err := os.RemoveAll(cliDir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(cliDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(cli, filepath.Join(cliDir, "terraform")); err != nil {
		t.Fatal(err)
	}
	goEnv := goEnvironment(t)
	files := trackedFiles(t, root)
	t.Logf("documents run with %s (%s) as terraform, in %s", acctest.CLIVersion(), cli, scratch)

	// What a failing document leaves is kept for a look; a run that
	// passed leaves nothing behind.
	defer func() {
		if !t.Failed() {
			os.RemoveAll(scratch)
		}
	}()
	for i, doc := range docs {
		ok := t.Run(filepath.Base(doc.Name), func(t *testing.T) {
			dir := filepath.Join(scratch, strings.TrimSuffix(filepath.Base(doc.Name), ".md"))
			work, home, blocks := filepath.Join(dir, "repo"), filepath.Join(dir, "home"), filepath.Join(dir, "blocks")
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
			copyFiles(t, root, work, files)
			for _, d := range []string{home, blocks} {
				if err := os.MkdirAll(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			r := &Runner{
				Env:         sessionEnv(home, cliDir, goEnv),
				ProviderDir: providerDir,
				CLI:         acctest.CLIVersion(),
				Logf:        t.Logf,
				Isolate:     true,
			}
			run, err := r.Start(doc, work, blocks)
			if err != nil {
				t.Fatal(err)
			}
			if why := run.SharedNetwork(); why != "" {
				t.Logf("the document shares this machine's network (%s)", why)
				if ln, err := net.Listen("tcp", emulatorAddr); err != nil {
					run.Close()
					t.Fatalf("%s, the emulator's default address the documents use, is taken (%v): stop what listens there", emulatorAddr, err)
				} else {
					ln.Close()
				}
			}
			failed := false
			for _, b := range doc.Blocks {
				if !b.Runs() {
					continue
				}
				if failed {
					break
				}
				t.Run(fmt.Sprintf("line_%d", b.Line), func(t *testing.T) {
					skipped, err := run.Step(b)
					if err != nil {
						failed = true
						t.Fatal(sourceHint(doc.Name, err.Error()))
					}
					if skipped != "" {
						t.Skip(skipped)
					}
				})
			}
			run.Close()
			if failed {
				t.Logf("the document's directory is kept for a look: %s (its shell's output: %s)", dir, filepath.Join(blocks, "session.log"))
			} else {
				os.RemoveAll(dir)
			}
		})
		if !ok {
			t.Logf("%d documents after %s not run", len(docs)-i-1, doc.Name)
			break
		}
	}
}

// sourceHint adds where to fix a generated guide: its template.
func sourceHint(name, msg string) string {
	if strings.HasPrefix(name, "docs/guides/") {
		msg += fmt.Sprintf("\n(%s is generated: edit templates/guides/%s.tmpl, then make generate)", name, filepath.Base(name))
	}
	return msg
}

// lock takes an exclusive lock on path, waiting for another run to finish.
func lock(t *testing.T, path string) func() {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Minute)
	for said := false; ; said = true {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) || time.Now().After(deadline) {
			f.Close()
			t.Fatalf("locking %s (another run of the documents holds it): %v", path, err)
		}
		if !said {
			t.Logf("waiting for another run of the documents to finish (%s)", path)
		}
		time.Sleep(time.Second)
	}
	return func() { f.Close() }
}

// goEnvironment is the Go settings the documents' shells keep from this
// process: the real build and module caches, so that nothing compiles or
// downloads from cold, and the proxy and checksum settings, which may come
// from a go env file under the real HOME.
func goEnvironment(t *testing.T) []string {
	t.Helper()
	keys := []string{"GOCACHE", "GOMODCACHE", "GOPROXY", "GOSUMDB", "GONOSUMDB", "GOPRIVATE", "GONOPROXY", "GOINSECURE", "GOTOOLCHAIN", "GOFLAGS"}
	out, err := exec.Command("go", append([]string{"env", "-json"}, keys...)...).Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	var vals map[string]string
	if err := json.Unmarshal(out, &vals); err != nil {
		t.Fatalf("go env -json: %v", err)
	}
	var env []string
	for _, k := range keys {
		if vals[k] != "" {
			env = append(env, k+"="+vals[k])
		}
	}
	return env
}

// sessionEnv is this process's environment for a document's shell, with
// what would leak the test run into it taken out: HOME is the document's
// own, and nothing of Terraform, AWS, make or this repository's test
// settings passes, since a reader's shell has none of them.
func sessionEnv(home, cliDir string, goEnv []string) []string {
	drop := func(k string) bool {
		for _, p := range []string{"TF_", "AWS_", "PERSONALIZE_", "GO", "XDG_", "MAKE", "CHECKPOINT_"} {
			if strings.HasPrefix(k, p) {
				return true
			}
		}
		switch k {
		case "HOME", "MFLAGS", "BASH_ENV", "ENV", "CDPATH", "PWD", "OLDPWD", "PATH":
			return true
		}
		return false
	}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if !drop(k) {
			env = append(env, kv)
		}
	}
	cliCache := os.Getenv("PERSONALIZE_CLI_CACHE")
	if cliCache == "" {
		if c, err := os.UserCacheDir(); err == nil {
			cliCache = filepath.Join(c, "terraform-provider-personalize", "clis")
		}
	}
	env = append(env, goEnv...)
	env = append(env,
		"HOME="+home,
		"GOPATH="+filepath.Join(home, "go"),
		"PATH="+cliDir+string(os.PathListSeparator)+os.Getenv("PATH"),
		// The CLIs `make clis` builds are shared by every checkout.
		"PERSONALIZE_CLI_CACHE="+cliCache,
		"CHECKPOINT_DISABLE=1",
	)
	return env
}

// trackedFiles lists the checkout's files as git sees them: tracked, and
// untracked but not ignored, so that a document runs against the working
// tree, edits included.
func trackedFiles(t *testing.T, root string) []string {
	t.Helper()
	cmd := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git ls-files in %s: %v (the documents run in a copy of the checkout's files)", root, err)
	}
	var files []string
	for _, f := range strings.Split(string(out), "\x00") {
		if f != "" {
			files = append(files, f)
		}
	}
	return files
}

func copyFiles(t *testing.T, from, to string, files []string) {
	t.Helper()
	for _, f := range files {
		src, dst := filepath.Join(from, f), filepath.Join(to, f)
		info, err := os.Lstat(src)
		if errors.Is(err, os.ErrNotExist) {
			continue // deleted in the working tree
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		switch {
		case info.Mode()&os.ModeSymlink != 0:
			target, err := os.Readlink(src)
			if err == nil {
				err = os.Symlink(target, dst)
			}
			if err != nil {
				t.Fatal(err)
			}
		case info.Mode().IsRegular():
			if err := copyFile(src, dst, info.Mode().Perm()); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func copyFile(src, dst string, perm os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
