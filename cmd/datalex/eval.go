package main

import "context"

func runEval(ctx context.Context, args []string) error { return errNotYet }
