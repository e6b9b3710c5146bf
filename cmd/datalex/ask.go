package main

import "context"

func runAsk(ctx context.Context, args []string) error { return errNotYet }
