//go:build !unix

package cli

import (
	"os/user"
	"strings"
)

// loginName is the current user's login name, without a Windows domain;
// "" when it cannot be told.
func loginName() string {
	u, err := user.Current()
	if err != nil {
		return ""
	}
	name := u.Username
	if i := strings.LastIndexByte(name, '\\'); i >= 0 {
		name = name[i+1:]
	}
	return name
}
