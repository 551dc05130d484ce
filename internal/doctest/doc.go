// Package doctest runs the documentation: every command block of README.md
// and docs/guides/*.md, and every Terraform block meant to be applied, runs
// as printed, in order, so that a documented path cannot break unnoticed.
// `make doctest` runs it alone; `make test` and `make testacc` run it too
// (it needs TF_ACC=1, like the acceptance tests).
//
// # How a document runs
//
// Each document gets a fresh copy of the repository's files (tracked and
// untracked-but-not-ignored, as the working tree has them) as its working
// directory, and a HOME of its own, so that `make emulator`, `go build
// ./internal/...` and `~/bin` work verbatim and stay inside the scratch
// directory; the Go build and module caches are the real ones. Nothing of
// the caller's Terraform, AWS or make settings reaches it. Where Linux
// allows it, each document has a network namespace of its own with only a
// loopback interface: the emulator's fixed address 127.0.0.1:4599 is the
// document's alone, and nothing reaches the internet (no AWS account, no
// registry). Its blocks run in one bash session (`set -e`, no standard
// input), so a `cd` or an `export` in one block holds for the next.
// `terraform` in that session is the CLI under test (TF_ACC_TERRAFORM_PATH,
// else terraform from PATH), and `curl` fails on an HTTP error status
// (it runs as curl --fail-with-body): a reader who sees an error has seen the
// step fail. A block that fails, or runs longer than its timeout, ends the
// document; the failure names the document, the block's line, the commands
// and their output, and the document's directory is kept for a look (its
// shell's whole output is blocks/session.log there).
//
// Which blocks run:
//   - sh, shell, bash: the block's lines; console: its lines that start
//     with "$ " (and their continuation lines), without the prompt.
//   - hcl, terraform, tf: only what a marker asks for; a Terraform block
//     without a marker is an error, so that each one is either checked or
//     says why not.
//   - any other block: nothing, unless a marker writes it to a file.
//
// # Markers
//
// A marker is an HTML comment, invisible in rendered Markdown; tfplugindocs
// copies comments of templates/guides into docs/guides as they are. A
// marker on the line right before a fence applies to that block:
//
//	<!-- doctest: skip REASON -->           do not run it; the reason is required
//	<!-- doctest: background until "TEXT" --> run its last command in the
//	                                         background and go on once its output
//	                                         shows TEXT; it is stopped (its whole
//	                                         process group) at a stop marker or at
//	                                         the end of the document. The commands
//	                                         before the last run in the session, as
//	                                         a reader types them in the terminal
//	                                         where the server then runs
//	<!-- doctest: until "TEXT" -->          the same, but stop the last command
//	                                         once its output shows TEXT: for a
//	                                         server that is one of two ways to start
//	                                         the same thing
//	<!-- doctest: file PATH -->             write the block to PATH (relative to
//	                                         the session's directory, or ~/PATH in
//	                                         the document's HOME); run nothing
//	<!-- doctest: apply PATH -->            write the block to PATH, then in PATH's
//	                                         directory `terraform apply
//	                                         -auto-approve -input=false` with every
//	                                         file there, and a `terraform plan
//	                                         -detailed-exitcode` that must show no
//	                                         change
//	<!-- doctest: needs terraform VERSION --> run it only on Terraform VERSION or
//	                                         later (not OpenTofu), else skip it
//	                                         and say why
//	<!-- doctest: timeout DURATION -->      the block's time limit (default 4m)
//
// Directives combine with ";": <!-- doctest: needs terraform 1.14; file action.tf -->.
//
// A marker with lines of its own before "-->" is a hidden block: the lines
// are its body, and it runs (run, background until, until) or is written
// (file, apply) like a block. Hidden blocks set up what a document leaves
// to the reader, such as the variables of an excerpt; keep them few.
//
//	<!-- doctest: run
//	export TF_VAR_run_date=2026-11-28
//	-->
//
// Two markers are steps of their own, not blocks:
//
//	<!-- doctest: dev-overrides -->  write ~/.terraformrc with dev_overrides for
//	                                 the provider built from this tree, as a reader
//	                                 of the docs would before using a local build;
//	                                 where a document shows how to do that itself
//	                                 (`make install` and a ~/.terraformrc), its own
//	                                 blocks run instead and the step goes
//	<!-- doctest: stop -->           stop the background blocks still running,
//	                                 as a reader presses Ctrl-C in their terminal
package doctest
