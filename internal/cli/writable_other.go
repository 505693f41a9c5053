//go:build !unix

package cli

import "os"

// writable reports whether this process may write the file at path:
// where there is no access(2), by opening it for writing, which changes
// nothing.
func writable(path string) bool {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return false
	}
	f.Close()
	return true
}
