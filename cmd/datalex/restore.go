package main

import "context"

func runRestore(ctx context.Context, args []string) error { return errNotYet }
