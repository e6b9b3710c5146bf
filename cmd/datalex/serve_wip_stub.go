//go:build !wip

package main

import "context"

// Placeholder while openLibrary and the importer are behind the wip tag;
// delete this file together with serve.go's build line.
func runServe(ctx context.Context, args []string) error { return errNotYet }
