package main

import "context"

func runBackup(ctx context.Context, args []string) error { return errNotYet }
