package main

import "context"

func runServe(ctx context.Context, args []string) error { return errNotYet }
