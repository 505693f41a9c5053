package importer

import (
	"errors"
	"fmt"
	"strconv"
)

// Sentinel errors for what callers may test with errors.Is on a FileError
// or on the error Run returns.
var (
	// ErrUnknownFormat: the file is in no form the importer reads.
	ErrUnknownFormat = errors.New("unknown format")
	// ErrTooLarge: the file is over Options.MaxFileSize.
	ErrTooLarge = errors.New("file too large")
	// ErrSink: the sink refused a batch; Run stops.
	ErrSink = errors.New("sink failed")
)

// FileError is a problem with one file, or with one record of it when Line
// is set. Refusals and warnings are both FileErrors.
type FileError struct {
	Path   string
	Line   int // 1-based line where the record starts; 0 when unknown or whole file
	Reason string
	Err    error `json:"-"` // sentinel behind the reason, if any
}

func (e FileError) Error() string {
	if e.Line > 0 {
		return e.Path + ":" + strconv.Itoa(e.Line) + ": " + e.Reason
	}
	return e.Path + ": " + e.Reason
}

// Unwrap lets errors.Is see the sentinel behind a refusal.
func (e FileError) Unwrap() error { return e.Err }

// lineError is a reader's failure at a known line: the caller adds the path.
type lineError struct {
	line   int
	reason string
}

func (e *lineError) Error() string {
	if e.line > 0 {
		return fmt.Sprintf("line %d: %s", e.line, e.reason)
	}
	return e.reason
}

func errAt(line int, format string, args ...any) *lineError {
	return &lineError{line: line, reason: fmt.Sprintf(format, args...)}
}

// sizeText renders a byte count for a reason text: "1 MiB", "2.5 KiB", "17 bytes".
func sizeText(n int64) string {
	const (
		kib = 1 << 10
		mib = 1 << 20
		gib = 1 << 30
	)
	format := func(v float64, unit string) string {
		return strconv.FormatFloat(v, 'f', -1, 64) + " " + unit
	}
	switch {
	case n >= gib:
		return format(float64(n*10/gib)/10, "GiB")
	case n >= mib:
		return format(float64(n*10/mib)/10, "MiB")
	case n >= kib:
		return format(float64(n*10/kib)/10, "KiB")
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
