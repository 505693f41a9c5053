//go:build ignore

// Crosscheck type-checks every package of the module, with everything it
// imports down to the runtime, for each platform named on its command
// line ("windows/arm64"), from source: what the compiler's front end
// would say of a cross-build, such as a unix-only call outside a file with
// a build tag. go list picks each package's files for the platform; the
// type checker then reads them all, function bodies included. It uses no
// build cache, so it takes seconds where cold cross-builds take minutes.
//
//	go run .ci/crosscheck.go linux/amd64 windows/arm64 ...
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// listed is what go list -json says of a package.
type listed struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	ImportMap  map[string]string // import path as written → package, for std's vendored packages
	Module     *struct{ GoVersion string }
	Error      *struct{ Err string }
}

func main() {
	failed := false
	for _, target := range os.Args[1:] {
		start := time.Now()
		if err := check(target); err != nil {
			fmt.Printf("%s: %v\n", target, err)
			failed = true
			continue
		}
		fmt.Printf("%s: ok (%.1fs)\n", target, time.Since(start).Seconds())
	}
	if failed {
		os.Exit(1)
	}
}

// check type-checks the module for target ("goos/goarch").
func check(target string) error {
	goos, goarch, ok := strings.Cut(target, "/")
	if !ok {
		return fmt.Errorf("want goos/goarch")
	}
	pkgs, err := list(goos, goarch)
	if err != nil {
		return err
	}
	fset := token.NewFileSet()
	checked := map[string]*types.Package{"unsafe": types.Unsafe}
	var errs []string
	for _, p := range pkgs { // go list -deps puts dependencies first
		if p.ImportPath == "unsafe" {
			continue
		}
		files, err := parse(fset, p)
		if err != nil {
			return err
		}
		conf := types.Config{
			Importer: importerFunc(func(path string) (*types.Package, error) {
				if mapped, ok := p.ImportMap[path]; ok {
					path = mapped
				}
				if pkg, ok := checked[path]; ok {
					return pkg, nil
				}
				return nil, fmt.Errorf("%s: not listed before %s", path, p.ImportPath)
			}),
			Sizes: types.SizesFor("gc", goarch),
			Error: func(err error) { errs = append(errs, err.Error()) },
		}
		if p.Module != nil && p.Module.GoVersion != "" {
			conf.GoVersion = "go" + p.Module.GoVersion
		}
		checked[p.ImportPath], _ = conf.Check(p.ImportPath, fset, files, nil)
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "\n"))
	}
	return nil
}

// list returns the module's packages and their dependencies as go list
// sees them for the platform, cgo off as in any cross-build.
func list(goos, goarch string) ([]listed, error) {
	cmd := exec.Command("go", "list", "-deps", "-json", "./...")
	cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH="+goarch, "CGO_ENABLED=0")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %w", err)
	}
	var pkgs []listed
	for dec := json.NewDecoder(bytes.NewReader(out)); ; {
		var p listed
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			return pkgs, nil
		} else if err != nil {
			return nil, fmt.Errorf("go list: %w", err)
		}
		if p.Error != nil {
			return nil, fmt.Errorf("%s: %s", p.ImportPath, p.Error.Err)
		}
		pkgs = append(pkgs, p)
	}
}

func parse(fset *token.FileSet, p listed) ([]*ast.File, error) {
	var files []*ast.File
	for _, name := range p.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(p.Dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }
