package cli

import (
	"io"

	"github.com/faultline/faultline/sanitize"
)

// jsonOut is where a command prints JSON: each Write (a whole value, as
// json.Encoder writes them) goes through sanitize.JSON, so that what is
// printed decodes to the data as given and a terminal acts on none of it.
type jsonOut struct{ w io.Writer }

func (j jsonOut) Write(p []byte) (int, error) {
	if _, err := j.w.Write(sanitize.JSON(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}
