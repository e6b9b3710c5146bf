//go:build !wip

package main

import "context"

// Placeholders while the seed parsers land; removed with the wip tag.
func runImport(ctx context.Context, args []string) error { return errNotYet }
func runCorpus(ctx context.Context, args []string) error { return errNotYet }
