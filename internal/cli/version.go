package cli

import (
	"runtime"
	"runtime/debug"
	"strings"
)

// version says what build of faultline this is, from the build info the
// go command records: the module version ("(devel)" for a build from a
// work tree), the VCS commit and whether the tree had changes, and the Go
// release.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(no build information) " + runtime.Version()
	}
	return describeBuild(info)
}

func describeBuild(info *debug.BuildInfo) string {
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, at string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	parts := []string{v}
	switch {
	case rev == "":
		parts = append(parts, "commit unknown (built without VCS information)")
	case modified:
		parts = append(parts, "commit "+rev+" with uncommitted changes")
	default:
		parts = append(parts, "commit "+rev)
	}
	if at != "" {
		parts = append(parts, "of "+at)
	}
	goVersion := info.GoVersion
	if goVersion == "" {
		goVersion = runtime.Version()
	}
	parts = append(parts, goVersion+" "+runtime.GOOS+"/"+runtime.GOARCH)
	return strings.Join(parts, ", ")
}
