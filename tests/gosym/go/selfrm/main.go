// Fails an open, removes its own binary, fails another: the engine names
// the second one's inlined calls although the binary is gone.
package main

import "os"

func main() {
	os.Open("/nonexistent/before")
	os.Remove(os.Args[0])
	os.Open("/nonexistent/after")
}
