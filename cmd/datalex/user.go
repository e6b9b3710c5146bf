package main

import "context"

func runUser(ctx context.Context, args []string) error { return errNotYet }
