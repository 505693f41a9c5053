// Command faultline is an offline terminal explorer of software-failure
// postmortems: run it with no arguments for the explorer, or with a
// command (import, search, show, export, stats, ...; faultline -h lists
// them) for scripts.
package main

import (
	"os"

	"github.com/faultline/faultline/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
