// The oracle for inlined frames: prints the return PCs runtime.Callers
// gives at a few call sites reached through inlined calls, each followed
// by the logical frames runtime.CallersFrames expands it to.
package main

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
)

var all [][]uintptr

//go:noinline
func leaf() int {
	pcs := make([]uintptr, 64)
	all = append(all, pcs[:runtime.Callers(1, pcs)])
	return len(all)
}

func inner() int  { return leaf() + 1 }
func middle() int { return inner() * 2 }

//go:noinline
func outer() int { return middle() - 3 }

type T struct{ n int }

func (t *T) get() int { return outer() + t.n }

func main() {
	t := &T{1}
	t.get()
	xs := []string{"b", "a", "c"}
	sort.Slice(xs, func(i, j int) bool { leaf(); return xs[i] < xs[j] })
	strings.Map(func(r rune) rune { leaf(); return r }, "ab")
	for _, pcs := range all {
		for _, pc := range pcs {
			fmt.Printf("P %x\n", pc)
			fr := runtime.CallersFrames([]uintptr{pc})
			for {
				f, more := fr.Next()
				fmt.Printf("F %s %s %d\n", f.Function, f.File, f.Line)
				if !more {
					break
				}
			}
		}
	}
}
