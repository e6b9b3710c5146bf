package main

import "context"

func runRuzhang(ctx context.Context, args []string) error { return errNotYet }
