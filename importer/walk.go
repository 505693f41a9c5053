package importer

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// walker lists the files to import: files named directly, and the files
// under named directories, recursively. Hidden files and directories (name
// starting with ".") met while walking are skipped; symbolic links are
// followed, but each real directory and file is visited once, so link loops
// end.
type walker struct {
	ctx     context.Context
	files   []string
	refused []FileError
	skipped []string        // documentation met while walking
	seen    map[string]bool // real paths of directories and files visited
}

// isDocumentation reports a file name that holds a collection's own
// documentation (README.md, COPYING, LICENSE.txt, …): met while walking a
// directory it is skipped, not refused. Named on its own, it is read.
func isDocumentation(name string) bool {
	base := strings.ToUpper(strings.TrimSuffix(name, filepath.Ext(name)))
	switch base {
	case "README", "COPYING", "LICENSE", "LICENCE", "CHANGELOG", "CONTRIBUTING", "AUTHORS", "NOTICE":
		return true
	}
	return false
}

func walk(ctx context.Context, paths []string) ([]string, []string, []FileError) {
	w := &walker{ctx: ctx, seen: map[string]bool{}}
	for _, p := range paths {
		if ctx.Err() != nil {
			break
		}
		info, err := os.Stat(p)
		if err != nil {
			w.refuse(p, err)
			continue
		}
		w.visit(p, "", info.Mode())
	}
	return w.files, w.skipped, w.refused
}

// visit adds a file or walks a directory. real is its resolved absolute
// path, or "" to resolve it here.
func (w *walker) visit(path, real string, mode fs.FileMode) {
	if real == "" {
		r, err := filepath.EvalSymlinks(path)
		if err != nil {
			w.refuse(path, err)
			return
		}
		if real, err = filepath.Abs(r); err != nil {
			w.refuse(path, err)
			return
		}
	}
	if w.seen[real] {
		return
	}
	w.seen[real] = true
	switch {
	case mode.IsDir():
		w.dir(path, real)
	case mode.IsRegular():
		w.files = append(w.files, path)
	default:
		w.refused = append(w.refused, FileError{Path: path, Reason: "not a regular file"})
	}
}

func (w *walker) dir(dir, realDir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		w.refuse(dir, err)
	}
	for _, e := range entries {
		if w.ctx.Err() != nil {
			return
		}
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if !e.IsDir() && isDocumentation(e.Name()) {
			w.skipped = append(w.skipped, filepath.Join(dir, e.Name()))
			continue
		}
		path := filepath.Join(dir, e.Name())
		if e.Type()&fs.ModeSymlink == 0 {
			w.visit(path, filepath.Join(realDir, e.Name()), e.Type())
			continue
		}
		info, err := os.Stat(path) // a link: resolved in visit
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				w.refused = append(w.refused, FileError{Path: path, Reason: "broken symbolic link"})
				continue
			}
			w.refuse(path, err)
			continue
		}
		w.visit(path, "", info.Mode())
	}
}

// refuse records a file system error without repeating the path in it.
func (w *walker) refuse(path string, err error) {
	w.refused = append(w.refused, FileError{Path: path, Reason: "cannot read: " + osReason(err), Err: err})
}

// osReason is the reason of a file system error without its path.
func osReason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
