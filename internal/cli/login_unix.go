//go:build unix

package cli

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// loginName is the current user's login name from /etc/passwd, "" when it
// cannot be told. It reads the file itself rather than through os/user,
// which may ask the C library's name services over a socket: faultline
// opens none.
func loginName() string {
	f, err := os.Open("/etc/passwd")
	if err != nil {
		return ""
	}
	defer f.Close()
	uid := strconv.Itoa(os.Getuid())
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// name:password:uid:gid:…
		fields := strings.SplitN(sc.Text(), ":", 4)
		if len(fields) == 4 && fields[2] == uid {
			return fields[0]
		}
	}
	return ""
}
