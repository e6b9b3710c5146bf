package main

import "context"

func runSearch(ctx context.Context, args []string) error { return errNotYet }
