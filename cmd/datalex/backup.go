package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
)

// runBackup writes a consistent copy of the live database (VACUUM INTO),
// safe while the platform is serving.
func runBackup(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	dataDir := dataDirFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "用法: datalex backup [--data DIR] FILE")
		fs.PrintDefaults()
	}
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return errors.New("需要一个备份文件路径")
	}
	file := pos[0]
	st, err := openStore(ctx, *dataDir)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Backup(ctx, file); err != nil {
		return err
	}
	info, err := os.Stat(file)
	if err != nil {
		return err
	}
	fmt.Printf("已备份到 %s（%.1f MB）\n", file, float64(info.Size())/(1<<20))
	return nil
}
