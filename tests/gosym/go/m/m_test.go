// TestOpen fails opening a missing file: the trace engine must name its
// frames (os.Open inlined into TestOpen, testing.tRunner) at capture time.
package m

import (
	"os"
	"testing"
)

func TestOpen(t *testing.T) {
	f, err := os.Open("/nonexistent/x")
	if err == nil {
		f.Close()
	}
	t.Fatalf("open: %v", err)
}
