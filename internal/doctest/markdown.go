package doctest

import (
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"
)

// Kind is what the harness does with a block.
type Kind int

const (
	// Other blocks (text, json, …) run nothing; a file marker writes them.
	Other Kind = iota
	// Shell blocks run in the document's bash session.
	Shell
	// HCL blocks are written to a file (file, apply), applied (apply) or skipped.
	HCL
	// DevOverrides is the step that writes ~/.terraformrc for the provider
	// built from this tree.
	DevOverrides
	// Stop is the step that stops the background blocks still running.
	Stop
)

// Block is a fenced block of a document, a hidden block carried by a
// marker, or a step.
type Block struct {
	Line   int    // of the opening fence, or of the marker for hidden blocks and steps
	Lang   string // the info string's first word, lower case
	Kind   Kind
	Body   string // what runs or is written: for console blocks, the commands only
	Hidden bool   // the body came from a marker, not from a fence

	Skip       string        // why it does not run; "" runs it
	File       string        // write the body here (file, apply)
	Apply      bool          // then apply the configuration of File's directory
	Background bool          // keep it running after Until showed
	Until      string        // run until the output shows this
	Timeout    time.Duration // 0: the runner's default
	Needs      string        // the minimum Terraform version, "" for any CLI
}

// Document is a Markdown file's blocks, in order.
type Document struct {
	Name   string // as given to Parse, for messages
	Blocks []Block
}

const markerPrefix = "<!-- doctest:"

// Parse reads the fenced blocks and doctest markers of a Markdown document.
// A marker it cannot read, or one that applies to nothing, is an error
// naming the line, so that a typo never turns into a block that silently
// does not run.
func Parse(name, src string) (Document, error) {
	doc := Document{Name: name}
	lines := strings.Split(strings.TrimRight(strings.ReplaceAll(src, "\r\n", "\n"), "\n"), "\n")
	var pending *Block // a marker waiting for the fence on the next line
	pendingLine := 0
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		trimmed := strings.TrimSpace(line)
		lineNo := i + 1
		if pending != nil && !isFence(trimmed) {
			return doc, fmt.Errorf("%s:%d: the marker applies to the block that follows it: put it on the line right before the opening ``` (or make it a step or a hidden block)", name, pendingLine)
		}
		switch {
		case strings.HasPrefix(trimmed, markerPrefix):
			text := strings.TrimPrefix(trimmed, markerPrefix)
			var body []string
			closed := strings.HasSuffix(text, "-->")
			if closed {
				text = strings.TrimSuffix(text, "-->")
			} else {
				for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "-->"; i++ {
					body = append(body, lines[i])
				}
				if i == len(lines) {
					return doc, fmt.Errorf("%s:%d: the marker has no closing --> on a line of its own", name, lineNo)
				}
			}
			d, err := parseDirectives(text)
			if err != nil {
				return doc, fmt.Errorf("%s:%d: %w", name, lineNo, err)
			}
			b := d.Block
			b.Line = lineNo
			switch {
			case b.Kind == DevOverrides || b.Kind == Stop:
				if len(body) > 0 || b.Skip != "" || b.File != "" || b.Until != "" || b.Needs != "" || b.Timeout != 0 {
					return doc, fmt.Errorf("%s:%d: dev-overrides and stop are steps of their own: they take no body and no other directive", name, lineNo)
				}
				doc.Blocks = append(doc.Blocks, b)
			case len(body) > 0:
				b.Hidden = true
				b.Body = strings.Join(body, "\n") + "\n"
				if b.File != "" {
					b.Kind = HCL
				} else {
					b.Kind = Shell
				}
				if err := b.check(); err != nil {
					return doc, fmt.Errorf("%s:%d: hidden block: %w", name, lineNo, err)
				}
				doc.Blocks = append(doc.Blocks, b)
			case d.run:
				return doc, fmt.Errorf("%s:%d: run makes a hidden block: put its commands on the lines after the marker, then --> on a line of its own", name, lineNo)
			default:
				pending, pendingLine = &b, lineNo
			}
		case isFence(trimmed):
			fence := fenceOf(trimmed)
			indent := len(line) - len(strings.TrimLeft(line, " "))
			info := strings.TrimSpace(strings.TrimLeft(trimmed, string(fence[0])))
			lang := strings.ToLower(strings.Fields(info + " x")[0])
			if info == "" {
				lang = ""
			}
			var body []string
			for i++; i < len(lines); i++ {
				t := strings.TrimSpace(lines[i])
				if strings.HasPrefix(t, fence) && strings.Trim(t, string(fence[0])) == "" {
					break
				}
				body = append(body, dedent(lines[i], indent))
			}
			if i == len(lines) {
				return doc, fmt.Errorf("%s:%d: the block is never closed", name, lineNo)
			}
			b := Block{}
			if pending != nil {
				b = *pending
				pending = nil
			}
			b.Line, b.Lang = lineNo, lang
			b.Body = strings.Join(body, "\n") + "\n"
			switch lang {
			case "sh", "shell", "bash":
				b.Kind = Shell
			case "console":
				b.Kind = Shell
				b.Body = consoleCommands(body)
			case "hcl", "terraform", "tf":
				b.Kind = HCL
			default:
				b.Kind = Other
			}
			if err := b.check(); err != nil {
				return doc, fmt.Errorf("%s:%d: %s block: %w", name, lineNo, langName(lang), err)
			}
			doc.Blocks = append(doc.Blocks, b)
		}
	}
	if pending != nil {
		return doc, fmt.Errorf("%s:%d: the marker is not followed by a block", name, pendingLine)
	}
	return doc, nil
}

func langName(lang string) string {
	if lang == "" {
		return "plain"
	}
	return lang
}

// isFence reports whether a trimmed line opens or closes a fenced block.
func isFence(trimmed string) bool {
	return strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~")
}

// fenceOf is the run of backticks or tildes a fence starts with; the
// closing fence is at least as long.
func fenceOf(trimmed string) string {
	c := trimmed[0]
	n := 0
	for n < len(trimmed) && trimmed[n] == c {
		n++
	}
	return trimmed[:n]
}

// dedent removes up to n leading spaces: a block inside a list item is
// indented with it.
func dedent(line string, n int) string {
	for n > 0 && strings.HasPrefix(line, " ") {
		line, n = line[1:], n-1
	}
	return line
}

// consoleCommands keeps the lines of a console block that a reader types:
// those after a "$ " prompt, and the continuation lines of a command that
// ends with a backslash. The rest is output.
func consoleCommands(lines []string) string {
	var cmds []string
	continued := false
	for _, l := range lines {
		switch {
		case continued:
			cmds = append(cmds, l)
		case strings.HasPrefix(l, "$ "):
			cmds = append(cmds, strings.TrimPrefix(l, "$ "))
		default:
			continue
		}
		continued = strings.HasSuffix(l, `\`)
	}
	if len(cmds) == 0 {
		return ""
	}
	return strings.Join(cmds, "\n") + "\n"
}

// directives is a Block plus what only parsing needs to know.
type directives struct {
	Block
	run bool
}

// parseDirectives reads "directive; directive" from a marker.
func parseDirectives(text string) (directives, error) {
	var d directives
	text = strings.TrimSpace(text)
	if text == "" {
		return d, fmt.Errorf("empty marker: say skip REASON, background until \"TEXT\", until \"TEXT\", file PATH, apply PATH, needs terraform VERSION, timeout DURATION, run, dev-overrides or stop")
	}
	for text != "" {
		word, rest := cutWord(text)
		switch word {
		case "skip":
			// The reason is the rest of the marker, ";" included.
			reason := strings.TrimSpace(rest)
			if strings.HasPrefix(reason, "(") && strings.HasSuffix(reason, ")") {
				reason = strings.TrimSpace(reason[1 : len(reason)-1])
			}
			if reason == "" {
				return d, fmt.Errorf("skip needs a reason: <!-- doctest: skip (why this block cannot run here) -->")
			}
			d.Skip = reason
			rest = ""
		case "background", "until":
			if word == "background" {
				d.Background = true
				var w string
				if w, rest = cutWord(rest); w != "until" {
					return d, fmt.Errorf(`background needs until "TEXT": the text its output shows once it is ready, e.g. background until "listening on"`)
				}
			}
			s, r, err := cutQuoted(rest)
			if err != nil {
				return d, fmt.Errorf("until: %w", err)
			}
			d.Until, rest = s, r
		case "file", "apply":
			var p string
			if p, rest = cutWord(rest); p == "" || strings.HasPrefix(p, ";") {
				return d, fmt.Errorf("%s needs a path: %s main.tf", word, word)
			}
			rel, home := strings.CutPrefix(p, "~/")
			if path.IsAbs(rel) || strings.HasPrefix(path.Clean(rel), "..") || strings.HasPrefix(rel, "~") || (home && word == "apply") {
				return d, fmt.Errorf("%s %s: the path must be relative and stay inside the session's directory (a file may also go under ~/, the document's HOME)", word, p)
			}
			d.File = p
			d.Apply = d.Apply || word == "apply"
		case "needs":
			var cli, v string
			cli, rest = cutWord(rest)
			v, rest = cutWord(rest)
			if cli != "terraform" || !isVersion(v) {
				return d, fmt.Errorf("needs takes terraform VERSION, e.g. needs terraform 1.14")
			}
			d.Needs = v
		case "timeout":
			var v string
			v, rest = cutWord(rest)
			t, err := time.ParseDuration(v)
			if err != nil || t <= 0 {
				return d, fmt.Errorf("timeout %q: want a duration such as 90s or 5m", v)
			}
			d.Timeout = t
		case "run":
			d.run = true
		case "dev-overrides":
			d.Kind = DevOverrides
		case "stop":
			d.Kind = Stop
		default:
			return d, fmt.Errorf("unknown directive %q: say skip REASON, background until \"TEXT\", until \"TEXT\", file PATH, apply PATH, needs terraform VERSION, timeout DURATION, run, dev-overrides or stop", word)
		}
		rest = strings.TrimSpace(rest)
		if rest != "" {
			if !strings.HasPrefix(rest, ";") {
				return d, fmt.Errorf("%q after %s: separate directives with ;", rest, word)
			}
			rest = strings.TrimSpace(rest[1:])
		}
		text = rest
	}
	return d, nil
}

// check refuses combinations that cannot mean anything.
func (b *Block) check() error {
	if b.Skip != "" && (b.File != "" || b.Until != "" || b.Needs != "" || b.Timeout != 0) {
		return fmt.Errorf("skip goes alone: a skipped block does nothing else")
	}
	if b.Until != "" && b.Kind != Shell {
		return fmt.Errorf("until and background run commands: they need a shell block")
	}
	if b.Until != "" && b.File != "" {
		return fmt.Errorf("a block is either run (until, background) or written (file, apply), not both")
	}
	if b.Apply && b.Kind != HCL {
		return fmt.Errorf("apply needs a Terraform block (hcl, terraform, tf)")
	}
	if b.Kind == HCL && !b.Hidden && b.Skip == "" && b.File == "" {
		return fmt.Errorf("a Terraform block needs a marker on the line before it: <!-- doctest: apply PATH -->, <!-- doctest: file PATH --> or <!-- doctest: skip (why) -->")
	}
	if b.Kind == Shell && strings.TrimSpace(b.Body) == "" && b.Skip == "" {
		return fmt.Errorf("nothing to run")
	}
	return nil
}

func cutWord(s string) (word, rest string) {
	s = strings.TrimSpace(s)
	i := strings.IndexAny(s, " \t;")
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i:]
}

// cutQuoted reads a "double-quoted" string (with \" and \\ escapes).
func cutQuoted(s string) (string, string, error) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, `"`) {
		return "", s, fmt.Errorf(`want "TEXT" in double quotes`)
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == '"':
			if b.Len() == 0 {
				return "", s, fmt.Errorf("the text to wait for is empty")
			}
			return b.String(), s[i+1:], nil
		default:
			b.WriteByte(c)
		}
	}
	return "", s, fmt.Errorf("no closing quote")
}

func isVersion(v string) bool {
	if v == "" {
		return false
	}
	for _, part := range strings.Split(v, ".") {
		if part == "" || strings.Trim(part, "0123456789") != "" {
			return false
		}
	}
	return true
}

// versionLess compares dotted version numbers ("1.11.4" < "1.14").
func versionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) || i < len(bs); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(strings.TrimRightFunc(as[i], func(r rune) bool { return r < '0' || r > '9' }))
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			return x < y
		}
	}
	return false
}

// splitLastCommand splits a shell block before its last command, which
// may go on over lines that end with a backslash. Trailing blank lines and
// comments belong to nothing.
func splitLastCommand(body string) (before, last string) {
	lines := strings.Split(strings.TrimRight(body, "\n"), "\n")
	end := len(lines)
	for end > 0 {
		t := strings.TrimSpace(lines[end-1])
		if t != "" && !strings.HasPrefix(t, "#") {
			break
		}
		end--
	}
	start := end - 1
	for start > 0 && strings.HasSuffix(strings.TrimRight(lines[start-1], " \t"), `\`) {
		start--
	}
	if start < 0 {
		return "", body
	}
	return joinLines(lines[:start]), joinLines(lines[start:end])
}

func joinLines(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	return strings.Join(lines, "\n") + "\n"
}
