package main

import "context"

func runMCP(ctx context.Context, args []string) error { return errNotYet }
