package doctest

import (
	"strings"
	"testing"
	"time"
)

func TestParse_blocksAndMarkers(t *testing.T) {
	src := strings.Join([]string{
		"# Title",   // 1
		"",          // 2
		"```sh",     // 3
		"make demo", // 4
		"```",       // 5
		"<!-- doctest: skip (CI runs it: it would run itself) -->", // 6
		"```sh",                           // 7
		"make test",                       // 8
		"```",                             // 9
		"<!-- doctest: dev-overrides -->", // 10
		`<!-- doctest: background until "listening on"; timeout 90s -->`, // 11
		"```shell",                            // 12
		"make emulator",                       // 13
		"```",                                 // 14
		"<!-- doctest: apply mod/main.tf -->", // 15
		"```terraform",                        // 16
		`resource "x" "y" {}`,                 // 17
		"```",                                 // 18
		"<!-- doctest: file mod/vars.tf",      // 19
		`variable "v" { default = 1 }`,        // 20
		"-->",                                 // 21
		"1. A step:",                          // 22
		"",                                    // 23
		"   ```console",                       // 24
		"   $ curl localhost:4599/_emulator/stats \\", // 25
		"       -s",              // 26
		`   {"calls":{}}`,        // 27
		"   $ echo done",         // 28
		"   done",                // 29
		"   ```",                 // 30
		"```json",                // 31
		`{"not": "run"}`,         // 32
		"```",                    // 33
		"<!-- doctest: stop -->", // 34
		"<!-- doctest: needs terraform 1.14; file action.tf -->", // 35
		"```hcl",                            // 36
		`action "a" "b" {}`,                 // 37
		"```",                               // 38
		"<!-- doctest: until \"ready\" -->", // 39
		"~~~bash",                           // 40
		"server --port 1",                   // 41
		"~~~",                               // 42
	}, "\n")
	doc, err := Parse("README.md", src)
	if err != nil {
		t.Fatal(err)
	}
	want := []Block{
		{Line: 3, Lang: "sh", Kind: Shell, Body: "make demo\n"},
		{Line: 7, Lang: "sh", Kind: Shell, Body: "make test\n", Skip: "CI runs it: it would run itself"},
		{Line: 10, Kind: DevOverrides},
		{Line: 12, Lang: "shell", Kind: Shell, Body: "make emulator\n", Background: true, Until: "listening on", Timeout: 90 * time.Second},
		{Line: 16, Lang: "terraform", Kind: HCL, Body: "resource \"x\" \"y\" {}\n", File: "mod/main.tf", Apply: true},
		{Line: 19, Kind: HCL, Body: "variable \"v\" { default = 1 }\n", File: "mod/vars.tf", Hidden: true},
		{Line: 24, Lang: "console", Kind: Shell, Body: "curl localhost:4599/_emulator/stats \\\n    -s\necho done\n"},
		{Line: 31, Lang: "json", Kind: Other, Body: "{\"not\": \"run\"}\n"},
		{Line: 34, Kind: Stop},
		{Line: 36, Lang: "hcl", Kind: HCL, Body: "action \"a\" \"b\" {}\n", File: "action.tf", Needs: "1.14"},
		{Line: 40, Lang: "bash", Kind: Shell, Body: "server --port 1\n", Until: "ready"},
	}
	if len(doc.Blocks) != len(want) {
		t.Fatalf("got %d blocks, want %d: %+v", len(doc.Blocks), len(want), doc.Blocks)
	}
	for i, w := range want {
		if got := doc.Blocks[i]; got != w {
			t.Errorf("block %d:\n got %+v\nwant %+v", i, got, w)
		}
	}
}

// Every marker mistake is an error that names the line and the fix, never
// a block that silently does not run.
func TestParse_refusesMarkersThatMeanNothing(t *testing.T) {
	cases := []struct {
		name, src, want string
	}{
		{"skip without a reason", "<!-- doctest: skip -->\n```sh\nx\n```\n", "README.md:1: skip needs a reason"},
		{"skip with empty parentheses", "<!-- doctest: skip () -->\n```sh\nx\n```\n", "README.md:1: skip needs a reason"},
		{"unknown directive", "<!-- doctest: skipp (typo) -->\n```sh\nx\n```\n", `README.md:1: unknown directive "skipp"`},
		{"blank line before the fence", "<!-- doctest: skip (why) -->\n\n```sh\nx\n```\n", "README.md:1: the marker applies to the block that follows it"},
		{"marker at the end", "text\n<!-- doctest: apply main.tf -->\n", "README.md:2: the marker is not followed by a block"},
		{"terraform block without a marker", "```terraform\nresource \"x\" \"y\" {}\n```\n", "README.md:1: terraform block: a Terraform block needs a marker"},
		{"background without until", "<!-- doctest: background -->\n```sh\nx\n```\n", `background needs until "TEXT"`},
		{"until without quotes", "<!-- doctest: until listening -->\n```sh\nx\n```\n", `until: want "TEXT" in double quotes`},
		{"until on a Terraform block", "<!-- doctest: until \"x\" -->\n```hcl\nx\n```\n", "until and background run commands: they need a shell block"},
		{"apply on a shell block", "<!-- doctest: apply main.tf -->\n```sh\nx\n```\n", "apply needs a Terraform block"},
		{"file outside the directory", "<!-- doctest: file ../main.tf -->\n```hcl\nx\n```\n", "the path must be relative and stay inside the session's directory"},
		{"absolute file", "<!-- doctest: file /etc/main.tf -->\n```hcl\nx\n```\n", "the path must be relative"},
		{"file outside HOME", "<!-- doctest: file ~/../x.tf -->\n```hcl\nx\n```\n", "the path must be relative"},
		{"apply in HOME", "<!-- doctest: apply ~/main.tf -->\n```hcl\nx\n```\n", "the path must be relative"},
		{"needs without a version", "<!-- doctest: needs terraform -->\n```sh\nx\n```\n", "needs takes terraform VERSION"},
		{"needs tofu", "<!-- doctest: needs tofu 1.12 -->\n```sh\nx\n```\n", "needs takes terraform VERSION"},
		{"bad timeout", "<!-- doctest: timeout soon -->\n```sh\nx\n```\n", `timeout "soon"`},
		{"skip with more", "<!-- doctest: file a.tf; skip (why) -->\n```hcl\nx\n```\n", "skip goes alone"},
		{"missing separator", "<!-- doctest: file a.tf apply b.tf -->\n```hcl\nx\n```\n", "separate directives with ;"},
		{"step with a body", "<!-- doctest: stop\necho hi\n-->\n", "dev-overrides and stop are steps of their own"},
		{"run without a body", "<!-- doctest: run -->\n```sh\nx\n```\n", "run makes a hidden block"},
		{"unclosed hidden block", "<!-- doctest: run\necho hi\n", "README.md:1: the marker has no closing -->"},
		{"unclosed fence", "```sh\nmake demo\n", "README.md:1: the block is never closed"},
		{"empty shell block", "```sh\n```\n", "nothing to run"},
		{"empty marker", "<!-- doctest: -->\n```sh\nx\n```\n", "empty marker"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("README.md", c.src)
			if err == nil {
				t.Fatalf("no error for\n%s", c.src)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not say %q", err, c.want)
			}
		})
	}
}

func TestParse_skipReasonKeepsSemicolons(t *testing.T) {
	doc, err := Parse("x.md", "<!-- doctest: skip real AWS; needs credentials -->\n```sh\naws sts get-caller-identity\n```\n")
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.Blocks[0].Skip; got != "real AWS; needs credentials" {
		t.Errorf("reason %q", got)
	}
}

func TestParse_closingFenceMustBeAsLongAsTheOpening(t *testing.T) {
	doc, err := Parse("x.md", "````sh\necho '```'\n```\necho still inside\n````\n")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := doc.Blocks[0].Body, "echo '```'\n```\necho still inside\n"; got != want {
		t.Errorf("body %q, want %q", got, want)
	}
}

func TestVersionLess(t *testing.T) {
	for _, c := range []struct {
		a, b string
		less bool
	}{
		{"1.11.4", "1.14", true},
		{"1.14.0", "1.14", false},
		{"1.15.0", "1.14", false},
		{"1.9", "1.14", true},
		{"1.14.0-rc1", "1.14", false},
		{"2.0", "1.14", false},
	} {
		if got := versionLess(c.a, c.b); got != c.less {
			t.Errorf("versionLess(%s, %s) = %v", c.a, c.b, got)
		}
	}
}

func TestSplitLastCommand(t *testing.T) {
	for _, c := range []struct{ body, before, last string }{
		{"server --port 1\n", "", "server --port 1\n"},
		{"go build -o ~/bin/x ./cmd/x\nexport PATH=\"$HOME/bin:$PATH\"\nx --listen :1\n", "go build -o ~/bin/x ./cmd/x\nexport PATH=\"$HOME/bin:$PATH\"\n", "x --listen :1\n"},
		{"cd dir\nserver --latency 100ms \\\n  --rate-limit A=1 \\\n  --rate-limit B=2\n\n# stop it with Ctrl-C\n", "cd dir\n", "server --latency 100ms \\\n  --rate-limit A=1 \\\n  --rate-limit B=2\n"},
	} {
		before, last := splitLastCommand(c.body)
		if before != c.before || last != c.last {
			t.Errorf("splitLastCommand(%q) = %q, %q; want %q, %q", c.body, before, last, c.before, c.last)
		}
	}
}
