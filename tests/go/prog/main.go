// SPDX-License-Identifier: Apache-2.0
// A Go program for the transparency tests: exit N, die of a signal, copy
// stdin to stdout, or tick (write "pid counter" to a file every 20 ms).
package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		os.Exit(2)
	}
	switch os.Args[1] {
	case "exit":
		n, _ := strconv.Atoi(os.Args[2])
		fmt.Println("exiting with", n)
		os.Exit(n)
	case "signal":
		fmt.Println("raising SIGTERM")
		syscall.Kill(os.Getpid(), syscall.SIGTERM)
		time.Sleep(10 * time.Second)
	case "cat":
		io.Copy(os.Stdout, os.Stdin)
	case "tick":
		n, _ := strconv.Atoi(os.Args[3])
		for i := 1; i <= n; i++ {
			os.WriteFile(os.Args[2], []byte(fmt.Sprintf("%d %d\n", os.Getpid(), i)), 0o644)
			time.Sleep(20 * time.Millisecond)
		}
	}
}
